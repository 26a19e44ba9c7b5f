"""Data for bench/web.py, made through the studio's own services (run in its own process).

    STUDIO_INSTANCE_PATH=... STUDIO_SQLALCHEMY_DATABASE_URI=... STUDIO_MEDIA_DIR=... \\
        python bench/web_seed.py --producers 30 --trainers 5 --approved 5 --out seed.json

Creates: one admin who uploads a (stand-in) halal logo, ``trainers`` trainers, each with one cohort; ``producers`` producers spread over the
cohorts, each with a business profile and one food product with complete label data, a cleaned
main photo (1024 x 768), a label
design and a version submitted for review; in each cohort the first ``approved / trainers``
submissions approved by the trainer (so the hub has something to print); one hub operator with
one inkjet printer profile; ``editors`` more producers whose label is designed but not sent (the
label editor's users). Writes what the load needs (user names, ids) as JSON.
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
LAYOUT_ID = "a4-nup-2x2-94x134"   # A4 sticker sheet, 2 x 2 labels of 94 x 134 mm (holds the nutrition table)
STYLE_ID = "bersih"

KINDS = [  # (name, category, brand, net quantity, main ingredient, physical state, packaging, P-IRT, food code)
    ("Keripik Singkong Balado", "keripik", "Mbok {n}", "250 g", "Singkong (70%)", "padat", "plastik",
     "2153517010012-29", "15"),
    ("Kopi Bubuk Robusta", "kopi", "Wonosalam {n}", "200 g", "Kopi robusta (100%)", "padat", "plastik",
     "2103517020045-30", "10"),
    ("Sambal Bawang", "sambal", "Dapur {n}", "150 g", "Cabai rawit (45%), bawang putih (25%)", "semi_padat", "gelas",
     "1113517010031-30", "11"),
    ("Kue Kering Nastar", "kue_kering", "Sari {n}", "500 g", "Tepung terigu (40%)", "padat", "plastik",
     "2063517020012-29", "06"),
    ("Keripik Tempe", "keripik", "Omah {n}", "200 g", "Tempe kedelai (65%)", "padat", "plastik",
     "2153517010012-29", "15"),
]

# Nutrition facts per kind (per serving, the UMK default table like the demo products) and the
# allergens the producer confirmed: every record is complete for the label, because the send gate
# (review.services.submit_for_review) refuses a label with missing mandatory data.
NUTRITION = [  # serving g, URT, fat, saturated fat, protein, carbohydrate, sugar, sodium mg
    ("30", "1 genggam", "24", "11", "2", "62", "9", "520"),
    ("10", "1 sdm", "1", "0", "1", "4", "0", "5"),
    ("15", "1 sdm", "6", "3", "1", "3", "2", "310"),
    ("20", "4 buah", "25", "14", "6", "62", "30", "150"),
    ("30", "1 genggam", "20", "9", "8", "40", "2", "300"),
]
ALLERGENS = ["", "", "", "gluten, telur, susu", "kedelai"]


def product_data(i: int) -> dict[str, str]:
    """Complete label data for producer number ``i`` (1-based), varied by kind."""
    k = (i - 1) % len(KINDS)
    name, category, brand, net, main, state, packaging, pirt, food_code = KINDS[k]
    serving, urt, fat, sat_fat, protein, carb, sugar, sodium = NUTRITION[k]
    data = {
        "product_class": "pangan_pirt", "name": name, "brand": brand.format(n=f"Bench {i:02d}"),
        "variant": "Original", "category": category, "physical_state": state, "net_quantity": net,
        "ingredients": f"{main}, minyak sawit, garam, gula" + ("" if "bawang" in main else ", bawang putih"),
        "storage_instructions": "Simpan di tempat sejuk dan kering. Tutup rapat setelah dibuka.",
        "shelf_life_days": "120", "production_code_scheme": "YYMMDD-nn", "permit_type": "PIRT",
        "pirt_number": pirt, "pirt_food_code": food_code, "packaging_material": packaging,
        "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
        "nutrition.serving_size_g": serving, "nutrition.urt": urt, "nutrition.fat": fat,
        "nutrition.sat_fat": sat_fat, "nutrition.protein": protein, "nutrition.carb": carb,
        "nutrition.sugar": sugar, "nutrition.sodium_mg": sodium, "nutrition.source": "umk_default_table",
        "price_idr": "Rp15.000", "stock": "40", "min_order": "1", "shipping_weight_g": "650",
        "package_l_cm": "20", "package_w_cm": "14", "package_h_cm": "6",
        "description": f"{name} buatan UMKM Desa Pelabuhan, Jombang, dari bahan pilihan.",
    }
    if ALLERGENS[k]:
        data["allergens_confirmed"] = ALLERGENS[k]
    return data


def halal_logo_png() -> bytes:
    """A 300 x 300 px stand-in for the official halal logo (bench instances only)."""
    import io

    from PIL import Image, ImageDraw

    im = Image.new("RGB", (300, 300), "white")
    ImageDraw.Draw(im).ellipse((20, 20, 280, 280), outline=(120, 40, 140), width=24)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def seed(n_producers: int, n_trainers: int, n_approved: int, n_editors: int = 0) -> dict:
    """Create everything (see the module docstring) and return what the load needs."""
    from studio import create_app
    from studio.auth.models import Role
    from studio.auth.services import NewUser, create_user, update_profile
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer
    from studio.review.services import approve, submit_for_review
    from studio.designs.assets import upload_halal_logo
    from studio.designs.services import start_design
    from studio.printing.printers import save_printer
    from studio.products.data import save_product_data
    from studio.products.photos import add_photo
    from studio.products.services import create_product
    from studio import jobs
    from studio.imaging.synthetic import jpeg_bytes, make_photo

    shots: dict[int, bytes] = {}

    def with_photo(user, product_id: int, k: int) -> None:
        """The product's main photo, cleaned (the design step opens only with one), as a producer
        does before designing: a 1024 x 768 phone-like shot, one picture per kind."""
        if k not in shots:
            subject, surface = [("pouch", "wood"), ("pouch", "cloth"), ("jar", "wood"), ("jar", "cloth"),
                                ("pouch", "wood")][k % 5]
            shots[k] = jpeg_bytes(make_photo(100 + k, size=(1024, 768), product=subject,
                                             background=surface).image, orientation=1)
        photo = add_photo(user, product_id, shots[k], f"foto-{product_id}.jpg")
        if photo.job_id:
            jobs.run_job(photo.job_id)    # the seed waits for the cleanup (no serving pool here)

    app = create_app()
    out: dict = {"password": PASSWORD, "trainers": [], "producers": [], "editors": [], "hub": None,
                 "approved_versions": []}
    with app.app_context(), app.test_request_context():
        t0 = time.monotonic()
        # every bench food is halal-certified: an admin uploads the halal logo once, as at a hub
        # (a plain stand-in image: this instance lives in a temp folder for one bench run)
        admin = create_user(None, NewUser(username="bench.admin", full_name="Admin Bench", role=Role.ADMIN,
                                          password=PASSWORD))
        upload_halal_logo(admin, halal_logo_png(), "logo-halal-bench.png")
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

        def producer_with_design(i: int, username: str, full_name: str, business: str, rw: str, cohort):
            """A producer in ``cohort`` with a complete product ``i``, its cleaned photo and a label design."""
            user = create_user(None, NewUser(username=username, full_name=full_name, role=Role.PRODUCER,
                                             password=PASSWORD, business_name=business))
            update_profile(user, user.id, dict(business_name=business, owner_name=full_name,
                                               address=f"Dsn. Sumberagung RT {i:02d} {rw}", desa="Pelabuhan",
                                               kecamatan="Plandaan", postal_code="61456"))
            enrol_producer(None, cohort.id, user.id)
            data = product_data(i)
            product = create_product(user, data["name"], data["product_class"])
            save_product_data(user, product.id, data, note="bench")
            with_photo(user, product.id, (i - 1) % len(KINDS))
            return user, product, start_design(user, product.id, LAYOUT_ID, STYLE_ID)

        for i in range(1, n_producers + 1):
            k = (i - 1) % n_trainers
            user, product, design = producer_with_design(i, f"bench.produsen{i:02d}", f"Produsen Bench {i:02d}",
                                                         f"UD Bench {i:02d}", "RW 01", cohorts[k])
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
        for e in range(1, n_editors + 1):      # producers working on their label (designed, not sent)
            i = n_producers + e
            k = (i - 1) % n_trainers
            user, product, design = producer_with_design(i, f"bench.desainer{e:02d}", f"Desainer Bench {e:02d}",
                                                         f"UD Desain {e:02d}", "RW 02", cohorts[k])
            out["editors"].append({"username": user.username, "product_id": product.id, "design_id": design.id})
            print(f"seed: editor {e}/{n_editors} ({time.monotonic() - t0:.0f} s)", file=sys.stderr)
        out["seconds"] = round(time.monotonic() - t0, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--producers", type=int, default=30)
    ap.add_argument("--trainers", type=int, default=5)
    ap.add_argument("--approved", type=int, default=5)
    ap.add_argument("--editors", type=int, default=3, help="producers whose label is designed, not sent (label editor)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if not os.environ.get("STUDIO_INSTANCE_PATH"):
        ap.error("STUDIO_INSTANCE_PATH must point at the bench instance (never the real one)")
    result = seed(args.producers, args.trainers, args.approved, args.editors)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
