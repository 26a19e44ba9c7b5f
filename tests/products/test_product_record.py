"""One reader of a product's data: products.record parses a revision once and hands out copies."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

STUDIO = Path(__file__).resolve().parents[2] / "studio"
# Where rules.normalise may be called: the save path (check_product_data) only. The reader decodes
# (rules.from_jsonable); a trainer's cohort nutrition table is checked with rules.read_nutrition.
NORMALISERS = {"products/data.py"}


def test_a_revision_is_decoded_once_not_validated_again_and_read_the_same_everywhere(app, ready_product,
                                                                                     monkeypatch):
    from decimal import Decimal

    from studio.products import record
    from studio.products.record import ProductRecord, product_record
    from studio.rules import NetQuantity

    product = ready_product()
    revision = product.current_revision
    decoded = []
    real = record.from_jsonable
    monkeypatch.setattr(record, "from_jsonable", lambda *a, **k: decoded.append(1) or real(*a, **k))
    app.extensions.pop("studio.products.records", None)
    first = product_record(revision)
    again = product_record(revision)
    assert isinstance(first, ProductRecord) and first is again and len(decoded) == 1
    # the typed values, as they were when the revision was saved
    assert isinstance(first["net_quantity"], NetQuantity) and first["name"] == "Keripik Singkong Balado"
    assert first["ingredients"][0] == {"name": "Singkong", "pct": Decimal(70)}
    # read-only, nested values too; a copy may be changed without touching the record
    for change in (lambda: first.__setattr__("revision_id", 1), lambda: first._values.__setitem__("name", "x"),
                   lambda: first["ingredients"][0].__setitem__("pct", None), lambda: first["ingredients"].append({}),
                   lambda: first["ingredients"][0].update(name="x")):
        with pytest.raises(TypeError):
            change()
    copy = first.as_dict()
    copy["name"] = "changed"
    copy["ingredients"][0]["pct"] = Decimal(99)
    copy["ingredients"].append({"name": "x", "pct": None})
    assert type(copy["ingredients"][0]) is dict and type(copy["ingredients"]) is list
    assert product_record(revision) == real(revision.data) != copy
    assert len(decoded) == 1


def test_design_print_and_publish_get_the_typed_record(app, ready_product, monkeypatch):
    """The label values, the design's render, the print check and the listing all read the one cached
    ProductRecord (no dict copies, no second decode)."""
    from studio.catalogue import publish
    from studio.designs import prepare, values
    from studio.printing import services as printing
    from studio.products import record

    product = ready_product()
    seen = []
    real = record.product_record

    def spy(revision):
        out = real(revision)
        seen.append(out)
        return out

    for module in (values, prepare, printing, publish):
        monkeypatch.setattr(module, "product_record", spy)
    values.label_values(product, product.current_revision, "https://katalog.example.id")
    publish.listing_snapshot(product)
    printing.permit_problems(spy(product.current_revision), __import__("datetime").date(2026, 12, 3))
    assert seen and all(r is seen[0] for r in seen) and isinstance(seen[0], record.ProductRecord)


def test_only_the_save_path_and_the_one_reader_normalise_a_record():
    problems = []
    for path in sorted(STUDIO.rglob("*.py")):
        rel = path.relative_to(STUDIO).as_posix()
        if rel.startswith("rules/") or rel in NORMALISERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "normalise":
                problems.append(f"{rel}:{node.lineno} calls normalise: read through products.record")
    assert not problems, "\n".join(problems)


def test_one_rule_settings_object_per_app(app):
    from studio.products.record import rule_settings

    with app.app_context():
        assert rule_settings() is rule_settings()
    for path in sorted(STUDIO.rglob("*.py")):
        rel = path.relative_to(STUDIO).as_posix()
        if rel.startswith("rules/") or rel == "products/record.py":
            continue
        assert "RuleSettings.from_mapping" not in path.read_text(encoding="utf-8"), \
            f"{rel} builds its own rule settings: use products.record.rule_settings()"


def test_a_revision_stores_only_a_checked_record(app, create_user, create_product):
    """Validated once, when saved: add_revision refuses typed text, and every record the save path
    checks (the demo products included) is stored in the form the reader decodes without checking."""
    from studio.demo_products import DEMO_PRODUCTS
    from studio.products.data import check_product_data
    from studio.products.record import unchecked_fields
    from studio.products.services import add_revision

    with app.app_context():
        for raw in [r for items in DEMO_PRODUCTS.values() for r in items]:
            assert unchecked_fields(check_product_data(raw).data) == [], raw["name"]
        owner = create_user("producer")
        product = create_product(owner, "Keripik")
        raw = {"name": "Keripik Singkong", "net_quantity": "250 g", "halal_status": "halal", "price_idr": "Rp15.000"}
        assert unchecked_fields(raw) == ["net_quantity", "halal_status", "price_idr"]
        with pytest.raises(ValueError):
            add_revision(owner, product, raw)
        rev = add_revision(owner, product, check_product_data(raw).data)
        assert rev.data["net_quantity"] == {"value": 250, "unit": "g"}
