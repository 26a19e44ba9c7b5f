"""A halal-certified product's label is blocked only by the missing official halal logo; an admin
uploads it. The producer's design page then offers sending (it read the blocker count stored
before the upload and stayed stuck), the steps agree, and a direct POST sends the label."""
from __future__ import annotations

import io

from markupsafe import escape
from PIL import Image

from studio.designs import services as designs
from studio.designs.models import DesignVersion
from studio.extensions import db
from studio.preflight import blocking

NUTRITION = {"allergens_confirmed": "kacang tanah", "nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam",
             "nutrition.fat": "24", "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62",
             "nutrition.sugar": "9", "nutrition.sodium_mg": "520", "nutrition.source": "umk_default_table"}
SEND = "Kirim ke pendamping"


def _admin_uploads_the_official_logo(client, login, create_user) -> None:
    login(create_user("admin"))
    buf = io.BytesIO()
    Image.new("RGB", (400, 400), (103, 0, 117)).save(buf, "PNG")
    r = client.post("/admin/logo-halal", data={"file": (io.BytesIO(buf.getvalue()), "halal.png"), "confirm": "y"},
                    content_type="multipart/form-data")
    assert r.status_code == 302


def test_uploading_the_halal_logo_unblocks_the_design_page_and_the_send(app, client, login, create_user,
                                                                      make_ready_product):
    product = make_ready_product(**NUTRITION)
    producer = product.owner
    design = designs.start_design(producer, product.id, "a4-nup-2x2-94x134", "bersih")
    assert [f["rule_id"] for f in blocking(design.findings)] == ["HALAL-02"] and design.blocker_count == 1
    login(producer)
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert SEND not in page and "Logo halal" in page

    _admin_uploads_the_official_logo(client, login, create_user)

    login(producer)
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert SEND in page and "masalah berat belum bisa dikirim" not in page
    overview = client.get(f"/produk/{product.id}").get_data(as_text=True)
    assert "masalah yang menghalangi" not in overview
    r = client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)
    assert "terkirim" in r.get_data(as_text=True)
    assert db.session.query(DesignVersion).filter_by(product_id=product.id).count() == 1


def test_uploading_the_halal_logo_unblocks_a_pack_design_too(app, client, login, create_user, make_ready_product):
    """The wrap label of the same halal product held the same stored "logo missing" blocker; it is
    refreshed with the label designs (before, only label designs were, and the Kemasan page kept
    the blocker until the producer's next change)."""
    from studio.designs.models import Design
    from studio.packs import services as packs

    product = make_ready_product(**NUTRITION)
    producer = product.owner
    wrap = packs.start_pack_design(producer, product.id, "jar-100x110")
    halal = [f for f in blocking(wrap.findings) if f["rule_id"] == "HALAL-02"]
    assert halal
    shown = str(escape(halal[0]["message_id"]))
    login(producer)
    assert shown in client.get(f"/produk/{product.id}/kemasan?jenis=wrap").get_data(as_text=True)
    before = wrap.blocker_count
    document = wrap.document

    _admin_uploads_the_official_logo(client, login, create_user)

    db.session.expire_all()
    wrap = db.session.get(Design, wrap.id)
    assert "HALAL-02" not in [f["rule_id"] for f in blocking(wrap.findings)]
    assert wrap.blocker_count == before - 1 and wrap.document == document
    login(producer)
    page = client.get(f"/produk/{product.id}/kemasan?jenis=wrap").get_data(as_text=True)
    assert "Pemeriksaan label per panel" in page and shown not in page


def test_a_pack_that_cannot_be_composed_does_not_stop_the_label_refresh(app, client, login, create_user,
                                                                       make_ready_product, monkeypatch):
    from studio.designs.models import Design
    from studio.packs import services as packs

    product = make_ready_product(**NUTRITION)
    producer = product.owner
    label = designs.start_design(producer, product.id, "a4-nup-2x2-94x134", "bersih")
    wrap = packs.start_pack_design(producer, product.id, "jar-100x110")
    assert label.blocker_count == 1 and wrap.blocker_count >= 1

    def broken(_design):
        raise RuntimeError("pack geometry unreadable")

    monkeypatch.setattr(packs, "prepare_pack", broken)
    _admin_uploads_the_official_logo(client, login, create_user)
    db.session.expire_all()
    assert db.session.get(Design, label.id).blocker_count == 0
    assert "HALAL-02" in [f["rule_id"] for f in blocking(db.session.get(Design, wrap.id).findings)]
