"""Palette from the product photo: a generated two-colour product on a white background, with its
cut-out mask, gives back its two colours (and not the background), with readable label colours."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from studio.imaging.palette import dominant_colours
from studio.labels.colors import contrast_ratio
from studio.labels.photo_palette import MIN_PRIMARY_CONTRAST, MIN_TEXT_CONTRAST, palette_from_colours

RED = (178, 34, 40)       # the pack's body
YELLOW = (240, 190, 30)   # its band


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], float)


def _two_colour_photo() -> tuple[Image.Image, Image.Image]:
    """A pouch (60 % red, 40 % yellow) on white, with light noise, and its mask (255 = pouch)."""
    im = Image.new("RGB", (400, 300), (255, 255, 255))
    mask = Image.new("L", im.size, 0)
    d, m = ImageDraw.Draw(im), ImageDraw.Draw(mask)
    d.rectangle((100, 50, 300, 170), fill=RED)
    d.rectangle((100, 170, 300, 250), fill=YELLOW)
    m.rectangle((100, 50, 300, 250), fill=255)
    noise = np.random.default_rng(7).normal(0, 4, (300, 400, 3))
    im = Image.fromarray(np.clip(np.asarray(im, float) + noise, 0, 255).astype(np.uint8))
    return im, mask


def test_two_colour_photo_gives_its_two_colours_and_not_the_background():
    im, mask = _two_colour_photo()
    found = dominant_colours(im, mask)
    assert len(found) == 2
    assert np.abs(_rgb(found[0].hex) - RED).max() <= 12
    assert np.abs(_rgb(found[1].hex) - YELLOW).max() <= 12
    assert abs(found[0].share - 0.6) < 0.05 and abs(found[1].share - 0.4) < 0.05


def test_the_cutout_alpha_is_the_mask_when_no_mask_is_given():
    im, mask = _two_colour_photo()
    cutout = im.convert("RGBA")
    cutout.putalpha(mask)
    assert [c.hex for c in dominant_colours(cutout)] == [c.hex for c in dominant_colours(im, mask)]


def test_photo_palette_keeps_the_colours_and_passes_contrast():
    im, mask = _two_colour_photo()
    pal = palette_from_colours([(c.hex, c.share) for c in dominant_colours(im, mask)])
    assert np.abs(_rgb(pal.primary) - RED).max() <= 12
    assert np.abs(_rgb(pal.accent) - YELLOW).max() <= 12
    assert contrast_ratio(pal.primary, "#FFFFFF") >= MIN_PRIMARY_CONTRAST
    assert contrast_ratio(pal.text, "#FFFFFF") >= MIN_TEXT_CONTRAST


def test_a_pale_product_gets_a_primary_darkened_until_it_reads():
    pal = palette_from_colours([("#F6E7B0", 0.9), ("#FAFAFA", 0.1)])
    assert contrast_ratio(pal.primary, "#FFFFFF") >= MIN_PRIMARY_CONTRAST
    assert contrast_ratio(pal.text, "#FFFFFF") >= MIN_TEXT_CONTRAST
    assert palette_from_colours([]) is None


def test_an_empty_mask_gives_no_colours():
    im, _mask = _two_colour_photo()
    assert dominant_colours(im, Image.new("L", im.size, 0)) == []


def test_a_white_pack_with_a_red_band_takes_the_red_as_primary():
    pal = palette_from_colours([("#F7F7F5", 0.85), ("#C0282D", 0.15)])
    assert pal.primary == "#C0282D" and contrast_ratio(pal.primary, "#FFFFFF") >= MIN_PRIMARY_CONTRAST
