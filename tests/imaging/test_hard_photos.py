"""Harder generated photos (issue 19): what a producer would notice in the cut-out.

A few samples, not a sweep; bench/photos.py measures the whole tuning and held-out parts.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.imaging import metrics, segment, synthetic

SIZE = (800, 600)


def _side_face(mask: np.ndarray) -> np.ndarray:
    """The right-most fifth of the product: the shaded side face of a white box."""
    xs = np.nonzero(mask)[1]
    return mask & (np.arange(mask.shape[1])[None, :] > xs.max() - 0.2 * (xs.max() - xs.min()))


@pytest.fixture(scope="module")
def white_box_in_shade():
    photo = synthetic.make_scene(58, "white_shade", size=SIZE)
    assert photo.products == ("white_box",) and photo.background == "paper"
    return photo, segment.segment(photo.image)


def test_two_products_in_one_photo_are_both_kept():
    photo = synthetic.make_scene(41, "two_products", size=SIZE)     # a tin beside a soy-sauce bottle
    assert "dark_bottle" in photo.products
    mask = segment.segment(photo.image)
    n, labels = cv2.connectedComponents(photo.mask.astype(np.uint8))
    assert n == 3                                                    # two separate products
    for i in (1, 2):
        assert (mask[labels == i] >= 128).mean() >= 0.95
    assert metrics.iou(mask, photo.mask) >= 0.97


def test_white_box_on_white_paper_keeps_its_shaded_side_face(white_box_in_shade):
    photo, mask = white_box_in_shade
    assert (mask[_side_face(photo.mask)] >= 128).mean() >= 0.95
    assert metrics.iou(mask, photo.mask) >= 0.97


def test_the_white_box_shadow_on_the_table_is_removed(white_box_in_shade):
    photo, mask = white_box_in_shade
    assert photo.shadow.sum() > 0.05 * photo.mask.sum()             # a real, sizeable shadow
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.03


def test_shadow_grey_foil_is_kept_and_its_shadow_removed():
    photo = synthetic.make_scene(42, "foil", size=SIZE)
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= 0.97
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_scene_uploads_rotated_by_exif_or_heic_show_the_generated_mask_upright():
    from studio.imaging.io import open_upload

    photo = synthetic.make_scene(43, "two_products", size=(320, 240))
    for data in (synthetic.jpeg_bytes(synthetic.stored_pixels(photo.image, 6), orientation=6, quality=95),
                 synthetic.heic_bytes(synthetic.stored_pixels(photo.image, 3), orientation=3)):
        shown = np.asarray(open_upload(data).image).astype(int)
        assert shown.shape[:2] == photo.mask.shape
        assert np.abs(shown - np.asarray(photo.image).astype(int)).mean() < 4
