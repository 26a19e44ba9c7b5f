"""What prints is what the trainer approved, pictures included: a producer who changes the label's
photo after approval does not change the hub's print (the new photo goes through review first)."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from studio.extensions import db

from printing_helpers import MADE, PRODUCT, SHEET, TODAY, job_pdf_bytes

RED, BLUE = (200, 40, 40), (40, 60, 200)


def _photo(product, colour) -> int:
    from studio.media import media
    from studio.products.models import Photo

    buf = io.BytesIO()
    Image.new("RGB", (900, 900), colour).save(buf, "JPEG", quality=90)
    key = media().put_content("derived", buf.getvalue(), "jpg")
    photo = Photo(product_id=product.id, original_key=key, status="ready", catalogue_key=key, thumb_keys={})
    db.session.add(photo)
    db.session.flush()
    product.primary_photo_id = photo.id
    db.session.commit()
    return photo.id


def _picture_colours(pdf: bytes) -> set[str]:
    """The colour ("red"/"blue") of every large placed picture in the PDF, read back from its pixels."""
    out = set()
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            img = obj.get_bitmap(render=False).to_pil().convert("RGB")
            if min(img.size) < 40:
                continue
            r, _g, b = img.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
            out.add("red" if r > b + 60 else "blue" if b > r + 60 else "other")
    doc.close()
    return out


import pytest



def test_a_photo_changed_after_approval_does_not_reach_the_print(app, producer, operator, create_user,
                                                                 create_product):
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer
    from studio.designs.services import start_design
    from studio.media import media
    from studio.printing.services import create_print_job
    from studio.products.data import save_product_data
    from studio.review import services as review

    trainer = create_user("trainer")
    enrol_producer(None, create_cohort(trainer, CohortData(name="Kelas")).id, producer.id)
    product = create_product(producer, PRODUCT["name"])
    save_product_data(producer, product.id, dict(PRODUCT))
    _photo(product, RED)
    design = start_design(producer, product.id, SHEET, "bersih")
    version = review.submit_for_review(producer, design.id)
    # approving finds the findings the submission checked on the same frozen pictures (no compose)
    from studio.designs import preflight as design_preflight

    real = design_preflight.prepare.compose_render
    design_preflight.prepare.compose_render = lambda *a, **k: (_ for _ in ()).throw(AssertionError("composed"))
    try:
        review.approve(trainer, version.id, version.lock_version)
    finally:
        design_preflight.prepare.compose_render = real
    approved = media().read(version.pdf_key)
    assert "red" in _picture_colours(approved)

    _photo(product, BLUE)                     # the producer picks another main photo after approval
    job = create_print_job(operator, version.id, request_key="k1", copies=1, batch_code="261127-01",
                           production_date=MADE, today=TODAY)
    db.session.refresh(job)
    printed = _picture_colours(job_pdf_bytes(job))
    assert printed == _picture_colours(approved) and "blue" not in printed, printed

    # ... and the new photo is a change she can send for review
    assert review.working_copy_changed(design, version)
    v2 = review.submit_for_review(producer, design.id)
    assert "blue" in _picture_colours(media().read(v2.pdf_key))


def test_a_lost_job_pdf_is_not_rendered_again_with_a_local_qr_address(app, client, login, operator, make_version):
    """A job whose file was lost is rendered again from its snapshots, with today's QR address:
    while that address is 127.0.0.1 the download is refused with the reason (no PDF)."""
    from studio.media import media
    from studio.printing.services import create_print_job

    version = make_version()
    job = create_print_job(operator, version.id, request_key="k9", copies=1, batch_code="261127-01",
                           production_date=MADE, today=TODAY)
    db.session.refresh(job)
    media().path(job.pdf_key).unlink()
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    login(operator)
    r = client.get(f"/hub/pekerjaan/{job.id}/label.pdf")
    assert r.status_code != 200 or r.mimetype != "application/pdf"
    with client.session_transaction() as s:
        assert "127.0.0.1" in str(s.get("_flashes")), s.get("_flashes")
