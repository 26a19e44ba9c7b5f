"""``flask --app app studio remove-demo | backup | restore | go-live …`` (app context, no request)."""
from __future__ import annotations

import click

from ..cli import studio_cli
from ..errors import StudioError


@studio_cli.command("remove-demo")
@click.confirmation_option(prompt="Hapus pelatihan demo, akun demo dan semua data serta foto mereka?")
def remove_demo_cmd() -> None:
    """Remove the demo cohort, the demo accounts and everything made with them (real data stays)."""
    from .demo_data import remove_demo

    try:
        report = remove_demo(None)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Data demo dihapus: akun {', '.join(report.deleted_accounts) or '-'}; "
               f"{sum(report.deleted_rows.values())} baris; {report.deleted_files} berkas.")
    if report.kept_accounts:
        click.echo(f"Akun demo yang masih dipakai data nyata dinonaktifkan: {', '.join(report.kept_accounts)}")
    from .setup import real_admins

    if not real_admins():
        click.echo("Belum ada akun admin. Buat dengan: flask --app app studio create-user --role admin "
                   "--username … --name …")


@studio_cli.command("set-hub")
@click.option("--name", required=True, help='The hub\'s name, e.g. "Rumah Pintar Pelabuhan".')
@click.option("--district", required=True, help="The hub's kecamatan, e.g. Plandaan.")
def set_hub_cmd(name: str, district: str) -> None:
    """Set the hub's name and kecamatan."""
    from .setup import set_hub_identity

    try:
        name, district = set_hub_identity(None, name, district)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Hub: {name} · Kec. {district}")


@studio_cli.command("go-live")
def go_live_cmd() -> None:
    """Show the going-live checklist: what is done and what is left."""
    from .setup import checklist

    for step in checklist():
        click.echo(f"[{'x' if step.done else ' '}] {step.title}: {step.detail}")
        if not step.done and step.command:
            click.echo(f"      {step.command}")


@studio_cli.command("backup")
@click.argument("folder", type=click.Path(file_okay=False))
def backup_cmd(folder: str) -> None:
    """Write one archive of the database and media (with manifest and sha256) into FOLDER."""
    from .backup import make_backup

    try:
        result = make_backup(folder)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Cadangan dibuat: {result.path} ({result.files} berkas media, {result.bytes / 1e6:.1f} MB)")


@studio_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Overwrite a studio that already has data.")
def restore_cmd(archive: str, replace: bool) -> None:
    """Bring this install to the state of ARCHIVE (checked first; schema upgraded if older)."""
    from .backup import restore_backup

    try:
        manifest = restore_backup(archive, replace=replace)
    except StudioError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"Dipulihkan dari cadangan {manifest['created_at']} "
               f"({len(manifest['files']) - 1} berkas media). Jalankan ulang studio.")


@studio_cli.command("set-backup-dir")
@click.argument("folder", type=click.Path(file_okay=False))
def set_backup_dir_cmd(folder: str) -> None:
    """Back up daily into FOLDER (e.g. a USB disk); the newest BACKUP_KEEP archives are kept."""
    import os

    from ..extensions import db
    from . import setup

    folder = os.path.abspath(folder)
    os.makedirs(folder, exist_ok=True)
    setup.put_setting(None, setup.BACKUP_DIR, folder)
    db.session.commit()
    click.echo(f"Cadangan harian ke: {folder}")
