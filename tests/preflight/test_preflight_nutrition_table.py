"""Issue 15: the nutrition information is printed as the familiar table (Informasi Nilai Gizi,
rows, %AKG column) with the %AKG footnote where it fits, and a panel whose nutrition lacks the
footnote is flagged. Read back from the PDF text and its positions."""
import pypdfium2 as pdfium
import pytest

from preflight_helpers import (FONTS, HALAL_LOGO, LAYOUTS, check, clean_record, good_items, make_label, rules_of,
                               values_for)
from studio.labels import Box, DesignOptions, TextItem, compose, make_document, render_label_pdf

NUTRITION = {"per100": {"fat": "24", "sat_fat": "11", "protein": "2", "carb": "62", "sugar": "9",
                        "sodium_mg": "520"}, "serving_size_g": "30"}
FOOTNOTE = ("*Persen AKG berdasarkan kebutuhan energi 2150 kkal. Kebutuhan energi Anda mungkin lebih "
            "tinggi atau lebih rendah.")


def snack():
    return clean_record(category="keripik", name="Keripik Pisang", nutrition=NUTRITION,
                        ingredients="pisang (70%), minyak sawit (20%), susu bubuk (10%)")


def printed(clean, layout_id):
    lay = LAYOUTS[layout_id]
    doc = make_document("bersih", lay, DesignOptions(show_nutrition=True, show_photo=False))
    label = compose(doc, lay, values_for(clean), FONTS, {"halal_logo": HALAL_LOGO})
    return label, render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)


def places(pdf: bytes, *words: str) -> dict[str, list[tuple[float, float, float]]]:
    """Every occurrence of each word: (left, right, baseline) in mm from the top-left (the baseline as
    the bottom of its first character, which sits on it in every word asked for here)."""
    out = {}
    d = pdfium.PdfDocument(pdf)
    try:
        page = d[0]
        tp = page.get_textpage()
        h = page.get_height()
        for w in words:
            found, s = [], tp.search(w, match_case=True)
            while (hit := s.get_next()) is not None:
                i, n = hit
                boxes = [tp.get_charbox(k) for k in range(i, i + n)]
                found.append((min(b[0] for b in boxes) * 25.4 / 72, max(b[2] for b in boxes) * 25.4 / 72,
                              (h - boxes[0][1]) * 25.4 / 72))
            out[w] = found
        text = " ".join(tp.get_text_range().split())
    finally:
        d.close()
    return out, text


@pytest.mark.parametrize("layout_id", ["a4-nup-2x2-94x134", "f4-nup-2x2-96x150", "thermal-100x150"])
def test_the_nutrition_table_has_rows_an_akg_column_and_the_footnote(layout_id):
    clean = snack()
    label, pdf = printed(clean, layout_id)
    at, text = places(pdf, "INFORMASI NILAI GIZI", "Lemak total", "Gula", "Garam (Natrium)", "7 g", "11%",
                      "160 mg", "10%", "% AKG*")
    assert FOOTNOTE in text
    assert "Takaran saji 30 g" in text and "3,5 Sajian per Kemasan" in text and "JUMLAH PER SAJIAN" in text
    (title,), (fat,), (sugar,), (salt,) = (at[k] for k in ("INFORMASI NILAI GIZI", "Lemak total", "Gula",
                                                            "Garam (Natrium)"))
    # a table: each nutrient's amount and %AKG on its own row, in columns right of the name
    for name, amount, akg in ((fat, at["7 g"][0], at["11%"][0]), (salt, at["160 mg"][0], at["10%"][0])):
        assert abs(name[2] - amount[2]) < 0.3 and abs(name[2] - akg[2]) < 0.3
        assert name[1] < amount[0] < amount[1] < akg[0]
    assert abs(at["11%"][0][1] - at["% AKG*"][0][1]) < 0.3, "the %AKG column is right-aligned under its head"
    assert title[2] < fat[2] < sugar[2] < salt[2]
    assert not {"NUT-01", "NUT-02"} & rules_of(check(label, clean, layout=LAYOUTS[layout_id]))


def test_nutrition_without_the_footnote_is_flagged():
    clean = snack()
    lay = LAYOUTS["thermal-100x150"]
    doc = make_document("bersih", lay, DesignOptions(show_nutrition=True, show_photo=False))
    values = values_for(clean)
    values["nut_footnote"] = ""                       # a table whose footnote was left out
    label = compose(doc, lay, values, FONTS, {"halal_logo": HALAL_LOGO})
    assert "NUT-02" in rules_of(check(label, clean, layout=lay), "ERROR")
    # running text without the footnote (a hand-made design)
    items = good_items()
    del items["ean"]
    items["nutrition"] = TextItem(Box(54, 26, 43, 19), "${nutrition}", size_pt=6, tag="nutrition")
    label = make_label(items, clean, values_for(clean, nutrition="Energi total 140 kkal (7%)"))
    assert "NUT-02" in rules_of(check(label, clean), "ERROR")
    label = make_label(items, clean, values_for(clean, nutrition="Energi total 140 kkal (7%*) " + FOOTNOTE))
    assert not {"NUT-02", "OVER-01"} & rules_of(check(label, clean))


def test_the_linear_format_is_a_setting():
    """Spec §2.7 lists the formats with ⚠: running text (the linear format, what a small all-in-one
    sticker prints) is accepted by default and flagged when the hub's settings do not accept it;
    the table is accepted either way."""
    from studio.preflight.settings import PreflightSettings
    from studio.rules import RuleSettings

    strict = PreflightSettings(rules=RuleSettings.from_mapping({"nutrition_linear_allowed": "false"}))
    clean = snack()
    items = good_items()
    del items["ean"]
    items["nutrition"] = TextItem(Box(54, 26, 43, 19), "${nutrition}", size_pt=6, tag="nutrition")
    label = make_label(items, clean, values_for(clean, nutrition="Energi total 140 kkal (7%*) " + FOOTNOTE))
    assert "NUT-01" not in rules_of(check(label, clean))
    assert "NUT-01" in rules_of(check(label, clean, settings=strict), "ERROR")
    table, _pdf = printed(clean, "a4-nup-2x2-94x134")
    assert "NUT-01" not in rules_of(check(table, clean, layout=LAYOUTS["a4-nup-2x2-94x134"], settings=strict))


def test_sugar_without_akg_is_not_reported_as_missing_nutrition():
    """Sugar has no %AKG (no reference value), so its cell in the %AKG column is blank on purpose.
    That blank cell was reported as "'Informasi Nilai Gizi' belum ada isinya di data produk" on the
    design page and the trainer's review, beside a complete table."""
    label, pdf = printed(snack(), "a4-nup-2x2-94x134")
    assert [p for p in label.problems if p.tag == "nutrition"] == []
    at, _text = places(pdf, "Gula", "% AKG*")
    assert at["Gula"] and at["% AKG*"]
