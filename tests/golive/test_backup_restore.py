"""Backups that restore: an archive made while requests run brings a fresh install back to exactly that
state — every row, every media file (sha256), the same pages and the same print PDF."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from studio.extensions import db


def _scaled() -> bool:
    return bool(os.environ.get("STUDIO_TEST_DATABASE_URL"))


def _tables() -> dict[str, list[tuple]]:
    out = {}
    for t in db.metadata.sorted_tables:
        order = list(t.primary_key.columns) or list(t.columns)
        rows = db.session.execute(select(t).order_by(*order)).all()
        out[t.name] = [tuple(_plain(v) for v in r) for r in rows]
    return out


def _plain(v):
    from datetime import datetime, timezone

    if isinstance(v, datetime):   # SQLite gives naive UTC, PostgreSQL aware: compare the instant
        return (v if v.tzinfo else v.replace(tzinfo=timezone.utc)).isoformat()
    return repr(v)


def _media(root) -> dict[str, str]:
    root = Path(root)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")
            and p.relative_to(root).parts[0] != "cache"}       # regenerable (previews, templates): not backed up


def _studio(app, client, login, ready_product, create_user):
    """Products with photos (one cleaned for real), a design version, a print job with its PDF, a listing."""
    from studio.catalogue.models import Listing
    from studio.imaging.synthetic import jpeg_bytes, make_photo
    from studio.media import media
    from studio.printing.models import PrintJob
    from studio.printing.services import pdf_key_for

    product = ready_product()
    ready_product(name="Kopi Bubuk Robusta")
    login(product.owner)
    data = jpeg_bytes(make_photo(4, size=(400, 300), product="pouch", background="cloth").image)
    assert client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(data), "foto.jpg")},
                       content_type="multipart/form-data").status_code in (200, 302)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    listing = db.session.scalars(select(Listing).where(Listing.product_id == product.id)).one()
    job = db.session.scalars(select(PrintJob).where(PrintJob.product_id == product.id)).one()
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Keripik Singkong Balado")
    c.save()
    job.pdf_key = media().put(pdf_key_for(job), buf.getvalue())
    db.session.commit()
    operator = create_user("hub", username="operator.hub")
    return listing.public_code, job.id, operator


def _pages(client, login, operator, code, job_id):
    client.post("/keluar")
    client.get("/masuk")                # the "signed out" notice is shown here, not on the listing
    public = client.get(f"/p/{code}")   # as a buyer sees it
    login(operator)
    pdf = client.get(f"/hub/pekerjaan/{job_id}/label.pdf")
    hub = client.get("/hub/")
    assert public.status_code == 200 and pdf.status_code == 200 and hub.status_code == 200
    return {"public": public.get_data(as_text=True), "pdf": pdf.data}


def test_backup_while_serving_then_restore_into_a_fresh_install(app, client, login, ready_product, create_user,
                                                               tmp_path):
    from studio import create_app
    from studio.golive.backup import make_backup, verify_backup

    if _scaled() and not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("pg_dump / pg_restore / psql not installed")
    code, job_id, operator = _studio(app, client, login, ready_product, create_user)
    before_pages = _pages(client, login, operator, code, job_id)
    operator_name = operator.username

    # requests keep running (a second client in a thread) while the archive is written
    stop, served, errors = threading.Event(), [], []

    def traffic():
        other = app.test_client()
        while not stop.is_set():
            try:
                r = other.get(f"/p/{code}")
                served.append(r.status_code)
                other.get("/katalog")
            except Exception as e:   # pragma: no cover - reported below
                errors.append(e)
    thread = threading.Thread(target=traffic)
    thread.start()
    try:
        result = make_backup(tmp_path / "usb")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors and served and set(served) == {200}
    manifest = verify_backup(result.path)
    rows_before, media_before = _tables(), _media(app.config["MEDIA_DIR"])
    assert rows_before["products"] and rows_before["photos"] and rows_before["designs"]
    assert rows_before["print_jobs"] and rows_before["listings"] and len(media_before) > 5
    assert {k[len("media/"):]: v["sha256"] for k, v in manifest["files"].items() if k.startswith("media/")} \
        == media_before

    # a fresh install: its own folder and (embedded) its own database file
    db_url = app.config["SQLALCHEMY_DATABASE_URI"] if _scaled() else f"sqlite:///{tmp_path / 'fresh' / 's.sqlite3'}"
    (tmp_path / "fresh").mkdir()
    fresh = create_app({"TESTING": True, "SECRET_KEY": "test", "JOBS_MODE": "eager", "WTF_CSRF_ENABLED": False,
                        "SQLALCHEMY_DATABASE_URI": db_url, "MEDIA_DIR": str(tmp_path / "fresh" / "media"),
                        "DEMO_ON_FIRST_START": False, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
                        "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"]})
    db.session.remove()
    with fresh.app_context():
        from flask_migrate import upgrade

        from studio.golive.backup import restore_backup

        if not _scaled():
            upgrade()   # what ``studio init --no-demo`` does on a fresh install
        restore_backup(result.path, replace=_scaled())
        rows_after = _tables()
        for name, rows in rows_before.items():
            assert rows_after[name] == rows, name
        assert _media(fresh.config["MEDIA_DIR"]) == media_before
        fresh_client = fresh.test_client()
        public = fresh_client.get(f"/p/{code}").get_data(as_text=True)
        assert fresh_client.post("/masuk", data={"login": operator_name, "password": "rahasia123"}).status_code == 302
        after_pages = {"public": public, "pdf": fresh_client.get(f"/hub/pekerjaan/{job_id}/label.pdf").data}
        assert after_pages["pdf"] == before_pages["pdf"]
        strip = lambda html: __import__("re").sub(r'name="csrf_token"[^>]*>', "", html)  # noqa: E731
        assert strip(after_pages["public"]) == strip(before_pages["public"])
        db.session.remove()
        db.engine.dispose()


def test_a_changed_archive_is_refused_and_nothing_is_restored(app, create_user, tmp_path):
    from studio.errors import Invalid
    from studio.golive.backup import make_backup, restore_backup
    from studio.media import media

    if _scaled():
        pytest.skip("the embedded default is enough to show the checksum check")
    media().put("originals/aa/foto.jpg", b"asli")
    archive = make_backup(tmp_path).path
    bad = tmp_path / "rusak.tar"
    with tarfile.open(archive) as src, tarfile.open(bad, "w") as dst:
        for m in src:
            data = src.extractfile(m).read()
            if m.name == "media/originals/aa/foto.jpg":
                data = b"ASLI"
            dst.addfile(m, io.BytesIO(data))
    with pytest.raises(Invalid, match="berubah"):
        restore_backup(bad)
    assert media().read("originals/aa/foto.jpg") == b"asli"


def test_daily_backup_from_the_jobs_seam_keeps_the_last_n_and_the_hub_home_shows_it(
        app, client, login, create_user, tmp_path):
    from studio import jobs
    from studio.golive import tasks

    if _scaled() and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    login(create_user("hub"))
    assert 'data-backup-status="none"' in client.get("/hub/").get_data(as_text=True)
    app.config.update(BACKUP_DIR=str(tmp_path / "usb"), BACKUP_KEEP=2, BACKUP_EVERY_HOURS=0)
    made = []
    for _ in range(3):
        db.session.execute(db.delete(jobs.Job).where(jobs.Job.kind == tasks.KIND))   # the hourly retry guard
        db.session.commit()
        assert tasks.schedule_daily_backup() is True   # eager jobs: runs now
        made.append(tasks.last_backup()[1])
    kept = sorted(p.name for p in (tmp_path / "usb").glob("studio-cadangan-*.tar"))
    assert len(set(made)) == 3 and kept == sorted(Path(m).name for m in made[-2:])
    html = client.get("/hub/").get_data(as_text=True)
    assert 'data-backup-status="ok"' in html and "Cadangan terakhir yang berhasil" in html
