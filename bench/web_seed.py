"""Data for bench/web.py, made through the studio's own services (run in its own process).

    STUDIO_INSTANCE_PATH=... STUDIO_SQLALCHEMY_DATABASE_URI=... STUDIO_MEDIA_DIR=... \\
        python bench/web_seed.py --producers 30 --trainers 5 --approved 5 --out seed.json

Creates: ``trainers`` trainers, each with one cohort; ``producers`` producers spread over the
cohorts, each with a business profile and one food product with complete label data, a label
design and a version submitted for review; in each cohort the first ``approved / trainers``
submissions approved by the trainer (so the hub has something to print); one hub operator with
one inkjet printer profile. Writes what the load needs (user names, ids) as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-rahasia-2026"
LAYOUT_ID = "avery-l7160"
STYLE_ID = "bersih"

KINDS = [  # (name, category, brand, net quantity, main ingredient)
    ("Keripik Singkong Balado", "keripik", "Mbok {n}", "250 g", "Singkong (70%)"),
    ("Kopi Bubuk Robusta", "kopi", "Wonosalam {n}", "200 g", "Kopi robusta (100%)"),
    ("Sambal Bawang", "sambal", "Dapur {n}", "150 g", "Cabai rawit (45%)"),
    ("Kue Kering Nastar", "kue kering", "Sari {n}", "500 g", "Tepung terigu (40%)"),
    ("Keripik Tempe", "keripik", "Omah {n}", "200 g", "Tempe kedelai (65%)"),
]


def product_data(i: int) -> dict[str, str]:
    """Complete label data for producer number ``i`` (1-based), varied by kind."""
    name, category, brand, net, main = KINDS[(i - 1) % len(KINDS)]
    return {
        "product_class": "pangan_pirt", "name": name, "brand": brand.format(n=f"Bench {i:02d}"),
        "variant": "Original", "category": category, "physical_state": "padat", "net_quantity": net,
        "ingredients": f"{main}, minyak sawit, garam, gula, bawang putih",
        "storage_instructions": "Simpan di tempat sejuk dan kering. Tutup rapat setelah dibuka.",
        "shelf_life_days": "120", "production_code_scheme": "YYMMDD-nn", "permit_type": "PIRT",
        "pirt_number": "2153517010012-29", "pirt_food_code": "15", "packaging_material": "plastik",
        "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
        "price_idr": "Rp15.000", "stock": "40", "min_order": "1", "shipping_weight_g": "650",
        "package_l_cm": "20", "package_w_cm": "14", "package_h_cm": "6",
        "description": "Dibuat di desa dari bahan pilihan, tanpa pengawet buatan.",
    }


def seed(n_producers: int, n_trainers: int, n_approved: int) -> dict:
    """Create everything (see the module docstring) and return what the load needs."""
    from studio import create_app
    from studio.auth.models import Role
    from studio.auth.services import NewUser, create_user, update_profile
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer
    from studio.review.services import approve, submit_for_review
    from studio.designs.services import start_design
    from studio.printing.printers import save_printer
    from studio.products.data import save_product_data
    from studio.products.services import create_product

    app = create_app()
    out: dict = {"password": PASSWORD, "trainers": [], "producers": [], "hub": None, "approved_versions": []}
    with app.app_context(), app.test_request_context():
        t0 = time.monotonic()
        trainers, cohorts = [], []
        for t in range(1, n_trainers + 1):
            trainer = create_user(None, NewUser(username=f"bench.pendamping{t}", full_name=f"Pendamping Bench {t}",
                                                role=Role.TRAINER, password=PASSWORD))
            cohort = create_cohort(trainer, CohortData(name=f"Pelatihan Bench {t}", desa="Pelabuhan",
                                                       kecamatan="Plandaan", start_date=date(2026, 11, 23),
                                                       end_date=date(2026, 12, 4)))
            trainers.append(trainer)
            cohorts.append(cohort)
            out["trainers"].append({"username": trainer.username, "cohort_id": cohort.id})
        hub = create_user(None, NewUser(username="bench.operator", full_name="Operator Bench", role=Role.HUB,
                                        password=PASSWORD))
        printer = save_printer(hub, "Epson L3210 bench", "inkjet", 300)
        out["hub"] = {"username": hub.username, "printer_id": printer.id}
        per_cohort_approved = [0] * n_trainers
        approve_quota = [n_approved // n_trainers + (1 if k < n_approved % n_trainers else 0)
                         for k in range(n_trainers)]
        for i in range(1, n_producers + 1):
            k = (i - 1) % n_trainers
            user = create_user(None, NewUser(username=f"bench.produsen{i:02d}", full_name=f"Produsen Bench {i:02d}",
                                             role=Role.PRODUCER, password=PASSWORD,
                                             business_name=f"UD Bench {i:02d}"))
            update_profile(user, user.id, dict(business_name=f"UD Bench {i:02d}", owner_name=f"Produsen Bench {i:02d}",
                                               address=f"Dsn. Sumberagung RT {i:02d} RW 01", desa="Pelabuhan",
                                               kecamatan="Plandaan", postal_code="61456"))
            enrol_producer(None, cohorts[k].id, user.id)
            data = product_data(i)
            product = create_product(user, data["name"], data["product_class"])
            save_product_data(user, product.id, data, note="bench")
            design = start_design(user, product.id, LAYOUT_ID, STYLE_ID)
            version = submit_for_review(user, design.id)
            status = "submitted"
            if per_cohort_approved[k] < approve_quota[k]:
                approve(trainers[k], version.id, version.lock_version)
                per_cohort_approved[k] += 1
                status = "approved"
                out["approved_versions"].append(version.id)
            out["producers"].append({"username": user.username, "product_id": product.id,
                                     "version_id": version.id, "version_status": status,
                                     "trainer": trainers[k].username})
            print(f"seed: producer {i}/{n_producers} ({time.monotonic() - t0:.0f} s)", file=sys.stderr)
        out["seconds"] = round(time.monotonic() - t0, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--producers", type=int, default=30)
    ap.add_argument("--trainers", type=int, default=5)
    ap.add_argument("--approved", type=int, default=5)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if not os.environ.get("STUDIO_INSTANCE_PATH"):
        ap.error("STUDIO_INSTANCE_PATH must point at the bench instance (never the real one)")
    result = seed(args.producers, args.trainers, args.approved)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
