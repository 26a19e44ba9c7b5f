"""Cohorts, dashboards by role, the language switch, error pages."""
from __future__ import annotations

from studio.cohorts.models import Cohort
from studio.extensions import db


def test_trainer_creates_a_cohort_and_becomes_its_trainer(client, login, create_user):
    trainer = create_user("trainer")
    login(trainer)
    r = client.post("/pelatihan/baru", data={"name": "Pelatihan Desa Pelabuhan", "desa": "Pelabuhan",
                                              "kecamatan": "Plandaan", "start_date": "2026-11-23",
                                              "end_date": "2026-12-04", "agencies": "Dinkop"})
    assert r.status_code == 302
    cohort = db.session.scalar(db.select(Cohort))
    assert cohort.name == "Pelatihan Desa Pelabuhan" and trainer in cohort.trainers
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "23-11-2026" in page


def test_cohort_end_before_start_is_refused_with_input_kept(client, login, create_user):
    login(create_user("trainer"))
    r = client.post("/pelatihan/baru", data={"name": "Kelas Kopi", "start_date": "2026-12-04", "end_date": "2026-11-23"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "tidak boleh sebelum" in html and 'value="Kelas Kopi"' in html


def test_trainer_sees_only_their_cohorts_in_the_board(client, login, cohort_with, create_product):
    cohort_a, trainer_a, (prod_a,) = cohort_with(1)
    cohort_b, trainer_b, (prod_b,) = cohort_with(1)
    create_product(prod_a, "Keripik Pisang A")
    create_product(prod_b, "Madu Hutan B")
    login(trainer_a)
    html = client.get("/pendamping").get_data(as_text=True)
    assert "Keripik Pisang A" in html and "Madu Hutan B" not in html
    assert client.get(f"/pelatihan/{cohort_b.id}").status_code == 404


def test_producer_sees_only_own_products_and_gets_404_for_others(client, login, create_user, create_product):
    a, b = create_user("producer"), create_user("producer")
    create_product(a, "Keripik Singkong")
    pb = create_product(b, "Sambal Bawang Rahasia")
    login(a)
    html = client.get("/produk").get_data(as_text=True)
    assert "Keripik Singkong" in html and "Sambal Bawang Rahasia" not in html
    r = client.get(f"/produk/{pb.id}")
    assert r.status_code == 404
    assert "Sambal Bawang Rahasia" not in r.get_data(as_text=True)


def test_language_switch_to_english_and_back(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in page and "Masuk ke Studio Kemasan" in page
    client.post("/bahasa", data={"lang": "en", "next": "/masuk"})
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in to Studio Kemasan" in page
    client.post("/bahasa", data={"lang": "id"})
    assert "Masuk ke Studio Kemasan" in client.get("/masuk").get_data(as_text=True)


def test_404_page_is_in_the_chosen_language(client):
    assert "Halaman tidak ditemukan" in client.get("/tidak-ada").get_data(as_text=True)
    client.post("/bahasa", data={"lang": "en"})
    assert "Page not found" in client.get("/tidak-ada").get_data(as_text=True)


def test_producer_creates_a_product_and_sees_the_wizard(client, login, create_user):
    login(create_user("producer"))
    r = client.post("/produk/baru", data={"name": "Keripik Tempe", "product_class": "pangan_pirt"})
    assert r.status_code == 302
    html = client.get("/produk").get_data(as_text=True)
    assert "Keripik Tempe" in html and "Data produk" in html


def test_empty_product_name_gets_a_message(client, login, create_user):
    login(create_user("producer"))
    r = client.post("/produk/baru", data={"name": "", "product_class": "pangan_pirt"})
    assert r.status_code == 400 and "Isi nama produk" in r.get_data(as_text=True)


def test_a_product_name_longer_than_the_label_allows_is_told_when_the_product_is_made(client, login, create_user):
    """The product data allows 60 letters; a longer name used to be accepted here and came back at the
    design step as "Isi nama produk" (enter the name), although it was there."""
    login(create_user("producer"))
    long_name = "Keripik Tempe Super Renyah Rasa Daun Jeruk Purut Pedas Level Lima Khas Plandaan"   # 80
    r = client.post("/produk/baru", data={"name": long_name, "product_class": "pangan_pirt"})
    assert r.status_code == 400 and "paling banyak 60 huruf" in r.get_data(as_text=True)
    r = client.post("/produk/baru", data={"name": long_name[:60], "product_class": "pangan_pirt"})
    assert r.status_code == 302
