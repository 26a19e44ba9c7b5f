import pytest

from studio.rules import allergen_statement, detect_allergens, emphasise_allergens, strip_markup


@pytest.mark.parametrize("ingredient, group", [
    ("tepung terigu", "gluten"), ("Gandum", "gluten"), ("oats", "gluten"), ("barley", "gluten"),
    ("telur ayam", "telur"), ("Egg", "telur"), ("ikan teri", "ikan"), ("tongkol", "ikan"),
    ("bandeng presto", "ikan"), ("udang", "krustasea"), ("rebon", "krustasea"),
    ("terasi", "krustasea"), ("kepiting", "krustasea"), ("cumi-cumi", "moluska"),
    ("kerang hijau", "moluska"), ("kacang tanah", "kacang_tanah"), ("Peanut", "kacang_tanah"),
    ("bumbu pecel", "kacang_tanah"), ("kedelai", "kedelai"), ("kecap manis", "kedelai"),
    ("tahu", "kedelai"), ("tempe", "kedelai"), ("tauco", "kedelai"), ("susu bubuk", "susu"),
    ("laktosa", "susu"), ("keju", "susu"), ("mentega", "susu"), ("whey", "susu"),
    ("butter", "susu"), ("krim", "susu"), ("kenari", "kacang_pohon"), ("almond", "kacang_pohon"),
    ("kacang mete", "kacang_pohon"), ("mede", "kacang_pohon"), ("hazelnut", "kacang_pohon"),
    ("walnut", "kacang_pohon"), ("pistachio", "kacang_pohon"), ("macadamia", "kacang_pohon"),
    ("pecan", "kacang_pohon"), ("natrium metabisulfit", "sulfit"), ("sulfite", "sulfit"),
    ("Pengawet natrium metabisulfit", "sulfit"),
])
def test_allergens_are_found_in_indonesian_and_english(ingredient, group):
    assert group in detect_allergens([ingredient])


@pytest.mark.parametrize("ingredient", [
    "kacang hijau", "santan", "kelapa parut", "susu kelapa", "cocoa butter", "mentega putih",
    "kemiri", "tepung beras", "tepung tapioka", "gula", "garam", "bawang putih", "minyak sawit",
    "maltodekstrin", "tahun", "kacang merah", "pala", "vanila",
])
def test_look_alike_words_are_not_allergens(ingredient):
    assert detect_allergens([ingredient]) == {}


def test_soy_milk_is_soy_not_milk():
    assert detect_allergens(["susu kedelai"]) == {"kedelai": ["susu kedelai"]}


def test_detection_lists_each_ingredient_per_group_in_regulation_order():
    found = detect_allergens(["gula", "susu bubuk", "tepung terigu", "keju", "telur"])
    assert list(found) == ["gluten", "telur", "susu"]
    assert found["susu"] == ["susu bubuk", "keju"]


def test_emphasis_bolds_allergen_words_only():
    text = "tepung terigu, gula, susu bubuk, kacang hijau"
    assert emphasise_allergens(text) == "<b>tepung terigu</b>, gula, <b>susu bubuk</b>, kacang hijau"
    assert emphasise_allergens(text, ["susu"]) == "tepung terigu, gula, <b>susu bubuk</b>, kacang hijau"
    assert emphasise_allergens("Udang Rebon") == "<b>Udang Rebon</b>"


def test_user_typed_markup_cannot_inject_tags():
    out = emphasise_allergens("<b>gula</b> & <i>susu</i>")
    assert out == "‹b›gula‹/b› & ‹i›<b>susu</b>‹/i›"
    assert out.count("<b>") == out.count("</b>") == 1
    assert strip_markup(out) == "‹b›gula‹/b› & ‹i›susu‹/i›"


def test_allergen_statement_wording():
    assert allergen_statement(["susu", "kacang_tanah"]) == "Mengandung alergen: susu, kacang tanah."
    assert allergen_statement(["susu"], ["kacang pohon", "susu"]) == \
        "Mengandung alergen: susu. Dapat mengandung kacang pohon."
    assert allergen_statement([], ["kacang_tanah"]) == "Dapat mengandung kacang tanah."
    assert allergen_statement([]) == ""
