"""``flask --app app studio import-products FILE`` (CSV or JSON), same rules as the trainer's page."""
from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import func, select

from ..cli import studio_cli


def print_report(report) -> None:
    """The row-by-row report, in plain Indonesian."""
    for err in report.file_errors:
        click.echo(f"BERKAS: {err}")
    if report.ignored_columns:
        click.echo("Kolom tidak dikenal (diabaikan): " + ", ".join(report.ignored_columns))
    labels = {"new": "BARU", "updated": "DIPERBARUI", "unchanged": "TIDAK BERUBAH",
              "checked": "LOLOS PERIKSA", "refused": "DITOLAK"}
    for row in report.rows:
        who = f" [{row.owner}]" if row.owner else ""
        click.echo(f"baris {row.line}: {labels.get(row.status, row.status)} – {row.name or '(tanpa nama)'}{who}"
                   + (f" – lengkap {row.percent}%" if row.status != "refused" else ""))
        for reason in row.reasons:
            click.echo(f"    ✗ {reason}")
    accepted, refused = len(report.accepted), len(report.refused)
    if report.imported:
        click.echo(f"Selesai: {accepted} produk diimpor.")
    elif report.dry_run and report.ok:
        click.echo(f"Periksa saja: {accepted} baris siap diimpor, tidak ada yang disimpan.")
    else:
        click.echo(f"Tidak ada yang diimpor: {refused} baris ditolak, {accepted} baris lolos. "
                   "Perbaiki baris yang ditolak lalu impor lagi.")


@studio_cli.command("import-products")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", default=None, help="Username of the producer who owns every row "
                                             "(default: each row's owner column).")
@click.option("--by", "by", default=None, help="Username of the trainer/admin doing the import "
                                               "(default: the first admin).")
@click.option("--dry-run", is_flag=True, help="Check and report only; save nothing.")
def import_products_cmd(file: Path, owner: str | None, by: str | None, dry_run: bool) -> None:
    """Import products from a CSV or JSON file: all rows or none. Exit 1 when a row is refused."""
    from ..auth.models import Role, User
    from ..errors import StudioError
    from ..extensions import db
    from .importer import import_products

    def user(name: str) -> User | None:
        return db.session.scalar(select(User).where(func.lower(User.username) == name.strip().lower()))

    actor = user(by) if by else db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id))
    if actor is None:
        raise click.ClickException("Akun pengimpor tidak ada (pakai --by NAMA_PENGGUNA admin/pendamping).")
    who = None
    if owner:
        who = user(owner)
        if who is None or who.role != Role.PRODUCER:
            raise click.ClickException(f"Produsen {owner!r} tidak ada.")
    from flask import current_app

    # a request context gives Flask-Babel its (default, Indonesian) locale for the report texts
    with current_app.test_request_context():
        try:
            report = import_products(actor, file.read_bytes(), file.name, owner=who, dry_run=dry_run)
        except StudioError as e:
            raise click.ClickException(e.message) from e
        print_report(report)
    if not report.ok:
        raise SystemExit(1)
