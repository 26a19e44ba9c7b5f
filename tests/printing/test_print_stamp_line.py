"""The hub's PDF holds only what it shows: the best-before line that points at the stamping box
("…: lihat kotak di bawah") is left out of a job whose batch overlay prints the date in its place,
not hidden under an opaque patch (a PDF reader, a print shop's preflight or a copy-paste still read
covered text, and a patch shows on any background it does not match)."""
from __future__ import annotations

from printing_helpers import MADE, SHEET, TODAY, job_pdf_bytes, page_texts
from tests.labels.labels_pdfglyphs import glyphs, hidden_glyphs, overlaps


def test_a_stamped_job_prints_no_text_under_the_stamp_and_no_hidden_line(operator, make_version, printer):
    from studio.printing.services import create_print_job

    version = make_version(SHEET)
    job = create_print_job(operator, version.id, request_key="stamp-1", layout_id=SHEET, copies=4,
                           first_slot=0, batch_code="261127-01", production_date=MADE,
                           printer_id=printer().id, today=TODAY)
    pdf = job_pdf_bytes(job)
    text = " ".join(page_texts(pdf)[0].split())
    assert text.count("Baik digunakan sebelum 27-03-2027") == 4
    assert text.count("Kode produksi: 261127-01") == 4
    assert "lihat kotak" not in text and "lihat kemasan" not in text
    assert not overlaps(glyphs(pdf))
    assert not hidden_glyphs(pdf, dpi=200)
