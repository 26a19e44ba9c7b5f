"""``flask --app app studio …`` commands (app context, no request)."""
from __future__ import annotations

import importlib
import pkgutil

import click
from flask import Flask
from flask.cli import AppGroup

studio_cli = AppGroup("studio", help="Studio Kemasan commands.")

FEATURES = ("auth", "hubsetup", "cohorts", "products", "designs", "packs", "printing", "catalogue", "wizard", "golive")


@studio_cli.command("init")
@click.option("--demo/--no-demo", default=None, help="Seed demo data (default: when the database is empty).")
def init_cmd(demo: bool | None) -> None:
    """Upgrade the schema to the newest migration and seed demo data on first start."""
    from flask import current_app
    from flask_migrate import upgrade

    from . import demo as demo_mod

    upgrade()
    from .catalogue.services import adopt_listing_photos

    adopt_listing_photos()   # listings published before they owned their pictures (idempotent)
    want = demo if demo is not None else current_app.config["DEMO_ON_FIRST_START"]
    if want and demo_mod.database_is_empty():
        demo_mod.seed()
        click.echo("Data demo dibuat. Lihat README untuk akun demo.")
    click.echo("Database siap.")


@studio_cli.command("demo")
def demo_cmd() -> None:
    """Seed the demo cohort "Pelatihan Desa Pelabuhan" (skips what already exists)."""
    from . import demo as demo_mod

    created = demo_mod.seed()
    click.echo(f"Data demo: {created} akun baru.")


@studio_cli.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(["producer", "trainer", "hub", "admin"]), required=True)
@click.password_option()
@click.option("--phone", default=None)
def create_user_cmd(username: str, full_name: str, role: str, password: str, phone: str | None) -> None:
    """Create an account (for the first admin of a new hub)."""
    from .auth.services import NewUser, create_user
    from .errors import StudioError

    try:
        user = create_user(None, NewUser(username=username, full_name=full_name, role=role,
                                         password=password, phone=phone))
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Akun {user.username} ({user.role}) dibuat.")


def import_feature_modules(prefix: str) -> None:
    """Import every ``studio.<feature>.<prefix>*`` module (e.g. commands.py, commands_preflight.py)."""
    for feature in FEATURES:
        package = importlib.import_module(f"studio.{feature}")
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith(prefix):
                importlib.import_module(f"studio.{feature}.{info.name}")


def register_commands(app: Flask) -> None:
    # Each feature adds its own commands to ``studio_cli`` in ``<feature>/commands.py``.
    import_feature_modules("commands")
    app.cli.add_command(studio_cli)
