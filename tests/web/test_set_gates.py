"""The gates judge a label SET as one label: a blocker on the back sticker stops sending, approving,
printing and publishing, also on a direct POST that skips the UI; nothing changes."""
from __future__ import annotations

import json

from test_gates import COFFEE, _flash, _job_form, people  # noqa: F401 (fixture)

from studio.catalogue.models import Listing
from studio.designs.models import DesignVersion, VersionStatus
from studio.extensions import db
from studio.printing.models import PrintJob

SET_STOCK = "avery-l7160"       # A4 63.5 x 38.1: the coffee's label fits as front + back


def _set_design(producer, create_product):
    from studio.designs.services import start_design
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    product = create_product(producer, COFFEE["name"], COFFEE["product_class"])
    add_revision(producer, product, check_product_data(dict(COFFEE)).data, complete_label=True, percent=100)
    design = start_design(producer, product.id, SET_STOCK, "bersih", label_set="front_back")
    assert design.blocker_count == 0, design.findings
    return product, design


def _without_back_ingredients(document: dict) -> dict:
    doc = json.loads(json.dumps(document))
    doc["panels"]["back"]["items"] = [i for i in doc["panels"]["back"]["items"]
                                      if i.get("tag") not in ("ingredients", "allergen_stmt")]
    return doc


def _approved_set(app, people, create_product):  # noqa: F811
    from studio.review.services import approve, submit_for_review

    trainer, producer, _hub = people
    with app.test_request_context():
        product, design = _set_design(producer, create_product)
        version = submit_for_review(producer, design.id)
        return product, approve(trainer, version.id, version.lock_version)


def test_send_refuses_a_set_whose_back_sticker_blocks(app, people, create_product, login):  # noqa: F811
    producer = people[1]
    with app.test_request_context():
        product, design = _set_design(producer, create_product)
    design.document = _without_back_ingredients(design.document)
    db.session.commit()
    r = login(producer).post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)
    text = _flash(r.get_data(as_text=True))
    assert "Label masih punya" in text and "Perbaiki di langkah Desain" in text
    assert db.session.query(DesignVersion).count() == 0


def test_approve_and_print_refuse_a_set_whose_frozen_back_sticker_blocks(app, people, create_product,  # noqa: F811
                                                                       login):
    trainer, _producer, hub = people
    from studio.review.services import submit_for_review

    with app.test_request_context():
        _product, design = _set_design(people[1], create_product)
        version = submit_for_review(people[1], design.id)
    version.document = _without_back_ingredients(version.document)
    db.session.commit()
    r = login(trainer).post(f"/tinjauan/{version.id}/putuskan",
                            data={"decision": "approve", "lock_version": version.lock_version})
    assert r.status_code == 400 and "masalah yang harus diperbaiki" in _flash(r.get_data(as_text=True))
    db.session.refresh(version)
    assert version.status == VersionStatus.SUBMITTED
    assert any(f["rule_id"] == "ING-01" and f.get("panel") == "back" for f in version.findings)
    # an approved set whose frozen back lost its ingredients (an old or forged version): the print job refuses
    version.status = VersionStatus.APPROVED
    version.findings = [f for f in version.findings if f.get("rule_id") != "ING-01"
                        and str(f.get("severity")).upper() != "BLOCKER"]
    db.session.commit()
    r = login(hub).post(f"/hub/cetak/{version.id}", data=_job_form(version.id, layout_id=SET_STOCK),
                        follow_redirects=True)
    assert "masalah yang harus diperbaiki" in _flash(r.get_data(as_text=True))
    assert db.session.query(PrintJob).count() == 0


def test_an_approved_set_prints_and_publish_refuses_a_back_blocker(app, people, create_product, login):  # noqa: F811
    hub = people[2]
    product, version = _approved_set(app, people, create_product)
    r = login(hub).post(f"/hub/cetak/{version.id}", data=_job_form(version.id, layout_id=SET_STOCK, quantity="3"))
    assert r.status_code == 302, _flash(r.get_data(as_text=True))[:400]
    job = db.session.query(PrintJob).one()
    assert job.copies == 3                          # 3 sets: 6 stickers
    version.findings = list(version.findings or []) + [{
        "source": "preflight", "rule_id": "ING-01", "code": "ING-01", "severity": "BLOCKER", "panel": "back",
        "message_id": "Daftar bahan tidak muat di label belakang.", "message_en": "The ingredients do not fit.",
        "tag": "ingredients"}]
    db.session.commit()
    # publishing and printing judge the findings stored with the set (the product has no photo yet, so
    # the publish page stops earlier; the shared release rule is asked directly)
    from studio.designs.gates import release_problems

    with app.test_request_context():
        assert any("Daftar bahan tidak muat di label belakang" in p for p in release_problems(product, version))
    r = login(hub).post(f"/hub/cetak/{version.id}", data=_job_form(version.id, layout_id=SET_STOCK,
                                                                     request_key="again"), follow_redirects=True)
    assert "Daftar bahan tidak muat di label belakang" in _flash(r.get_data(as_text=True))
    assert db.session.query(PrintJob).count() == 1 and db.session.query(Listing).count() == 0
