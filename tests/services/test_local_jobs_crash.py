"""Embedded mode: the hub PC dies while a photo job is writing its outputs. On the next start the
job is taken over once (its lease ran out), finishes, and no real key was ever half-written."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PIL import Image

from studio import jobs
from studio.extensions import db
from studio.media import media

ROOT = Path(__file__).resolve().parents[2]


def test_app_process_killed_mid_photo_job_resumes_on_next_start(app, create_user, create_product, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        import pytest

        pytest.skip("the scaled run covers this with a real Celery worker (tests/scaled)")
    owner = create_user("producer")
    product = create_product(owner, "Keripik Pisang")
    db_url, media_dir = app.config["SQLALCHEMY_DATABASE_URI"], app.config["MEDIA_DIR"]
    script = textwrap.dedent(f"""
        import os, re, time
        from studio import create_app, media as media_mod
        from studio.extensions import db
        from studio.auth.models import User
        from studio.imaging.synthetic import jpeg_bytes, make_photo
        _put = media_mod.MediaStore.put
        def crashing_put(self, key, data):       # the power goes half-way through cutout.png
            if key.endswith("/cutout.png"):
                target = self.path(key)
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target.parent / ".tmp-crash", "wb") as f:
                    f.write(data[: len(data) // 2])
                os._exit(137)
            return _put(self, key, data)
        media_mod.MediaStore.put = crashing_put
        app = create_app({{"SQLALCHEMY_DATABASE_URI": {db_url!r}, "MEDIA_DIR": {media_dir!r}, "SECRET_KEY": "t",
                          "JOBS_MODE": "local", "JOBS_LEASE_S": 2,
                          "JOBS_HEAVY_PROCESSES": False}})   # the patched put runs in this process
        with app.test_request_context():
            from studio.products.photos import add_photo
            owner = db.session.get(User, {owner.id})
            shot = make_photo(4, size=(1200, 900), product="jar")
            add_photo(owner, {product.id}, jpeg_bytes(shot.image), "pisang.jpg")
        time.sleep(120)                          # the pool thread kills the process long before this
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 137, proc.stderr[-2000:]
    db.session.expire_all()
    job = db.session.scalar(db.select(jobs.Job).where(jobs.Job.kind == "photo.clean"))
    assert job.status == "running" and job.attempts == 1
    assert not list(Path(media_dir).rglob("cutout.png"))

    app.config.update(JOBS_MODE="local", JOBS_LEASE_S=2)
    time.sleep(2.5)                              # the dead process's heartbeat is now older than the lease
    assert jobs.resume_pending(app) == 1         # what the next start of the studio does
    deadline = time.time() + 60
    while time.time() < deadline:
        db.session.expire_all()
        if db.session.get(jobs.Job, job.id).finished:
            break
        time.sleep(0.2)
    job = db.session.get(jobs.Job, job.id)
    assert job.status == "done" and job.attempts == 2
    from studio.products.models import Photo

    photo = db.session.scalar(db.select(Photo))
    assert photo.status == "ready"
    with Image.open(media().path(photo.cutout_key)) as cut:
        cut.load()
        assert cut.mode == "RGBA"
