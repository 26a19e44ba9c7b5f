"""A trainer cannot approve a label whose QR code would open an address a buyer's phone cannot
(127.0.0.1, the default before the hub is set up): the approved PDF is what the hub prints, and the
hub refuses that address too. The review page says why and who sets the address; a direct POST is
refused the same way. Once the address works, the approved PDF carries it in its QR code, also for
a version that was sent while the address was still 127.0.0.1.
Before: the approval went through and the approved PDF decoded to http://127.0.0.1:5000/p/…"""
from __future__ import annotations

import re

import numpy as np
import pypdfium2 as pdfium
import zxingcpp

from studio.designs.models import DesignVersion, VersionStatus
from studio.extensions import db
from studio.review import services as review

GOOD = "https://katalog.rumahpintar-jombang.example/blonjo"


def _qr_texts(pdf: bytes) -> set[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        im = doc[0].render(scale=200 / 72).to_pil().convert("L")
    finally:
        doc.close()
    return {r.text for r in zxingcpp.read_barcodes(np.asarray(im), formats=zxingcpp.BarcodeFormat.QRCode)}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_approval_waits_for_an_address_phones_can_open(setup, app, login):
    trainer, producer, product, design = setup
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    with app.test_request_context():
        version = review.submit_for_review(producer, design.id)      # sending for review is allowed
    client = login(trainer)
    page = _text(client.get(f"/tinjauan/{version.id}").get_data(as_text=True))
    assert "belum bisa disetujui" in page and "127.0.0.1" in page and "Pengaturan hub" in page
    assert 'id="approve-btn"' not in client.get(f"/tinjauan/{version.id}").get_data(as_text=True)

    r = client.post(f"/tinjauan/{version.id}/putuskan",               # a direct POST skipping the page
                    data={"decision": "approve", "lock_version": version.lock_version})
    assert r.status_code == 400
    said = _text(r.get_data(as_text=True))
    assert "belum bisa disetujui" in said and "127.0.0.1" in said and "Pengaturan hub" in said
    db.session.refresh(version)
    assert version.status == VersionStatus.SUBMITTED and version.decided_by_id is None

    app.config["PUBLIC_BASE_URL"] = GOOD                               # the admin sets the address
    r = client.post(f"/tinjauan/{version.id}/putuskan",
                    data={"decision": "approve", "lock_version": version.lock_version})
    assert r.status_code == 302
    version = db.session.get(DesignVersion, version.id)
    assert version.status == VersionStatus.APPROVED
    pdf = client.get(f"/tinjauan/versi/{version.id}/label.pdf").get_data()
    assert _qr_texts(pdf) == {f"{GOOD}/p/{product.public_code}"}


def test_a_label_that_blocks_and_a_local_address_are_named_together(setup, app, login):
    """Both reasons at once: the producer's (a permit number missing from the frozen label) and the
    hub's (the address), on the page and on a direct POST; neither hides the other."""
    trainer, producer, product, design = setup
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    with app.test_request_context():
        version = review.submit_for_review(producer, design.id)
    doc = dict(version.document)
    doc["items"] = [i for i in doc["items"] if i.get("tag") != "pdp.permit"]
    version.document = doc
    db.session.commit()
    client = login(trainer)
    r = client.post(f"/tinjauan/{version.id}/putuskan",
                    data={"decision": "approve", "lock_version": version.lock_version})
    said = _text(r.get_data(as_text=True))
    assert r.status_code == 400 and "Nomor izin edar" in said and "127.0.0.1" in said
    page = _text(client.get(f"/tinjauan/{version.id}").get_data(as_text=True))
    assert "Nomor izin edar" in page and "127.0.0.1" in page
