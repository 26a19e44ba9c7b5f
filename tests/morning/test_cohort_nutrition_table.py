"""A trainer's nutrition table for a cohort is checked by the same nutrition rules as a product's
(rules.read_nutrition), without pretending to be a product record."""
from __future__ import annotations

import pytest

from studio.errors import Invalid

GOOD = {"nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam", "nutrition.fat": "24",
        "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62", "nutrition.sugar": "9",
        "nutrition.sodium_mg": "520"}


def test_a_cohort_table_is_checked_like_a_products_nutrition(app, cohort_with):
    from studio.cohorts.nutrition import nutrition_template_for, save_nutrition_template

    cohort, trainer, (producer, _other) = cohort_with()
    with pytest.raises(Invalid) as e:       # saturated fat above total fat: the product form's own message
        save_nutrition_template(trainer, cohort, "keripik", {**GOOD, "nutrition.sat_fat": "30"})
    assert e.value.field == "nutrition.sat_fat" and "Lemak jenuh" in str(e.value)
    with pytest.raises(Invalid) as e:
        save_nutrition_template(trainer, cohort, "keripik", {**GOOD, "nutrition.protein": "dua"})
    assert e.value.field == "nutrition.protein"
    with pytest.raises(Invalid) as e:
        save_nutrition_template(trainer, cohort, "keripik", {**GOOD, "nutrition.urt": ""})
    assert e.value.field == "nutrition.fat"         # "fill in every number of the table"
    assert save_nutrition_template(trainer, cohort, "keripik", GOOD) == GOOD
    assert nutrition_template_for(producer, "keripik")["nutrition.fat"] == "24"
