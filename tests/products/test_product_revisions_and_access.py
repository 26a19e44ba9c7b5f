"""Revisions (immutable, only on change, "what changed") and who may read or edit product data."""
from __future__ import annotations

import html

import pytest

from studio.extensions import db
from studio.products.data import ProductDataInvalid, revision_diff, save_product_data
from studio.products.models import Product, ProductRevision


def page(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def count_revisions(product) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(ProductRevision)
                             .where(ProductRevision.product_id == product.id))


def test_every_changing_save_is_a_new_revision_and_an_unchanged_save_makes_none(producer, product, keripik):
    first = save_product_data(producer, product.id, keripik)
    assert first.number == 1 and first.complete_label and first.percent_complete == 100
    again = save_product_data(producer, product.id, dict(keripik))
    assert again.id == first.id and count_revisions(product) == 1
    # the same values typed differently are the same data: still no new revision
    save_product_data(producer, product.id, {**keripik, "price_idr": "15000", "net_quantity": "250 gram"})
    assert count_revisions(product) == 1
    second = save_product_data(producer, product.id, {**keripik, "net_quantity": "500 g", "shipping_weight_g": "600"})
    assert second.number == 2 and product.current_revision_id == second.id
    db.session.refresh(first)
    assert first.data["net_quantity"] == {"value": 250, "unit": "g"}, "old revisions never change"


def test_a_draft_with_a_wrong_value_is_saved_and_reported(producer, product, keripik):
    with pytest.raises(ProductDataInvalid) as e:
        save_product_data(producer, product.id, {**keripik, "net_quantity": "250 gr"})
    assert "250 g" in e.value.errors["net_quantity"]
    rev = e.value.revision
    assert rev.raw["net_quantity"] == "250 gr" and "net_quantity" not in rev.data
    assert not rev.complete_label


def test_diff_names_the_changed_fields(producer, product, keripik):
    save_product_data(producer, product.id, keripik)
    save_product_data(producer, product.id, {**keripik, "net_quantity": "500 g", "price_idr": "Rp27.500",
                                             "shipping_weight_g": "600", "brand": ""})
    changes = {c.field: (c.old_text, c.new_text) for c in revision_diff(producer, product.id, 1, 2)}
    assert changes == {"brand": ("Mbok Sri", ""), "net_quantity": ("250 g", "500 g"),
                       "price_idr": ("Rp15.000", "Rp27.500"), "shipping_weight_g": ("300", "600")}


def test_trainer_sees_the_history_with_what_changed(login, client, cohort_with, create_product, keripik):
    cohort, trainer, (owner, _other) = cohort_with(2)
    product = create_product(owner, "Keripik Singkong Balado")
    save_product_data(owner, product.id, keripik)
    save_product_data(owner, product.id, {**keripik, "net_quantity": "500 g", "shipping_weight_g": "600"})
    login(trainer)
    text = page(client.get(f"/produk/{product.id}/riwayat"))
    assert "Yang berubah dari versi 1 ke versi 2" in text
    assert "Berat bersih atau isi bersih" in text and "250 g" in text and "500 g" in text
    assert "Merek" not in text.split("Semua versi")[0], "unchanged fields are not listed"
    assert client.get(f"/produk/{product.id}/riwayat?a=1&b=9").status_code == 404


def test_trainer_of_the_cohort_reads_but_cannot_edit(login, client, cohort_with, create_product, keripik):
    cohort, trainer, (owner, _other) = cohort_with(2)
    product = create_product(owner, "Keripik Singkong Balado")
    save_product_data(owner, product.id, keripik)
    login(trainer)
    r = client.get(f"/produk/{product.id}/data")
    assert r.status_code == 200
    text = page(r)
    assert "Hanya dilihat" in text and "2153517010012-29" in text and 'name="aksi"' not in text
    # a section link shows the read-only summary, never a form; posting is refused
    assert 'name="aksi"' not in page(client.get(f"/produk/{product.id}/data?bagian=izin"))
    r = client.post(f"/produk/{product.id}/data?bagian=izin", data={"pirt_number": "1", "aksi": "draf"})
    assert r.status_code == 403
    assert count_revisions(product) == 1


def test_other_producers_and_other_trainers_get_404(login, client, cohort_with, create_user, create_product, keripik):
    cohort, trainer, (owner, neighbour) = cohort_with(2)
    stranger_trainer = create_user("trainer")
    product = create_product(owner, "Keripik Singkong Balado")
    save_product_data(owner, product.id, keripik)
    for user in (neighbour, stranger_trainer):
        login(user)
        for url in (f"/produk/{product.id}/data", f"/produk/{product.id}/data?bagian=isi",
                    f"/produk/{product.id}/riwayat"):
            assert client.get(url).status_code == 404, (user.username, url)
        r = client.post(f"/produk/{product.id}/data?bagian=isi", data={"net_quantity": "1 g", "aksi": "draf"})
        assert r.status_code == 404
    assert count_revisions(product) == 1


def test_demo_keripik_and_kopi_are_complete_for_label_and_listing(app):
    from studio import demo
    from studio.auth.models import User

    demo.seed()
    complete = {}
    for username in ("bu.sri", "pak.darto"):
        user = db.session.scalar(db.select(User).where(User.username == username))
        for p in db.session.scalars(db.select(Product).where(Product.owner_id == user.id)):
            complete[p.name] = (p.current_revision.percent_complete, p.current_revision.complete_label,
                                p.current_revision.errors)
    assert complete["Keripik Singkong Balado"] == (100, True, {})
    assert complete["Kopi Bubuk Robusta"] == (100, True, {})
