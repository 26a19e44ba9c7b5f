import ast
import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from studio.rules import Msg, RuleError, RuleSettings, diff_records, normalise, safe_cell, safe_row

RULES_DIR = Path(__file__).resolve().parents[2] / "studio" / "rules"
ALLOWED = {"__future__", "calendar", "dataclasses", "datetime", "decimal", "enum", "re", "typing"}


def test_rules_package_imports_only_the_standard_library():
    for path in RULES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED, f"{path.name} imports {name}"


def test_messages_pick_the_language():
    m = Msg("Isi harganya.", "Enter the price.")
    assert m.text("en") == "Enter the price." and m.text("en_GB") == "Enter the price."
    assert m.text("id") == "Isi harganya." and m.text("") == "Isi harganya." and str(m) == "Isi harganya."


def test_rule_error_carries_field_code_message_and_suggestion():
    e = RuleError("net_quantity", "unit_symbol", Msg("a", "b"), "250 g")
    assert (e.field, e.code, e.suggestion, str(e)) == ("net_quantity", "unit_symbol", "250 g", "a")
    assert isinstance(e, ValueError)


def test_settings_load_from_app_config():
    s = RuleSettings.from_mapping({"RULES_HALAL_DEADLINE": "2027-01-01", "pirt_warn_months": "3",
                                   "regency_code": "3578", "ing_exempt_categories": ["kopi"]})
    assert s.halal_deadline == date(2027, 1, 1) and s.pirt_warn_months == 3
    assert s.regency_code == "3578" and s.ing_exempt_categories == frozenset({"kopi"})
    assert RuleSettings.from_mapping(None) == RuleSettings()
    assert s.severity("HALAL-01", "ERROR") == "ERROR"
    with pytest.raises(ValueError):
        RuleSettings.from_mapping({"halal_dedline": "2027-01-01"})
    with pytest.raises(ValueError):
        RuleSettings.from_mapping({"severity_overrides": {"HALAL-01": "LOUD"}})


def test_settings_change_identifier_rules():
    s = RuleSettings.from_mapping({"halal_cert_regex": r"^ID\d{14}$"})
    clean, errors, _ = normalise({"halal_cert_number": "ID12345678901234"}, today=date(2026, 11, 27), settings=s)
    assert errors == {} and clean["halal_cert_number"] == "ID12345678901234"


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+62812", "'+62812"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("＝1+1", "'＝1+1"), ("Keripik", "Keripik"), ("", ""), (None, ""),
    (-5, "-5"), (Decimal("-1.5"), "-1.5"), (True, "ya"), ("Rp12.500", "Rp12.500"),
])
def test_csv_cells_cannot_start_a_formula(value, expected):
    assert safe_cell(value) == expected


def test_csv_rows_survive_a_round_trip_through_the_csv_module():
    buf = io.StringIO()
    csv.writer(buf).writerow(safe_row(['=HYPERLINK("http://x")', "a,b", 3]))
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == ['\'=HYPERLINK("http://x")', "a,b", "3"]


def test_diff_lists_changed_fields_as_readable_text():
    today = date(2026, 11, 27)
    old, _, _ = normalise({"name": "Keripik Singkong", "net_quantity": "250 g", "price_idr": "12.500",
                           "ingredients": "singkong (70%), garam", "allergens_confirmed": "susu"}, today=today)
    new, _, _ = normalise({"name": "Keripik Singkong", "net_quantity": "1,5 kg", "price_idr": "13.000",
                           "ingredients": "singkong (75%), garam", "contains_pork": "tidak"}, today=today)
    changes = {c.field: (c.old_text, c.new_text) for c in diff_records(old, new)}
    assert changes == {
        "net_quantity": ("250 g", "1,5 kg"),
        "ingredients": ("singkong (70%), garam", "singkong (75%), garam"),
        "allergens_confirmed": ("susu", ""),
        "price_idr": ("Rp12.500", "Rp13.000"),
        "contains_pork": ("", "tidak"),
    }
    assert [c.field for c in diff_records(old, new)][0] == "net_quantity"     # form order
    assert diff_records(old, old) == [] and diff_records(None, {"x": 1})[0].new_text == "1"
