"""Declarations: ingredients, allergens, halal, warnings, storage, nutrition, language."""
from __future__ import annotations

from datetime import date

from preflight_helpers import (LAYOUT, TODAY, URL, Box, TextItem, check, clean_record, good_items, make_label,
                               rules_of, values_for, with_item)
from studio.preflight import run_preflight


def test_ingredient_list_needs_an_accepted_heading(good_findings):
    clean = clean_record()
    values = values_for(clean, ingredients="Bahan: kopi robusta (80%), <b>susu bubuk</b> (20%).")
    assert "ING-01" in rules_of(check(make_label(values=values), clean), "ERROR")
    assert "ING-01" not in rules_of(good_findings)


def test_missing_ingredient_list_is_an_error():
    found = check(make_label(with_item("ingredients")))
    assert any(f.rule_id == "ING-01" and f.tag == "ingredients" for f in found)


def test_allergen_not_in_bold_is_an_error(good_findings):
    clean = clean_record()
    values = values_for(clean, ingredients="Komposisi: kopi robusta (80%), susu bubuk (20%).")
    found = [f for f in check(make_label(values=values), clean) if f.rule_id == "ALG-01"]
    assert found and found[0].severity == "ERROR" and "susu" in found[0].msg.id
    assert found[0].tag == "ingredients" and found[0].box_mm is not None
    assert "ALG-01" not in rules_of(good_findings)


def test_allergen_statement_missing_or_far_from_the_list():
    found = check(make_label(with_item("allergen_stmt")))
    assert any(f.rule_id == "ALG-01" and "Mengandung alergen" in f.msg.id for f in found)
    far = with_item("allergen_stmt", box=Box(3, 60, 40, 4))
    far.pop("pdp.expiry")
    assert any(f.rule_id == "ALG-01" and "dekat" in f.msg.id for f in check(make_label(far)))


def test_allergen_found_in_the_printed_list_must_be_declared():
    # the producer did not tick the allergen, but the printed list shows "tepung terigu"
    clean = clean_record(ingredients="kopi robusta (80%), gula (20%)", allergens_confirmed=None)
    values = values_for(clean, ingredients="Komposisi: kopi robusta (80%), <b>tepung terigu</b> (20%).",
                        allergen_stmt="")
    found = check(make_label(values=values, clean=clean), clean)
    assert any(f.rule_id == "ALG-01" and "gluten" in f.msg.id for f in found)


def test_may_contain_needs_a_shared_equipment_statement():
    clean = clean_record(may_contain="kacang tanah")
    values = values_for(clean, allergen_stmt="Mengandung alergen: susu.")
    assert "ALG-02" in rules_of(check(make_label(values=values, clean=clean), clean))
    # the two-line statement needs a box it fits in: text that does not fit is cut (and reported)
    items = good_items()
    items["allergen_stmt"] = TextItem(Box(3, 28, 50, 4.5), "<b>${allergen_stmt}</b>", size_pt=7,
                                      min_size_pt=5.5, tag="allergen_stmt")
    assert "ALG-02" not in rules_of(check(make_label(items, clean), clean))


def test_halal_logo_on_a_product_that_is_not_certified(good_findings):
    clean = clean_record(halal_status="in_process", halal_cert_number=None)
    found = check(make_label(clean=clean), clean)
    assert any(f.rule_id == "HALAL-02" and f.tag == "halal_logo" for f in found)
    assert "HALAL-02" not in rules_of(good_findings)


def test_halal_logo_needs_the_certificate_number_next_to_it(good_findings):
    items = with_item("pdp.halal", box=Box(3, 59.5, 40, 4))     # 15+ mm away from the logo at x 44
    items["pdp.expiry"] = TextItem(Box(3, 55, 40, 4), "${expiry}", size_pt=7, tag="pdp.expiry")
    items["halal_logo"] = items["halal_logo"].__class__(Box(84, 50, 9, 9), "halal_logo", required=False,
                                                        tag="halal_logo")
    found = [f for f in check(make_label(items)) if f.rule_id == "HALAL-03"]
    assert found and found[0].tag == "halal_logo" and found[0].severity == "BLOCKER"   # declared halal
    assert "HALAL-03" not in rules_of(good_findings)


def test_certified_product_without_the_official_logo_file_blocks_and_names_the_admin(good_findings):
    clean = clean_record()
    label = make_label(images={})                  # the hub never uploaded the official file
    found = [f for f in run_preflight(label, LAYOUT, clean, today=TODAY, expected_url=URL,
                                      halal_logo_uploaded=False) if f.rule_id == "HALAL-02"]
    assert found and found[0].severity == "BLOCKER"
    assert "Admin hub mengunggah logo Halal Indonesia resmi di halaman Admin" in found[0].msg.id
    # the file exists but this design leaves the logo out: the producer turns it on
    found = [f for f in run_preflight(label, LAYOUT, clean, today=TODAY, expected_url=URL,
                                      halal_logo_uploaded=True) if f.rule_id == "HALAL-02"]
    assert found[0].severity == "BLOCKER" and "Nyalakan logo halal" in found[0].msg.id
    assert "HALAL-02" not in rules_of(good_findings)


def test_the_word_halal_without_a_number():
    clean = clean_record()
    values = values_for(clean, halal_number="")
    found = check(make_label(values=values, clean=clean), clean)
    assert any(f.rule_id == "HALAL-03" and f.tag in ("pdp.halal", "halal_logo") for f in found)


def test_pork_product_with_a_halal_mark_blocks():
    clean = clean_record(contains_pork="ya", halal_status="not_halal", halal_cert_number=None)
    found = check(make_label(clean=clean), clean)
    assert "HALAL-05" in rules_of(found, "BLOCKER")


def test_food_halal_obligation_after_the_deadline(good_findings):
    clean = clean_record(halal_status="in_process", halal_cert_number=None)
    items = with_item("halal_logo")
    items.pop("pdp.halal")
    found = check(make_label(items, clean), clean, today=date(2026, 11, 27))
    halal = [f for f in found if f.rule_id == "HALAL-01"]
    assert halal and halal[0].severity == "ERROR" and halal[0].field == "halal_status"
    assert "HALAL-01" not in rules_of(good_findings)


def test_mandatory_warning_must_be_printed():
    clean = clean_record(sweeteners="aspartam")
    found = check(make_label(clean=clean), clean)
    assert any(f.rule_id == "WARN-01" and "pemanis" in f.msg.id for f in found)
    items = good_items()
    items["warning"] = TextItem(Box(56, 58.2, 40, 7.4), "${warning}", size_pt=6, min_size_pt=5.5, tag="warning")
    items["pdp.expiry"] = TextItem(Box(3, 55, 40, 4), "${expiry}", size_pt=7, tag="pdp.expiry")
    assert "WARN-01" not in rules_of(check(make_label(items, clean), clean))


def test_storage_instructions_must_be_printed(good_findings):
    assert "STOR-01" in rules_of(check(make_label(with_item("storage"))))
    assert "STOR-01" not in rules_of(good_findings)


def test_nutrition_facts_required_for_crisps_but_not_coffee(good_findings):
    clean = clean_record(category="keripik", name="Keripik Singkong", pirt_food_code="15",
                         pirt_number="2153517010012-29", ingredients="singkong (70%), susu bubuk (30%)")
    assert "NUT-01" in rules_of(check(make_label(clean=clean), clean), "BLOCKER")   # missing: blocks
    assert "NUT-01" not in rules_of(good_findings)


def test_foreign_words_without_indonesian_are_an_error(good_findings):
    items = good_items()
    items["ingredients"] = TextItem(Box(3, 19.5, 50, 8), "Ingredients: coffee, <b>milk</b>.", size_pt=7,
                                    tag="ingredients")
    found = check(make_label(items))
    assert "LANG-01" in rules_of(found, "ERROR")
    assert "LANG-01" not in rules_of(good_findings)
