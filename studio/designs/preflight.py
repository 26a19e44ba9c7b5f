"""Glue between a stored design and the pure preflight: compose it with the product's current
data and the app's settings, run every rule, keep the summary on the design.

Also registers the preflight as a finding source of ``prepare.design_findings``, so the design
page shows it after every change (compose's own problems are listed there already).
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from flask import current_app
from sqlalchemy import select

from .. import cache, clock
from ..auth.models import User
from ..extensions import db
from ..packaging import pack_preflight
from ..preflight import (LabelFinding, PreflightSettings, blocker_count, blocking, from_jsonable, run_preflight,
                         to_jsonable)
from ..products.models import Product
from . import prepare
from .models import Design
from ..products.data import record_errors
from ..products.record import rule_settings


log = logging.getLogger(__name__)


def preflight_settings() -> PreflightSettings:
    """The app's preflight settings: config ``PREFLIGHT`` on top of the rule settings ``RULES``.

    :raises ValueError: on an unknown key or bad severity in either mapping.
    """
    return PreflightSettings.from_mapping(current_app.config.get("PREFLIGHT") or {}, rules=rule_settings())


def _regency(product: Product) -> str | None:
    owner = db.session.get(User, product.owner_id)
    profile = owner.profile if owner is not None else None
    return profile.regency_code if profile is not None and profile.regency_code else None


#: dots per inch of a thermal head when neither the printer nor the stock says (the ZPL default)
THERMAL_DPI_DEFAULT = 203


def one_bit_dpi_for(layout, printer_dpi: int | None = None, printer_kind: str | None = None) -> int | None:
    """The dpi of the 1-bit image a label is judged in: a thermal printer's dpi, or a roll (thermal)
    stock's head dpi; None for sheet printers (inkjet, laser), which print greys."""
    if printer_kind == "thermal":
        return printer_dpi or layout.printer_dpi or THERMAL_DPI_DEFAULT
    if printer_kind is None and layout.kind == "roll":
        return printer_dpi or layout.printer_dpi or THERMAL_DPI_DEFAULT
    return None


def findings_for(render: prepare.DesignRender, *, include_compose_problems: bool = True,
                 check_codes: bool = True, today: date | None = None, printer_dpi: int | None = None,
                 printer_kind: str | None = None) -> list[LabelFinding]:
    """Run the preflight on an already composed design (``prepare.prepare_design``).

    :param check_codes: False skips decoding the QR/EAN from rasters (about 0.2–0.5 s), for the
        editor's findings after every change; submission and the review page always decode.
    :param printer_dpi: / :param printer_kind: the printer the label goes to (``PrinterProfile.dpi`` /
        ``.kind``); a thermal printer, or a roll stock, has the label judged as the 1-bit image it
        prints (PRINT-02).
    """
    settings = preflight_settings()
    if not check_codes:
        settings = replace(settings, check_codes=False)
    if render.is_set:       # the set is ONE label (what the pack shows), the front its principal panel
        found = pack_preflight(render.net, render.panels, render.clean, today=today or clock.today(),
                               settings=settings, expected_url=render.values.get("url") or None,
                               regency_code=_regency(render.product),
                               include_compose_problems=include_compose_problems,
                               halal_logo_uploaded="halal_logo" in render.image_keys,
                               one_bit_dpi=one_bit_dpi_for(render.layout, printer_dpi, printer_kind),
                         data_errors=record_errors(render.revision))
        return [_on_set_picture(render.net, f) for f in found]
    return run_preflight(render.label, render.layout, render.clean, today=today or clock.today(),
                         settings=settings, expected_url=render.values.get("url") or None,
                         regency_code=_regency(render.product),
                         include_compose_problems=include_compose_problems,
                         halal_logo_uploaded="halal_logo" in render.image_keys,
                         one_bit_dpi=one_bit_dpi_for(render.layout, printer_dpi, printer_kind),
                         data_errors=record_errors(render.revision))


#: content-hash cache space of :func:`checked_findings`
CHECKED_FINDINGS = "checked-findings"


@functools.cache
def _decoder_version() -> str:
    """The code decoder's version (read once per process: the loaded module is what decodes, and
    reading the installed package's metadata costs milliseconds on every gate)."""
    from importlib import metadata

    try:
        return metadata.version("zxing-cpp")
    except metadata.PackageNotFoundError:
        return "none"


def checked_findings(render: prepare.DesignRender, *, check_codes: bool = True,
                     printer_dpi: int | None = None) -> list[LabelFinding]:
    """:func:`findings_for` of ``render`` composed for ``printer_dpi`` (composed here when needed),
    answered from the content-hash cache (``studio/cache.py``) when exactly these inputs were checked
    before: the compose inputs (document, stock, label texts and QR address, image keys), the
    printer's dots, the clean product record, the day, the rule and preflight settings, the
    producer's regency and the code (and the code decoder's version). Equal keys give identical
    findings, so a gate that re-runs the preflight (approve after the submission checked the same
    version, a second batch printed today) answers in milliseconds and refuses exactly as before."""
    key = _checked_key(render, check_codes, printer_dpi)
    hit = cache.get_json(CHECKED_FINDINGS, key)
    if isinstance(hit, list):
        return from_jsonable(hit)
    prepare.compose_render(render, printer_dpi=printer_dpi)
    found = findings_for(render, check_codes=check_codes)
    cache.put_json(CHECKED_FINDINGS, key, to_jsonable(found))
    return found


def _checked_key(render: prepare.DesignRender, check_codes: bool, printer_dpi: int | None) -> str:
    dpi = printer_dpi or render.layout.printer_dpi       # compose's own default: equal output, one key
    return cache.key_of(CHECKED_FINDINGS, prepare.findings_key(render), render.is_set, bool(check_codes), dpi,
                        _decoder_version())


def findings_checked(render: prepare.DesignRender, *, check_codes: bool = True,
                     printer_dpi: int | None = None) -> bool:
    """True when :func:`checked_findings` of these inputs would answer from the cache (nothing is
    composed or checked here)."""
    return cache.exists(CHECKED_FINDINGS, _checked_key(render, check_codes, printer_dpi))


def _on_set_picture(net, f: LabelFinding) -> LabelFinding:
    """A set's finding with its box where the set's picture shows it (the stickers side by side,
    front first: the preview, the review page's markers); ``panel`` still names the sticker."""
    panel = next((p for p in net.panels if p.id == f.panel), None)
    if panel is None or not f.box_mm:
        return f
    x, y, w, h = f.box_mm
    return replace(f, box_mm=(round(x + panel.x_mm, 2), round(y + panel.y_mm, 2), w, h))


def follow_current_revision(design: Design) -> None:
    """Point the working design at its product's current data revision (not committed)."""
    product = db.session.get(Product, design.product_id)
    if product is not None and product.current_revision_id and \
            design.product_revision_id != product.current_revision_id:
        design.product_revision_id = product.current_revision_id


def preflight_design(design: Design, *, commit: bool = True) -> list[LabelFinding]:
    """Check ``design`` as it would print with the product's CURRENT data and store the summary
    (``Design.findings`` as JSON, ``Design.blocker_count``). The caller has checked access.
    Nothing is written before the check ends (the reads do not autoflush the new revision id): on
    SQLite the first write takes the one write lock until the commit (as ``services._regenerate``)."""
    with db.session.no_autoflush:
        follow_current_revision(design)
        render = prepare.prepare_design(design)
        findings = findings_for(render)
        design.findings = to_jsonable(findings)
        design.blocker_count = blocker_count(findings)
    if commit:
        db.session.commit()
    return findings


#: how the stored findings of a design of another kind than "label" (the packs feature's wrap,
#: header card, box, pouch) are worked out again from what is stored, as JSON dicts; the packs
#: feature registers its own (designs may not import packs)
OTHER_KIND_FINDINGS: list[Callable[[Design], list[dict] | None]] = []


def register_other_kind_findings(fn: Callable[[Design], list[dict] | None]) -> Callable[[Design], list[dict] | None]:
    """Add ``fn(design)`` for :func:`refresh_after_halal_logo`: the design's findings again, or None
    when the design is not of a kind ``fn`` knows."""
    if fn not in OTHER_KIND_FINDINGS:
        OTHER_KIND_FINDINGS.append(fn)
    return fn


def _findings_again(design: Design) -> list[dict] | None:
    if design.kind == "label":
        return prepare.design_findings(design)
    for fn in OTHER_KIND_FINDINGS:
        found = fn(design)
        if found is not None:
            return found
    return None


def refresh_after_halal_logo() -> int:
    """Store fresh findings on every working design, label or pack, whose stored findings hold a
    HALAL-02 blocker (checked while the studio had no official halal logo: "logo Halal Indonesia
    resmi belum ada"). Its page, the wizard's steps and the dashboards read the stored count, so
    without this they kept saying "fix the problems" after the admin uploaded the logo. The design's
    data revision and documents are left as they are (only the pictures changed). Returns how many
    were refreshed."""
    stale = [d for d in db.session.scalars(select(Design).where(Design.blocker_count > 0))
             if any(str(f.get("rule_id") or f.get("code")) == "HALAL-02" for f in blocking(d.findings or []))]
    done = 0
    for design in stale:
        try:
            with db.session.no_autoflush:
                findings = _findings_again(design)
        except Exception:        # noqa: BLE001 (one design that cannot be composed must not stop the others)
            log.warning("refreshing the findings of design %s failed", design.id, exc_info=True)
            continue
        if findings is None:
            continue
        design.findings = findings
        design.blocker_count = prepare.count_blockers(findings)
        done += 1
    db.session.commit()
    return done


def fresh_findings(design: Design) -> list[LabelFinding]:
    """The findings of ``design`` as it would be submitted now (with the product's current data),
    without storing anything: a page that only shows them (a GET) changes nothing. The caller has
    checked access."""
    with db.session.no_autoflush:
        follow_current_revision(design)
        try:
            return findings_for(prepare.prepare_design(design))
        finally:
            db.session.expire(design)     # forget the in-memory follow: nothing is written


def _design_source(design: Design, render: prepare.DesignRender) -> list[dict]:
    """Finding source for ``prepare.design_findings`` (compose problems are already there; the
    codes are decoded on submission and on the review page, not after every edit)."""
    return to_jsonable(findings_for(render, include_compose_problems=False, check_codes=False))


prepare.register_findings(_design_source)
