"""Issue 21, bad input second pass: no 500 anywhere, every refusal in plain Indonesian, nothing
silently lost. Each test drives the real endpoint as a user (or another system) would."""
from __future__ import annotations

import html
import io
import json

import pytest

from studio.extensions import db
from studio.products.models import Product

HUGE = 2 ** 64 + 7   # beyond 64 bits: Python int, but no database integer


@pytest.fixture
def keripik() -> dict:
    return {"product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "net_quantity": "250 g",
            "ingredients": "Singkong, minyak sawit, garam", "price_idr": "15000"}


def page(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def upload(client, cohort, data: bytes, name="produk.json"):
    return client.post(f"/pelatihan/{cohort.id}/impor", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def products_of(user) -> list[Product]:
    return list(db.session.scalars(db.select(Product).where(Product.owner_id == user.id)))


# -- 1. server errors -------------------------------------------------------------------------


def test_deeply_nested_json_import_is_refused_in_plain_words(login, client, cohort_with):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    r = upload(client, cohort, b"[" * 100_000 + b"]" * 100_000)
    assert r.status_code == 422
    assert "terlalu dalam" in page(r)
    assert products_of(sri) == []


def test_a_lone_surrogate_in_imported_json_is_refused_not_a_database_error(login, client, cohort_with, keripik):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    rec = {"owner": sri.username, **keripik, "name": "Keripik \\ud800 Balado"}
    data = json.dumps([rec]).replace("\\\\ud800", "\\ud800").encode()
    assert b"\\ud800" in data and b"\\\\ud800" not in data
    r = upload(client, cohort, data)
    assert r.status_code == 422
    text = page(r)
    assert "huruf yang tidak sah" in text
    assert products_of(sri) == []


def test_a_lone_surrogate_in_a_nested_nutrition_value_is_refused(login, client, cohort_with, keripik):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    rec = {"owner": sri.username, **keripik, "nutrition": {"serving_size_g": "30\\udfff"}}
    data = json.dumps([rec]).replace("\\\\udfff", "\\udfff").encode()
    r = upload(client, cohort, data)
    assert r.status_code == 422 and "huruf yang tidak sah" in page(r)
    assert products_of(sri) == []


@pytest.mark.parametrize("path", [
    f"/katalog/produsen/{HUGE}", f"/katalog/foto/{HUGE}/kecil.jpg", f"/produk/{HUGE}",
    f"/produk/{HUGE}/data", f"/produk/1/foto/{HUGE}/status", f"/katalog/produsen/{2 ** 63}",
    f"/katalog/produsen/{10 ** 40}",
])
def test_ids_beyond_the_database_integer_range_are_not_found(client, login, create_user, path):
    login(create_user("admin"))
    r = client.get(path)
    assert r.status_code == 404, path
    assert "Halaman tidak ditemukan" in page(r)


def test_token_publish_with_a_huge_id_is_not_found(client, create_user):
    from studio.catalogue.services import create_api_token

    token = create_api_token(create_user("admin"), "BLONJO pusat")
    for verb in ("publish", "unpublish"):
        r = client.post(f"/api/v1/products/{HUGE}/{verb}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 404 and r.is_json


@pytest.mark.parametrize("query", [f"producer={HUGE}", f"page={HUGE}", f"per_page={HUGE}",
                                   f"producer=-{HUGE}"])
def test_api_query_numbers_beyond_range_get_a_clear_400(client, query):
    r = client.get(f"/api/v1/listings?{query}")
    assert r.status_code == 400 and r.is_json
    assert "terlalu besar" in r.get_json()["error"]["message"]


def test_catalogue_page_number_beyond_range_is_not_a_500(client):
    r = client.get(f"/katalog?hal={HUGE}")
    assert r.status_code in (200, 400, 404)


def test_no_error_ends_on_the_servers_bare_page(app, client, monkeypatch):
    """A view raises, and the normal error page (base layout: session, user, database) fails too:
    the producer still gets the studio's own Indonesian page."""
    from studio.catalogue import views as cviews

    def boom(*a, **k):
        raise RuntimeError("view broke")

    app.view_functions["catalogue.home"] = boom
    app.config["PROPAGATE_EXCEPTIONS"] = False
    r = client.get("/katalog")
    assert r.status_code == 500
    assert "Ada kesalahan di sistem" in page(r)
    assert "Internal Server Error" not in page(r)

    import flask
    real = flask.render_template

    def broken_render(name, **ctx):
        if name == "errors/error.html":
            raise RuntimeError("error page broke")
        return real(name, **ctx)

    monkeypatch.setattr("studio.errors.render_template", broken_render)
    r = client.get("/katalog")
    assert r.status_code == 500
    text = page(r)
    assert "Ada kesalahan di sistem" in text and "Internal Server Error" not in text
    assert cviews is not None


def test_the_common_product_text_cleaning_refuses_a_lone_surrogate(app):
    from studio.products.data import check_product_data

    check = check_product_data({"product_class": "pangan_pirt", "name": "Keripik \ud800", "brand": "Mbok Sri"})
    assert "huruf yang tidak sah" in check.errors["name"].text("id")
    assert "name" not in check.raw and check.raw["brand"] == "Mbok Sri"


# -- 2. silent loss: clearing a required field ------------------------------------------------

FILLED = [("nama", {"product_class": "pangan_pirt", "name": "Kerupuk Udang Mbok Sri"}),
          ("komposisi", {"ingredients": "Singkong\nMinyak sawit\nGaram"}),
          ("izin", {"pirt_number": "2153517010012-29", "pirt_valid_until": "31-12-2029"}),
          ("isi", {"price_idr": "Rp15.000"})]


@pytest.mark.parametrize("section,field,typed", [
    ("nama", "name", ""), ("komposisi", "ingredients", "   "), ("izin", "pirt_number", "\x00\x00"),
    ("isi", "price_idr", " \t "),
])
def test_clearing_a_required_field_is_said_next_to_the_field(login, client, create_user, create_product,
                                                           section, field, typed):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    for key, data in FILLED:
        assert client.post(f"/produk/{product.id}/data?bagian={key}", data={**data, "aksi": "draf"}).status_code == 302
    data = dict(dict(FILLED)[section])
    data[field] = typed
    r = client.post(f"/produk/{product.id}/data?bagian={section}", data={**data, "aksi": "lanjut"})
    assert r.status_code == 200, "the section stays open (no redirect to the next one)"
    text = page(r)
    block = text[text.index(f'id="f-{field}"'):]
    block = block[:block.index("</div>")]
    assert "Wajib diisi. Isian ini dikosongkan" in block, block
    assert 'value="Kerupuk' not in block and 'value="Rp15' not in block, "old value back in the field"
    # and reopening the section later shows the field empty, as the record is
    r = client.get(f"/produk/{product.id}/data?bagian={section}")
    block = page(r)[page(r).index(f'id="f-{field}"'):]
    block = block[:block.index("</div>")]
    assert 'value="Kerupuk' not in block and 'value="Rp15' not in block


@pytest.mark.parametrize("price", [None, "missing", "   "])
def test_an_import_row_without_a_price_says_so_in_the_row_report(login, client, cohort_with, keripik, price):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    rec = {"owner": sri.username, **keripik}
    if price == "missing":
        del rec["price_idr"]
    else:
        rec["price_idr"] = price
    r = client.post(f"/pelatihan/{cohort.id}/impor",
                    data={"file": (io.BytesIO(json.dumps([rec]).encode()), "p.json"), "dry_run": "y"},
                    content_type="multipart/form-data")
    text = page(r)
    assert "Harga" in text and "belum diisi. Produk masuk sebagai draf dan belum bisa diterbitkan" in text


# -- 7/8. implausible prices, JSON shapes flattened into values -------------------------------


@pytest.mark.parametrize("override,expected", [
    ({"price_idr": [12500]}, "Harga jual: harus teks atau angka, bukan daftar atau objek JSON."),
    ({"name": {"id": "Keripik"}}, "harus teks atau angka, bukan daftar atau objek JSON."),
    ({"price_idr": 10 ** 21}, "tidak masuk akal untuk satu kemasan"),
])
def test_import_refuses_lists_objects_and_implausible_prices(login, client, cohort_with, keripik, override, expected):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    r = upload(client, cohort, json.dumps([{"owner": sri.username, **keripik, **override}]).encode())
    assert r.status_code == 422 and expected in page(r)
    assert products_of(sri) == []


def test_the_form_refuses_an_implausible_price_and_keeps_it(login, client, create_user, create_product):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    r = client.post(f"/produk/{product.id}/data?bagian=isi", data={"price_idr": "1" + "0" * 21, "aksi": "lanjut"},
                    follow_redirects=True)
    text = page(r)
    block = text[text.index('id="f-price_idr"'):]
    block = block[:block.index("</div>")]
    assert "tidak masuk akal untuk satu kemasan" in block and 'value="1000000000000000000000"' in block


def test_decomposed_accents_are_stored_composed(login, client, create_user, create_product):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    client.post(f"/produk/{product.id}/data?bagian=nama",
                data={"product_class": "pangan_pirt", "name": "Kue Cafe\u0301 Jombang", "aksi": "draf"})
    db.session.refresh(product)
    assert product.current_revision.raw["name"] == "Kue Caf\u00e9 Jombang"


# -- property-based: ids, nesting, broken text, huge numbers never give a 5xx -----------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_IDS = st.one_of(st.integers(0, 2 ** 31 - 1), st.integers(2 ** 31, 2 ** 70), st.just(2 ** 64), st.just(10 ** 30))
_TEXT = st.text(st.characters(blacklist_categories=()), max_size=12)   # every category, lone surrogates too
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-(10 ** 25), 10 ** 25), _TEXT)
_JSON = st.recursive(_LEAF, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                   st.dictionaries(_TEXT, kids, max_size=3)), max_leaves=12)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(number=_IDS, which=st.sampled_from(["/katalog/produsen/{n}", "/katalog/foto/{n}/kecil.jpg", "/produk/{n}",
                                           "/api/v1/listings?producer={n}", "/katalog?hal={n}",
                                           "/produk/{n}/foto/{n}/status"]))
def test_fuzz_numbers_in_urls_never_give_a_server_error(app, number, which):
    with app.test_client() as c:
        assert c.get(which.format(n=number)).status_code < 500


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(extra=st.dictionaries(st.sampled_from(["name", "price_idr", "ingredients", "nutrition", "net_quantity",
                                              "brand", "pirt_number", "stock"]), _JSON, max_size=4),
       depth=st.integers(0, 60))
def test_fuzz_import_json_never_gives_a_server_error_and_refusals_save_nothing(app, create_user, extra, depth):
    from studio.cohorts.models import Cohort

    cohort = db.session.scalar(db.select(Cohort))
    if cohort is None:
        from studio.cohorts.services import CohortData, create_cohort, enrol_producer

        trainer = create_user("trainer", username="fuzz.trainer")
        cohort = create_cohort(trainer, CohortData(name="Kelas fuzz"))
        enrol_producer(None, cohort.id, create_user("producer", username="fuzz.sri").id)
    sri = cohort.producers[0]
    before = db.session.scalar(db.select(db.func.count(Product.id)))
    rec = {"owner": sri.username, "product_class": "pangan_pirt", **extra}
    body = json.dumps([rec], ensure_ascii=True)
    body = "[" * depth + body + "]" * depth
    with app.test_client() as c:
        c.post("/masuk", data={"login": "fuzz.trainer", "password": "rahasia123"})
        r = c.post(f"/pelatihan/{cohort.id}/impor", data={"file": (io.BytesIO(body.encode()), "p.json")},
                   content_type="multipart/form-data")
        assert r.status_code < 500
        if r.status_code != 200:
            db.session.expire_all()
            assert db.session.scalar(db.select(db.func.count(Product.id))) == before


@pytest.mark.parametrize("typed,expected", [("27-11-2026", "2026-11-27"), ("27/11/2026", "2026-11-27"),
                                            ("2026-11-27", "2026-11-27"), ("31-02-2026", None)])
def test_the_print_form_reads_dates_as_people_type_them(app, typed, expected):
    from werkzeug.datastructures import MultiDict

    from studio.printing.forms import DateIdField, JobForm

    assert JobForm.production_date.field_class is DateIdField
    with app.test_request_context():
        form = JobForm(formdata=MultiDict({"production_date": typed}), meta={"csrf": False})
        form.production_date.validate(form)
        if expected:
            assert form.production_date.data.isoformat() == expected and not form.production_date.errors
        else:
            assert form.production_date.data is None
            assert "Februari 2026 hanya 28 hari" in " ".join(form.production_date.errors)
            assert "Not a valid date value" not in " ".join(form.production_date.errors)


def test_an_empty_import_file_is_called_empty_not_missing(login, client, cohort_with):
    cohort, trainer, _p = cohort_with(1)
    login(trainer)
    r = upload(client, cohort, b"", name="produk.csv")
    assert r.status_code == 400
    assert "Berkas produk.csv kosong (0 byte)" in page(r) and "Pilih berkas CSV atau JSON dulu" not in page(r)
