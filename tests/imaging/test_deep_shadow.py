"""A deep lamp shadow filled by bluish skylight is cast shadow, not product (issue 19).

Drawn by hand, no model: the mask handed to ``shadow_region`` is the product plus its shadow, as the
model gives it when it takes a hard, dark shadow for part of the product.
"""
from __future__ import annotations

import numpy as np

from studio.imaging.refine import background_model, shadow_region

H, W = 240, 320


def _scene():
    rng = np.random.default_rng(5)
    img = np.empty((H, W, 3), np.float32)
    img[:] = (205, 200, 190)                                  # warm grey paper
    box = np.zeros((H, W), bool)
    box[70:170, 90:170] = True                                # a white box: lit front face
    img[box] = (245, 243, 238)
    side = np.zeros((H, W), bool)
    side[70:170, 170:195] = True                              # its side face in soft shade: the paper's colour
    img[side] = np.array((205, 200, 190)) * 0.86
    dark = np.zeros((H, W), bool)
    dark[70:170, 60:90] = True                                # a dark brown face on the other side
    img[dark] = (70, 45, 30)
    shadow = np.zeros((H, W), bool)
    shadow[110:200, 195:270] = True                           # the lamp's hard shadow beside the box
    shadow[170:200, 120:195] = True
    # 0.4 of the paper's light, filled by bluish sky: red down, blue up
    img[shadow] = np.array((205, 200, 190)) * 0.4 * np.array((0.92, 0.98, 1.11))
    img += rng.normal(0, 2.5, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    fg = box | side | dark | shadow
    return img, fg, box | side | dark, shadow


def test_deep_bluish_shadow_beside_a_product_is_removed_and_the_product_kept():
    img, fg, product, shadow = _scene()
    prob = np.where(fg, 0.99, 0.01).astype(np.float32)
    found = shadow_region(img, fg, background_model(img, fg), prob=prob)
    assert found[shadow].mean() >= 0.85                       # the shadow goes
    assert found[product].mean() <= 0.01                      # the box, its shaded side, its dark face stay
