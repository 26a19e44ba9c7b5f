"""run_preflight: every label rule over one composed label and its product record."""
from __future__ import annotations

from datetime import date
from collections.abc import Mapping
from typing import Any

from ..labels import ComposedLabel, SheetLayout
from ..rules import RuleSettings
from ..rules.messages import Msg
from . import declarations, geometry, legibility, mandatory, mapping, pixels, scan
from .context import Ctx
from .findings import LabelFinding, blocking, sort_findings
from .settings import PreflightSettings, as_preflight_settings

#: Label checks in reading order (codes run separately: they rasterise the PDF).
CHECKS = (
    mandatory.check_name, mandatory.check_net_quantity, mandatory.check_producer,
    mandatory.check_permit, mandatory.check_expiry, declarations.check_ingredients,
    declarations.check_allergens, declarations.check_halal, declarations.check_warnings,
    declarations.check_storage, declarations.check_nutrition, declarations.check_language,
    legibility.check_x_height, legibility.check_contrast, geometry.check_painted_geometry,
    pixels.check_one_bit,
)


def run_preflight(composed: ComposedLabel, layout: SheetLayout, clean_record: dict[str, Any] | None, *,
                  today: date, settings: PreflightSettings | RuleSettings | None = None,
                  locale_neutral: bool = True, expected_url: str | None = None,
                  regency_code: str | None = None,
                  include_compose_problems: bool = True, halal_logo_uploaded: bool | None = None,
                  one_bit_dpi: int | None = None,
                  data_errors: Mapping[str, Msg] | None = None) -> list[LabelFinding]:
    """Check one composed label against the label law and what a printer can reproduce.

    :param composed: ``studio.labels.compose(...)`` output (regions carry tags, panels, sizes, colours).
    :param layout: the stock the label was composed on (safe margin, printer dpi, size in mm).
    :param clean_record: the product record cleaned by ``studio.rules.normalise`` (may be empty).
    :param today: the date for expiry and permit-validity checks.
    :param settings: :class:`PreflightSettings` (or a bare :class:`RuleSettings`); severity overrides
        per rule id come from both.
    :param locale_neutral: findings always carry both languages (``msg.id`` / ``msg.en``); the caller
        picks one with ``msg.text(locale)``. Kept for callers that pass it explicitly.
    :param expected_url: the address every QR code must decode to (default: what it was given).
    :param regency_code: the producer's regency for the P-IRT region digits (default from settings).
    :param include_compose_problems: False leaves out compose's own problems (overflow, safe area,
        image ppi…) for callers that already show them.
    :param halal_logo_uploaded: whether the hub has the official Halal Indonesia logo file (False:
        a certified product's missing logo is for the admin to fix; None: not known).
    :param one_bit_dpi: the label goes to a thermal printer with this many dots per inch: every text
        line is judged in the 1-bit image the printer gets (default: ``settings.one_bit_dpi``).
    :param data_errors: the record's fields given but invalid (``normalise``'s errors, Msg by field):
        their data finding says what is wrong instead of "enter the …".
    :returns: findings, BLOCKER first, each with rule id, where (tag, panel, box_mm) and what to do.
    """
    ctx = Ctx(composed, layout, dict(clean_record or {}), today, as_preflight_settings(settings),
              expected_url=expected_url, regency_code=regency_code, halal_logo_uploaded=halal_logo_uploaded, data_errors=dict(data_errors or {}))
    ctx.one_bit_dpi = one_bit_dpi or ctx.settings.one_bit_dpi
    for check in CHECKS:
        check(ctx)
    if include_compose_problems:
        mapping.compose_problems(ctx)
    scan.check_codes(ctx)
    mapping.data_rule_findings(ctx)
    return sort_findings(ctx.out)


def blocker_count(findings: list[LabelFinding]) -> int:
    """How many findings block submission and printing."""
    return len(blocking(findings))
