"""A product that has passed every wizard gate up to printing, built directly from the models."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from studio.designs.models import Design, DesignVersion
from studio.extensions import db
from studio.media import media
from studio.printing.models import PrintJob
from studio.products.models import Photo
from studio.products.services import add_revision

RECORD = {
    "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
    "variant": "Pedas Manis", "category": "keripik", "net_quantity": "250 g",
    "ingredients": "Singkong (70%), minyak sawit, cabai merah, bawang putih, garam, gula, kacang tanah",
    "storage_instructions": "Simpan di tempat sejuk dan kering.", "shelf_life_days": "120",
    "permit_type": "PIRT", "pirt_number": "2153517010012-29", "pirt_food_code": "15",
    "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
    "price_idr": "Rp15.000", "stock": "40", "shipping_weight_g": "300",
    "description": "Keripik singkong renyah <b>balado</b> & pedas.",
}


def _jpeg(color=(200, 60, 40), size=1200) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


@pytest.fixture
def ready_product(app, create_user, create_product):
    """Factory: ``ready_product(owner=None, **record_overrides) -> Product`` approved and printed."""
    def make(owner=None, **overrides):
        owner = owner or create_user("producer", business_name="UD Mbok Sri")
        profile = owner.profile
        profile.desa, profile.kecamatan, profile.whatsapp = "Pelabuhan", "Plandaan", "+6281234500011"
        profile.address, profile.postal_code = "Dsn. Sumberagung", "61456"
        record = dict(RECORD, **overrides)
        product = create_product(owner, record["name"])
        rev = add_revision(owner, product, record, complete_label=True, complete_listing=True, percent=100)
        thumbs = {str(s): media().put_content("derived", _jpeg(size=s), "jpg") for s in (600, 300, 150)}
        photo = Photo(product_id=product.id, original_key=media().put_content("originals", _jpeg(), "jpg"),
                      status="ready", catalogue_key=media().put_content("derived", _jpeg(), "jpg"), thumb_keys=thumbs)
        db.session.add(photo)
        db.session.flush()
        product.primary_photo_id = photo.id
        design = Design(product_id=product.id, layout_id="avery-l7160", layout_snapshot={}, style_id="bersih",
                        document={}, product_revision_id=rev.id)
        db.session.add(design)
        db.session.flush()
        version = DesignVersion(design_id=design.id, product_id=product.id, number=1, layout_id="avery-l7160",
                                layout_snapshot={}, style_id="bersih", document={}, product_revision_id=rev.id,
                                status="approved")
        db.session.add(version)
        db.session.flush()
        db.session.add(PrintJob(request_key=f"k{product.id}", product_id=product.id, design_version_id=version.id,
                                product_revision_id=rev.id, layout_id="avery-l7160", layout_snapshot={}, copies=21,
                                status="printed", created_by_id=owner.id))
        db.session.commit()
        return product
    return make
