"""A change that composes a label writes nothing to the database until the composing is done.

SQLite has one writer: the first INSERT/UPDATE of a transaction takes the write lock and holds it
until the commit. A change whose lazy reads autoflushed the new style before composing kept every
other producer's save and every trainer's decision waiting for the whole compose (issue #20).
"""
from __future__ import annotations

import pytest
from sqlalchemy import event

from studio.auth.models import User
from studio.designs import prepare
from studio.designs import services as designs
from studio.extensions import db
from studio.packs import services as packs
from studio.review import services as review

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


@pytest.fixture
def trace(app, monkeypatch):
    """The order of write statements ("write") and finished composing/rendering ("slow")."""
    seen: list[str] = []

    def on_statement(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(WRITES):
            seen.append("write")

    def after(fn):
        def wrapped(*a, **kw):
            out = fn(*a, **kw)
            seen.append("slow")
            return out
        return wrapped

    monkeypatch.setattr(prepare, "compose_render", after(prepare.compose_render))
    monkeypatch.setattr(packs, "compose_panels", after(packs.compose_panels))
    monkeypatch.setattr(review, "render_label_pdf", after(review.render_label_pdf))
    monkeypatch.setattr(review, "render_preview_png", after(review.render_preview_png))
    event.listen(db.engine, "before_cursor_execute", on_statement)
    yield seen
    event.remove(db.engine, "before_cursor_execute", on_statement)


def _new_request():
    """The next request starts with nothing loaded, as a page does."""
    db.session.remove()


def _writes_only_after_slow_work(seen: list[str]) -> None:
    assert "slow" in seen and "write" in seen
    first_write = seen.index("write")
    assert "slow" not in seen[first_write:], seen


@pytest.mark.parametrize("changes", [designs.DesignChanges(style_id="berani"),
                                     designs.DesignChanges(layout_id="avery-l7160")],
                         ids=["style", "stock"])
def test_a_design_change_writes_only_after_composing(make_ready_product, trace, changes):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    owner_id, design_id = product.owner_id, design.id
    _new_request()
    trace.clear()
    d = designs.update_design(db.session.get(User, owner_id), design_id, changes)
    _writes_only_after_slow_work(trace)
    assert d.findings is not None and d.blocker_count == prepare.count_blockers(d.findings)


def test_a_pack_style_change_writes_only_after_composing(make_ready_product, trace):
    product = make_ready_product()
    kind = packs.start_pack_design(product.owner, product.id, "pouch-10x15").kind
    owner_id, product_id = product.owner_id, product.id
    _new_request()
    trace.clear()
    d = packs.update_pack_design(db.session.get(User, owner_id), product_id, kind, style_id="berani")
    _writes_only_after_slow_work(trace)
    assert d.style_id == "berani" and d.findings is not None


def test_submitting_writes_only_after_the_proofs_are_rendered(make_ready_product, trace):
    product = make_ready_product(halal_status="not_halal")
    design = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    owner_id, design_id = product.owner_id, design.id
    _new_request()
    trace.clear()
    version = review.submit_for_review(db.session.get(User, owner_id), design_id)
    _writes_only_after_slow_work(trace)
    assert version.number == 1 and version.pdf_key and version.preview_key


def test_the_preflight_command_writes_only_after_checking(make_ready_product, trace):
    """``flask studio preflight`` follows the product's current data: the design's new revision id is
    written with the findings, after the check (not by the first read's autoflush)."""
    from sqlalchemy import update

    from studio.designs.models import Design
    from studio.designs.preflight import preflight_design

    product = make_ready_product()
    design_id = designs.start_design(product.owner, product.id, "avery-l7165", "bersih").id
    db.session.execute(update(Design).where(Design.id == design_id).values(product_revision_id=None))
    db.session.commit()
    _new_request()
    trace.clear()
    design = db.session.get(Design, design_id)
    preflight_design(design)
    _writes_only_after_slow_work(trace)
    assert design.product_revision_id is not None and design.findings is not None
