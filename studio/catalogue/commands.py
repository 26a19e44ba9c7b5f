"""``flask --app app studio adopt-listing-photos`` (app context, no request)."""
from __future__ import annotations

import click

from ..cli import studio_cli


@studio_cli.command("adopt-listing-photos")
def adopt_listing_photos_cmd() -> None:
    """Copy the photos of listings published before listings owned their pictures (idempotent)."""
    from .services import adopt_listing_photos

    click.echo(f"Foto katalog disalin untuk {adopt_listing_photos()} produk terbit.")


@studio_cli.group("api-token")
def api_token_cli() -> None:
    """Tokens for other systems: create, list, rotate, revoke."""


@api_token_cli.command("create")
@click.option("--admin", "admin_username", required=True, help="Admin yang memiliki token")
@click.option("--name", required=True)
@click.option("--scope", type=click.Choice(["read", "publish"]), default="read", show_default=True)
@click.option("--days", type=int, default=90, show_default=True)
def api_token_create_cmd(admin_username: str, name: str, scope: str, days: int) -> None:
    """Make a token; it is printed once."""
    from ..auth.models import User
    from ..errors import StudioError
    from ..extensions import db
    from .services import create_api_token

    admin = db.session.scalar(db.select(User).where(User.username == admin_username.strip().lower()))
    if admin is None:
        raise click.ClickException(f"Akun {admin_username} tidak ada.")
    try:
        token = create_api_token(admin, name, scope, days)
    except StudioError as e:
        raise click.ClickException(e.message or "Hanya admin aktif yang membuat token.") from e
    click.echo(token)


@api_token_cli.command("list")
def api_token_list_cmd() -> None:
    """Every token with its scope, owner, expiry, last use and state."""
    from ..extensions import db
    from .models import ApiToken
    from .services import api_token_state

    for t in db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)):
        click.echo(f"{t.id}\t{t.name}\t{t.scope}\t{t.owner.username if t.owner else '-'}\t"
                   f"{t.expires_at:%Y-%m-%d}\t{t.last_used_at or '-'}\t{api_token_state(t)}")


@api_token_cli.command("revoke")
@click.argument("token_id", type=int)
def api_token_revoke_cmd(token_id: int) -> None:
    """Revoke a token by its number (see list)."""
    from ..errors import StudioError
    from .services import revoke_api_token

    try:
        revoke_api_token(None, token_id)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Token {token_id} dicabut.")


@api_token_cli.command("rotate")
@click.argument("token_id", type=int)
@click.option("--grace-hours", type=int, default=24, show_default=True,
              help="Jam token lama masih berlaku (0: dicabut sekarang)")
@click.option("--days", type=int, default=None, help="Masa berlaku token baru (bawaan: seperti token lama)")
def api_token_rotate_cmd(token_id: int, grace_hours: int, days: int | None) -> None:
    """Replace a token by a new one (same name, scope, owner); the new token is printed once."""
    from ..errors import StudioError
    from .services import rotate_api_token

    try:
        row, token = rotate_api_token(None, token_id, grace_hours=grace_hours, days=days)
    except StudioError as e:
        raise click.ClickException(e.message or "Token tidak bisa diganti.") from e
    click.echo(token)
    click.echo(f"Token {row.id} menggantikan token {token_id}.", err=True)
