"""Print options on ``flask --app app studio render-sheet``: ``--batch-code``, ``--expiry``,
``--production-date`` and ``--printer PROFILE``.

The designs feature owns ``render-sheet``; designs may not import printing (feature order), so
printing stacks its options onto that command here and takes over only when one of them is
given. Without them the command behaves exactly as before. Either way the design is composed
on the stock printed and refused (exit 1, findings printed) when anything blocks there.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..cli import studio_cli

PRINT_OPTIONS = ("batch_code", "expiry", "production_date", "printer_name")


def _parse_date(value: str | None, field: str):
    from ..rules import RuleError, parse_date_id

    if not value:
        return None
    try:
        return parse_date_id(value, field=field)
    except RuleError as e:
        raise click.BadParameter(e.msg.en, param_hint=f"--{field.replace('_', '-')}") from e


def _render_with_batch(product_id: int, layout_id: str | None, copies: int, out_path: str, first_slot: int,
                       batch_code: str, expiry: str | None, production_date: str | None,
                       printer_name: str | None) -> None:
    from flask import current_app

    from ..designs.gates import LabelBlocked, finding_lines
    from ..errors import StudioError
    from .services import render_sheet_for_cli_with_batch

    # service messages are lazy translations; the locale selector needs a request (studio/i18n.py)
    try:
        with current_app.test_request_context():
            pdf = render_sheet_for_cli_with_batch(
                product_id, layout_id, copies, first_slot, batch_code=batch_code or "",
                production_date=_parse_date(production_date, "production_date"),
                expiry_date=_parse_date(expiry, "expiry"), printer_name=printer_name)
    except LabelBlocked as e:
        for line in finding_lines(e.findings):
            click.echo(line, err=True)
        raise click.ClickException(e.message) from e
    except StudioError as e:
        raise click.ClickException(e.message) from e
    Path(out_path).write_bytes(pdf)
    click.echo(f"{out_path}: {len(pdf)} bytes")


def extend_render_sheet(command: click.Command) -> None:
    """Add the print options to ``command`` (idempotent); the original callback runs when none is given."""
    if any(p.name == "batch_code" for p in command.params):
        return
    command.params += [
        click.Option(["--batch-code"], default="", help="Production (batch) code printed on every label, e.g. 261127-01."),
        click.Option(["--expiry"], default=None, help="Best-before date dd-mm-yyyy (default: production date + shelf life)."),
        click.Option(["--production-date"], default=None, help="Production date dd-mm-yyyy (default: today)."),
        click.Option(["--printer", "printer_name"], default=None, help="Printer profile name: its calibration for the stock is applied."),
    ]
    original = command.callback

    def callback(**kwargs):
        extra = {k: kwargs.pop(k, None) for k in PRINT_OPTIONS}
        if any(extra.values()):
            return _render_with_batch(kwargs["product_id"], kwargs.get("layout_id"), kwargs["copies"],
                                      kwargs["out_path"], kwargs.get("first_slot", 0), extra["batch_code"] or "",
                                      extra["expiry"], extra["production_date"], extra["printer_name"])
        return original(**kwargs)

    command.callback = callback


_cmd = studio_cli.commands.get("render-sheet")
if _cmd is not None:
    extend_render_sheet(_cmd)
