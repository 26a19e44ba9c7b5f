"""Thermal output snapped to printer dots, ZPL, calibration (math, page, form) and the CLI."""
from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from printing_helpers import CRAFT, MADE, SHEET, TODAY, job_pdf_bytes, page_texts, text_runs
from studio.extensions import db

PT_PER_MM = 72 / 25.4


def _url(app, version):
    from studio.products.models import Product

    return f"{app.config['PUBLIC_BASE_URL']}/p/{db.session.get(Product, version.product_id).public_code}"



def test_thermal_203_dpi_qr_modules_are_whole_printer_dots(app, operator, make_version, printer):
    from studio.labels.codes import qr_matrix
    from studio.printing.render import render_job_zpl
    from studio.printing.services import create_print_job

    # the complete food label on a 100 x 150 mm roll, where it fits: nothing blocks (the hub re-checks
    # the label before printing it; on 50 x 30 mm even a craft loses its producer address)
    version = make_version("thermal-100x150")
    zebra = printer("Zebra GK420d", "thermal", 203)
    job = create_print_job(operator, version.id, request_key="t1", layout_id="thermal-100x150", copies=3,
                           batch_code="261127-01", production_date=MADE, printer_id=zebra.id, today=TODAY)
    pdf = job_pdf_bytes(job)
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == 3
    page = doc[0]
    assert round(page.get_width() / PT_PER_MM, 2) == 100 and round(page.get_height() / PT_PER_MM, 2) == 150
    url = _url(app, version)
    n = len(qr_matrix(url, "M"))
    dot_mm = 25.4 / 203
    squares = []
    for obj in page.get_objects(max_depth=4):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = obj.get_bounds()
            w, h = (right - left) / PT_PER_MM, (top - bottom) / PT_PER_MM
            if abs(w - h) < 0.01 and 8 <= w <= 30:
                squares.append((w, left / PT_PER_MM))
    # the symbol spans a whole number of dots that n modules share evenly (PDF coordinates carry
    # ~0.01 pt of rounding, so compare in dots, not in fractions of a module)
    qr = [(w, x) for w, x in squares
          if abs(w / dot_mm - round(w / dot_mm)) < 0.1 and round(w / dot_mm) % n == 0]
    assert qr, f"no QR symbol whose module is a whole number of dots among {squares}"
    module_dots = round(qr[0][0] / dot_mm) / n
    assert round(module_dots) >= 2
    assert abs(qr[0][1] / dot_mm - round(qr[0][1] / dot_mm)) < 1e-2      # symbol starts on a dot
    im = page.render(scale=203 / 72, grayscale=True).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(im)] == [url]
    assert "Kode produksi: 261127-01" in " ".join(page_texts(pdf)[0].split())
    zpl = render_job_zpl(job)
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert "^PW799" in zpl and "^LL1199" in zpl and "^PQ3" in zpl and "^GFA," in zpl
    assert "^FDKode produksi: 261127-01" in zpl.replace("\n", "")


def test_thermal_printer_refuses_sheet_stock(operator, make_version, printer, no_render):
    from studio.errors import Invalid
    from studio.printing.services import create_print_job

    version = make_version()
    zebra = printer("Zebra", "thermal", 203)
    with pytest.raises(Invalid) as e:
        create_print_job(operator, version.id, request_key="x", copies=3, batch_code="A1", production_date=MADE,
                         printer_id=zebra.id, today=TODAY)
    assert e.value.field == "layout_id"


def test_calibration_from_what_the_operator_read():
    from studio.labels.layouts import load_layouts
    from studio.printing.geometry import Measurement, calibration_from_measurement
    from studio import config

    layout = load_layouts(config.ROOT / "label_layouts")["avery-l7160"]
    # the cut edge sits at +0.8 on ruler A and -0.5 on ruler B: move the print by exactly that
    c = calibration_from_measurement(layout, Measurement(0.8, -0.5))
    assert (c.offset_x_mm, c.offset_y_mm, c.scale_x, c.scale_y) == (0.8, -0.5, 1.0, 1.0)
    # measured again on a page printed WITH that correction: the residual is added
    c2 = calibration_from_measurement(layout, Measurement(0.2, 0.1), printed_with=c)
    assert (c2.offset_x_mm, c2.offset_y_mm) == pytest.approx((1.0, -0.4))
    # the printer stretches 0.5 %: the crosses 1 and C print 132.08 * 1.005 mm apart
    c3 = calibration_from_measurement(layout, Measurement(0.0, 0.0, span_x_mm=132.08 * 1.005))
    assert c3.scale_x == pytest.approx(1 / 1.005, abs=1e-5)
    printed = lambda q: 1.005 * (c3.scale_x * q + c3.offset_x_mm) + (layout.left_mm - 1.005 * layout.left_mm)
    for x in (layout.left_mm, layout.left_mm + 2 * layout.step_x_mm):      # both marks land where they belong
        assert printed(x) == pytest.approx(x, abs=0.01)
    with pytest.raises(ValueError):
        calibration_from_measurement(layout, Measurement(6.0, 0.0))


def test_calibration_page_puts_the_marks_where_the_correction_says(operator, printer):
    from studio.printing.services import calibration_page, save_calibration
    from studio.printing.geometry import Measurement

    epson = printer()
    raw = calibration_page(operator, epson.id, "avery-l7160")
    assert "TANPA koreksi" in page_texts(raw)[0]
    save_calibration(operator, epson.id, "avery-l7160", Measurement(0.8, -0.5))
    fixed = calibration_page(operator, epson.id, "avery-l7160", corrected=True)
    assert "DENGAN koreksi" in page_texts(fixed)[0]
    a = text_runs(raw, "21")[0][0]
    b = text_runs(fixed, "21")[0][0]
    assert (b[0] - a[0], b[1] - a[1]) == (pytest.approx(0.8, abs=0.01), pytest.approx(-0.5, abs=0.01))


def test_the_calibration_form_corrects_every_later_job(app, client, login, operator, make_version, printer):
    from studio.printing.models import PrintJob

    version = make_version("avery-l7160", data=CRAFT)
    epson = printer()
    login(operator)

    def post_job(key):
        r = client.post(f"/hub/cetak/{version.id}", data={
            "request_key": key, "layout_id": "avery-l7160", "start_slot": "1", "qty_mode": "labels",
            "quantity": "3", "batch_code": "261127-01", "production_date": MADE.isoformat(),
            "expiry_date": "", "printer_id": str(epson.id)})
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
        return db.session.scalar(db.select(PrintJob).where(PrintJob.request_key == key))

    before = post_job("before")
    r = client.post(f"/hub/printer/{epson.id}/kalibrasi/avery-l7160",
                    data={"printed_with": "raw", "x_mm": "0,8", "y_mm": "-0,5", "span_x_mm": "", "span_y_mm": ""})
    assert r.status_code == 302
    after = post_job("after")
    assert before.calibration["offset_x_mm"] == 0.0
    assert (after.calibration["offset_x_mm"], after.calibration["offset_y_mm"]) == (0.8, -0.5)
    p0 = text_runs(job_pdf_bytes(before), "Kode produksi")[0][0]
    p1 = text_runs(job_pdf_bytes(after), "Kode produksi")[0][0]
    assert (p1[0] - p0[0], p1[1] - p0[1]) == (pytest.approx(0.8, abs=0.01), pytest.approx(-0.5, abs=0.01))
    bad = client.post(f"/hub/printer/{epson.id}/kalibrasi/avery-l7160",
                      data={"printed_with": "raw", "x_mm": "9", "y_mm": "abc"})
    assert bad.status_code == 400


def test_render_sheet_cli_takes_batch_expiry_and_printer(app, operator, make_version, printer, tmp_path):
    from studio.printing.geometry import Measurement
    from studio.printing.services import save_calibration

    version = make_version()
    epson = printer("Epson")
    save_calibration(operator, epson.id, SHEET, Measurement(0.8, -0.5))
    out = tmp_path / "s.pdf"
    runner = app.test_cli_runner()
    base = ["studio", "render-sheet", "--product", str(version.product_id), "--copies", "3", "--out", str(out)]
    r = runner.invoke(args=base + ["--batch-code", "261127-01", "--production-date", "27-11-2026",
                                   "--expiry", "01-03-2027", "--printer", "Epson"])
    assert r.exit_code == 0, r.output
    text = " ".join(page_texts(out.read_bytes())[0].split())
    assert text.count("Kode produksi: 261127-01") == 3 and "Baik digunakan sebelum 01-03-2027" in text
    r = runner.invoke(args=base + ["--batch-code", "261127-01", "--production-date", "27-11-2026",
                                   "--expiry", "01-06-2027"])
    assert r.exit_code != 0 and "120" in r.output
    r = runner.invoke(args=base)                                    # no print options: as before
    assert r.exit_code == 0 and "Kode produksi" not in page_texts(out.read_bytes())[0]


def test_a_label_set_on_a_roll_prints_front_back_front_back_from_two_stored_pictures():
    """ZPL of a front + back set on a 50 x 30 mm roll: each sticker's 1-bit picture is sent once
    (~DG) and recalled per label, in the order the pack needs them; the pictures are deleted after."""
    import re

    from PIL import Image, ImageDraw

    from studio.printing.pages import render_zpl_set

    front, back = Image.new("L", (400, 240), 255), Image.new("L", (400, 240), 255)
    ImageDraw.Draw(front).rectangle((10, 10, 100, 100), fill=0)
    ImageDraw.Draw(back).rectangle((300, 140, 390, 230), fill=0)
    zpl = render_zpl_set([front, back], [None, None], dpi=203, copies=3, width_mm=50, height_mm=30)
    stored = re.findall(r"~DG(R:\w+\.GRF),(\d+),(\d+),([0-9A-F]+)", zpl)
    assert len(stored) == 2 and stored[0][0] != stored[1][0]
    assert all(int(total) == 50 * 240 and int(row) == 50 and len(data) == 2 * int(total)
               for _n, total, row, data in stored)
    assert stored[0][3] != stored[1][3]
    recalled = re.findall(r"\^XA\^CI28\^PW400\^LL240\^LH0,0\^FO0,0\^XG(R:\w+\.GRF),1,1\^FS\^PQ1\^XZ", zpl)
    assert recalled == [stored[0][0], stored[1][0]] * 3
    assert zpl.rstrip().endswith(f"^ID{stored[0][0]}^FS^ID{stored[1][0]}^FS^XZ")
