"""What a printer can reproduce: legibility, contrast, codes, safe area, image resolution, overflow."""
from __future__ import annotations

from PIL import Image

from preflight_helpers import (LAYOUTS, URL, Box, ImageItem, QRItem, TextItem, check, clean_record,
                               good_items, make_label, rules_of, values_for, with_item)
from studio.preflight import (PreflightSettings, from_jsonable, is_blocking, run_preflight, to_jsonable)
from studio.rules import RuleSettings


def test_text_with_x_height_under_1_mm(good_findings):
    found = [f for f in check(make_label(with_item("pdp.producer", size_pt=4.5, min_size_pt=4)))
             if f.rule_id == "LEG-01"]
    assert found and found[0].severity == "WARNING" and found[0].tag == "pdp.producer"
    assert "1 mm" in found[0].msg.id
    assert "LEG-01" not in rules_of(good_findings)


def test_small_decorative_text_is_only_info():
    items = good_items()
    items["caption"] = TextItem(Box(72, 60, 20, 3), "Pindai", size_pt=4, min_size_pt=4, tag="qr.caption")
    found = [f for f in check(make_label(items)) if f.rule_id == "LEG-01"]
    assert [f.severity for f in found] == ["INFO"]


def test_x_height_severity_can_be_raised_in_settings():
    strict = PreflightSettings(rules=RuleSettings(severity_overrides=(("LEG-01", "ERROR"),)))
    found = check(make_label(with_item("pdp.producer", size_pt=4.5, min_size_pt=4)), settings=strict)
    assert "LEG-01" in rules_of(found, "ERROR")


def test_preflight_only_override_wins():
    lenient = PreflightSettings(severity_overrides=(("DATE-02", "WARNING"),))
    found = check(make_label(with_item("pdp.expiry")), settings=lenient)
    assert "DATE-02" in rules_of(found, "WARNING") and "DATE-02" not in rules_of(found, "BLOCKER")


def test_low_contrast_mandatory_text(good_findings):
    found = [f for f in check(make_label(with_item("pdp.producer", color="#BBBBBB")))
             if f.rule_id == "LEG-02"]
    assert found and found[0].tag == "pdp.producer" and "4.5:1" in found[0].msg.en
    assert "LEG-02" not in rules_of(good_findings)


def test_qr_code_decodes_to_the_product_address(good_findings):
    assert "CODE-02" not in rules_of(good_findings)
    found = check(expected_url="http://127.0.0.1:5000/p/OTHER9")
    assert any(f.rule_id == "CODE-02" and f.severity == "ERROR" and f.tag == "qr" for f in found)


def test_small_qr_code_fails_only_on_the_degraded_print():
    # a long address needs many modules: at 13 mm they are too fine for a cheap inkjet + camera
    long = URL + "?utm_source=label&utm_medium=qr&utm_campaign=jombang-2026-pelatihan"
    clean = clean_record()
    label = make_label(with_item("qr", item=QRItem(Box(72, 3, 13, 13))), values=values_for(clean, url=long))
    found = [f for f in check(label, expected_url=long) if f.rule_id == "CODE-02"]
    # modules this fine are also below the stock's module floor: compose refuses them (BLOCKER)
    assert found and {f.severity for f in found} == {"WARNING", "BLOCKER"}
    assert any("printer" in f.msg.id and f.severity == "WARNING" for f in found)


def test_tiny_qr_code_does_not_scan_at_all():
    label = make_label(with_item("qr", item=QRItem(Box(72, 3, 5, 5))))
    found = [f for f in check(label) if f.rule_id == "CODE-02"]
    assert any(f.severity == "BLOCKER" for f in found)  # below the scannable minimum: never printed


def test_barcode_must_carry_the_products_gtin(good_findings):
    assert "CODE-01" not in rules_of(good_findings)
    clean = clean_record()
    label = make_label(values=values_for(clean, gtin="8991234567808"), clean=clean)
    found = [f for f in check(label, clean) if f.rule_id == "CODE-01"]
    assert found and found[0].severity == "ERROR" and found[0].tag == "ean"


def test_element_outside_the_safe_area(good_findings):
    found = check(make_label(with_item("pdp.name", box=Box(0.5, 3, 66, 9))))
    assert any(f.rule_id == "SAFE-01" and f.tag == "pdp.name" for f in found)
    assert "SAFE-01" not in rules_of(good_findings)


def test_images_below_200_ppi_are_errors_and_below_300_warnings(good_findings):
    items = good_items()
    items["photo"] = ImageItem(Box(56, 50, 20, 15), "photo", tag="photo")
    items.pop("expiry_box")
    low = check(make_label(items, images={"halal_logo": Image.new("RGB", (300, 300)),
                                          "photo": Image.new("RGB", (120, 90), "#884422")}))
    mid = check(make_label(items, images={"halal_logo": Image.new("RGB", (300, 300)),
                                          "photo": Image.new("RGB", (200, 150), "#884422")}))
    assert [f.severity for f in low if f.rule_id == "PRINT-01"] == ["ERROR"]
    assert [f.severity for f in mid if f.rule_id == "PRINT-01"] == ["WARNING"]
    assert "PRINT-01" not in rules_of(good_findings)


def test_optional_text_that_does_not_fit_its_box_is_an_error(good_findings):
    items = good_items()
    items["variant"] = TextItem(Box(56, 58, 20, 4), "Rasa Original Pedas", size_pt=14, min_size_pt=14,
                                tag="variant")
    over = [f for f in check(make_label(items)) if f.rule_id == "OVER-01"]
    assert over and over[0].severity == "ERROR" and over[0].box_mm == (56, 58, 20, 4)
    assert "OVER-01" not in rules_of(good_findings)


def test_clipped_mandatory_text_anywhere_blocks_with_what_to_fix_and_where():
    found = check(make_label(with_item("storage", box=Box(3, 3, 20, 4), size_pt=14, min_size_pt=14)))
    over = [f for f in found if f.rule_id == "OVER-01"]
    assert over and over[0].severity == "BLOCKER" and over[0].tag == "storage"
    assert "Cara penyimpanan terpotong di kiri atas label" in over[0].msg.id
    assert "stiker yang lebih besar" in over[0].msg.id
    assert is_blocking(over[0].to_dict())
    # the design page stores compose problems as dicts: the one blocking rule reads them the same way
    stored = {"source": "compose", "code": "text_overflow", "severity": "error", "tag": "nutrition"}
    assert is_blocking(stored) and not is_blocking({**stored, "tag": "variant"})


def test_a_mandatory_front_panel_item_that_does_not_fit_blocks_submission():
    found = check(make_label(with_item("pdp.name", box=Box(3, 3, 20, 4), min_size_pt=14)))
    over = [f for f in found if f.rule_id == "OVER-01"]
    assert over and over[0].severity == "BLOCKER" and over[0].tag == "pdp.name"


def test_findings_round_trip_through_json():
    found = check(make_label(with_item("pdp.expiry")))
    assert from_jsonable(to_jsonable(found)) == found


def test_codes_are_skipped_when_settings_say_so():
    fast = PreflightSettings(check_codes=False)
    found = check(expected_url="http://127.0.0.1:5000/p/OTHER9", settings=fast)
    assert not any(f.rule_id == "CODE-02" and "terbaca" in f.msg.id for f in found)


def test_round_label_is_checked_on_its_own_stock():
    layout = LAYOUTS["round-60mm-a4"]
    clean = clean_record()
    from studio.labels import LabelDocument, compose
    from preflight_helpers import FONTS
    doc = LabelDocument(layout.id, (TextItem(Box(10, 20, 40, 8), "${name}", tag="pdp.name"),
                                    QRItem(Box(22, 32, 16, 16))))
    label = compose(doc, layout, values_for(clean), FONTS)
    found = run_preflight(label, layout, clean, today=__import__("datetime").date(2026, 11, 27),
                          expected_url=URL)
    assert "NAME-01" not in rules_of(found) and "PERMIT-01" in rules_of(found, "BLOCKER")
    assert not any(f.rule_id == "CODE-02" and f.severity == "ERROR" for f in found)
