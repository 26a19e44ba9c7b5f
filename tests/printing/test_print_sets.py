"""A sheet of label sets: the front and back stickers of one set sit in consecutive slots (front,
back, front, back… row by row), and the start slot, the count, the calibration and the batch code
work in sets: 5 sets are 10 stickers. Positions are read back from the job's PDF text."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from printing_helpers import MADE, PRODUCT, TODAY, job_pdf_bytes, page_texts, text_runs
from studio.extensions import db
from studio.labels import layout_from_dict, slot_origins_mm

STOCK = "avery-l7160"           # A4, 3 x 7 stickers of 63.5 x 38.1 mm: 10 sets a sheet, the 21st slot stays empty
FRONT, BACK, BATCH = "Berat Bersih 250 g", "Komposisi", "261127-01"


@pytest.fixture
def set_version(make_version):
    version = make_version(STOCK, label_set="front_back")
    assert version.design.blocker_count == 0, version.findings
    return version


def _slot_of(layout, origins, point, dx=0.0, dy=0.0) -> int:
    x, y = point
    for i, (ox, oy) in enumerate(origins):
        if ox + dx <= x <= ox + dx + layout.label_w_mm and oy + dy <= y <= oy + dy + layout.label_h_mm:
            return i
    raise AssertionError(f"{point} is in no slot")


def _slots(pdf: bytes, needle: str, layout, dx=0.0, dy=0.0) -> list[list[int]]:
    origins = slot_origins_mm(layout)
    return [sorted(_slot_of(layout, origins, p, dx, dy) for p in page) for page in text_runs(pdf, needle)]


def test_five_sets_from_set_2_print_ten_stickers_in_pairs_shifted_by_the_calibration(operator, set_version,
                                                                                     printer):
    from studio.printing.geometry import Measurement
    from studio.printing.services import create_print_job, save_calibration

    epson = printer()
    save_calibration(operator, epson.id, STOCK, Measurement(0.8, -0.5))
    job = create_print_job(operator, set_version.id, request_key="sets-1", layout_id=STOCK, copies=5, first_slot=1,
                           batch_code="261127-01", production_date=MADE, printer_id=epson.id, today=TODAY)
    assert job.status == "ready" and (job.copies, job.sheets, job.first_slot) == (5, 1, 1)
    pdf = job_pdf_bytes(job)
    layout = layout_from_dict(job.layout_snapshot, id=job.layout_id)
    assert len(pdfium.PdfDocument(pdf)) == 1
    # set n (1-based) of the sheet: front in slot 2n-1, back in slot 2n (0-based: 2(n-1), 2(n-1)+1);
    # the job starts at set 2, so slots 0-1 stay empty and sets 2-6 fill slots 2-11
    assert _slots(pdf, FRONT, layout, 0.8, -0.5) == [[2, 4, 6, 8, 10]]
    assert _slots(pdf, BACK, layout, 0.8, -0.5) == [[3, 5, 7, 9, 11]]
    assert _slots(pdf, BATCH, layout, 0.8, -0.5) == [[3, 5, 7, 9, 11]]      # in the back's stamping box
    # the calibration moved every sticker: the front's net quantity sits where it does in slot 2 + offset
    origins = slot_origins_mm(layout)
    fronts = sorted(text_runs(pdf, FRONT)[0], key=lambda p: (round(p[1]), p[0]))
    inside = [(x - origins[s][0], y - origins[s][1]) for (x, y), s in zip(fronts, [2, 4, 6, 8, 10])]
    assert all(abs(a[0] - inside[0][0]) < 0.05 and abs(a[1] - inside[0][1]) < 0.05 for a in inside)
    text = " ".join(page_texts(pdf)[0].split())
    assert text.count("Kode produksi: 261127-01") == 5 and text.count("Informasi Nilai Gizi") == 5
    assert text.count("Baik digunakan sebelum 27-03-2027") == 5 and text.count("Tgl. produksi: 27-11-2026") == 5


def test_sets_run_onto_the_next_sheet_whole_and_sheets_count_sets(operator, set_version, no_render):
    from studio.printing.render import render_job_pdf
    from studio.printing.services import create_print_job

    job = create_print_job(operator, set_version.id, request_key="sets-2", layout_id=STOCK, copies=5, first_slot=8,
                           batch_code="261127-01", production_date=MADE, today=TODAY)
    assert (job.copies, job.sheets) == (5, 2)
    pdf = render_job_pdf(job)
    layout = layout_from_dict(job.layout_snapshot, id=job.layout_id)
    # sets 9-10 in slots 16-19 of sheet 1 (slot 20, the 21st, stays empty: a set never straddles sheets),
    # then sets 1-3 in slots 0-5 of sheet 2
    assert _slots(pdf, FRONT, layout) == [[16, 18], [0, 2, 4]]
    assert _slots(pdf, BACK, layout) == [[17, 19], [1, 3, 5]]
    whole = create_print_job(operator, set_version.id, request_key="sets-3", layout_id=STOCK, sheets=1,
                             first_slot=0, batch_code="261127-01", production_date=MADE, today=TODAY)
    assert (whole.copies, whole.sheets) == (10, 1)                  # a whole sheet is 10 sets (20 stickers)


def test_a_start_set_beyond_the_sheet_is_refused_with_the_sets_per_sheet(operator, set_version, no_render):
    from studio.errors import Invalid
    from studio.printing.services import create_print_job

    with pytest.raises(Invalid) as e:
        create_print_job(operator, set_version.id, request_key="sets-4", layout_id=STOCK, copies=1, first_slot=10,
                         batch_code="261127-01", production_date=MADE, today=TODAY)
    assert e.value.field == "first_slot" and "10" in e.value.message


def test_the_job_form_counts_sets_as_the_job_does(app, client, login, operator, set_version):
    """The hub operator's form for a front + back set speaks in sets: the sheet picture numbers each
    sticker with its set (front and back share the number), the slot no whole set can use is not a
    choice, the summary says sets and stickers, and the last set of the sheet is a start the job takes."""
    import re

    from studio.printing.models import PrintJob

    login(operator)
    html = client.get(f"/hub/cetak/{set_version.id}?mulai=3").get_data(as_text=True)
    assert "Mulai di set nomor" in html and 'data-per-page="10"' in html
    numbers = [int(n) for n in re.findall(r'<a class="slot [a-z ]+" data-slot="(\d+)"', html)]
    assert numbers == [n for n in range(1, 11) for _ in (0, 1)]                # 20 stickers, 10 sets
    assert html.count('<g class="spare">') == 1                                # the 21st slot
    used = re.findall(r'<a class="slot used" data-slot="(\d+)"', html)
    assert used == ["1", "1", "2", "2"]                                        # sets 1-2 skipped: 4 stickers
    summary = " ".join(re.sub(r"<[^>]+>", " ", html.split('class="summary"', 1)[1].split("</p>", 1)[0]).split())
    assert "Mulai di set 3" in summary and "Set 1 sampai 2 dilewati." in summary
    assert "2 stiker per set" in summary and "lembar" in summary
    field = re.search(r'<input[^>]*name="quantity"[^>]*>', html).group(0)
    assert 'value="8"' in field                     # the rest of the sheet: sets 3-10 (was 21 on any stock)
    fresh = client.get(f"/hub/cetak/{set_version.id}").get_data(as_text=True)
    assert 'value="10"' in re.search(r'<input[^>]*name="quantity"[^>]*>', fresh).group(0)   # one full sheet
    data = {"request_key": "set-form-1", "layout_id": STOCK, "start_slot": "10", "qty_mode": "labels", "quantity": "1",
            "batch_code": BATCH, "production_date": "2026-11-27", "expiry_date": "", "printer_id": "0"}
    r = client.post(f"/hub/cetak/{set_version.id}", data=data)
    assert r.status_code == 302
    job = db.session.scalar(db.select(PrintJob).where(PrintJob.design_version_id == set_version.id))
    assert (job.first_slot, job.copies, job.sheets) == (9, 1, 1)
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/hub/pekerjaan/{job.id}").get_data(as_text=True)).split())
    assert "Mulai di set 10 (set 1 sampai 9 dilewati)" in page and "lembar 1: set 10–10" in page
    r = client.post(f"/hub/cetak/{set_version.id}", data={**data, "request_key": "set-form-2", "start_slot": "11"})
    assert r.status_code == 400 and "Mulai di set nomor" in r.get_data(as_text=True)
