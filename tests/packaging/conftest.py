"""Fixtures for the packaging tests: the pack catalogue, fonts, label values (pure), and a
producer with a complete kue-kering product (web)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from studio.labels import DesignOptions, FontRegistry
from studio.packaging import compose_panels, load_packs, pack_net, panel_documents

ROOT = Path(__file__).resolve().parents[2]

VALUES = {
    "name": "Kue Nastar Nanas", "brand": "Bu Lilik", "variant": "Selai nanas madu",
    "net_qty": "Berat Bersih 500 g",
    "ingredients": "Tepung terigu, mentega, <b>telur</b>, selai nanas (20%), gula, <b>susu</b> bubuk",
    "allergen_stmt": "Mengandung alergen: gandum, telur, susu.",
    "storage": "Simpan di tempat sejuk dan kering. Tutup rapat setelah dibuka.",
    "producer": "UD Bu Lilik, Ds. Pelabuhan, Kec. Plandaan, Jombang 61456, Indonesia",
    "permit": "P-IRT No. 2063517010012-29", "halal_number": "ID35110000123450923",
    "expiry": "Baik digunakan sebelum: lihat tutup kemasan", "price": "Rp45.000",
    "url": "http://127.0.0.1:5000/p/K7M2Q9", "gtin": "", "nutrition": "", "production": "", "warning": "",
    "units": "",
}


@pytest.fixture(scope="session")
def fonts() -> FontRegistry:
    return FontRegistry(ROOT / "fonts")


@pytest.fixture(scope="session")
def packs():
    return load_packs(ROOT / "packs")


@pytest.fixture(scope="session")
def composed_pack(packs, fonts):
    """``composed_pack(pack_id, style="bersih", **options)`` -> (pack, net, composed panels), cached."""
    cache: dict = {}

    def make(pack_id: str, style: str = "bersih", **options):
        key = (pack_id, style, tuple(sorted(options.items())))
        if key not in cache:
            pack = packs[pack_id]
            net = pack_net(pack)
            docs = panel_documents(net, style, DesignOptions(show_photo=False, **options))
            cache[key] = (pack, net, compose_panels(net, docs, VALUES, fonts))
        return cache[key]
    return make


PRODUCT_DATA = {
    "product_class": "pangan_pirt", "name": "Kue Nastar Nanas", "brand": "Bu Lilik",
    "variant": "Selai nanas madu", "category": "kue_kering", "physical_state": "padat", "net_quantity": "500 g",
    "ingredients": "Tepung terigu, mentega, telur, selai nanas (20%), gula, susu bubuk",
    "storage_instructions": "Simpan di tempat sejuk dan kering.", "shelf_life_days": "90",
    "permit_type": "PIRT", "pirt_number": "2063517010012-29", "pirt_food_code": "06",
    "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
}


def _photo_png() -> bytes:
    im = Image.new("RGBA", (900, 900), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    for i, (x, y) in enumerate(((300, 300), (560, 320), (430, 540), (280, 600), (600, 610))):
        d.ellipse((x - 130, y - 110, x + 130, y + 110), fill=(214, 160, 70, 255), outline=(150, 100, 40, 255), width=8)
        d.ellipse((x - 40, y - 35, x + 40, y + 35), fill=(236, 160, 40, 255))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def kue_kering(app, create_user, create_product):
    """Factory: ``kue_kering(owner=None)`` -> a product with complete data and a ready photo."""
    from studio.auth.services import update_profile
    from studio.extensions import db
    from studio.media import media
    from studio.products.models import Photo
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    def make(owner=None):
        if owner is None:
            owner = create_user("producer", business_name="UD Bu Lilik")
            update_profile(owner, owner.id, {"business_name": "UD Bu Lilik", "address": "Dsn. Sumberagung",
                                             "desa": "Pelabuhan", "kecamatan": "Plandaan", "postal_code": "61456"})
        product = create_product(owner, "Kue Nastar Nanas")
        add_revision(owner, product, check_product_data(dict(PRODUCT_DATA)).data, complete_label=True, percent=100)
        key = media().put_content("test-cutouts", _photo_png(), "png")
        photo = Photo(product_id=product.id, original_key=key, status="ready", cutout_key=key, catalogue_key=key)
        db.session.add(photo)
        db.session.flush()
        product.primary_photo_id = photo.id
        db.session.commit()
        return product
    return make
