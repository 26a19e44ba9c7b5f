"""Issue 20 (training-day speed): the pages a training room opens all the time cost a fixed number
of SQL statements however many rows they list, images answer 304 to a browser that has them, and
caching never hands one person's image to another.

The query counts are read at the database cursor (what the server really sends), with the page
served twice: once with one row, once with several; the second may not cost more statements.
"""
from __future__ import annotations

import contextlib
import io
import os

import pytest
from PIL import Image


@contextlib.contextmanager
def statements(app):
    """Collect the SQL statements sent to the database inside the block."""
    from sqlalchemy import event

    from studio.extensions import db

    sent: list[str] = []

    def count(_conn, _cursor, statement, *_a):
        sent.append(statement)
        if os.environ.get("STACK_FOR") and os.environ["STACK_FOR"] in statement:
            import traceback
            print("".join(l for l in traceback.format_stack(limit=40) if "/studio/" in l or "templates" in l))
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def cost(app, client, url: str) -> int:
    client.get(url)          # first visit: caches (records, fonts) are warm afterwards
    with statements(app) as sent:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.get_data(as_text=True)[:300])
    if os.environ.get("SHOW_STATEMENTS"):
        print(url, len(sent), *[" ".join(s.split())[:160] for s in sent], sep="\n  ")
    return len(sent)


def _png(color=(30, 120, 60)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buf, "PNG")
    return buf.getvalue()


def _submitted(owner, product):
    """A version of ``product``'s label sent for review (rows only: the page costs, not the render)."""
    from studio.designs.models import Design, DesignVersion
    from studio.extensions import db
    from studio.media import media

    design = Design(product_id=product.id, layout_id="avery-l7160", layout_snapshot={"name": "Avery L7160"},
                    style_id="bersih", document={}, product_revision_id=product.current_revision_id)
    db.session.add(design)
    db.session.flush()
    version = DesignVersion(design_id=design.id, product_id=product.id, number=1, layout_id="avery-l7160",
                            layout_snapshot={"name": "Avery L7160"}, style_id="bersih", document={},
                            product_revision_id=product.current_revision_id, status="submitted",
                            submitted_by_id=owner.id, preview_key=media().put_content("versions", _png(), "png"))
    db.session.add(version)
    db.session.commit()
    return version


# ------------------------------------------------------------------------------ fixed query counts
def test_trainer_board_costs_the_same_with_one_or_five_producers(app, client, login, cohort_with, ready_product):
    from studio.cohorts.services import enrol_producer

    cohort, trainer, producers = cohort_with(1)
    ready_product(owner=producers[0])
    login(trainer)
    one = cost(app, client, "/pendamping")
    for _ in range(4):
        p = ready_product()
        enrol_producer(None, cohort.id, p.owner_id)
    five = cost(app, client, "/pendamping")
    page = client.get("/pendamping").get_data(as_text=True)
    assert page.count("UD Mbok Sri") == 4 and producers[0].full_name in page   # every producer is on the board
    assert five <= one, (one, five)


def test_hub_home_costs_the_same_with_one_or_five_labels_to_print(app, client, login, create_user, ready_product):
    hub = create_user("hub")
    ready_product()
    login(hub)
    one = cost(app, client, "/hub/")
    for _ in range(4):
        ready_product()
    five = cost(app, client, "/hub/")
    page = client.get("/hub/").get_data(as_text=True)
    assert page.count("/hub/versi/") + page.count("/hub/cetak/") >= 5
    assert five <= one, (one, five)


def test_producer_home_and_overview_cost_the_same_with_more_products(app, client, login, ready_product,
                                                                        create_product):
    product = ready_product()
    owner = product.owner
    login(owner)
    home_one = cost(app, client, "/produk")
    overview_one = cost(app, client, f"/produk/{product.id}")
    for n in range(4):
        create_product(owner, f"Produk lain {n}")
    assert cost(app, client, "/produk") <= home_one
    assert cost(app, client, f"/produk/{product.id}") <= overview_one


def test_photos_page_costs_the_same_with_one_or_five_photos(app, client, login, ready_product):
    from studio.extensions import db
    from studio.jobs import Job
    from studio.media import media
    from studio.products.models import Photo

    product = ready_product()
    login(product.owner)

    def add_photo(status: str) -> None:
        job = Job(kind="photo.clean", status="done" if status == "ready" else "queued", payload={})
        db.session.add(job)
        db.session.flush()
        db.session.add(Photo(product_id=product.id, original_key=media().put_content("originals", _png(), "png"),
                             status=status, job_id=job.id, width_px=1200, height_px=900))
        db.session.commit()
    add_photo("queued")
    one = cost(app, client, f"/produk/{product.id}/foto")
    for status in ("ready", "queued", "ready", "queued"):
        add_photo(status)
    assert cost(app, client, f"/produk/{product.id}/foto") <= one


def test_review_queue_costs_the_same_with_one_or_five_submissions(app, client, login, cohort_with, ready_product):
    from studio.cohorts.services import enrol_producer

    cohort, trainer, producers = cohort_with(1)
    p = ready_product(owner=producers[0])
    _submitted(p.owner, p)
    login(trainer)
    one = cost(app, client, "/tinjauan")
    for _ in range(4):
        p = ready_product()
        enrol_producer(None, cohort.id, p.owner_id)
        _submitted(p.owner, p)
    assert cost(app, client, "/tinjauan") <= one


def test_polls_cost_a_few_statements(app, client, login, ready_product):
    from studio.extensions import db
    from studio.jobs import Job
    from studio.media import media
    from studio.products.models import Photo

    product = ready_product()
    job = Job(kind="photo.clean", status="queued", payload={})
    db.session.add(job)
    db.session.flush()
    photo = Photo(product_id=product.id, original_key=media().put_content("originals", _png(), "png"),
                  status="queued", job_id=job.id, width_px=1200, height_px=900)
    db.session.add(photo)
    db.session.commit()
    login(product.owner)
    assert cost(app, client, f"/produk/{product.id}/foto/{photo.id}/status") <= 6


def test_no_password_hash_is_checked_after_the_login(app, client, login, create_user, monkeypatch):
    """The password hash (deliberately slow) is paid at the login, never on the pages after it."""
    from werkzeug import security

    user = create_user("producer")
    login(user)
    calls = []
    real = security.check_password_hash
    monkeypatch.setattr(security, "check_password_hash", lambda *a, **k: calls.append(1) or real(*a, **k))
    import studio.auth.models as models
    import studio.auth.services as services
    for mod in (models, services):
        if hasattr(mod, "check_password_hash"):
            monkeypatch.setattr(mod, "check_password_hash", lambda *a, **k: calls.append(1) or real(*a, **k))
    for url in ("/produk", "/produk", "/masuk"):
        client.get(url)
    assert calls == []


# ------------------------------------------------------------------------------ HTTP caching of images
@pytest.fixture
def hub_preview(app, create_user, ready_product):
    """(hub operator, URL of an approved version's picture on the hub home)."""
    from studio.designs.models import DesignVersion
    from studio.extensions import db
    from studio.media import media

    product = ready_product()
    version = db.session.scalar(db.select(DesignVersion).where(DesignVersion.product_id == product.id))
    version.preview_key = media().put_content("versions", _png(), "png")
    db.session.commit()
    return create_user("hub"), f"/hub/versi/{version.id}/pratinjau.png", product


def test_a_label_picture_is_private_immutable_and_answers_304(client, login, hub_preview):
    hub, url, _product = hub_preview
    login(hub)
    first = client.get(url)
    assert first.status_code == 200 and first.data.startswith(b"\x89PNG")
    cc = first.headers["Cache-Control"]
    assert "private" in cc and "immutable" in cc and "public" not in cc
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_a_cached_picture_is_not_served_to_someone_not_allowed(client, login, create_user, hub_preview):
    """The ETag is no key: a producer (not the hub) sending it gets no picture and no 304."""
    hub, url, product = hub_preview
    login(hub)
    etag = client.get(url).headers["ETag"]
    login(create_user("producer"))
    assert client.get(url, headers={"If-None-Match": etag}).status_code in (403, 404)
    client.post("/keluar")
    r = client.get(url, headers={"If-None-Match": etag})
    assert r.status_code in (302, 401) and not r.data.startswith(b"\x89PNG")


def test_review_picture_answers_304_and_stays_private(client, login, cohort_with, create_user, ready_product):
    cohort, trainer, producers = cohort_with(1)
    product = ready_product(owner=producers[0])
    version = _submitted(product.owner, product)
    login(trainer)
    url = f"/tinjauan/versi/{version.id}/pratinjau.png"
    first = client.get(url)
    assert first.status_code == 200 and "private" in first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    login(create_user("producer"))         # another producer: not their label
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 404


def test_photo_images_are_private_and_answer_304_to_the_owner_only(app, client, login, create_user, ready_product):
    from studio.products.models import Photo
    from studio.extensions import db

    product = ready_product()
    photo = db.session.get(Photo, product.primary_photo_id)
    login(product.owner)
    url = f"/produk/{product.id}/foto/{photo.id}/berkas/thumb-300?v=1r"
    first = client.get(url)
    assert first.status_code == 200 and "private" in first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    login(create_user("producer"))
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 404


# ------------------------------------------------------------------------------ the bench's SQL figures
def _stats_app(tmp_path, sqlite_template):
    """An app as bench/web.py's servers run it (QUERY_STATS_DIR set) on a copy of the test database;
    returns (app, the stats folder)."""
    import shutil

    from studio import create_app

    db_path = tmp_path / "stats.sqlite3"
    shutil.copyfile(sqlite_template, db_path)
    stats_dir = tmp_path / "sql"
    return create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
                       "MEDIA_DIR": str(tmp_path / "media"), "JOBS_MODE": "eager", "WTF_CSRF_ENABLED": False,
                       "QUERY_STATS_DIR": str(stats_dir), "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}), stats_dir


def test_query_stats_count_each_routes_statements_only_when_set(tmp_path, sqlite_template):
    """bench/web.py's servers (QUERY_STATS_DIR set) write statements per route and phase; a normal
    app (the setting unset, as at a hub) has no such listener."""
    import json

    from studio import create_app
    from studio.extensions import db

    app, stats_dir = _stats_app(tmp_path, sqlite_template)
    with app.app_context():
        c = app.test_client()
        c.get("/masuk", headers={"X-Bench-Phase": "warmup"})
        c.get("/masuk")
        c.get("/produk/12345")           # not logged in: a redirect, still counted
        app.extensions["studio.querystats"].write(force=True)
        db.session.remove()
        db.engine.dispose()
    [written] = list(stats_dir.glob("sql-*.json"))
    routes = json.loads(written.read_text())["routes"]
    assert routes["warmup GET /masuk"]["requests"] == 1 and routes["load GET /masuk"]["requests"] == 1
    assert "load GET /produk/<int:product_id>" in routes
    assert "studio.querystats" not in create_app({"TESTING": True, "SECRET_KEY": "t",
                                                  "SQLALCHEMY_DATABASE_URI": "sqlite://"}).extensions


def test_query_stats_never_drop_a_request(tmp_path, sqlite_template):
    """The figures are written in each request's teardown, from many gunicorn threads at once. A
    failed or racing write must not reach gunicorn, which would close the connection without an
    answer (bench/web.py once saw RemoteDisconnected on the data form): threads writing together
    all finish, the file holds every request, and a request still answers when the folder is gone."""
    import json
    import shutil
    import threading

    from studio.extensions import db

    app, stats_dir = _stats_app(tmp_path, sqlite_template)
    stats = app.extensions["studio.querystats"]
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(40):
                stats.add(f"load GET /t{n}", [("SELECT 1", 0.001)], 0.002)
                stats.write(force=True)
        except BaseException as e:  # noqa: BLE001 - the test reports any
            failures.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert failures == []
    stats.write(force=True)
    routes = json.loads((stats_dir / next(p.name for p in stats_dir.glob("sql-*.json"))).read_text())["routes"]
    assert sum(r["requests"] for r in routes.values()) == 8 * 40
    assert not list(stats_dir.glob("*.tmp"))

    shutil.rmtree(stats_dir)           # the folder is gone (or the disk full): pages still answer
    with app.app_context():
        c = app.test_client()
        assert c.get("/masuk").status_code == 200
        assert c.get("/masuk").status_code == 200
        db.session.remove()
        db.engine.dispose()
    stats_dir.mkdir()                  # the process's last write (atexit) has its folder again


# ------------------------------------------------------------------------------ saves and the disk
def test_a_save_does_not_wait_for_an_fsync_unless_set(tmp_path, sqlite_template):
    """The embedded mode's SQLite file runs WAL with synchronous NORMAL (a commit is not fsynced:
    the one write lock is not held through the disk), FULL when SQLITE_SYNCHRONOUS says so; a
    save made either way is there for the next connection."""
    import shutil

    from sqlalchemy import text

    from studio import create_app
    from studio.extensions import db

    def open_app(name: str, **cfg):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                           "MEDIA_DIR": str(tmp_path / "media"), "JOBS_MODE": "eager", **cfg})

    for name, cfg, want in (("default", {}, 1), ("full", {"SQLITE_SYNCHRONOUS": "full"}, 2)):
        app = open_app(name, **cfg)
        with app.app_context():
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(text("PRAGMA synchronous")).scalar() == want, name
            db.session.execute(text("CREATE TABLE t (x INTEGER)"))
            db.session.execute(text("INSERT INTO t VALUES (7)"))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
            assert db.session.execute(text("SELECT x FROM t")).scalar() == 7
            db.session.remove()
            db.engine.dispose()
    with pytest.raises(ValueError):
        open_app("bad", SQLITE_SYNCHRONOUS="sometimes")
