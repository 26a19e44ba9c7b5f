"""Design use-cases: what is stored, stock switching, moves, findings, custom stock, halal logo."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from studio.designs import assets
from studio.designs import services as designs
from studio.designs.stock import MeasuredStock, add_custom_layout, get_layouts
from studio.errors import Forbidden, Invalid, NotFound
from studio.labels import LabelDocument, layout_to_dict
from studio.labels.primitives import Picture
from studio.preflight import blocking


@pytest.fixture(autouse=True)
def _request(app):
    # Error messages are translated lazily; the app's locale selector reads the session, so the
    # services here run inside a request context, as they do from the views.
    with app.test_request_context():
        yield


def test_design_is_a_declarative_document_with_a_copy_of_its_stock_and_the_revision(app, make_ready_product):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, "avery-l7160", "tradisional")
    assert design.layout_snapshot == layout_to_dict(get_layouts()["avery-l7160"])
    assert design.product_revision_id == product.current_revision_id
    doc = LabelDocument.from_dict(design.document)       # rejects unknown keys: no editor state
    assert doc.layout_id == "avery-l7160"
    assert "selected" not in str(design.document) and "px" not in "".join(design.document.keys())


def test_switching_stock_keeps_choices_and_brings_moves_back(app, make_ready_product):
    product = make_ready_product()
    owner = product.owner
    d = designs.start_design(owner, product.id, "avery-l7165", "bersih")
    d = designs.update_design(owner, d.id, designs.DesignChanges(
        options={"preset": "laut", "pairing": "ramah", "show_price": True}))
    d = designs.update_design(owner, d.id, designs.DesignChanges(
        move=("pdp.name", {"x_mm": 30, "y_mm": 8, "w_mm": 50, "h_mm": 12})))
    assert d.options["overrides"]["pdp.name"] == {"x_mm": 30.0, "y_mm": 8.0, "w_mm": 50.0, "h_mm": 12.0}
    l7165_doc = d.document
    d = designs.update_design(owner, d.id, designs.DesignChanges(layout_id="avery-l7160"))
    assert d.layout_id == "avery-l7160" and d.layout_snapshot["label_w_mm"] == 63.5
    assert (d.options["preset"], d.options["pairing"], d.options["show_price"]) == ("laut", "ramah", True)
    assert d.options["overrides"] == {}          # mm moves belong to the stock they were made on
    assert d.style_id == "bersih"
    d = designs.update_design(owner, d.id, designs.DesignChanges(layout_id="avery-l7165"))
    assert d.options["overrides"]["pdp.name"]["x_mm"] == 30.0
    assert d.document == l7165_doc


def test_moves_are_kept_inside_the_safe_area(app, make_ready_product):
    product = make_ready_product()
    d = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    d = designs.update_design(product.owner, d.id, designs.DesignChanges(
        move=("qr", {"x_mm": 95, "y_mm": -5, "w_mm": 20, "h_mm": 20})))
    box = next(it.box for it in LabelDocument.from_dict(d.document).items if it.tag == "qr")
    margin = d.layout_snapshot["safe_margin_mm"]
    assert box.right_mm <= 99.1 - margin + 1e-6 and box.y_mm >= margin - 1e-6
    with pytest.raises(Invalid):
        designs.update_design(product.owner, d.id, designs.DesignChanges(move=("nope", {"x_mm": 1, "y_mm": 1,
                                                                                       "w_mm": 5, "h_mm": 5})))


def test_blocker_count_counts_compose_errors_and_blockers_from_other_sources(app, make_ready_product):
    product = make_ready_product()
    d = designs.start_design(product.owner, product.id, "avery-l7160", "bersih")
    # a food label on 63.5 × 38.1 mm has no room for ingredients, storage, nutrition or a date box: blockers
    base = d.blocker_count
    assert base == len(blocking(d.findings)) and any(f["code"] == "ING-01" for f in blocking(d.findings))

    def extra(design, render):
        return [{"source": "test", "code": "X", "severity": "BLOCKER", "message_id": "Uji", "message_en": "Test",
                 "tag": ""},
                {"source": "test", "code": "Y", "severity": "ERROR", "message_id": "Uji", "message_en": "Test",
                 "tag": ""}]
    designs.register_findings(extra)
    try:
        d = designs.update_design(product.owner, d.id, designs.DesignChanges())
        assert d.blocker_count == base + 1
        assert any(f["code"] == "X" for f in d.findings)
    finally:
        designs.FINDING_SOURCES.remove(extra)


def test_other_producers_cannot_change_or_see_a_design(app, make_ready_product, create_user):
    product = make_ready_product()
    d = designs.start_design(product.owner, product.id, "avery-l7160", "bersih")
    other = create_user("producer")
    with pytest.raises(NotFound):
        designs.get_design(other, d.id)
    with pytest.raises(NotFound):
        designs.update_design(other, d.id, designs.DesignChanges(style_id="berani"))


def test_hub_measures_a_stock_and_corrects_an_unverified_one(app, create_user):
    hub = create_user("hub")
    new = add_custom_layout(hub, MeasuredStock(
        name="Stiker toko Mojo 50 x 30", paper_w_mm=160, paper_h_mm=220, label_w_mm=50, label_h_mm=30,
        columns=3, rows=6, left_mm=3, top_mm=5, step_x_mm=52, step_y_mm=34))
    assert get_layouts()[new.id].slots_per_page == 18
    assert not get_layouts()["tj-103"].verified
    fixed = add_custom_layout(hub, MeasuredStock(
        name="Tom & Jerry No. 103 (diukur)", paper_w_mm=142, paper_h_mm=218, label_w_mm=64, label_h_mm=32,
        columns=2, rows=6, left_mm=5, top_mm=8, step_x_mm=68, step_y_mm=34, correct_id="tj-103"))
    assert fixed.id == "tj-103" and get_layouts()["tj-103"].verified
    with pytest.raises(Invalid) as e:
        add_custom_layout(hub, MeasuredStock(name="Salah", paper_w_mm=100, paper_h_mm=100, label_w_mm=60,
                                             label_h_mm=30, columns=2, rows=2, left_mm=0, top_mm=0,
                                             step_x_mm=50, step_y_mm=32))
    assert e.value.field == "step_x_mm"
    with pytest.raises(Invalid):
        add_custom_layout(hub, MeasuredStock(name="Avery", paper_w_mm=210, paper_h_mm=297, label_w_mm=63.5,
                                             label_h_mm=38.1, columns=3, rows=7, left_mm=7, top_mm=15,
                                             step_x_mm=66, step_y_mm=38.1, correct_id="avery-l7160"))
    with pytest.raises(Forbidden):
        add_custom_layout(create_user("producer"), MeasuredStock(
            name="x", paper_w_mm=100, paper_h_mm=100, label_w_mm=40, label_h_mm=30, columns=1, rows=1,
            left_mm=0, top_mm=0, step_x_mm=40, step_y_mm=30))


def _png(colour=(103, 0, 117)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (600, 600), colour).save(buf, "PNG")
    return buf.getvalue()


def test_official_halal_logo_is_uploaded_once_and_placed_as_is(app, make_ready_product, create_user):
    admin = create_user("admin")
    product = make_ready_product()
    with pytest.raises(Forbidden):
        assets.upload_halal_logo(product.owner, _png())
    with pytest.raises(Invalid):
        assets.upload_halal_logo(admin, b"not an image")
    data = _png()
    asset = assets.upload_halal_logo(admin, data, "label-halal.png")
    from studio.media import media
    assert media().read(asset.media_key) == data      # stored byte for byte, never redrawn
    d = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    label = designs.compose_design(d)
    pics = [p for p in label.primitives if isinstance(p, Picture) and p.tag == "halal_logo"]
    assert len(pics) == 1
