"""The job form makes its submit's checks ready (issue 20): while the operator reads the form, a light
job re-checks the label at the printer's dots and measures its stamping box into the content-hash
cache, so the submit composes no label. The gate stays a server rule of the submit itself: a label
changed after the form was shown, and a batch code that fits no stamping box, are still refused by a
direct POST, with the reason in Bahasa Indonesia."""
from __future__ import annotations

import pytest

from studio import jobs
from studio.designs import prepare
from studio.extensions import db
from studio.printing.models import PrintJob
from studio.printing.tasks import PREPARE_KIND

from test_print_stamp_fits import SAMBAL


@pytest.fixture
def composed(monkeypatch) -> list[str]:
    """Counts the labels composed (a label of its own, or a set's stickers) from now on."""
    calls: list[str] = []
    real, real_panels = prepare.compose, prepare.compose_panels
    monkeypatch.setattr(prepare, "compose", lambda *a, **kw: calls.append("label") or real(*a, **kw))
    monkeypatch.setattr(prepare, "compose_panels", lambda *a, **kw: calls.append("set") or real_panels(*a, **kw))
    return calls


@pytest.fixture
def no_render(monkeypatch):
    """Print jobs are queued, not rendered (the PDF composes the label: not the submit's work);
    other jobs (the form's checks) run as usual."""
    real = jobs.dispatch

    def dispatch(job_id: int) -> None:
        if db.session.get(jobs.Job, job_id).kind != "print.render":
            real(job_id)
    monkeypatch.setattr(jobs, "dispatch", dispatch)


def _form(version, key: str, **over) -> dict:
    return {"request_key": key, "layout_id": version.layout_id, "start_slot": "1", "qty_mode": "labels",
            "quantity": "1", "batch_code": "261127-01", "production_date": "27-11-2026", "printer_id": "0", **over}


def _prepared() -> list:
    return list(db.session.scalars(db.select(jobs.Job).where(jobs.Job.kind == PREPARE_KIND)))


def test_the_job_form_prepares_the_submits_checks_and_a_label_changed_after_it_is_refused(
        client, login, operator, make_version, composed, no_render):
    version = make_version()
    login(operator)
    assert client.get(f"/hub/cetak/{version.id}").status_code == 200
    assert [j.status for j in _prepared()] == ["done"]
    assert client.get(f"/hub/cetak/{version.id}").status_code == 200      # ready: nothing queued again
    assert len(_prepared()) == 1
    prepare._composed.clear()          # the submit as answered by another server process
    composed.clear()
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version, "p1"))
    assert r.status_code == 302 and composed == []
    doc = dict(version.document)       # the frozen label lost its permit number after the form was shown
    doc["items"] = [i for i in doc["items"] if i.get("tag") != "pdp.permit"]
    version.document = doc
    db.session.commit()
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version, "p2"))
    assert r.status_code == 400
    assert "masalah yang harus diperbaiki: Nomor izin edar" in r.get_data(as_text=True)
    assert db.session.query(PrintJob).count() == 1


def test_a_code_that_fits_no_stamping_box_is_refused_after_the_form_prepared_the_box(
        client, login, operator, make_version, composed, no_render):
    version = make_version("thermal-50x30", data=SAMBAL, style_id="", label_set="front_back_back")
    login(operator)
    assert client.get(f"/hub/cetak/{version.id}").status_code == 200
    prepare._composed.clear()
    composed.clear()
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version, "s1", batch_code="KOPERASI-2026/12/031"))
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "tidak muat utuh di kotak cap" in page and "«" in page, page[:300]
    assert composed == []              # the box came from the cache, the verdict from this request
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version, "s2"))
    assert r.status_code == 302 and composed == []
    assert db.session.query(PrintJob).count() == 1


def test_the_print_queue_checked_ahead_measures_the_stamping_box_too(client, login, operator, make_version,
                                                                     composed, no_render):
    """The check ahead after an approval (``print.warm_checks``) also measures the stamping box, so
    even a submit straight from the queue, without the form shown first, composes nothing."""
    from studio.printing.tasks import _print_check

    version = make_version()
    _print_check(version)
    prepare._composed.clear()
    composed.clear()
    login(operator)
    r = client.post(f"/hub/cetak/{version.id}", data=_form(version, "q1"))
    assert r.status_code == 302 and composed == []


def test_the_prepare_job_skips_what_the_submit_would_refuse(operator, make_version):
    """A form's check job that meets a version no longer approved, a stock gone or another label
    size prepares nothing and does not fail (the submit refuses those itself, with its message)."""
    from studio.designs.models import VersionStatus

    version = make_version()
    for payload, why in (({"layout_id": "no-such-stock"}, "no such stock"),
                         ({"layout_id": "avery-l7651"}, "another label size"),
                         ({"printer_id": 999}, "no such printer")):
        job = jobs.submit(PREPARE_KIND, {"version_id": version.id, "layout_id": version.layout_id,
                                         "printer_id": None, **payload})
        db.session.refresh(job)
        assert job.status == "done" and job.result == {"skipped": why}
    version.status = VersionStatus.SUBMITTED
    db.session.commit()
    job = jobs.submit(PREPARE_KIND, {"version_id": version.id, "layout_id": version.layout_id, "printer_id": None})
    db.session.refresh(job)
    assert job.status == "done" and job.result == {"skipped": "not approved"}
