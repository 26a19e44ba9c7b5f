"""Data-level preflight: the spec §5 rules that can be checked from the product record alone.

``data_findings(clean, …)`` takes the ``clean`` dict made by :func:`studio.rules.product.normalise`
(optionally a batch) and returns :class:`Finding` objects, most serious first. Severities come from
:data:`RULES` and can be overridden per rule id in :class:`RuleSettings`. Label-geometry rules
(placement on the PDP, sizes, contrast) belong to the label preflight, not here.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from . import checks
from .errors import RuleError
from .identifiers import validate_gtin
from .kinds import ProductClass
from .listing import description_finding
from .messages import Finding, Msg, Severity
from .ruleset import RULES, Collector, sort_findings
from .settings import DEFAULT_SETTINGS, RuleSettings

__all__ = ["Finding", "Severity", "RULES", "data_findings", "sort_findings"]


def data_findings(clean: dict[str, Any], *, today: date, settings: RuleSettings = DEFAULT_SETTINGS,
                  batch: dict[str, Any] | None = None, regency_code: str | None = None,
                  include_missing: bool = True, errors: dict[str, Msg] | None = None) -> list[Finding]:
    """Check a normalised product record (and optionally a batch) against the data rules.

    :param batch: ``{"production_date": date, "production_code": str, "best_before": date}``.
    :param include_missing: False leaves out "field is empty" findings (forms show completeness).
    :param errors: a field given but invalid (absent from ``clean``; :func:`normalise`'s errors,
        worded with the field's name as ``products.data.record_errors`` does) gets its error
        message instead of the "enter the …" one, same rule and severity.
    :returns: findings, most serious first.
    """
    out = Collector(settings, include_missing, dict(errors or {}))
    cls = clean.get("product_class")
    food = cls in (ProductClass.PANGAN_PIRT, ProductClass.PANGAN_BPOM)
    regulated = food or cls == ProductClass.OBAT_TRADISIONAL
    if not clean.get("name"):
        out.add("NAME-01", "name", "Isi nama produk (nama jenis), contoh: Keripik Singkong.",
                "Enter the product name (what it is), e.g. Keripik Singkong.", missing=True)
    checks.check_brand(out, clean)
    checks.check_language(out, clean, regulated)
    if regulated:
        checks.check_permit(out, clean, cls, today, settings, regency_code)
        checks.check_ingredients(out, clean)
        checks.check_dates(out, clean, batch, today)
        checks.check_warnings(out, clean)
    if food or clean.get("net_quantity") is not None:     # other goods: the quantity they state
        checks.check_quantity(out, clean)
    if food:
        checks.check_halal(out, clean, cls, today, settings)
        checks.check_nutrition(out, clean, cls, settings)
        checks.check_storage(out, clean)
        checks.check_claims(out, clean, cls)
    too_long = description_finding(clean.get("description"), settings)
    if too_long is not None:
        out.items.append(too_long)
    if clean.get("gtin"):
        try:
            validate_gtin(clean["gtin"])
        except RuleError as e:
            out.add("CODE-01", "gtin", e.msg.id, e.msg.en)
    return sort_findings(out.items)

