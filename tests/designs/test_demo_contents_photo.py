"""The demo keripik shows the food, not its pack, on its labels: the seed draws a top-down photo of the
chips on a plate (a "contents" photo, generated at seed time) beside the pack photo; the catalogue keeps
the pack photo, the label's picture is the food (read back from the label PDF's embedded image)."""
from __future__ import annotations

from sqlalchemy import select

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from studio.designs import assets, prepare
from studio.designs.services import set_document_dict
from studio.designs.source import RenderSource
from studio.designs.stock import get_layouts
from studio.extensions import db
from studio.labels import layout_to_dict, render_label_pdf
from studio.products.models import Photo, Product


def _picture_colours(pdf: bytes) -> list[tuple[int, int, int]]:
    """The median colour of each embedded picture's shown pixels (a cut-out's transparent part is
    stored black: left out)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for obj in doc[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5):
            px = np.asarray(obj.get_bitmap(render=False).to_pil().convert("RGB")).reshape(-1, 3).astype(int)
            shown = px[px.max(axis=1) > 24]
            if len(shown):
                out.append(tuple(int(v) for v in np.median(shown, axis=0)))
    finally:
        doc.close()
    return out


def test_the_demo_keripik_label_shows_the_food_and_the_catalogue_the_pack(app):
    from studio.demo import seed

    seed()
    product = db.session.scalar(select(Product).where(Product.name == "Keripik Singkong Balado"))
    photos = db.session.scalars(select(Photo).where(Photo.product_id == product.id).order_by(Photo.id)).all()
    assert [p.kind for p in photos] == ["pack", "contents"] and all(p.status == "ready" for p in photos)
    assert product.primary_photo_id == photos[0].id                 # the catalogue: the pack
    assert assets.label_photo(product).id == photos[1].id           # the label: the food
    lay = get_layouts()["avery-l7163"]
    opts = prepare.default_options(product)
    doc = set_document_dict(lay, "foto", opts, "front_back")
    src = RenderSource(product.id, lay.id, layout_to_dict(lay), "foto", opts.to_dict(), doc,
                       product.current_revision_id)
    with app.test_request_context():
        r = prepare.prepare_design(src)
    colours = _picture_colours(render_label_pdf(r.panels["front"], lay, bleed_mm=0, crop_marks=False))
    # the food: balado-red and cassava-yellow chips (the pouch is a saturated colour block on wood)
    assert any(red > 150 and red > green + 40 and green > blue for red, green, blue in colours), colours
