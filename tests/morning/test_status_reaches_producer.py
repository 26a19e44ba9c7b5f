"""Issue 16: what the producer is told. A status badge on every product, the trainer's change
request on her product list (home) in one page load, the trainer's WhatsApp link to the right page,
and the product form's section marks (a draft save keeps the ✓, an unticked allergen is not done)."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

COFFEE = {
    "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta", "brand": "Kopi Pak Darto", "category": "kopi",
    "net_quantity": "100 g", "ingredients": "kopi robusta (80%), susu bubuk (20%)",
    "allergens_confirmed": "susu", "shelf_life_days": "180", "pirt_number": "2103517010012-29",
    "halal_status": "not_halal", "storage_instructions": "Simpan di tempat kering dan sejuk",
}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _submitted(app, cohort_with, create_product):
    from studio.auth.services import update_profile
    from studio.designs.services import start_design
    from studio.products.data import save_product_data
    from studio.review.services import submit_for_review

    _cohort, trainer, (producer,) = cohort_with(1)
    with app.test_request_context():
        update_profile(producer, producer.id, dict(business_name="UD Pak Darto", owner_name="Darto",
                                                   address="Dsn. Sumberagung RT 02 RW 05", desa="Pelabuhan",
                                                   kecamatan="Plandaan", postal_code="61456",
                                                   whatsapp="0812 3456 7001"))
        product = create_product(producer, COFFEE["name"], "pangan_pirt")
        save_product_data(producer, product.id, COFFEE)
        design = start_design(producer, product.id, "avery-l7165", "bersih")
        version = submit_for_review(producer, design.id)
    return trainer, producer, product, version


def test_the_change_request_reaches_the_producers_list_with_its_badge(app, cohort_with, create_product, login):
    trainer, producer, product, version = _submitted(app, cohort_with, create_product)
    home = _text(login(producer).get("/produk").get_data(as_text=True))
    assert "menunggu tinjauan" in home
    client = login(trainer)
    r = client.post(f"/tinjauan/{version.id}/putuskan", data={
        "decision": "changes", "lock_version": version.lock_version, "body": "Tulis cara simpan setelah dibuka."})
    assert r.status_code == 302
    queue = client.get(r.headers["Location"]).get_data(as_text=True)     # the trainer's "tell her" button
    link = re.search(r'id="whatsapp-link" href="([^"]+)"', queue).group(1).replace("&amp;", "&")
    parts = urlsplit(link)
    assert parts.netloc == "wa.me" and parts.path == "/6281234567001"
    text = parse_qs(parts.query)["text"][0]
    assert "perlu perbaikan: Tulis cara simpan setelah dibuka." in text
    assert text.endswith(f"https://katalog.rumahpintar-jombang.example/blonjo/produk/{product.id}/tinjauan")
    # the producer's product list (her home) says it at once: badge, the trainer's words, where to fix
    page = login(producer).get("/produk").get_data(as_text=True)
    home = _text(page)
    assert "perlu perbaikan" in home and "Tulis cara simpan setelah dibuka." in home
    assert "Pendamping minta perbaikan (versi 1)" in home and f"/produk/{product.id}/tinjauan" in page
    assert "Lanjutkan" not in home
    assert "Tulis cara simpan setelah dibuka." in _text(login(producer).get(f"/produk/{product.id}").get_data(as_text=True))
    # the trainer's version page keeps the link
    assert "wa.me/6281234567001" in login(trainer).get(f"/tinjauan/{version.id}").get_data(as_text=True)


def test_an_approved_label_says_disetujui(app, cohort_with, create_product, login):
    from studio.review.services import approve

    trainer, producer, product, version = _submitted(app, cohort_with, create_product)
    with app.test_request_context():
        approve(trainer, version.id, version.lock_version)
    home = _text(login(producer).get("/produk").get_data(as_text=True))
    assert "disetujui" in home and "perlu perbaikan" not in home


def _nav(html: str) -> dict[str, str]:
    """Section number -> its nav item text (with ✓ when done)."""
    nav = html[html.index('class="sectionnav"'):html.index("</nav>", html.index('class="sectionnav"'))]
    return {m.group(1): m.group(0) for m in re.finditer(r'<li class="([^"]*)">.*?</li>', nav, re.S)}


def test_a_draft_save_keeps_the_tick_and_an_unticked_allergen_is_not_done(app, create_user, create_product, login):
    producer = create_user("producer")
    product = create_product(producer, "Keripik Tempe", "pangan_pirt")
    client = login(producer)
    r = client.post(f"/produk/{product.id}/data?bagian=nama", data={
        "product_class": "pangan_pirt", "name": "Keripik Tempe", "brand": "Mbok Sri", "category": "keripik",
        "aksi": "draf"},
        follow_redirects=True)
    assert "Draf disimpan" in _text(r.get_data(as_text=True))
    current = [t for c, t in _nav(r.get_data(as_text=True)).items() if "current" in c]
    assert current and "✓" in current[0], current        # the section she is on keeps its ✓
    # the soy in new ingredients is ticked for her ...
    r = client.post(f"/produk/{product.id}/data?bagian=komposisi", data={
        "ingredients": "Tempe kedelai\nGaram", "aksi": "draf"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "mengandung alergen kedelai: sudah dicentang" in _text(html)
    assert re.search(r'value="kedelai"[^>]*checked', html)
    # ... if she unticks it (same ingredients), it stays unticked and the section is not done
    r = client.post(f"/produk/{product.id}/data?bagian=komposisi", data={
        "ingredients": "Tempe kedelai\nGaram", "aksi": "draf"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert not re.search(r'value="kedelai"[^>]*checked', html)
    assert "alergen kedelai" in _text(html)
    current = [t for c, t in _nav(html).items() if "current" in c]
    assert current and "✓" not in current[0]
    summary = _text(client.get(f"/produk/{product.id}/data").get_data(as_text=True))
    assert "Komposisi & alergen 1 perlu diperbaiki" in summary
