"""The painted geometry: what the painter draws may not lie over other text, codes or logos, nor
outside the safe area; manual moves in the editor are judged the same way."""
from __future__ import annotations

from preflight_helpers import (FONTS, HALAL_LOGO, LAYOUT, TODAY, URL, Box, TextItem, check, clean_record,
                               compose, good_items, make_label, rules_of, values_for, with_item)
from studio.labels import DesignOptions, make_document
from studio.preflight import PreflightSettings, run_preflight

FAST = PreflightSettings(check_codes=False)


def _styled(options: DesignOptions):
    clean = clean_record()
    label = compose(make_document("bersih", LAYOUT, options), LAYOUT, values_for(clean), FONTS,
                    {"halal_logo": HALAL_LOGO})
    return run_preflight(label, LAYOUT, clean, today=TODAY, settings=FAST, expected_url=URL)


def test_moving_the_qr_code_onto_the_ingredients_in_the_editor_blocks(good_findings):
    assert "OVER-02" not in rules_of(_styled(DesignOptions())) | rules_of(good_findings)
    # compose never prints text into the code: the ingredients lose the lines there, and cut mandatory
    # text blocks, saying what and where
    moved = _styled(DesignOptions(overrides={"qr": Box(4, 33, 20, 20)}))
    assert "OVER-02" not in rules_of(moved)
    ingr = [f for f in moved if f.rule_id == "OVER-01" and f.tag == "ingredients"]
    assert ingr and ingr[0].severity == "BLOCKER"
    assert ingr[0].msg.id.startswith("Daftar bahan terpotong di kiri bawah label")


def test_text_moved_over_text_is_not_printed_over_it_and_is_reported():
    items = good_items()
    items["variant"] = TextItem(Box(3, 36, 50, 4), "Rasa Original", size_pt=7, tag="variant")  # on the address
    # compose draws no text over text: the optional variant gives way to the mandatory address, which
    # prints whole; the variant is reported as not printed
    found = [f for f in check(make_label(items), settings=FAST) if f.rule_id in ("OVER-01", "OVER-02")]
    assert [(f.rule_id, f.tag, f.severity) for f in found] == [("OVER-01", "variant", "ERROR")]
    assert "Tidak tercetak: «Rasa Original»" in found[0].msg.id
    items = good_items()
    items["variant"] = TextItem(Box(56, 58, 30, 4), "Rasa Original", size_pt=7, tag="variant")
    items["price"] = TextItem(Box(60, 58, 30, 4), "Rp 15.000", size_pt=7, tag="price")
    items.pop("expiry_box")
    found = [f for f in check(make_label(items), settings=FAST) if f.rule_id in ("OVER-01", "OVER-02")]
    assert [(f.rule_id, f.severity) for f in found] == [("OVER-01", "ERROR")]   # one optional text gives way


def test_mandatory_text_outside_the_safe_line_or_past_the_edge_blocks():
    near = [f for f in check(make_label(with_item("pdp.name", box=Box(0.5, 3, 66, 9))), settings=FAST)
            if f.rule_id == "SAFE-01" and f.severity == "BLOCKER"]
    assert [f.tag for f in near] == ["pdp.name"] and "terlalu dekat ke tepi label" in near[0].msg.id
    items = with_item("pdp.name", box=Box(60, 28, 45, 9))       # the box runs 6 mm past the right edge
    items.pop("ean")
    past = [f for f in check(make_label(items), settings=FAST) if f.rule_id == "SAFE-01" and f.tag == "pdp.name"]
    assert [f.severity for f in past] == ["BLOCKER"]
    assert "Nama produk keluar dari tepi label di bagian kanan label dan akan terpotong" in past[0].msg.id
