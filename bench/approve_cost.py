"""What approving costs since the approved PDF is rendered with the address in use (audit, session
seven): the added work (review.services._approved_pdf_key: the stored PDF's Subject read back, and when
the address changed since sending, compose + PDF of the frozen version) next to the approval's
existing re-check (gates.recheck_version), back to back in one process.

    .venv/bin/python bench/approve_cost.py [--n 7]

Prints JSON: median and max ms of each, the machine's load average. A temporary SQLite database
and media folder; a coffee label on Avery L7165 (one sticker with a QR code), no photo.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COFFEE = {
    "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta", "brand": "Kopi Pak Darto", "category": "kopi",
    "net_quantity": "100 g", "ingredients": "kopi robusta (80%), susu bubuk (20%)",
    "allergens_confirmed": "susu", "shelf_life_days": "180", "pirt_number": "2103517010012-29",
    "pirt_food_code": "10", "packaging_material": "plastik", "halal_status": "not_halal",
    "storage_instructions": "Simpan di tempat kering dan sejuk",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=7)
    args = ap.parse_args()
    from studio import create_app
    from studio.extensions import db

    tmp = Path(tempfile.mkdtemp(prefix="approve-cost-"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'db.sqlite3'}",
                      "MEDIA_DIR": str(tmp / "media"), "WTF_CSRF_ENABLED": False, "JOBS_MODE": "eager",
                      "PUBLIC_BASE_URL": "https://katalog.bench-hub.example"})
    with app.app_context():
        db.create_all()
    with app.test_request_context():
        from studio.auth.models import Role
        from studio.auth.services import NewUser, create_user, update_profile
        from studio.designs import gates
        from studio.designs.services import start_design
        from studio.products.data import check_product_data
        from studio.products.services import add_revision, create_product
        from studio.review import services as review

        producer = create_user(None, NewUser(username="darto", full_name="Darto", role=Role.PRODUCER,
                                             password="rahasia123", business_name="UD Pak Darto"))
        update_profile(producer, producer.id, dict(business_name="UD Pak Darto", owner_name="Darto",
                                                   address="Dsn. Sumberagung RT 02 RW 05", desa="Pelabuhan",
                                                   kecamatan="Plandaan", postal_code="61456"))
        product = create_product(producer, COFFEE["name"], COFFEE["product_class"])
        add_revision(producer, product, check_product_data(COFFEE).data, complete_label=True, percent=100)
        design = start_design(producer, product.id, "avery-l7165", "bersih")
        version = review.submit_for_review(producer, design.id)
        from studio.site import forget_public_base_url

        recheck, render, rerender = [], [], []
        for i in range(args.n):
            t = time.perf_counter()
            gates.recheck_version(version)
            recheck.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            review._approved_pdf_key(version)      # the address the version was sent with: kept
            render.append((time.perf_counter() - t) * 1000)
            app.config["PUBLIC_BASE_URL"] = f"https://katalog-{i}.bench-hub.example"   # the hub moved
            forget_public_base_url()
            t = time.perf_counter()
            review._approved_pdf_key(version)      # rendered again with the new address
            rerender.append((time.perf_counter() - t) * 1000)
            app.config["PUBLIC_BASE_URL"] = "https://katalog.bench-hub.example"
            forget_public_base_url()
    out = {"n": args.n, "load": os.getloadavg(),
           "recheck_ms": {"median": round(statistics.median(recheck), 1), "max": round(max(recheck), 1)},
           "approved_pdf_same_address_ms": {"median": round(statistics.median(render), 1), "max": round(max(render), 1)},
           "approved_pdf_new_address_ms": {"median": round(statistics.median(rerender), 1),
                                           "max": round(max(rerender), 1)}}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
