"""Stock advisor benchmark: compose + preflight of one product's label on every stock the hub has.

Builds a throw-away app (SQLite in a temp dir), a halal P-IRT snack with nutrition and an allergen,
and times ``studio.designs.advisor.advise``: "cold" (nothing cached, every stock composed and
checked), "warm" (the answer from the in-memory cache, as a second page view sees it). Goal: the
design page waits at most ~1.5 s on a 2-core machine. Prints one JSON document.

Usage: python bench/advisor.py [--runs 3]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SNACK = {"product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
         "variant": "Pedas Manis", "category": "keripik", "physical_state": "padat", "net_quantity": "250 g",
         "ingredients": "Singkong (70%), minyak sawit, cabai merah, bawang putih, garam, gula, kacang tanah",
         "allergens_confirmed": "kacang tanah", "storage_instructions": "Simpan di tempat sejuk dan kering.",
         "shelf_life_days": "120", "permit_type": "PIRT", "pirt_number": "2153517010012-29",
         "pirt_food_code": "15", "packaging_material": "plastik", "halal_status": "certified",
         "halal_cert_number": "ID35110000123450923", "nutrition.serving_size_g": "30",
         "nutrition.urt": "1 genggam", "nutrition.fat": "24", "nutrition.sat_fat": "11",
         "nutrition.protein": "2", "nutrition.carb": "62", "nutrition.sugar": "9", "nutrition.sodium_mg": "520",
         "nutrition.source": "umk_default_table"}
GOAL_S = 1.5


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from studio import create_app
    from studio.auth.services import NewUser, create_user, update_profile
    from PIL import Image

    from studio.designs import advisor, assets
    from studio.extensions import db
    from studio.products.data import check_product_data
    from studio.products.services import add_revision, create_product

    tmp = Path(tempfile.mkdtemp(prefix="bench-advisor-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/db.sqlite3",
                      "MEDIA_DIR": str(tmp / "media"), "JOBS_MODE": "eager", "DEMO_ON_FIRST_START": False,
                      "PUBLIC_BASE_URL": "https://katalog.rumahpintar-jombang.example/blonjo",
                      "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    with app.app_context(), app.test_request_context():
        db.create_all()
        owner = create_user(None, NewUser(username="bench", full_name="Bench", role="producer", password="rahasia123"))
        update_profile(owner, owner.id, {"business_name": "UD Mbok Sri", "address": "Dsn. Sumberagung",
                                         "desa": "Pelabuhan", "kecamatan": "Plandaan", "postal_code": "61456"})
        admin = create_user(None, NewUser(username="admin", full_name="Admin", role="admin", password="rahasia123"))
        logo = io.BytesIO()
        Image.new("RGB", (300, 300), (30, 120, 60)).save(logo, "PNG")
        assets.upload_halal_logo(admin, logo.getvalue(), "halal.png")     # the snack is halal-certified
        product = create_product(owner, SNACK["name"], SNACK["product_class"])
        add_revision(owner, product, check_product_data(SNACK).data, complete_label=True, percent=100)
        cold, warm = [], []
        for _ in range(args.runs):
            advisor.clear_cache()
            t = time.perf_counter()
            advice = advisor.advise(product)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            advisor.advise(product)
            warm.append(time.perf_counter() - t)
        print(json.dumps({"stocks": len(advice), "fitting": [a.layout_id for a in advice if a.fits],
                          "cold_s": {"median": round(statistics.median(cold), 3), "max": round(max(cold), 3)},
                          "warm_s": {"median": round(statistics.median(warm), 4)},
                          "goal_s": GOAL_S, "ok": max(cold) <= GOAL_S}, indent=2))


if __name__ == "__main__":
    main()
