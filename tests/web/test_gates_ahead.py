"""The gates' checks run ahead on the jobs seam (issue 20): once per day and code version the labels
waiting for a trainer, and after each approval the labels in the print queue, are checked into the
content-hash cache, so approving and printing compose nothing while the user waits. The gates are
still server rules in their own request: a label changed after the check ahead is refused by a
direct POST."""
from __future__ import annotations

import shutil

from test_gates import _flash, _job_form, _submitted, people  # noqa: F401 (fixture)

from studio import cache, jobs
from studio.designs import preflight as design_preflight
from studio.designs.models import DesignVersion, VersionStatus
from studio.extensions import db
from studio.printing import tasks as print_tasks
from studio.printing.models import PrintJob
from studio.review import tasks as review_tasks


def _new_day() -> None:
    """Every check forgotten, as on the next day or after an update (the key has both)."""
    shutil.rmtree(cache.root() / design_preflight.CHECKED_FINDINGS, ignore_errors=True)
    review_tasks._last.clear()


def _counting(monkeypatch) -> list[int]:
    runs: list[int] = []
    real = design_preflight.findings_for
    monkeypatch.setattr(design_preflight, "findings_for", lambda *a, **kw: runs.append(1) or real(*a, **kw))
    return runs


def _jobs(kind: str) -> list:
    return list(db.session.scalars(db.select(jobs.Job).where(jobs.Job.kind == kind)))


def _without_permit(version: DesignVersion) -> None:
    doc = dict(version.document)
    doc["items"] = [i for i in doc["items"] if i.get("tag") != "pdp.permit"]
    version.document = doc
    db.session.commit()


def test_waiting_labels_are_checked_ahead_and_a_changed_one_is_still_refused(app, people, create_product, login,
                                                                            monkeypatch):
    trainer = people[0]
    _p1, good = _submitted(app, people, create_product)
    _p2, changed = _submitted(app, people, create_product, name="Kopi Bubuk Arabika")
    _new_day()
    review_tasks.warm_review_checks_when_due()          # the jobs ticker (jobs run inline in the tests)
    review_tasks.warm_review_checks_when_due()          # once per day and code version
    done = _jobs(review_tasks.WARM_KIND)
    assert len(done) == 1 and done[0].status == "done" and done[0].result["checked"] == 2
    runs = _counting(monkeypatch)
    client = login(trainer)
    r = client.post(f"/tinjauan/{good.id}/putuskan", data={"decision": "approve", "lock_version": good.lock_version})
    assert r.status_code == 302 and len(runs) == 0      # nothing composed or decoded while the trainer waits
    db.session.refresh(good)
    assert good.status == VersionStatus.APPROVED
    _without_permit(changed)                            # changed after the check ahead: checked now, refused
    r = client.post(f"/tinjauan/{changed.id}/putuskan",
                    data={"decision": "approve", "lock_version": changed.lock_version})
    assert r.status_code == 400 and len(runs) == 1
    assert "masalah yang harus diperbaiki: Nomor izin edar" in _flash(r.get_data(as_text=True))
    db.session.refresh(changed)
    assert changed.status == VersionStatus.SUBMITTED and changed.decided_by_id is None


def test_the_print_queue_is_checked_ahead_and_a_changed_label_is_still_refused(app, people, create_product, login,
                                                                              monkeypatch):
    trainer, _producer, hub = people
    _product, version = _submitted(app, people, create_product)
    r = login(trainer).post(f"/tinjauan/{version.id}/putuskan",
                            data={"decision": "approve", "lock_version": version.lock_version})
    assert r.status_code == 302
    _new_day()
    print_tasks.warm_print_checks_when_due()
    print_tasks.warm_print_checks_when_due()            # nothing new approved: not again
    done = _jobs(print_tasks.PRINT_WARM_KIND)
    assert len(done) == 1 and done[0].status == "done" and done[0].result == {"checked": 1, "failed": 0}
    runs = _counting(monkeypatch)
    client = login(hub)
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, request_key="ahead-1"))
    assert r.status_code == 302 and len(runs) == 0      # the print check was ready
    _without_permit(version)
    r = client.post(f"/hub/cetak/{version.id}", data=_job_form(version.id, request_key="ahead-2"))
    assert r.status_code == 400 and len(runs) == 1
    assert "masalah yang harus diperbaiki: Nomor izin edar" in _flash(r.get_data(as_text=True))
    assert db.session.query(PrintJob).count() == 1
    # another approval: the next pass checks only the label approved since the last one
    _p2, other = _submitted(app, people, create_product, name="Kopi Bubuk Arabika")
    r = login(trainer).post(f"/tinjauan/{other.id}/putuskan",
                            data={"decision": "approve", "lock_version": other.lock_version})
    assert r.status_code == 302
    print_tasks.warm_print_checks_when_due()
    done = _jobs(print_tasks.PRINT_WARM_KIND)
    assert len(done) == 2 and done[-1].status == "done" and done[-1].result == {"checked": 1, "failed": 0}
