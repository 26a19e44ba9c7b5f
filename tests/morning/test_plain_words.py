"""Issue 16: no page of the producer's journey (and the trainer's review of it) shows an internal key,
an English word in the Indonesian interface, or a number with a decimal point (Indonesian writes
"5,75 pt"). The pages are read through the test client as rendered HTML, then as the text a person
sees (tags, scripts and styles removed; web addresses left out)."""
from __future__ import annotations

import re

from .plain_words import problems, visible_text

KERIPIK = {
    "product_class": "pangan_pirt", "name": "Keripik Tempe Mbok Sri", "brand": "Mbok Sri", "category": "keripik",
    "net_quantity": "200 g", "price_idr": "Rp12.500",
    "ingredients": "Tempe kedelai (65%)\nMinyak sawit\nTepung beras\nBawang putih\nGaram",
    "allergens_confirmed": "kedelai", "pirt_number": "2153517010012-29", "halal_status": "certified",
    "halal_cert_number": "ID35110000123450923", "shelf_life_days": "90",
    "storage_instructions": "Simpan di tempat sejuk dan kering.",
    "nutrition.serving_size_g": "25", "nutrition.urt": "1 genggam", "nutrition.fat": "28,5",
    "nutrition.sat_fat": "12", "nutrition.protein": "18", "nutrition.carb": "45", "nutrition.sugar": "2",
    "nutrition.sodium_mg": "450", "nutrition.source": "umk_default_table",
}


def test_the_journey_pages_speak_plain_indonesian(app, cohort_with, create_product, login):
    from studio.auth.services import update_profile
    from studio.designs.services import DesignChanges, start_design, update_design
    from studio.products.data import save_product_data
    from studio.review.services import request_changes, submit_for_review
    from studio.cohorts.services import save_nutrition_template

    from tests.conftest import add_halal_logo

    cohort, trainer, (producer,) = cohort_with(1)
    with app.test_request_context():
        add_halal_logo()
        update_profile(producer, producer.id, dict(business_name="UD Sumber Rejeki", owner_name="Sri",
                                                   address="Dsn. Sumberagung RT 02 RW 01", desa="Plandaan",
                                                   kecamatan="Plandaan", postal_code="61456", nib="1234567890123"))
        save_nutrition_template(trainer, cohort, "keripik", {k: v for k, v in KERIPIK.items()
                                                             if k.startswith("nutrition.")})
        product = create_product(producer, KERIPIK["name"], "pangan_pirt")
        save_product_data(producer, product.id, KERIPIK)
        design = start_design(producer, product.id, "a4-nup-2x2-94x134", "bersih")
        v1 = submit_for_review(producer, design.id)
        request_changes(trainer, v1.id, v1.lock_version, "Tambahkan cara simpan setelah dibuka.")
        save_product_data(producer, product.id, {**KERIPIK, "storage_after_opening": "Simpan dalam wadah tertutup."})
        update_design(producer, design.id, DesignChanges(options={"primary": "#1a5276", "accent": "#f4d03f"}))
        v2 = submit_for_review(producer, design.id)
    pid = product.id
    found: list[str] = []
    client = login(producer)
    for url in ["/produk", f"/produk/{pid}", f"/produk/{pid}/data", f"/produk/{pid}/foto", f"/produk/{pid}/desain",
                f"/produk/{pid}/tinjauan", f"/produk/{pid}/riwayat",
                *[f"/produk/{pid}/data?bagian={k}" for k in ("nama", "isi", "komposisi", "izin", "simpan", "gizi", "jual")],
                f"/tinjauan/banding?a={v1.id}&b={v2.id}"]:
        r = client.get(url)
        assert r.status_code == 200, url
        found += problems(url, r.get_data(as_text=True))
    client = login(trainer)
    for url in ["/pendamping", "/tinjauan", f"/tinjauan/{v2.id}", f"/tinjauan/{v1.id}",
                f"/tinjauan/banding?a={v1.id}&b={v2.id}", f"/pelatihan/{cohort.id}",
                f"/pelatihan/{cohort.id}/tabel-gizi?kategori=keripik"]:
        r = client.get(url)
        assert r.status_code == 200, url
        found += problems(url, r.get_data(as_text=True))
    assert not found, "\n".join(found)
    # what used to show as keys and hex colours now reads as words
    compare = visible_text(client.get(f"/tinjauan/banding?a={v1.id}&b={v2.id}").get_data(as_text=True))
    assert "Warna utama" in compare and "biru tua" in compare, compare[:2000]
    version = visible_text(client.get(f"/tinjauan/{v2.id}").get_data(as_text=True))
    assert "Lemak total per 100 g (g): 28,5" in version and "Sumber angka gizi: Tabel gizi dari pendamping" in version


def test_the_publish_page_names_catalogue_messages_in_words(app, ready_product, login):
    from studio.wizard.services import publish_product

    with app.test_request_context():
        product = ready_product()
        producer = product.owner
        publish_product(producer, product.id)
    page = login(producer).get(f"/produk/{product.id}/terbit").get_data(as_text=True)
    assert "terbit di katalog" in visible_text(page) and not problems("terbit", page)


def test_the_scanner_catches_what_the_issue_saw():
    seen = ("<p>Label dengan masalah berat (BLOCKER) belum bisa dikirim</p><td>listing.published</td>"
            "<td>background</td><td>per100: fat 28 sat_fat 12 umk_default_table</td><p>5.75 pt</p>")
    kinds = " ".join(problems("x", seen))
    for word in ("BLOCKER", "listing.published", "background", "per100", "sat_fat", "umk_default_table", "5.75 pt"):
        assert word in kinds, word
    assert not problems("x", "<p>Harga Rp12.500 · 1.500 g · 5,75 pt · https://katalog.example/p/AB12</p>")
