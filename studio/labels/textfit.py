"""Wrap and shrink text into a box, measuring with the FontRegistry once per word.

Widths scale linearly with the size, so every word is measured at 1 pt and the wrap is re-run
per candidate size without measuring again.
"""
from __future__ import annotations

from dataclasses import dataclass

from .fields import Span
from .fonts import FontRegistry
from .units import MM_TO_PT, PT_TO_MM

SIZE_STEP_PT = 0.25


@dataclass(frozen=True)
class LaidLine:
    """One line: runs of (x offset mm from the box's left, text, bold) and the baseline offset mm."""

    runs: tuple[tuple[float, str, bool], ...]
    baseline_mm: float
    width_mm: float


@dataclass(frozen=True)
class TextLayout:
    size_pt: float
    lines: tuple[LaidLine, ...]
    height_mm: float
    overflow: bool


def _words(spans: list[Span]) -> list[list[tuple[str, bool]] | None]:
    """Split spans into words (lists of weighted runs); None marks a hard line break."""
    words: list[list[tuple[str, bool]] | None] = []
    cur: list[tuple[str, bool]] = []
    for span in spans:
        for ch in span.text:
            if ch in " \t\n":
                if cur:
                    words.append(cur)
                    cur = []
                if ch == "\n":
                    words.append(None)
            elif cur and cur[-1][1] == span.bold:
                cur[-1] = (cur[-1][0] + ch, span.bold)
            else:
                cur.append((ch, span.bold))
    if cur:
        words.append(cur)
    return _keep_units(words)


_UNITS = frozenset({"g", "kg", "mg", "ml", "mL", "l", "L", "cl", "%", "pcs", "kkal", "kcal"})


def _keep_units(words: list[list[tuple[str, bool]] | None]) -> list[list[tuple[str, bool]] | None]:
    """Glue a unit to the number before it ("250 g") so a line never breaks between them."""
    out: list[list[tuple[str, bool]] | None] = []
    for w in words:
        prev = out[-1] if out else None
        if (w is not None and prev is not None and len(w) == 1 and w[0][0].rstrip(".,;)") in _UNITS
                and prev[-1][0][-1:].isdigit()):
            out[-1] = prev[:-1] + [(prev[-1][0] + " ", prev[-1][1])] + w
            if len(out[-1]) > 1 and out[-1][-2][1] == out[-1][-1][1]:
                merged = out[-1][:-2] + [(out[-1][-2][0] + out[-1][-1][0], out[-1][-1][1])]
                out[-1] = merged
        else:
            out.append(w)
    return out


def layout_text(spans: list[Span], *, font: str, bold_font: str, fonts: FontRegistry,
                box_w_mm: float, box_h_mm: float, size_pt: float, min_size_pt: float,
                line_height: float = 1.2, align: str = "left", valign: str = "top") -> TextLayout:
    """Largest size in [min_size_pt, size_pt] at which ``spans`` wrap into the box.

    If nothing fits, the layout at ``min_size_pt`` is returned with ``overflow=True`` (lines are
    kept, never dropped). Offsets are in mm from the box's top-left.
    """
    def face(bold: bool) -> str:
        return bold_font if bold else font

    def unit(text: str, bold: bool) -> float:
        return fonts.string_width_pt(text, face(bold), 1.0)

    words = _words(spans)
    word_w = [None if w is None else sum(unit(t, b) for t, b in w) for w in words]
    space_w = max(unit(" ", False), unit(" ", True))
    m = fonts.metrics(font)
    box_w_pt = box_w_mm * MM_TO_PT

    def wrap(size: float) -> list[list[list[tuple[str, bool]]]]:
        limit = box_w_pt / size
        lines: list[list[list[tuple[str, bool]]]] = [[]]
        width = 0.0
        for w, ww in zip(words, word_w):
            if w is None:
                lines.append([])
                width = 0.0
                continue
            if lines[-1] and width + space_w + ww <= limit:
                lines[-1].append(w)
                width += space_w + ww
            elif ww <= limit:
                if lines[-1]:
                    lines.append([])
                lines[-1].append(w)
                width = ww
            else:                                   # a word wider than the box: break inside it
                if lines[-1]:
                    lines.append([])
                width = 0.0
                for t, b in w:
                    for ch in t:
                        cw = unit(ch, b)
                        if lines[-1] and width + cw > limit:
                            lines.append([])
                            width = 0.0
                        lines[-1].append([(ch, b)]) if not lines[-1] else _append_char(lines[-1], ch, b)
                        width += cw
        if lines and not lines[-1] and len(lines) > 1:
            lines.pop()
        return lines

    def height_mm(n: int, size: float) -> float:
        return size * (m.cap_height + (max(n, 1) - 1) * line_height + m.descent) * PT_TO_MM

    size = size_pt
    while True:
        lines = wrap(size)
        fits = height_mm(len(lines), size) <= box_h_mm + 1e-6
        if fits or size <= min_size_pt + 1e-9:
            break
        size = max(min_size_pt, size - SIZE_STEP_PT)
    total_h = height_mm(len(lines), size)
    if valign == "middle":
        top = (box_h_mm - total_h) / 2
    elif valign == "bottom":
        top = box_h_mm - total_h
    else:
        top = 0.0
    laid = []
    for i, line in enumerate(lines):
        runs: list[tuple[str, bool]] = []
        for j, w in enumerate(line):
            for k, (t, b) in enumerate(w):
                text = (" " if j and k == 0 else "") + t
                if runs and runs[-1][1] == b:
                    runs[-1] = (runs[-1][0] + text, b)
                else:
                    runs.append((text, b))
        xs = []
        x = 0.0
        for t, b in runs:
            xs.append(x)
            x += fonts.string_width_pt(t, face(b), size) * PT_TO_MM
        offset = {"left": 0.0, "center": (box_w_mm - x) / 2, "right": box_w_mm - x}[align]
        baseline = top + (m.cap_height + i * line_height) * size * PT_TO_MM
        laid.append(LaidLine(tuple((offset + xx, t, b) for xx, (t, b) in zip(xs, runs)), baseline, x))
    return TextLayout(size, tuple(laid), total_h, not fits)


def _append_char(line: list[list[tuple[str, bool]]], ch: str, bold: bool) -> None:
    """Append a character to the last (broken) word of ``line`` without inserting a space."""
    last = line[-1]
    if last and last[-1][1] == bold:
        last[-1] = (last[-1][0] + ch, bold)
    else:
        last.append((ch, bold))
