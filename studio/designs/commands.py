"""``flask --app app studio layouts`` and ``render-sheet`` (app context, no request)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli import studio_cli
from ..errors import StudioError
from ..labels import layout_to_dict
from .stock import paper_name, sorted_layouts


@studio_cli.command("layouts")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (one object per stock).")
def layouts_cmd(as_json: bool) -> None:
    """List the label stock on offer (files and stock measured at the hub)."""
    from .stock import get_layouts

    layouts = sorted_layouts(get_layouts())
    if as_json:
        click.echo(json.dumps([{**layout_to_dict(l), "paper": paper_name(l), "slots_per_page": l.slots_per_page}
                               for l in layouts], ensure_ascii=False, indent=2))
        return
    for l in layouts:
        flag = "" if l.verified else "  [BELUM DIUKUR]"
        click.echo(f"{l.id:<24} {l.label_w_mm:>6g} x {l.label_h_mm:<6g} mm  {l.slots_per_page:>3}/{paper_name(l):<7} "
                   f"{l.shape:<7} {l.name}{flag}")


def sheet_options(fn):
    """The options every sheet render takes; print helpers stack more options on the same command."""
    fn = click.option("--first-slot", type=int, default=0, show_default=True,
                      help="Skip this many used slots on the first sheet (0-based).")(fn)
    fn = click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)(fn)
    fn = click.option("--copies", type=click.IntRange(1, 100000), required=True)(fn)
    fn = click.option("--layout", "layout_id", default=None, help="Stock id (default: the design's stock).")(fn)
    fn = click.option("--product", "product_id", type=int, required=True)(fn)
    return fn


@studio_cli.command("render-sheet")
@sheet_options
def render_sheet_cmd(product_id: int, layout_id: str | None, copies: int, out_path: str, first_slot: int,
                     **_later) -> None:
    """Render a sheet PDF from a product's current label design.

    The design is composed on the stock given (re-laid out when its label has another size) and
    checked by the preflight for THAT stock; nothing is written when anything blocks (exit 1,
    findings printed).
    """
    from flask import current_app

    from .render import product_design_for_cli
    from .render import render_sheet_for_cli
    from .stock import get_layout, get_layouts

    if layout_id and layout_id not in get_layouts():
        raise click.ClickException(f"unknown layout {layout_id!r}; see 'flask --app app studio layouts'")
    try:
        # service messages are lazy translations; the locale selector needs a request (studio/i18n.py)
        with current_app.test_request_context():
            _product, design = product_design_for_cli(product_id)
            check_on_stock(design, get_layout(layout_id) if layout_id else None)
            pdf = render_sheet_for_cli(product_id, layout_id, copies, first_slot)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    Path(out_path).write_bytes(pdf)
    click.echo(f"{out_path}: {len(pdf)} bytes")


def check_on_stock(design, layout, *, printer_dpi: int | None = None) -> None:
    """Run the preflight of ``design`` on ``layout`` (default its own stock); print the blocking
    findings and fail (exit 1) when anything blocks. Shared with the print options of render-sheet."""
    from .gates import LabelBlocked, check_design_on_stock, finding_lines

    try:
        check_design_on_stock(design, layout, printer_dpi=printer_dpi)
    except LabelBlocked as e:
        for line in finding_lines(e.findings):
            click.echo(line, err=True)
        raise click.ClickException(e.message) from e
