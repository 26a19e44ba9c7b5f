"""Wrap and shrink text into a box, measuring with the FontRegistry once per word.

Widths scale linearly with the size, so every word is measured at 1 pt and the wrap is re-run
per candidate size without measuring again.

Vertical room is measured on the glyphs actually printed: the first baseline sits one "ink ascent"
(the highest glyph top among the text's characters, from the TTF's glyf table) below the box top and
the last line's lowest glyph bottom stays inside the box, so every glyph box lies inside its item
box. Text that does not fit at the smallest size is cut after the last whole line that fits; the
cut lines are returned (``TextLayout.cut``) so the caller can report them, never drawn.

The vertical extent of a line is the union of its ink and its em box: PDF readers (pdfminer,
pdfplumber) give every character a box one font size tall starting at the font's descent below the
baseline (the FontDescriptor's /Descent, ReportLab's ``face.descent``). Reserving that box too keeps
text on different lines from "overlapping" for those readers, within an item (line pitch at least
one em) and between items (the item box holds the em boxes of its lines).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from .fields import Span
from .fonts import FontRegistry
from .rl_canvas import font_bytes
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
    cut: tuple[str, ...] = ()       # lines that did not fit and are not drawn
    ink_top: float = 0.0            # top of ink and em box above the baseline, as a fraction of the size
    ink_bottom: float = 0.0         # bottom of ink and em box below the baseline, fraction of the size
    line_height: float = 1.2
    em_pad_top: float = 0.0         # how far ink_top reaches above the ink alone (the em box), fraction
    em_pad_bottom: float = 0.0      # how far ink_bottom reaches below the ink alone, fraction

    def block_mm(self, n: int) -> float:
        """Height of ``n`` lines of this layout, from the first glyph top to the last glyph bottom."""
        return 0.0 if n <= 0 else self.size_pt * (self.ink_top + (n - 1) * self.line_height
                                                  + self.ink_bottom) * PT_TO_MM

    def keep(self, n: int) -> TextLayout:
        """The first ``n`` lines only; the rest become ``cut`` (an overflow)."""
        n = max(0, min(n, len(self.lines)))
        if n == len(self.lines):
            return self
        cut = tuple("".join(t for _x, t, _b in line.runs).strip() for line in self.lines[n:]) + self.cut
        return replace(self, lines=self.lines[:n], height_mm=self.block_mm(n), overflow=True, cut=cut)


@lru_cache(maxsize=64)
def _glyf(rl_name: str) -> tuple[dict, bytes, int, list, float]:
    face = pdfmetrics.getFont(rl_name).face
    glyf = face.get_table_pos("glyf")[0]
    return face.charToGlyph, font_bytes(face), glyf, face.glyphPos, float(face.unitsPerEm)


@lru_cache(maxsize=64)
def em_descent(rl_name: str) -> float:
    """The font's descent below the baseline as a positive fraction of the size, as written to the
    PDF's FontDescriptor (/Descent) and used by PDF readers for the character box."""
    return abs(float(pdfmetrics.getFont(rl_name).face.descent)) / 1000.0


def em_extent(rl_names: tuple[str, ...]) -> tuple[float, float]:
    """(top above the baseline, bottom below it) of the PDF readers' character box in any of the
    fonts, as fractions of the size."""
    ds = [em_descent(rl) for rl in rl_names]
    return 1.0 - min(ds), max(ds)


@lru_cache(maxsize=65536)
def _char_ink(rl_name: str, ch: str) -> tuple[float, float, float, float]:
    """(top above the baseline, bottom below it, overhang left of the origin, overhang right of the
    advance) of one glyph's outline, as fractions of the size."""
    cmap, data, glyf, pos, upem = _glyf(rl_name)
    gid = cmap.get(ord(ch), 0)
    if gid + 1 >= len(pos) or pos[gid] == pos[gid + 1]:
        return 0.0, 0.0, 0.0, 0.0           # blank glyph (space)
    _n, x0, y0, x1, y1 = struct.unpack(">hhhhh", data[glyf + pos[gid]: glyf + pos[gid] + 10])
    adv = pdfmetrics.stringWidth(ch, rl_name, 1.0)
    return y1 / upem, -y0 / upem, max(0.0, -x0 / upem), max(0.0, x1 / upem - adv)


def ink_extent(text: str, rl_names: tuple[str, ...]) -> tuple[float, float, float, float]:
    """Highest glyph top, lowest glyph bottom, largest left and right overhang of ``text`` in any
    of the fonts (fractions of the size)."""
    top = bottom = left = right = 0.0
    for ch in set(text):
        if ch.isspace():
            continue
        for rl in rl_names:
            t, b, lo, ro = _char_ink(rl, ch)
            top, bottom, left, right = max(top, t), max(bottom, b), max(left, lo), max(right, ro)
    return top, bottom, left, right


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

    If nothing fits, the layout at ``min_size_pt`` keeps the whole lines that fit (top-aligned) and
    returns the others in ``cut`` with ``overflow=True``. Offsets are in mm from the box's top-left.
    """
    def face(bold: bool) -> str:
        return bold_font if bold else font

    def unit(text: str, bold: bool) -> float:
        return fonts.string_width_pt(text, face(bold), 1.0)

    words = _words(spans)
    word_w = [None if w is None else sum(unit(t, b) for t, b in w) for w in words]
    space_w = max(unit(" ", False), unit(" ", True))
    rl_names = (fonts.rl_name(font), fonts.rl_name(bold_font))
    ink_top, ink_bottom, ink_left, ink_right = ink_extent("".join(sp.text for sp in spans), rl_names)
    em_top, em_bottom = em_extent(rl_names)
    # a line occupies its ink and its em box; consecutive lines never share em-box height
    pad_top, pad_bottom = max(0.0, em_top - ink_top), max(0.0, em_bottom - ink_bottom)
    ink_top, ink_bottom = ink_top + pad_top, ink_bottom + pad_bottom
    line_height = max(line_height, em_top + em_bottom)
    box_w_pt = box_w_mm * MM_TO_PT

    def over(ch: str, bold: bool) -> tuple[float, float]:
        ink = _char_ink(fonts.rl_name(face(bold)), ch)
        return ink[2], ink[3]

    word_lo = [0.0 if w is None else over(w[0][0][0], w[0][1])[0] for w in words]
    word_ro = [0.0 if w is None else over(w[-1][0][-1], w[-1][1])[1] for w in words]

    broken = [False]        # the last wrap had to break a word inside it

    def wrap(size: float) -> list[list[list[tuple[str, bool]]]]:
        room = box_w_pt / size                  # glyph overhangs at the line ends count too
        broken[0] = False
        lines: list[list[list[tuple[str, bool]]]] = [[]]
        width = line_lo = 0.0
        for w, ww, lo, ro in zip(words, word_w, word_lo, word_ro):
            if w is None:
                lines.append([])
                width = 0.0
                continue
            if lines[-1] and line_lo + width + space_w + ww + ro <= room:
                lines[-1].append(w)
                width += space_w + ww
            elif lo + ww + ro <= room:
                if lines[-1]:
                    lines.append([])
                lines[-1].append(w)
                width, line_lo = ww, lo
            else:                                   # a word wider than the box: break inside it
                broken[0] = True
                limit = room - ink_left - ink_right
                if lines[-1]:
                    lines.append([])
                width, line_lo = 0.0, ink_left
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
        return size * (ink_top + (max(n, 1) - 1) * line_height + ink_bottom) * PT_TO_MM

    size = size_pt
    while True:
        lines = wrap(size)
        fits = height_mm(len(lines), size) <= box_h_mm + 1e-6
        if fits and broken[0] and size > min_size_pt + 1e-9:
            size = max(min_size_pt, size - SIZE_STEP_PT)    # a smaller size before breaking a word
            continue
        if fits or size <= min_size_pt + 1e-9:
            break
        size = max(min_size_pt, size - SIZE_STEP_PT)
    total_h = height_mm(len(lines), size)
    if not fits:
        valign = "top"
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
        first = next(((t.lstrip()[:1], b) for t, b in runs if t.strip()), ("", False))
        last = next(((t.rstrip()[-1:], b) for t, b in reversed(runs) if t.strip()), ("", False))
        pad_l = (over(*first)[0] if first[0] else 0.0) * size * PT_TO_MM
        pad_r = (over(*last)[1] if last[0] else 0.0) * size * PT_TO_MM
        offset = {"left": pad_l, "center": pad_l + (box_w_mm - pad_l - pad_r - x) / 2,
                  "right": box_w_mm - pad_r - x}[align]
        baseline = top + (ink_top + i * line_height) * size * PT_TO_MM
        laid.append(LaidLine(tuple((offset + xx, t, b) for xx, (t, b) in zip(xs, runs)), baseline, x))
    out = TextLayout(size, tuple(laid), total_h, not fits, (), ink_top, ink_bottom, line_height, pad_top, pad_bottom)
    if not fits:
        n = len(laid)
        while n > 0 and out.block_mm(n) > box_h_mm + 1e-6:
            n -= 1
        out = out.keep(n)
    return out


def _append_char(line: list[list[tuple[str, bool]]], ch: str, bold: bool) -> None:
    """Append a character to the last (broken) word of ``line`` without inserting a space."""
    last = line[-1]
    if last and last[-1][1] == bold:
        last[-1] = (last[-1][0] + ch, bold)
    else:
        last.append((ch, bold))
