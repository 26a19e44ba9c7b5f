"""Fixtures for the label-design tests: a producer with a complete product and a cut-out photo,
and helpers that read PDFs back (pypdfium2 raster at 300 dpi, zxing-cpp decoding)."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from studio.rules import gtin_check_digit

PRODUCT_DATA = {
    "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
    "variant": "Pedas Manis", "category": "keripik", "physical_state": "padat", "net_quantity": "250 g",
    "ingredients": "Singkong (70%), minyak sawit, cabai merah, bawang putih, garam, gula",
    "storage_instructions": "Simpan di tempat sejuk dan kering.", "shelf_life_days": "120",
    "permit_type": "PIRT", "pirt_number": "2153517010012-29", "pirt_food_code": "15",
    "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
    "price_idr": "Rp15.000",
}
GTIN = "899123456789" + str(gtin_check_digit("899123456789"))


def _photo_png() -> bytes:
    im = Image.new("RGBA", (900, 1100), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((150, 100, 750, 1050), 50, fill=(196, 120, 48, 255))
    d.ellipse((300, 450, 600, 750), fill=(250, 230, 200, 255))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def make_ready_product(app, create_user, create_product):
    """Factory: ``make_ready_product(owner=None, gtin=False, **data)`` -> product with complete data
    (current revision) and a ready primary photo whose cut-out is in media."""
    from studio.auth.services import update_profile
    from studio.extensions import db
    from studio.media import media
    from studio.products.models import Photo
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    def make(owner=None, *, gtin: bool = False, **data):
        if owner is None:
            owner = create_user("producer", business_name="UD Mbok Sri")
            update_profile(owner, owner.id, {"business_name": "UD Mbok Sri", "address": "Dsn. Sumberagung",
                                             "desa": "Pelabuhan", "kecamatan": "Plandaan", "postal_code": "61456"})
        product = create_product(owner, "Keripik Singkong Balado")
        record = {**PRODUCT_DATA, **({"gtin": GTIN} if gtin else {}), **data}
        add_revision(owner, product, check_product_data(record).data, complete_label=True, percent=100)
        key = media().put_content("test-cutouts", _photo_png(), "png")
        photo = Photo(product_id=product.id, original_key=key, status="ready", cutout_key=key, catalogue_key=key)
        db.session.add(photo)
        db.session.flush()
        product.primary_photo_id = photo.id
        db.session.commit()
        return product
    return make


