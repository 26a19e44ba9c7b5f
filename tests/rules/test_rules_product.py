from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from studio.rules import FIELDS, NetQuantity, completeness, label_texts, normalise, to_jsonable

TODAY = date(2026, 11, 27)
PRODUCER = {"legal_name": "UD Mbok Sri", "address_line": "Dsn. Sumberagung RT 02/RW 01, Ds. Plandi, Kec. Jombang",
            "regency": "3517", "postal_code": "61456"}
KERIPIK = {  # as it arrives from a CSV row: every value a string
    "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
    "variant": "Pedas", "category": "keripik", "net_quantity": "250 gram", "units_per_pack": "1",
    "ingredients": "singkong (70%), minyak sawit (20%), cabai 5%, bawang putih, garam, tepung terigu, udang rebon",
    "allergens_confirmed": "gluten, krustasea", "may_contain": "kacang tanah",
    "storage_instructions": "Simpan di tempat kering dan sejuk",
    "storage_after_opening": "Setelah dibuka, simpan dalam wadah tertutup", "shelf_life_days": "3 bulan",
    "pirt_number": "P-IRT No. 2063517010012-29", "pirt_food_code": "06", "packaging_material": "plastik",
    "halal_status": "certified", "halal_cert_number": "ID35110000123450824",
    "nutrition.fat": "25", "nutrition.sat_fat": "12,3", "nutrition.protein": "2,5", "nutrition.carb": "65",
    "nutrition.sugar": "3", "nutrition.sodium_mg": "450", "nutrition.serving_size_g": "25",
    "gtin": "8991234567891", "sku": "krp sgk 250", "price_idr": "Rp12.500", "stock": "40", "min_order": "1",
    "shipping_weight_g": "0,3 kg", "package_l_cm": "20", "package_w_cm": "15", "package_h_cm": "5",
    "description": "Keripik singkong renyah dengan bumbu balado, dibuat di Jombang.",
}


def test_a_complete_keripik_record_normalises_without_errors():
    clean, errors, warnings = normalise(KERIPIK, today=TODAY)
    assert errors == {}
    assert warnings == []
    assert clean["net_quantity"] == NetQuantity(Decimal(250), "g")
    assert clean["shelf_life_days"] == 90
    assert clean["pirt_number"] == "2063517010012-29"
    assert clean["price_idr"] == 12500 and clean["shipping_weight_g"] == 300
    assert clean["sku"] == "KRP-SGK-250"
    assert clean["physical_state"] == "padat" and clean["permit_type"] == "PIRT"
    assert clean["ingredients"][2] == {"name": "cabai", "pct": Decimal(5)}
    assert clean["allergens_confirmed"] == ("gluten", "krustasea")
    assert clean["nutrition"]["per100"]["sat_fat"] == Decimal("12.3")
    assert completeness(clean).percent == 100


def test_label_texts_for_a_keripik_product():
    clean, _, _ = normalise(KERIPIK, today=TODAY)
    t = label_texts(clean, PRODUCER)
    assert t["name"] == "Keripik Singkong Balado" and t["brand"] == "Mbok Sri" and t["variant"] == "Pedas"
    assert t["net_qty"] == "Berat Bersih 250 g"
    assert t["ingredients"] == ("<b>Komposisi:</b> singkong (70%), minyak sawit (20%), cabai (5%), bawang putih, "
                                "garam, <b>tepung terigu</b>, <b>udang rebon</b>.")
    assert t["allergen_stmt"] == "Mengandung alergen: gluten, krustasea. Dapat mengandung kacang tanah."
    assert t["producer"] == ("<b>Diproduksi oleh:</b> UD Mbok Sri, Dsn. Sumberagung RT 02/RW 01, Ds. Plandi, "
                             "Kec. Jombang, Jombang 61456, Indonesia")
    assert t["permit"] == "P-IRT No. 2063517010012-29"
    assert t["halal_number"] == "ID35110000123450824"
    assert t["expiry"] == "Baik digunakan sebelum: lihat kemasan"
    assert t["storage"] == ("Simpan di tempat kering dan sejuk. Setelah dibuka, simpan dalam wadah tertutup.")
    assert t["price"] == "Rp12.500" and t["gtin"] == "8991234567891"


def test_label_texts_for_one_batch_print_the_dates():
    clean, _, _ = normalise(KERIPIK, today=TODAY)
    t = label_texts(clean, PRODUCER, batch={"production_date": TODAY, "production_code": "261127-01"})
    assert t["expiry"] == "Baik digunakan sebelum 25-02-2027"    # 90 days is not MORE than 3 months
    clean["shelf_life_days"] = 180
    t = label_texts(clean, PRODUCER, batch={"production_date": TODAY, "production_code": "261127-01"})
    assert t["expiry"] == "Baik digunakan sebelum 05-2027"
    assert t["production"] == "Tanggal produksi: 27-11-2026. Kode produksi: 261127-01"


def test_label_texts_escape_user_markup_everywhere():
    clean, _, _ = normalise({**KERIPIK, "brand": "<b>Mbok</b>"}, today=TODAY)
    assert label_texts(clean, PRODUCER)["brand"] == "‹b›Mbok‹/b›"


def test_bad_values_come_back_as_field_messages():
    raw = {**KERIPIK, "net_quantity": "250 gr", "pirt_number": "20635170100129", "price_idr": "0",
           "gtin": "8991234567892", "halal_cert_number": "KH-0012/2024", "nutrition.sat_fat": "30",
           "shelf_life_days": "lama", "ingredients": "singkong 80%, minyak 30%"}
    clean, errors, _ = normalise(raw, today=TODAY)
    assert set(errors) == {"net_quantity", "pirt_number", "price_idr", "gtin", "halal_cert_number",
                           "nutrition.sat_fat", "shelf_life_days", "ingredients"}
    assert "250 g" in errors["net_quantity"].id
    assert "15 angka" in errors["pirt_number"].id
    for field in errors:
        assert field.split(".")[0] not in clean


def test_shipping_weight_below_net_weight_is_an_error():
    _, errors, _ = normalise({**KERIPIK, "shipping_weight_g": "200"}, today=TODAY)
    assert "shipping_weight_g" in errors and "250 g" in errors["shipping_weight_g"].id


def test_cross_field_warnings_come_with_the_clean_record():
    raw = {**KERIPIK, "packaging_material": "kaleng", "shelf_life_days": "5",
           "claims": "Tinggi serat", "pirt_number": "2063517010012-27"}
    _, errors, warnings = normalise(raw, today=TODAY)
    assert errors == {}
    found = {(w.rule_id, w.field) for w in warnings}
    assert ("PERMIT-02", "packaging_material") in found
    assert ("PERMIT-02", "pirt_number") in found          # expires 2027
    assert ("PERMIT-03", "shelf_life_days") in found
    assert ("PERMIT-03", "claims") in found


def test_completeness_lists_what_label_and_listing_still_need():
    clean, _, _ = normalise({"product_class": "pangan_pirt", "name": "Madu Klanceng", "category": "madu",
                             "halal_status": "certified"}, today=TODAY)
    c = completeness(clean)
    assert c.label_missing == ["net_quantity", "ingredients", "storage_instructions", "shelf_life_days",
                               "pirt_number", "pirt_food_code", "halal_cert_number", "packaging_material",
                               "nutrition"]
    assert "price_idr" in c.listing_missing and "stock" in c.listing_missing
    assert 0 < c.percent < 50


def test_completeness_depends_on_product_class():
    craft, _, _ = normalise({"product_class": "kerajinan", "name": "Tas Anyaman Pandan", "category": "kerajinan"},
                            today=TODAY)
    c = completeness(craft)
    assert c.label_missing == []
    assert c.listing_missing == ["brand", "price_idr", "stock", "shipping_weight_g", "package_l_cm",
                                 "package_w_cm", "package_h_cm", "description"]
    assert completeness({}).label_missing == ["product_class", "name"]


def test_kopi_needs_no_nutrition_facts():
    clean, _, _ = normalise({**KERIPIK, "category": "kopi", "name": "Kopi Bubuk Robusta",
                             "pirt_food_code": "10"}, today=TODAY)
    del clean["nutrition"]
    assert "nutrition" not in completeness(clean).label_missing


def test_json_form_reads_back_to_the_same_record():
    clean, _, _ = normalise({**KERIPIK, "net_quantity": "1,125 kg", "ingredients": "gula (1,125%), air"},
                            today=TODAY)
    again, errors, _ = normalise(to_jsonable(clean), today=TODAY)
    assert errors == {} and again == clean


def test_fields_schema_is_plain_data():
    assert list(FIELDS)[:3] == ["product_class", "name", "brand"]
    spec = FIELDS["product_class"]
    assert "pangan_pirt" in spec.choices and spec.label_id and spec.label_en


_values = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "0", "-1", "1,5", "250 gr", "Rp0",
                                                           "1e999", "NaN", "∞", "٣", "²", "1.5.5", "%", "(",
                                                           "P-IRT", "ID", "KH", "31-02-2026", "\x00"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(FIELDS) + ["nutrition.fat", "nutrition.serving_size_g",
                                                        "net_quantity.unit", "unknown"]), _values))
def test_normalise_never_raises_on_arbitrary_strings(raw):
    clean, errors, warnings = normalise(raw, today=TODAY)
    assert set(errors).isdisjoint(clean)
    for msg in errors.values():
        assert msg.id and msg.en
    completeness(clean)
    label_texts(clean, PRODUCER)


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({k: _values for k in ("product_class", "category", "net_quantity",
                                                     "ingredients", "pirt_number", "nutrition.fat",
                                                     "shelf_life_days", "price_idr")}))
def test_normalise_never_raises_on_a_valid_record_with_random_values(overrides):
    raw = {**KERIPIK, **overrides}
    clean, errors, _ = normalise(raw, today=TODAY)
    label_texts(clean, PRODUCER)


def test_an_expired_pirt_stays_in_the_record_and_is_reported_as_an_error():
    clean, errors, warnings = normalise({**KERIPIK, "pirt_number": "2063517010012-23"}, today=TODAY)
    assert errors == {} and clean["pirt_number"] == "2063517010012-23"
    expired = [w for w in warnings if w.rule_id == "PERMIT-02" and w.severity == "ERROR"]
    assert expired and "sudah habis" in expired[0].msg.id


def test_findings_survive_a_json_round_trip():
    from studio.rules import Finding
    _, _, warnings = normalise({**KERIPIK, "pirt_number": "2063517010012-23"}, today=TODAY)
    assert [Finding.from_dict(w.to_dict()) for w in warnings] == warnings


def test_producer_can_confirm_no_allergens_and_tag_compound_ingredients():
    clean, errors, _ = normalise({**KERIPIK, "allergens_confirmed": "tidak ada",
                                  "ingredients": [{"name": "singkong", "pct": "90"},
                                                  {"name": "bumbu instan", "pct": "10", "allergens": "susu"}]},
                                 today=TODAY)
    assert errors == {} and clean["allergens_confirmed"] == ()
    t = label_texts(clean, PRODUCER)
    assert t["ingredients"] == "<b>Komposisi:</b> singkong (90%), <b>bumbu instan</b> (10%)."
    assert t["allergen_stmt"] == "Mengandung alergen: susu. Dapat mengandung kacang tanah."


def test_units_and_mandatory_warnings_are_label_texts():
    clean, _, _ = normalise({**KERIPIK, "units_per_pack": "10 pcs", "sweeteners": "aspartam"}, today=TODAY)
    t = label_texts(clean, PRODUCER)
    assert t["units"] == "Isi 10 pcs"
    assert t["warning"] == ("Mengandung pemanis buatan: aspartam. Mengandung fenilalanin, tidak cocok untuk "
                            "penderita fenilketonurik.")


def test_a_permit_type_given_wrongly_keeps_its_error_and_gets_no_default():
    # found by the property test above: "0" is no permit type, and the PIRT default must not hide that
    clean, errors, _ = normalise({"product_class": "PIRT", "permit_type": "0"}, today=TODAY)
    assert "permit_type" in errors and "permit_type" not in clean
