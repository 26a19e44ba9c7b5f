"""Fixtures for the review tests: a cohort, a producer's product with data and a label design."""
from __future__ import annotations

import pytest

GOOD_DATA = {
    "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta", "brand": "Kopi Pak Darto", "category": "kopi",
    "net_quantity": "100 g", "ingredients": "kopi robusta (80%), susu bubuk (20%)",
    "allergens_confirmed": "susu", "shelf_life_days": "180", "pirt_number": "2103517010012-29",
    "pirt_food_code": "10", "packaging_material": "plastik", "halal_status": "not_halal",
    "storage_instructions": "Simpan di tempat kering dan sejuk",
}


@pytest.fixture
def design_for(app, create_product):
    """``design_for(producer, **data_changes)`` -> (product, design) with a data revision and a design."""
    from studio.designs.services import start_design
    from studio.products.data import check_product_data
    from studio.products.services import add_revision

    def make(producer, **changes):
        data = {k: v for k, v in {**GOOD_DATA, **changes}.items() if v is not None}
        product = create_product(producer, data["name"], data["product_class"])
        add_revision(producer, product, check_product_data(data).data, complete_label=True, percent=100)
        design = start_design(producer, product.id, "avery-l7165", "bersih")
        return product, design
    return make


@pytest.fixture
def setup(cohort_with, design_for):
    """(trainer, producer, product, design) in one cohort; the design has no BLOCKER."""
    _cohort, trainer, (producer,) = cohort_with(1)
    product, design = design_for(producer)
    return trainer, producer, product, design


@pytest.fixture(autouse=True)
def _request_context(request, app):
    """Service tests run inside a request context: lazy messages need the locale selector,
    which reads the session (studio/i18n.py). Web tests use the client instead."""
    if "client" in request.fixturenames:
        yield
        return
    with app.test_request_context():
        yield
