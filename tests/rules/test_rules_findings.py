from datetime import date

from studio.rules import RULES, RuleSettings, data_findings, normalise
from studio.rules.findings import sort_findings
from studio.rules.messages import Finding, Msg

TODAY = date(2026, 11, 27)
BASE = {"product_class": "pangan_pirt", "name": "Keripik Pisang", "category": "keripik", "net_quantity": "200 g",
        "ingredients": "pisang (80%), minyak sawit (15%), gula (5%)", "shelf_life_days": "120",
        "pirt_number": "2143517010012-29", "pirt_food_code": "14", "packaging_material": "plastik",
        "halal_status": "certified", "halal_cert_number": "ID35110000123450824",
        "storage_instructions": "Simpan di tempat kering", "storage_after_opening": "Tutup rapat",
        "units_per_pack": "1", "nutrition": {"per100": {"fat": "20", "sat_fat": "9", "protein": "2", "carb": "70",
                                                       "sugar": "20", "sodium_mg": "10"}, "serving_size_g": "25"}}


def findings(**changes):
    raw = {**BASE, **changes}
    clean, errors, _ = normalise({k: v for k, v in raw.items() if v is not None}, today=TODAY)
    assert errors == {}, errors
    return data_findings(clean, today=TODAY)


def ids(found):
    return {f.rule_id for f in found}


def test_a_good_record_has_no_findings():
    assert findings() == []


def test_missing_permit_is_a_blocker_and_first():
    found = findings(pirt_number=None)
    assert found[0].rule_id == "PERMIT-01" and found[0].severity == "BLOCKER"
    assert "P-IRT" in found[0].msg.id


def test_pirt_expired_later_is_an_error_at_preflight():
    clean, _, _ = normalise(BASE, today=TODAY)
    found = data_findings(clean, today=date(2030, 1, 2))
    assert any(f.rule_id == "PERMIT-02" and f.severity == "ERROR" for f in found)


def test_pirt_food_code_mismatch_is_a_warning():
    found = findings(pirt_food_code="15")
    assert [(f.rule_id, f.severity) for f in found] == [("PERMIT-02", "WARNING")]


def test_pirt_not_allowed_for_short_shelf_life_claims_or_cold_storage():
    assert "PERMIT-03" in ids(findings(shelf_life_days="7"))
    assert "PERMIT-03" not in ids(findings(shelf_life_days="8"))
    assert "PERMIT-03" in ids(findings(claims="Tinggi serat"))
    assert "PERMIT-03" in ids(findings(storage_instructions="Simpan di freezer"))


def test_jamu_as_traditional_medicine_needs_pom_tr():
    found = findings(product_class="obat_tradisional", category="jamu")
    assert {(f.rule_id, f.field) for f in found} >= {("PERMIT-01", "pom_tr_number"), ("PERMIT-03", "pirt_number")}


def test_halal_obligation_after_the_deadline():
    found = findings(halal_status="in_process", halal_cert_number=None)
    halal = [f for f in found if f.rule_id == "HALAL-01"]
    assert halal and halal[0].severity == "ERROR" and "17-10-2026" in halal[0].msg.id
    assert "HALAL-01" not in ids(findings(halal_status="not_halal", halal_cert_number=None))
    clean, _, _ = normalise({**BASE, "halal_status": "in_process", "halal_cert_number": ""}, today=TODAY)
    before = data_findings(clean, today=date(2026, 6, 1))
    assert [f.severity for f in before if f.rule_id == "HALAL-01"] == ["INFO"]


def test_certified_without_number_and_pork_with_halal():
    assert "HALAL-03" in ids(findings(halal_cert_number=None))
    found = findings(ingredients="daging babi (60%), gula (40%)")
    assert {"WARN-01", "HALAL-05"} <= ids(found)
    assert found[0].rule_id == "HALAL-05" and found[0].severity == "BLOCKER"


def test_nutrition_facts_required_unless_exempt():
    assert "NUT-01" in ids(findings(nutrition=None))
    assert "NUT-01" not in ids(findings(nutrition=None, category="kopi", pirt_food_code="10",
                                        pirt_number="2103517010012-29"))
    sambal = findings(nutrition=None, category="sambal", pirt_food_code="11", pirt_number="2113517010012-29")
    assert [(f.rule_id, f.severity) for f in sambal] == [("NUT-01", "INFO")]


def test_brand_words_and_claims():
    found = findings(brand="Keripik Sehat No.1", name="Keripik Pisang Tinggi Serat")
    assert {("NAME-02", "WARNING"), ("CLAIM-01", "ERROR")} <= {(f.rule_id, f.severity) for f in found}


def test_ingredient_order_sum_additives_quid_and_allergens():
    assert "ING-02" in ids(findings(ingredients="pisang (40%), minyak sawit (50%), gula (10%)"))
    short = findings(ingredients="pisang (80%), minyak sawit (10%), gula (5%)")
    assert [(f.rule_id, f.severity) for f in short] == [("ING-02", "WARNING")]
    assert "ING-03" in ids(findings(ingredients="pisang (80%), minyak sawit (15%), gula (4,9%), natrium benzoat (0,1%)"))
    assert "ING-03" not in ids(findings(ingredients="pisang (80%), minyak sawit (15%), gula (4,9%), "
                                                    "pengawet natrium benzoat (0,1%)"))
    assert "ING-04" in ids(findings(ingredients="pisang, minyak sawit, gula"))
    alg = findings(ingredients="pisang (80%), mentega (15%), gula (5%)")
    assert [(f.rule_id, f.field) for f in alg] == [("ALG-01", "allergens_confirmed")]
    assert findings(ingredients="pisang (80%), mentega (15%), gula (5%)", allergens_confirmed="susu") == []


def test_net_quantity_word_and_drained_weight():
    assert "NET-02" in ids(findings(net_quantity="200 ml"))
    assert "NET-04" in ids(findings(physical_state="padat_dalam_cairan"))
    assert "NET-04" not in ids(findings(physical_state="padat_dalam_cairan", drained_weight_g="120"))
    assert "NET-01" in ids(findings(net_quantity=None))


def test_storage_after_opening_needed_for_multi_serving_packs():
    found = findings(storage_after_opening=None)
    assert [(f.rule_id, f.field) for f in found] == [("STOR-01", "storage_after_opening")]


def test_batch_dates_are_checked():
    clean, _, _ = normalise(BASE, today=TODAY)
    found = data_findings(clean, today=TODAY, batch={"production_date": date(2026, 11, 28),
                                                     "best_before": date(2027, 3, 1), "production_code": "261128 01"})
    fields = {(f.rule_id, f.field) for f in found}
    assert ("DATE-04", "production_date") in fields and ("DATE-01", "production_code") in fields
    assert ("DATE-04", "best_before") in fields           # 28-11-2026 + 120 d = 28-03-2027
    ok = data_findings(clean, today=TODAY, batch={"production_date": TODAY, "best_before": date(2027, 3, 27),
                                                  "production_code": "261127-01"})
    assert ok == []


def test_severities_can_be_overridden_per_rule():
    clean, _, _ = normalise({**BASE, "halal_status": "in_process", "halal_cert_number": ""}, today=TODAY)
    s = RuleSettings.from_mapping({"severity_overrides": {"HALAL-01": "warning"}})
    assert [f.severity for f in data_findings(clean, today=TODAY, settings=s) if f.rule_id == "HALAL-01"] == ["WARNING"]


def test_crafts_have_no_food_rules():
    clean, _, _ = normalise({"product_class": "kerajinan", "name": "Tas Anyaman", "category": "kerajinan"}, today=TODAY)
    assert data_findings(clean, today=TODAY) == []


def test_every_rule_id_has_a_title_and_findings_sort_most_serious_first():
    for sev, title_id, title_en in RULES.values():
        assert sev in ("BLOCKER", "ERROR", "WARNING", "INFO") and title_id and title_en
    m = Msg("a", "a")
    out = sort_findings([Finding("X", "INFO", m), Finding("Y", "BLOCKER", m), Finding("Y", "BLOCKER", m)])
    assert [f.severity for f in out] == ["BLOCKER", "INFO"]
