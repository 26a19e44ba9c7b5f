"""Kill the worker in the middle of a photo job and of a print job: after a restart the job
finishes, exactly once in effect, and no output file is ever half-written under its real name."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from studio import jobs
from studio.extensions import db
from studio.media import media

CRAFT = {"product_class": "kerajinan", "name": "Tas Anyaman Pandan", "brand": "Mbok Sri", "category": "kerajinan",
         "net_quantity": "200 g", "price_idr": "Rp45.000"}


def _real_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")]


def test_worker_killed_while_writing_a_photo_job_output(app, create_user, create_product, scaled, wait_for):
    from studio.imaging.synthetic import jpeg_bytes, make_photo
    from studio.products.models import Photo
    from studio.products.photos import add_photo

    crashing = scaled(crash_key_re=r"/cutout\.png$")
    owner = create_user("producer")
    product = create_product(owner, "Kopi Bubuk")
    with app.test_request_context():
        photo = add_photo(owner, product.id, jpeg_bytes(make_photo(3, size=(1600, 1200), product="pouch").image),
                          "kopi.jpg")
    assert crashing.wait_exit() == 137  # died half-way through writing cutout.png
    job = db.session.get(jobs.Job, photo.job_id)
    db.session.refresh(job)
    assert job.status == "running" and job.attempts == 1
    store_root = media().root
    half = list(store_root.rglob(".tmp-crash-*"))
    assert half and not any(p.name == "cutout.png" for p in _real_files(store_root))

    scaled()  # the hub restarts the worker: it takes over the job once its lease has run out
    done = wait_for(lambda: db.session.get(jobs.Job, photo.job_id).status == "done", timeout_s=90)
    assert done
    job = db.session.get(jobs.Job, photo.job_id)
    photo = db.session.get(Photo, photo.id)
    assert job.attempts == 2 and photo.status == "ready"
    for key in (photo.catalogue_key, photo.cutout_key, photo.mask_key, *photo.thumb_keys.values()):
        with Image.open(media().path(key)) as im:
            im.load()  # complete, decodable files under every real key
    with Image.open(media().path(photo.cutout_key)) as cut:
        assert cut.mode == "RGBA"


def test_worker_killed_while_writing_a_print_pdf(app, create_user, create_product, scaled, wait_for):
    from studio.designs.models import DesignVersion
    from studio.designs.services import start_design
    from studio.printing.models import PrintJob
    from studio.printing.services import create_print_job
    from studio.products.data import save_product_data

    crashing = scaled(crash_key_re=r"\.pdf$")
    owner, operator = create_user("producer", business_name="UD Mbok Sri"), create_user("hub")
    with app.test_request_context():
        # a craft: its whole label fits the 63.5 x 38.1 mm sheet (a complete food label does not, and
        # the hub refuses to print a label that cuts mandatory text); this test is about the worker
        product = create_product(owner, CRAFT["name"])
        save_product_data(owner, product.id, dict(CRAFT))
        design = start_design(owner, product.id, "avery-l7160", "bersih")
        version = DesignVersion(design_id=design.id, product_id=product.id, number=1, layout_id=design.layout_id,
                                layout_snapshot=design.layout_snapshot, style_id=design.style_id,
                                options=design.options, document=design.document,
                                product_revision_id=design.product_revision_id, findings=[], status="approved")
        db.session.add(version)
        db.session.commit()
        pj = create_print_job(operator, version.id, request_key="fault-1", layout_id="avery-l7160", copies=42,
                              batch_code="261127-01", production_date=date(2026, 11, 27), today=date(2026, 11, 28))
    assert crashing.wait_exit() == 137
    pj = db.session.get(PrintJob, pj.id)
    assert pj.pdf_key is None and not any(p.suffix == ".pdf" for p in _real_files(media().root))

    scaled()
    assert wait_for(lambda: db.session.get(PrintJob, pj.id).status == "ready", timeout_s=90)
    pj = db.session.get(PrintJob, pj.id)
    job = db.session.get(jobs.Job, pj.job_id)
    assert job.attempts == 2
    pdf = pdfium.PdfDocument(media().read(pj.pdf_key))
    assert len(pdf) == 2  # 42 labels on L7160 = two full sheets, the whole file
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 1
