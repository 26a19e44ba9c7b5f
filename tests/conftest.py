"""Shared fixtures: an app on a fresh database per test, logged-in clients, factories."""
from __future__ import annotations

import os
import re

import pytest

from studio import create_app
from studio.extensions import db


def _database_url(tmp_path) -> str:
    # CI's scaled run sets STUDIO_TEST_DATABASE_URL to a PostgreSQL database.
    url = os.environ.get("STUDIO_TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        "MEDIA_DIR": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
        "JOBS_MODE": os.environ.get("STUDIO_TEST_JOBS_MODE", "eager"),
        "DEMO_ON_FIRST_START": False,
        "SERVER_NAME": None,
    })
    shared_db = not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with app.app_context():
        if shared_db:  # PostgreSQL in the scaled CI run: one database, emptied per test
            db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        if shared_db:
            db.drop_all()
        db.engine.dispose()


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
