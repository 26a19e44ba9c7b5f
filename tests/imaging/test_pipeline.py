"""Replayable cleanups: each step, defaults, outputs the producer sees, errors that must be loud."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from studio.imaging.compose import mask_bbox
from studio.imaging.ops import OPS, Frame
from studio.imaging.pipeline import DEFAULT_CLEANUP, normalise_steps, run, run_cleanup


@pytest.fixture(scope="module")
def cleaned(small_photo):
    return run_cleanup(small_photo.image, DEFAULT_CLEANUP, size_px=1200)


def test_catalogue_is_a_white_1200_square_with_the_product_filling_about_82_percent(cleaned):
    cat = np.asarray(cleaned.catalogue)
    assert cleaned.catalogue.mode == "RGB" and cleaned.catalogue.size == (1200, 1200)
    non_white = (cat < 235).any(2)
    ys, xs = np.nonzero(non_white)
    longest = max(xs.max() - xs.min() + 1, ys.max() - ys.min() + 1)
    assert 0.79 <= longest / 1200 <= 0.85
    border = np.concatenate([cat[:60].reshape(-1, 3), cat[-60:].reshape(-1, 3),
                             cat[:, :60].reshape(-1, 3), cat[:, -60:].reshape(-1, 3)])
    assert border.min() >= 250
    assert abs((xs.min() + xs.max()) / 2 - 600) <= 12 and abs((ys.min() + ys.max()) / 2 - 600) <= 12


def test_cutout_and_mask_are_full_size(cleaned, small_photo):
    assert cleaned.cutout.mode == "RGBA" and cleaned.cutout.size == small_photo.image.size
    assert cleaned.mask.mode == "L" and cleaned.mask.size == small_photo.image.size
    assert np.array_equal(np.asarray(cleaned.cutout.getchannel("A")), np.asarray(cleaned.mask))


def test_thumbnails_are_squares_of_the_requested_sizes(cleaned):
    assert sorted(cleaned.thumbnails) == [150, 300, 600]
    assert all(im.size == (s, s) and im.mode == "RGB" for s, im in cleaned.thumbnails.items())


def test_derived_images_carry_no_metadata(cleaned):
    for im in [cleaned.catalogue, cleaned.cutout, cleaned.mask, *cleaned.thumbnails.values()]:
        assert not im.info.get("exif") and not im.getexif()


def test_same_steps_give_the_same_pixels_and_steps_replay_from_json(small_photo, cleaned):
    stored = json.dumps(cleaned.steps_used)
    again = run_cleanup(small_photo.image, json.loads(stored), size_px=1200)
    assert np.array_equal(np.asarray(again.catalogue), np.asarray(cleaned.catalogue))
    assert np.array_equal(np.asarray(again.cutout), np.asarray(cleaned.cutout))


def test_unknown_step_raises_key_error_before_any_work():
    with pytest.raises(KeyError, match="blur_everything"):
        run_cleanup(Image.new("RGB", (50, 50)), [("segment", {}), ("blur_everything", {})])


def test_misspelt_parameter_fails_loudly():
    with pytest.raises(TypeError):
        run(Frame(Image.new("RGB", (50, 50))), [("rotate", {"degres": 90})])


def test_steps_must_be_json_data():
    with pytest.raises(ValueError):
        normalise_steps([("rotate", {"degrees": object()})])
    assert normalise_steps([("crop", {"box": (1, 2, 30, 40)})]) == [["crop", {"box": [1, 2, 30, 40]}]]


def test_progress_is_reported_from_zero_to_one(small_photo):
    seen = []
    run_cleanup(small_photo.image, [("segment", {}), ("square", {})], size_px=300, thumb_sizes=(),
                progress=lambda f, name: seen.append((f, name)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1.0
    assert "segment" in [n for _, n in seen]


def test_rotate_quarter_turn_moves_photo_and_mask_together():
    img = Image.new("RGB", (60, 40), (200, 200, 200))
    img.paste((255, 0, 0), (0, 0, 10, 10))
    mask = np.zeros((40, 60), np.uint8)
    mask[:10, :10] = 255
    out = OPS["rotate"](Frame(img, mask=mask), degrees=90)       # counter-clockwise
    assert out.image.size == (40, 60) and out.mask.shape == (60, 40)
    assert out.image.getpixel((5, 55))[0] == 255 and out.mask[55, 5] == 255


def test_rotate_small_angle_straightens_without_black_corners():
    img = Image.new("RGB", (60, 40), (180, 170, 160))
    out = OPS["rotate"](Frame(img), degrees=10)
    assert out.image.size[0] > 60 and out.image.getpixel((0, 0)) == (180, 170, 160)


def test_orient_applies_a_leftover_exif_tag():
    img = Image.new("RGB", (60, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    img.info["exif"] = exif.tobytes()
    assert OPS["orient"](Frame(img)).image.size == (40, 60)


def surface_photo(colour, product=(40, 90, 160)) -> Frame:
    img = Image.new("RGB", (200, 150), colour)
    img.paste(product, (70, 50, 130, 110))
    mask = np.zeros((150, 200), np.uint8)
    mask[50:110, 70:130] = 255
    return Frame(img, mask=mask)


def test_white_balance_neutralises_a_warm_cast_on_white_paper():
    out = OPS["white_balance"](surface_photo((235, 215, 180)), strength=1.0)
    r, g, b = out.image.getpixel((10, 10))
    assert max(r, g, b) - min(r, g, b) <= 6


def test_white_balance_leaves_wood_its_colour():
    frame = surface_photo((150, 95, 50))
    out = OPS["white_balance"](frame)
    assert np.abs(np.asarray(out.image).astype(int) - np.asarray(frame.image)).max() <= 2


def test_exposure_brightens_a_dim_paper_photo_without_clipping_the_product():
    out = OPS["exposure"](surface_photo((140, 140, 140), product=(200, 60, 60)))
    assert out.image.getpixel((10, 10))[0] > 180
    assert max(out.image.getpixel((100, 80))) < 255


def test_exposure_ignores_dark_cloth():
    frame = surface_photo((40, 30, 60))
    assert OPS["exposure"](frame).image is frame.image


def test_crop_override_frames_the_product_and_drops_the_rest():
    frame = surface_photo((230, 230, 230))
    frame.mask[0:20, 0:20] = 255                       # a stray blob in the corner
    out = OPS["crop"](frame, box=[60, 40, 140, 120])
    assert mask_bbox(out.mask) == (70, 50, 130, 110)
    with pytest.raises(ValueError):
        OPS["crop"](frame, box=[500, 500, 600, 600])


def test_square_uses_background_colour_and_fill_ratio():
    frame = OPS["square"](surface_photo((230, 230, 230)), fill_ratio=0.5, background="#f0e0d0")
    cat = np.asarray(frame.catalogue)
    assert tuple(cat[5, 5]) == (240, 224, 208)
    ys, xs = np.nonzero(np.abs(cat.astype(int) - (240, 224, 208)).sum(2) > 30)
    assert abs((xs.max() - xs.min() + 1) - 600) <= 4


def test_soft_shadow_darkens_the_floor_under_the_product():
    frame = surface_photo((230, 230, 230))
    plain = np.asarray(OPS["square"](frame).catalogue).astype(int)
    shaded = np.asarray(OPS["square"](OPS["soft_shadow"](frame, opacity=0.4)).catalogue).astype(int)
    below = (slice(1095, 1130), slice(300, 900))
    assert plain[below].min() >= 250 and shaded[below].mean() < plain[below].mean() - 3


def test_sharpen_adds_edge_contrast_and_needs_the_square():
    frame = OPS["square"](surface_photo((230, 230, 230)))
    sharp = OPS["sharpen"](frame, amount=1.0)
    assert np.asarray(sharp.catalogue).std() > np.asarray(frame.catalogue).std()
    with pytest.raises(ValueError):
        OPS["sharpen"](surface_photo((230, 230, 230)))


def test_cutout_edges_carry_no_background_colour(red_disc_on_green):
    result = run_cleanup(red_disc_on_green, [("segment", {}), ("square", {})], size_px=400, thumb_sizes=())
    cut = np.asarray(result.cutout).astype(int)
    alpha = cut[..., 3]
    assert alpha[185, 240] == 255 and alpha[5, 5] == 0
    visible_edge = (alpha > 20) & (alpha < 255)
    assert visible_edge.sum() > 100
    # product red (210, 30, 30) vs table green (40, 170, 60): edge colour must stay red
    assert cut[..., 1][visible_edge].max() < 80
    cat = np.asarray(result.catalogue).astype(int)
    greenish = (cat[..., 1] > cat[..., 0] + 20) & (cat[..., 1] > cat[..., 2] + 20)
    assert greenish.sum() == 0


def test_photo_with_transparency_uses_its_alpha_as_the_mask():
    rgba = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    rgba.paste((20, 120, 200, 255), (30, 20, 70, 60))
    result = run_cleanup(rgba, [("square", {})], size_px=200, thumb_sizes=())
    assert result.mask.getbbox() == (30, 20, 70, 60)


def test_manual_corrections_are_a_stored_step(small_photo):
    ys, xs = np.nonzero(small_photo.mask)
    cx, cy = int(xs.mean()), int(ys.mean())
    steps = [("segment", {}), ("correct_mask", {"bg_points": [[cx, cy]], "brush_radius_px": 6}), ("square", {})]
    result = run_cleanup(small_photo.image, steps, size_px=300, thumb_sizes=())
    assert result.steps_used[1] == ["correct_mask", {"bg_points": [[cx, cy]], "brush_radius_px": 6}]
    assert np.asarray(result.mask)[cy, cx] == 0
    assert np.asarray(result.mask)[ys.min() + 10, cx] == 255
