"""The stock advisor judges only the stock that makes sense (what the hub offers and can print, in the
shapes that suit the product's category) and what it proposes a producer can buy and print at the hub
and prints clean: started on a proposal, the label has no BLOCKER or ERROR and no overlapping words in
the print-shop PDF."""
from __future__ import annotations

import re

from test_design_web import NUTRITION
from test_stock_advisor import _cards, _halal_logo

from studio.designs import advisor
from studio.designs import services as designs
from studio.designs.stock import get_layouts
from studio.printing.services import save_printer
from tests.labels.labels_pdfglyphs import em_overlaps, em_words


def _proposals(html: str) -> list[tuple[str, str]]:
    """(stock id, "single"/"front_back") of every card that says the label fits, in page order."""
    out = []
    for sid, text in _cards(html):
        if "Muat semua isi wajib" in text:
            out.append((sid, "single"))
        if "belakang: semua isi wajib muat" in text:
            out.append((sid, "front_back"))
    return out


def test_what_a_producer_is_proposed_is_on_offer_at_the_hub_and_prints_clean(app, client, login, create_user,
                                                                             make_ready_product):
    _halal_logo(create_user)
    save_printer(create_user("hub"), "Epson L3210", "inkjet", 300)      # the hub prints sheets, no thermal printer
    product = make_ready_product(**NUTRITION)                           # a keripik pouch
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain?saran=1").get_data(as_text=True)
    proposals = _proposals(html)
    layouts = get_layouts()
    assert proposals and any(lid == "a4-nup-2x2-94x134" for lid, _s in proposals)
    for lid, _s in proposals:
        lay = layouts[lid]
        assert lay.kind != "roll" and lay.verified and lay.shape in app.config["STOCK_SHAPES_BY_CATEGORY"]["keripik"], lid
    # every card of a stock the hub cannot print, or that is not measured, says nothing
    text = dict(_cards(html))
    for lid in ("thermal-100x150", "tj-121"):
        assert "Muat semua isi wajib" not in text[lid] and "Tidak muat" not in text[lid], lid
    # started on each proposal (as the start form posts it), the label is clean and nothing overlaps
    for lid, label_set in proposals:
        r = client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": lid,
                                                              "label_set": label_set, "style_id": ""})
        assert r.status_code == 302, lid
        design = designs.find_design(product)
        assert design.layout_id == lid
        serious = [(f.get("rule_id"), f.get("tag")) for f in design.findings
                   if str(f.get("severity")).upper() in ("BLOCKER", "ERROR")]
        assert not serious, (lid, label_set, serious)
        pdf = client.get(f"/produk/{product.id}/desain/label.pdf").data
        assert not em_overlaps(em_words(pdf)), (lid, label_set)


def test_the_hub_list_and_a_thermal_printer_decide_what_is_judged(app, create_user, make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        judged = {l.id for l in advisor.stocks_to_judge(product)}
        assert "thermal-100x150" in judged          # no printer set up yet: every measured stock, rolls too
        assert not {"tj-103", "tj-107", "tj-121"} & judged                # not measured yet
        assert {"round-40mm-a4", "round-60mm-a4"} <= judged       # a keripik pouch: round stickers too
        shapes = app.config["STOCK_SHAPES_BY_CATEGORY"]
        app.config["STOCK_SHAPES_BY_CATEGORY"] = {**shapes, "keripik": ["rect"]}
        try:                                                        # a setting: a hub may say rectangles only
            assert {l.shape for l in advisor.stocks_to_judge(product)} == {"rect"}
        finally:
            app.config["STOCK_SHAPES_BY_CATEGORY"] = shapes
        save_printer(create_user("hub"), "Epson L3210", "inkjet", 300)
        assert not [l for l in advisor.stocks_to_judge(product) if l.kind == "roll"]
        thermal = save_printer(create_user("hub", username="hub2"), "Xprinter XP-420B", "thermal", 203)
        assert "thermal-100x150" in {l.id for l in advisor.stocks_to_judge(product)}
        assert thermal.active
        # the hub keeps two stocks: only those are judged and proposed (the key changes with the list)
        before = advisor.advice_key(product)
        app.config["STOCKS_ON_OFFER"] = ["avery-l7160", "a4-nup-2x2-94x134"]
        try:
            assert advisor.advice_key(product) != before
            advice = advisor.advise(product)
            assert {a.layout_id for a in advice} == {"avery-l7160", "a4-nup-2x2-94x134"}
            assert advisor.best_fitting_choice(product).layout_id == "a4-nup-2x2-94x134"
            # a design on a stock the advisor would not judge (not on offer) still gets the answer for it
            design = designs.start_design(product.owner, product.id, "round-60mm-a4", "")
            assert "round-60mm-a4" in {a.layout_id for a in advisor.advise(product, design)}
        finally:
            app.config["STOCKS_ON_OFFER"] = None
    assert re.fullmatch(r"[0-9a-f]+", before)
