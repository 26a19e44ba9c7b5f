"""The demo's generated food photo (a plate of balado chips): deterministic, and mostly food colours
on the plate (red chilli coating over cassava yellow), not a pack."""
from __future__ import annotations

import numpy as np
import pytest

from studio.imaging.synthetic import make_food_photo


def test_the_food_photo_is_deterministic_and_shows_red_and_yellow_chips_on_a_plate():
    a = make_food_photo(3, size=(400, 300))
    b = make_food_photo(3, size=(400, 300))
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    px = np.asarray(a.image).astype(int)[a.mask]
    red = (px[:, 0] > px[:, 1] + 60) & (px[:, 0] > 120)
    yellow = (px[:, 0] > 170) & (px[:, 1] > 130) & (px[:, 2] < px[:, 1] - 30)
    assert 0.45 <= a.mask.mean() <= 0.6          # the plate fills half the frame
    assert red.mean() > 0.25 and yellow.mean() > 0.05, (red.mean(), yellow.mean())
    with pytest.raises(ValueError):
        make_food_photo(1, food="rendang")
