"""A field the producer filled in wrongly is named with what is wrong, not "enter the …".

A 61-letter product name (e.g. from a CSV import) is kept out of the clean record and stored as the
revision's error; the label findings the producer reads must say the name is too long, not ask
for a name they already typed. A wrong GTIN check digit: the wizard names the GTIN, not
"complete the product data".
"""
from studio.products.data import check_product_data, store_check

from tests.conftest import READY_RECORD

LONG_NAME = "Keripik Singkong Balado Pedas Manis Renyah Gurih Khas Jombang"   # 61 letters


def _design(create_user, create_product, **overrides):
    from studio.designs import services as designs

    owner = create_user("producer", business_name="UD Mbok Sri")
    product = create_product(owner, "Keripik Singkong")
    store_check(owner, product, check_product_data(dict(READY_RECORD, **overrides)))
    return designs.start_design(owner, product.id, "avery-l7160", "bersih")


def test_too_long_name_is_named_in_the_design_findings(app, create_user, create_product):
    from studio.designs.prepare import design_findings

    assert len(LONG_NAME) == 61
    design = _design(create_user, create_product, name=LONG_NAME)
    texts = [f["message_id"] for f in design_findings(design)]
    texts_en = [f["message_en"] for f in design_findings(design)]
    assert not any(t.startswith("Isi nama produk") for t in texts), texts
    assert any(t.startswith("Nama produk") and "60" in t for t in texts), texts
    assert any("60" in t and "name" in t.lower() for t in texts_en), texts_en
    found = [f for f in design_findings(design) if f["message_id"].startswith("Nama produk")]
    assert found[0]["severity"] == "BLOCKER"


def test_a_revision_saved_before_errors_were_stored_names_the_field_too(app, create_user, create_product):
    """Its errors column is empty while the typed name (61 letters) is missing from the record: the
    findings and the wizard's data gate work the problem out from the typed text."""
    from studio.designs.prepare import design_findings
    from studio.extensions import db
    from studio.products.models import Product
    from studio.wizard.services import gather_facts

    design = _design(create_user, create_product, name=LONG_NAME)
    product = db.session.get(Product, design.product_id)
    rev = product.current_revision
    assert rev.raw["name"] == LONG_NAME and "name" not in rev.data
    rev.errors = {}                     # as stored before revisions kept their errors
    db.session.commit()
    texts = [f["message_id"] for f in design_findings(design)]
    assert not any(t.startswith("Isi nama produk") for t in texts), texts
    assert any(t.startswith("Nama produk") and "61 huruf" in t for t in texts), texts
    gate = gather_facts(product).data_gate
    assert gate is not None and "61 huruf" in gate[0] and "Isi nama" not in gate[0]
