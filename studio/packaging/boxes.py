"""Folding-box dielines from INSIDE dimensions and board thickness (mm).

Board allowances (documented, tested):

* **Mid-plane rule.** Fold lines sit on the board's mid-plane. A face whose inside length is ``a``
  therefore measures ``a + t`` between its two fold lines (half a thickness at each end), where
  ``t`` is the board thickness (``board_mm``). The tube of a tuck-end box with inside L × W is
  panels of L + t, W + t, L + t, W + t.
* **Flaps lying inside.** Where flaps fold inside the box against a face (dust flaps under the
  tuck closures; a tray's corner flaps inside its end walls), each layer takes one thickness of
  the inside: the face that carries them grows by ``2 t`` (one flap layer at each end).
  So a tuck box's body height is D + t + 2t = D + 3t, a tray's base length is L + 3t.
* **Free edges.** A wall ending in a cut edge (tray and lid walls) measures ``depth + t/2`` from
  its fold: the fold is half a thickness below the inside face of the base.
* **Lid.** A tray's lid fits over the tray's outside (L + 4t) × (W + 2t) plus ``clearance_mm``.
* **Clearances.** Tuck flaps are 2t + 1 mm narrower than the opening and rounded; dust flaps
  are tapered 30 % so they clear the closure fold; the glue flap is tapered 15°.
"""
from __future__ import annotations

import math

from .catalogue import Pack
from .net import Net, Panel, Piece, build_net, rect


def _trap(x: float, y: float, w: float, d: float, inset_a: float, inset_b: float, direction: str):
    """A flap on an edge: base from (x, y) along ``w``; it extends ``d`` in ``direction``
    ("up", "down", "left", "right"); the far edge is inset by ``inset_a``/``inset_b``."""
    if direction == "up":
        return ((x, y), (x + inset_a, y - d), (x + w - inset_b, y - d), (x + w, y))
    if direction == "down":
        return ((x + w, y), (x + w - inset_b, y + d), (x + inset_a, y + d), (x, y))
    if direction == "left":      # base is the vertical edge x, from y to y + w
        return ((x, y + w), (x - d, y + w - inset_b), (x - d, y + inset_a), (x, y))
    return ((x, y), (x + d, y + inset_a), (x + d, y + w - inset_b), (x, y + w))


def _tuck(x: float, y: float, w: float, d: float, clear: float, direction: str, n: int = 6):
    """A rounded tuck flap on a horizontal edge (base ``w`` at y), narrowed by ``clear`` per side,
    extending ``d`` up or down."""
    r = min(d * 0.45, (w - 2 * clear) * 0.25)
    shoulder = min(1.0, d * 0.1)
    pts = [(x, y), (x + clear, y - shoulder)]
    for cx, a0 in ((x + clear + r, 180.0), (x + w - clear - r, 270.0)):
        cy = y - d + r
        for i in range(n + 1):
            a = math.radians(a0 + 90.0 * i / n)
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    pts += [(x + w - clear, y - shoulder), (x + w, y)]
    if direction == "down":
        pts = [(px, 2 * y - py) for px, py in reversed(pts)]
    return tuple((round(px, 4), round(py, 4)) for px, py in pts)


def tuck_end_box(pack: Pack) -> Net:
    """Reverse tuck end box: glue flap | back | left | front | right, the top closure on the back,
    the bottom closure on the front (reverse), dust flaps on both sides, top and bottom.

    Panel sizes (t = board_mm): front/back (L + t) × (D + 3t), sides (W + t) × (D + 3t),
    closures (L + t) × (W + t). See the module docstring for why.
    """
    d = pack.dims
    L, W, D, t = d["length_mm"], d["width_mm"], d["depth_mm"], d["board_mm"]
    PL, PW, H = L + t, W + t, D + 3 * t
    g = d["glue_flap_mm"]
    tuck = d["tuck_mm"] or round(min(18.0, max(10.0, 0.45 * W)), 1)
    dust = round(min(0.45 * L, max(10.0, 0.8 * W)), 1)
    xs = [g, g + PL, g + PL + PW, g + 2 * PL + PW, g + 2 * PL + 2 * PW]
    top = tuck + PW
    bot = top + H
    pieces = [
        Piece("glue", _trap(g, top, H, g, g * math.tan(math.radians(15)) + 1, g * math.tan(math.radians(15)) + 1,
                            "left"), printed=False, glue=True),
        Piece("back", rect(xs[0], top, PL, H)),
        Piece("left", rect(xs[1], top, PW, H)),
        Piece("front", rect(xs[2], top, PL, H)),
        Piece("right", rect(xs[3], top, PW, H)),
        Piece("top", rect(xs[0], tuck, PL, PW)),
        Piece("top_tuck", _tuck(xs[0], tuck, PL, tuck, 2 * t + 1.0, "up")),
        Piece("bottom", rect(xs[2], bot, PL, PW)),
        Piece("bottom_tuck", _tuck(xs[2], bot + PW, PL, tuck, 2 * t + 1.0, "down")),
    ]
    for name, x in (("left", xs[1]), ("right", xs[3])):
        taper = PW * 0.3
        pieces.append(Piece(f"{name}_dust_top", _trap(x, top, PW, dust, taper, 2.0, "up")))
        pieces.append(Piece(f"{name}_dust_bottom", _trap(x, bot, PW, dust, 2.0, taper, "down")))
    m = max(2.0, min(4.0, PW * 0.06))
    panels = [
        Panel("front", "front", xs[2], top, PL, H, 0, m, "Depan (panel utama)", "Front (principal panel)"),
        Panel("back", "back", xs[0], top, PL, H, 0, m, "Belakang (panel informasi)", "Back (information panel)"),
        Panel("left", "side", xs[1], top, PW, H, 0, m, "Samping kiri", "Left side"),
        Panel("right", "side", xs[3], top, PW, H, 0, m, "Samping kanan", "Right side"),
        # the lid is hinged at the back: its free edge ends at the front, so it reads turned 180°
        Panel("top", "side", xs[0], tuck, PL, PW, 180, m, "Tutup atas", "Top"),
        Panel("bottom", "plain", xs[2], bot, PL, PW, 0, m, "Alas", "Bottom"),
    ]
    return build_net(pack.id, "box", pieces, panels, folded_mm=(L + 2 * t, W + 2 * t, D + 4 * t),
                     notes=(f"Karton {t:g} mm. Ukuran dalam {L:g} × {W:g} × {D:g} mm.",))


def _tray(prefix: str, L: float, W: float, depth: float, t: float, g: float, x0: float, y0: float,
          role_top: str) -> tuple[list[Piece], list[Panel], tuple[float, float]]:
    """One open tray (a base with four walls and glue corner flaps on the long walls).

    Base (L + 3t) × (W + t); walls depth + t/2 high. Returns pieces, panels and the outside size.
    """
    BL, BW, h = L + 3 * t, W + t, depth + t / 2
    bx, by = x0 + h, y0 + h
    pieces = [
        Piece(f"{prefix}base", rect(bx, by, BL, BW)),
        Piece(f"{prefix}wall_far", rect(bx, y0, BL, h)),
        Piece(f"{prefix}wall_near", rect(bx, by + BW, BL, h)),
        Piece(f"{prefix}wall_left", rect(x0, by, h, BW)),
        Piece(f"{prefix}wall_right", rect(bx + BL, by, h, BW)),
    ]
    fl = min(g, BW / 2 - 1.0)
    inset = min(h * 0.25, 4.0)
    for wall, wy in (("far", y0), ("near", by + BW)):
        pieces.append(Piece(f"{prefix}corner_{wall}_l", _trap(bx, wy, h, fl, inset, inset, "left"), printed=True,
                            glue=True))
        pieces.append(Piece(f"{prefix}corner_{wall}_r", _trap(bx + BL, wy, h, fl, inset, inset, "right"),
                            printed=True, glue=True))
    m = 3.0
    panels = [Panel(f"{prefix}top" if role_top == "front" else f"{prefix}base", role_top, bx, by, BL, BW, 0, m)]
    return pieces, panels, (BL, BW)


def tray_with_lid(pack: Pack) -> Net:
    """A tray and its lid, side by side (two separate pieces of board).

    Tray: inside L × W × D. Lid: fits over the tray's outside with ``clearance_mm``; its top is
    the principal panel, its four walls carry the side panels (each turned to read upright once
    the walls fold down), the tray's base (the pack's bottom) carries the information panel.
    """
    d = pack.dims
    L, W, D, t, c = d["length_mm"], d["width_mm"], d["depth_mm"], d["board_mm"], d["clearance_mm"]
    g = d["glue_flap_mm"]
    tray_pieces, tray_panels, (tBL, tBW) = _tray("tray_", L, W, D, t, g, 0.0, 0.0, "back")
    tray_panels = [Panel("back", "back", p.x_mm, p.y_mm, p.w_mm, p.h_mm, 0, 3.0, "Alas nampan (panel informasi)",
                         "Tray base (information panel)") for p in tray_panels]
    outside_L, outside_W = L + 4 * t, W + 2 * t
    Li, Wi, Dl = outside_L + c, outside_W + c, d["lid_depth_mm"]
    lid_x = (tBL + 2 * (D + t / 2) + 2 * min(g, tBW / 2 - 1.0)) + 12.0
    lid_pieces, _p, (lBL, lBW) = _tray("lid_", Li, Wi, Dl, t, g, lid_x, 0.0, "front")
    h = Dl + t / 2
    bx, by = lid_x + h, h
    panels = tray_panels + [
        Panel("front", "front", bx, by, lBL, lBW, 0, 3.0, "Tutup (panel utama)", "Lid top (principal panel)"),
        Panel("lid_near", "side", bx, by + lBW, lBL, h, 0, 2.0, "Dinding tutup depan", "Lid front wall"),
        Panel("lid_far", "side", bx, 0.0, lBL, h, 180, 2.0, "Dinding tutup belakang", "Lid back wall"),
        Panel("lid_left", "side", lid_x, by, lBW, h, 90, 2.0, "Dinding tutup kiri", "Lid left wall"),
        Panel("lid_right", "side", bx + lBL, by, lBW, h, 270, 2.0, "Dinding tutup kanan", "Lid right wall"),
    ]
    return build_net(pack.id, "box", tray_pieces + lid_pieces, panels,
                     folded_mm=(Li + 2 * t, Wi + 2 * t, D + t),
                     notes=(f"Karton {t:g} mm. Nampan: ukuran dalam {L:g} × {W:g} × {D:g} mm; tutup "
                            f"{Li:.1f} × {Wi:.1f} × {Dl:g} mm (longgar {c:g} mm).",))
