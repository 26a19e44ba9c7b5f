"""Mandatory items and their place: each rule with a passing and a failing label."""
from __future__ import annotations

from dataclasses import replace

from preflight_helpers import (LAYOUT, TextItem, check, clean_record, good_items, make_label, rules_of,
                      values_for, with_item)
from studio.labels import Box
from studio.preflight import PreflightSettings


def test_the_good_label_has_no_findings(good_findings):
    assert good_findings == []


def test_missing_product_name_blocks(good_findings):
    found = check(make_label(with_item("pdp.name")))
    assert "NAME-01" in rules_of(found, "BLOCKER")
    assert "NAME-01" not in rules_of(good_findings)


def test_product_name_on_the_back_panel_blocks():
    found = check(make_label(with_item("pdp.name", panel="back")))
    name = [f for f in found if f.rule_id == "NAME-01"]
    assert name and name[0].severity == "BLOCKER" and name[0].panel == "back"
    assert "depan" in name[0].msg.id and "front" in name[0].msg.en


def test_missing_net_quantity_blocks_and_says_where():
    found = check(make_label(with_item("pdp.net_qty")))
    net = [f for f in found if f.rule_id == "NET-01"]
    assert net and net[0].severity == "BLOCKER" and net[0].tag == "pdp.net_qty"


def test_net_quantity_with_a_wrong_unit_symbol_is_an_error(good_findings):
    found = check(make_label(with_item("pdp.net_qty", text="Berat Bersih 100 gr")))
    assert "NET-02" in rules_of(found, "ERROR")
    assert "NET-02" not in rules_of(good_findings)


def test_net_quantity_without_the_indonesian_wording_is_an_error():
    found = check(make_label(with_item("pdp.net_qty", text="100 g")))
    assert "NET-02" in rules_of(found, "ERROR")


def test_netto_is_only_a_warning():
    found = check(make_label(with_item("pdp.net_qty", text="Netto 100 g")))
    assert [f.severity for f in found if f.rule_id == "NET-02"] == ["WARNING"]


def test_net_quantity_digits_too_small_for_the_quantity(good_findings):
    # 100 g needs 3 mm digits (BDKT table); 9 pt bold has a cap height of about 2.3 mm
    found = check(make_label(with_item("pdp.net_qty", size_pt=9, min_size_pt=9)))
    net = [f for f in found if f.rule_id == "NET-03"]
    assert net and net[0].severity == "ERROR" and "3 mm" in net[0].msg.id     # on the principal panel
    assert "NET-03" not in rules_of(good_findings)


def test_bdkt_heights_come_from_settings():
    from studio.rules import RuleSettings
    strict = PreflightSettings(rules=RuleSettings(bdkt_heights_mm=((None, 6.0),)))
    assert "NET-03" in rules_of(check(settings=strict))


def test_producer_address_without_postal_code_or_country(good_findings):
    clean = clean_record()
    values = values_for(clean, producer="Diproduksi oleh: UD Mbok Sri, Desa Pelabuhan, Jombang")
    found = check(make_label(values=values), clean)
    msgs = [f.msg.id for f in found if f.rule_id == "ADDR-01"]
    assert any("kode pos" in m for m in msgs) and any("Indonesia" in m for m in msgs)
    assert "ADDR-01" not in rules_of(good_findings)


def test_missing_permit_number_blocks(good_findings):
    found = check(make_label(with_item("pdp.permit")))
    assert "PERMIT-01" in rules_of(found, "BLOCKER")
    assert "PERMIT-01" not in rules_of(good_findings)


def test_permit_without_its_prefix_blocks():
    found = check(make_label(with_item("pdp.permit", text="No. 2103517010012-29")))
    assert "PERMIT-01" in rules_of(found, "BLOCKER")


def test_expired_pirt_printed_on_the_label_is_an_error(good_findings):
    found = check(make_label(with_item("pdp.permit", text="P-IRT No. 2103517010012-25")))
    permit = [f for f in found if f.rule_id == "PERMIT-02"]
    assert permit and permit[0].severity == "ERROR" and permit[0].tag == "pdp.permit"
    assert "PERMIT-02" not in rules_of(good_findings)


def test_pirt_on_the_label_must_match_the_product_data():
    found = check(make_label(with_item("pdp.permit", text="P-IRT No. 2103517010099-29")))
    assert any(f.rule_id == "PERMIT-02" and "berbeda" in f.msg.id for f in found)


def test_missing_expiry_statement_blocks(good_findings):
    found = check(make_label(with_item("pdp.expiry")))
    date = [f for f in found if f.rule_id == "DATE-02"]
    assert date and date[0].severity == "BLOCKER" and date[0].tag == "pdp.expiry"
    assert "DATE-02" not in rules_of(good_findings)


def test_expiry_in_english_or_year_first_is_an_error():
    for text in ("Exp: 12-2027", "Baik digunakan sebelum 2027-05-01"):
        found = check(make_label(with_item("pdp.expiry", text=text)))
        assert "DATE-02" in rules_of(found, "ERROR"), text


def test_month_year_expiry_only_for_long_shelf_life():
    label = make_label(with_item("pdp.expiry", text="Baik digunakan sebelum 05-2027"))
    assert "DATE-02" not in rules_of(check(label))                               # 180 days
    short = clean_record(shelf_life_days="60")
    label = make_label(with_item("pdp.expiry", text="Baik digunakan sebelum 05-2027"), short)
    assert "DATE-02" in rules_of(check(label, short), "ERROR")


def test_full_date_expiry_passes():
    label = make_label(with_item("pdp.expiry", text="Baik digunakan sebelum 27-05-2027"))
    assert "DATE-02" not in rules_of(check(label))


def test_expiry_off_the_main_panel_is_an_error_unless_referenced(good_findings):
    items = with_item("pdp.expiry", panel="back", text="Baik digunakan sebelum 27-05-2027")
    assert "DATE-03" in rules_of(check(make_label(items)), "ERROR")
    items["ref"] = TextItem(Box(3, 59.5, 50, 4), "Baik digunakan sebelum: lihat bagian bawah kemasan",
                            size_pt=7, tag="pdp.expiry_ref")
    assert "DATE-03" not in rules_of(check(make_label(items)))
    assert "DATE-03" not in rules_of(good_findings)


def test_no_stamping_box_and_no_production_code_blocks(good_findings):
    found = check(make_label(with_item("expiry_box")))
    assert "DATE-01" in rules_of(found, "BLOCKER")
    assert "DATE-01" not in rules_of(good_findings)


def test_a_stamping_box_smaller_than_15_by_6_mm_is_an_error():
    items = good_items()
    items["expiry_box"] = replace(items["expiry_box"], box=Box(56, 50, 12, 5))
    found = [f for f in check(make_label(items)) if f.rule_id == "DATE-01"]
    assert found and "12×5" in found[0].msg.id and found[0].box_mm == (56, 50, 12, 5)


def test_crafts_need_no_permit_or_expiry():
    clean = clean_record(product_class="kerajinan", category="kerajinan", pirt_number=None,
                         pirt_food_code=None, halal_status=None, halal_cert_number=None)
    items = good_items()
    for tag in ("pdp.permit", "pdp.expiry", "expiry_box", "pdp.halal", "halal_logo", "ingredients",
                "allergen_stmt"):
        items.pop(tag)
    found = check(make_label(items, clean), clean)
    assert not rules_of(found) & {"PERMIT-01", "DATE-02", "DATE-01", "ING-01"}


def test_layout_is_the_labels_own_stock():
    assert LAYOUT.label_w_mm > 90
