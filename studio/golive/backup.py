"""Backups that restore: one tar archive of the database and the media folder, with a manifest.

``make_backup(folder)`` writes ``studio-cadangan-YYYYMMDD-HHMMSS.tar`` while the studio keeps serving:

* the database with SQLite's online backup API (a consistent snapshot, readers and writers go on), or
  ``pg_dump --format=custom`` in the scaled mode (PostgreSQL);
* then every media file (content-addressed and written atomically, so a file is whole or absent), but
  not the cache folder (``media/cache``: previews, findings, advice, compiled templates; regenerable);
* ``manifest.json``: when, from which schema revision, the database kind, and every member's size and
  sha256 (read once: the bytes hashed are the bytes archived).

The archive is written under a temporary name and renamed, so a half-written archive never looks like
a backup. ``restore_backup(archive)`` checks every checksum first, then puts the database and the media
folder back and upgrades the schema with Alembic when the archive is older than the code.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.engine import make_url

from .. import cache
from ..db import utcnow
from ..errors import Conflict, Invalid
from ..extensions import db
from ..media import media

PREFIX = "studio-cadangan-"
FORMAT = 1
CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int
    database: str


def _db_kind(url: str | None = None) -> str:
    url = url or current_app.config["SQLALCHEMY_DATABASE_URI"]
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise Invalid(f"database {name} cannot be backed up")
    return name


def _sqlite_path() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise Invalid("an in-memory database has no file to back up")
    return Path(database)


def _libpq_url() -> str:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql") \
        .render_as_string(hide_password=False)


def _schema_revision() -> str:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
    except Exception:   # a database made with create_all (tests) has no alembic_version table
        db.session.rollback()
        return ""


def _sha256_file(path: Path) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def _dump_database(target: Path) -> str:
    """Write a consistent copy of the database to ``target``; returns the member name."""
    kind = _db_kind()
    if kind == "sqlite":
        src = sqlite3.connect(str(_sqlite_path()), timeout=30)
        dst = sqlite3.connect(str(target))
        try:
            # online backup API in one step: one read transaction, so (WAL) writers go on and the copy is
            # the database at one instant; in steps, every write by another connection would restart it
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return "database.sqlite3"
    pg_dump = shutil.which(current_app.config.get("PG_DUMP", "pg_dump"))
    if not pg_dump:
        raise Conflict(str(_l("pg_dump tidak ditemukan. Pasang klien PostgreSQL (paket postgresql-client).")))
    subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-acl", "--file", str(target), _libpq_url()],
                   check=True, capture_output=True, timeout=3600)
    return "database.pgdump"


def make_backup(folder: str | Path) -> BackupResult:
    """Write one archive of the database and media into ``folder``; returns where and how much."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    final = folder / f"{PREFIX}{stamp}.tar"
    n = 1
    while final.exists():
        n += 1
        final = folder / f"{PREFIX}{stamp}-{n}.tar"
    work = Path(tempfile.mkdtemp(prefix=".tmp-cadangan-", dir=folder))
    tmp_archive = folder / f".tmp-{final.name}"
    try:
        db_member = _dump_database(work / "db")
        from .setup import HUB_DISTRICT, HUB_NAME, get_setting

        manifest = {"format": FORMAT, "created_at": utcnow().isoformat(), "database": _db_kind(),
                    "schema_revision": _schema_revision(), "files": {},
                    "hub": {"name": get_setting(HUB_NAME), "district": get_setting(HUB_DISTRICT)}}
        total = 0
        with tarfile.open(tmp_archive, "w") as tar:
            digest, size = _sha256_file(work / "db")
            manifest["files"][db_member] = {"sha256": digest, "size": size}
            tar.add(str(work / "db"), arcname=db_member)
            total += size
            root = media().root
            for path in sorted(root.rglob("*")):
                if not path.is_file() or path.name.startswith(".tmp-") or \
                        path.relative_to(root).parts[0] == cache.FOLDER:    # regenerable: previews, advice…
                    continue
                try:
                    data = path.read_bytes()
                except FileNotFoundError:   # removed while we walked: not part of this backup
                    continue
                name = "media/" + path.relative_to(root).as_posix()
                manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), int(path.stat().st_mtime), 0o600
                tar.addfile(info, io.BytesIO(data))
                total += len(data)
            body = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(body), int(utcnow().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(body))
        with open(tmp_archive, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp_archive, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if tmp_archive.exists():
            tmp_archive.unlink()
    return BackupResult(path=final, files=len(manifest["files"]) - 1, bytes=total, database=manifest["database"])


def read_manifest(archive: str | Path) -> dict:
    with tarfile.open(archive, "r") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise Invalid(str(_l("Berkas ini bukan cadangan Studio Kemasan (tidak ada manifest).")))
        return json.loads(member.read())


def verify_backup(archive: str | Path) -> dict:
    """Check every member's sha256 against the manifest. Returns the manifest.

    :raises Invalid: when a member is missing, extra or changed.
    """
    try:
        manifest = read_manifest(archive)
        seen: set[str] = set()
        with tarfile.open(archive, "r") as tar:
            for member in tar:
                if member.name == "manifest.json":
                    continue
                want = manifest["files"].get(member.name)
                f = tar.extractfile(member) if member.isfile() else None
                if want is None or f is None:
                    raise Invalid(str(_l("Cadangan rusak: berkas %(n)s tidak tercatat.", n=member.name)))
                h = hashlib.sha256()
                while chunk := f.read(CHUNK):
                    h.update(chunk)
                if h.hexdigest() != want["sha256"]:
                    raise Invalid(str(_l("Cadangan rusak: isi %(n)s berubah.", n=member.name)))
                seen.add(member.name)
        missing = set(manifest["files"]) - seen
        if missing:
            raise Invalid(str(_l("Cadangan tidak lengkap: %(n)d berkas hilang.", n=len(missing))))
        return manifest
    except (tarfile.TarError, KeyError, ValueError, OSError) as e:
        raise Invalid(str(_l("Berkas ini bukan cadangan yang utuh: %(e)s", e=str(e)))) from e


def restore_backup(archive: str | Path, *, replace: bool = False) -> dict:
    """Bring this install to the archive's state: database, media folder, then the schema upgraded.

    :raises Invalid: when the archive is damaged or of the other database kind.
    :raises Conflict: when this install already has accounts and ``replace`` is not given.
    """
    from flask_migrate import upgrade

    from ..auth.models import User

    manifest = verify_backup(archive)
    kind = _db_kind()
    if manifest["database"] != kind:
        raise Invalid(str(_l("Cadangan ini dari database %(a)s, studio ini memakai %(b)s.",
                             a=manifest["database"], b=kind)))
    try:
        has_users = bool(db.session.scalar(db.select(User.id).limit(1)))
    except Exception:
        db.session.rollback()
        has_users = False
    if has_users and not replace:
        raise Conflict(str(_l("Studio ini sudah berisi data. Pulihkan ke instalasi baru, atau pakai --replace "
                              "untuk menimpa semuanya.")))
    db.session.remove()
    db.engine.dispose()
    store = media()
    with tempfile.TemporaryDirectory(prefix=".tmp-pulih-", dir=store.root.parent) as work:
        work = Path(work)
        with tarfile.open(archive, "r") as tar:
            for member in tar:
                if member.name == "manifest.json" or not member.isfile():
                    continue
                if member.name.startswith("media/"):
                    try:
                        target = store.path(member.name[len("media/"):])   # refuses keys outside the folder
                    except ValueError as e:
                        raise Invalid(str(_l("Cadangan rusak: berkas %(n)s tidak tercatat.", n=member.name))) from e
                else:
                    target = work / Path(member.name).name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        wanted = {n[len("media/"):] for n in manifest["files"] if n.startswith("media/")}
        for path in list(store.root.rglob("*")):   # exactly that state: files the archive does not have go
            if path.is_file() and path.relative_to(store.root).as_posix() not in wanted:
                path.unlink()
        if kind == "sqlite":
            src = sqlite3.connect(str(work / "database.sqlite3"))
            dst = sqlite3.connect(str(_sqlite_path()), timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            pg_restore = shutil.which(current_app.config.get("PG_RESTORE", "pg_restore"))
            if not pg_restore:
                raise Conflict(str(_l("pg_restore tidak ditemukan. Pasang klien PostgreSQL (paket postgresql-client).")))
            url = _libpq_url()
            subprocess.run(["psql", "--quiet", "-v", "ON_ERROR_STOP=1", "-c",
                            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", url],
                           check=True, capture_output=True, timeout=600)
            subprocess.run([pg_restore, "--no-owner", "--no-acl", "--dbname", url, str(work / "database.pgdump")],
                           check=True, capture_output=True, timeout=3600)
    db.engine.dispose()
    if manifest.get("schema_revision"):
        upgrade(directory=current_app.extensions["migrate"].directory)   # an older archive: migrate it
    return manifest


def prune(folder: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives in ``folder``; returns what was deleted."""
    archives = sorted(Path(folder).glob(f"{PREFIX}*.tar"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    doomed = archives[:-keep] if keep > 0 else []
    for p in doomed:
        p.unlink()
    return doomed
