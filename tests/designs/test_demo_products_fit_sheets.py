"""Issue 15, done when: for each demo product and for a halal P-IRT snack with nutrition and one
allergen, the stock advisor proposes at least one A4 and one F4 single-sticker option with no BLOCKER
or ERROR, and the printed PDF of that label contains every mandatory item (read back)."""
import io
import re

import pypdfium2 as pdfium
from PIL import Image
from sqlalchemy import select
from test_design_web import NUTRITION

from studio.auth.models import User
from studio.designs import advisor, assets
from studio.designs import render as design_render
from studio.designs import services as designs
from studio.designs.stock import get_layouts, paper_name
from studio.designs.values import label_values
from studio.products.record import product_record
from studio.extensions import db
from studio.products.models import Product


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]", "", text).lower()


def _mandatory(product) -> list[str]:
    """What the label must show, from the product's own label texts: name, net quantity, ingredients,
    allergens, producer, permit, halal number, best-before, storage, nutrition footnote, warnings."""
    values = label_values(product, product.current_revision, "http://x")
    clean = product_record(product.current_revision)
    plain = {k: re.sub(r"</?b>", "", v) for k, v in values.items()}
    items = [plain["name"], plain["net_qty"], plain["producer"], plain["permit"]]
    items += [plain["ingredients"], plain["allergen_stmt"], plain["storage"], plain["warning"]]
    if clean.get("halal_status") == "certified":
        items.append(plain["halal_number"])
    if clean.get("shelf_life_days"):
        items.append("Baik digunakan sebelum")
    if plain["nut_footnote"]:
        items += ["INFORMASI NILAI GIZI", plain["nut_footnote"]]
    return [i for i in items if i]


def _check(app, product) -> dict[str, str]:
    """The best A4 and F4 single-sticker stock with no BLOCKER or ERROR; its PDF shows every item."""
    layouts = get_layouts()
    with app.test_request_context():
        advice = advisor.advise(product)
        clean_ok = [a for a in advice if a.fits and a.error_count == 0]
        chosen = {}
        for paper in ("A4", "F4"):
            ok = [a for a in clean_ok if paper_name(layouts[a.layout_id]) == paper]
            assert ok, (product.name, paper, [(a.layout_id, a.blocking_count, a.error_count, a.reason)
                                              for a in advice if paper_name(layouts[a.layout_id]) == paper])
            chosen[paper] = ok[0].layout_id
        for layout_id in chosen.values():
            design = designs.find_design(product)
            if design is None:
                design = designs.start_design(product.owner, product.id, layout_id, designs.default_style(product))
            else:
                design = designs.update_design(product.owner, design.id, designs.DesignChanges(layout_id=layout_id))
            found = [f for f in design.findings if str(f.get("severity", "")).upper() in ("BLOCKER", "ERROR")]
            assert not found, (product.name, layout_id, found)
            pdf = design_render.render_design_pdf(design, "printshop")
            doc = pdfium.PdfDocument(pdf)
            text = _squeeze(doc[0].get_textpage().get_text_range())
            doc.close()
            for item in _mandatory(product):
                assert _squeeze(item) in text, (product.name, layout_id, item)
    return chosen


def _upload_halal_logo(admin) -> None:
    logo = io.BytesIO()
    Image.new("RGB", (300, 300), (30, 120, 60)).save(logo, "PNG")     # the admin uploads the official logo
    assets.upload_halal_logo(admin, logo.getvalue(), "halal.png")


def test_the_halal_p_irt_snack_fits_an_a4_and_an_f4_sheet(app, create_user, make_ready_product):
    _upload_halal_logo(create_user("admin"))
    product = make_ready_product(**NUTRITION)
    assert _check(app, product)


def test_every_demo_product_fits_an_a4_and_an_f4_sheet(app):
    from studio.demo import seed

    seed()
    _upload_halal_logo(db.session.scalar(select(User).where(User.username == "admin")))
    products = db.session.scalars(select(Product).order_by(Product.id)).all()
    assert len(products) == 4
    for product in products:
        _check(app, product)
