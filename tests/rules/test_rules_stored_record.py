"""A stored record (rules.to_jsonable) decodes back into exactly the typed clean values (same types),
without being checked again: what products.record hands to design, print and publish."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from studio.rules import from_jsonable, normalise, to_jsonable

TODAY = date(2026, 12, 3)
EXTRA = {"product_class": "pangan_bpom", "name": "Sirup Jahe Merah", "category": "minuman_serbuk",
         "net_quantity": "1,5 L", "ingredients": [{"name": "jahe merah", "pct": "12,5", "allergens": "susu"}, "gula"],
         "drained_weight_g": "120,5", "alcohol_pct": "0,5", "may_contain": "tidak ada",
         "allergens_confirmed": "susu", "claims": "tanpa pengawet; asli", "sweeteners": "aspartam",
         "contains_pork": "tidak", "package_l_cm": "12,5", "units_per_pack": "6", "gtin": "8991234567891"}


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, Decimal):
        return a == b and a.as_tuple() == b.as_tuple()
    return a == b


SNACK = {"product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
         "variant": "Pedas Manis", "category": "keripik", "net_quantity": "250 g",
         "ingredients": "Singkong (70%), minyak sawit, garam 1,5%",
         "allergens_confirmed": "kacang tanah", "storage_instructions": "Simpan di tempat sejuk dan kering.",
         "storage_after_opening": "Tutup rapat setelah dibuka.", "units_per_pack": "4",
         "shelf_life_days": "120", "permit_type": "PIRT", "pirt_number": "2153517010012-29", "pirt_food_code": "15",
         "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
         "nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam", "nutrition.fat": "24",
         "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62,5", "nutrition.sugar": "9",
         "nutrition.sodium_mg": "520", "nutrition.source": "umk_default_table", "price_idr": "Rp15.000",
         "stock": "40", "min_order": "1", "shipping_weight_g": "300", "package_l_cm": "20", "package_w_cm": "14",
         "package_h_cm": "6", "description": "Keripik singkong renyah.\nDibuat di Jombang.", "sku": "krp-sgk 250"}
CRAFT = {"product_class": "kerajinan", "name": "Tas Anyaman Pandan", "category": "kerajinan",
         "net_quantity": "30 × 20 cm", "price_idr": "45000", "description": "Tas anyaman."}
RAWS = [SNACK, CRAFT, EXTRA]


@pytest.mark.parametrize("raw", RAWS, ids=lambda r: r["name"])
def test_a_stored_record_decodes_to_the_same_typed_values(raw):
    clean, _errors, _ = normalise(raw, today=TODAY)
    stored = to_jsonable(clean)
    decoded = from_jsonable(stored)
    kept = {k: v for k, v in clean.items() if v != ()}     # "tidak ada" (no groups) reads as not given
    assert same(decoded, kept), (decoded, kept)
    # and it is what reading the stored record with the rules again would give
    assert same(decoded, normalise(stored, today=TODAY)[0])


def test_keys_that_are_not_fields_and_empty_values_are_left_out():
    assert from_jsonable({"name": "Keripik", "nib": "1234567890123", "allergens_confirmed": [], "brand": ""}) \
        == {"name": "Keripik"}
