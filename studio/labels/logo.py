"""Logo maker: a monogram or wordmark from a brand name, drawn as vector paths.

One drawing (:class:`LogoDrawing`: filled paths in logo units, y down) is written two ways:
as SVG (the vector original a producer downloads) and as a one-page PDF through ReportLab, which
is rasterised with pypdfium2 for the PNG (the one painter; no second Pillow drawing). Letters are
the bundled fonts' own glyph outlines (fontTools), so the SVG needs no font to display.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from .colors import contrast_ratio, ink_on, mix
from .preview import render_preview_image

KINDS = ("monogram", "wordmark")
SHAPES = ("circle", "rounded", "badge", "banner")
# Font pairings for logos: (name font, small-line font), logical names from fonts/fonts.toml.
LOGO_FONTS: dict[str, tuple[str, str]] = {
    "tegas": ("opensans-extrabold", "opensans"),
    "klasik": ("serif-bold", "serif"),
    "ramah": ("lato-black", "lato"),
    "ringkas": ("opensans-condbold", "sans"),
}
MAX_NAME_CHARS = 28
MAX_TAGLINE_CHARS = 32
PNG_LONG_SIDE_PX = 1200        # ~ 2000 ppi on a 15 mm logo; labels downsample to 300 ppi
VECTOR_INFO_KEY = "studio.logo_vector"   # PIL ``info`` key: the logo's LogoDrawing travels with its PNG
_K = 0.5522847498              # cubic Bezier handle for a quarter circle
# fontTools warns about the bundled fonts' old 'created' dates on every load: not our concern
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
_LEGAL_WORDS = {"ud", "cv", "pt", "koperasi", "kub", "ukm", "umkm", "toko"}


class LogoError(ValueError):
    """A logo that cannot be drawn; ``code`` is stable ("empty", "too_long", "glyphs", "choice")."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class LogoSpec:
    """The producer's choices. ``colour`` is '#RRGGBB' (her palette's primary)."""

    name: str
    kind: str = "monogram"
    fonts: str = "tegas"
    shape: str = "circle"
    colour: str = "#B3261E"
    tagline: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "fonts": self.fonts, "shape": self.shape,
                "colour": self.colour, "tagline": self.tagline}


Op = tuple   # ("M", x, y) | ("L", x, y) | ("C", x1, y1, x2, y2, x, y) | ("Z",)


@dataclass
class Layer:
    ops: list[Op]
    fill: str


@dataclass
class LogoDrawing:
    """Filled paths (nonzero winding) on a ``width`` × ``height`` canvas, y pointing down."""

    width: float
    height: float
    layers: list[Layer] = field(default_factory=list)
    title: str = ""


# ------------------------------------------------------------------ text as outlines
class _OpsPen(BasePen):
    """Records a glyph outline as cubic ops, scaled and moved, with y flipped (font y is up)."""

    def __init__(self, glyph_set, scale: float, dx: float, baseline: float, out: list) -> None:
        super().__init__(glyph_set)
        self.s, self.dx, self.base, self.out = scale, dx, baseline, out

    def _pt(self, p):
        return (self.dx + p[0] * self.s, self.base - p[1] * self.s)

    def _moveTo(self, p):
        self.out.append(("M", *self._pt(p)))

    def _lineTo(self, p):
        self.out.append(("L", *self._pt(p)))

    def _curveToOne(self, p1, p2, p3):
        self.out.append(("C", *self._pt(p1), *self._pt(p2), *self._pt(p3)))

    def _qCurveToOne(self, p1, p2):
        p0 = self._getCurrentPoint()
        c1 = (p0[0] + 2 / 3 * (p1[0] - p0[0]), p0[1] + 2 / 3 * (p1[1] - p0[1]))
        c2 = (p2[0] + 2 / 3 * (p1[0] - p2[0]), p2[1] + 2 / 3 * (p1[1] - p2[1]))
        self._curveToOne(c1, c2, p2)

    def _closePath(self):
        self.out.append(("Z",))

    _endPath = _closePath


@lru_cache(maxsize=16)
def _font(path: str) -> TTFont:
    return TTFont(path, lazy=True)


def missing_glyphs(text: str, font_path: Path) -> str:
    """Characters of ``text`` (spaces aside) that the font cannot draw, each once."""
    cmap = _font(str(font_path)).getBestCmap() or {}
    out = ""
    for ch in text:
        if not ch.isspace() and ord(ch) not in cmap and ch not in out:
            out += ch
    return out


def text_ops(text: str, font_path: Path, size: float, x: float, baseline: float,
             tracking: float = 0.0) -> tuple[list[Op], float]:
    """Outline ops of ``text`` set at ``size`` units from ``x`` on ``baseline``; and its advance width."""
    font = _font(str(font_path))
    cmap = font.getBestCmap() or {}
    gs = font.getGlyphSet()
    hmtx = font["hmtx"]
    scale = size / font["head"].unitsPerEm
    ops: list[Op] = []
    pen_x = x
    for ch in text:
        name = cmap.get(ord(ch))
        if name is None:
            continue
        gs[name].draw(_OpsPen(gs, scale, pen_x, baseline, ops))
        pen_x += hmtx[name][0] * scale + tracking * size
    return ops, pen_x - x - (tracking * size if text else 0.0)


def _cap_height(font_path: Path) -> float:
    """Capital height as a fraction of the em (OS/2 sCapHeight, or the 'H' outline)."""
    font = _font(str(font_path))
    os2 = font["OS/2"] if "OS/2" in font else None
    cap = getattr(os2, "sCapHeight", 0) if os2 is not None else 0
    if not cap:
        ops, _w = text_ops("H", font_path, font["head"].unitsPerEm, 0, 0)
        cap = -min(op[-1] for op in ops if len(op) > 1)
    return cap / font["head"].unitsPerEm


def _bounds(ops: list[Op]) -> tuple[float, float, float, float]:
    xs = [v for op in ops for v in op[1::2]]
    ys = [v for op in ops for v in op[2::2]]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


def _moved(ops: list[Op], dx: float, dy: float) -> list[Op]:
    return [(op[0], *[v + (dx if i % 2 == 0 else dy) for i, v in enumerate(op[1:])]) for op in ops]


def _fit_text(text: str, font_path: Path, box: tuple[float, float, float, float],
              max_cap: float) -> list[Op]:
    """``text`` centred in ``box`` (x, y, w, h), as large as fits, capitals at most ``max_cap`` high."""
    bx, by, bw, bh = box
    cap = _cap_height(font_path)
    size = max_cap / cap
    ops, width = text_ops(text, font_path, size, 0.0, 0.0)
    if width > bw:
        size *= bw / width
        ops, width = text_ops(text, font_path, size, 0.0, 0.0)
    x0, y0, x1, y1 = _bounds(ops)
    return _moved(ops, bx + (bw - (x1 - x0)) / 2 - x0, by + (bh - size * cap) / 2 + size * cap)


# ------------------------------------------------------------------ shapes
def _rect(x: float, y: float, w: float, h: float, r: float, reverse: bool = False) -> list[Op]:
    r = max(0.0, min(r, w / 2, h / 2))
    k = r * (1 - _K)
    ops: list[Op] = [("M", x + r, y), ("L", x + w - r, y), ("C", x + w - k, y, x + w, y + k, x + w, y + r),
                     ("L", x + w, y + h - r), ("C", x + w, y + h - k, x + w - k, y + h, x + w - r, y + h),
                     ("L", x + r, y + h), ("C", x + k, y + h, x, y + h - k, x, y + h - r),
                     ("L", x, y + r), ("C", x, y + k, x + k, y, x + r, y), ("Z",)]
    return _reversed(ops) if reverse else ops


def _reversed(ops: list[Op]) -> list[Op]:
    """The same closed outline drawn the other way round (a hole under nonzero winding)."""
    cur = start = (0.0, 0.0)
    segs = []
    for op in ops:
        if op[0] == "M":
            cur = op[1:3]
            start = cur
        elif op[0] == "L":
            segs.append(("L", cur, op[1:3]))
            cur = op[1:3]
        elif op[0] == "C":
            segs.append(("C", cur, op[1:3], op[3:5], op[5:7]))
            cur = op[5:7]
    out: list[Op] = [("M", *cur)]
    for seg in reversed(segs):
        if seg[0] == "L":
            out.append(("L", *seg[1]))
        else:
            out.append(("C", *seg[3], *seg[2], *seg[1]))
    if out[-1][-2:] != tuple(start):
        out.append(("L", *start))
    out.append(("Z",))
    return out


def _circle(cx: float, cy: float, r: float) -> list[Op]:
    return _rect(cx - r, cy - r, 2 * r, 2 * r, r)


def _ribbon(x: float, y: float, w: float, h: float) -> list[Op]:
    """A banner with notched (swallow-tail) ends."""
    n = h * 0.32
    return [("M", x, y), ("L", x + w, y), ("L", x + w - n, y + h / 2), ("L", x + w, y + h), ("L", x, y + h),
            ("L", x + n, y + h / 2), ("Z",)]


# ------------------------------------------------------------------ the logo
def initials(name: str) -> str:
    """Up to two capital initials of a brand name, legal-form words (UD, CV, Toko …) left out."""
    words = [w for w in re.split(r"[\s\-_.&/]+", name.strip()) if w]
    words = [w for w in words if w.lower() not in _LEGAL_WORDS] or words
    letters = [next((c for c in w if c.isalnum()), "") for w in words]
    letters = [c for c in letters if c]
    return "".join(letters[:2]).upper()


def clean_name(text: str, limit: int) -> str:
    """Printable, single-spaced text (NFC), at most ``limit`` characters. :raises LogoError: too long."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    if len(text) > limit:
        raise LogoError("too_long", str(limit))
    return text


def check_spec(spec: LogoSpec, font_paths: dict[str, Path]) -> LogoSpec:
    """A clean copy of ``spec`` that :func:`draw_logo` can draw.

    :raises LogoError: empty name (``empty``), name or tagline too long (``too_long``), unknown
        kind/shape/fonts or a colour that is not '#RRGGBB' (``choice``), or characters the chosen
        fonts cannot draw (``glyphs``, the characters in ``detail``).
    """
    if spec.kind not in KINDS or spec.shape not in SHAPES or spec.fonts not in LOGO_FONTS:
        raise LogoError("choice")
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", spec.colour or ""):
        raise LogoError("choice", "colour")
    name = clean_name(spec.name, MAX_NAME_CHARS)
    tagline = clean_name(spec.tagline, MAX_TAGLINE_CHARS)
    if not any(c.isalnum() for c in name):
        raise LogoError("empty")
    head, small = (font_paths[f] for f in LOGO_FONTS[spec.fonts])
    shown = initials(name) if spec.kind == "monogram" else name
    missing = missing_glyphs(shown, head) + missing_glyphs(tagline, small)
    if missing:
        raise LogoError("glyphs", "".join(dict.fromkeys(missing)))
    return LogoSpec(name=name, kind=spec.kind, fonts=spec.fonts, shape=spec.shape, colour=spec.colour.upper(),
                    tagline=tagline)


def draw_logo(spec: LogoSpec, font_paths: dict[str, Path]) -> LogoDrawing:
    """The logo as filled vector paths. ``font_paths`` maps logical font names to TTF files.

    Monograms are a 100 × 100 square; wordmarks are 100 high and as wide as the name needs.

    :raises LogoError: as :func:`check_spec`.
    """
    spec = check_spec(spec, font_paths)
    head, small = (font_paths[f] for f in LOGO_FONTS[spec.fonts])
    colour = spec.colour
    ink = ink_on(colour)
    # on clear paper the coloured letters must read: deepen a pale colour until they do
    deep = colour
    t = 0.0
    while contrast_ratio(deep, "#FFFFFF") < 3.0 and t < 1:
        t = round(t + 0.05, 2)
        deep = mix(colour, "#000000", t)
    if spec.kind == "monogram":
        return _monogram(spec, head, small, colour, ink, deep)
    return _wordmark(spec, head, small, colour, ink, deep)


def _monogram(spec, head, small, colour, ink, deep) -> LogoDrawing:
    letters = initials(spec.name)
    d = LogoDrawing(100.0, 100.0, title=spec.name)
    cap = 38.0 if len(letters) > 1 else 46.0
    if spec.shape == "circle":
        d.layers.append(Layer(_circle(50, 50, 50), colour))
        d.layers.append(Layer(_fit_text(letters, head, (18, 18, 64, 64), cap), ink))
    elif spec.shape == "rounded":
        d.layers.append(Layer(_rect(0, 0, 100, 100, 22), colour))
        d.layers.append(Layer(_fit_text(letters, head, (14, 14, 72, 72), cap), ink))
    elif spec.shape == "badge":
        ring = _circle(50, 50, 50) + _reversed(_circle(50, 50, 45))
        inner = _circle(50, 50, 41) + _reversed(_circle(50, 50, 39.5))
        d.layers.append(Layer(ring + inner, deep))
        d.layers.append(Layer(_fit_text(letters, head, (20, 20, 60, 60), cap), deep))
    else:  # banner: the initials above a ribbon carrying the name
        d.layers.append(Layer(_fit_text(letters, head, (10, 2, 80, 56), 44.0), deep))
        d.layers.append(Layer(_ribbon(0, 64, 100, 30), colour))
        d.layers.append(Layer(_fit_text(spec.name.upper(), small, (16, 66, 68, 26), 11.0), ink))
    return d


def _wordmark(spec, head, small, colour, ink, deep) -> LogoDrawing:
    cap = 34.0 if spec.tagline else 40.0
    name_ops, _w = text_ops(spec.name, head, cap / _cap_height(head), 0, 0)
    x0, _y0, x1, _y1 = _bounds(name_ops)
    name_w = x1 - x0
    pad = {"circle": 28.0, "banner": 40.0}.get(spec.shape, 16.0)
    width = max(100.0, name_w + 2 * pad)
    d = LogoDrawing(round(width, 2), 100.0, title=spec.name)
    name_box = (pad, 12 if spec.tagline else 10, width - 2 * pad, 56 if spec.tagline else 80)
    tag_box = (pad, 68, width - 2 * pad, 20)
    text_fill = ink
    if spec.shape == "circle":          # a pill
        d.layers.append(Layer(_rect(0, 0, width, 100, 50), colour))
    elif spec.shape == "rounded":
        d.layers.append(Layer(_rect(0, 0, width, 100, 18), colour))
    elif spec.shape == "badge":         # an outlined frame, letters in colour
        d.layers.append(Layer(_rect(0, 0, width, 100, 16) + _reversed(_rect(4, 4, width - 8, 92, 12)), deep))
        text_fill = deep
    else:
        d.layers.append(Layer(_ribbon(0, 0, width, 100), colour))
    d.layers.append(Layer(_fit_text(spec.name, head, name_box, cap), text_fill))
    if spec.tagline:
        d.layers.append(Layer(_fit_text(spec.tagline, small, tag_box, 10.0), text_fill))
    return d


# ------------------------------------------------------------------ output
def _num(v: float, decimals: int = 2) -> str:
    return f"{v:.{decimals}f}".rstrip("0").rstrip(".")


def path_data(ops: list[Op], decimals: int = 2) -> str:
    """Compact SVG path data of ``ops``: coordinates rounded to ``decimals``, written relative to
    the previous (rounded) point, so rounding never accumulates and the numbers stay short."""
    out: list[str] = []
    cx = cy = sx = sy = 0.0
    for op in ops:
        if op[0] == "Z":
            out.append("z")
            cx, cy = sx, sy
            continue
        pts = [round(v, decimals) for v in op[1:]]
        rel = [round(v - (cx if i % 2 == 0 else cy), decimals) for i, v in enumerate(pts)]
        text = ""
        for v in rel:
            num = _num(v, decimals)
            text += num if (not text or num.startswith("-")) else " " + num
        out.append(op[0].lower() + text)
        cx, cy = pts[-2], pts[-1]
        if op[0] == "M":
            sx, sy = cx, cy
    return "".join(out)


def to_svg(d: LogoDrawing, decimals: int = 2) -> str:
    """A standalone SVG document (paths only, no fonts needed); ``decimals`` 1 is plenty for an
    on-screen picture (0.1 % of the logo), 2 for the file a printer may enlarge."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(d.width)} {_num(d.height)}" '
             f'width="{_num(d.width * 4)}" height="{_num(d.height * 4)}" role="img">',
             f"<title>{escape(d.title)}</title>"]
    for layer in d.layers:
        if layer.ops:
            parts.append(f'<path fill="{layer.fill}" d="{path_data(layer.ops, decimals)}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def to_pdf(d: LogoDrawing, width_pt: float | None = None) -> bytes:
    """A one-page PDF of the logo, ``width_pt`` wide (default: 1 unit = 1 pt), paths only."""
    scale = (width_pt / d.width) if width_pt else 1.0
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(d.width * scale, d.height * scale), pageCompression=1)
    c.setTitle(d.title)
    draw_on_canvas(c, d, 0.0, 0.0, scale)
    c.showPage()
    c.save()
    return buf.getvalue()


def draw_on_canvas(c, d: LogoDrawing, x_pt: float, y_pt: float, scale: float) -> None:
    """Paint the logo on a ReportLab canvas with its bottom-left corner at (x_pt, y_pt)."""
    top = y_pt + d.height * scale

    def p(x, y):
        return x_pt + x * scale, top - y * scale

    for layer in d.layers:
        if not layer.ops:
            continue
        path = c.beginPath()
        for op in layer.ops:
            if op[0] == "M":
                path.moveTo(*p(op[1], op[2]))
            elif op[0] == "L":
                path.lineTo(*p(op[1], op[2]))
            elif op[0] == "C":
                path.curveTo(*p(op[1], op[2]), *p(op[3], op[4]), *p(op[5], op[6]))
            else:
                path.close()
        c.setFillColor(layer.fill)
        c.drawPath(path, stroke=0, fill=1, fillMode=0)   # 0 = nonzero winding


def paint_unit_square(c, d: LogoDrawing) -> None:
    """Paint the logo stretched over the unit square (0..1, y up) of a ReportLab canvas or form:
    the label painter places pictures as unit-square forms, so a logo placed this way prints as
    paths, not pixels."""
    c.saveState()
    c.scale(1.0 / d.width, 1.0 / d.height)
    draw_on_canvas(c, d, 0.0, 0.0, 1.0)
    c.restoreState()


_SVG_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_SVG_PATH = re.compile(r'<path fill="(#[0-9A-Fa-f]{6})" d="([^"]*)"/>')
_SVG_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def drawing_from_svg(svg: str) -> LogoDrawing | None:
    """Read back an SVG written by :func:`to_svg` (paths with m/l/c/z data); None for any other SVG."""
    box = _SVG_VIEWBOX.search(svg)
    if box is None:
        return None
    title = _SVG_TITLE.search(svg)
    d = LogoDrawing(float(box.group(1)), float(box.group(2)), title=title.group(1) if title else "")
    for fill, data in _SVG_PATH.findall(svg):
        ops: list[Op] = []
        cx = cy = sx = sy = 0.0
        for cmd, args in re.findall(r"([mlcz])([^mlcz]*)", data):
            if cmd == "z":
                ops.append(("Z",))
                cx, cy = sx, sy
                continue
            nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
            pts = [v + (cx if i % 2 == 0 else cy) for i, v in enumerate(nums)]
            if len(pts) != (6 if cmd == "c" else 2):
                return None
            ops.append((cmd.upper(), *pts))
            cx, cy = pts[-2], pts[-1]
            if cmd == "m":
                sx, sy = cx, cy
        d.layers.append(Layer(ops, fill.upper()))
    return d if d.layers else None


def to_png(d: LogoDrawing, long_side_px: int = PNG_LONG_SIDE_PX) -> bytes:
    """PNG (RGBA, clear background) of the logo: its PDF rasterised with pypdfium2."""
    dpi = long_side_px / max(d.width, d.height) * 72.0
    im = render_preview_image(to_pdf(d), dpi=dpi, transparent=True)
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    return out.getvalue()


__all__ = ["KINDS", "LOGO_FONTS", "LogoDrawing", "LogoError", "LogoSpec", "SHAPES", "VECTOR_INFO_KEY", "check_spec",
           "draw_logo", "draw_on_canvas", "drawing_from_svg", "initials", "paint_unit_square", "to_pdf", "to_png",
           "to_svg"]
