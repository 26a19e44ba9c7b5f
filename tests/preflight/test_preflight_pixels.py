"""Judged from the printed pixels: contrast against what is really under the text, and what a
thermal printer's 1-bit image keeps."""
from __future__ import annotations

import dataclasses

from PIL import Image

from preflight_helpers import (FONTS, HALAL_LOGO, LAYOUTS, TODAY, URL, Box, ImageItem, check, clean_record,
                               compose, good_items, make_label, values_for)
from studio.labels import DesignOptions, make_document
from studio.preflight import PreflightSettings, run_preflight

FAST = PreflightSettings(check_codes=False)


def _on_photo(colour: str):
    items = {"photo": ImageItem(Box(3, 37, 50, 8), "photo", tag="photo"), **good_items()}  # under the address
    images = {"halal_logo": HALAL_LOGO, "photo": Image.new("RGB", (600, 96), colour)}
    return [f for f in check(make_label(items, images=images), settings=FAST) if f.rule_id == "LEG-02"]


def test_mandatory_text_on_a_dark_photo_is_judged_against_the_photo_pixels():
    found = _on_photo("#3A3A3A")        # the label colour is white: a colour-only check saw 18:1
    assert [(f.tag, f.severity) for f in found] == [("pdp.producer", "BLOCKER")]
    assert "kurang kontras dengan gambar" in found[0].msg.id and "(1,8:1, perlu 4,5:1)" in found[0].msg.id   # Indonesian decimal commas
    assert _on_photo("#F4F1EA") == []   # a pale photo under the same text is fine


def _thermal(style: str, preset: str, colour: bool = False):
    """PRINT-02 findings of ``style`` on the 50x30 thermal roll. ``colour``: the full-colour document of the
    same size (as a design made for a sheet, or stored before thermal stocks got 1-bit styles) is printed."""
    layout = LAYOUTS["thermal-50x30"]
    clean = clean_record()
    made_for = dataclasses.replace(layout, print_method="colour") if colour else layout
    label = compose(make_document(style, made_for, DesignOptions(preset=preset)), layout, values_for(clean),
                    FONTS, {"halal_logo": HALAL_LOGO}, printer_dpi=203)
    return [f for f in run_preflight(label, layout, clean, today=TODAY, settings=FAST, expected_url=URL,
                                     one_bit_dpi=203) if f.rule_id == "PRINT-02"]


def test_thermal_printer_turns_text_on_a_dark_block_into_solid_black():
    # "Berani" with the honey preset: dark name on a dark-gold block; at 203 dpi, threshold mid-grey,
    # block and letters both become black dots
    lost = _thermal("berani", "madu", colour=True)
    assert {(f.tag, f.severity) for f in lost} == {("pdp.name", "BLOCKER"), ("pdp.net_qty", "BLOCKER"),
                                                   ("brand", "BLOCKER")}
    assert "printer termal 203 dpi" in lost[0].msg.id and "hanya 0% hurufnya terlihat" in lost[0].msg.id
    assert _thermal("bersih", "madu", colour=True) == []
    assert _thermal("berani", "madu") == []     # the thermal stock's own 1-bit variant of the style keeps it all
