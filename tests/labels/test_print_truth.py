"""Print truth, read back from the PDF: no text over text, no text outside the safe area, and
whatever does not fit is reported, never drawn over its neighbour. "Text over text" is judged both
on the ink (tight glyph boxes) and on the character boxes PDF readers such as pdfplumber use (one
em tall from the font's descent), so a reviewer's standard tool finds no stacked lines either.

Every style × every stock is rendered with a deterministic sample of generated products (tuning
and held-out sets, each product several times); the full cross product runs in bench/overlap.py.
"""
from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from PIL import Image

from labels_pdfglyphs import em_overlaps, em_words, glyphs, outside_safe, overlaps
from labels_productgen import heldout_set, tuning_set
from studio.labels import (STYLES, Box, DesignOptions, LabelDocument, TextItem, compose, make_document,
                           render_label_pdf)
from studio.labels.fields import plain_text, substitute

PRODUCTS = tuning_set() + heldout_set()
PER_PAIR = 3


def _photo() -> Image.Image:
    buf = io.BytesIO()
    Image.linear_gradient("L").resize((300, 240)).convert("RGB").save(buf, "JPEG")
    return Image.open(io.BytesIO(buf.getvalue()))


def _pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        tp = doc[0].get_textpage()
        return tp.get_text_range()
    finally:
        doc.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cases(layouts):
    out = []
    for si, stock in enumerate(sorted(layouts)):
        for ti, style in enumerate(STYLES):
            for j in range(PER_PAIR):
                out.append((stock, style, (si * 7 + ti * 3 + j * 17) % len(PRODUCTS)))
    return out


def test_every_style_on_every_stock_prints_no_text_over_text_and_nothing_outside_the_safe_area(
        layouts, fonts):
    images = {"photo": _photo(), "logo": _photo()}
    failures, seen = [], set()
    for stock, style, pi in _cases(layouts):
        seen.add(pi)
        lay = layouts[stock]
        values, opts = PRODUCTS[pi]
        doc = make_document(style, lay, opts)
        label = compose(doc, lay, values, fonts, images)
        pdf = render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
        gs = glyphs(pdf)
        assert gs, (stock, style, pi)
        ov = overlaps(gs)
        out = outside_safe(gs, lay.label_w_mm, lay.label_h_mm, lay.safe_margin_mm, lay.shape)
        if ov or out:
            failures.append((stock, style, pi, [(a.char, b.char, dx, dy) for a, b, dx, dy in ov[:3]],
                             [(g.char, round(g.x0, 2), round(g.y0, 2)) for g in out[:3]]))
            continue
        # nor for a PDF reader's character boxes (one em tall, from the font's descent): what
        # pdfminer/pdfplumber-based checkers call text over text is a too-tight stack of lines
        em = em_overlaps(em_words(pdf))
        if em:
            failures.append((stock, style, pi, "em boxes of different lines overlap",
                             [(a.text, b.text, dx, dy) for a, b, dx, dy in em[:3]]))
            continue
        # the painter is honest: every glyph lies inside the box compose reports for an item
        boxes = [r.box_mm for r in label.regions.values() if r.kind in ("text", "ean")]
        stray = [g for g in gs if not any(x - 0.05 <= g.x0 and g.x1 <= x + w + 0.05 and y - 0.05 <= g.y0
                                          and g.y1 <= y + h + 0.05 for x, y, w, h in boxes)]
        if stray:
            failures.append((stock, style, pi, "glyph outside every item box", stray[0]))
            continue
        # what the PDF does not show in full is reported as an overflow of that very item
        printed = _squash(_pdf_text(pdf))
        overflowed = {p.tag for p in label.problems if p.code == "text_overflow"}
        for it in doc.items:
            if not isinstance(it, TextItem) or it.tag in overflowed:
                continue
            if it.when and not str(values.get(it.when) or "").strip():
                continue            # a conditional text (the pork warning) of a product without it
            want = plain_text(substitute(it.text, values)[0])
            want = _squash(want.upper() if it.uppercase else want)
            if want and want not in printed:
                failures.append((stock, style, pi, "not printed, not reported", it.tag))
    assert not failures, failures[:10]
    assert len(seen) >= 30          # the sample covers (nearly) every generated product


@pytest.mark.parametrize("stock, style, index", [
    ("avery-l7160", "alami", 33),           # brand right above a two-line product name
    ("round-60mm-a4", "bersih", 36),        # producer right above the name on a round label
    ("thermal-100x150", "alami", 34),       # variant above the net quantity
])
def test_lines_stacked_tight_keep_their_em_boxes_apart(layouts, fonts, stock, style, index):
    lay = layouts[stock]
    values, opts = PRODUCTS[index]
    label = compose(make_document(style, lay, opts), lay, values, fonts, {"photo": _photo(), "logo": _photo()})
    pdf = render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
    words = em_words(pdf)
    assert len(words) > 10 and not em_overlaps(words)


def test_a_line_height_below_one_em_still_keeps_lines_apart(layouts, fonts, sample_values):
    lay = layouts["avery-l7165"]
    text = "Gula aren cair asli dari Desa Sumberagung, dimasak dengan kayu bakar tanpa pengawet"
    doc = LabelDocument(lay.id, (TextItem(Box(4, 4, 40, 30), text, size_pt=9, min_size_pt=6, line_height=0.8,
                                          tag="ingredients"),))
    pdf = render_label_pdf(compose(doc, lay, sample_values, fonts), lay, bleed_mm=0, crop_marks=False)
    words = em_words(pdf)
    assert len({round(w.baseline, 1) for w in words}) >= 3 and not em_overlaps(words)


def test_a_manual_move_onto_another_text_cuts_the_lesser_text_and_says_so(layouts, fonts, sample_values):
    lay = layouts["avery-l7160"]
    base = make_document("bersih", lay, DesignOptions())
    (producer,) = [it for it in base.items if it.tag == "pdp.producer"]
    moved = make_document("bersih", lay, DesignOptions(overrides={"brand": producer.box}))
    label = compose(moved, lay, sample_values, fonts)
    pdf = render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
    assert not overlaps(glyphs(pdf)) and not em_overlaps(em_words(pdf))
    assert any(p.code == "text_overflow" and p.tag == "brand" for p in label.problems)
    assert _squash(sample_values["permit"]) in _squash(_pdf_text(pdf))      # mandatory text kept


def test_a_nutrition_panel_that_does_not_fit_is_reported_not_clipped(layouts, fonts, sample_values):
    lay = layouts["avery-l7165"]                  # 99.1 x 67.7 mm
    values = dict(sample_values, nutrition="Takaran saji 25 g · 4 sajian per kemasan\nJumlah per sajian\n"
                  + "; ".join(f"Zat gizi nomor {i} {i * 3} g ({i}%)" for i in range(1, 16)))
    label = compose(make_document("bersih", lay, DesignOptions(show_nutrition=True)), lay, values, fonts)
    pdf = render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
    gs = glyphs(pdf)
    assert not overlaps(gs) and not outside_safe(gs, lay.label_w_mm, lay.label_h_mm, lay.safe_margin_mm)
    (p,) = [p for p in label.problems if p.code == "text_overflow" and p.tag == "nutrition"]
    assert p.severity == "error" and "Tidak tercetak" in p.message_id
    assert "Zat gizi nomor 15" not in _pdf_text(pdf)


@pytest.mark.parametrize("text", ["Jahe Jumbo", "Kopi (robusta) §¶", "Gula Aren Cair"])
def test_every_glyph_lies_inside_its_item_box(layouts, fonts, sample_values, text):
    lay = layouts["avery-l7160"]
    box = Box(2, 2, 25, 6)
    doc = LabelDocument(lay.id, (TextItem(box, text, size_pt=14, min_size_pt=6, valign="middle", tag="pdp.name"),))
    gs = glyphs(render_label_pdf(compose(doc, lay, sample_values, fonts), lay, bleed_mm=0, crop_marks=False))
    assert gs and all(box.x_mm - 0.05 <= g.x0 and g.x1 <= box.right_mm + 0.05 and box.y_mm - 0.05 <= g.y0
                      and g.y1 <= box.bottom_mm + 0.05 for g in gs)


def test_the_expiry_line_above_the_stamping_box_points_at_the_box(layouts, fonts, sample_values):
    lay = layouts["avery-l7165"]
    values = dict(sample_values, expiry="Baik digunakan sebelum: lihat kemasan")
    label = compose(make_document("bersih", lay, DesignOptions()), lay, values, fonts)
    text = " ".join(_pdf_text(render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)).split())
    assert "expiry_box" in label.regions
    assert "Baik digunakan sebelum: lihat kotak di bawah" in text and "lihat kemasan" not in text
    assert text.count("Baik digunakan sebelum") == 1
    no_box = compose(make_document("bersih", lay, DesignOptions(expiry_box=False)), lay, values, fonts)
    assert no_box.regions["pdp.expiry"].text == "Baik digunakan sebelum: lihat kemasan"


def test_permit_and_halal_share_a_row_only_when_both_fit_their_column(layouts, fonts, sample_values):
    lay = layouts["f4-nup-3x6-60x45"]
    doc = make_document("bersih", lay, DesignOptions())

    def baselines(values):
        label = compose(doc, lay, values, fonts)
        assert not [p for p in label.problems if p.code == "text_overflow" and p.tag in ("pdp.permit", "pdp.halal")]
        return {tag: [t.baseline_y_mm for t in label.primitives if getattr(t, "tag", "") == tag]
                for tag in ("pdp.permit", "pdp.halal")}, label

    short, _ = baselines(dict(sample_values, permit="P-IRT No. 1234567", halal_number="ID1234"))
    assert short["pdp.permit"] == pytest.approx(short["pdp.halal"], abs=1e-6)      # side by side
    long_permit = "P-IRT No. 206351701001234567-29"
    stacked, label = baselines(dict(sample_values, permit=long_permit))
    assert min(stacked["pdp.halal"]) > max(stacked["pdp.permit"])     # stacked, nothing cut
    pdf = render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
    assert _squash(long_permit) in _squash(_pdf_text(pdf)) and not overlaps(glyphs(pdf))
