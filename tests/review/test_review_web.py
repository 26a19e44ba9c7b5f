"""The review pages through HTTP: producer submit, trainer queue and decisions, permissions."""
from __future__ import annotations

import json
import re

from studio.review import services as review
from studio.designs.models import DesignVersion, VersionStatus
from studio.extensions import db


def _submit(app, producer, design):
    with app.test_request_context():
        return review.submit_for_review(producer, design.id)


def test_producer_submits_from_the_review_page(setup, login):
    trainer, producer, product, design = setup
    client = login(producer)
    page = client.get(f"/produk/{product.id}/tinjauan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kirim ke pendamping" in html and "disabled" not in html.split("Kirim ke pendamping")[0][-200:]
    r = client.post(f"/produk/{product.id}/tinjauan/kirim")
    assert r.status_code == 302
    v = db.session.scalar(db.select(DesignVersion))
    assert v.status == VersionStatus.SUBMITTED and v.submitted_by_id == producer.id
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Versi 1 terkirim" in page and "Menunggu pendamping" in page


def test_submit_button_is_disabled_with_the_reasons_when_a_blocker_exists(cohort_with, design_for, login):
    _c, _t, (producer,) = cohort_with(1)
    product, design = design_for(producer, pirt_number=None)
    client = login(producer)
    html = client.get(f"/produk/{product.id}/tinjauan").get_data(as_text=True)
    assert re.search(r'<button type="submit" class="button primary wide" disabled', html)
    assert "Belum bisa dikirim" in html and "izin edar" in html.lower()
    r = client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)
    assert "1 masalah yang harus diperbaiki" in r.get_data(as_text=True)   # was "BLOCKER" (jargon)
    assert db.session.query(DesignVersion).count() == 0


def test_trainer_queue_and_version_page(setup, app, login):
    trainer, producer, product, design = setup
    v = _submit(app, producer, design)
    client = login(trainer)
    queue = client.get("/tinjauan").get_data(as_text=True)
    assert product.name in queue and f"/tinjauan/{v.id}" in queue
    page = client.get(f"/tinjauan/{v.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'name="lock_version" value="{v.lock_version}"' in html
    assert "Pemeriksaan otomatis" in html and "Data produk" in html and "Kopi Bubuk Robusta" in html
    assert client.get(f"/tinjauan/versi/{v.id}/pratinjau.png").mimetype == "image/png"
    assert client.get(f"/tinjauan/versi/{v.id}/label.pdf").get_data()[:5] == b"%PDF-"


def test_pinned_comment_request_changes_and_the_producer_sees_it(setup, app, login):
    trainer, producer, product, design = setup
    v = _submit(app, producer, design)
    client = login(trainer)
    r = client.post(f"/tinjauan/{v.id}/komentar", data={"body": "Geser QR ke kiri", "x_mm": "80.5", "y_mm": "40"})
    assert r.status_code == 302
    page = client.get(f"/tinjauan/{v.id}").get_data(as_text=True)
    assert 'data-pin="1"' in page and "Geser QR ke kiri" in page   # the list numbers it like its pin
    r = client.post(f"/tinjauan/{v.id}/putuskan",
                    data={"decision": "changes", "lock_version": v.lock_version, "body": "Perbaiki QR."})
    assert r.status_code == 302 and r.headers["Location"].endswith("/tinjauan")
    db.session.refresh(v)
    assert v.status == VersionStatus.CHANGES_REQUESTED
    assert [(c.body, c.x_mm) for c in v.comments] == [("Geser QR ke kiri", 80.5), ("Perbaiki QR.", None)]
    html = login(producer).get(f"/produk/{product.id}/tinjauan").get_data(as_text=True)
    assert "Perlu perbaikan" in html and "Geser QR ke kiri" in html and 'class="pin"' in html
    assert 'data-pin="1"' in html


def test_two_sessions_with_the_same_lock_version_exactly_one_wins(setup, app, create_user, login):
    trainer, producer, product, design = setup
    v = _submit(app, producer, design)
    seen = v.lock_version
    other = app.test_client()
    tab = login(trainer)                            # the fixture's client = first browser tab
    # the second tab logs in after the first (a logout would end every session of the account)
    other.post("/masuk", data={"login": trainer.username, "password": "rahasia123"})
    first = tab.post(f"/tinjauan/{v.id}/putuskan", data={"decision": "approve", "lock_version": seen})
    second = other.post(f"/tinjauan/{v.id}/putuskan",
                        data={"decision": "changes", "lock_version": seen, "body": "Ganti warna."})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "sudah diputuskan" in second.get_data(as_text=True)
    db.session.expire_all()
    v = db.session.get(DesignVersion, v.id)
    assert v.status == VersionStatus.APPROVED and len(v.comments) == 0


def test_after_a_decision_the_next_submission_opens(cohort_with, design_for, app, login):
    _c, trainer, (p1, p2) = cohort_with(2)
    _a, d1 = design_for(p1)
    _b, d2 = design_for(p2, name="Kopi Bubuk Arabika")
    v1, v2 = _submit(app, p1, d1), _submit(app, p2, d2)
    r = login(trainer).post(f"/tinjauan/{v1.id}/putuskan", data={"decision": "approve", "lock_version": 1})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/tinjauan/{v2.id}")


def test_producer_cannot_open_or_decide_their_own_submission(setup, app, login):
    _trainer, producer, _product, design = setup
    v = _submit(app, producer, design)
    client = login(producer)
    assert client.get(f"/tinjauan/{v.id}").status_code == 403
    assert client.post(f"/tinjauan/{v.id}/putuskan", data={"decision": "approve", "lock_version": 1}).status_code == 403
    assert client.get("/tinjauan").status_code == 403
    db.session.refresh(v)
    assert v.status == VersionStatus.SUBMITTED


def test_trainer_of_another_cohort_gets_404_everywhere(setup, app, cohort_with, login):
    _trainer, producer, product, design = setup
    _c, outsider, _ps = cohort_with(0)
    v = _submit(app, producer, design)
    client = login(outsider)
    assert product.name not in client.get("/tinjauan").get_data(as_text=True)
    for url in (f"/tinjauan/{v.id}", f"/tinjauan/versi/{v.id}/pratinjau.png", f"/tinjauan/versi/{v.id}/label.pdf",
                f"/tinjauan/banding?a={v.id}&b={v.id}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/tinjauan/{v.id}/putuskan", data={"decision": "approve", "lock_version": 1}).status_code == 404
    assert client.post(f"/tinjauan/{v.id}/komentar", data={"body": "hai"}).status_code == 404


def test_compare_page_shows_both_versions_and_changes(setup, app, login):
    from studio.designs.services import DesignChanges, update_design

    trainer, producer, product, design = setup
    v1 = _submit(app, producer, design)
    with app.test_request_context():
        update_design(producer, design.id, DesignChanges(options={"show_qr": False}))
    v2 = _submit(app, producer, design)
    html = login(producer).get(f"/tinjauan/banding?a={v1.id}&b={v2.id}").get_data(as_text=True)
    assert f"/tinjauan/versi/{v1.id}/pratinjau.png" in html and f"/tinjauan/versi/{v2.id}/pratinjau.png" in html
    assert "Kode QR" in html and "dihapus" in html


def test_cli_prints_the_findings_as_json(cohort_with, design_for, app):
    _c, _t, (producer,) = cohort_with(1)
    product, _design = design_for(producer, pirt_number=None)
    result = app.test_cli_runner().invoke(args=["studio", "preflight", "--product", str(product.id), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["product_id"] == product.id and data["blockers"] >= 1
    assert any(f["rule_id"] == "PERMIT-01" and f["severity"] == "BLOCKER" and f["tag"] == "pdp.permit"
               for f in data["findings"])


def _whatsapp_text(page: str) -> str:
    from urllib.parse import unquote

    link = re.search(r'href="(https://wa\.me/[^"]+)"', page)
    assert link, "no WhatsApp button after the decision"
    return unquote(link.group(1).replace("&amp;", "&"))


def test_after_a_decision_the_whatsapp_message_says_what_was_decided(cohort_with, design_for, app, login):
    """The page after a decision reuses what the decision loaded (no second read of the version):
    the WhatsApp message still tells the producer the new status and the note just written."""
    _c, trainer, (p1, p2) = cohort_with(2)
    _a, d1 = design_for(p1)
    _b, d2 = design_for(p2, name="Kopi Bubuk Arabika")
    v1, v2 = _submit(app, p1, d1), _submit(app, p2, d2)
    client = login(trainer)
    r = client.post(f"/tinjauan/{v1.id}/putuskan",
                    data={"decision": "changes", "lock_version": 1, "body": "Huruf komposisi terlalu kecil."})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/tinjauan/{v2.id}")
    text = _whatsapp_text(client.get(r.headers["Location"]).get_data(as_text=True))
    assert "versi 1 perlu perbaikan: Huruf komposisi terlalu kecil." in text
    r = client.post(f"/tinjauan/{v2.id}/putuskan", data={"decision": "approve", "lock_version": 1})
    assert r.status_code == 302 and r.headers["Location"].endswith("/tinjauan")
    text = _whatsapp_text(client.get(r.headers["Location"]).get_data(as_text=True))
    assert "Kopi Bubuk Arabika versi 1 sudah disetujui" in text
    db.session.expire_all()
    assert [db.session.get(DesignVersion, v.id).status for v in (v1, v2)] == [
        VersionStatus.CHANGES_REQUESTED, VersionStatus.APPROVED]
    # a second decision on the same version is refused with the stale lock_version
    again = client.post(f"/tinjauan/{v2.id}/putuskan", data={"decision": "changes", "lock_version": 1,
                                                             "body": "Ganti warna."})
    assert again.status_code == 409
