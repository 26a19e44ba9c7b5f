"""The hub's pages and the producer's print step, through the web client."""
from __future__ import annotations

import re

import pypdfium2 as pdfium
import zxingcpp

from printing_helpers import CRAFT, MADE, SHEET, page_texts
from studio.extensions import db

PT_PER_MM = 72 / 25.4


def _form(version_id, key="form-1", **kw):
    data = {"request_key": key, "layout_id": "avery-l7160", "start_slot": "5", "qty_mode": "labels",
            "quantity": "30", "batch_code": "261127-01", "production_date": MADE.isoformat(), "expiry_date": "",
            "printer_id": "0"}
    data.update(kw)
    return data


def test_hub_prints_from_the_queue_and_a_double_click_makes_one_job(client, login, operator, make_version):
    from studio.printing.models import PrintJob

    version = make_version("avery-l7160", data=CRAFT)               # a 21-label sheet
    login(operator)
    home = client.get("/hub/").get_data(as_text=True)
    assert f"/hub/cetak/{version.id}" in home
    page = client.get(f"/hub/cetak/{version.id}?mulai=5").get_data(as_text=True)
    assert page.count('class="slot ') == 21                        # the sheet picture: every slot clickable
    assert len(re.findall(r'class="slot used"', page)) == 4         # slots 1-4 are shown as used
    assert 'name="start_slot"' in page and 'value="5"' in page     # works without JavaScript too
    key = re.search(r'name="request_key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    r1 = client.post(f"/hub/cetak/{version.id}", data=_form(version.id, key))
    r2 = client.post(f"/hub/cetak/{version.id}", data=_form(version.id, key))
    assert r1.status_code == r2.status_code == 302 and r1.location == r2.location
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 1
    job_page = client.get(r1.location).get_data(as_text=True)
    assert "261127-01" in job_page and "label 1 sampai 4 dilewati" in job_page
    job_id = int(r1.location.rstrip("/").split("/")[-1])
    status = client.get(f"/hub/pekerjaan/{job_id}/status.json").get_json()
    assert status["finished"] and status["status"] == "ready"
    pdf = client.get(f"/hub/pekerjaan/{job_id}/label.pdf")
    assert pdf.mimetype == "application/pdf" and len(pdfium.PdfDocument(pdf.data)) == 2
    assert client.get(f"/hub/pekerjaan/{job_id}/halaman-1.png").mimetype == "image/png"
    client.post(f"/hub/pekerjaan/{job_id}/tercetak")
    assert db.session.get(PrintJob, job_id).status == "printed"


def test_a_too_late_expiry_shows_on_the_form(client, login, operator, make_version):
    version = make_version()
    login(operator)
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version.id, expiry_date="2027-06-01", layout_id=SHEET,
                                                          start_slot="1"))
    assert r.status_code == 400
    assert "paling lambat 27-03-2027" in r.get_data(as_text=True)


def test_a_version_waiting_for_review_is_not_in_the_queue(client, login, operator, make_version):
    version = make_version(status="submitted")
    login(operator)
    assert f"/hub/cetak/{version.id}" not in client.get("/hub/").get_data(as_text=True)
    assert client.post(f"/hub/cetak/{version.id}", data=_form(version.id)).status_code == 404


def test_only_hub_and_admin_open_hub_pages(client, login, producer, create_user, make_version):
    version = make_version()
    for user in (producer, create_user("trainer")):
        login(user)
        for url in ("/hub/", f"/hub/cetak/{version.id}", "/hub/printer"):
            assert client.get(url).status_code == 403
        assert client.post(f"/hub/cetak/{version.id}", data=_form(version.id)).status_code == 403
    login(create_user("admin"))
    assert client.get("/hub/").status_code == 200


def test_producer_sees_own_print_history_and_the_shelf_card(app, client, login, operator, producer, create_user,
                                                            make_version):
    from studio.printing.services import create_print_job

    version = make_version()
    other = create_user("producer")
    theirs = make_version(owner=other)
    with app.test_request_context():
        create_print_job(operator, version.id, request_key="a", copies=30, first_slot=2, batch_code="261127-01",
                         production_date=MADE)
        create_print_job(operator, theirs.id, request_key="b", copies=7, batch_code="261127-09",
                         production_date=MADE)
    login(producer)
    page = client.get(f"/produk/{version.product_id}/cetak").get_data(as_text=True)
    assert "261127-01" in page and "261127-09" not in page
    assert client.get(f"/produk/{theirs.product_id}/cetak").status_code == 404
    card = client.get(f"/produk/{version.product_id}/kartu-rak.pdf")
    assert card.mimetype == "application/pdf"
    doc = pdfium.PdfDocument(card.data)
    assert (round(doc[0].get_width() / PT_PER_MM), round(doc[0].get_height() / PT_PER_MM)) == (105, 148)
    text = " ".join(page_texts(card.data)[0].split())
    assert "Keripik Singkong Balado" in text and "Rp15.000" in text
    from studio.products.models import Product

    code = db.session.get(Product, version.product_id).public_code
    im = doc[0].render(scale=200 / 72, grayscale=True).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(im)] == [f"{app.config['PUBLIC_BASE_URL']}/p/{code}"]


def test_printer_pages(client, login, operator):
    login(operator)
    r = client.post("/hub/printer", data={"name": "Epson L3210", "kind": "inkjet", "dpi": "300", "active": "y"})
    assert r.status_code == 302
    page = client.get(r.location).get_data(as_text=True)
    assert "Avery L7160" in page
    cal = client.get(r.location + "/kalibrasi/avery-l7160")
    assert cal.status_code == 200 and "penggaris A" in cal.get_data(as_text=True)
    pdf = client.get(r.location + "/kalibrasi/avery-l7160/halaman.pdf")
    assert pdf.mimetype == "application/pdf" and "Kalibrasi" in page_texts(pdf.data)[0]


def test_a_bad_batch_code_is_told_in_the_operators_language(client, login, operator, make_version):
    """The print service words the rules' message in the locale the view passes (it never reads the request)."""
    from studio.rules import RuleError, validate_production_code

    try:
        validate_production_code("batch 1!", field="batch_code")
    except RuleError as e:
        msg = e.msg
    version = make_version()
    login(operator)
    for lang, text in (("id", msg.id), ("en", msg.en)):
        client.post("/bahasa", data={"lang": lang, "next": "/"})
        r = client.post(f"/hub/cetak/{version.id}", data=_form(version.id, f"bad-{lang}", batch_code="batch 1!",
                                                              layout_id=SHEET, start_slot="1"))
        assert r.status_code == 400
        html = r.get_data(as_text=True)
        assert text[:40] in html, (lang, text)


def _quantity(html: str) -> int:
    field = re.search(r'<input[^>]*name="quantity"[^>]*>', html).group(0)
    return int(re.search(r'value="(\d+)"', field).group(1))


def test_the_job_forms_first_quantity_is_one_full_sheet_or_a_batch_on_a_roll(client, login, operator, make_version):
    """Not 21 whatever the stock: a fresh sheet's every slot, the rest of a partly used sheet, and a
    production batch on a roll. Read back from the form the operator sees."""
    version = make_version("avery-l7160", data=CRAFT)               # 3 x 7 labels
    login(operator)
    assert _quantity(client.get(f"/hub/cetak/{version.id}").get_data(as_text=True)) == 21
    assert _quantity(client.get(f"/hub/cetak/{version.id}?mulai=5").get_data(as_text=True)) == 17
    assert _quantity(client.get(f"/hub/cetak/{version.id}?stok=avery-l7165").get_data(as_text=True)) == 8
    assert _quantity(client.get(f"/hub/cetak/{version.id}?stok=thermal-50x30").get_data(as_text=True)) == 50
    # what the operator typed comes back as typed on a refused form
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version.id, quantity="7", start_slot="99"))
    assert r.status_code == 400 and _quantity(r.get_data(as_text=True)) == 7
