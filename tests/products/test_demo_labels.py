"""The demo's designed label is honest: the studio cannot ship the official Halal Indonesia logo, so
the halal-certified kopi waits for an admin to upload it, and then nothing else holds it back."""
from __future__ import annotations

from studio.extensions import db


def test_demo_kopi_label_waits_only_for_the_official_halal_logo(app):
    import io

    from PIL import Image

    from studio import demo
    from studio.auth.models import User
    from studio.designs import assets
    from studio.designs.models import Design, DesignVersion
    from studio.review.services import submit_for_review
    from studio.products.models import Product

    with app.test_request_context():
        demo.seed()
        kopi = db.session.scalar(db.select(Product).where(Product.name == "Kopi Bubuk Robusta"))
        design = db.session.scalar(db.select(Design).where(Design.product_id == kopi.id, Design.kind == "label"))
        blockers = [f["code"] for f in design.findings if f["severity"] == "BLOCKER" and not f.get("overridden")]
        assert blockers == ["HALAL-02"]                                 # the official logo is not uploaded
        assert db.session.scalar(db.select(db.func.count(DesignVersion.id))) == 0   # so not sent for review
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        png = io.BytesIO()
        Image.new("RGB", (300, 300), (30, 120, 60)).save(png, "PNG")
        assets.upload_halal_logo(admin, png.getvalue(), "halal.png")   # an admin uploads it once
        version = submit_for_review(kopi.owner, design.id)
        assert version.status == "submitted" and version.layout_id == design.layout_id
