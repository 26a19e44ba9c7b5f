"""Issue 15 law cases in the data rules: each with a compliant and a non-compliant product."""
from datetime import date

import pytest

from studio.rules import RuleError, RuleSettings, data_findings, label_texts, normalise
from studio.rules.identifiers import find_pirt_on_label

TODAY = date(2026, 11, 27)
SNACK = {"product_class": "pangan_pirt", "name": "Keripik Pisang Cokelat", "category": "keripik",
         "net_quantity": "200 g", "ingredients": "pisang (70%), minyak sawit (20%), cokelat bubuk (10%)",
         "shelf_life_days": "120", "pirt_number": "2143517010012-29", "pirt_food_code": "14",
         "packaging_material": "plastik", "halal_status": "certified",
         "halal_cert_number": "ID35110000123450824", "storage_instructions": "Simpan di tempat kering",
         "storage_after_opening": "Tutup rapat", "nutrition": {"per100": {
             "fat": "20", "sat_fat": "9", "protein": "2", "carb": "70", "sugar": "20", "sodium_mg": "10"},
             "serving_size_g": "25"}}
CRAFT = {"product_class": "kerajinan", "name": "Tas Anyaman Pandan", "category": "kerajinan"}
PRODUCER = {"legal_name": "UD Mbok Sri", "address_line": "Dusun Krajan", "regency": "3517", "postal_code": "61456"}


def check(base=SNACK, settings=RuleSettings(), **changes):
    raw = {k: v for k, v in {**base, **changes}.items() if v is not None}
    clean, errors, _ = normalise(raw, today=TODAY, settings=settings)
    return clean, errors, data_findings(clean, today=TODAY, settings=settings)


def rules(found, severity=None):
    return {f.rule_id for f in found if severity is None or f.severity == severity}


def test_food_sold_by_count_states_count_and_weight_a_count_alone_is_not_enough():
    clean, errors, found = check(net_quantity="Isi 10 sachet @ 20 g")
    assert not errors and not rules(found) & {"NET-01", "NET-02"}
    assert label_texts(clean, PRODUCER)["net_qty"] == "Berat Bersih 200 g (10 sachet @ 20 g)"
    _, errors, found = check(net_quantity="Isi 10 sachet")
    assert not errors
    net = [f for f in found if f.rule_id == "NET-01"]
    assert net and net[0].severity == "BLOCKER" and "@ 20 g" in net[0].msg.id


def test_a_craft_sold_by_count_or_size_needs_no_weight_food_does():
    clean, errors, found = check(CRAFT, net_quantity="Isi 3 pcs")
    assert not errors and found == []
    assert label_texts(clean, PRODUCER)["net_qty"] == "Isi 3 pcs"
    clean, errors, found = check(CRAFT, net_quantity="Ukuran 30 x 20 cm")
    assert not errors and found == []
    assert label_texts(clean, PRODUCER)["net_qty"] == "Ukuran 30 × 20 cm"
    assert "NET-01" in rules(check(net_quantity="30 x 20 cm")[2], "BLOCKER")
    _, _, found = check(CRAFT)      # nothing given: a craft is not held to a weight
    assert "NET-01" not in rules(found)
    _, errors, _ = check(CRAFT, net_quantity="Isi 2,5 pcs")
    assert "net_quantity" in errors


@pytest.mark.parametrize("printed", ["P-IRT No. 2143517010012-29", "P-IRT No. 21435170100123-29"])
def test_data_and_label_accept_the_same_p_irt_numbers(printed):
    number = printed.removeprefix("P-IRT No. ")
    _, errors, found = check(pirt_number=number)
    text, info = find_pirt_on_label(printed, TODAY)
    assert not errors and text == printed
    sixteen = len(info.digits) == 16
    assert ("16 angka" in " ".join(f.msg.id for f in found)) == sixteen
    assert any("16 angka" in w.msg.id for w in info.warnings) == sixteen


def test_a_p_irt_the_data_refuses_is_refused_on_the_label_too():
    strict = RuleSettings(pirt_accept_16_digits=False)
    for number in ("214351701001-29", "21435170100123-29"):
        _, errors, _ = check(pirt_number=number, settings=strict)
        assert "pirt_number" in errors
        with pytest.raises(RuleError):
            find_pirt_on_label(f"P-IRT No. {number}", TODAY, strict)


def test_english_only_name_and_ingredients_are_an_error_indonesian_loanwords_are_not():
    for name in ("Keripik Pisang Cokelat", "Kopi Robusta Premium", "Brownies Kukus"):
        assert "LANG-01" not in rules(check(name=name)[2]), name
    found = check(name="Banana Chips", ingredients="banana (70%), palm oil (20%), gula (10%)")[2]
    lang = [f for f in found if f.rule_id == "LANG-01"]
    assert {f.field for f in lang} == {"name", "ingredients"} and {f.severity for f in lang} == {"ERROR"}
    assert "banana, palm oil" in next(f.msg.id for f in lang if f.field == "ingredients")
    ok = check(ingredients="tepung terigu (wheat flour) (70%), gula (20%), baking powder (10%)",
               allergens_confirmed="gluten")[2]
    assert "LANG-01" not in rules(ok), "English in addition, and technical names, are allowed"


def test_an_undeclared_allergen_is_an_error_and_refined_soybean_oil_can_be_exempt():
    ing = "pisang (70%), minyak kedelai murni (30%)"
    found = check(ingredients=ing)[2]
    alg = [f for f in found if f.rule_id == "ALG-01"]
    assert alg and alg[0].severity == "ERROR" and "murni" in alg[0].msg.id
    clean, errors, found = check(ingredients=ing, allergen_exempt="minyak kedelai murni")
    assert not errors and "ALG-01" not in rules(found)
    texts = label_texts(clean, PRODUCER)
    assert "<b>" not in texts["ingredients"].replace("<b>Komposisi:</b>", "") and texts["allergen_stmt"] == ""
    clean, _, found = check(ingredients="pisang (70%), kecap manis (30%)", allergen_exempt="kecap manis")
    assert "ALG-01" in rules(found, "ERROR"), "only highly refined ingredients may be exempt"
    assert "kedelai" in label_texts(clean, PRODUCER)["allergen_stmt"]


def test_a_description_longer_than_the_marketplaces_allow_is_flagged():
    assert "LIST-01" not in rules(check(description="Keripik pisang renyah. " * 80)[2])   # 1840
    found = check(description="Keripik pisang renyah. " * 100)[2]                          # 2300
    assert [f.field for f in found if f.rule_id == "LIST-01"] == ["description"]
    roomy = RuleSettings(listing_description_max_chars=3000)
    assert "LIST-01" not in rules(check(description="Keripik pisang renyah. " * 100, settings=roomy)[2])


def test_the_new_uncertain_facts_are_settings_checked_at_startup():
    s = RuleSettings.from_mapping({"RULES_LISTING_DESCRIPTION_MAX_CHARS": "3000", "count_only_classes": ["lainnya"],
                                   "allergen_exempt_patterns": [r"\bminyak wijen murni\b"]})
    assert s.listing_description_max_chars == 3000 and s.count_only_classes == frozenset({"lainnya"})
    assert "NET-01" in rules(check(CRAFT, settings=s, net_quantity="Isi 3 pcs")[2])
    with pytest.raises(ValueError):
        RuleSettings.from_mapping({"allergen_exempt_patterns": ["(unclosed"]})
