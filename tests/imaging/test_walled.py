"""A notch closed off by the product's own outline is product; one whose mouth is the table's line is
not (issue 19). Drawn by hand, no model: an empty jar whose glass left of the middle the mask missed."""
from __future__ import annotations

import numpy as np

from studio.imaging.refine import walled_pockets


def _jar(tiled: bool) -> tuple[np.ndarray, np.ndarray]:
    img = np.full((400, 400, 3), 170, np.uint8)                 # a plain light table
    if tiled:
        for at in range(8, 400, 100):                            # dark grout between 100 px tiles, one of
            img[:, at:at + 3] = 60                               # its lines where the jar's wall is
            img[at:at + 3, :] = 60
    img[100:140, 108:292] = (40, 60, 120)                        # the lid
    img[140:330, 110:290] = (120, 120, 110)                      # the glass, the table seen through it
    img[140:330, 108:111] = 60                                   # the jar's left wall
    mask = np.zeros((400, 400), bool)
    mask[100:140, 108:292] = True
    mask[140:330, 170:290] = True                                # the glass right of x = 170
    mask[320:330, 108:290] = True                                # and the base
    return img, mask


def test_a_notch_whose_mouth_is_the_jars_wall_is_filled():
    img, mask = _jar(tiled=False)
    added = walled_pockets(mask, img)
    assert added[150:320, 115:165].all()                         # the missed glass
    assert not added[:, :105].any() and not (added & mask).any()


def test_a_notch_whose_mouth_is_a_tile_joint_is_not_filled():
    # the grout line runs on across the table: it is not the product's outline
    img, mask = _jar(tiled=True)
    assert not walled_pockets(mask, img).any()
