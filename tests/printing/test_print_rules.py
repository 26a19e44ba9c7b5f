"""Print-job rules a hub operator and a producer notice: one job per click, only approved
labels, expiry within shelf life, who may print and see what."""
from __future__ import annotations

from datetime import date

import pytest

from printing_helpers import CRAFT, MADE, SHEET, TODAY
from studio.errors import Conflict, Forbidden, Invalid
from studio.extensions import db


def _job(operator, version, key="k1", **kw):
    from studio.printing.services import create_print_job

    args = dict(request_key=key, copies=5, first_slot=0, batch_code="261127-01", production_date=MADE, today=TODAY)
    args.update(kw)
    return create_print_job(operator, version.id, **args)


def test_double_submission_with_the_same_request_key_makes_one_job(operator, make_version, no_render):
    from studio.jobs import Job
    from studio.printing.models import PrintJob

    version = make_version()
    first = _job(operator, version, "same-form")
    again = _job(operator, version, "same-form", copies=99)
    assert again.id == first.id and again.copies == 5
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Job.id)).where(Job.kind == "print.render")) == 1


def test_a_race_on_the_unique_request_key_returns_the_existing_job(operator, make_version, monkeypatch, no_render):
    """Two requests pass the "exists?" check at once: the database's unique key decides."""
    from studio.printing import services
    from studio.printing.models import PrintJob

    version = make_version()
    first = _job(operator, version, "race")
    real_scalar = db.session.scalar
    calls = {"n": 0}

    def blind_first_lookup(stmt, *a, **kw):   # the second request does not see the first job yet
        calls["n"] += 1
        return None if calls["n"] == 1 else real_scalar(stmt, *a, **kw)

    monkeypatch.setattr(services.db.session, "scalar", blind_first_lookup)
    again = _job(operator, version, "race")
    monkeypatch.undo()
    assert again.id == first.id
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 1


def test_a_version_that_is_not_approved_cannot_be_queued(operator, make_version, create_user, no_render):
    from studio.errors import NotFound
    from studio.printing.services import list_queue

    version = make_version(status="submitted")
    admin = create_user("admin")
    for status in ("submitted", "changes_requested", "withdrawn"):
        version.status = status
        db.session.commit()
        with pytest.raises(NotFound):           # the hub operator never sees a draft
            _job(operator, version)
        with pytest.raises(Conflict, match="belum disetujui"):
            _job(admin, version)
        assert version.id not in [q.version.id for q in list_queue(operator)]


def test_a_version_with_a_blocker_finding_cannot_be_queued(operator, make_version, no_render):
    version = make_version(findings=[{"severity": "BLOCKER", "code": "PERMIT-01",
                                      "message_id": "Cetak nomor P-IRT di bagian utama."}])
    with pytest.raises(Conflict, match="1 masalah yang harus diperbaiki: Nomor izin edar di bagian utama: "
                                       "Cetak nomor P-IRT"):
        _job(operator, version)
    ok = make_version(findings=[{"severity": "BLOCKER", "code": "PERMIT-01", "overridden": True}])
    assert _job(operator, ok, "k2").status == "queued"


def test_expiry_later_than_production_date_plus_shelf_life_is_refused_clearly(operator, make_version, no_render):
    version = make_version()                        # shelf life 120 days: latest 27-03-2027
    with pytest.raises(Invalid) as e:
        _job(operator, version, expiry_date=date(2027, 3, 28))
    assert e.value.field == "expiry_date"
    assert "120 hari" in e.value.message and "27-03-2027" in e.value.message
    earlier = _job(operator, version, "k2", expiry_date=date(2027, 2, 1))
    assert earlier.expiry_date == date(2027, 2, 1)
    default = _job(operator, version, "k3")
    assert default.expiry_date == date(2027, 3, 27)


def test_bad_values_are_refused_on_their_field(operator, make_version, no_render):
    version = make_version()                        # a food label (a batch code is required), 4 labels a sheet
    for kw, field in [({"batch_code": "batch 1!"}, "batch_code"), ({"batch_code": ""}, "batch_code"),
                      ({"production_date": date(2026, 12, 1)}, "production_date"),
                      ({"first_slot": 4}, "first_slot"), ({"copies": 0}, "copies"),
                      ({"copies": None, "sheets": 500}, "sheets")]:
        with pytest.raises(Invalid) as e:
            _job(operator, version, **kw)
        assert e.value.field == field, kw


def test_whole_sheets_count_the_partly_used_first_sheet(operator, make_version, no_render):
    version = make_version("avery-l7160", data=CRAFT)
    job = _job(operator, version, copies=None, sheets=2, first_slot=4)
    assert (job.copies, job.sheets) == (2 * 21 - 4, 2)


def test_only_the_hub_and_admins_print(operator, make_version, producer, create_user, no_render):
    version = make_version()
    trainer = create_user("trainer")
    for who in (producer, trainer):
        with pytest.raises(Forbidden):
            _job(who, version)
    admin = create_user("admin")
    assert _job(admin, version).status == "queued"


def test_permits_setting_holds_products_without_pirt_or_halal(app, operator, make_version, no_render):
    from studio.printing.services import list_queue
    from printing_helpers import PRODUCT

    data = dict(PRODUCT, name="Kue Nastar", halal_status="in_process", halal_cert_number="")
    version = make_version(data=data)
    assert _job(operator, version).status == "queued"       # the setting is off by default
    app.config["PRINT_REQUIRE_PERMITS"] = True
    with pytest.raises(Conflict, match="halal"):
        _job(operator, version, "k2")
    held = [q for q in list_queue(operator) if q.version.id == version.id]
    assert held and held[0].problems


def test_a_producer_sees_only_their_own_print_history(operator, make_version, producer, create_user, cohort_with, no_render):
    from studio.printing.services import get_job, list_jobs
    from studio.errors import NotFound

    mine = _job(operator, make_version())
    other = create_user("producer")
    theirs = _job(operator, make_version(owner=other), "k2")
    assert [j.id for j in list_jobs(producer)] == [mine.id]
    assert [j.id for j in list_jobs(other)] == [theirs.id]
    with pytest.raises(NotFound):
        get_job(producer, theirs.id)
    assert {j.id for j in list_jobs(operator)} == {mine.id, theirs.id}


def test_marking_printed_records_who_and_when_and_reprint_returns_the_same_pdf(operator, make_version):
    from studio.printing.services import job_pdf, mark_printed, reprint

    job = _job(operator, make_version())
    first, name = job_pdf(operator, job.id)
    assert name.endswith("261127-01.pdf") and first.startswith(b"%PDF")
    mark_printed(operator, job.id)
    assert job.status == "printed" and job.printed_by_id == operator.id and job.printed_at is not None
    reprint(operator, job.id)
    assert job_pdf(operator, job.id)[0] == first and job.reprints == 1


def test_totals_per_day_and_per_producer(operator, make_version, producer):
    from studio.printing.history import totals_per_day, totals_per_producer

    version = make_version("avery-l7160", data=CRAFT)               # 21 labels a sheet
    from studio.printing.services import mark_printed

    for key, qty in (("a", dict(copies=30)), ("b", dict(copies=None, sheets=1))):
        mark_printed(operator, _job(operator, version, key, **qty).id)
    _job(operator, version, "c", copies=5)          # PDF made, never marked printed: not counted
    days = totals_per_day(operator)
    assert days[0].labels == 51 and days[0].jobs == 2 and days[0].sheets == 3
    people = totals_per_producer(operator)
    assert people[0].key.id == producer.id and people[0].labels == 51


def test_a_version_approved_through_review_goes_to_the_queue_and_prints(operator, cohort_with, create_product):
    from studio.review import services as review
    from studio.designs.services import start_design
    from studio.printing.services import list_queue
    from studio.products.data import save_product_data
    from printing_helpers import PRODUCT

    _cohort, trainer, (producer,) = cohort_with(1)
    product = create_product(producer, PRODUCT["name"])
    save_product_data(producer, product.id, dict(PRODUCT))
    design = start_design(producer, product.id, SHEET, "bersih")    # a stock the whole food label fits on
    try:
        version = review.submit_for_review(producer, design.id)
    except Invalid as e:                    # the preflight of the label itself is not this test's subject
        pytest.skip(f"demo label has preflight blockers: {e.message}")
    assert version.id not in [q.version.id for q in list_queue(operator)]
    review.approve(trainer, version.id, version.lock_version)
    assert version.id in [q.version.id for q in list_queue(operator) if not q.problems]
    job = _job(operator, version, "reviewed")
    assert job.status == "ready" and job.design_version_id == version.id


def test_an_approved_label_prints_on_its_own_label_size_and_another_size_needs_a_new_version(
        operator, make_version, no_render):
    # behaviour changed (issue 14): another label size used to be re-laid out silently
    from studio.printing.models import PrintJob

    version = make_version("avery-l7160", data=CRAFT)               # designed on L7160 (63.5 x 38.1)
    same = _job(operator, version, "same", layout_id="avery-l7160")
    assert same.adapted is False
    with pytest.raises(Invalid) as e:
        _job(operator, version, "wide", layout_id="avery-l7163")    # 99.1 x 38.1
    assert e.value.field == "layout_id"
    assert "63,5 × 38,1 mm" in e.value.message and "versi desain baru" in e.value.message
    assert db.session.query(PrintJob).count() == 1
