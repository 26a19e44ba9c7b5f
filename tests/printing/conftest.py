"""Fixtures for printing tests: a producer's product with an approved label version, a hub
operator, printer profiles, and helpers that read positions and text back from a PDF."""
from __future__ import annotations

import ctypes
from datetime import date

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from studio.extensions import db

PT_PER_MM = 72 / 25.4
PRODUCT = {
    "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
    "variant": "Pedas Manis", "category": "keripik", "physical_state": "padat", "net_quantity": "250 g",
    "ingredients": "Singkong (70%), minyak sawit, cabai merah, bawang putih, garam, gula",
    "storage_instructions": "Simpan di tempat sejuk dan kering.", "shelf_life_days": "120",
    "permit_type": "PIRT", "pirt_number": "2153517010012-29", "pirt_food_code": "15",
    "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
    "price_idr": "Rp15.000",
}
TODAY = date(2026, 11, 28)
MADE = date(2026, 11, 27)


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
    """``make_version(layout_id="avery-l7160", status="approved", data=None, owner=None)`` -> DesignVersion."""
    from studio.designs.models import DesignVersion
    from studio.designs.services import start_design
    from studio.products.data import save_product_data

    def make(layout_id: str = "avery-l7160", status: str = "approved", data: dict | None = None, owner=None,
             findings: list | None = None):
        owner = owner or producer
        product = create_product(owner, (data or PRODUCT)["name"])
        save_product_data(owner, product.id, dict(data or PRODUCT))
        design = start_design(owner, product.id, layout_id, "bersih")
        version = DesignVersion(design_id=design.id, product_id=product.id, number=1, layout_id=design.layout_id,
                                layout_snapshot=design.layout_snapshot, style_id=design.style_id,
                                options=design.options, document=design.document,
                                product_revision_id=design.product_revision_id,
                                findings=design.findings if findings is None else findings, status=status)
        db.session.add(version)
        db.session.commit()
        return version
    return make


@pytest.fixture
def printer(operator):
    from studio.printing.services import save_printer

    def make(name: str = "Epson L3210", kind: str = "inkjet", dpi: int = 300):
        return save_printer(operator, name, kind, dpi)
    return make


def job_pdf_bytes(job) -> bytes:
    from studio.media import media

    return media().read(job.pdf_key)


def text_runs(pdf: bytes, needle: str) -> list[list[tuple[float, float]]]:
    """Per page, the origin (x, y in mm from the page's TOP-left) of every occurrence of ``needle``'s
    first character, read from the PDF's text (pdfium's text page API)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    for page in doc:
        h_pt = page.get_height()
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range(0, n)
        hits = []
        start = 0
        while (i := text.find(needle, start)) >= 0:
            x, y = ctypes.c_double(), ctypes.c_double()
            assert pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            hits.append((x.value / PT_PER_MM, (h_pt - y.value) / PT_PER_MM))
            start = i + 1
        out.append(hits)
    return out


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [p.get_textpage().get_text_range() for p in doc]


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
