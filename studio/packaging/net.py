"""The flat net of a pack: pieces (polygons), panels (where the design goes), cut and fold lines.

Coordinates are millimetres from the net's top-left corner, y down (like a label). A net is
built from *pieces*: every panel and flap is a closed polygon. An edge that two pieces share is
a fold (crease) line; every other edge is cut. The cut edges are chained into closed loops so a
cutting plotter follows one path per piece of board.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]
Segment = tuple[Point, Point]

#: panel roles: the principal display panel, the information panel, other printed faces, and
#: faces that only get the background colour
ROLES = ("front", "back", "side", "plain")
_ND = 4     # decimals used to match shared edges


@dataclass(frozen=True)
class Panel:
    """A face that carries part of the design.

    ``rotation`` (0, 90, 180 or 270, clockwise) turns the panel's content on the flat net so it
    reads upright on the folded pack. ``w_mm``/``h_mm`` are the face as it reads (before
    rotation); ``x_mm, y_mm`` is the top-left of its rectangle on the net (after rotation), so
    for 90/270 the rectangle on the net is ``h_mm`` wide and ``w_mm`` tall.
    """

    id: str
    role: str
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    rotation: int = 0
    safe_margin_mm: float = 2.5
    name_id: str = ""
    name_en: str = ""

    @property
    def net_rect(self) -> tuple[float, float, float, float]:
        """(x, y, w, h) of the panel on the flat net (mm)."""
        if self.rotation in (90, 270):
            return (self.x_mm, self.y_mm, self.h_mm, self.w_mm)
        return (self.x_mm, self.y_mm, self.w_mm, self.h_mm)

    def to_net(self, u_mm: float, v_mm: float) -> Point:
        """A point (u, v) in panel coordinates (mm, origin top-left as it reads) on the net."""
        x, y, w, h = self.net_rect
        r = self.rotation % 360
        if r == 0:
            return (x + u_mm, y + v_mm)
        if r == 180:
            return (x + w - u_mm, y + h - v_mm)
        if r == 90:         # the content's "up" points to +x on the net
            return (x + w - v_mm, y + u_mm)
        return (x + v_mm, y + h - u_mm)


@dataclass(frozen=True)
class Piece:
    """One polygon of board or paper (a panel or a flap); ``printed`` False = left unprinted."""

    id: str
    points: tuple[Point, ...]
    printed: bool = True
    glue: bool = False          # glue area (kept free of ink)


@dataclass(frozen=True)
class Net:
    """Everything the printer, the cutter and the mockup need about one flat pack."""

    pack_id: str
    kind: str
    width_mm: float
    height_mm: float
    pieces: tuple[Piece, ...]
    panels: tuple[Panel, ...]
    cuts: tuple[tuple[Point, ...], ...]         # closed loops (cut contour)
    folds: tuple[Segment, ...]
    holes: tuple[tuple[float, float, float], ...] = ()     # (cx, cy, radius) punched holes
    keep_free: tuple[tuple[float, float, float, float], ...] = ()   # (x, y, w, h) no text (staples)
    folded_mm: tuple[float, float, float] = (0.0, 0.0, 0.0)       # finished pack L × W × H (outside)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def panel(self, panel_id: str) -> Panel:
        """The panel with ``panel_id``. :raises KeyError: no such panel."""
        for p in self.panels:
            if p.id == panel_id:
                return p
        raise KeyError(panel_id)

    def piece(self, piece_id: str) -> Piece:
        """The piece with ``piece_id``. :raises KeyError: no such piece."""
        for p in self.pieces:
            if p.id == piece_id:
                return p
        raise KeyError(piece_id)


def rect(x: float, y: float, w: float, h: float) -> tuple[Point, ...]:
    """A rectangle as a clockwise polygon (on screen, y down)."""
    return ((x, y), (x + w, y), (x + w, y + h), (x, y + h))


def _key(p: Point) -> tuple[float, float]:
    return (round(p[0], _ND) + 0.0, round(p[1], _ND) + 0.0)


def _edges(points: tuple[Point, ...]) -> list[Segment]:
    return [(points[i], points[(i + 1) % len(points)]) for i in range(len(points))]


def split_edges(pieces: tuple[Piece, ...]) -> tuple[list[Segment], list[Segment]]:
    """(fold segments, cut segments): an edge shared by two pieces is a fold, the rest are cut.

    Shared edges must match end to end (the net builders attach every flap along a whole edge).
    """
    count: dict[frozenset, int] = {}
    for piece in pieces:
        for a, b in _edges(piece.points):
            if _key(a) != _key(b):
                k = frozenset((_key(a), _key(b)))
                count[k] = count.get(k, 0) + 1
    folds, cuts, seen = [], [], set()
    for piece in pieces:
        for a, b in _edges(piece.points):
            if _key(a) == _key(b):
                continue
            k = frozenset((_key(a), _key(b)))
            if count[k] > 1:
                if k not in seen:
                    folds.append((a, b))
                    seen.add(k)
            else:
                cuts.append((a, b))
    return folds, cuts


def chain(segments: list[Segment]) -> tuple[tuple[Point, ...], ...]:
    """Join cut segments end to end into closed loops (one per outline)."""
    by_start: dict[tuple[float, float], list[Segment]] = {}
    for s in segments:
        by_start.setdefault(_key(s[0]), []).append(s)
    loops = []
    used: set[int] = set()
    for s in segments:
        if id(s) in used:
            continue
        loop = [s[0]]
        cur = s
        while True:
            used.add(id(cur))
            loop.append(cur[1])
            nxt = [t for t in by_start.get(_key(cur[1]), []) if id(t) not in used]
            if not nxt:
                break
            cur = nxt[0]
        if _key(loop[0]) == _key(loop[-1]):
            loop.pop()
        loops.append(tuple(loop))
    return tuple(loops)


def bounds(pieces: tuple[Piece, ...]) -> tuple[float, float, float, float]:
    """(min_x, min_y, max_x, max_y) of all pieces."""
    xs = [x for p in pieces for x, _ in p.points]
    ys = [y for p in pieces for _, y in p.points]
    return min(xs), min(ys), max(xs), max(ys)


def build_net(pack_id: str, kind: str, pieces: list[Piece], panels: list[Panel], *,
              holes: tuple = (), keep_free: tuple = (), folded_mm=(0.0, 0.0, 0.0),
              notes: tuple[str, ...] = ()) -> Net:
    """Normalise pieces so the net starts at (0, 0), then derive folds and cut loops."""
    x0, y0, x1, y1 = bounds(tuple(pieces))

    def mv(p: Point) -> Point:
        return (round(p[0] - x0, 6), round(p[1] - y0, 6))

    pcs = tuple(Piece(p.id, tuple(mv(q) for q in p.points), p.printed, p.glue) for p in pieces)
    pns = tuple(Panel(p.id, p.role, round(p.x_mm - x0, 6), round(p.y_mm - y0, 6), p.w_mm, p.h_mm, p.rotation,
                      p.safe_margin_mm, p.name_id, p.name_en) for p in panels)
    folds, cuts = split_edges(pcs)
    return Net(pack_id, kind, round(x1 - x0, 6), round(y1 - y0, 6), pcs, pns, chain(cuts), tuple(folds),
               tuple((cx - x0, cy - y0, r) for cx, cy, r in holes),
               tuple((x - x0, y - y0, w, h) for x, y, w, h in keep_free), tuple(folded_mm), tuple(notes))
