"""``flask --app app studio set-public-url URL`` (app context, no request)."""
from __future__ import annotations

import click

from ..cli import studio_cli
from ..errors import StudioError


@studio_cli.command("set-public-url")
@click.argument("url")
def set_public_url_cmd(url: str) -> None:
    """Set the catalogue's public address printed inside every QR code (e.g. https://katalog.example.id)."""
    from .services import set_public_url

    try:
        value = set_public_url(None, url)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Alamat publik katalog: {value} (kode QR membuka {value}/p/…)")
