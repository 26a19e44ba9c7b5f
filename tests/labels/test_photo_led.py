"""The photo-led family (issue 17: "a big food picture, name over it"), read back from the PDF: on a
full-size label and on a set's front the picture covers a large part of the front, the product name is
printed over the picture, and under the name there is an opaque band (no photo pixels showing
through, PP 69/1999) whose colour contrasts with the name's ink."""
from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from labels_pdfglyphs import MM_PER_PT, em_words
from studio.labels import DesignOptions, compose, make_document, render_label_pdf
from studio.labels.colors import contrast_ratio
from studio.labels.preview import render_preview_image

DPI = 300
PX = DPI / 25.4
#: (stock, panel, least share of the front the picture covers); the old side picture covered 8-12 %
CASES = (("avery-l7165", "", 0.28), ("avery-l7163", "front", 0.32), ("a4-nup-2x2-94x134", "", 0.28),
         ("thermal-100x150", "", 0.25))     # 1-bit: the band turns white with an outline, still opaque


def _image_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) in mm from the page's top-left of every image placed on the first page (the
    painter draws each picture as a form XObject holding the image: its page-space bounds)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        h = page.get_height()
        out = []
        for obj in page.get_objects(max_depth=0):
            if obj.type not in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM and not pdfium_c.FPDFFormObj_CountObjects(obj.raw):
                continue
            left, bottom, right, top = obj.get_bounds()
            out.append((left * MM_PER_PT, (h - top) * MM_PER_PT, right * MM_PER_PT, (h - bottom) * MM_PER_PT))
        return out
    finally:
        doc.close()


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(int(v) for v in rgb)


def test_the_food_picture_is_big_and_the_name_sits_over_it_on_an_opaque_band(layouts, fonts, values, photo):
    opts = DesignOptions(show_photo=True, show_nutrition=True, net_qty_cap_mm=4.0, preset="cabai")
    for layout_id, panel, share in CASES:
        lay = layouts[layout_id]
        lab = compose(make_document("foto", lay, opts, panel=panel), lay, values, fonts, {"photo": photo})
        assert not lab.errors, (layout_id, [(p.code, p.tag) for p in lab.errors])
        pdf = render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False)
        boxes = _image_boxes(pdf)
        assert boxes, layout_id
        x0, y0, x1, y1 = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        covered = (x1 - x0) * (y1 - y0) / (lay.label_w_mm * lay.label_h_mm)
        print(layout_id, "picture covers", round(covered, 3))
        assert covered >= share, (layout_id, round(covered, 3))
        # the name's words are printed inside the picture's rectangle
        words = em_words(pdf)
        first = [t.text for t in words].index("Keripik")       # the name's words, in reading order
        name = words[first:first + 3]
        assert [w.text for w in name] == ["Keripik", "Singkong", "Balado"], (layout_id, [w.text for w in words][:12])
        for w in name:
            assert x0 - 0.1 <= w.x0 and w.x1 <= x1 + 0.1 and y0 - 0.1 <= w.y0 and w.y1 <= y1 + 0.1, (layout_id, w)
        # under the name: one flat colour (an opaque band, not the photo) that contrasts with the ink
        im = np.asarray(render_preview_image(pdf, dpi=DPI).convert("RGB")).astype(int)
        bx0, by0 = min(w.x0 for w in name), min(w.y0 for w in name)
        bx1, by1 = max(w.x1 for w in name), max(w.y1 for w in name)
        px = im[round(by0 * PX):round(by1 * PX), round(bx0 * PX):round(bx1 * PX)].reshape(-1, 3)
        colours, counts = np.unique(px // 4, axis=0, return_counts=True)
        order = counts.argsort()[::-1]
        band = colours[order[0]] * 4 + 2
        near_band = (np.abs(px - band).sum(axis=1) <= 12).mean()
        ink = next(colours[i] * 4 + 2 for i in order[1:] if np.abs(colours[i] * 4 + 2 - band).sum() > 200)
        mixed = ((np.abs(px - band).sum(axis=1) > 12) & (np.abs(px - ink).sum(axis=1) > 12)).mean()
        assert near_band >= 0.45, (layout_id, round(near_band, 3))     # the band's own colour around the letters
        assert mixed <= 0.3, (layout_id, round(mixed, 3))              # only letter edges, no photo pixels
        assert contrast_ratio(_hex(ink), _hex(band)) >= 4.5, (layout_id, _hex(ink), _hex(band))


def test_the_small_single_sticker_and_other_families_keep_their_layout(layouts):
    """The photo hero is the photo-led family's full-size and set-front layout only."""
    opts = DesignOptions(show_photo=True)
    for fam in ("tipografi", "warisan"):
        doc = make_document(fam, layouts["avery-l7165"], opts)
        assert not [i for i in doc.items if getattr(i, "fit", "") == "cover"], fam
    doc = make_document("foto", layouts["avery-l7160"], opts)
    assert not [i for i in doc.items if getattr(i, "fit", "") == "cover"]


def test_a_small_photo_is_never_enlarged_into_a_blurry_print(layouts, fonts, values, photo):
    """A phone photo has pixels to spare; a small one fills what it can at >= 200 ppi (drawn smaller,
    centred) instead of printing blurry: no low-resolution error, the PDF's picture is >= 200 ppi."""
    small = photo.resize((360, 360))
    lay = layouts["a4-nup-2x2-94x134"]
    lab = compose(make_document("foto", lay, DesignOptions(show_photo=True)), lay, values, fonts, {"photo": small})
    assert not [p for p in lab.errors if p.code == "image_low_ppi"]
    pdf = render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False)
    x0, y0, x1, y1 = max(_image_boxes(pdf), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    doc = pdfium.PdfDocument(pdf)
    try:
        px_w, px_h = max((o.get_px_size() for o in doc[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE],
                                                                        max_depth=5)), key=lambda s: s[0] * s[1])
    finally:
        doc.close()
    assert px_w / ((x1 - x0) / 25.4) >= 199.0 and px_h / ((y1 - y0) / 25.4) >= 199.0, (px_w, px_h, x1 - x0, y1 - y0)
