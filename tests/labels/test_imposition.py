from __future__ import annotations

import pytest

from studio.labels import Calibration, plan_slots
from studio.labels.imposition import crop_marks_mm, page_count


def test_plan_slots_fills_pages_row_by_row(layouts):
    lay = layouts["avery-l7160"]
    slots = plan_slots(lay, 50)
    assert [s.page for s in slots].count(0) == 21 and slots[-1].page == 2
    assert (slots[1].x_mm, slots[1].y_mm) == pytest.approx((7.21 + 66.04, 15.15))
    assert (slots[3].x_mm, slots[3].y_mm) == pytest.approx((7.21, 15.15 + 38.1))
    assert slots[21].page == 1 and slots[21].index == 0
    assert page_count(lay, 50) == 3


def test_first_slot_skips_used_slots_on_the_first_page_only(layouts):
    lay = layouts["avery-l7160"]
    slots = plan_slots(lay, 21, first_slot=5)
    assert slots[0].index == 5 and slots[0].page == 0
    assert [s.index for s in slots if s.page == 1] == list(range(5))   # page 2 starts at slot 0
    assert page_count(lay, 21, first_slot=5) == 2
    with pytest.raises(ValueError):
        plan_slots(lay, 1, first_slot=21)


def test_calibration_moves_right_and_down_and_scales_from_the_top_left(layouts):
    lay = layouts["avery-l7160"]
    cal = Calibration(offset_x_mm=1.5, offset_y_mm=-0.5, scale_x=1.01, scale_y=0.99)
    plain, moved = plan_slots(lay, 4), plan_slots(lay, 4, calibration=cal)
    for a, b in zip(plain, moved):
        assert b.x_mm == pytest.approx(a.x_mm * 1.01 + 1.5)
        assert b.y_mm == pytest.approx(a.y_mm * 0.99 - 0.5)
    with pytest.raises(ValueError):
        Calibration(scale_x=1.5)


def test_crop_marks_stay_in_the_margins_of_an_nup_sheet(layouts):
    lay = layouts["a4-nup-3x5-60x50"]
    marks = crop_marks_mm(lay)
    assert len(marks) == 2 * (6 + 10)        # each cut line gets a mark at both ends
    grid_right = lay.left_mm + 2 * lay.step_x_mm + lay.label_w_mm
    grid_bottom = lay.top_mm + 4 * lay.step_y_mm + lay.label_h_mm
    for (x1, y1), (x2, y2) in marks:
        for x, y in ((x1, y1), (x2, y2)):
            assert 0 < x < lay.paper_w_mm and 0 < y < lay.paper_h_mm
            outside = x < lay.left_mm or x > grid_right or y < lay.top_mm or y > grid_bottom
            assert outside, "a crop mark must not run into the label grid"
