"""The review state machine through the services (no HTTP)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from studio.review import services as review
from studio.designs.models import DesignVersion, VersionStatus
from studio.errors import Conflict, Forbidden, Invalid, NotFound
from studio.extensions import db
from studio.media import media


def test_submit_freezes_a_version_with_preview_pdf_and_findings(setup):
    trainer, producer, product, design = setup
    v = review.submit_for_review(producer, design.id)
    assert v.number == 1 and v.status == VersionStatus.SUBMITTED and v.lock_version == 1
    assert v.product_revision_id == product.current_revision_id
    assert v.document == design.document and v.layout_id == design.layout_id
    assert media().read(v.preview_key)[:8] == b"\x89PNG\r\n\x1a\n"
    assert media().read(v.pdf_key)[:5] == b"%PDF-"
    assert isinstance(v.findings, list) and not any(f["severity"] == "BLOCKER" for f in v.findings)
    assert [i.version.id for i in review.review_queue(trainer)] == [v.id]


def test_design_with_a_blocker_cannot_be_submitted(cohort_with, design_for):
    _c, trainer, (producer,) = cohort_with(1)
    _product, design = design_for(producer, pirt_number=None)       # no permit number: PERMIT-01
    with pytest.raises(Invalid) as e:
        review.submit_for_review(producer, design.id)
    assert e.value.field == "submit" and "masalah yang harus diperbaiki" in e.value.message and "izin edar" in e.value.message.lower()
    assert db.session.query(DesignVersion).count() == 0
    db.session.refresh(design)
    assert design.blocker_count >= 1
    assert any(f["rule_id"] == "PERMIT-01" and f["severity"] == "BLOCKER" for f in design.findings)
    assert review.review_queue(trainer) == []


def test_changes_requested_then_resubmitted_then_approved(setup):
    from studio.designs.services import DesignChanges, update_design

    trainer, producer, product, design = setup
    v1 = review.submit_for_review(producer, design.id)
    review.add_comment(trainer, v1.id, "QR terlalu dekat tepi, geser ke kiri.", x_mm=80.0, y_mm=50.0)
    review.request_changes(trainer, v1.id, v1.lock_version, "Perbaiki posisi QR.")
    assert v1.status == VersionStatus.CHANGES_REQUESTED and v1.decided_by_id == trainer.id
    assert review.review_queue(trainer) == []
    assert [c.body for c in v1.comments] == ["QR terlalu dekat tepi, geser ke kiri.", "Perbaiki posisi QR."]
    assert (v1.comments[0].x_mm, v1.comments[0].y_mm) == (80.0, 50.0)

    update_design(producer, design.id, DesignChanges(style_id="alami"))
    v2 = review.submit_for_review(producer, design.id)
    assert v2.number == 2 and v2.status == VersionStatus.SUBMITTED
    review.approve(trainer, v2.id, v2.lock_version)
    assert v2.status == VersionStatus.APPROVED and v1.status == VersionStatus.CHANGES_REQUESTED


def test_approved_version_stays_frozen_when_the_design_changes(setup):
    from studio.designs.services import DesignChanges, update_design

    trainer, producer, product, design = setup
    v1 = review.submit_for_review(producer, design.id)
    review.approve(trainer, v1.id, v1.lock_version)
    frozen = (dict(v1.document), v1.style_id, v1.product_revision_id, v1.preview_key)
    with pytest.raises(Conflict):
        review.submit_for_review(producer, design.id)           # nothing changed since approval
    update_design(producer, design.id, DesignChanges(style_id="premium"))
    assert review.working_copy_changed(design, v1)
    v2 = review.submit_for_review(producer, design.id)
    db.session.refresh(v1)
    assert v1.status == VersionStatus.APPROVED
    assert (v1.document, v1.style_id, v1.product_revision_id, v1.preview_key) == frozen
    assert v2.number == 2 and v2.status == VersionStatus.SUBMITTED and v2.style_id == "premium"


def test_new_product_data_needs_a_new_version(setup):
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    trainer, producer, product, design = setup
    v1 = review.submit_for_review(producer, design.id)
    review.approve(trainer, v1.id, v1.lock_version)
    changed = check_product_data({**product.current_revision.data, "net_quantity": "200 g"}).data
    add_revision(producer, product, changed, complete_label=True)
    v2 = review.submit_for_review(producer, design.id)
    assert v2.product_revision_id == product.current_revision_id != v1.product_revision_id
    comparison = review.compare_versions(trainer, v2.id, v1.id)
    assert comparison.a.id == v1.id and any(c.field == "net_quantity" for c in comparison.data_changes)


def test_two_trainers_deciding_at_once_only_one_wins(setup, create_user):
    from studio.cohorts.services import add_trainer, list_cohorts

    trainer, producer, product, design = setup
    admin = create_user("admin")
    second = create_user("trainer")
    add_trainer(admin, list_cohorts(trainer)[0].id, second.id)
    v = review.submit_for_review(producer, design.id)
    seen = v.lock_version                        # both trainers opened the page at this lock version
    review.approve(trainer, v.id, seen)
    with pytest.raises(Conflict) as e:
        review.request_changes(second, v.id, seen, "Ganti warna.")
    assert "sudah diputuskan" in e.value.message and trainer.display_name in e.value.message
    db.session.refresh(v)
    assert v.status == VersionStatus.APPROVED and v.decided_by_id == trainer.id
    assert [c.body for c in v.comments] == []


def test_a_concurrent_commit_is_caught_by_the_database_lock(setup):
    trainer, producer, product, design = setup
    v = review.submit_for_review(producer, design.id)
    # another process decides between our read and our write: the row's lock_version moves on
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE design_versions SET lock_version = lock_version + 1, status = 'approved' "
                          "WHERE id = :id"), {"id": v.id})
    with pytest.raises(Conflict):
        review.approve(trainer, v.id, 1)        # the session still holds lock_version 1


def test_producer_cannot_approve_even_their_own_design(setup):
    trainer, producer, product, design = setup
    v = review.submit_for_review(producer, design.id)
    with pytest.raises(Forbidden):
        review.approve(producer, v.id, v.lock_version)
    with pytest.raises(Forbidden):
        review.review_queue(producer)


def test_trainer_of_another_cohort_cannot_see_or_act(setup, cohort_with):
    _trainer, producer, _product, design = setup
    _c, outsider, _ps = cohort_with(0)
    v = review.submit_for_review(producer, design.id)
    assert review.review_queue(outsider) == []
    for act in (lambda: review.get_version(outsider, v.id),
                lambda: review.approve(outsider, v.id, v.lock_version),
                lambda: review.add_comment(outsider, v.id, "halo")):
        with pytest.raises(NotFound):
            act()


def test_resubmitting_withdraws_the_pending_version(setup):
    from studio.designs.services import DesignChanges, update_design

    trainer, producer, _product, design = setup
    v1 = review.submit_for_review(producer, design.id)
    with pytest.raises(Conflict):
        review.submit_for_review(producer, design.id)
    update_design(producer, design.id, DesignChanges(style_id="berani"))
    v2 = review.submit_for_review(producer, design.id)
    assert v1.status == VersionStatus.WITHDRAWN
    assert [i.version.id for i in review.review_queue(trainer)] == [v2.id]
    with pytest.raises(Conflict) as e:
        review.approve(trainer, v1.id, 1)
    assert "lebih baru" in e.value.message


def test_queue_is_oldest_first_across_the_cohort(cohort_with, design_for):
    _c, trainer, (p1, p2) = cohort_with(2)
    _a, d1 = design_for(p1)
    _b, d2 = design_for(p2, name="Kopi Bubuk Arabika")
    first = review.submit_for_review(p2, d2.id)
    second = review.submit_for_review(p1, d1.id)
    assert [i.version.id for i in review.review_queue(trainer)] == [first.id, second.id]
    assert review.next_in_queue(trainer, after=first).id == second.id
    # "next" is the oldest other waiting submission, only the trainer's own cohorts, never for a producer
    assert review.next_in_queue(trainer).id == first.id
    assert review.next_in_queue(trainer, after=second).id == first.id
    _c2, other_trainer, _ps = cohort_with(1)
    assert review.next_in_queue(other_trainer) is None
    with pytest.raises(Forbidden):
        review.next_in_queue(p1)
    review.approve(trainer, first.id, first.lock_version)
    assert review.next_in_queue(trainer, after=second) is None


def test_comment_pins_must_be_on_the_label(setup):
    trainer, producer, _p, design = setup
    v = review.submit_for_review(producer, design.id)
    with pytest.raises(Invalid):
        review.add_comment(trainer, v.id, "di luar", x_mm=500.0, y_mm=5.0)
    with pytest.raises(Invalid):
        review.add_comment(trainer, v.id, "   ")
    with pytest.raises(Invalid):
        review.request_changes(trainer, v.id, v.lock_version, "")
    general = review.add_comment(producer, v.id, "Sudah saya perbaiki.")
    assert general.x_mm is None


def test_compare_lists_option_and_document_changes(setup):
    from studio.designs.services import DesignChanges, update_design

    trainer, producer, _p, design = setup
    v1 = review.submit_for_review(producer, design.id)
    update_design(producer, design.id, DesignChanges(options={"show_qr": False}))
    v2 = review.submit_for_review(producer, design.id)
    c = review.compare_versions(trainer, v1.id, v2.id)
    assert any(ch.field == "show_qr" for ch in c.option_changes)
    assert any(ch.tag == "qr" and ch.new_text for ch in c.document_changes)
    assert c.data_changes == []


def test_a_version_renders_what_it_froze_after_the_design_changes(setup):
    """prepare_design renders a RenderSource: from a version, its frozen document and style, not the
    working copy edited since."""
    import dataclasses

    from studio.designs.services import DesignChanges, prepare_design, update_design
    from studio.designs.source import source_of_design, source_of_version
    from studio.labels import LabelDocument

    trainer, producer, product, design = setup
    v = review.submit_for_review(producer, design.id)
    update_design(producer, design.id, DesignChanges(style_id="alami"))
    frozen, working = source_of_version(v), source_of_design(design)
    assert (frozen.style_id, working.style_id) == (v.style_id, "alami") and frozen.document != working.document
    with pytest.raises(dataclasses.FrozenInstanceError):
        frozen.style_id = "alami"
    r = prepare_design(frozen, compose_now=False)
    assert r.document.to_dict() == LabelDocument.from_dict(v.document).to_dict()
    assert r.document.to_dict() != prepare_design(design, compose_now=False).document.to_dict()
