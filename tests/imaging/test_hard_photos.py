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


def test_white_pouch_keeps_the_half_in_window_shade():
    # the shaded half of a white pouch has the paper's colour and is only a little darker: it was
    # taken for cast shadow (IoU 0.64); the pouch's own cast shadow must still go
    photo = synthetic.make_scene(64, "white_shade", size=SIZE)
    assert photo.products == ("white_pouch",) and photo.shadow.sum() > 0.05 * photo.mask.sum()
    mask = segment.segment(photo.image)
    left = np.arange(SIZE[0])[None, :] < np.nonzero(photo.mask)[1].mean()
    for half in (photo.mask & left, photo.mask & ~left):
        assert (mask[half] >= 128).mean() >= 0.97                  # both halves of the pouch are kept
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.02


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


def test_foil_pouch_loses_the_shadow_strip_above_its_zigzag_seal():
    # light from below right: the seal's shadow is a thin strip above the pouch, cut off from the big
    # cast shadow by the teeth's crisp edge; it was kept as product with the teeth smoothed over
    # (800x600: IoU 0.963, boundary F 0.76, shadow kept 9.5 %)
    photo = synthetic.make_scene(1006, "foil", size=SIZE)
    mask = segment.segment(photo.image)
    top = np.nonzero(photo.mask.any(1))[0][0]
    strip = photo.shadow.copy()
    strip[top + 12:] = False                                         # the shadow above the seal's teeth
    assert strip.sum() > 500
    assert (mask[strip] >= 128).mean() <= 0.15
    assert metrics.iou(mask, photo.mask) >= 0.98
    assert metrics.boundary_f(mask, photo.mask, tolerance_px=3) >= 0.95
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_hard_shadow_beside_shadow_grey_foil_is_not_kept_as_foil():
    # tuning3-style light: a crisp L-shaped cast shadow beside a foil pouch whose grey is the shadow's.
    # The foil's texture, widened to bridge its streaks, covered the shadow along the pouch and it was
    # kept as product (800x600: IoU 0.949, shadow kept 19 %; now 0.986, 3 %)
    photo = synthetic.make_scene(7032, "foil", size=SIZE, shadow_variant=True)
    mask = segment.segment(photo.image)
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.08
    assert metrics.iou(mask, photo.mask) >= 0.975


def test_hard_shadow_round_a_foil_pouch_goes_up_to_its_soft_edge():
    # a crisp shadow up and to the right of a foil pouch, as grey as the foil: the foil's widened
    # texture covered the shadow's own outline, and a rim of shadow round the part found stayed
    # product. The rim was judged by the product's step on its "inner" side, but that side was its
    # outer one (the mask runs a pixel or two beyond the darkened table), and where the step is, the
    # contact shadow's darker band lies first (1600x1200: IoU 0.949, shadow kept 27 %; now 0.989, 6 %)
    photo = synthetic.make_scene(1100, "foil", size=(1600, 1200))
    mask = segment.segment(photo.image)
    assert photo.shadow.sum() > 0.1 * photo.mask.sum()
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.1
    assert metrics.iou(mask, photo.mask) >= 0.98


def test_foil_on_grouted_tiles_is_kept_whole():
    # held-out surface: the tiles' grout lines once set the bare surface's texture level so high
    # that the foil's streaks did not stand out, and its dark bands went as shadow (IoU 0.19)
    photo = synthetic.make_scene(9006, "foil", size=SIZE, heldout=True)
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= 0.96
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.12


def test_scene_uploads_rotated_by_exif_or_heic_show_the_generated_mask_upright():
    from studio.imaging.io import open_upload

    photo = synthetic.make_scene(43, "two_products", size=(320, 240))
    for data in (synthetic.jpeg_bytes(synthetic.stored_pixels(photo.image, 6), orientation=6, quality=95),
                 synthetic.heic_bytes(synthetic.stored_pixels(photo.image, 3), orientation=3)):
        shown = np.asarray(open_upload(data).image).astype(int)
        assert shown.shape[:2] == photo.mask.shape
        assert np.abs(shown - np.asarray(photo.image).astype(int)).mean() < 4


# ---------------------------------------------------------------- each failure class of issue 19
# One generated 800x600 photo per class, IoU against the generated mask. Floors are measured
# values less a little; the cases marked xfail are the classes still short of the goal
# (IoU >= 0.95 per photo): strict, so that a fix shows up as XPASS and the mark is removed.
GOAL = 0.95


def _photo_and_mask(scene: str, seed: int):
    photo = synthetic.make_scene(seed, scene, size=SIZE)
    return photo, segment.segment(photo.image)


@pytest.mark.parametrize(("scene", "seed", "product", "floor"), [
    ("glass_empty", 61, "glass_empty", 0.93),      # empty clear jar on paper (measured 0.949)
    ("glass_filled", 60, "glass_jar", 0.97),       # filled clear jar on wood (0.988)
    ("white_shade", 62, "white_pouch", 0.97),      # white pouch in window shade on white card (0.985)
    ("white_shade", 64, "white_pouch", 0.98),      # white pouch shaded on paper (0.640 before, 0.994)
])
def test_clear_glass_and_white_in_shade_keep_their_body(scene, seed, product, floor):
    photo, mask = _photo_and_mask(scene, seed)
    assert photo.products == (product,)
    assert metrics.iou(mask, photo.mask) >= floor
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_the_glass_below_an_empty_jars_lid_is_found_on_dark_wood():
    # the model sees only the lid; the glass below it, up to about four times the lid's area, was more
    # than the see-through step would add (IoU 0.20, measured 0.881 now)
    photo, mask = _photo_and_mask("glass_empty", 60)
    assert photo.products == ("glass_empty",) and photo.background == "wood"
    assert metrics.iou(mask, photo.mask) >= 0.85


@pytest.mark.xfail(strict=True, reason="issue 19: an empty jar's darker base band on wood is still cut (IoU 0.88)")
def test_empty_glass_on_wood_reaches_the_goal():
    photo, mask = _photo_and_mask("glass_empty", 60)
    assert photo.products == ("glass_empty",)
    assert metrics.iou(mask, photo.mask) >= GOAL


@pytest.mark.parametrize(("seed", "variation"), [
    (61, {}),                           # on paper, the model also found a strip of film (0.49 before)
    (1102, {}),                         # on paper (0.69 before)
    (3101, {"vary": True}),             # thicker, tinted film (0.47 before)
    (7100, {"shadow_variant": True}),   # on kraft card, harder light (0.47 before)
])
def test_the_film_round_a_bags_contents_is_kept(seed, variation):
    # the model sees the contents and the label, not the film, which only darkens the table a little;
    # the film's crisp outline closing round the contents brings it back (measured 0.996-0.997)
    photo = synthetic.make_scene(seed, "clear_film", size=SIZE, **variation)
    mask = segment.segment(photo.image)
    assert photo.products == ("clear_bag",)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_the_film_outline_closes_round_the_logo_on_the_bags_label():
    # the model is sure of the contents and of the logo on the label above them, but not of the label
    # round the logo: the logo was too small a piece to keep (2.8 % of the contents), and the film's
    # outline cut across the label, so the bag's top was lost (1600x1200: IoU 0.70, 9 % of the top
    # third kept; now 0.86, 57 %)
    photo = synthetic.make_scene(1013, "clear_film", size=(1600, 1200))
    mask = segment.segment(photo.image)
    rows = np.nonzero(photo.mask.any(1))[0]
    top = photo.mask.copy()
    top[rows[0] + (rows[-1] - rows[0]) // 3:] = False
    assert (mask[top] >= 128).mean() >= 0.5
    assert metrics.iou(mask, photo.mask) >= 0.84


def test_a_bag_whose_outline_its_own_shadow_blurs_on_one_side_is_kept():
    # the bag's own soft shadow blurs the film's outline along one side, so the outline path runs along
    # a real step on only 87 % of its rays (90 % asked), the see-through step finds nothing, and the
    # shadow step had taken the film: the bag was cut down to its contents (1600x1200: IoU 0.50)
    photo = synthetic.make_scene(7181, "clear_film", size=(1600, 1200), shadow_variant=True)
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


@pytest.mark.parametrize("seed", [1183, 1184])
def test_the_empty_top_of_a_filled_jar_between_lid_and_contents_is_kept(seed):
    # on wood, the model found the lid and the contents but not the clear glass between them; the
    # see-through step found it (closed off by the jar's walls) but dropped it as too small a piece to
    # be a clear body, and the notch it left opens to the side (1600x1200: IoU 0.82 and 0.95 before)
    photo = synthetic.make_scene(seed, "glass_filled", size=(1600, 1200))
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= 0.98
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_glass_beside_a_jars_shadow_does_not_shut_the_shadow_in():
    # a piece of glass and shadow beside a filled jar on striped cloth, with the product above and below
    # it, was taken as the jar's empty top; the shadow it shut in was then kept as product seen through
    # glass (1600x1200: IoU 0.88, 33 % of the shadow kept). Such a piece must be bordered by the product
    photo = synthetic.make_scene(1012, "glass_filled", size=(1600, 1200))
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


@pytest.mark.parametrize(("scene", "seed", "variation", "min_iou", "max_shadow"), [
    ("glass_filled", 1181, {}, 0.91, 0.02),                        # before: 0.880, 8.4 % of the shadow kept
    ("foil", 3180, {"vary": True}, 0.96, 0.22),                    # before: 0.949, 27 %
    ("glass_empty", 7182, {"shadow_variant": True}, 0.93, 0.30),   # before: 0.882, 50 %
])
def test_a_cast_shadow_cut_into_bands_by_cloth_stripes_is_removed(scene, seed, variation, min_iou, max_shadow):
    # the stripes' edges cut the shadow into bands, most of them away from the open table, and they were
    # kept as product. Bands joined to the shadow across the stripes' own edges, as dark as a cast shadow,
    # are shadow too (at 1600x1200 now 0.92 / 0.3 %, 0.97 / 18 %, 0.95 / 21 %: on the last two a part of
    # the shadow is still kept)
    photo = synthetic.make_scene(seed, scene, size=(1600, 1200), **variation)
    assert photo.background == "cloth"
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= min_iou
    assert metrics.shadow_taken(mask, photo.shadow) <= max_shadow


def test_a_thin_bags_faint_outline_on_striped_cloth_is_kept():
    # a thin film's outline on striped cloth is a faint step (median 0.075 along the path, 0.08 asked):
    # the bag was cut down to its contents (1600x1200: IoU 0.39; now 0.98, 7.5 % of the shadow kept)
    photo = synthetic.make_scene(3181, "clear_film", size=(1600, 1200), vary=True)
    assert photo.background == "cloth"
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.1


def test_a_foil_pouchs_dark_folds_are_kept_inside_its_own_outline():
    # the dark folds of a foil pouch are as dark as a cast shadow, and the shadow step cut them out of
    # the pouch (1600x1200: IoU 0.70). The pouch's straight sides still close them off (the notch's
    # mouth runs along a sharp edge), so they are product (now 0.86; the shadow beside it stays out)
    photo = synthetic.make_scene(7105, "foil", size=(1600, 1200), shadow_variant=True)
    assert photo.products == ("foil",)
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= 0.83
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.02


def test_a_hard_shadow_above_a_foil_pouchs_zigzag_seal_is_removed():
    # the pouch's foil leaks into the shadow rule, and only the cast shadow whose texture is the bare
    # surface's stays shadow. The strip of shadow above the zig-zag seal is all crisp outline, whose
    # own band of texture failed that test for the whole shadow (1600x1200: IoU 0.79, 94 % of the
    # shadow kept); its texture is now read away from the outline (0.99, 2.6 %)
    photo = synthetic.make_scene(7141, "foil", size=(1600, 1200), shadow_variant=True)
    assert photo.products == ("foil",)
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_an_empty_jar_joined_to_its_soft_shadow_keeps_its_glass():
    # the wall's crisp line has gaps beside the jar's soft shadow, so the glass and the shadow were one
    # piece, which showed no wall and went as shadow: only the lid was kept (1600x1200: IoU 0.22). Cut
    # along every strong edge, the glass shows its wall (now 0.99)
    photo = synthetic.make_scene(1308, "glass_empty", size=(1600, 1200))
    assert photo.products == ("glass_empty",) and photo.background == "paper"
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def _uploaded_12mp(scene: str, seed: int, **variation):
    """A 12 MP generated photo uploaded as a phone JPEG, and the cut-out of it."""
    from studio.imaging.io import open_upload

    photo = synthetic.make_scene(seed, scene, size=(4000, 3000), **variation)
    return photo, segment.segment(open_upload(synthetic.jpeg_bytes(photo.image)).image)


def _assert_jar_whole_without_its_shadow(photo, mask) -> None:
    assert photo.products == ("glass_empty",)
    assert metrics.iou(mask, photo.mask) >= GOAL
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def test_an_empty_jar_on_wood_grain_is_whole_over_its_own_shadow():
    # wood grain has crisp steps everywhere: a closed path through them round an empty jar and its
    # shadow passed the film's other checks on this 12 MP JPEG (IoU 0.86 -> 0.54, shadow and table
    # kept). The steps along it are weak (median 0.049); a film's outline is one clear step (>= 0.115).
    # The jar stands over its own shadow: the shadow seen through the glass was cut out as shadow and
    # left holes in the jar (IoU 0.867); a shadow wholly inside the product's outline is product
    photo, mask = _uploaded_12mp("glass_empty", 1101)
    assert photo.background == "wood"
    assert metrics.iou(mask, photo.mask) >= 0.98
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.02


def _assert_whole_without_its_shadow(photo, mask) -> None:
    """The 12 MP cut-out is the product to within 2 % and keeps at most 5 % of its cast shadow."""
    assert metrics.iou(mask, photo.mask) >= 0.98
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


def _assert_cut_whole_on(background: str, scene: str, seed: int, **variation) -> None:
    """The 12 MP photo of ``scene`` lies on ``background``, and its cut-out is whole without its shadow."""
    photo, mask = _uploaded_12mp(scene, seed, **variation)
    assert photo.background == background
    _assert_whole_without_its_shadow(photo, mask)


@pytest.mark.parametrize("seed", [1607, 1621])
def test_a_jars_thin_shadow_strip_cut_up_by_wood_grain_is_removed(seed):
    # strong wood grain: its steps lie a few pixels apart, and the edge guard left nothing of the thin
    # strip of shadow between the jar's (or its lid's) outline and the shadow's crisp outline, so the
    # strip was kept (12 MP JPEG: 1607 IoU 0.950, shadow kept 30 %; 1621 0.961, 49 %). Across steps no
    # stronger than the grain's, the strip is one thin, darkened piece reaching the outside (now 0.998 /
    # 1 % and 0.997 / 3 %)
    _assert_cut_whole_on("wood", "glass_empty", seed)


def test_a_pouchs_shadow_across_wood_grain_is_removed_where_it_widens():
    # the pouch's shadow runs along its side and seal and widens at a corner: too wide for the strip rule
    # above, so it was kept (12 MP JPEG: IoU 0.966, shadow kept 13 %). It keeps the wood's colour more
    # closely than glass can (chromaticity distance 0.0096; glass 0.012 and up): now 0.996 / 1 %
    _assert_cut_whole_on("wood", "foil", 1142)


def test_a_jars_thin_dark_base_on_wood_grain_is_not_taken_for_a_shadow_strip():
    # the strip rule above took the base of this jar, thin and dark too, for a strip of shadow; the mask
    # then had a notch and the film step closed round the jar and its whole shadow (the bench's tuning
    # photo 1008: IoU 0.994 -> 0.55). A shadow keeps the surface's colour (strips: chromaticity distance
    # 0.006-0.011), the jar's base does not (0.036)
    _assert_cut_whole_on("wood", "colour_cast", 1008)


def test_a_thin_strip_of_shadow_beside_a_jars_wall_is_not_freed_as_glass():
    # the jar's shadow lies a little to its side: the thin strip of it outside the glass shows a wall (the
    # jar's own, just inside it), so the wall test freed it as glass and it was kept (12 MP JPEG: IoU
    # 0.931, shadow kept 35 %). The table seen through glass takes the glass's tint, the strip keeps the
    # surface's colour (chromaticity distance 0.003 against glass 0.011-0.041): now 0.996 / 1 %
    _assert_cut_whole_on("paper", "glass_empty", 1144)


@pytest.mark.parametrize("seed, variation", [(1406, {}), (3180, {"vary": True})])
def test_a_pouchs_thin_shadow_strip_on_striped_cloth_is_removed_band_for_band(seed, variation):
    # the strip of shadow beside the pouch (its side, its zig-zag seal) crosses the cloth's stripes: the
    # dark stripes' bands in it were too small to join the shadow across the stripes' edges, and stayed
    # product (12 MP JPEG: 1406 IoU 0.968, shadow kept 17 %; 3180 0.968, 16 %). Now 0.996 / 2 % and
    # 0.994 / 3 %
    _assert_cut_whole_on("cloth", "foil", seed, **variation)


@pytest.mark.parametrize("seed", [1108, 1181])
def test_an_empty_jars_faint_shadow_on_striped_cloth_is_removed_band_for_band(seed):
    # a jar's faint shadow is as light as its glass (its bands between the stripes 0.68-0.86 of the light),
    # so the stripe join's darkness bar left its bands as product (12 MP JPEG: 1108 IoU 0.966, shadow kept
    # 25 %; 1181 0.917, 22 %). The bands keep the cloth's colour, the glass tints it: now 0.992 / 4 % and
    # 0.987 / 1 %
    _assert_cut_whole_on("cloth", "glass_empty", seed)


@pytest.mark.parametrize("seed", [1601, 1611])
def test_a_bags_outline_round_its_contents_shadow_beside_it_leaves_the_shadow_out(seed):
    # the model sees only the bag's contents; the film's outline found round them also closed round the
    # contents' cast shadow where it lies beside the bag (12 MP JPEG: 1601 IoU 0.946, shadow kept 17 %;
    # 1611 0.894, 31 %). The film tints what is seen through it, the open table in shadow keeps the
    # surface's colour: that piece is left out (now 0.991 / 2 % and 0.988 / 2 %)
    photo, mask = _uploaded_12mp("clear_film", seed)
    assert photo.products == ("clear_bag",)
    _assert_whole_without_its_shadow(photo, mask)


def test_an_empty_jars_highlight_keeps_its_glass_from_passing_as_plain_shadow():
    # the shadow rule reads a piece's texture away from its outline (a thin strip of shadow above a
    # foil's seal is all outline). The jar's highlight is a small hole in its glass, and counting it as
    # outline too made the glass as plain as a shadow: only the lid was kept (12 MP: 0.97 -> 0.21)
    photo, mask = _uploaded_12mp("glass_empty", 1415)
    assert photo.background == "paper"
    assert metrics.iou(mask, photo.mask) >= GOAL


@pytest.mark.parametrize(("seed", "variation"), [
    (3101, {"vary": True}),             # on paper tinted pink, its shadow beside it (0.22 before)
    (7100, {"shadow_variant": True}),   # on kraft card, harder light (0.23 before)
])
def test_an_empty_jars_body_is_not_taken_for_a_hard_shadow(seed, variation):
    # the table seen through the jar is darkened and has a crisp outline, like a hard cast shadow, so
    # the shadow step took the whole body and only the lid and a glint were left. The glass wall darkens
    # towards the outline and ends in a thin dark band; a shadow is flat up to its edge (measured 0.997)
    _assert_jar_whole_without_its_shadow(*_uploaded_12mp("glass_empty", seed, **variation))


@pytest.mark.parametrize(("seed", "variation"), [
    # IoU on c162140, then with the wall check alone (6e31332), and the share of the shadow kept
    (1103, {}),                         # on paper (0.45, 0.72; 87 % of the shadow kept)
    (7101, {"shadow_variant": True}),   # hard light: the shadow copies the jar's walls (0.66, 0.80; 84 %)
])
def test_an_empty_jars_faint_shadow_is_not_kept_as_a_shaded_face(seed, variation):
    # the jar's own shadow is as faint as a white box's shaded side (0.81-0.83 of the table) and the
    # model is as sure of it, so it was kept as product. A shaded face is darker than the lit product
    # beside it; beside this shadow is the glass, darker still (measured 0.997)
    _assert_jar_whole_without_its_shadow(*_uploaded_12mp("glass_empty", seed, **variation))


def test_an_empty_jars_faint_hard_shadow_without_a_wall_is_not_kept():
    # hard light on paper: the jar's shadow below it is as faint as a shaded face (0.83 of the table)
    # and has a crisp outline, but no wall, so it was no candidate and stayed product whole (800x600:
    # IoU 0.844, 93 % of the shadow kept). The model is sure of it, and the glass beside it is darker
    # than it; beside a shaded face is the lit product (now 0.970, 2.7 %)
    photo = synthetic.make_scene(7140, "glass_empty", size=SIZE, shadow_variant=True)
    mask = segment.segment(photo.image)
    assert photo.shadow.sum() > 0.1 * photo.mask.sum()
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05
    assert metrics.iou(mask, photo.mask) >= 0.96


def test_the_outline_of_a_clear_jar_is_not_shaved():
    # low-contrast glass rim on wood: the cut-out edge must sit on the true one (3 px tolerance)
    photo, mask = _photo_and_mask("glass_filled", 60)
    assert metrics.boundary_f(mask, photo.mask, tolerance_px=3) >= 0.9      # measured 0.953


# ---------------------------------------------------------------- fixes of issue 19 (helper "cutout")
# A narrower shadow rule (a dark piece the product closes in is never shadow) passes these two on the
# tuning photos, but on the held-out photos it kept far more shadow as product (4.4 % -> 14.8 %, foil
# and small far products), so it was not taken (issue 19). The dark bottle now passes by another,
# narrower rule; the empty jar stays here as the goal.
SHADOW_RULE_PENDING = pytest.mark.xfail(strict=True, reason="issue 19: needs a shadow rule that holds on held-out photos")


def test_dark_bottle_on_dark_cloth_is_kept_and_its_shadow_removed():
    # in the shadow on dark cloth the sensor noise is a large step in log brightness: it made short
    # sharp "edges" that cut the shadow into crumbs kept as product (IoU 0.77, 69 % of the shadow
    # kept). The edge bar now rises as the light falls (helper "film"): measured 0.990 and 0.6 %
    photo, mask = _photo_and_mask("dark_on_dark", 65)
    assert photo.products == ("dark_bottle",) and photo.background == "dark_cloth"
    assert metrics.iou(mask, photo.mask) >= 0.97
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.03


@SHADOW_RULE_PENDING
def test_empty_clear_jar_keeps_its_body_below_the_lid():
    # the body seen through the glass looks like shadow; the lid and the glass close it in
    # (IoU 0.93 before, measured 0.984 after)
    photo, mask = _photo_and_mask("glass_empty", 66)
    assert photo.products == ("glass_empty",)
    assert metrics.iou(mask, photo.mask) >= 0.97
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.03


def test_outline_sits_on_the_true_edge_in_a_larger_photo():
    # 1600x1200: the model's outline comes from a 1024 px picture and sat up to 10 px inside a
    # kraft pouch and a dark bottle on wood; at full resolution it is moved onto the real edge
    # (boundary F at 3 px 0.927 before, measured 0.959 after)
    photo = synthetic.make_scene(71, "two_products", size=(1600, 1200))
    mask = segment.segment(photo.image)
    assert metrics.boundary_f(mask, photo.mask, tolerance_px=3) >= 0.945
    assert metrics.iou(mask, photo.mask) >= 0.98


def _zigzag_pouch(h: int = 600, w: int = 800) -> tuple[np.ndarray, np.ndarray]:
    """A kraft pouch with a zig-zag top seal on light wood (low contrast), and its exact mask."""
    xs = np.linspace(250, 550, 29)
    top = [(x, 120 + (14 if i % 2 else 0)) for i, x in enumerate(xs)]
    pts = np.array(top + [(550, 500), (250, 500)], np.float32)
    truth = np.zeros((h, w), np.uint8)
    cv2.fillPoly(truth, [np.round(pts * 16).astype(np.int32)], 1, lineType=cv2.LINE_8, shift=4)
    rng = np.random.default_rng(3)
    wood = np.array([200, 170, 130], np.float32) + rng.normal(0, 2, (h, w, 1))
    kraft = np.array([165, 130, 90], np.float32)
    img = np.where(truth[..., None] > 0, kraft, wood)
    img = cv2.GaussianBlur(img, (0, 0), 1.0)
    return np.clip(img, 0, 255).astype(np.uint8), truth.astype(bool)


def test_snapping_brings_back_a_zigzag_seal_and_a_shaved_side():
    from studio.imaging.refine import snap_outline

    img, truth = _zigzag_pouch()
    # what a coarse model gives: the teeth smoothed to a straight top, the right side 7 px inside
    coarse = np.zeros(truth.shape, np.uint8)
    coarse[127:500, 250:543] = 255
    seal = np.zeros(truth.shape, bool)
    seal[100:150, :] = True
    before = metrics.boundary_f(coarse, truth, tolerance_px=2)
    out = snap_outline(img, coarse, reach_px=12)
    assert before < 0.8
    assert metrics.boundary_f(out, truth, tolerance_px=2) >= 0.95
    assert metrics.boundary_f(out * seal, truth & seal, tolerance_px=2) >= 0.9     # the teeth are back


def test_snapping_an_outline_longer_than_opencv_takes_in_one_call():
    # a cut-out that ran round a patterned table had one outline of more than 32767 points, and
    # the upload failed inside OpenCV ("dst.rows < SHRT_MAX") instead of giving a cut-out
    from studio.imaging.refine import snap_outline

    h, w = 700, 3600
    comb = np.zeros((h, w), np.uint8)
    comb[400:600, 20:w - 20] = 255
    comb[150:400, 20:w - 20:4] = 255          # 895 teeth, 1 px wide and 250 px long
    comb[150:400, 21:w - 20:4] = 255
    contours, _ = cv2.findContours((comb > 0).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    assert max(len(c) for c in contours) > 32767
    img = np.full((h, w, 3), 200, np.uint8)
    img[comb > 0] = 60
    out = snap_outline(img, comb, reach_px=6)
    assert out.shape == comb.shape
    assert metrics.iou(out, comb > 0) >= 0.9      # on a crisp edge the outline stays where it is


def test_glass_jar_rim_outline_sits_on_the_jar():
    # a filled clear jar on paper: its faint rims sat up to ~8 px inside the true edge at 800x600;
    # snapping now looks as far as the model's coarse outline may be off (boundary F 0.912 -> 0.937)
    photo = synthetic.make_scene(1002, "glass_filled", size=SIZE)
    mask = segment.segment(photo.image)
    assert metrics.boundary_f(mask, photo.mask, tolerance_px=3) >= 0.93
    assert metrics.iou(mask, photo.mask) >= 0.98
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


# ---------------------------------------------------------------- small products far from the camera (helper "zoom")
# The model sees the whole photo squeezed to 320 px, where a small far product is a few dozen pixels:
# its cast shadow joined it and its outline was coarse. A second, zoomed look at the crop round it
# fixes both (measured at 800x600: seed 75 IoU 0.960 -> 0.988, shadow kept 8.8 % -> 0.3 %; seed 73
# on batik 0.851 -> 0.994, boundary F 0.79 -> 0.99). Batik is a patterned cloth: since the model looks
# at it painted flat (helper "pattern") seed 73 measures 0.982, boundary F 0.979, shadow kept 2.1 %
# (0.993 / 0.988 / 0.3 % before): a rim of the pouch's contact shadow stays.
@pytest.mark.parametrize(("seed", "heldout", "shadow_max"), [(75, False, 0.02), (73, True, 0.03)])
def test_small_product_far_from_the_camera_is_cut_on_its_own_outline(seed, heldout, shadow_max):
    photo = synthetic.make_scene(seed, "small_far", size=SIZE, heldout=heldout)
    assert photo.mask.mean() < 0.05                                 # a small product in a large frame
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= 0.98
    assert metrics.boundary_f(mask, photo.mask, tolerance_px=3) >= 0.97
    assert metrics.shadow_taken(mask, photo.shadow) <= shadow_max


def test_only_small_products_get_a_second_zoomed_look():
    prob = np.zeros((300, 400), np.float32)
    prob[40:80, 50:80] = 1.0                                        # two small products far apart
    prob[200:250, 300:330] = 0.95
    boxes = segment.zoom_boxes(prob > 0.5)
    assert len(boxes) == 2
    for (x0, y0, x1, y1), (a, b) in zip(sorted(boxes), [((40, 80), (50, 80)), ((200, 250), (300, 330))]):
        assert x0 < b[0] and x1 > b[1] and y0 < a[0] and y1 > a[1]      # each one whole, with margin
    prob[:] = 0
    prob[30:270, 60:340] = 1.0                                      # a product filling the frame: no zoom
    assert segment.zoom_boxes(prob > 0.5) == []


def test_a_zoomed_look_that_takes_a_tins_lid_for_the_whole_product_is_refused():
    # close up the model once saw only the lid of a small tin and dropped its body (IoU 0.451 when
    # taken); the zoomed look drops product that is not shadow-like, so the first look stands (0.984)
    photo = synthetic.make_scene(2005, "small_far", size=SIZE)
    assert photo.products == ("tin",)
    assert metrics.iou(segment.segment(photo.image), photo.mask) >= 0.97


# ---------------------------------------------------------------- shadows on wood grain (helper "glass")
def test_a_glass_jars_shadow_on_wood_grain_is_removed():
    # the jar's faint cast shadow on wood: the grain cut it into pieces away from the product's
    # outside, and the piece that did touch passed for a "shaded face" (0.80 of the surface, model
    # sure). A shadow keeps the surface's grain: as a phone JPEG, IoU 0.79 and 64 % of the shadow
    # kept before; measured 0.967 and 8 % after
    from studio.imaging.io import open_upload

    photo = synthetic.make_scene(1011, "glass_empty", size=(1600, 1200))
    assert photo.background == "wood" and photo.shadow.sum() > 0.3 * photo.mask.sum()
    mask = segment.segment(open_upload(synthetic.jpeg_bytes(photo.image, quality=92)).image)
    assert metrics.iou(mask, photo.mask) >= 0.95
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.12


def test_the_grain_seen_through_an_empty_jar_is_not_taken_for_its_shadow():
    # the grain shows through clear glass just as through a shadow: the crumbs between grain lines
    # inside the jar must stay product (measured 0.929, as before the grain rule; 0.82 without its
    # size guard)
    photo = synthetic.make_scene(79, "glass_empty", size=SIZE)
    assert photo.background == "wood"
    assert metrics.iou(segment.segment(photo.image), photo.mask) >= 0.92


# ---------------------------------------------------------------- empty glass over its own shadow (helper "film")
def test_an_empty_jar_over_its_own_shadow_on_striped_cloth_keeps_its_body():
    # where the jar stands on its own cast shadow its body is darkened surface with the cloth's
    # colour, as a shadow is. It was cut away because it reached the "outside" through a hole in the
    # mask under the lid (the model doubts the glass there); now only the background round the
    # product is the outside. Measured 0.824 before, 0.914 after; the cast shadow left of the jar
    # stays out
    photo, mask = _photo_and_mask("glass_empty", 1001)
    assert photo.products == ("glass_empty",) and photo.background == "cloth"
    assert photo.shadow.sum() > 0.1 * photo.mask.sum()
    assert metrics.iou(mask, photo.mask) >= 0.9
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.03


def test_the_folded_sides_of_a_clear_bag_are_kept_up_to_its_outline():
    # the film's folded sides are darker than its middle and wider than the see-through step's few
    # pixels of growth, so a band along each side was cut (IoU 0.942, boundary F 0.62); growing on
    # sideways up to the side's crisp outline brings them back (measured 0.963 and 0.73), and the
    # bag's own shadow above its seal is not taken with them
    photo, mask = _photo_and_mask("clear_film", 1003)
    assert photo.products == ("clear_bag",) and photo.background == "wood"
    assert metrics.iou(mask, photo.mask) >= 0.955
    assert metrics.boundary_f(mask, photo.mask, tolerance_px=3) >= 0.7
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.12


# ---------------------------------------------------------------- patterned table cloths (helper "pattern")
# On a strongly patterned surface the model took much of the cloth for product. Measured at 800x600
# on 17d2e52 (before the flattening): 0.377 (tin and soy-sauce bottle on checked cloth), 0.664 (box,
# checked), 0.334 (filled jar, checked), 0.435 (white pouch, mosaic), 0.697 (foil, checked); the
# cloth is now repainted flat before the model's second look.
@pytest.mark.parametrize(("scene", "seed", "surface"), [
    ("two_products", 41, "gingham"), ("colour_cast", 42, "gingham"), ("glass_filled", 41, "gingham"),
    ("colour_cast", 42, "mosaic"), ("foil", 42, "gingham"),
])
def test_product_on_a_patterned_cloth_is_cut_without_the_cloth(scene, seed, surface):
    photo = synthetic.make_scene(seed, scene, size=SIZE, surface=surface)
    assert photo.background == surface
    mask = segment.segment(photo.image)
    assert metrics.iou(mask, photo.mask) >= 0.95
    assert metrics.shadow_taken(mask, photo.shadow) <= 0.05


@pytest.mark.xfail(strict=True, reason="foil on mosaic: the foil's greys are the grout's and the tiles' "
                                       "(0.587 -> 0.776, issue 19)")
def test_foil_on_mosaic_tiles_is_cut_whole():
    photo = synthetic.make_scene(41, "foil", size=SIZE, surface="mosaic")
    assert metrics.iou(segment.segment(photo.image), photo.mask) >= 0.95


def test_only_a_patterned_surface_is_taken_for_a_pattern():
    from studio.imaging.pattern import surface_palette

    plain = [synthetic.make_scene(1000, "glass_empty", size=SIZE),
             synthetic.make_scene(1001, "glass_filled", size=SIZE),
             synthetic.make_scene(1005, "white_shade", size=SIZE),
             synthetic.make_scene(1005, "dark_on_dark", size=SIZE),
             synthetic.make_scene(7021, "clear_film", size=SIZE, shadow_variant=True),
             synthetic.make_scene(7005, "clear_film", size=SIZE, shadow_variant=True),
             synthetic.make_scene(7001, "clear_film", size=SIZE, shadow_variant=True)]
    assert {p.background for p in plain} >= {"wood", "cloth", "white_card", "dark_cloth", "slate", "linen",
                                            "kraft_card"}
    for photo in plain:
        assert surface_palette(np.asarray(photo.image)) is None, photo.background
    for kind in synthetic.PATTERN_SURFACES:
        photo = synthetic.make_scene(42, "colour_cast", size=SIZE, surface=kind)
        assert surface_palette(np.asarray(photo.image)) is not None, kind


@pytest.mark.parametrize("kind", ["gingham", "mosaic"])
def test_the_cloth_is_repainted_flat_and_the_product_is_not(kind):
    from studio.imaging.pattern import flatten_pattern, sure_inside, surface_palette

    photo = synthetic.make_scene(42, "colour_cast", size=SIZE, surface=kind)      # a white pouch
    work = np.asarray(photo.image)
    keep = sure_inside(segment.model_probability(work))                         # as segment() does
    flat, surface = flatten_pattern(work, surface_palette(work), keep=keep)
    table = ~cv2.dilate(photo.mask.astype(np.uint8), np.ones((15, 15), np.uint8)).astype(bool)
    assert surface[table].mean() >= 0.85                      # the cloth is repainted ...
    assert surface[photo.mask].mean() <= 0.02                 # ... the pouch is not

    def detail(a):            # what varies within a few pixels: the pattern, not the light or shadows
        a = a.astype(np.float32)
        return np.abs(a - cv2.GaussianBlur(a, (0, 0), 6))[table].mean()
    assert detail(flat) <= 0.45 * detail(work)                # the pattern is gone
    assert abs(flat[table].mean() - work[table].mean()) <= 12  # the light stays


def test_the_generator_puts_a_scene_on_a_patterned_cloth_when_asked():
    plain = synthetic.make_scene(1001, "glass_empty", size=(200, 150))
    assert plain.background not in synthetic.PATTERN_SURFACES
    for kind in synthetic.PATTERN_SURFACES:
        photo = synthetic.make_scene(1001, "glass_empty", size=(200, 150), surface=kind)
        assert photo.background == kind
        assert not np.array_equal(np.asarray(photo.image), np.asarray(plain.image))
        assert photo.mask.any() and photo.mask.mean() < 0.5           # the jar is still there
