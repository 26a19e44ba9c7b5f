"""Issue 20, scaled mode: the trainer's review page, the decision, the product data save and the
hub's pages answer with a few statements each (on PostgreSQL each one is a round trip of 2-4 ms
while the photo worker runs), and what they show is still what another user just wrote.

Statements are counted at the database cursor; on PostgreSQL the transaction commands psycopg
sends on its own (BEGIN, COMMIT, ROLLBACK) are counted too.
"""
from __future__ import annotations

import contextlib
import os
import re

import pytest

from tests.web.test_page_costs import _submitted


@contextlib.contextmanager
def round_trips(app):
    """Statements at the cursor, plus psycopg's own BEGIN/COMMIT/ROLLBACK on PostgreSQL."""
    from sqlalchemy import event

    from studio.extensions import db

    db.session.remove()      # as on a server: the request starts with an empty session (no rows of the test's)
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_a):
        sent.append(" ".join(statement.split())[:160])
        if os.environ.get("STACK_FOR") and os.environ["STACK_FOR"] in statement:
            import traceback
            print("".join(x for x in traceback.format_stack(limit=40) if "/studio/" in x or "templates" in x))

    event.listen(db.engine, "before_cursor_execute", count)
    patched = None
    if db.engine.dialect.name == "postgresql":
        from psycopg import _connection_base

        patched = _connection_base.BaseConnection._exec_command

        def _exec_command(conn, command, *a, **kw):
            text = command if isinstance(command, (bytes, str)) else command.as_bytes(conn)
            sent.append((text.decode() if isinstance(text, bytes) else text).split(None, 1)[0].upper())
            return (yield from patched(conn, command, *a, **kw))

        _connection_base.BaseConnection._exec_command = _exec_command
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        if patched is not None:
            from psycopg import _connection_base

            _connection_base.BaseConnection._exec_command = patched
        if os.environ.get("SHOW_STATEMENTS"):
            print(len(sent), *sent, sep="\n  ")


def _statements(sent: list[str]) -> list[str]:
    return [s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")]


@pytest.fixture
def review_setup(app, cohort_with, ready_product):
    cohort, trainer, (producer,) = cohort_with(1)
    product = ready_product(owner=producer)
    version = _submitted(producer, product)
    return trainer, producer, product, version


def test_the_review_page_runs_a_few_statements_and_shows_a_new_comment(app, client, login, create_user,
                                                                        review_setup):
    from studio.review import services as reviews

    trainer, producer, product, version = review_setup
    login(trainer)
    client.get(f"/tinjauan/{version.id}")
    with round_trips(app) as sent:
        page = client.get(f"/tinjauan/{version.id}")
    assert page.status_code == 200
    assert len(_statements(sent)) <= 5, sent        # was 11, then 8
    assert "BEGIN" not in sent and "ROLLBACK" not in sent      # a read-only page opens no transaction
    # another user (the producer) comments: the trainer's next look shows it
    reviews.add_comment(producer, version.id, "Logo halal sudah saya ganti.", None, None)
    assert "Logo halal sudah saya ganti." in client.get(f"/tinjauan/{version.id}").get_data(as_text=True)


def test_the_decision_runs_a_few_statements_and_is_stored(app, client, login, review_setup):
    from studio.designs.models import DesignVersion
    from studio.extensions import db

    trainer, producer, product, version = review_setup
    login(trainer)
    client.get(f"/tinjauan/{version.id}")
    with round_trips(app) as sent:
        r = client.post(f"/tinjauan/{version.id}/putuskan",
                        data={"decision": "changes", "lock_version": version.lock_version, "body": "Perbesar huruf."})
    assert r.status_code == 302
    assert len(_statements(sent)) <= 8, sent        # was 10, then 9 (an approval without a comment: 5)
    db.session.expire_all()
    v = db.session.get(DesignVersion, version.id)
    assert v.status == "changes_requested" and [c.body for c in v.comments] == ["Perbesar huruf."]


def test_the_data_save_writes_the_product_once_and_the_page_shows_the_new_value(app, client, login, review_setup):
    from studio.products.data import product_form_values
    from studio.products.sections import SECTION_BY_KEY

    trainer, producer, product, version = review_setup
    values = product_form_values(product)
    fields = {k: values.get(k, "") for k in SECTION_BY_KEY["jual"].fields_for(product.product_class)}
    login(producer)
    client.get(f"/produk/{product.id}/data?bagian=jual")
    with round_trips(app) as sent:
        r = client.post(f"/produk/{product.id}/data?bagian=jual",
                        data={**fields, "stock": "43", "aksi": "draf"})
    assert r.status_code in (302, 303)
    writes = [s for s in sent if s.startswith(("UPDATE products ", "UPDATE product_revisions "))]
    assert len(writes) <= 1, writes                 # the revision is inserted whole, the product updated once
    assert len(_statements(sent)) <= 7, sent        # was 11: UPDATE of the revision, twice the product, a reload
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="stock"[^>]*value="43"', page), "the form shows the stock just saved"


def test_the_print_job_page_runs_a_few_statements_and_names_the_producer(app, client, login, create_user,
                                                                         ready_product):
    from sqlalchemy import select

    from studio.extensions import db
    from studio.printing.models import PrintJob

    from studio.designs.stock import get_layouts
    from studio.labels.layouts import layout_to_dict

    product = ready_product()
    pj = db.session.scalar(select(PrintJob).where(PrintJob.product_id == product.id))
    pj.layout_snapshot = layout_to_dict(get_layouts()["avery-l7160"])
    db.session.commit()
    job_id = pj.id
    login(create_user("hub"))
    client.get(f"/hub/pekerjaan/{job_id}")
    with round_trips(app) as sent:
        page = client.get(f"/hub/pekerjaan/{job_id}")
    assert page.status_code == 200
    assert len(_statements(sent)) <= 2, sent        # the user; the job with its product, version, producer, Job, printer
    assert "UD Mbok Sri" in page.get_data(as_text=True)
    assert client.get(f"/hub/pekerjaan/{job_id + 999}").status_code == 404


def test_only_plain_selects_run_outside_a_transaction():
    from studio.pgreads import is_plain_read

    assert is_plain_read("SELECT users.id FROM users WHERE users.id = %(pk)s")
    assert is_plain_read("  select 1")
    for statement in ("INSERT INTO jobs (kind) VALUES (%(kind)s)", "UPDATE products SET name=%(n)s",
                      "DELETE FROM photos", "SELECT id FROM jobs FOR UPDATE SKIP LOCKED",
                      "SELECT id FROM jobs FOR NO KEY UPDATE", "SELECT 1 FOR SHARE",
                      "WITH x AS (DELETE FROM jobs RETURNING id) SELECT * FROM x", "SAVEPOINT sa_1", "CREATE TABLE t (i int)"):
        assert not is_plain_read(statement), statement


def test_reads_then_a_write_are_still_one_transaction_on_postgresql(app, create_user):
    """After reads (autocommit on PostgreSQL) the first write opens a transaction: a rollback undoes
    everything written since, and what was written is seen inside the transaction before it."""
    from sqlalchemy import select

    from studio.auth.models import User
    from studio.extensions import db

    user = create_user("producer")
    uid = user.id
    db.session.remove()
    with app.test_request_context():
        assert db.session.get(User, uid).full_name == user.full_name      # a read
        db.session.get(User, uid).full_name = "Nama Baru"
        db.session.flush()                                                 # the write: a transaction
        assert db.session.scalar(select(User.full_name).where(User.id == uid)) == "Nama Baru"
        db.session.get(User, uid).phone = "+6281200000001"
        db.session.rollback()
        db.session.remove()
    assert db.session.scalar(select(User.full_name).where(User.id == uid)) == user.full_name


def test_the_hub_pages_run_a_few_statements_and_a_submitted_job_is_stored(app, client, login, create_user,
                                                                          ready_product, monkeypatch):
    """The hub home, the job form and its submit (as in scaled mode: the render is the worker's)."""
    import re as _re

    from sqlalchemy import select

    from studio import jobs
    from studio.designs.models import Design, DesignVersion
    from studio.extensions import db
    from studio.printing.models import PrintJob

    from studio.designs.stock import get_layouts
    from studio.labels.layouts import layout_to_dict

    from studio.designs import assets
    from studio.designs.services import start_design

    product = ready_product()
    version = db.session.scalar(select(DesignVersion).where(DesignVersion.product_id == product.id))
    version.layout_snapshot = layout_to_dict(get_layouts()["avery-l7160"])
    db.session.scalar(select(Design).where(Design.product_id == product.id)).layout_snapshot = version.layout_snapshot
    version.document = dict(start_design(product.owner, product.id, "avery-l7160", "bersih").document)
    version.image_keys = assets.image_keys(product)        # a version keeps the pictures it was approved with
    db.session.commit()
    version_id = version.id
    login(create_user("hub"))
    client.get("/hub/")
    with round_trips(app) as sent:
        home = client.get("/hub/")
    assert home.status_code == 200 and f"/hub/cetak/{version_id}" in home.get_data(as_text=True)
    assert len(_statements(sent)) <= 5, sent        # was 11
    client.get(f"/hub/cetak/{version_id}")
    with round_trips(app) as sent:
        form = client.get(f"/hub/cetak/{version_id}")
    assert form.status_code == 200 and "UD Mbok Sri" in form.get_data(as_text=True)
    assert len(_statements(sent)) <= 6, sent        # was 11 (7 on the bench seed: a default printer asked)
    fields = dict(_re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form.get_data(as_text=True)))
    monkeypatch.setattr(jobs, "dispatch", lambda job_id: None)     # the worker renders it, not this test
    from studio.printing import services as printing

    # the label's check at the printer comes from the content cache on a real submit (checked ahead);
    # this stand-in label has no batch box: its findings are not what is counted here
    monkeypatch.setattr(printing, "recheck_at_printer", lambda *a, **k: [])
    app.config["JOBS_MODE"] = "celery"
    with round_trips(app) as sent:
        r = client.post(f"/hub/cetak/{version_id}", data={**fields, "layout_id": "avery-l7160", "qty_mode": "labels",
                                                          "quantity": "8", "printer_id": "0"})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    assert len(_statements(sent)) <= 9, sent        # was 14
    db.session.expire_all()
    pj = db.session.get(PrintJob, int(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert pj.request_key == fields["request_key"] and pj.copies == 8 and pj.job_id is not None
