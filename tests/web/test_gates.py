"""Every gate refuses a label that blocks, on the server, also when the request skips the UI (a
direct POST): send for review, approve, the print queue and print job, publish. Refusals say what
to fix; nothing changes. An approved label prints only on its own label size, and the printed PDF
carries every mandatory item (read back from the PDF)."""
from __future__ import annotations

import io
import re
from datetime import date

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from studio.catalogue.models import Listing
from studio.designs.models import AssetKind, DesignVersion, StudioAsset, VersionStatus
from studio.extensions import db
from studio.printing.models import PrintJob

# the trainer cohort's coffee: fits a 99.1 x 67.7 mm label with nothing blocking
COFFEE = {
    "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta", "brand": "Kopi Pak Darto", "category": "kopi",
    "net_quantity": "100 g", "ingredients": "kopi robusta (80%), susu bubuk (20%)",
    "allergens_confirmed": "susu", "shelf_life_days": "180", "pirt_number": "2103517010012-29",
    "pirt_food_code": "10", "packaging_material": "plastik", "halal_status": "not_halal",
    "storage_instructions": "Simpan di tempat kering dan sejuk",
}
STOCK = "avery-l7165"
MADE = date(2026, 11, 27)


@pytest.fixture
def people(cohort_with, create_user):
    from studio.auth.services import update_profile

    _cohort, trainer, (producer,) = cohort_with(1)
    update_profile(producer, producer.id, dict(business_name="UD Pak Darto", owner_name="Darto",
                                               address="Dsn. Sumberagung RT 02 RW 05", desa="Pelabuhan",
                                               kecamatan="Plandaan", postal_code="61456"))
    return trainer, producer, create_user("hub")


def _design(producer, create_product, **changes):
    from studio.designs.services import start_design
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    data = {k: v for k, v in {**COFFEE, **changes}.items() if v is not None}
    product = create_product(producer, data["name"], data["product_class"])
    add_revision(producer, product, check_product_data(data).data, complete_label=True, percent=100)
    return product, start_design(producer, product.id, STOCK, "bersih")


def _submitted(app, people, create_product, **changes):
    from studio.review.services import submit_for_review

    _trainer, producer, _hub = people
    with app.test_request_context():
        product, design = _design(producer, create_product, **changes)
        return product, submit_for_review(producer, design.id)


def _approved(app, people, create_product, **changes):
    from studio.review.services import approve

    trainer = people[0]
    product, version = _submitted(app, people, create_product, **changes)
    with app.test_request_context():
        return product, approve(trainer, version.id, version.lock_version)


def _flash(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _job_form(version_id, **kw):
    data = {"request_key": f"form-{version_id}", "layout_id": STOCK, "start_slot": "1", "qty_mode": "labels",
            "quantity": "8", "batch_code": "261127-01", "production_date": MADE.isoformat(), "expiry_date": "",
            "printer_id": "0"}
    return {**data, **kw}


def _block(version):
    """Put a blocking finding into the findings stored with the version (as an old approval had it)."""
    version.findings = list(version.findings or []) + [{
        "source": "preflight", "rule_id": "ING-01", "code": "ING-01", "severity": "BLOCKER",
        "message_id": "Daftar bahan tidak muat di label. Perbesar label atau singkat daftar bahan.",
        "message_en": "The ingredient list does not fit.", "tag": "ingredients"}]
    db.session.commit()


# ------------------------------------------------------------------------------ send, approve
def test_send_for_review_refuses_a_label_with_blockers(app, people, create_product, login):
    producer = people[1]
    with app.test_request_context():
        product, _design_ = _design(producer, create_product, pirt_number=None)     # PERMIT-01 blocks
    r = login(producer).post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)
    text = _flash(r.get_data(as_text=True))
    assert "Label masih punya 1 masalah yang harus diperbaiki: Nomor izin edar" in text
    assert "Perbaiki di langkah Desain" in text and "(BLOCKER)" not in text
    assert db.session.query(DesignVersion).count() == 0
    client = login(producer)
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    text = _flash(client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True).get_data(as_text=True))
    assert "The label still has 1 problem(s) that must be fixed: Permit number on the main panel: " \
           "The permit number is not on the label" in text and "Fix them in the Design step" in text


def test_approve_re_checks_the_frozen_version_and_refuses_without_an_override(app, people, create_product, login):
    trainer = people[0]
    _product, version = _submitted(app, people, create_product)
    assert not [f for f in version.findings if f["severity"] == "BLOCKER"]
    # the frozen document lost its permit number (an old or forged version): the stored findings
    # are clean, the preflight run now at approval is not
    doc = dict(version.document)
    doc["items"] = [i for i in doc["items"] if i.get("tag") != "pdp.permit"]
    version.document = doc
    db.session.commit()
    lock = version.lock_version
    client = login(trainer)
    r = client.post(f"/tinjauan/{version.id}/putuskan", data={"decision": "approve", "lock_version": lock})
    assert r.status_code == 400
    text = _flash(r.get_data(as_text=True))
    assert "masalah yang harus diperbaiki: Nomor izin edar" in text and "Produsen memperbaikinya" in text
    db.session.refresh(version)
    assert version.status == VersionStatus.SUBMITTED and version.decided_by_id is None
    assert any(f["rule_id"] == "PERMIT-01" for f in version.findings)       # fresh findings kept
    page = client.get(f"/tinjauan/{version.id}").get_data(as_text=True)
    assert 'id="approve-btn"' not in page and 'id="approve-blocked"' in page   # no override button
    r = client.post(f"/tinjauan/{version.id}/putuskan",                        # request changes still works
                    data={"decision": "changes", "lock_version": version.lock_version, "body": "Cetak nomor P-IRT."})
    assert r.status_code == 302
    db.session.refresh(version)
    assert version.status == VersionStatus.CHANGES_REQUESTED


# ------------------------------------------------------------------------------ print
def test_print_queue_holds_and_print_job_refuses_a_label_with_blockers(app, people, create_product, login):
    hub = people[2]
    product, version = _approved(app, people, create_product)
    _block(version)
    client = login(hub)
    home = _flash(client.get("/hub/").get_data(as_text=True))
    assert "Daftar bahan tidak muat di label" in home
    assert f"/hub/cetak/{version.id}" not in client.get("/hub/").get_data(as_text=True)
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id), follow_redirects=True)
    text = _flash(r.get_data(as_text=True))
    assert "Label masih punya 1 masalah yang harus diperbaiki: Daftar bahan tidak muat di label" in text
    assert db.session.query(PrintJob).count() == 0


def test_an_approved_label_is_printed_only_on_its_label_size(app, people, create_product, login):
    hub = people[2]
    _product, version = _approved(app, people, create_product)
    client = login(hub)
    form = _flash(client.get(f"/hub/cetak/{version.id}?stok=avery-l7160").get_data(as_text=True))
    assert "versi desain baru" in form and "Lembar pertama, persis" not in form
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, layout_id="avery-l7160"))
    assert r.status_code == 400
    text = _flash(r.get_data(as_text=True))
    assert "disetujui untuk ukuran 99,1 × 67,7 mm" in text and "63,5 × 38,1 mm" in text
    assert "Produsen perlu membuat versi desain baru di stok itu" in text
    assert db.session.query(PrintJob).count() == 0
    assert db.session.query(DesignVersion).count() == 1          # nothing made behind the producer's back
    # another sheet of the same 99.1 x 67.7 mm label (F4 paper, measured at the hub) prints as approved
    from studio.designs.stock import MeasuredStock, add_custom_layout

    f4 = add_custom_layout(hub, MeasuredStock(
        name="Stiker F4 99,1 x 67,7", paper_w_mm=215, paper_h_mm=330, label_w_mm=99.1, label_h_mm=67.7,
        columns=2, rows=4, left_mm=6, top_mm=20, step_x_mm=102, step_y_mm=72))
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, layout_id=f4.id))
    assert r.status_code == 302, _flash(r.get_data(as_text=True))[:400]
    job = db.session.query(PrintJob).one()
    assert job.layout_id == f4.id and not job.adapted
    page = pdfium.PdfDocument(client.get(f"/hub/pekerjaan/{job.id}/label.pdf").data)[0]
    assert round(page.get_width() * 25.4 / 72) == 215 and "Kopi Bubuk Robusta" in page.get_textpage().get_text_range()


def test_the_printed_pdf_of_the_approved_stock_carries_every_mandatory_item(app, people, create_product, login):
    hub = people[2]
    _product, version = _approved(app, people, create_product)
    client = login(hub)
    form = client.get(f"/hub/cetak/{version.id}").get_data(as_text=True)
    picture = re.search(r'id="sheet-preview" src="([^"]+)"', form).group(1).replace("&amp;", "&")
    shown_batch = dict(re.findall(r"[?&](kode|produksi|kedaluwarsa)=([^&]*)", picture))
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(   # the form's own defaults, as the picture shows
        version.id, batch_code=shown_batch["kode"], production_date=shown_batch["produksi"],
        expiry_date=shown_batch["kedaluwarsa"]))
    assert r.status_code == 302, _flash(r.get_data(as_text=True))[:400]
    job = db.session.query(PrintJob).one()
    pdf = client.get(f"/hub/pekerjaan/{job.id}/label.pdf").data
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    flat = " ".join(text.split()).lower()
    squeezed = re.sub(r"[\s\-\u00ad]", "", flat)
    for item in ("Kopi Bubuk Robusta", "100 g", "kopi robusta", "susu bubuk", "susu", "UD Pak Darto",
                 "Sumberagung", "Plandaan", "2103517010012-29", "Baik digunakan sebelum", shown_batch["kode"]):
        assert re.sub(r"[\s\-]", "", item.lower()) in squeezed, (item, flat[:600])
    assert "p-irt" in flat and ("alergen" in flat or "mengandung" in flat)
    # the job form's picture is that PDF's first page, rasterised (not another preview)
    shown = Image.open(io.BytesIO(client.get(picture).data)).convert("RGB")
    printed = pdfium.PdfDocument(pdf)[0].render(scale=100 / 72).to_pil().convert("RGB")
    assert shown.size == printed.size
    assert ImageChops.difference(shown, printed).getbbox() is None


# ------------------------------------------------------------------------------ publish
def test_publish_refuses_an_approved_label_with_blockers(client, login, ready_product):
    product = ready_product()
    version = db.session.query(DesignVersion).filter_by(product_id=product.id).one()
    _block(version)
    login(product.owner)
    r = client.post(f"/produk/{product.id}/terbit", follow_redirects=True)
    text = _flash(r.get_data(as_text=True))
    assert "Label masih punya 1 masalah yang harus diperbaiki: Daftar bahan" in text
    assert db.session.query(Listing).count() == 0


def test_halal_product_without_the_official_logo_is_not_published(client, login, ready_product):
    product = ready_product()
    for asset in db.session.query(StudioAsset).filter_by(kind=AssetKind.HALAL_LOGO):
        asset.active = False
    db.session.commit()
    login(product.owner)
    text = _flash(client.post(f"/produk/{product.id}/terbit", follow_redirects=True).get_data(as_text=True))
    assert "logo Halal Indonesia resmi belum diunggah" in text
    assert db.session.query(Listing).count() == 0


# ------------------------------------------------------------------------------ QR address
def test_a_loopback_address_stops_printing_and_publishing(app, client, login, ready_product, create_user):
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"         # the default before setup
    product = ready_product()
    version = db.session.query(DesignVersion).filter_by(product_id=product.id).one()
    login(product.owner)
    text = _flash(client.post(f"/produk/{product.id}/terbit", follow_redirects=True).get_data(as_text=True))
    assert "hanya bisa dibuka di komputer hub" in text and "set-public-url" in text
    assert db.session.query(Listing).count() == 0
    card = client.get(f"/produk/{product.id}/kartu-rak.pdf")              # the shelf card's QR too
    assert card.status_code == 409 and "set-public-url" in card.get_data(as_text=True)
    login(create_user("hub"))
    jobs_before = db.session.query(PrintJob).count()
    home = _flash(client.get("/hub/").get_data(as_text=True))
    assert "hanya bisa dibuka di komputer hub" in home
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, layout_id="avery-l7160"),
                    follow_redirects=True)
    assert "set-public-url" in _flash(r.get_data(as_text=True))
    assert db.session.query(PrintJob).count() == jobs_before


def test_print_job_re_checks_the_label_as_it_will_print(app, people, create_product, login):
    hub = people[2]
    _product, version = _approved(app, people, create_product)
    doc = dict(version.document)        # stored findings clean; the frozen document lost its permit number
    doc["items"] = [i for i in doc["items"] if i.get("tag") != "pdp.permit"]
    version.document = doc
    db.session.commit()
    r = login(hub).post(f"/hub/cetak/{version.id}", data=_job_form(version.id))
    assert r.status_code == 400
    assert "masalah yang harus diperbaiki: Nomor izin edar" in _flash(r.get_data(as_text=True))
    assert db.session.query(PrintJob).count() == 0


# ------------------------------------------------------------------------------ command line
def test_render_sheet_and_preflight_check_the_stock_actually_printed(app, people, create_product, tmp_path):
    import json

    with app.test_request_context():
        product, _design_ = _design(people[1], create_product)
    runner = app.test_cli_runner()
    own = json.loads(runner.invoke(args=["studio", "preflight", "--product", str(product.id), "--json"]).output)
    assert own["blockers"] == 0 and own["layout_id"] == STOCK
    out = runner.invoke(args=["studio", "preflight", "--product", str(product.id), "--json",
                              "--layout", "avery-l7651"])                  # 38.1 x 21.2 mm: nothing fits
    other = json.loads(out.output)
    assert other["layout_id"] == "avery-l7651" and other["blockers"] > 0
    target = tmp_path / "sheet.pdf"
    for extra in ([], ["--batch-code", "261127-01"]):                      # with and without print options
        out = runner.invoke(args=["studio", "render-sheet", "--product", str(product.id), "--layout", "avery-l7651",
                                  "--copies", "3", "--out", str(target), *extra])
        assert out.exit_code != 0 and "masalah yang harus diperbaiki" in out.output
        assert "BLOCKER" in out.output and not target.exists()             # the findings, for the operator
    out = runner.invoke(args=["studio", "render-sheet", "--product", str(product.id), "--copies", "3",
                              "--out", str(target)])
    assert out.exit_code == 0, out.output
    assert target.exists()


# ------------------------------------------------------------------------------ the gates' check, reused
def test_gates_reuse_the_check_of_identical_inputs_and_redo_it_when_anything_changes(
        app, people, create_product, login, monkeypatch):
    """Approve and print re-run the preflight of the frozen label; when exactly the same inputs were
    checked today (at sending, a batch printed before) the stored findings answer at once, with the
    same outcome. A changed frozen label is checked again and refused, cache or not."""
    from studio.designs import preflight as design_preflight

    trainer, _producer, hub = people
    _product, version = _submitted(app, people, create_product)      # sending checked this very label
    runs: list[int] = []
    real = design_preflight.findings_for

    def counted(*a, **kw):
        runs.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(design_preflight, "findings_for", counted)
    r = login(trainer).post(f"/tinjauan/{version.id}/putuskan",
                            data={"decision": "approve", "lock_version": version.lock_version})
    assert r.status_code == 302
    db.session.refresh(version)
    assert version.status == VersionStatus.APPROVED and len(runs) == 0
    client = login(hub)
    assert client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, request_key="a")).status_code == 302
    first = len(runs)
    assert first <= 1
    assert client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, request_key="b")).status_code == 302
    assert len(runs) == first and db.session.query(PrintJob).count() == 2
    doc = dict(version.document)          # the frozen document lost its permit number: checked again, refused
    doc["items"] = [i for i in doc["items"] if i.get("tag") != "pdp.permit"]
    version.document = doc
    db.session.commit()
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, request_key="c"))
    assert r.status_code == 400 and len(runs) == first + 1
    assert "masalah yang harus diperbaiki: Nomor izin edar" in _flash(r.get_data(as_text=True))
    assert db.session.query(PrintJob).count() == 2
