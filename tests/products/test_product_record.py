"""One reader of a product's data: products.record parses a revision once and hands out copies."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

STUDIO = Path(__file__).resolve().parents[2] / "studio"
# Where rules.normalise may be called: the save path (check_product_data) and the one reader; and the
# trainer's cohort nutrition table (cohorts/nutrition.py), which validates typed numbers that are not a
# product's record (cohorts comes before products in the feature order, so it cannot use products.data).
NORMALISERS = {"products/data.py", "products/record.py", "cohorts/nutrition.py"}


def test_a_revision_is_parsed_once_and_read_the_same_everywhere(app, ready_product, monkeypatch):
    from studio.designs.values import clean_record as design_reader
    from studio.products import record
    from studio.products.record import ProductRecord, clean_record, product_record

    product = ready_product()
    revision = product.current_revision
    calls = []
    real = record.normalise
    monkeypatch.setattr(record, "normalise", lambda *a, **k: calls.append(1) or real(*a, **k))
    app.extensions.pop("studio.products.records", None)
    first = product_record(product, revision)
    again = product_record(product, revision)
    assert isinstance(first, ProductRecord) and first is again and len(calls) == 1
    assert first.get("name")
    with pytest.raises(TypeError):
        first.values["name"] = "changed"        # read-only
    copy = clean_record(product, revision)
    copy["name"] = "changed"
    if isinstance(copy.get("nutrition"), dict):
        copy["nutrition"]["changed"] = True
    assert product_record(product, revision).as_dict() == design_reader(product, revision) != copy
    assert len(calls) == 1


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
