"""The batch stamp the hub prints into a small label's stamping box says the whole production code
and production date (a mandatory item: "tanggal dan kode produksi"), read back from the job PDF;
before, a 50 x 30 mm roll set's box showed "Kode produksi: 261127-01 · Tgl." and lost the date."""
from __future__ import annotations

import pytest

from studio.extensions import db

from printing_helpers import MADE, TODAY, job_pdf_bytes, page_texts

# a short food label (a sambal) that a three-sticker set on a 50 x 30 mm roll holds without a finding
SAMBAL = {"product_class": "pangan_pirt", "name": "Sambal Bawang Teri", "brand": "Bu Lilik", "category": "sambal",
          "physical_state": "semi_padat", "net_quantity": "150 ml", "price_idr": "Rp18.000",
          "ingredients": "Cabai merah (40%), bawang merah, ikan teri, minyak kelapa, garam, gula merah",
          "pirt_number": "2153517010012-29", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
          "packaging_material": "kaca", "shelf_life_days": "30", "storage_instructions": "Simpan di lemari es.",
          "nutrition.serving_size_g": "15", "nutrition.urt": "1 sdm", "nutrition.fat": "30", "nutrition.sat_fat": "20",
          "nutrition.protein": "5", "nutrition.carb": "20", "nutrition.sugar": "10", "nutrition.sodium_mg": "1200",
          "nutrition.source": "lab"}


@pytest.fixture
def set_version(make_version):
    """An approved three-sticker set of the sambal on the 50 x 30 mm roll (stamping box 15 x 6 mm)."""
    return make_version("thermal-50x30", data=SAMBAL, style_id="", label_set="front_back_back")


def test_a_small_stamping_box_prints_the_whole_code_and_production_date(app, operator, set_version, printer):
    from studio.printing.services import create_print_job

    version = set_version
    zebra = printer("Zebra GK420", "thermal", 203)
    job = create_print_job(operator, version.id, request_key="k1", copies=1, batch_code="261127-01",
                           production_date=MADE, printer_id=zebra.id, today=TODAY)
    db.session.refresh(job)
    text = " ".join(" ".join(page_texts(job_pdf_bytes(job))).split())
    assert "261127-01" in text and "27-11-2026" in text, text[:400]


def test_a_stamp_that_fits_no_wording_is_refused_on_the_form_not_printed_cut(app, client, operator, set_version,
                                                                            login):
    from studio.printing.models import PrintJob

    version = set_version
    login(operator)
    form = {"request_key": "k2", "layout_id": "thermal-50x30", "start_slot": "1", "qty_mode": "labels",
            "quantity": "1", "batch_code": "KOPERASI-2026/12/031", "production_date": "27-11-2026", "printer_id": "0"}
    r = client.post(f"/hub/cetak/{version.id}", data=form)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "tidak muat utuh di kotak cap" in page and "«" in page, page[:300]
    assert db.session.query(PrintJob).count() == 0


def test_a_batch_whose_best_before_date_has_passed_is_refused(app, client, login, operator, make_version):
    """A production date typed with the wrong year (27-11-1999) gave a printed best-before date in
    2000: the job was made. Now the form refuses it on the production date."""
    from studio.printing.models import PrintJob

    version = make_version()
    login(operator)
    r = client.post(f"/hub/cetak/{version.id}", data={
        "request_key": "k3", "layout_id": version.layout_id, "start_slot": "1", "qty_mode": "labels",
        "quantity": "1", "batch_code": "261127-01", "production_date": "27-11-1999", "printer_id": "0"})
    assert r.status_code == 400 and "sudah lewat" in r.get_data(as_text=True)
    assert db.session.query(PrintJob).count() == 0


def test_the_stamp_check_answers_the_same_from_its_cache_in_another_process(app, client, operator, set_version,
                                                                           login):
    """The stamp check is remembered by content (label, stock, printer dots, stamp text), and the
    label's stamping box by content (label, stock, printer dots): a too-long code sent again and
    another too-long code, each as by another server process that never composed the label, are
    still refused with what would be cut; a code that fits is still printed whole."""
    from studio.designs import prepare
    from studio.printing.models import PrintJob

    version = set_version
    login(operator)
    form = {"layout_id": "thermal-50x30", "start_slot": "1", "qty_mode": "labels", "quantity": "1",
            "batch_code": "KOPERASI-2026/12/031", "production_date": "27-11-2026", "printer_id": "0"}
    pages = []
    for key, code in (("k4", "KOPERASI-2026/12/031"), ("k5", "KOPERASI-2026/12/031"), ("k7", "KOPERASI-2026/12/032")):
        r = client.post(f"/hub/cetak/{version.id}", data={**form, "request_key": key, "batch_code": code})
        pages.append((r.status_code, r.get_data(as_text=True)))
        prepare._composed.clear()          # the next request as another process: nothing composed in memory
    for status, page in pages:
        assert status == 400 and "tidak muat utuh di kotak cap" in page and "«" in page, page[:300]
    assert db.session.query(PrintJob).count() == 0
    r = client.post(f"/hub/cetak/{version.id}", data={**form, "request_key": "k6", "batch_code": "261127-01"})
    assert r.status_code == 302
    job = db.session.query(PrintJob).one()
    text = " ".join(" ".join(page_texts(job_pdf_bytes(job))).split())
    assert "261127-01" in text and "27-11-2026" in text, text[:400]
