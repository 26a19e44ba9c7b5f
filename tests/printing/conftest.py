"""Fixtures for printing tests: a producer's product with an approved label version, a hub
operator, printer profiles, and helpers that read positions and text back from a PDF."""
from __future__ import annotations

import pytest

from studio.extensions import db

from printing_helpers import MADE, PRODUCT, SHEET, TODAY, job_pdf_bytes, page_texts, text_runs  # noqa: F401


@pytest.fixture
def producer(create_user):
    from studio.auth.services import update_profile

    user = create_user("producer", business_name="UD Mbok Sri")
    update_profile(user, user.id, dict(business_name="UD Mbok Sri", owner_name="Sri Wahyuni",
                                       address="Dsn. Sumberagung RT 02", desa="Pelabuhan", kecamatan="Plandaan",
                                       postal_code="61456"))
    return user


@pytest.fixture
def operator(create_user):
    return create_user("hub")


@pytest.fixture
def make_version(app, producer, create_product):
    """``make_version(layout_id=SHEET, status="approved", data=None, owner=None, style_id="bersih",
    label_set=None)`` -> DesignVersion (by default the complete food label PRODUCT on a stock where it
    fits; ``label_set`` "front_back" or "front_back_back" for a set)."""
    from studio.designs.models import DesignVersion
    from studio.designs.services import start_design
    from studio.products.data import save_product_data

    def make(layout_id: str = SHEET, status: str = "approved", data: dict | None = None, owner=None,
             findings: list | None = None, style_id: str = "bersih", label_set: str | None = None):
        owner = owner or producer
        product = create_product(owner, (data or PRODUCT)["name"])
        save_product_data(owner, product.id, dict(data or PRODUCT))
        design = start_design(owner, product.id, layout_id, style_id,
                              **({"label_set": label_set} if label_set else {}))
        version = DesignVersion(design_id=design.id, product_id=product.id, number=1, layout_id=design.layout_id,
                                layout_snapshot=design.layout_snapshot, style_id=design.style_id,
                                options=design.options, document=design.document,
                                product_revision_id=design.product_revision_id,
                                findings=design.findings if findings is None else findings, status=status)
        db.session.add(version)
        db.session.commit()
        return version
    return make


@pytest.fixture(autouse=True)
def _halal_logo(app):
    """The demo product is halal-certified: the hub prints it only with the official logo uploaded."""
    import io

    from PIL import Image

    from studio.designs.models import AssetKind, StudioAsset
    from studio.media import media

    buf = io.BytesIO()
    Image.new("RGB", (300, 300), (30, 120, 60)).save(buf, "PNG")
    db.session.add(StudioAsset(kind=AssetKind.HALAL_LOGO, owner_id=None, width_px=300, height_px=300,
                               media_key=media().put_content("assets", buf.getvalue(), "png")))
    db.session.commit()


@pytest.fixture
def printer(operator):
    from studio.printing.services import save_printer

    def make(name: str = "Epson L3210", kind: str = "inkjet", dpi: int = 300):
        return save_printer(operator, name, kind, dpi)
    return make


@pytest.fixture(autouse=True)
def _request_context(request, app):
    """Service tests run inside a request context: lazy messages need the locale selector,
    which reads the session (studio/i18n.py). Web tests use the client instead."""
    if "client" in request.fixturenames:
        yield
        return
    with app.test_request_context():
        yield


@pytest.fixture
def no_render(monkeypatch):
    """Queue print jobs without rendering their PDF (rule tests that never open the PDF)."""
    from studio import jobs

    monkeypatch.setattr(jobs, "dispatch", lambda job_id: None)
