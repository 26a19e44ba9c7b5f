"""The demo products (realistic Jombang UMKM data)."""
from __future__ import annotations

from sqlalchemy import select

from .auth.models import User
from .products.models import Product

DEMO_PRODUCTS = {
    "bu.sri": [{
        "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
        "variant": "Pedas Manis", "category": "keripik", "physical_state": "padat",
        "net_quantity": "250 g", "ingredients": "Singkong (70%), minyak sawit, cabai merah, bawang putih, garam, gula, kacang tanah",
        "storage_instructions": "Simpan di tempat sejuk dan kering.",
        "storage_after_opening": "Tutup rapat setelah dibuka.",
        "shelf_life_days": "120", "production_code_scheme": "YYMMDD-nn", "permit_type": "PIRT",
        "pirt_number": "2153517010012-29", "pirt_food_code": "15", "packaging_material": "plastik",
        "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
        "allergens_confirmed": "kacang tanah",
        "nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam", "nutrition.fat": "24",
        "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62", "nutrition.sugar": "9",
        "nutrition.sodium_mg": "520", "nutrition.source": "umk_default_table",
        "price_idr": "Rp15.000", "stock": "40", "min_order": "1", "shipping_weight_g": "300",
        "package_l_cm": "20", "package_w_cm": "14", "package_h_cm": "6",
        "description": "Keripik singkong renyah dengan bumbu balado pedas manis, dibuat dari singkong pilihan Desa Pelabuhan.",
    }, {
        "product_class": "pangan_pirt", "name": "Kue Kering Nastar", "brand": "Mbok Sri",
        "variant": "Nanas", "category": "kue_kering", "physical_state": "padat", "net_quantity": "500 g",
        "ingredients": "Tepung terigu, mentega, selai nanas (20%), gula, telur, susu bubuk",
        "allergens_confirmed": "gluten, telur, susu",
        "storage_instructions": "Simpan di tempat sejuk dan kering.",
        "storage_after_opening": "Tutup rapat setelah dibuka.",
        "shelf_life_days": "60", "production_code_scheme": "YYMMDD-nn", "permit_type": "PIRT",
        "pirt_number": "2063517020012-29", "pirt_food_code": "06", "packaging_material": "plastik",
        "halal_status": "certified", "halal_cert_number": "ID35110000123451023",
        "nutrition.serving_size_g": "20", "nutrition.urt": "4 buah", "nutrition.fat": "25",
        "nutrition.sat_fat": "14", "nutrition.protein": "6", "nutrition.carb": "62", "nutrition.sugar": "30",
        "nutrition.sodium_mg": "150", "nutrition.source": "umk_default_table",
        "price_idr": "Rp65.000",
    }],
    "pak.darto": [{
        "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta", "brand": "Wonosalam",
        "variant": "Sangrai Sedang", "category": "kopi", "physical_state": "padat", "net_quantity": "200 g",
        "ingredients": "Kopi robusta (100%)", "storage_instructions": "Simpan di tempat sejuk dan kering, jauh dari sinar matahari.",
        "shelf_life_days": "365", "permit_type": "PIRT", "pirt_number": "2103517020045-30", "pirt_food_code": "10",
        "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000765430524",
        "price_idr": "Rp35.000", "stock": "25", "shipping_weight_g": "250",
        "package_l_cm": "18", "package_w_cm": "10", "package_h_cm": "5",
        "description": "Kopi robusta Wonosalam disangrai sedang dan digiling halus. Aroma cokelat, pahit yang lembut.",
    }],
    "bu.lilik": [{
        "product_class": "pangan_pirt", "name": "Sambal Bawang", "brand": "Bu Lilik", "variant": "Level 3",
        "category": "sambal", "physical_state": "semi_padat", "net_quantity": "150 g",
        "ingredients": "Cabai rawit (45%), bawang putih (25%), minyak kelapa sawit, garam, gula, udang rebon",
        "allergens_confirmed": "krustasea",
        "storage_instructions": "Simpan di tempat sejuk dan kering, jauh dari sinar matahari.",
        "storage_after_opening": "Tutup rapat setelah dibuka dan gunakan sendok bersih.",
        "shelf_life_days": "90", "production_code_scheme": "YYMMDD-nn", "permit_type": "PIRT",
        "pirt_number": "1113517010031-30", "pirt_food_code": "11", "packaging_material": "gelas",
        "halal_status": "certified", "halal_cert_number": "ID35110000456780724",
        "price_idr": "Rp20.000",
    }],
}


# Where the training story starts for each demo product: (photo subject, surface) for a phone-like
# photo generated offline, and whether the label is designed and sent to the trainer. A label is sent
# only when nothing blocks it: the kopi is halal-certified and the demo does not fake the official
# halal logo, so it waits until an admin uploads the logo (its only blocking finding on this stock).
# "contents": a generated top-down photo of the food itself on a plate (imaging.synthetic
# .make_food_photo, drawn at seed time), the photo labels show; the pack photo stays the main one.
DEMO_PROGRESS = {
    "Keripik Singkong Balado": {"photo": ("pouch", "wood"), "contents": ("keripik", "wood")},
    "Kopi Bubuk Robusta": {"photo": ("pouch", "cloth"), "design": ("avery-l7165", "alami"), "submit": True},
}


def seed_products(users: dict[str, User]) -> None:
    """Create the demo products that do not exist yet, through the same services the pages use."""
    from .extensions import db
    from .products.data import ProductDataInvalid, save_product_data
    from .products.services import create_product

    for username, items in DEMO_PRODUCTS.items():
        owner = users[username]
        for raw in items:
            exists = db.session.scalar(select(Product.id).where(Product.owner_id == owner.id,
                                                                Product.name == raw["name"]))
            if exists:
                continue
            product = create_product(owner, raw["name"], raw["product_class"])
            try:
                save_product_data(owner, product.id, raw, note="data demo")
            except ProductDataInvalid:  # drafts with problems are part of the training story
                pass
            _advance(owner, product, DEMO_PROGRESS.get(raw["name"], {}))


def _advance(owner: User, product: Product, plan: dict) -> None:
    """Take a demo product through photo cleanup and (optionally) design and submission."""
    from . import jobs
    from .review.services import submit_for_review
    from .designs.services import start_design
    from .imaging.synthetic import jpeg_bytes, make_food_photo, make_photo
    from .products.photos import PhotoKind, add_photo

    if "photo" in plan:
        subject, surface = plan["photo"]
        shot = make_photo(product.id, size=(1600, 1200), product=subject, background=surface)
        photo = add_photo(owner, product.id, jpeg_bytes(shot.image, orientation=1), "foto-demo.jpg")
        if photo.job_id:
            jobs.run_job(photo.job_id)  # seeding waits for the cleanup (a CLI has no serving pool)
    if "contents" in plan:
        food, surface = plan["contents"]
        shot = make_food_photo(product.id, size=(1600, 1200), food=food, background=surface)
        photo = add_photo(owner, product.id, jpeg_bytes(shot.image, orientation=1), "foto-isi-demo.jpg",
                          kind=PhotoKind.CONTENTS)
        if photo.job_id:
            jobs.run_job(photo.job_id)
    if "design" in plan:
        layout_id, style_id = plan["design"]
        design = start_design(owner, product.id, layout_id, style_id)
        if plan.get("submit") and not design.blocker_count:
            submit_for_review(owner, design.id)
