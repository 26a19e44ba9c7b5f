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
    """Kawung: four oval petals around each grid point, whole units only."""
    cols, rows = int(box.w_mm // scale_mm), int(box.h_mm // scale_mm)
    if cols < 1 or rows < 1:
        return []
    x0 = box.x_mm + (box.w_mm - cols * scale_mm) / 2
    y0 = box.y_mm + (box.h_mm - rows * scale_mm) / 2
    polys: list[Poly] = []
    r_long, r_short = scale_mm * 0.22, scale_mm * 0.12
    for r in range(rows):
        for c in range(cols):
            cx, cy = x0 + (c + 0.5) * scale_mm, y0 + (r + 0.5) * scale_mm
            for k in range(4):
                ang = math.pi / 4 + k * math.pi / 2
                d = scale_mm * 0.24
                polys.append(_ellipse(cx + d * math.cos(ang), cy + d * math.sin(ang), r_long, r_short, ang))
    return polys


def dots(box: Box, scale_mm: float) -> list[Poly]:
    """A grid of small round dots, one per ``scale_mm`` cell."""
    cols, rows = int(box.w_mm // scale_mm), int(box.h_mm // scale_mm)
    x0 = box.x_mm + (box.w_mm - cols * scale_mm) / 2
    y0 = box.y_mm + (box.h_mm - rows * scale_mm) / 2
    rad = scale_mm * 0.18
    return [_ellipse(x0 + (c + 0.5) * scale_mm, y0 + (r + 0.5) * scale_mm, rad, rad, 0.0, 10)
            for r in range(rows) for c in range(cols)]


def expand(motif: str, box: Box, scale_mm: float, label_w_mm: float, label_h_mm: float) -> list[Poly]:
    """Polygons of ``motif`` in ``box``; tumpal tips point towards the label's centre."""
    if motif == "kawung":
        return kawung(box, scale_mm)
    if motif == "dots":
        return dots(box, scale_mm)
    cx, cy = box.x_mm + box.w_mm / 2, box.y_mm + box.h_mm / 2
    if box.w_mm >= box.h_mm:
        point = "down" if cy < label_h_mm / 2 else "up"
    else:
        point = "right" if cx < label_w_mm / 2 else "left"
    return tumpal(box, scale_mm, point=point)
