"""Decorative motifs expanded into polygons: tumpal (triangle border), kawung, dots.

Only whole motifs are emitted, centred in the box, so nothing spills outside it.
"""
from __future__ import annotations

import math

from .document import Box

Poly = tuple[tuple[float, float], ...]


def _ellipse(cx: float, cy: float, rx: float, ry: float, angle: float, n: int = 14) -> Poly:
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((round(cx + x * ca - y * sa, 3), round(cy + x * sa + y * ca, 3)))
    return tuple(pts)


def tumpal(box: Box, scale_mm: float, *, point: str) -> list[Poly]:
    """A row of tumpal triangles along the band ``box``; ``point`` is where the tips face
    ("down", "up", "left" or "right"). Small diamonds sit between the triangles' bases."""
    horizontal = point in ("down", "up")
    length = box.w_mm if horizontal else box.h_mm
    depth = box.h_mm if horizontal else box.w_mm
    n = max(1, round(length / scale_mm))
    step = length / n
    polys: list[Poly] = []
    for i in range(n):
        a = i * step
        tri = [(a, 0.0), (a + step, 0.0), (a + step / 2, depth)]          # base at 0, tip at depth
        dia_c, dia_r = (a + step, depth * 0.62), min(step, depth) * 0.16
        diamond = [(dia_c[0], dia_c[1] - dia_r), (dia_c[0] + dia_r, dia_c[1]),
                   (dia_c[0], dia_c[1] + dia_r), (dia_c[0] - dia_r, dia_c[1])]
        shapes = [tri] + ([diamond] if i < n - 1 else [])
        for shape in shapes:
            polys.append(tuple(_place(box, point, u, v) for u, v in shape))
    return polys


def _place(box: Box, point: str, u: float, v: float) -> tuple[float, float]:
    """Map band coordinates (u along, v from the base towards the tip) into label mm."""
    if point == "down":
        return (round(box.x_mm + u, 3), round(box.y_mm + v, 3))
    if point == "up":
        return (round(box.x_mm + u, 3), round(box.bottom_mm - v, 3))
    if point == "right":
        return (round(box.x_mm + v, 3), round(box.y_mm + u, 3))
    return (round(box.right_mm - v, 3), round(box.y_mm + u, 3))


def kawung(box: Box, scale_mm: float) -> list[Poly]:
    """Kawung: a square grid of units, each four plump oval petals (the halved aren palm fruit) on the
    diagonals around the unit's centre, their outer tips meeting the petals of the neighbouring units
    at the grid's corners, so the ovals form the repeating lattice of the batik. Units of 3 mm and
    more get the seed of each petal (a small oval cut out of it) and a dot at the centre. Whole
    units only, centred in the box."""
    cols, rows = int(box.w_mm // scale_mm + 1e-6), int(box.h_mm // scale_mm + 1e-6)
    if cols < 1 or rows < 1:
        return []
    x0 = box.x_mm + (box.w_mm - cols * scale_mm) / 2
    y0 = box.y_mm + (box.h_mm - rows * scale_mm) / 2
    s = scale_mm
    d, a, b = s * 0.354, s * 0.285, s * 0.175     # petal centre on the half-diagonal; semi-axes
    seeds = s >= 3.0
    polys: list[Poly] = []
    for r in range(rows):
        for c in range(cols):
            cx, cy = x0 + (c + 0.5) * s, y0 + (r + 0.5) * s
            for k in range(4):
                ang = math.pi / 4 + k * math.pi / 2
                px, py = cx + d * math.cos(ang), cy + d * math.sin(ang)
                polys.append(_clockwise(_ellipse(px, py, a, b, ang, 28)))
                if seeds:       # the seed: a hole (opposite winding, nonzero fill) towards the outer tip
                    sx, sy = cx + (d + a * 0.3) * math.cos(ang), cy + (d + a * 0.3) * math.sin(ang)
                    polys.append(tuple(reversed(_clockwise(_ellipse(sx, sy, a * 0.3, b * 0.32, ang, 16)))))
            if seeds:
                polys.append(_clockwise(_ellipse(cx, cy, s * 0.035, s * 0.035, 0.0, 12)))
    return polys


def dots(box: Box, scale_mm: float) -> list[Poly]:
    """A grid of small round dots, one per ``scale_mm`` cell."""
    cols, rows = int(box.w_mm // scale_mm), int(box.h_mm // scale_mm)
    x0 = box.x_mm + (box.w_mm - cols * scale_mm) / 2
    y0 = box.y_mm + (box.h_mm - rows * scale_mm) / 2
    rad = scale_mm * 0.18
    return [_ellipse(x0 + (c + 0.5) * scale_mm, y0 + (r + 0.5) * scale_mm, rad, rad, 0.0, 10)
            for r in range(rows) for c in range(cols)]


def babi(box: Box) -> list[Poly]:
    """The pig of the pork warning sign ("MENGANDUNG BABI"): a side-view silhouette in one colour
    (body, head, snout, ear, four legs, tail), as large as fits ``box`` (aspect 1.6 : 1), centred."""
    s = min(box.w_mm / 1.6, box.h_mm)
    if s <= 0:
        return []
    ox, oy = box.x_mm + (box.w_mm - 1.6 * s) / 2, box.y_mm + (box.h_mm - s) / 2

    def pt(u: float, v: float) -> tuple[float, float]:
        return (round(ox + u * s, 3), round(oy + v * s, 3))

    def ell(u: float, v: float, ru: float, rv: float, angle: float = 0.0, n: int = 24) -> Poly:
        return _ellipse(ox + u * s, oy + v * s, ru * s, rv * s, angle, n)

    def rect(u0: float, v0: float, u1: float, v1: float) -> Poly:
        return (pt(u0, v0), pt(u1, v0), pt(u1, v1), pt(u0, v1))

    polys: list[Poly] = [
        ell(0.72, 0.52, 0.52, 0.30),                                   # body
        ell(1.22, 0.44, 0.23, 0.21),                                   # head
        ell(1.46, 0.50, 0.09, 0.10),                                   # snout
        (pt(1.10, 0.30), pt(1.30, 0.26), pt(1.16, 0.06)),              # ear
        ell(0.16, 0.36, 0.08, 0.03, -0.6, 12),                         # tail
    ]
    for u0 in (0.34, 0.52, 0.86, 1.04):                                # legs
        polys.append(rect(u0, 0.70, u0 + 0.11, 0.97))
    return [_clockwise(p) for p in polys]   # one orientation: overlaps stay filled (nonzero fill)


def _clockwise(poly: Poly) -> Poly:
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]))
    return poly if area >= 0 else tuple(reversed(poly))


def expand(motif: str, box: Box, scale_mm: float, label_w_mm: float, label_h_mm: float) -> list[Poly]:
    """Polygons of ``motif`` in ``box``; tumpal tips point towards the label's centre."""
    if motif == "kawung":
        return kawung(box, scale_mm)
    if motif == "dots":
        return dots(box, scale_mm)
    if motif == "babi":
        return babi(box)
    cx, cy = box.x_mm + box.w_mm / 2, box.y_mm + box.h_mm / 2
    if box.w_mm >= box.h_mm:
        point = "down" if cy < label_h_mm / 2 else "up"
    else:
        point = "right" if cx < label_w_mm / 2 else "left"
    return tumpal(box, scale_mm, point=point)
