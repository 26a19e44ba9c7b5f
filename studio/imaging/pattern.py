"""A patterned table (checked cloth, mosaic tiles, batik) painted flat before the model looks again.

The segmentation model learnt products against plain backgrounds. On a strongly patterned cloth it
takes large parts of the cloth for product: on 66 tuning photos of seven classes on checked cloth,
mosaic and a woven mat (seeds 1200-1205 and 3200-3205, 4000x3000) the cut-out's mean IoU was 0.55
(empty glass 0.30, small far products 0.18, two products 0.86), with 49 % of the cast shadow kept.

``surface_palette`` learns the surface's colours from the frame's ring and says whether they make a
pattern (two hues, not one colour at two light levels: wood grain, cloth stripes, slate and linen stay
plain). ``flatten_pattern`` then repaints every small piece of a pattern colour, at the light it has,
with the pattern's mean colour, so a shadow stays a shadow, glass and film stay darkened table with
an outline, and the product stands out as on plain paper. A product is not repainted where it shares
a pattern colour with the cloth: it is one large piece, or it is in ``keep`` (what the model is sure
of on the photo itself, away from the frame's edge: ``sure_inside``). With this the 66 photos measure
0.84 (shadow kept 5 %), and 32 photos never tuned on (seeds 7210-7213, wider light) 0.735 -> 0.885.

Pure: numpy and OpenCV only.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: the frame's ring the surface is learnt from, as a share of the short side
RING_SHARE = 0.06
#: colours the ring's pixels are grouped into
PALETTE_SIZE = 6
#: a ring colour with less of the ring than this is not part of the pattern
MIN_COLOUR_SHARE = 0.03
#: ring colours closer in hue than this (the sine of the angle between them as RGB vectors) are one
#: colour at two light levels, and their shares of the ring are counted together
SAME_HUE_SINE = 0.05
#: a pattern has two such colours with at least this share of the ring each ...
PATTERN_SHARE = 0.1
#: ... that differ in hue, not only in light (the sine of the angle between them above this).
#: On 255 tuning photos (the bench's tuning parts at 12 MP, the tuning streams at 4000x3000 and
#: 2000x1500: wood, paper, striped cloth, white card, dark cloth, linen, slate, kraft card) no surface
#: is taken for a pattern; every one of the 98 photos on checked cloth, mosaic and woven mat is.
PATTERN_HUE_SINE = 0.12
#: ... by this much in RGB levels (the sine times the darker colour's length): in the dark the camera's
#: noise alone gives any two colours of a dark cloth different hues
PATTERN_MIN_CHROMA = 15.0
#: a pixel is a pattern colour when it is that colour at some light (gain in ``GAIN_RANGE``: lit,
#: or in shadow) with at most this much left over (share of the pixel's own length)
COLOUR_RESIDUAL = 0.07
GAIN_RANGE = (0.3, 1.25)
#: a piece of one pattern colour may be at most this many times the ring's 99th-percentile piece
PIECE_SIZE_FACTOR = 4.0
#: the light carried over the repainted surface is averaged over this share of the long side
GAIN_BLUR_SHARE = 0.005
#: at most this many ring pixels are sampled for the palette
SAMPLE_PX = 20000


@dataclass(frozen=True)
class Palette:
    """The surface's colours (float32 RGB + 1, one row each) and their shares of the frame's ring."""

    colours: np.ndarray
    shares: np.ndarray


def _ring_px(h: int, w: int) -> int:
    return max(4, round(RING_SHARE * min(h, w)))


def ring_mask(h: int, w: int) -> np.ndarray:
    """The frame's ring (bool): where the surface is learnt and products seldom reach."""
    m = _ring_px(h, w)
    ring = np.ones((h, w), bool)
    ring[m:h - m, m:w - m] = False
    return ring


def _kmeans(px: np.ndarray, k: int, rounds: int = 15) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic k-means of float32 RGB rows (farthest-point start): centres and shares."""
    s = px.sum(1)
    centres = [px[int(np.argmin(np.abs(s - np.median(s))))]]
    d = ((px - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        centres.append(px[int(np.argmax(d))])
        d = np.minimum(d, ((px - centres[-1]) ** 2).sum(1))
    c = np.array(centres, np.float32)
    lab = np.zeros(len(px), np.int64)
    for _ in range(rounds):
        lab = ((px[:, None, :] - c[None]) ** 2).sum(2).argmin(1)
        for j in range(k):
            sel = px[lab == j]
            if len(sel):
                c[j] = sel.mean(0)
    return c, np.bincount(lab, minlength=k) / max(1, len(px))


def _hue_sine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.cross(a, b)) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-6))


def surface_palette(work: np.ndarray) -> Palette | None:
    """The surface's palette when the frame's ring shows a pattern of two or more hues, else None."""
    h, w = work.shape[:2]
    ring = work[ring_mask(h, w)].astype(np.float32) + 1.0
    step = max(1, len(ring) // SAMPLE_PX)
    colours, shares = _kmeans(ring[::step], PALETTE_SIZE)
    keep = shares >= MIN_COLOUR_SHARE
    colours, shares = colours[keep], shares[keep]
    # k-means splits one hue by brightness: colours that differ only in light are counted together
    hue = np.arange(len(colours))
    for a in range(len(colours)):
        for b in range(a + 1, len(colours)):
            if _hue_sine(colours[a], colours[b]) <= SAME_HUE_SINE:
                hue[hue == hue[b]] = hue[a]
    ids = np.unique(hue)
    share = np.array([shares[hue == i].sum() for i in ids])
    mean = np.array([(colours[hue == i] * shares[hue == i, None]).sum(0) for i in ids]) / share[:, None]
    big = np.flatnonzero(share >= PATTERN_SHARE)
    norm = np.linalg.norm(mean, axis=1)
    if not any(_hue_sine(mean[a], mean[b]) > PATTERN_HUE_SINE
               and _hue_sine(mean[a], mean[b]) * min(norm[a], norm[b]) > PATTERN_MIN_CHROMA
               for a in big for b in big if a < b):
        return None
    return Palette(colours, shares)


def _fit(px: np.ndarray, pal: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pixel (rows of ``px``) the palette colour it is at some light: index, gain, and
    what is left over as a share of the pixel's length (9 where no gain in ``GAIN_RANGE`` fits)."""
    dots = px @ pal.T
    cc = (pal * pal).sum(1)
    gain = dots / cc
    p2 = (px * px).sum(1, keepdims=True)
    res = np.sqrt(np.maximum(0.0, p2 - dots ** 2 / cc)) / (np.sqrt(p2) + 1e-3)
    res = np.where((gain >= GAIN_RANGE[0]) & (gain <= GAIN_RANGE[1]), res, 9.0)
    k = res.argmin(1)
    i = np.arange(len(px))
    return k, gain[i, k], res[i, k]


def sure_inside(prob: np.ndarray, *, sure: float = 0.9) -> np.ndarray:
    """Pieces the model is sure of (``prob >= sure``) that stay clear of the frame's ring: products.
    (Where the model takes the cloth for product, its sure pieces run out to the frame.)"""
    h, w = prob.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats((prob >= sure).astype(np.uint8), connectivity=8)
    m = _ring_px(h, w)
    x, y, bw, bh = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    inside = (x > m) & (y > m) & (x + bw < w - m) & (y + bh < h - m)
    inside[0] = False
    return inside[labels]


def flatten_pattern(work: np.ndarray, palette: Palette, *, keep: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """``(flat, surface)``: ``work`` (uint8 RGB) with the pattern of ``palette`` repainted flat at
    the light each pixel has, and the repainted pixels (bool). Pixels in ``keep`` are left as they are."""
    h, w = work.shape[:2]
    ring = ring_mask(h, w)
    pal, share = palette.colours, palette.shares
    k, gain, res = _fit(work.reshape(-1, 3).astype(np.float32) + 1.0, pal)
    fits = (res < COLOUR_RESIDUAL).reshape(h, w)
    k, gain = k.reshape(h, w), gain.reshape(h, w)
    # a piece of one pattern colour no bigger than the ring's own pieces is pattern
    surface = np.zeros((h, w), bool)
    for j in range(len(pal)):
        mj = (fits & (k == j)).astype(np.uint8)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mj, connectivity=8)
        in_ring = np.unique(labels[ring & (mj > 0)])
        in_ring = in_ring[in_ring > 0]
        if n <= 1 or not in_ring.size:
            continue
        areas = stats[:, cv2.CC_STAT_AREA]
        small = areas <= PIECE_SIZE_FACTOR * np.percentile(areas[in_ring], 99)
        small[0] = False
        surface |= small[labels]
    if keep is not None:
        surface &= ~keep
    # the thin blends between two pattern colours (the camera's blur) belong to the pattern too
    kk = max(3, round(0.006 * max(h, w))) | 1
    surface = cv2.morphologyEx(surface.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((kk, kk), np.uint8)).astype(bool)
    if keep is not None:
        surface &= ~keep
    mean = (pal * share[:, None]).sum(0) / share.sum()
    known = surface & fits
    ks = max(3, round(GAIN_BLUR_SHARE * max(h, w))) | 1
    g = cv2.boxFilter(np.where(known, gain, 0).astype(np.float32), -1, (ks, ks))
    g /= np.maximum(cv2.boxFilter(known.astype(np.float32), -1, (ks, ks)), 1e-3)
    flat = work.copy()
    flat[surface] = np.clip(mean[None, :] * g[surface][:, None] - 1.0, 0, 255).astype(np.uint8)
    return flat, surface
