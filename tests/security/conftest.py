"""Fixtures for the security tests: one app per module with a whole "world" made through the real
services — producer A's product with a cleaned photo, a logo, a label design, an approved version,
a print job, a pack design and a published listing — plus the people who must or must not see it.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from PIL import Image

from studio import create_app
from studio.extensions import db

PASSWORD = "rahasia123"
SECRET_PRODUCT = "Keripik Rahasia Alfa"     # only A, A's trainer and the admin (the hub: in the print queue)
SECRET_BUSINESS = "UD Rahasiaku Alfa"

RECORD = {
    "product_class": "pangan_pirt", "name": SECRET_PRODUCT, "brand": "Alfa", "variant": "Pedas",
    "category": "keripik", "net_quantity": "250 g", "packaging_material": "plastik",
    "ingredients": "Singkong (70%)\nMinyak sawit\nCabai merah\nGaram",
    "storage_instructions": "Simpan di tempat sejuk dan kering.",
    "storage_after_opening": "Setelah dibuka, simpan dalam wadah tertutup.", "shelf_life_days": "120",
    "pirt_number": "2153517010012-29", "pirt_food_code": "15", "halal_status": "certified",
    "halal_cert_number": "ID35110000123450923", "price_idr": "Rp15.000", "stock": "40",
    "shipping_weight_g": "300", "package_l_cm": "20", "package_w_cm": "15", "package_h_cm": "5",
    "description": "Keripik singkong renyah.",
    "nutrition.serving_size_g": "25", "nutrition.urt": "1 genggam", "nutrition.fat": "20",
    "nutrition.sat_fat": "9", "nutrition.protein": "3", "nutrition.carb": "70", "nutrition.sugar": "4",
    "nutrition.sodium_mg": "400", "nutrition.source": "lab",
}


def photo_jpeg(size=(1200, 900)) -> bytes:
    """A phone-like product photo (the imaging engine's synthetic scene when present)."""
    try:
        from studio.imaging.synthetic import jpeg_bytes, make_photo

        return jpeg_bytes(make_photo(3, size=size, product="pouch").image)
    except ImportError:
        img = Image.new("RGB", size, (235, 230, 220))
        img.paste((170, 50, 40), (size[0] // 3, size[1] // 4, 2 * size[0] // 3, 3 * size[1] // 4))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        return buf.getvalue()


def logo_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (300, 300), (20, 100, 80, 255)).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class World:
    """Ids of everything producer A owns, and the usernames of every role."""

    users: dict[str, str] = field(default_factory=dict)     # role key -> username
    user_ids: dict[str, int] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)     # URL parameter -> value of A's object
    api_token: str = ""


def make_app(tmp_path, csrf: bool):
    return create_app({
        "TESTING": True, "SECRET_KEY": "security-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'sec.sqlite3'}",
        "MEDIA_DIR": str(tmp_path / "media"), "WTF_CSRF_ENABLED": csrf, "JOBS_MODE": "eager",
        "DEMO_ON_FIRST_START": False, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "LOGIN_MAX_FAILURES_PER_IP": 10_000,
        "PUBLIC_BASE_URL": "https://katalog.rumahpintar-jombang.example/blonjo",  # printing needs a public QR address
    })


def build_world(app) -> World:
    """Everything through the services, as the studio itself would make it."""
    from studio.auth.services import NewUser, create_user, update_profile
    from studio.catalogue.services import create_api_token
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer
    from studio.designs import assets
    from studio.printing.printers import save_printer
    from studio.products.services import create_product

    w = World()
    db.create_all()

    def user(key, role, **kw):
        u = create_user(None, NewUser(username=key.replace("_", "."), full_name=kw.pop("full_name", key.title()),
                                      role=role, password=PASSWORD, **kw))
        w.users[key], w.user_ids[key] = u.username, u.id
        return u

    admin = user("admin_x", "admin")
    hub = user("hub_x", "hub")
    trainer_a = user("trainer_a", "trainer", full_name="Bu Pendamping Alfa")
    trainer_o = user("trainer_o", "trainer", full_name="Pak Pendamping Lain")
    prod_a = user("producer_a", "producer", full_name="Sri Alfa", business_name=SECRET_BUSINESS)
    prod_b = user("producer_b", "producer", full_name="Darto Beta", business_name="UD Beta")
    update_profile(prod_a, prod_a.id, {"business_name": SECRET_BUSINESS, "owner_name": "Sri Alfa",
                                       "address": "Dsn. Sumber", "desa": "Plandaan", "kecamatan": "Plandaan",
                                       "postal_code": "61456"})
    cohort_a = create_cohort(trainer_a, CohortData(name="Kelas Alfa"))
    enrol_producer(None, cohort_a.id, prod_a.id)
    cohort_o = create_cohort(trainer_o, CohortData(name="Kelas Lain"))
    enrol_producer(None, cohort_o.id, prod_b.id)
    create_product(prod_b, "Kopi Beta", "pangan_pirt")

    printer = save_printer(hub, "Printer Hub", "inkjet", 300)
    logo = assets.upload_producer_logo(prod_a, prod_a.id, logo_png(), "logo.png")
    assets.upload_halal_logo(admin, logo_png(), "halal.png")     # RECORD is halal-certified: printing needs it
    made = full_product(prod_a, trainer_a, hub, RECORD, printer_id=printer.id, pack=True)
    w.api_token = create_api_token(admin, "blonjo")
    w.ids.update(made)
    w.ids.update({"cohort_id": cohort_a.id, "user_id": prod_a.id, "producer_id": prod_a.id, "printer_id": printer.id,
                  "layout_id": "avery-l7165", "asset_id": logo.id, "style_id": "bersih"})
    return w


def full_product(owner, trainer, hub, record: dict, *, printer_id: int | None = None, pack: bool = False) -> dict:
    """One product through every step with the real services: data, photo, design, approval,
    print job (and a pack design), published. Returns the ids of what was made."""
    from studio.review import services as reviews
    from studio.designs import services as designs
    from studio.packs.services import get_packs, start_pack_design
    from studio.printing.services import batch_defaults, create_print_job, mark_printed
    from studio.products.data import save_product_data
    from studio.products.models import Product
    from studio.products.photos import add_photo
    from studio.products.services import create_product
    from studio.wizard.services import publish_product

    product = create_product(owner, record["name"], record["product_class"])
    try:
        save_product_data(owner, product.id, record)
    except Exception as e:  # noqa: BLE001 - a draft with a problem is still saved; say which
        raise AssertionError(f"product data not accepted: {e}") from e
    photo = add_photo(owner, product.id, photo_jpeg(), "foto.jpg")   # eager jobs: cleaned right away
    db.session.refresh(photo)
    assert photo.status == "ready", photo.status
    design = designs.start_design(owner, product.id, "avery-l7165", "bersih")
    version = reviews.submit_for_review(owner, design.id)
    reviews.approve(trainer, version.id, version.lock_version)
    batch = batch_defaults(version)
    job = create_print_job(hub, version.id, request_key=f"job-{product.id}", copies=8, printer_id=printer_id,
                           batch_code=batch.batch_code, production_date=batch.production_date,
                           expiry_date=batch.expiry_date)
    mark_printed(hub, job.id)            # only a job marked printed counts as printed (and lets it publish)
    ids = {}
    if pack:
        pack_id = next(iter(get_packs()))
        ids["pack_kind"] = start_pack_design(owner, product.id, pack_id).kind
    listing = publish_product(owner, product.id)
    product = db.session.get(Product, product.id)
    ids.update({"product_id": product.id, "photo_id": photo.id, "version_id": version.id, "job_id": job.id,
                "listing_id": listing.id, "code": product.public_code, "design_id": design.id})
    return ids


@pytest.fixture(scope="module")
def world_app(tmp_path_factory):
    """(app, world) with CSRF off: the access matrix and the hostile-input tests."""
    tmp = tmp_path_factory.mktemp("sec")
    app = make_app(tmp, csrf=False)
    with app.app_context():   # no app context stays open during requests: flask-login keeps the user in g
        w = build_world(app)
        db.session.remove()
    yield app, w
    with app.app_context():
        db.engine.dispose()


def login_client(app, username: str | None):
    """A test client logged in as ``username`` (None: anonymous)."""
    c = app.test_client()
    if username:
        r = c.post("/masuk", data={"login": username, "password": PASSWORD})
        assert r.status_code == 302, (username, r.status_code)
    return c


def csrf_token_of(html: str) -> str:
    m = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert m, "no csrf token in page"
    return m.group(1)
