"""Pack geometry: box nets from inside dimensions and board thickness, wrap labels, header
cards, the catalogue files."""
from __future__ import annotations

import math

import pytest

from studio.packaging import (PackError, header_card, load_packs, pack_from_dict, pack_net, plan_tiles,
                              tray_with_lid, tuck_end_box, wrap_label, wrap_width_mm)
from studio.packaging.net import Net


def _k(p):
    return (round(p[0], 3), round(p[1], 3))


def _fold_set(net: Net) -> set[frozenset]:
    return {frozenset((_k(a), _k(b))) for a, b in net.folds}


def _seg(a, b) -> frozenset:
    return frozenset((_k(a), _k(b)))


def _box(L=100, W=50, D=140, t=0.4, glue=14.0, tuck=0.0):
    return pack_from_dict({"id": "box-test", "length_mm": L, "width_mm": W, "depth_mm": D, "board_mm": t,
                           "glue_flap_mm": glue, "tuck_mm": tuck}, pack_type="box_tuck")


def test_tuck_box_panels_follow_the_inside_size_plus_board_allowances():
    t = 0.4
    net = tuck_end_box(_box(t=t, tuck=16))
    L, W, D = 100, 50, 140
    front, back = net.panel("front"), net.panel("back")
    left, right, top = net.panel("left"), net.panel("right"), net.panel("top")
    assert (front.w_mm, front.h_mm) == pytest.approx((L + t, D + 3 * t))
    assert (back.w_mm, back.h_mm) == pytest.approx((L + t, D + 3 * t))
    assert (left.w_mm, right.w_mm) == pytest.approx((W + t, W + t))
    assert (top.w_mm, top.h_mm) == pytest.approx((L + t, W + t))
    # the four tube panels are the mid-plane perimeter of an (L + t) x (W + t) rectangle
    assert front.w_mm + back.w_mm + left.w_mm + right.w_mm == pytest.approx(2 * (L + t) + 2 * (W + t))
    # total extent: glue flap + four panels; tuck + closure + body + closure + tuck
    assert net.width_mm == pytest.approx(14 + 2 * (L + t) + 2 * (W + t))
    assert net.height_mm == pytest.approx(2 * (16 + W + t) + D + 3 * t)
    assert net.folded_mm == pytest.approx((L + 2 * t, W + 2 * t, D + 4 * t))


def test_tuck_box_fold_lines_are_exactly_where_panels_meet():
    net = tuck_end_box(_box(tuck=16))
    f, b, l, r, top = (net.panel(p) for p in ("front", "back", "left", "right", "top"))
    y0, y1 = f.y_mm, f.y_mm + f.h_mm
    expected = {
        _seg((b.x_mm, y0), (b.x_mm, y1)),                      # glue flap | back
        _seg((l.x_mm, y0), (l.x_mm, y1)),                      # back | left
        _seg((f.x_mm, y0), (f.x_mm, y1)),                      # left | front
        _seg((r.x_mm, y0), (r.x_mm, y1)),                      # front | right
        _seg((b.x_mm, y0), (b.x_mm + b.w_mm, y0)),             # back | top closure (reverse tuck)
        _seg((b.x_mm, top.y_mm), (b.x_mm + b.w_mm, top.y_mm)),  # top closure | tuck flap
        _seg((f.x_mm, y1), (f.x_mm + f.w_mm, y1)),             # front | bottom closure
        _seg((l.x_mm, y0), (l.x_mm + l.w_mm, y0)), _seg((l.x_mm, y1), (l.x_mm + l.w_mm, y1)),   # dust flaps
        _seg((r.x_mm, y0), (r.x_mm + r.w_mm, y0)), _seg((r.x_mm, y1), (r.x_mm + r.w_mm, y1)),
        _seg((f.x_mm, y1 + top.h_mm), (f.x_mm + f.w_mm, y1 + top.h_mm)),                        # bottom tuck
    }
    assert _fold_set(net) == expected
    assert len(net.cuts) == 1, "one closed cut contour around the whole blank"
    # the front's top edge and the back's bottom edge are cut (reverse tuck: closures on opposite panels)
    assert _seg((f.x_mm, y0), (f.x_mm + f.w_mm, y0)) not in _fold_set(net)


def test_thicker_board_grows_every_panel():
    thin, thick = tuck_end_box(_box(t=0.3)), tuck_end_box(_box(t=1.0))
    assert thick.panel("front").w_mm - thin.panel("front").w_mm == pytest.approx(0.7)
    assert thick.panel("front").h_mm - thin.panel("front").h_mm == pytest.approx(3 * 0.7)


def test_tray_with_lid_base_walls_and_lid_clearance():
    t, c = 0.5, 1.0
    pack = pack_from_dict({"id": "tray", "length_mm": 200, "width_mm": 150, "depth_mm": 60, "lid_depth_mm": 30,
                           "board_mm": t, "clearance_mm": c}, pack_type="box_tray")
    net = tray_with_lid(pack)
    base, lid = net.panel("back"), net.panel("front")
    assert (base.w_mm, base.h_mm) == pytest.approx((200 + 3 * t, 150 + t))
    tray_out_l, tray_out_w = 200 + 4 * t, 150 + 2 * t
    assert (lid.w_mm, lid.h_mm) == pytest.approx((tray_out_l + c + 3 * t, tray_out_w + c + t))
    assert net.panel("lid_near").h_mm == pytest.approx(30 + t / 2)
    wall = net.piece("tray_wall_near").points
    assert max(y for _, y in wall) - min(y for _, y in wall) == pytest.approx(60 + t / 2)
    assert len(net.cuts) == 2, "tray and lid are two pieces of board"
    # every base/top edge is a fold to a wall: 4 + 4, plus 8 corner flaps
    assert len(net.folds) == 16
    assert {net.panel(p).rotation for p in ("lid_near", "lid_far", "lid_left", "lid_right")} == {0, 90, 180, 270}


def test_wrap_label_width_is_circumference_plus_overlap_with_front_centred():
    net = wrap_label(75.0, 60.0, 6.0)
    assert net.width_mm == pytest.approx(math.pi * 75 + 6)
    assert wrap_width_mm(75, 6) == pytest.approx(net.width_mm)
    front = net.panel("front")
    assert front.x_mm + front.w_mm / 2 == pytest.approx(6 + math.pi * 75 / 2)   # opposite the seam edge
    xs = sorted((p.x_mm, p.x_mm + p.w_mm) for p in net.panels)
    assert xs[0][0] == pytest.approx(6.0) and xs[-1][1] == pytest.approx(net.width_mm)
    assert all(a[1] == pytest.approx(b[0]) for a, b in zip(xs, xs[1:])), "panels tile the visible wrap"
    assert net.keep_free == ((0.0, 0.0, 6.0, 60.0),)
    assert not net.folds and len(net.cuts) == 1


def test_header_card_folds_in_the_middle_and_keeps_staple_zones_free():
    net = header_card(120, 50, staple_zone_mm=10, hang_hole_mm=6)
    assert (net.width_mm, net.height_mm) == pytest.approx((120, 100))
    assert _fold_set(net) == {_seg((0, 50), (120, 50))}
    front, back = net.panel("front"), net.panel("back")
    assert back.rotation == 180 and front.rotation == 0
    for x, y, w, h in net.keep_free:
        for p in (front, back):
            px, py, pw, ph = p.net_rect
            assert py + ph <= y + 1e-9 or py >= y + h - 1e-9, "no panel over a staple zone"
    assert len(net.holes) == 2 and net.holes[0][1] + net.holes[1][1] == pytest.approx(100)   # mirrored
    with pytest.raises(ValueError):
        header_card(120, 20)


def test_every_catalogue_file_loads_and_makes_a_net():
    packs = load_packs(__import__("pathlib").Path(__file__).resolve().parents[2] / "packs")
    assert {p.type for p in packs.values()} == {"pouch", "jar", "bottle", "header_bag", "box_tuck", "box_tray"}
    for pack in packs.values():
        net = pack_net(pack)
        assert net.panels and any(p.role == "front" for p in net.panels), pack.id


def test_a_bad_pack_file_names_the_file_and_the_size(tmp_path):
    (tmp_path / "jar.toml").write_text('type = "jar"\n[[sizes]]\nid = "jar-x"\ndiameter_mm = 70\n'
                                       'height_mm = 50\nlabel_height_mm = 60\n')
    with pytest.raises(PackError, match=r"jar\.toml: pack 'jar-x': label_height_mm"):
        load_packs(tmp_path)
    (tmp_path / "jar.toml").write_text('type = "jar"\n[[sizes]]\nid = "jar-x"\ndiameter_mm = 70\n'
                                       'height_mm = 90\nlabel_height_mm = 60\ncolour = "red"\n')
    with pytest.raises(PackError, match=r"jar\.toml: .*unknown key\(s\) for a jar: colour"):
        load_packs(tmp_path)


def test_tiling_a_large_net_on_a4_needs_the_expected_pages():
    # 623 x 321 mm + 3 mm bleed on A4 (198 x 285 printable, 10 mm overlap): landscape 3 x 2
    tiles = plan_tiles(623.0, 321.0, "A4")
    assert len(tiles) == 6 and all(t.landscape for t in tiles)
    assert len(plan_tiles(623.0, 321.0, "A3")) == 3
    assert len(plan_tiles(120.0, 100.0, "A4")) == 1
    # neighbouring tiles overlap by 10 mm
    a, b = tiles[0], tiles[1]
    assert a.x_mm + a.w_mm - b.x_mm == pytest.approx(10.0)
