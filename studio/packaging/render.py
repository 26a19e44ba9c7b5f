"""The pack's print PDF at actual size: background with 3 mm bleed, each panel's composed label
painted by the label engine's painter (turned to its face), then the cut and fold lines as
SEPARATE named spot colours (``CutContour``, ``FoldLines``) set to overprint, so a cutting
plotter or die maker reads them and they never knock out or print as artwork.

When the net (plus bleed and a margin) does not fit the printer's paper, it is tiled across
pages with a 10 mm overlap and alignment marks.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

from reportlab.lib.colors import CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

from ..labels import ComposedLabel
# The label engine's one painter. It has no public "paint a composed label here" function yet,
# so these two internals are used in this one place only (see the report of issue 11).
from ..labels.render_pdf import Painter, paint_label, rgb
from ..labels.units import MM_TO_PT
from .net import Net, Panel

CUT_COLOUR = CMYKColorSep(0, 1, 0, 0, spotName="CutContour")
FOLD_COLOUR = CMYKColorSep(1, 0, 0, 0, spotName="FoldLines")
CUT_WIDTH_PT = 0.5
FOLD_WIDTH_PT = 0.5
PAPERS_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "F4": (215.0, 330.0), "A3": (297.0, 420.0)}
PRINTER_MARGIN_MM = 6.0     # what an office printer cannot reach, at each edge
TILE_OVERLAP_MM = 10.0
SLUG_MM = 12.0              # space around the net on an actual-size page (marks, caption)


@dataclass(frozen=True)
class Tile:
    """One printed page of a tiled net: the window of the net (mm) it shows."""

    page: int
    row: int
    col: int
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    landscape: bool


def plan_tiles(net_w_mm: float, net_h_mm: float, paper: str, *, bleed_mm: float = 3.0,
               margin_mm: float = PRINTER_MARGIN_MM, overlap_mm: float = TILE_OVERLAP_MM) -> list[Tile]:
    """Pages needed to print a net of ``net_w_mm`` × ``net_h_mm`` (plus bleed) at actual size on
    ``paper`` ("A4", "F4", "A3"), portrait or landscape, whichever needs fewer pages.

    :raises KeyError: unknown paper.
    """
    pw, ph = PAPERS_MM[paper]
    total_w, total_h = net_w_mm + 2 * bleed_mm, net_h_mm + 2 * bleed_mm
    best: list[Tile] | None = None
    for landscape in (False, True):
        w, h = (ph, pw) if landscape else (pw, ph)
        aw, ah = w - 2 * margin_mm, h - 2 * margin_mm
        cols = 1 if total_w <= aw else math.ceil((total_w - overlap_mm) / (aw - overlap_mm))
        rows = 1 if total_h <= ah else math.ceil((total_h - overlap_mm) / (ah - overlap_mm))
        tiles = []
        for r in range(rows):
            for c in range(cols):
                x = -bleed_mm + c * (aw - overlap_mm) if cols > 1 else -(aw - net_w_mm) / 2
                y = -bleed_mm + r * (ah - overlap_mm) if rows > 1 else -(ah - net_h_mm) / 2
                tiles.append(Tile(len(tiles), r, c, x, y, aw, ah, landscape))
        if best is None or len(tiles) < len(best):
            best = tiles
    return best or []


def _outward_edges(net: Net, panel: Panel, bleed_mm: float) -> tuple[float, float, float, float]:
    """The panel's net rectangle grown by ``bleed_mm`` on every side that is a cut edge of the
    net (art runs past the cut), not on sides that are folds or touch other art."""
    x, y, w, h = panel.net_rect

    def on_cut(ax: float, ay: float, bx: float, by: float) -> bool:
        mx, my = (ax + bx) / 2, (ay + by) / 2
        """Whether the midpoint of the edge (a, b) lies on a cut segment."""
        for loop in net.cuts:
            for i in range(len(loop)):
                (px, py), (qx, qy) = loop[i], loop[(i + 1) % len(loop)]
                cross = (qx - px) * (my - py) - (qy - py) * (mx - px)
                within = min(px, qx) - 1e-3 <= mx <= max(px, qx) + 1e-3 and \
                    min(py, qy) - 1e-3 <= my <= max(py, qy) + 1e-3
                if within and abs(cross) < 1e-3 * max(1.0, math.hypot(qx - px, qy - py)):
                    return True
        return False

    left = bleed_mm if on_cut(x, y, x, y + h) else 0.0
    right = bleed_mm if on_cut(x + w, y, x + w, y + h) else 0.0
    top = bleed_mm if on_cut(x, y, x + w, y) else 0.0
    bottom = bleed_mm if on_cut(x, y + h, x + w, y + h) else 0.0
    return (x - left, y - top, w + left + right, h + top + bottom)


class _NetPainter:
    """Paints one net in net coordinates (origin at the net's top-left, y down, mm) on a canvas
    whose current origin is the net's top-left corner (PDF y up)."""

    def __init__(self, c: Canvas, net: Net, composed: dict[str, ComposedLabel], background: str,
                 bleed_mm: float) -> None:
        self.c, self.net, self.composed, self.bg, self.bleed = c, net, composed, background, bleed_mm
        self.painter = Painter(c)

    def prepare(self) -> None:
        """Embed images once (must run outside any form)."""
        for lab in self.composed.values():
            self.painter.prepare_images(lab.primitives)

    def _path(self, points, *, close: bool = True):
        p = self.c.beginPath()
        (x0, y0), rest = points[0], points[1:]
        p.moveTo(x0 * MM_TO_PT, -y0 * MM_TO_PT)
        for x, y in rest:
            p.lineTo(x * MM_TO_PT, -y * MM_TO_PT)
        if close:
            p.close()
        return p

    def background(self) -> None:
        """Every printed piece in the background colour; the outline stroked 2 × bleed wide with
        round joins makes the exact bleed band outside the cut. Glue areas stay unprinted."""
        c = self.c
        c.saveState()
        c.setFillColorRGB(*rgb(self.bg))
        c.setStrokeColorRGB(*rgb(self.bg))
        c.setLineJoin(1)
        c.setLineCap(1)
        for piece in self.net.pieces:
            if piece.printed and not piece.glue:
                c.drawPath(self._path(piece.points), stroke=0, fill=1)
        if self.bleed > 0:
            c.setLineWidth(2 * self.bleed * MM_TO_PT)
            for loop in self.net.cuts:
                c.drawPath(self._path(loop), stroke=1, fill=0)
            # bleed must not cover glue flaps: repaint them white
            c.setFillColorRGB(1, 1, 1)
            for piece in self.net.pieces:
                if piece.glue and not piece.printed:
                    c.drawPath(self._path(piece.points), stroke=0, fill=1)
        c.restoreState()

    def panels(self) -> None:
        """Each panel's composed label by the engine painter, moved and turned onto its face,
        clipped to the face (plus bleed where the face ends at a cut)."""
        c = self.c
        for panel in self.net.panels:
            lab = self.composed.get(panel.id)
            if lab is None:
                continue
            cx, cy, cw, ch = _outward_edges(self.net, panel, self.bleed)
            c.saveState()
            clip = c.beginPath()
            clip.rect(cx * MM_TO_PT, -(cy + ch) * MM_TO_PT, cw * MM_TO_PT, ch * MM_TO_PT)
            c.clipPath(clip, stroke=0, fill=0)
            ox, oy = panel.to_net(0.0, 0.0)
            c.translate(ox * MM_TO_PT, -oy * MM_TO_PT)
            c.rotate(-panel.rotation)
            paint_label(self.painter, lab, lab.primitives, self.bleed, clip=True, outline=False)
            c.restoreState()

    def lines(self) -> None:
        """Cut contour and fold lines in their own spot colours, overprinting."""
        c = self.c
        c.saveState()
        c.setStrokeOverprint(1)
        c.setOverprintMask(1)
        c.setLineJoin(1)
        c.setStrokeColor(CUT_COLOUR)
        c.setLineWidth(CUT_WIDTH_PT)
        for loop in self.net.cuts:
            c.drawPath(self._path(loop), stroke=1, fill=0)
        for hx, hy, r in self.net.holes:
            c.circle(hx * MM_TO_PT, -hy * MM_TO_PT, r * MM_TO_PT, stroke=1, fill=0)
        c.setStrokeColor(FOLD_COLOUR)
        c.setLineWidth(FOLD_WIDTH_PT)
        c.setDash(4, 2)
        for (ax, ay), (bx, by) in self.net.folds:
            c.line(ax * MM_TO_PT, -ay * MM_TO_PT, bx * MM_TO_PT, -by * MM_TO_PT)
        c.restoreState()

    def paint(self, *, lines: bool = True) -> None:
        self.background()
        self.panels()
        if lines:
            self.lines()


def _new_canvas(buf: io.BytesIO, w_mm: float, h_mm: float, default_font: str, title: str) -> Canvas:
    c = Canvas(buf, pagesize=(w_mm * MM_TO_PT, h_mm * MM_TO_PT), pageCompression=1, invariant=1,
               initialFontName=default_font, initialFontSize=7)
    c.setTitle(title or "Studio Kemasan")
    c.setCreator("Studio Kemasan")
    c.setAuthor("Studio Kemasan")
    return c


def _caption(c: Canvas, x_pt: float, y_pt: float, text: str, font: str) -> None:
    c.saveState()
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.setFont(font, 7)
    c.drawString(x_pt, y_pt, text)
    c.restoreState()


def render_pack_pdf(net: Net, composed: dict[str, ComposedLabel], *, background: str = "#FFFFFF",
                    bleed_mm: float = 3.0, paper: str | None = None, title: str = "", caption: str = "",
                    lines: bool = True) -> bytes:
    """The print PDF of ``net`` with each panel's composed label on its face, at actual size.

    ``paper=None`` gives one page the size of the net plus bleed and a slug (for a print shop or
    a cutting plotter; TrimBox = the net's bounding box, BleedBox = + ``bleed_mm``). ``paper`` =
    "A4" | "F4" | "A3" prints on an office printer: one page if it fits, else tiles with overlap
    marks. ``lines=False`` leaves out the cut and fold lines (an artwork-only raster for mockups).

    :raises KeyError: unknown paper.
    """
    default_font = next(iter(composed.values())).default_font if composed else "Helvetica"
    buf = io.BytesIO()
    if paper is None:
        pw, ph = net.width_mm + 2 * (bleed_mm + SLUG_MM), net.height_mm + 2 * (bleed_mm + SLUG_MM)
        c = _new_canvas(buf, pw, ph, default_font, title)
        painter = _NetPainter(c, net, composed, background, bleed_mm)
        painter.prepare()
        m = bleed_mm + SLUG_MM
        c.setTrimBox((m * MM_TO_PT, m * MM_TO_PT, (m + net.width_mm) * MM_TO_PT, (m + net.height_mm) * MM_TO_PT))
        c.setBleedBox(((m - bleed_mm) * MM_TO_PT, (m - bleed_mm) * MM_TO_PT,
                       (m + net.width_mm + bleed_mm) * MM_TO_PT, (m + net.height_mm + bleed_mm) * MM_TO_PT))
        c.saveState()
        c.translate(m * MM_TO_PT, (ph - m) * MM_TO_PT)
        painter.paint(lines=lines)
        c.restoreState()
        if caption:
            _caption(c, m * MM_TO_PT, 4 * MM_TO_PT, caption, default_font)
        c.showPage()
        c.save()
        return buf.getvalue()
    tiles = plan_tiles(net.width_mm, net.height_mm, paper, bleed_mm=bleed_mm)
    pw, ph = PAPERS_MM[paper]
    c = None
    for tile in tiles:
        w, h = (ph, pw) if tile.landscape else (pw, ph)
        if c is None:
            c = _new_canvas(buf, w, h, default_font, title)
            painter = _NetPainter(c, net, composed, background, bleed_mm)
            painter.prepare()
            # the artwork once as a form; the spot-colour lines go on each page itself, so the page
            # resources name the separations (a form's own resources would not)
            c.beginForm("net", -(bleed_mm + 1) * MM_TO_PT, -(net.height_mm + bleed_mm + 1) * MM_TO_PT,
                        (net.width_mm + bleed_mm + 1) * MM_TO_PT, (bleed_mm + 1) * MM_TO_PT)
            painter.paint(lines=False)
            c.endForm()
        else:
            c.setPageSize((w * MM_TO_PT, h * MM_TO_PT))
        m = PRINTER_MARGIN_MM
        c.saveState()
        clip = c.beginPath()
        clip.rect(m * MM_TO_PT, m * MM_TO_PT, tile.w_mm * MM_TO_PT, tile.h_mm * MM_TO_PT)
        c.clipPath(clip, stroke=0, fill=0)
        # page point of net (0,0): the window's top-left sits at the printable area's top-left
        c.translate((m - tile.x_mm) * MM_TO_PT, (h - m + tile.y_mm) * MM_TO_PT)
        c.doForm("net")
        if lines:
            painter.lines()
        c.restoreState()
        if len(tiles) > 1:
            _tile_marks(c, tile, tiles, w, h, default_font, caption)
        elif caption:
            _caption(c, m * MM_TO_PT, 2.5 * MM_TO_PT, caption, default_font)
        c.showPage()
    c.save()
    return buf.getvalue()


def _tile_marks(c: Canvas, tile: Tile, tiles: list[Tile], w_mm: float, h_mm: float, font: str,
                caption: str) -> None:
    """Overlap marks in the printer margin: where the neighbouring page's window begins (glue
    the next page up to this line), corner crosses, and the page's place in the grid."""
    m, ov = PRINTER_MARGIN_MM, TILE_OVERLAP_MM
    rows = max(t.row for t in tiles) + 1
    cols = max(t.col for t in tiles) + 1
    k = MM_TO_PT
    c.saveState()
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.3)
    left, right, top, bottom = m, w_mm - m, m, h_mm - m      # printable window in page mm (y down)

    def vline(x: float) -> None:      # short ticks in the top and bottom margins
        c.line(x * k, (h_mm - top + 1) * k, x * k, (h_mm - 1) * k)
        c.line(x * k, 1 * k, x * k, (h_mm - bottom - 1) * k)

    def hline(y: float) -> None:
        c.line(1 * k, (h_mm - y) * k, (left - 1) * k, (h_mm - y) * k)
        c.line((right + 1) * k, (h_mm - y) * k, (w_mm - 1) * k, (h_mm - y) * k)

    if tile.col < cols - 1:
        vline(right - ov)
    if tile.col > 0:
        vline(left + ov)
    if tile.row < rows - 1:
        hline(bottom - ov)
    if tile.row > 0:
        hline(top + ov)
    for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
        c.line((x - 3) * k, (h_mm - y) * k, (x + 3) * k, (h_mm - y) * k)
        c.line(x * k, (h_mm - y - 3) * k, x * k, (h_mm - y + 3) * k)
    c.restoreState()
    label = f"{chr(65 + tile.row)}{tile.col + 1}  ({tile.page + 1}/{len(tiles)})  " \
            f"Tumpuk {ov:g} mm di garis tanda / overlap {ov:g} mm at the marks"
    _caption(c, (m + 4) * k, 2.2 * k, (caption + "  ·  " if caption else "") + label, font)
