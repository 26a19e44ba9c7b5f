"""A photo the producer moved or resized takes what belongs to it along (issue 17): a photo-led
family's name band and brand tab, and the panel painted under every photo (tinted, white, or an
outline on a thermal stock). Read back from the PDF: where the photo's part no longer is, the label
shows its own colour only."""
from __future__ import annotations

import numpy as np

from labels_pdfglyphs import em_overlaps, em_words
from studio.labels import Box, DesignOptions, compose, make_document, render_label_pdf
from studio.labels.preview import render_preview_image

DPI = 300
PX = DPI / 25.4
#: a single label with a side photo (tinted panel), a thermal one (the panel as an outline), and a
#: thermal full label with the name band over the picture
STOCKS = ("avery-l7160", "thermal-50x30", "thermal-100x150")


def test_shrinking_the_photo_leaves_no_band_panel_or_outline_where_it_was(layouts, fonts, values, photo):
    for layout_id in STOCKS:
        lay = layouts[layout_id]
        plain = DesignOptions(show_photo=True, preset="cabai")
        P = next(it.box for it in make_document("foto", lay, plain).items if it.tag == "photo")
        half = Box(P.x_mm + P.w_mm / 2, P.y_mm, P.w_mm / 2, P.h_mm)        # the photo's right half
        opts = DesignOptions.from_dict({**plain.to_dict(), "overrides": {
            "photo": {"x_mm": half.x_mm, "y_mm": half.y_mm, "w_mm": half.w_mm, "h_mm": half.h_mm}}})
        lab = compose(make_document("foto", lay, opts), lay, values, fonts, {"photo": photo})
        pdf = render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False)
        im = np.asarray(render_preview_image(pdf, dpi=DPI).convert("RGB")).astype(int)
        # the left half and the old panel's rim (0.6 mm) around it: the label's white only
        x0, y0, x1, y1 = P.x_mm - 0.5, P.y_mm - 0.5, half.x_mm - 1.0, P.bottom_mm + 0.3
        px = im[round(y0 * PX):round(y1 * PX), round(x0 * PX):round(x1 * PX)].reshape(-1, 3)
        clean = (px.min(axis=1) >= 245).mean()
        assert clean >= 0.999, (layout_id, round(clean, 4))
        words = em_words(pdf)
        assert not em_overlaps(words), layout_id
        if layout_id == "thermal-100x150":      # the name went with the picture, onto its band
            first = [w.text for w in words].index("Keripik")
            for w in words[first:first + 3]:
                assert half.x_mm - 0.1 <= w.x0 and w.x1 <= half.right_mm + 0.1 and w.y1 <= half.bottom_mm + 0.1, w
