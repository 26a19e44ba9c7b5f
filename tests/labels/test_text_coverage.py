"""Issue 21: text no bundled font can draw never vanishes from a label silently. The check reads
the PDF back: what compose says it prints is what the PDF's text layer holds."""
from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest

from studio.labels import Box, LabelDocument, TextItem, compose, render_label_pdf
from studio.preflight import run_preflight


def _pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def _label(layouts, fonts, values, tag="pdp.name"):
    doc = LabelDocument("avery-l7160", (TextItem(Box(2, 2, 55, 14), "${name}", size_pt=9, min_size_pt=6, tag=tag),))
    return compose(doc, layouts["avery-l7160"], values, fonts)


@pytest.mark.parametrize("name,missing", [
    ("Jenang ꦗꦮ Kudus", "ꦗ ꦮ"), ("Dodol بيسميلله", "ب"), ("Kue 月饼", "月 饼"), ("Keripik 🌶 Pedas", "🌶"),
])
def test_characters_the_label_font_cannot_draw_are_a_blocking_finding(layouts, fonts, values, name, missing):
    values["name"] = name
    lab = _label(layouts, fonts, values)
    (p,) = [p for p in lab.problems if p.code == "glyph_missing"]
    assert p.severity == "error" and missing in p.message_id
    assert "tidak bisa dicetak dengan huruf label ini; tulis dengan huruf Latin" in p.message_id
    # the artefact: those characters are indeed not in the PDF
    assert missing.split()[0] not in _pdf_text(render_label_pdf(lab, layouts["avery-l7160"]))
    findings = run_preflight(lab, layouts["avery-l7160"], {}, today=date(2026, 12, 1), halal_logo_uploaded=True)
    (f,) = [f for f in findings if f.rule_id == "TEXT-01"]
    assert f.severity == "BLOCKER" and f.msg.id.startswith("Nama produk") and missing in f.msg.id


def test_an_optional_text_with_such_characters_warns_without_blocking(layouts, fonts, values):
    values["name"] = "Mbok Sri ꦱꦿꦶ"
    lab = _label(layouts, fonts, values, tag="brand")
    findings = run_preflight(lab, layouts["avery-l7160"], {}, today=date(2026, 12, 1), halal_logo_uploaded=True)
    (f,) = [f for f in findings if f.rule_id == "TEXT-01"]
    assert f.severity == "ERROR"


def test_mathematical_bold_letters_print_as_plain_letters_and_nfd_accents_compose(layouts, fonts, values):
    values["name"] = "𝐊𝐞𝐫𝐢𝐩𝐢𝐤 Cafe\u0301"
    lab = _label(layouts, fonts, values)
    assert not [p for p in lab.problems if p.code == "glyph_missing"]
    text = _pdf_text(render_label_pdf(lab, layouts["avery-l7160"]))
    assert "Keripik Café" in text


def test_ordinary_indonesian_text_has_no_finding(layouts, fonts, values):
    lab = _label(layouts, fonts, values)
    assert not [p for p in lab.problems if p.code == "glyph_missing"]
