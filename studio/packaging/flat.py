"""Flat printed pieces: wrap-around labels (jars, bottles), folded header cards (plastic bags) and
front/back stickers for stand-up pouches. All lengths in mm.
"""
from __future__ import annotations

import math

from .catalogue import Pack
from .net import Net, Panel, Piece, build_net, rect

#: fraction of the circumference given to the front (principal display) panel of a wrap label
#: (120° of arc: text further round the curve is too foreshortened to read from the front)
WRAP_FRONT_FRACTION = 1 / 3


def wrap_width_mm(diameter_mm: float, overlap_mm: float) -> float:
    """Flat width of a wrap-around label: circumference π·d plus the seam overlap (mm)."""
    return math.pi * diameter_mm + overlap_mm


def wrap_label(diameter_mm: float, label_height_mm: float, overlap_mm: float, *, pack_id: str = "wrap",
               corner_radius_mm: float = 0.0) -> Net:
    """A wrap label for a cylinder of ``diameter_mm``: width = π·d + overlap.

    The label starts with the seam overlap (glued under the other end, kept free of content).
    The visible circumference after the overlap is split into three equal panels: the
    information panel ``back``, the principal panel ``front`` centred exactly opposite the seam
    edge (at overlap + π·d/2), and a ``side`` panel.

    :raises ValueError: non-positive size, or overlap too large for the circumference.
    """
    if diameter_mm <= 0 or label_height_mm <= 0 or overlap_mm < 0:
        raise ValueError("diameter and label height must be positive, overlap zero or positive")
    circ = math.pi * diameter_mm
    if overlap_mm > circ / 4:
        raise ValueError("overlap is more than a quarter of the circumference")
    width = circ + overlap_mm
    third = circ * WRAP_FRONT_FRACTION
    front_w = third
    front_x = overlap_mm + circ / 2 - front_w / 2
    margin = max(2.0, min(4.0, label_height_mm * 0.05))
    panels = [
        Panel("back", "back", overlap_mm, 0.0, front_x - overlap_mm, label_height_mm, 0, margin,
              "Panel informasi", "Information panel"),
        Panel("front", "front", front_x, 0.0, front_w, label_height_mm, 0, margin,
              "Panel utama (depan)", "Principal display panel (front)"),
        Panel("side", "side", front_x + front_w, 0.0, width - front_x - front_w, label_height_mm, 0, margin,
              "Panel samping", "Side panel"),
    ]
    pieces = [Piece("label", rect(0.0, 0.0, width, label_height_mm))]
    notes = (f"Lebar = π × {diameter_mm:g} + {overlap_mm:g} = {width:.1f} mm; tempelan {overlap_mm:g} mm di kiri "
             "ditutup ujung kanan.",)
    return build_net(pack_id, "wrap", pieces, panels, folded_mm=(diameter_mm, diameter_mm, label_height_mm),
                     keep_free=((0.0, 0.0, overlap_mm, label_height_mm),) if overlap_mm else (), notes=notes)


def header_card(card_width_mm: float, card_depth_mm: float, *, staple_zone_mm: float = 10.0,
                hang_hole_mm: float = 6.0, pack_id: str = "header") -> Net:
    """A header card folded over the top of a plastic bag: ``card_width_mm`` × 2·``card_depth_mm``
    flat, one fold across the middle. The lower half is the ``front`` face (upright, fold at its
    top); the upper half is the ``back`` face, turned 180° so it reads upright once folded.

    The staple zone (``staple_zone_mm`` from each open edge, where the card is stapled through
    the bag) and the hang hole near the fold are kept free of content: the panels stop short of
    them. The hang hole (``hang_hole_mm`` across, 0 = none) is punched through both layers, so
    the flat card has two holes mirrored about the fold.

    :raises ValueError: non-positive size or no room left for content.
    """
    if card_width_mm <= 0 or card_depth_mm <= 0:
        raise ValueError("card size must be positive")
    hole_band = (hang_hole_mm + 6.0) if hang_hole_mm > 0 else 0.0      # fold → below the hole + 1 mm
    content_h = card_depth_mm - staple_zone_mm - hole_band
    if content_h < 12:
        raise ValueError("the card face has less than 12 mm left between the hang hole and the staples")
    D, W = card_depth_mm, card_width_mm
    margin = 2.5
    panels = [
        Panel("back", "back", 0.0, staple_zone_mm, W, content_h, 180, margin,
              "Muka belakang kartu", "Back face of the card"),
        Panel("front", "front", 0.0, D + hole_band, W, content_h, 0, margin,
              "Muka depan kartu", "Front face of the card"),
    ]
    pieces = [Piece("back_face", rect(0.0, 0.0, W, D)), Piece("front_face", rect(0.0, D, W, D))]
    holes = ()
    if hang_hole_mm > 0:
        r = hang_hole_mm / 2
        off = 2.5 + r
        holes = ((W / 2, D - off, r), (W / 2, D + off, r))
    keep = ((0.0, 0.0, W, staple_zone_mm), (0.0, 2 * D - staple_zone_mm, W, staple_zone_mm))
    return build_net(pack_id, "header", pieces, panels, holes=holes, keep_free=keep,
                     folded_mm=(W, 1.0, D),
                     notes=("Lipat di garis tengah, jepit ke kantong plastik dengan staples di area bawah "
                            f"({staple_zone_mm:g} mm) yang kosong.",))


def pouch_stickers(pack: Pack) -> Net:
    """Front and back stickers for a stand-up pouch: as wide as the face between the side seals
    (minus a gap) and as tall as the face between the top seal/zip and the bottom gusset.

    The two stickers are laid side by side with a 10 mm gap (two cut outlines, no folds).
    """
    d = pack.dims
    gap = d["label_gap_mm"]
    w = d["width_mm"] - 2 * (d["side_seal_mm"] + gap)
    h = d["height_mm"] - d["top_seal_mm"] - d["gusset_mm"] - 2 * gap
    w, h = math.floor(w), math.floor(h)
    r = 3.0
    panels = [Panel("front", "front", 0.0, 0.0, w, h, 0, 3.0, "Stiker depan", "Front sticker"),
              Panel("back", "back", w + 10.0, 0.0, w, h, 0, 3.0, "Stiker belakang", "Back sticker")]
    pieces = [Piece("front_sticker", _round_rect(0.0, 0.0, w, h, r)),
              Piece("back_sticker", _round_rect(w + 10.0, 0.0, w, h, r))]
    return build_net(pack.id, "pouch", pieces, panels, folded_mm=(d["width_mm"], d["gusset_mm"], d["height_mm"]),
                     notes=(f"Stiker {w:g} × {h:g} mm: tempel {d['top_seal_mm'] + gap:g} mm di bawah tepi atas "
                            "kemasan, di tengah.",))


def _round_rect(x: float, y: float, w: float, h: float, r: float, n: int = 6):
    """A rectangle with rounded corners as a polygon (arcs approximated by ``n`` segments)."""
    pts = []
    for cx, cy, a0 in ((x + w - r, y + r, -90), (x + w - r, y + h - r, 0), (x + r, y + h - r, 90),
                       (x + r, y + r, 180)):
        for i in range(n + 1):
            a = math.radians(a0 + 90 * i / n)
            pts.append((round(cx + r * math.cos(a), 4), round(cy + r * math.sin(a), 4)))
    return tuple(pts)
