from __future__ import annotations

from pathlib import Path

import pytest

from studio.labels import LayoutError, SheetLayout, layout_from_dict, layout_to_dict, load_layouts, slot_origins_mm

ROOT = Path(__file__).resolve().parents[2]

SHIPPED = sorted(p.stem for p in (ROOT / "label_layouts").glob("*.toml"))
GOOD = """
name = "Test"
kind = "sheet"
[paper]
paper_w_mm = 210
paper_h_mm = 297
[label]
label_w_mm = 63.5
label_h_mm = 38.1
[grid]
columns = 3
rows = 7
left_mm = 7.21
top_mm = 15.15
step_x_mm = 66.04
step_y_mm = 38.1
"""


@pytest.mark.parametrize("stem", SHIPPED)
def test_every_shipped_layout_loads(layouts, stem):
    lay = layouts[stem]
    assert lay.id == stem
    assert lay.slots_per_page >= 1
    assert len(slot_origins_mm(lay)) == lay.slots_per_page


def test_the_promised_stocks_are_shipped(layouts):
    for stem in ("avery-l7160", "avery-l7163", "avery-l7165", "avery-l7651", "avery-5160", "round-40mm-a4",
                 "round-60mm-a4", "a4-nup-3x5-60x50", "f4-nup-3x6-60x45", "thermal-50x30", "thermal-40x30",
                 "thermal-100x150", "tj-103", "tj-121", "tj-107"):
        assert stem in layouts
    assert layouts["thermal-50x30"].printer_dpi == 203 and layouts["thermal-50x30"].kind == "roll"
    assert layouts["f4-nup-3x6-60x45"].paper_h_mm == 330 and layouts["f4-nup-3x6-60x45"].crop_marks


@pytest.mark.parametrize("stem", ["tj-103", "tj-121", "tj-107"])
def test_tom_and_jerry_sheets_are_marked_unverified_with_a_note(layouts, stem):
    lay = layouts[stem]
    assert lay.verified is False
    assert "measure" in lay.notes and "invented" in lay.notes


def test_l7160_slots_match_the_avery_template(layouts):
    origins = slot_origins_mm(layouts["avery-l7160"])
    assert origins[0] == pytest.approx((7.21, 15.15))
    assert origins[2] == pytest.approx((7.21 + 2 * 66.04, 15.15))
    assert origins[-1] == pytest.approx((7.21 + 2 * 66.04, 15.15 + 6 * 38.1))


@pytest.mark.parametrize("change, words", [
    ({"step_x_mm": "60"}, ["overlap", "step_x_mm"]),
    ({"top_mm": "40"}, ["off the paper", "bottom"]),
    ({"label_w_mm": "-5"}, ["label_w_mm", "positive"]),
    ({"columns": "0"}, ["columns"]),
])
def test_a_bad_layout_file_names_the_file_and_the_problem(tmp_path: Path, change, words):
    text = GOOD
    for key, value in change.items():
        text = "\n".join(f"{key} = {value}" if line.startswith(f"{key} =") else line for line in text.splitlines())
    (tmp_path / "ok.toml").write_text(GOOD)
    (tmp_path / "broken-sheet.toml").write_text(text)
    with pytest.raises(LayoutError) as e:
        load_layouts(tmp_path)
    msg = str(e.value)
    assert "broken-sheet.toml" in msg
    for w in words:
        assert w in msg


def test_unknown_keys_and_invalid_toml_are_reported(tmp_path: Path):
    (tmp_path / "typo.toml").write_text(GOOD.replace("rows = 7", "rows = 7\nrowz = 8"))
    with pytest.raises(LayoutError, match=r"typo\.toml: unknown key\(s\): rowz"):
        load_layouts(tmp_path)
    (tmp_path / "typo.toml").write_text("name = [unclosed")
    with pytest.raises(LayoutError, match=r"typo\.toml: not valid TOML"):
        load_layouts(tmp_path)


def test_a_circle_must_be_square():
    with pytest.raises(LayoutError, match="circle must be square"):
        SheetLayout("c", "c", "sheet", 210, 297, 40, 30, 1, 1, 10, 10, 40, 30, shape="circle")


def test_bleed_must_not_reach_the_neighbour():
    with pytest.raises(LayoutError, match="bleed_mm"):
        SheetLayout("b", "b", "nup", 210, 297, 60, 50, 3, 5, 9, 11.5, 62, 52, bleed_mm=2)


def test_layout_dict_round_trips(layouts):
    for lay in layouts.values():
        assert layout_from_dict(layout_to_dict(lay)) == lay
