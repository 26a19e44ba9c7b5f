"""The demo scenario, checked from the PDF itself: 5 complete food labels from slot 3 of an A4 sheet of
four 94 x 134 mm stickers (slots 1-2 already used) on a printer calibrated +0.8 mm x / -0.5 mm y.
The keripik label with ingredients, nutrition and storage does not fit a 63.5 x 38.1 mm sticker."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp

from printing_helpers import MADE, SHEET, TODAY, job_pdf_bytes, page_texts, text_runs
from studio.labels import layout_from_dict, slot_origins_mm

DPI = 300
PX_PER_MM = DPI / 25.4
COPIES, FIRST = 5, 2                                # slots 3-4 of sheet 1, then 1-3 of sheet 2
PAGES = [list(range(2, 4)), list(range(0, 3))]


@pytest.fixture
def demo_job(app, operator, make_version, printer):
    from studio.printing.geometry import Measurement
    from studio.printing.services import create_print_job, save_calibration

    version = make_version(SHEET)
    epson = printer()
    save_calibration(operator, epson.id, SHEET, Measurement(0.8, -0.5))
    job = create_print_job(operator, version.id, request_key="demo-1", layout_id=SHEET, copies=COPIES,
                           first_slot=FIRST, batch_code="261127-01", production_date=MADE, printer_id=epson.id,
                           today=TODAY)
    return version, job


def _overlay_origin_in_label(version, job):
    """Where the first batch-text glyph sits inside a label (mm), from the composed overlay."""
    from studio.labels.primitives import TextLine
    from studio.printing.render import _overlay, compose_version
    from studio.printing.pages import batch_text

    layout = layout_from_dict(job.layout_snapshot, id=job.layout_id)
    label, _ = compose_version(version, layout)
    ov = _overlay(label, version, layout, batch_text(job.batch_code, job.production_date, job.expiry_date, 120))
    first = next(p for p in ov.primitives if isinstance(p, TextLine) and p.tag == "batch")
    return first.x_mm, first.baseline_y_mm, label


def test_labels_from_slot_3_sit_in_their_slots_shifted_by_the_calibration(demo_job):
    version, job = demo_job
    assert job.status == "ready"
    assert (job.copies, job.sheets, job.first_slot) == (COPIES, 2, FIRST)
    assert job.calibration == {"offset_x_mm": 0.8, "offset_y_mm": -0.5, "scale_x": 1.0, "scale_y": 1.0}
    assert len(pdfium.PdfDocument(job_pdf_bytes(job))) == 2
    layout = layout_from_dict(job.layout_snapshot, id=job.layout_id)
    origins = slot_origins_mm(layout)
    dx, dy, _label = _overlay_origin_in_label(version, job)
    runs = text_runs(job_pdf_bytes(job), "Kode produksi: 261127-01")
    for page, slots in enumerate(PAGES):
        found = sorted(runs[page], key=lambda p: (round(p[1]), p[0]))
        assert len(found) == len(slots), f"page {page + 1}"
        for (x, y), i in zip(found, slots):
            ex, ey = origins[i][0] + 0.8 + dx, origins[i][1] - 0.5 + dy
            assert abs(x - ex) <= 0.1 and abs(y - ey) <= 0.1, (page, i + 1, (x, y), (ex, ey))
    # the batch code and the expiry are printed on each label
    assert job.expiry_date.isoformat() == "2027-03-27"          # 27-11-2026 + 120 days
    texts = [" ".join(t.split()) for t in page_texts(job_pdf_bytes(job))]
    for text, n in zip(texts, [len(p) for p in PAGES]):
        assert text.count("Kode produksi: 261127-01") == n
        assert text.count("Baik digunakan sebelum 27-03-2027") == n
        assert text.count("Tgl. produksi: 27-11-2026") == n
    # one best-before wording: the line that pointed to the stamping box now carries the date, and
    # the box holds the production code and date (the date is not printed under "…: lihat kotak")
    if "expiry_box" in _label.regions and "pdp.expiry" in _label.regions:
        line = _label.regions["pdp.expiry"].box_mm
        stamp = _label.regions["expiry_box"].box_mm
        for page, slots in enumerate(PAGES):
            found = sorted(text_runs(job_pdf_bytes(job), "Baik digunakan sebelum 27-03-2027")[page],
                           key=lambda p: (round(p[1]), p[0]))
            for (x, y), i in zip(found, slots):
                ly = y - origins[i][1] + 0.5
                assert line[1] - 0.2 <= ly <= line[1] + line[3] + 0.2, (page, i, ly, line)
                assert not (stamp[1] <= ly <= stamp[1] + stamp[3]), (page, i, ly, stamp)


def _page_image(pdf: bytes, page: int):
    doc = pdfium.PdfDocument(pdf)
    return doc[page].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")


def _crop(im, x_mm, y_mm, w_mm, h_mm, pad_mm=0.0):
    return im.crop((round((x_mm - pad_mm) * PX_PER_MM), round((y_mm - pad_mm) * PX_PER_MM),
                    round((x_mm + w_mm + pad_mm) * PX_PER_MM), round((y_mm + h_mm + pad_mm) * PX_PER_MM)))


def test_raster_used_slots_are_empty_and_each_printed_label_has_its_qr(app, demo_job):
    version, job = demo_job
    layout = layout_from_dict(job.layout_snapshot, id=job.layout_id)
    origins = slot_origins_mm(layout)
    _dx, _dy, label = _overlay_origin_in_label(version, job)
    qx, qy, qw, qh = label.regions["qr"].box_mm
    from studio.products.models import Product
    from studio.extensions import db

    product = db.session.get(Product, version.product_id)
    url = f"{app.config['PUBLIC_BASE_URL']}/p/{product.public_code}"
    pdf = job_pdf_bytes(job)
    page1 = _page_image(pdf, 0)
    w, h = layout.label_w_mm, layout.label_h_mm
    for i in range(FIRST):                          # used slots: nothing printed at all
        x, y = origins[i]
        assert _crop(page1, x + 0.8, y - 0.5, w, h).getextrema()[0] > 250, f"slot {i + 1} is not empty"
    decoded = 0
    for page, slots in enumerate(PAGES):
        im = page1 if page == 0 else _page_image(pdf, 1)
        for i in slots:
            x, y = origins[i]
            # the QR code where the calibrated slot puts it (a 0.5 mm window around the symbol)
            crop = _crop(im, x + 0.8 + qx, y - 0.5 + qy, qw, qh, pad_mm=0.5)
            res = zxingcpp.read_barcodes(crop)
            assert res and res[0].text == url
            tl = res[0].position.top_left
            quiet = 4 * label.regions["qr"].module_mm
            # symbol corner = crop origin + pad + quiet zone: within 2 px (0.17 mm at 300 dpi)
            assert abs(tl.x / PX_PER_MM - (0.5 + quiet)) < 0.2 and abs(tl.y / PX_PER_MM - (0.5 + quiet)) < 0.2
            decoded += 1
    assert decoded == COPIES
    page2 = _page_image(pdf, 1)
    for i in range(len(PAGES[1]), len(origins)):    # the rest of sheet 2 stays empty
        x, y = origins[i]
        assert _crop(page2, x + 0.8, y - 0.5, w, h).getextrema()[0] > 250, f"sheet 2 slot {i + 1} is not empty"
