"""Shared fixtures: an app on a fresh database per test, logged-in clients, factories."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from studio import create_app
from studio.extensions import db


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
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "MEDIA_DIR": str(path.parent / "media"), "JOBS_MODE": "eager"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, sqlite_template):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path, sqlite_template),
        "MEDIA_DIR": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
        "JOBS_MODE": os.environ.get("STUDIO_TEST_JOBS_MODE", "eager"),
        "DEMO_ON_FIRST_START": False,
        "SERVER_NAME": None,
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
            enrol_producer(trainer, cohort.id, p.id)
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
