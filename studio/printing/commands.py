"""``flask --app app studio render-sheet``: a sheet PDF of a product's current label design, with the
print options ``--batch-code``, ``--expiry``, ``--production-date`` and ``--printer PROFILE``.

Printing owns the command (defined here once; the ``studio`` group is shared and every feature's
``commands*.py`` is imported by ``studio.cli``). Without print options the design is rendered as the
designs feature renders it; with any of them the batch overlay and the printer's calibration are
applied. Either way the design is composed on the stock printed and refused (exit 1, findings
printed) when anything blocks there.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..cli import studio_cli


def _parse_date(value: str | None, field: str):
    from ..rules import RuleError, parse_date_id

    if not value:
        return None
    try:
        return parse_date_id(value, field=field)
    except RuleError as e:
        raise click.BadParameter(e.msg.en, param_hint=f"--{field.replace('_', '-')}") from e


def _blocked(e) -> click.ClickException:
    from ..designs.gates import finding_lines

    for line in finding_lines(e.findings):
        click.echo(line, err=True)
    return click.ClickException(e.message)


def _render_plain(product_id: int, layout_id: str | None, copies: int, first_slot: int) -> bytes:
    """The product's current design on ``layout_id`` (default its own stock), checked on that stock."""
    from ..designs.gates import check_design_on_stock
    from ..designs.render import product_design_for_cli, render_sheet_for_cli
    from ..designs.stock import get_layout

    _product, design = product_design_for_cli(product_id)
    check_design_on_stock(design, get_layout(layout_id) if layout_id else None)
    return render_sheet_for_cli(product_id, layout_id, copies, first_slot)


@studio_cli.command("render-sheet")
@click.option("--product", "product_id", type=int, required=True)
@click.option("--layout", "layout_id", default=None, help="Stock id (default: the design's stock).")
@click.option("--copies", type=click.IntRange(1, 100000), required=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--first-slot", type=int, default=0, show_default=True,
              help="Skip this many used slots on the first sheet (0-based).")
@click.option("--batch-code", default="", help="Production (batch) code printed on every label, e.g. 261127-01.")
@click.option("--expiry", default=None, help="Best-before date dd-mm-yyyy (default: production date + shelf life).")
@click.option("--production-date", default=None, help="Production date dd-mm-yyyy (default: today).")
@click.option("--printer", "printer_name", default=None,
              help="Printer profile name: its calibration for the stock is applied.")
def render_sheet_cmd(product_id: int, layout_id: str | None, copies: int, out_path: str, first_slot: int,
                     batch_code: str, expiry: str | None, production_date: str | None,
                     printer_name: str | None) -> None:
    """Render a sheet PDF from a product's current label design.

    The design is composed on the stock given (re-laid out when its label has another size) and
    checked by the preflight for THAT stock; nothing is written when anything blocks (exit 1,
    findings printed).
    """
    from flask import current_app

    from ..designs.gates import LabelBlocked
    from ..designs.stock import get_layouts
    from ..errors import StudioError
    from .services import render_sheet_for_cli_with_batch

    if layout_id and layout_id not in get_layouts():
        raise click.ClickException(f"unknown layout {layout_id!r}; see 'flask --app app studio layouts'")
    try:
        # service messages are lazy translations; the locale selector needs a request (studio/i18n.py)
        with current_app.test_request_context():
            if batch_code or expiry or production_date or printer_name:
                pdf = render_sheet_for_cli_with_batch(
                    product_id, layout_id, copies, first_slot, batch_code=batch_code or "",
                    production_date=_parse_date(production_date, "production_date"),
                    expiry_date=_parse_date(expiry, "expiry"), printer_name=printer_name)
            else:
                pdf = _render_plain(product_id, layout_id, copies, first_slot)
    except LabelBlocked as e:
        raise _blocked(e) from e
    except StudioError as e:
        raise click.ClickException(e.message) from e
    Path(out_path).write_bytes(pdf)
    click.echo(f"{out_path}: {len(pdf)} bytes")
