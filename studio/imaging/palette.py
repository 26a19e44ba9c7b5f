"""Dominant colours of a product photo: k-means on the foreground pixels only.

The cut-out's alpha (or a separate mask) says which pixels are the product; the background the
cleanup painted (white, cream …) must not become a brand colour. Clustering runs in CIE Lab on a
small copy (a few thousand pixels are plenty for five colours), with a fixed seed so the same
photo always gives the same palette.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

SAMPLE_LONG_SIDE_PX = 160    # the photo is reduced to this before clustering
MIN_FOREGROUND_ALPHA = 200   # 0..255: pixels at least this opaque count as the product
MERGE_DELTA_E = 12.0         # clusters closer than this (CIE76 in Lab) are one colour
MIN_SHARE = 0.03             # colours covering less of the product are left out


@dataclass(frozen=True)
class DominantColour:
    """One colour of the product: ``hex`` '#RRGGBB' and ``share`` 0..1 of the foreground pixels."""

    hex: str
    share: float
    lab: tuple[float, float, float]   # CIE L* (0..100), a*, b*

    @property
    def chroma(self) -> float:
        """How colourful (0 = grey); a* and b* distance from neutral."""
        return float(np.hypot(self.lab[1], self.lab[2]))


def _hex(rgb) -> str:
    r, g, b = (int(round(float(v))) for v in rgb)
    return "#{:02X}{:02X}{:02X}".format(max(0, min(255, r)), max(0, min(255, g)), max(0, min(255, b)))


def _lab_of(rgb_u8: np.ndarray) -> np.ndarray:
    """(N, 3) uint8 sRGB -> (N, 3) float Lab (L 0..100, a/b about -128..127)."""
    lab = cv2.cvtColor(rgb_u8.reshape(-1, 1, 3), cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    lab[:, 0] *= 100.0 / 255.0
    lab[:, 1:] -= 128.0
    return lab


def foreground_pixels(image: Image.Image, mask: Image.Image | None = None) -> np.ndarray:
    """The product's pixels as an (N, 3) uint8 RGB array, from a small copy of ``image``.

    ``mask`` (mode L, same size: 255 = product) wins over the image's own alpha; with neither,
    every pixel counts. An image smaller than the sample size is used as it is.
    """
    scale = min(1.0, SAMPLE_LONG_SIDE_PX / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    rgba = image.convert("RGBA")
    if mask is not None:
        rgba.putalpha(mask.convert("L").resize(image.size))
    small = np.asarray(rgba.resize(size, Image.Resampling.BOX))
    alpha = small[..., 3]
    keep = alpha >= MIN_FOREGROUND_ALPHA
    return small[..., :3][keep].reshape(-1, 3)


def dominant_colours(image: Image.Image, mask: Image.Image | None = None, k: int = 5) -> list[DominantColour]:
    """Up to ``k`` dominant colours of the product in ``image``, most common first.

    Colours closer than MERGE_DELTA_E are merged; colours under MIN_SHARE of the product are
    dropped. An image with no foreground pixels gives an empty list.
    """
    pixels = foreground_pixels(image, mask)
    if len(pixels) == 0:
        return []
    lab = _lab_of(pixels)
    k = max(1, min(k, len(np.unique(pixels, axis=0))))
    cv2.setRNGSeed(1729)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 30, 0.5)
    _compact, labels, _centres = cv2.kmeans(lab, k, None, criteria, 3, cv2.KMEANS_PP_CENTERS)
    labels = labels.ravel()
    groups: list[list[int]] = []            # cluster ids merged into one colour
    centres: list[np.ndarray] = []
    order = np.argsort(-np.bincount(labels, minlength=k))
    for c in order:
        members = labels == c
        if not members.any():
            continue
        centre = lab[members].mean(axis=0)
        for i, other in enumerate(centres):
            if float(np.linalg.norm(centre - other)) < MERGE_DELTA_E:
                groups[i].append(int(c))
                break
        else:
            groups.append([int(c)])
            centres.append(centre)
    total = float(len(labels))
    out = []
    for group in groups:
        members = np.isin(labels, group)
        share = float(members.sum()) / total
        if share < MIN_SHARE:
            continue
        centre = lab[members].mean(axis=0)
        out.append(DominantColour(_hex(pixels[members].mean(axis=0)), round(share, 4),
                                  (float(centre[0]), float(centre[1]), float(centre[2]))))
    out.sort(key=lambda c: -c.share)
    return out
