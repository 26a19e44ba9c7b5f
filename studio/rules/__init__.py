"""Pure product-data rules for Studio Kemasan (Indonesian label law, spec /shared/spec/label-rules.md).

Allowed studio imports: none. (No framework or database: enforced by tests/test_boundaries.py.)

Standard library only: no Flask, no database, no other ``studio`` module. Forms, CSV import, the
label generator, the preflight and the API all call these functions. Messages come back as
:class:`Msg` (Bahasa Indonesia ``id`` + English ``en``); bad values raise :class:`RuleError`
(field-level functions) or come back as data (:func:`normalise`, :func:`data_findings`).
"""
from __future__ import annotations

from .allergens import (GROUPS as ALLERGEN_GROUPS, allergen_statement, detect_allergens,
                        emphasise_allergens, escape_markup, strip_markup)
from .csvsafe import safe_cell, safe_row
from .dates import (EXPIRY_STAMPED_TEXT, best_before, check_production_date, expiry_text,
                    parse_date_id, suggest_production_code, validate_production_code)
from .diff import Change, diff_records
from .errors import RuleError
from .findings import RULES, data_findings
from .identifiers import (PirtInfo, gtin_check_digit, is_valid_gtin, parse_pirt, validate_bpom,
                          validate_gtin, validate_halal_cert, validate_nib, validate_pom_tr)
from .kinds import Category, HalalStatus, PackagingMaterial, PermitType, PhysicalState, ProductClass
from .labeltext import LABEL_KEYS, label_texts, nutrition_panel
from .messages import Finding, Msg, Severity
from .nutrition import NutritionFacts, NutritionRow, ing_required, nutrition_facts
from .numbers import (format_date_id, format_decimal_id, format_rupiah, parse_decimal, parse_int,
                      parse_price_idr)
from .product import FIELDS, Completeness, FieldSpec, completeness, from_jsonable, normalise, to_jsonable
from .quantity import NetQuantity, net_quantity_statement, parse_net_quantity, required_char_height_mm
from .settings import DEFAULT_SETTINGS, RuleSettings

__all__ = [
    "ALLERGEN_GROUPS", "allergen_statement", "detect_allergens", "emphasise_allergens",
    "escape_markup", "strip_markup", "safe_cell", "safe_row", "EXPIRY_STAMPED_TEXT", "best_before",
    "check_production_date", "expiry_text", "parse_date_id", "suggest_production_code",
    "validate_production_code", "Change", "diff_records", "RuleError", "RULES", "data_findings",
    "PirtInfo", "gtin_check_digit", "is_valid_gtin", "parse_pirt", "validate_bpom", "validate_gtin",
    "validate_halal_cert", "validate_nib", "validate_pom_tr", "Category", "HalalStatus",
    "PackagingMaterial", "PermitType", "PhysicalState", "ProductClass", "LABEL_KEYS", "label_texts",
    "nutrition_panel", "Finding", "Msg", "Severity", "NutritionFacts", "NutritionRow",
    "ing_required", "nutrition_facts", "format_date_id", "format_decimal_id", "format_rupiah",
    "parse_decimal", "parse_int", "parse_price_idr", "FIELDS", "Completeness", "FieldSpec",
    "completeness", "from_jsonable", "normalise", "to_jsonable", "NetQuantity", "net_quantity_statement",
    "parse_net_quantity", "required_char_height_mm", "DEFAULT_SETTINGS", "RuleSettings",
]
