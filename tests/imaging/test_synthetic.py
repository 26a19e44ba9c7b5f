"""The generator the tests and the bench rely on is deterministic and its masks are exact."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageCms

from studio.imaging import synthetic


def test_same_seed_same_pixels_and_masks():
    a = synthetic.make_photo(5, size=(160, 120), product="tin", background="wood")
    b = synthetic.make_photo(5, size=(160, 120), product="tin", background="wood")
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image)) and np.array_equal(a.mask, b.mask)


def test_shadow_and_product_masks_do_not_overlap():
    p = synthetic.make_photo(6, size=(160, 120), product="box", background="paper")
    assert p.mask.any() and p.shadow.any() and not (p.mask & p.shadow).any()


def test_adobe_like_profile_is_a_valid_icc_profile():
    prof = ImageCms.ImageCmsProfile(io.BytesIO(synthetic.adobe_rgb_profile()))
    assert "Adobe" in ImageCms.getProfileDescription(prof)
    data = synthetic.jpeg_bytes(Image.new("RGB", (8, 8)), icc_profile=synthetic.adobe_rgb_profile(), gps=True)
    im = Image.open(io.BytesIO(data))
    assert im.info["icc_profile"] and im.getexif().get_ifd(0x8825)


def test_tuning3_is_its_own_validation_part():
    # the shadow work's validation photos: seeds neither tuning nor held-out use, wider light and
    # shadow, its own surfaces; the tuning part's pixels do not change because it exists
    plan = synthetic.scene_plan("tuning3", 20)
    seeds = {p["seed"] for p in plan}
    assert seeds.isdisjoint(p["seed"] for p in synthetic.scene_plan("tuning", 20))
    assert seeds.isdisjoint(p["seed"] for p in synthetic.scene_plan("heldout", 20))
    assert all(p["shadow_variant"] and not p["heldout"] for p in plan)
    backgrounds = {synthetic.make_scene(p["seed"], p["scene"], size=(160, 120), shadow_variant=True).background
                   for p in plan[:10]}
    assert backgrounds & set(synthetic.TUNING3_SURFACES)
    assert not backgrounds & set(synthetic.HELDOUT_SURFACES)
    a = synthetic.make_scene(1006, "foil", size=(160, 120))
    b = synthetic.make_scene(1006, "foil", size=(160, 120), shadow_variant=True)
    assert a.shadow.any() and b.shadow.any()
    assert not np.array_equal(np.asarray(a.image), np.asarray(b.image))


def test_the_tuning2_part_varies_the_scene_but_keeps_its_product_and_mask():
    # "tuning2" (the check for changes tuned on "tuning"): other seeds, and make_scene(vary=True) draws the
    # extra variation (surface colour, shadow darkness/softness, light, film thickness/haze/tint) from a
    # second random stream, so the product, its exact mask and the tuning/held-out pixels stay as they were
    plan = synthetic.scene_plan("tuning2", 12)
    assert [p["seed"] for p in plan[:2]] == [3000, 3001] and all(p["vary"] and not p["heldout"] for p in plan)
    assert not any(p["vary"] for p in synthetic.scene_plan("tuning", 12) + synthetic.scene_plan("heldout", 12))
    plain = synthetic.make_scene(3003, "clear_film", size=(160, 120))
    varied = synthetic.make_scene(3003, "clear_film", size=(160, 120), vary=True)
    assert varied.products == plain.products and varied.background == plain.background
    assert np.array_equal(varied.mask, plain.mask)
    assert np.abs(np.asarray(varied.image).astype(int) - np.asarray(plain.image).astype(int)).mean() > 3
    again = synthetic.make_scene(3003, "clear_film", size=(160, 120), vary=True)
    assert np.array_equal(np.asarray(again.image), np.asarray(varied.image))


def test_the_patterned_part_puts_every_class_on_a_patterned_cloth():
    plan = synthetic.scene_plan("patterned", 20)
    assert {p["scene"] for p in plan} == set(synthetic.SCENES)
    assert {p["surface"] for p in plan} == set(synthetic.PATTERN_SURFACES)
    seeds = {p["seed"] for p in plan}
    for other in ("tuning", "tuning2", "tuning3", "heldout"):
        assert seeds.isdisjoint(p["seed"] for p in synthetic.scene_plan(other, 20))
        assert not any("surface" in p for p in synthetic.scene_plan(other, 20))
    p = plan[0]
    photo = synthetic.make_scene(p["seed"], p["scene"], size=(160, 120), surface=p["surface"])
    assert photo.background == p["surface"]
