"""Label sets: a front sticker (the principal display panel) and a back sticker (the information
panel) of one stock, judged as ONE label, shown and printed together. The halal P-IRT snack with
nutrition and an allergen, which no small A4/F4 sticker holds as one label, fits them as a set."""
from __future__ import annotations

import json
import re

import pypdfium2 as pdfium
import pytest
from test_design_web import NUTRITION
from test_stock_advisor import _halal_logo

from studio.designs import advisor
from studio.designs import render as design_render
from studio.designs import services as designs
from studio.designs.stock import paper_name
from studio.extensions import db

#: everything the law asks the snack's label to show (read back from the printed PDF)
MANDATORY = ("Keripik Singkong Balado", "250 g", "Komposisi", "singkong", "minyak sawit", "kacang tanah",
             "UD Mbok Sri", "Sumberagung", "2153517010012-29", "ID35110000123450923", "Baik digunakan sebelum",
             "Simpan di tempat sejuk", "Informasi Nilai Gizi", "Energi total")


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]", "", text.lower())


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(pdf))


@pytest.mark.parametrize("layout_id", ["avery-l7160", "f4-nup-3x6-60x45"])   # A4 63.5 x 38.1, F4 60 x 45
def test_a_snack_set_on_small_a4_and_f4_stickers_holds_every_item(app, create_user, make_ready_product, layout_id):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        single = designs.start_design(product.owner, product.id, layout_id, "bersih")
        assert single.blocker_count > 0                         # as one sticker it cannot hold the label
        design = designs.start_design(product.owner, product.id, layout_id, "bersih", label_set="front_back")
        assert design.id == single.id and designs.set_id_of(design.document) == "front_back"
        assert design.blocker_count == 0
        assert not [f for f in design.findings if str(f.get("severity")).upper() in ("BLOCKER", "ERROR")]
        pdf = design_render.render_design_pdf(design, "sheet", copies=1)
    flat = _squeeze(_pdf_text(pdf))
    for item in MANDATORY:
        assert _squeeze(item) in flat, item
    # the two stickers are printed: the front (name) and the back (ingredients) in two slots
    page = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert page.count("Komposisi") == 1 and page.count("Berat Bersih 250 g") == 1


def test_the_set_preview_shows_both_stickers_and_the_front_is_the_principal_panel(app, create_user,
                                                                               make_ready_product):
    from PIL import Image
    import io

    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        design = designs.start_design(product.owner, product.id, "avery-l7160", "bersih", label_set="front_back")
        png = Image.open(io.BytesIO(design_render.render_preview_png(design)))
        r = designs.prepare_design(design)
    assert png.width > 2 * png.height                        # two 63.5 x 38.1 stickers side by side
    tags = {(reg.tag.split("#")[0], reg.panel) for reg in r.label.regions.values()}
    assert {("pdp.name", "front"), ("pdp.net_qty", "front"), ("pdp.permit", "front"), ("halal_logo", "front"),
            ("ingredients", "back"), ("nutrition", "back"), ("expiry_box", "back")} <= tags


def test_preflight_json_reports_the_set_as_one_label_with_the_panel_of_each_finding(app, create_user,
                                                                                 make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        design = designs.start_design(product.owner, product.id, "avery-l7160", "bersih", label_set="front_back")
    runner = app.test_cli_runner()
    ok = json.loads(runner.invoke(args=["studio", "preflight", "--product", str(product.id), "--json"]).output)
    assert ok["label_set"] == "front_back" and ok["panels"] == ["front", "back"] and ok["blockers"] == 0
    # the back sticker loses its ingredients (a forged or old document): the SET blocks, on the back
    doc = json.loads(json.dumps(design.document))
    doc["panels"]["back"]["items"] = [i for i in doc["panels"]["back"]["items"]
                                      if i.get("tag") not in ("ingredients", "allergen_stmt")]
    design.document = doc
    db.session.commit()
    out = json.loads(runner.invoke(args=["studio", "preflight", "--product", str(product.id), "--json"]).output)
    assert out["blockers"] >= 1
    ing = [f for f in out["findings"] if f["rule_id"] == "ING-01"]
    assert ing and all(f["panel"] == "back" for f in ing)
    assert all(f["panel"] in ("front", "back") for f in out["findings"] if f.get("tag"))
    text = runner.invoke(args=["studio", "preflight", "--product", str(product.id)]).output
    assert "ING-01" in text and "(back)" in text


def test_the_advisor_proposes_front_back_pairs_on_a4_and_f4_sheets(app, create_user, make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        advice = advisor.advise(product)
        layouts = designs.get_layouts()
    pairs = {a.layout_id: a for a in advice if a.is_set}
    for stock in ("avery-l7160", "avery-l7165", "f4-nup-3x6-60x45"):
        single = next(a for a in advice if a.layout_id == stock and not a.is_set)
        if not single.fits:
            assert pairs[stock].fits and pairs[stock].error_count == 0, pairs[stock]
    fitting_pairs = [a for a in advice if a.is_set and a.fits]
    papers = {paper_name(layouts[a.layout_id]) for a in fitting_pairs}
    assert {"A4", "F4"} <= papers
    # best first: whatever fits comes before whatever does not
    fits = [a.fits for a in advice]
    assert fits == sorted(fits, reverse=True)


def test_a_new_design_without_a_stock_can_start_as_a_set(app, create_user, make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        best = advisor.best_fitting_choice(product)
        design = designs.start_design(product.owner, product.id, "", "bersih")
    assert design.layout_id == best.layout_id
    assert (designs.set_id_of(design.document) or "single") == best.label_set
    assert design.blocker_count == 0


def test_an_unknown_set_is_refused_on_its_field(app, make_ready_product):
    from studio.errors import Invalid

    product = make_ready_product(**NUTRITION)
    with app.test_request_context(), pytest.raises(Invalid) as e:
        designs.start_design(product.owner, product.id, "avery-l7160", "bersih", label_set="triple")
    assert e.value.field == "label_set"


def _demo(name: str) -> dict:
    from studio.demo_products import DEMO_PRODUCTS

    return next(dict(p) for items in DEMO_PRODUCTS.values() for p in items if p["name"] == name)


@pytest.mark.parametrize("name, items", [
    ("Keripik Singkong Balado", ("Keripik Singkong Balado", "250 g", "Komposisi", "kacang tanah", "UD Mbok Sri",
                                 "2153517010012-29", "ID35110000123450923", "Baik digunakan sebelum",
                                 "Simpan di tempat sejuk", "Informasi Nilai Gizi")),
    ("Kopi Bubuk Robusta", ("Kopi Bubuk Robusta", "200 g", "Kopi robusta (100%)", "UD Mbok Sri", "2103517020045-30",
                            "ID35110000765430524", "Baik digunakan sebelum", "Simpan di tempat sejuk")),
])
def test_every_complete_demo_product_gets_an_a4_and_an_f4_option_that_prints_every_item(
        app, create_user, make_ready_product, name, items):
    _halal_logo(create_user)
    data = _demo(name)
    product = make_ready_product(**{k: v for k, v in data.items() if k not in ("stock", "description")})
    with app.test_request_context():
        advice = advisor.advise(product)
        layouts = designs.get_layouts()
        for paper in ("A4", "F4"):
            option = next(a for a in advice if a.fits and a.error_count == 0
                          and paper_name(layouts[a.layout_id]) == paper)
            design = designs.start_design(product.owner, product.id, option.layout_id, "bersih",
                                          label_set=option.label_set)
            assert design.blocker_count == 0 and (designs.set_id_of(design.document) or "single") == option.label_set
            flat = _squeeze(_pdf_text(design_render.render_design_pdf(design, "sheet", copies=1)))
            for item in items:
                assert _squeeze(item) in flat, (paper, option, item)


def test_a_set_on_a_50x30_roll_prints_as_two_consecutive_roll_labels(app, make_ready_product):
    """No single 50 x 30 mm roll label holds a food label at the legal sizes: the producer can
    choose front + back on the roll, and the sheet PDF of the job is front, back, front, back…,
    one 50 x 30 mm page per roll label (the name and net quantity on the front, the ingredients on
    the back)."""
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        design = designs.start_design(product.owner, product.id, "thermal-50x30", "termal", label_set="front_back")
        assert design.layout_id == "thermal-50x30" and designs.set_id_of(design.document) == "front_back"
        pdf = design_render.render_design_pdf(design, "sheet", copies=2)
    doc = pdfium.PdfDocument(pdf)
    try:
        assert len(doc) == 4
        sizes = {(round(doc[i].get_width() * 25.4 / 72), round(doc[i].get_height() * 25.4 / 72)) for i in range(4)}
        texts = [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(4)]
    finally:
        doc.close()
    assert sizes == {(50, 30)}
    assert texts[0] == texts[2] and texts[1] == texts[3] and texts[0] != texts[1]
    assert "Berat Bersih" in texts[0] and "Komposisi" not in texts[0]
    assert "Komposisi" in texts[1] and "Berat Bersih" not in texts[1]
