"""Issue 20 (training-day speed), the cost of each page: the wizard's gate facts come in one
statement however many products a page lists, a request never reads the same row twice, the
photo poll stays a handful of statements and still refuses everyone but the product's viewers,
and what a page memoises for itself is forgotten as soon as it writes.

Statements are counted at the database cursor; permissions are tried with direct requests.
"""
from __future__ import annotations

import contextlib
import io

import pytest
from PIL import Image


@contextlib.contextmanager
def statements():
    from sqlalchemy import event

    from studio.extensions import db

    sent: list[str] = []

    def count(_conn, _cursor, statement, *_a):
        sent.append(" ".join(statement.split()))
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 60)).save(buf, "PNG")
    return buf.getvalue()


def _queued_photo(product, job_status="queued", photo_status="queued"):
    from studio.extensions import db
    from studio.jobs import Job
    from studio.media import media
    from studio.products.models import Photo

    job = Job(kind="photo.clean", status=job_status, payload={})
    db.session.add(job)
    db.session.flush()
    photo = Photo(product_id=product.id, original_key=media().put_content("originals", _png(), "png"),
                  status=photo_status, job_id=job.id, width_px=1200, height_px=900)
    db.session.add(photo)
    db.session.commit()
    return photo


# ------------------------------------------------------------------------------ the gate facts
def test_gate_facts_of_many_products_are_one_statement_and_say_what_each_product_has(
        app, create_user, create_product, ready_product):
    """A product with nothing, one approved and printed (ready_product), one whose newest version
    waits for review, one published: each gets its own facts, and all of them cost one statement."""
    from studio.catalogue.models import Listing
    from studio.designs.models import Design, DesignVersion
    from studio.extensions import db
    from studio.wizard.services import gather_facts_many

    owner = create_user("producer", business_name="UD Mbok Sri")
    bare = create_product(owner, "Produk kosong")
    printed = ready_product(owner=owner)
    waiting = ready_product(owner=owner)
    design = db.session.scalar(db.select(Design).where(Design.product_id == waiting.id))
    design.blocker_count = 2
    db.session.add(DesignVersion(design_id=design.id, product_id=waiting.id, number=2, layout_id="avery-l7160",
                                 layout_snapshot={}, style_id="bersih", document={},
                                 product_revision_id=waiting.current_revision_id, status="submitted"))
    published = ready_product(owner=owner)
    db.session.add(Listing(product_id=published.id, public_code=published.public_code, number=1, snapshot={},
                           product_revision_id=published.current_revision_id, producer_id=owner.id, is_current=True))
    db.session.commit()
    products = [bare, printed, waiting, published]
    for p in products:
        db.session.refresh(p)                 # loaded, as a page has them when it asks
    with statements() as sent:
        facts = gather_facts_many(products)
    assert len(sent) == 1, sent
    f = facts[bare.id]
    assert not (f.has_product_data or f.has_primary_photo or f.has_design or f.printed or f.published)
    f = facts[printed.id]
    assert f.has_product_data and f.has_primary_photo and f.has_design and f.review_approved and f.printed
    assert not f.published and not f.submitted
    f = facts[waiting.id]
    assert f.submitted and not f.review_approved and f.design_blockers == 2
    assert f.printed          # version 1 (approved) was printed; the newer version 2 waits
    assert facts[published.id].published


def test_gate_facts_cost_the_same_for_one_or_six_products(app, create_user, create_product):
    from studio.extensions import db
    from studio.wizard.services import gather_facts_many

    owner = create_user("producer")
    products = [create_product(owner, f"Produk {n}") for n in range(6)]
    for p in products:
        db.session.refresh(p)
    with statements() as one:
        gather_facts_many(products[:1])
    with statements() as six:
        gather_facts_many(products)
    assert len(one) == len(six) == 1


# ------------------------------------------------------------------------------ the photo poll
def test_the_photo_poll_reads_each_row_once(app, client, login, ready_product):
    product = ready_product()
    photo = _queued_photo(product)
    login(product.owner)
    url = f"/produk/{product.id}/foto/{photo.id}/status"
    client.get(url)
    from studio.extensions import db

    db.session.expunge_all()       # as in a served request: nothing loaded before it
    with statements() as sent:
        r = client.get(url)
    assert r.status_code == 200 and r.get_json()["finished"] is False
    assert len(sent) <= 5, sent        # user, product, photo, its job, the jobs ahead of it
    assert sum(s.startswith("SELECT products.") for s in sent) == 1
    assert sum(s.startswith("SELECT photos.") for s in sent) == 1


def test_the_photo_poll_answers_only_the_products_viewers(app, client, login, create_user, cohort_with,
                                                          ready_product):
    cohort, trainer, producers = cohort_with(1)
    product = ready_product(owner=producers[0])
    photo = _queued_photo(product)
    url = f"/produk/{product.id}/foto/{photo.id}/status"
    other_trainer = create_user("trainer")
    for user, expected in ((product.owner, 200), (trainer, 200), (create_user("producer"), 404),
                           (other_trainer, 404), (create_user("hub"), 404)):
        login(user)
        r = client.get(url)
        assert r.status_code == expected, (user.username, r.status_code)
        if expected == 200:
            assert set(r.get_json()) >= {"progress", "finished", "status", "message"}
        else:
            assert b"progress" not in r.data
    client.post("/keluar")
    r = client.get(url)
    assert r.status_code == 302 and "/masuk" in r.headers["Location"]
    # the photo id of another product under this product's address: no answer either
    login(product.owner)
    other = ready_product()
    assert client.get(f"/produk/{product.id}/foto/{other.primary_photo_id}/status").status_code == 404


# ------------------------------------------------------------------------------ per-request reuse
def test_a_trainers_producers_are_read_afresh_after_a_write(app, create_user, cohort_with):
    """The memo never outlives a write in the same request: an enrolment is seen at once."""
    from studio.cohorts.services import enrol_producer, trainer_producer_ids

    cohort, trainer, producers = cohort_with(1)
    newcomer = create_user("producer")
    with app.test_request_context("/pendamping"):
        assert trainer_producer_ids(trainer) == {producers[0].id}
        with statements() as sent:
            trainer_producer_ids(trainer)
        assert sent == []                      # the second ask in the request: from memory
        enrol_producer(None, cohort.id, newcomer.id)
        assert trainer_producer_ids(trainer) == {producers[0].id, newcomer.id}


def test_a_trainers_producers_are_read_afresh_on_the_next_request(app, client, login, create_user, cohort_with,
                                                                   ready_product):
    """A producer moved out of the cohort between two requests: the trainer's next request no
    longer sees their review (the memo lives for one request only)."""
    from studio.cohorts.models import cohort_producers
    from studio.extensions import db

    cohort, trainer, producers = cohort_with(1)
    product = ready_product(owner=producers[0])
    login(trainer)
    assert client.get(f"/produk/{product.id}").status_code == 200
    db.session.execute(cohort_producers.delete().where(cohort_producers.c.user_id == producers[0].id))
    db.session.commit()
    assert client.get(f"/produk/{product.id}").status_code == 404


def test_nothing_is_held_outside_a_request(app, create_user, create_product):
    from studio.extensions import db
    from studio.identity import _HELD, request_memo

    owner = create_user("producer")
    create_product(owner, "Produk")
    db.session.expunge_all()
    from studio.products.models import Product

    list(db.session.scalars(db.select(Product)))
    assert _HELD not in db.session.info
    calls = []
    request_memo("x", lambda: calls.append(1))
    request_memo("x", lambda: calls.append(1))
    assert calls == [1, 1]


# ------------------------------------------------------------------------------ the hub home
def test_hub_home_reads_the_backup_settings_in_one_statement_and_shows_them(app, client, login, create_user,
                                                                            ready_product):
    from studio.extensions import db
    from studio.golive import setup

    ready_product()
    setup.put_setting(None, setup.BACKUP_DIR, "/srv/cadangan-hub")
    setup.put_setting(None, setup.LAST_BACKUP_ERROR, "OSError: diska penuh")
    db.session.commit()
    login(create_user("hub"))
    client.get("/hub/")
    with statements() as sent:
        page = client.get("/hub/").get_data(as_text=True)
    assert sum("FROM hub_settings" in s for s in sent) == 1, [s for s in sent if "hub_settings" in s]
    assert sum(s.startswith("SELECT print_jobs.") and "coalesce" in s.lower() for s in sent) == 1
    assert 'data-backup-status="none"' in page and "/srv/cadangan-hub" in page and "diska penuh" in page
    setup.put_setting(None, setup.LAST_BACKUP_AT, "2026-12-01T03:00:00+00:00")
    setup.put_setting(None, setup.LAST_BACKUP_ERROR, "")
    db.session.commit()
    page = client.get("/hub/").get_data(as_text=True)
    assert 'data-backup-status="ok"' in page and "01-12-2026" in page


@pytest.mark.parametrize("days", [(14, 30)])
def test_hub_totals_read_once_match_the_totals_read_apart(app, create_user, ready_product, days):
    from studio.printing import history

    hub = create_user("hub")
    for _ in range(3):
        ready_product()
    per_day, per_producer = history.hub_totals(hub, *days)
    assert per_day == history.totals_per_day(hub, days[0])
    assert per_producer == history.totals_per_producer(hub, days[1])
    assert sum(t.labels for t in per_producer) == 63       # three printed jobs of 21 labels


# ------------------------------------------------------------------------------ the label editor's change
#: SQL statements one change in the label editor may send (issue 20: 22 round trips, 35-40 ms each
#: on a loaded PostgreSQL, made a stock change take over a second). 9 on SQLite when written.
EDITOR_CHANGE_MAX_STATEMENTS = 10


@pytest.mark.parametrize("preview_with_change", [False, True])
def test_an_editor_change_costs_a_few_statements_and_shows_the_new_stock(app, client, login, ready_product,
                                                                         preview_with_change):
    """A stock change answered in JSON (what design.js posts), with and without the preview drawn
    in the change (the scaled stack draws it): a bounded number of statements, and the answer, the
    preview and the stored design all show the new stock."""
    from studio.designs.models import Design
    from studio.designs.services import get_layout, start_design
    from studio.extensions import db
    from studio.labels import layout_to_dict

    product = ready_product()
    design = db.session.scalar(db.select(Design).where(Design.product_id == product.id))
    design.layout_snapshot = layout_to_dict(get_layout("avery-l7160"))   # the factory's stand-in has none
    db.session.commit()
    start_design(product.owner, product.id, "avery-l7160", "bersih")     # a real document on it
    login(product.owner)
    app.config["EDITOR_PREVIEW_WITH_CHANGE"] = preview_with_change
    url = f"/produk/{product.id}/desain"
    headers = {"Accept": "application/json"}
    client.post(url, data={"action": "stock", "layout_id": "avery-l7163"}, headers=headers)    # warm caches
    with statements() as sent:
        r = client.post(url, data={"action": "stock", "layout_id": "a4-nup-2x2-94x134"}, headers=headers)
    assert r.status_code == 200 and r.get_json()["ok"], r.get_data(as_text=True)[:300]
    assert len(sent) <= EDITOR_CHANGE_MAX_STATEMENTS, "\n".join(s[:120] for s in sent)
    body = r.get_json()
    assert (body["label_w_mm"], body["label_h_mm"]) == (94, 134)
    png = client.get(body["preview_url"])
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png.data)) as im:          # the preview is the new stock's shape
        assert abs(im.width / im.height - 94 / 134) < 0.02
    db.session.expire_all()
    assert db.session.scalar(db.select(Design.layout_id).where(Design.product_id == product.id)) == \
        "a4-nup-2x2-94x134"


def test_a_labels_images_are_kept_across_a_design_save_but_read_again_after_a_new_photo(app, ready_product):
    """What the editor memoises of a label (its photo and logos) survives its own save of the
    design, and is read afresh as soon as the request writes a photo."""
    from studio.designs.assets import image_keys
    from studio.designs.models import Design
    from studio.extensions import db
    from studio.media import media
    from studio.products.models import Photo

    product = ready_product()
    with app.test_request_context(f"/produk/{product.id}/desain"):
        before = image_keys(product)
        design = db.session.scalar(db.select(Design).where(Design.product_id == product.id))
        design.style_id = "alami"
        db.session.commit()
        with statements() as sent:
            assert image_keys(product) == before
        assert not [s for s in sent if "FROM photos" in s or "FROM studio_assets" in s], sent
        photo = Photo(product_id=product.id, kind="contents", status="ready",
                      original_key=media().put_content("originals", _png(), "png"),
                      catalogue_key=media().put_content("derived", _png(), "png"))
        db.session.add(photo)
        db.session.flush()
        assert image_keys(product)["photo"] == photo.catalogue_key != before["photo"]


def test_what_a_save_changed_is_seen_in_the_same_request_without_reloading_its_rows(app, cohort_with, ready_product):
    """A use-case that commits without reloading the rows (the editor change, a review decision)
    still shows what changed beside them: a decision's comment in the version's comments, the
    decider on the version, a new data revision as the product's current one."""
    from studio.designs.models import DesignVersion
    from studio.extensions import db
    from studio.products.data import save_product_data
    from studio.review.services import request_changes

    _cohort, trainer, producers = cohort_with(1)
    product = ready_product(owner=producers[0])
    version = db.session.scalar(db.select(DesignVersion).where(DesignVersion.product_id == product.id))
    version.status = "submitted"
    db.session.commit()
    with app.test_request_context("/tinjauan"):
        version = db.session.get(DesignVersion, version.id)
        assert version.comments == [] and version.decided_by is None       # loaded before the decision
        request_changes(trainer, version.id, version.lock_version, "Huruf komposisi terlalu kecil.")
        assert [c.body for c in version.comments] == ["Huruf komposisi terlalu kecil."]
        assert version.decided_by is trainer and version.status == "changes_requested"
    with app.test_request_context(f"/produk/{product.id}/data"):
        old = product.current_revision
        assert old is not None
        rev = save_product_data(product.owner, product.id, {**old.raw, "net_quantity": "250 g"} if old.raw else
                                {"name": product.name, "net_quantity": "250 g"})
        assert product.current_revision is rev and rev.id != old.id
