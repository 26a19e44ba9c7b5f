"""Issue 15 law cases on the label: the label check agrees with the data rules."""
from preflight_helpers import check, clean_record, good_items, make_label, rules_of, values_for

CRAFT = dict(product_class="kerajinan", category="kerajinan", name="Tas Anyaman Pandan", pirt_number=None,
             pirt_food_code=None, halal_status=None, halal_cert_number=None, ingredients=None,
             allergens_confirmed=None, packaging_material=None)


def craft_items(producer: bool = True) -> dict:
    items = good_items()
    for tag in ("pdp.permit", "pdp.expiry", "expiry_box", "pdp.halal", "halal_logo", "ingredients",
                "allergen_stmt") + (() if producer else ("pdp.producer",)):
        items.pop(tag)
    return items


def test_a_16_digit_p_irt_passes_the_label_with_a_warning_like_the_data():
    clean = clean_record(pirt_number="21035170100123-29")
    found = [f for f in check(make_label(clean=clean), clean) if f.rule_id.startswith("PERMIT")]
    assert found and {(f.rule_id, f.severity) for f in found} == {("PERMIT-02", "WARNING")}
    bad = clean_record()
    label = make_label(clean=bad, values=values_for(bad, permit="P-IRT No. 21035170100-29"))
    assert "PERMIT-02" in rules_of(check(label, bad), "ERROR"), "13 digits: refused by both"


def test_a_craft_sold_by_count_is_not_blocked_but_food_needs_its_weight():
    craft = clean_record(**CRAFT, net_quantity="Isi 3 pcs")
    assert not {"NET-01", "NET-02"} & rules_of(check(make_label(craft_items(), craft), craft))
    craft = clean_record(**CRAFT, net_quantity="Ukuran 30 x 20 cm")
    assert not {"NET-01", "NET-02"} & rules_of(check(make_label(craft_items(), craft), craft))
    craft = clean_record(**CRAFT, net_quantity=None)
    assert "NET-01" not in rules_of(check(make_label(craft_items(), craft), craft))
    food = clean_record(net_quantity="Isi 10 sachet")
    assert "NET-01" in rules_of(check(make_label(clean=food), food), "BLOCKER")
    food = clean_record(net_quantity="Isi 10 sachet @ 10 g")
    assert not {"NET-01", "NET-02"} & rules_of(check(make_label(clean=food), food))


def test_the_producer_check_runs_for_crafts_too():
    craft = clean_record(**CRAFT, net_quantity="Isi 3 pcs")
    assert "ADDR-01" not in rules_of(check(make_label(craft_items(), craft), craft))
    found = [f for f in check(make_label(craft_items(producer=False), craft), craft) if f.rule_id == "ADDR-01"]
    assert found and found[0].severity == "BLOCKER"      # mandatory content missing blocks, crafts too


def test_english_ingredients_on_the_label_are_flagged_and_an_exempt_refined_oil_is_not_bold():
    english = clean_record(ingredients="robusta coffee (80%), milk powder (20%)")
    assert "LANG-01" in rules_of(check(make_label(clean=english), english), "ERROR")
    assert "LANG-01" not in rules_of(check())
    oil = clean_record(ingredients="kopi robusta (80%), minyak kedelai murni (20%)", allergens_confirmed=None,
                       allergen_exempt="minyak kedelai murni")
    assert "ALG-01" not in rules_of(check(make_label(clean=oil), oil))
