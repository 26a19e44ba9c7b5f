"""The heritage family's border reads as kawung at label size: four oval petals on the diagonals
around each centre, repeated in a grid (read back from the PDF rasterised at 300 dpi)."""
from __future__ import annotations

import cv2
import numpy as np

from studio.labels import DesignOptions, compose, make_document, render_label_pdf
from studio.labels.preview import render_preview_image

DPI = 300
PX = DPI / 25.4


def _petals(layouts, fonts, values, layout_id: str):
    lay = layouts[layout_id]
    doc = make_document("warisan", lay, DesignOptions(show_photo=False))
    band = next(i for i in doc.items if getattr(i, "motif", "") == "kawung")
    im = render_preview_image(render_label_pdf(compose(doc, lay, values, fonts, {}), lay, bleed_mm=0,
                                               crop_marks=False), dpi=DPI).convert("RGB")
    b = band.box
    crop = np.asarray(im)[round(b.y_mm * PX):round(b.bottom_mm * PX), round(b.x_mm * PX):round(b.right_mm * PX)]
    ink = np.array(tuple(int(band.color[i:i + 2], 16) for i in (1, 3, 5)))
    mask = (np.abs(crop.astype(int) - ink).sum(axis=2) < 90).astype(np.uint8)
    n, lab, stats, cent = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    floor = 0.3 * float(np.median(areas[areas >= 8])) if (areas >= 8).any() else 8.0
    big = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= floor]     # petals, not the centre dots
    angles = []
    for i in big:
        ys, xs = np.nonzero(lab == i)
        cov = np.cov(np.vstack([xs - xs.mean(), ys - ys.mean()]))
        w, v = np.linalg.eigh(cov)
        major = v[:, 1]
        angles.append((abs(np.degrees(np.arctan2(major[1], major[0]))) % 180, w[1] / max(w[0], 1e-6)))
    return band, big, angles


def test_kawung_band_is_a_grid_of_four_oval_petals_on_the_diagonals(layouts, fonts, values):
    for layout_id in ("avery-l7160", "avery-l7165"):
        band, petals, angles = _petals(layouts, fonts, values, layout_id)
        units = int(band.box.w_mm // band.scale_mm) * int(band.box.h_mm // band.scale_mm)
        assert units >= 8, (layout_id, units)
        assert len(petals) == 4 * units, (layout_id, len(petals), units)     # four separate petals per unit
        diagonal = [a for a, _e in angles if min(abs(a - 45), abs(a - 135)) < 12]
        assert len(diagonal) >= 0.95 * len(angles), (layout_id, angles[:8])
        assert all(e >= 1.8 for _a, e in angles), layout_id        # ovals, not dots (variance ratio ~ (a/b)^2)
        assert all(e <= 6.0 for _a, e in angles), layout_id        # plump petals, not the thin strokes of a cross
