"""Shared fixtures: an app on a fresh database per test, logged-in clients, factories.

Nothing here imports Flask, SQLAlchemy or the app at module level: the pure engine tests
(tests/labels, imaging, rules, preflight, packaging) run without the web framework
(tests/test_engines_without_flask.py checks it). Fixtures import the app when a test asks for one.
"""
from __future__ import annotations

import os
import re
import shutil

import pytest


def _database_url(tmp_path, template) -> str:
    # CI's scaled run sets STUDIO_TEST_DATABASE_URL to a PostgreSQL database.
    url = os.environ.get("STUDIO_TEST_DATABASE_URL")
    if url:
        return url
    target = tmp_path / "test.sqlite3"
    shutil.copyfile(template, target)  # a copy of an empty schema is much faster than create_all
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty SQLite database with the whole schema, made once per test session."""
    from studio import create_app
    from studio.extensions import db

    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "MEDIA_DIR": str(path.parent / "media"), "JOBS_MODE": "eager"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, sqlite_template):
    from studio import create_app
    from studio.extensions import db

    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path, sqlite_template),
        "MEDIA_DIR": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
        "JOBS_MODE": os.environ.get("STUDIO_TEST_JOBS_MODE", "eager"),
        "DEMO_ON_FIRST_START": False,
        "SERVER_NAME": None,
        "PUBLIC_BASE_URL": "https://katalog.rumahpintar-jombang.example/blonjo",  # a real hub's address (QR size)
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # same scheme, cheaper cost: tests hash a lot
    })
    shared_db = not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with app.app_context():
        if shared_db:
            _fresh_shared_schema()
        yield app
        db.session.remove()
        db.engine.dispose()


_schema_ready = {"done": False}


def _fresh_shared_schema() -> None:
    """PostgreSQL in the scaled CI run: build the schema once per session, empty it per test."""
    from sqlalchemy import text

    from studio.extensions import db

    if not _schema_ready["done"]:
        db.drop_all()
        db.create_all()
        _schema_ready["done"] = True
        return
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def create_user(app):
    """Factory: ``create_user(role="producer", username=None)`` -> User (password "rahasia123")."""
    from studio.auth.services import NewUser, create_user as svc

    counter = {"n": 0}

    def make(role: str = "producer", username: str | None = None, **kw):
        counter["n"] += 1
        name = username or f"{role}{counter['n']}"
        return svc(None, NewUser(username=name, full_name=kw.pop("full_name", name.title()), role=role,
                                 password=kw.pop("password", "rahasia123"), **kw))
    return make


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user``."""
    def do(user, password: str = "rahasia123"):
        client.post("/keluar")
        r = client.post("/masuk", data={"login": user.username, "password": password})
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        return client
    return do


@pytest.fixture
def cohort_with(app, create_user):
    """Factory: a cohort with a trainer and producers -> (cohort, trainer, [producers])."""
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer

    def make(n_producers: int = 2):
        trainer = create_user("trainer")
        producers = [create_user("producer") for _ in range(n_producers)]
        cohort = create_cohort(trainer, CohortData(name=f"Kelas {trainer.username}"))
        for p in producers:
            enrol_producer(None, cohort.id, p.id)   # seeding, as the CLI does
        return cohort, trainer, producers
    return make


@pytest.fixture
def create_product(app):
    from studio.products.services import create_product as svc

    def make(owner, name: str = "Keripik Tempe", product_class: str = "pangan_pirt"):
        return svc(owner, name, product_class)
    return make


def csrf_token(html: str) -> str:
    m = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert m, "no csrf token in page"
    return m.group(1)


# --- a product that has passed every wizard gate up to printing (built directly from the models) ---
import io  # noqa: E402
from PIL import Image  # noqa: E402

READY_RECORD = {
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


def add_halal_logo():
    """The official halal logo, as an admin uploads it once (studio-wide), unless one is there."""
    from studio.designs.assets import current_asset
    from studio.designs.models import AssetKind, StudioAsset
    from studio.extensions import db
    from studio.media import media

    if current_asset(AssetKind.HALAL_LOGO) is None:
        buf = io.BytesIO()
        Image.new("RGB", (300, 300), (30, 120, 60)).save(buf, "PNG")
        db.session.add(StudioAsset(kind=AssetKind.HALAL_LOGO, owner_id=None, width_px=300, height_px=300,
                                   media_key=media().put_content("assets", buf.getvalue(), "png")))
        db.session.flush()


@pytest.fixture
def ready_product(app, create_user, create_product):
    """Factory: ``ready_product(owner=None, **record_overrides) -> Product`` approved and printed."""
    from studio.designs.models import Design, DesignVersion
    from studio.extensions import db
    from studio.media import media
    from studio.printing.models import PrintJob
    from studio.products.models import Photo
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    def make(owner=None, **overrides):
        owner = owner or create_user("producer", business_name="UD Mbok Sri")
        profile = owner.profile
        profile.desa, profile.kecamatan, profile.whatsapp = "Pelabuhan", "Plandaan", "+6281234500011"
        profile.address, profile.postal_code = "Dsn. Sumberagung", "61456"
        record = dict(READY_RECORD, **overrides)
        product = create_product(owner, record["name"])
        rev = add_revision(owner, product, check_product_data(record).data, complete_label=True, complete_listing=True,
                           percent=100)
        thumbs = {str(s): media().put_content("derived", _jpeg(size=s), "jpg") for s in (600, 300, 150)}
        photo = Photo(product_id=product.id, original_key=media().put_content("originals", _jpeg(), "jpg"),
                      status="ready", catalogue_key=media().put_content("derived", _jpeg(), "jpg"), thumb_keys=thumbs)
        db.session.add(photo)
        db.session.flush()
        product.primary_photo_id = photo.id
        add_halal_logo()        # the product is halal-certified: printing and publishing need the official logo
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


# --- a BLONJO stand-in: a real HTTP server on loopback ---
import hashlib  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


class Receiver(BaseHTTPRequestHandler):
    """A BLONJO stand-in: fails, then hangs past the client's timeout, then accepts (dedupes by key)."""

    script: list[str] = []
    seen: dict[str, dict] = {}
    deliveries: int = 0
    secret = b"rahasia-blonjo"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        action = Receiver.script.pop(0) if Receiver.script else "ok"
        if action == "fail":
            self.send_response(503)
            self.end_headers()
            return
        if action == "hang":
            time.sleep(1.5)
            return
        expected = "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        if self.headers["X-Studio-Signature"] != expected:
            self.send_response(401)
            self.end_headers()
            return
        key = self.headers["Idempotency-Key"]
        Receiver.deliveries += 1
        Receiver.seen.setdefault(key, json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def blonjo(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Receiver.script, Receiver.seen, Receiver.deliveries = [], {}, 0
    Receiver.url = f"http://127.0.0.1:{server.server_port}/events"
    app.config.update(BLONJO_ENDPOINT=Receiver.url,
                      BLONJO_SECRET="rahasia-blonjo", BLONJO_TIMEOUT_S=0.5, BLONJO_BACKOFF_SCALE=0)
    yield Receiver
    server.shutdown()


