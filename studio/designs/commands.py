"""``flask --app app studio layouts`` (app context, no request). ``render-sheet`` is printing's
(``studio/printing/commands.py``)."""
from __future__ import annotations

import json

import click

from ..cli import studio_cli
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
