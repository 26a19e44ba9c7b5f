from __future__ import annotations

import json

import pytest

from studio.labels import (STYLES, Box, DesignOptions, DocumentError, LabelDocument, TextItem, make_document)
from studio.labels.fields import parse_markup, substitute


def test_document_round_trips_through_json(layouts):
    for style in STYLES:
        doc = make_document(style, layouts["avery-l7165"], DesignOptions(show_price=True, show_logo=True))
        again = LabelDocument.from_dict(json.loads(json.dumps(doc.to_dict())))
        assert again == doc


def test_unknown_keys_are_rejected():
    d = LabelDocument("x", (TextItem(Box(1, 1, 10, 5), "hi"),)).to_dict()
    with pytest.raises(DocumentError, match="selected"):
        LabelDocument.from_dict({**d, "selected": True})
    d["items"][0]["colour"] = "#000000"
    with pytest.raises(DocumentError, match="colour"):
        LabelDocument.from_dict(d)


def test_a_newer_schema_version_is_refused_not_guessed():
    d = LabelDocument("x", ()).to_dict()
    d["schema_version"] = 99
    with pytest.raises(DocumentError, match="newer"):
        LabelDocument.from_dict(d)


def test_bad_values_are_rejected():
    with pytest.raises(DocumentError):
        TextItem(Box(0, 0, 5, 5), "x", color="red")
    with pytest.raises(DocumentError):
        TextItem(Box(0, 0, 5, 5), "x", size_pt=5, min_size_pt=6)


def test_design_options_round_trip_and_reject_unknown_keys():
    o = DesignOptions(primary="#112233", show_price=True, overrides={"qr": Box(40, 5, 20, 20)})
    assert DesignOptions.from_dict(json.loads(json.dumps(o.to_dict()))) == o
    with pytest.raises(DocumentError):
        DesignOptions.from_dict({"show_fotos": True})


def test_unknown_fields_are_reported_and_left_visible():
    spans, unknown, empty = substitute("${name} – ${nama}", {"name": "Madu", "x": ""})
    assert unknown == ["nama"]
    assert "".join(s.text for s in spans) == "Madu – ${nama}"


def test_only_bold_markup_is_interpreted_everything_else_is_literal():
    spans, _, _ = substitute("${name}", {"name": "<script>alert(1)</script> <b>x</b>"})
    assert "".join(s.text for s in spans) == "<script>alert(1)</script> <b>x</b>"   # not a markup field
    spans, _, _ = substitute("Komposisi: ${ingredients}", {"ingredients": "gula, <b>susu</b>"})
    assert [(s.text, s.bold) for s in spans] == [("Komposisi: gula, ", False), ("susu", True)]
    assert [(s.text, s.bold) for s in parse_markup("a </b> <b>b")] == [("a </b> ", False), ("b", True)]


def test_overrides_move_an_element_but_stay_inside_the_safe_area(layouts):
    lay = layouts["avery-l7160"]
    doc = make_document("bersih", lay, DesignOptions(overrides={"qr": Box(55, -4, 20, 20)}))
    (qr,) = doc.find("qr")
    m = lay.safe_margin_mm
    assert qr.box.x_mm + qr.box.w_mm <= lay.label_w_mm - m + 1e-6 and qr.box.y_mm >= m


def test_small_labels_get_the_essentials_and_tiny_ones_ask_for_a_back_label(layouts):
    tiny = make_document("bersih", layouts["avery-l7651"])
    assert {it.tag for it in tiny.items} >= {"pdp.name", "pdp.net_qty", "qr"}
    assert "ingredients" not in {it.tag for it in tiny.items}
    assert "needs_back_label" in tiny.flags
    small = make_document("bersih", layouts["avery-l7160"])
    assert {"pdp.name", "pdp.net_qty", "pdp.producer", "pdp.permit", "pdp.halal", "pdp.expiry"} <= {
        it.tag for it in small.items}
    full = make_document("bersih", layouts["avery-l7165"])
    assert {"ingredients", "allergen_stmt", "storage", "photo", "expiry_box", "halal_logo"} <= {
        it.tag for it in full.items}
    assert not full.flags
