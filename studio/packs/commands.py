"""``flask --app app studio render-pack --product ID --pack PACK --out FILE`` and ``packs``."""
from __future__ import annotations

from pathlib import Path

import click

from ..cli import studio_cli
from ..errors import StudioError


@studio_cli.command("packs")
def packs_cmd() -> None:
    """List the pack sizes on offer (files in packs/ and sizes added by an admin)."""
    from .services import get_packs

    for p in sorted(get_packs().values(), key=lambda p: (p.type, p.id)):
        dims = ", ".join(f"{k}={v:g}" for k, v in p.dims.items())
        click.echo(f"{p.id:<24} {p.kind:<7} {p.name_id}  [{dims}]")


@studio_cli.command("render-pack")
@click.option("--product", "product_id", type=int, required=True)
@click.option("--pack", "pack_id", required=True, help="Pack size id (see 'flask --app app studio packs').")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--paper", type=click.Choice(["A4", "F4", "A3"]), default=None,
              help="Tile on office paper (default: one page at actual size with bleed, for a print shop).")
@click.option("--mockup", "mockup_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the mockup picture (.png or .jpg).")
def render_pack_cmd(product_id: int, pack_id: str, out_path: str, paper: str | None,
                    mockup_path: str | None) -> None:
    """Render the print PDF (cut and fold lines as spot colours) of a product's pack."""
    from .services import get_packs, render_pack_for_cli

    if pack_id not in get_packs():
        raise click.ClickException(f"unknown pack {pack_id!r}; see 'flask --app app studio packs'")
    try:
        pdf = render_pack_for_cli(product_id, pack_id, paper)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    Path(out_path).write_bytes(pdf)
    click.echo(f"{out_path}: {len(pdf)} bytes")
    if mockup_path:
        from ..extensions import db
        from ..products.models import Product
        from .services import find_pack_design, get_pack, pack_mockup

        pack = get_pack(pack_id)
        design = find_pack_design(db.session.get(Product, product_id), pack.kind)
        if design is None or design.pack_id != pack.id:
            raise click.ClickException("the mockup needs a saved pack design on this size (wizard page Kemasan)")
        fmt = "JPEG" if mockup_path.lower().endswith((".jpg", ".jpeg")) else "PNG"
        Path(mockup_path).write_bytes(pack_mockup(design, fmt=fmt))
        click.echo(f"{mockup_path}: mockup")
