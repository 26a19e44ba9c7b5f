"""``flask --app app studio adopt-listing-photos`` (app context, no request)."""
from __future__ import annotations

import click

from ..cli import studio_cli


@studio_cli.command("adopt-listing-photos")
def adopt_listing_photos_cmd() -> None:
    """Copy the photos of listings published before listings owned their pictures (idempotent)."""
    from .services import adopt_listing_photos

    click.echo(f"Foto katalog disalin untuk {adopt_listing_photos()} produk terbit.")
