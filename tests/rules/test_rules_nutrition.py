from decimal import Decimal as D

import pytest

from studio.rules import RuleError, RuleSettings, ing_required, nutrition_facts
from studio.rules.nutrition import (footnote, percent_akg, round_energy, round_fat, round_gram,
                                    round_servings, round_sodium)

KERIPIK = {"fat": "25", "sat_fat": "12,3", "protein": "2,5", "carb": "65", "sugar": "3", "sodium_mg": "450"}


@pytest.mark.parametrize("fn, value, expected", [
    (round_energy, "4.9", "0"), (round_energy, "12.5", "15"), (round_energy, "50", "50"),
    (round_energy, "148.5", "150"), (round_fat, "0.4", "0"), (round_fat, "3.69", "3.5"),
    (round_fat, "3.75", "4.0"), (round_fat, "7.5", "8"), (round_gram, "0.49", "0"),
    (round_gram, "2.5", "3"), (round_sodium, "4", "0"), (round_sodium, "137", "135"),
    (round_sodium, "141", "140"), (round_sodium, "146", "150"), (round_servings, "4.74", "4.5"),
    (round_servings, "4.75", "5.0"), (round_servings, "0.2", "0.5"),
])
def test_bpom_rounding_steps(fn, value, expected):
    assert fn(D(value)) == D(expected)


def test_percent_akg_is_zero_when_the_rounded_amount_is_zero():
    assert percent_akg(D("0.4"), D(0), D(67)) == 0
    assert percent_akg(D("148.5"), D(150), D(2150)) == 7


def test_keripik_panel_per_serving():
    nf = nutrition_facts(KERIPIK, "30", "150")
    assert nf.serving_text == "Takaran saji 30 g"
    assert nf.servings_text == "5 Sajian per Kemasan"
    assert nf.per_text == "JUMLAH PER SAJIAN"
    rows = {r.key: (r.label, r.amount, r.akg) for r in nf.rows}
    assert rows["energy_kcal"] == ("Energi total", "150 kkal", "7%")      # 495 kcal/100 g × 0,3
    assert rows["fat"] == ("Lemak total", "8 g", "11%")                   # 7,5 g
    assert rows["sat_fat"] == ("Lemak jenuh", "3,5 g", "18%")             # 3,69 g
    assert rows["protein"] == ("Protein", "1 g", "1%")
    assert rows["carb"] == ("Karbohidrat total", "20 g", "6%")
    assert rows["sugar"] == ("Gula", "1 g", "")                           # no %AKG for sugar
    assert rows["sodium_mg"] == ("Garam (Natrium)", "135 mg", "9%")
    assert nf.footnote == ("*Persen AKG berdasarkan kebutuhan energi 2150 kkal. "
                           "Kebutuhan energi Anda mungkin lebih tinggi atau lebih rendah.")


def test_pack_smaller_than_a_serving_is_shown_per_pack():
    nf = nutrition_facts(KERIPIK, "30", "20")
    assert nf.per_pack and nf.per_text == "JUMLAH PER KEMASAN (20 g)"
    assert nf.servings_text == "" and nf.serving_text == ""
    assert nf.rows[0].amount == "100 kkal"                                # 495 × 0,2 = 99


def test_alg_reference_values_are_settings():
    s = RuleSettings.from_mapping({"alg": {"energy_kcal": 2000}, "ing_show_energy_from_fat": "ya"})
    nf = nutrition_facts(KERIPIK, "30", "150", s)
    assert "2000 kkal" in nf.footnote == footnote(s)
    assert nf.rows[0].akg == "7%" and nf.rows[1].label == "Energi dari lemak"


@pytest.mark.parametrize("change, field", [
    ({"sat_fat": "30"}, "sat_fat"), ({"sugar": "70"}, "sugar"), ({"fat": "60", "carb": "50"}, "carb"),
    ({"fat": "-1"}, "fat"), ({"protein": ""}, "protein"),
])
def test_inconsistent_values_are_errors(change, field):
    with pytest.raises(RuleError) as e:
        nutrition_facts({**KERIPIK, **change}, "30", "150")
    assert e.value.field == field


def test_ing_requirement_and_exemptions():
    assert ing_required("pangan_pirt", "keripik")
    assert ing_required("pangan_pirt", "madu")
    assert ing_required("pangan_bpom", "minuman_serbuk")
    assert not ing_required("pangan_pirt", "kopi")
    assert not ing_required("pangan_pirt", "sambal")
    assert not ing_required("kerajinan", "kerajinan")
    assert not ing_required("obat_tradisional", "jamu")
    strict = RuleSettings.from_mapping({"ing_exempt_categories": ["kopi"]})
    assert ing_required("pangan_pirt", "sambal", strict)
