"""Issue 19, speed: the cleanup runs in the local job pool right after the upload, the photos page
shows its phases while it runs, and the photo reaches "ready" through the real jobs seam."""
from __future__ import annotations

import re
import threading
import time

from studio import jobs
from studio.extensions import db
from studio.imaging.ops import OPS
from studio.products.models import Photo

from .conftest import upload


def _only_photo(product_id: int) -> Photo:
    return db.session.scalars(db.select(Photo).where(Photo.product_id == product_id)).one()


def _status(client, product_id: int, photo_id: int) -> dict:
    db.session.expire_all()   # the job thread writes through its own session
    return client.get(f"/produk/{product_id}/foto/{photo_id}/status").get_json()


def _wait_finished(client, product_id: int, photo_id: int, timeout_s: float = 90) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = _status(client, product_id, photo_id)
        if status["finished"]:
            return status
        time.sleep(0.1)
    raise AssertionError("the cleanup did not finish")


def _phases(page: str, photo_id: int) -> dict[str, str]:
    """{phase words: "done" | "current" | "todo"} as the busy card of ``photo_id`` lists them."""
    card = page.split(f'id="foto-{photo_id}"', 1)[1].split("</article>", 1)[0]
    stages = card.split('class="photo-stages"', 1)[1].split("</ol>", 1)[0]
    return {re.sub(r"\s+", " ", words).strip(): state
            for state, words in re.findall(r'<li class="is-(\w+)"[^>]*><span[^>]*>[^<]*</span>([^<]+)</li>', stages)}


def test_the_page_lists_the_phases_while_the_cleanup_runs(app, as_owner, product, phone_jpeg, later, monkeypatch):
    upload(as_owner, product.id, phone_jpeg)
    photo = _only_photo(product.id)
    page = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert _phases(page, photo.id) == {"Foto diterima": "current", "Membuka foto": "todo", "Mencari produk": "todo",
                                       "Merapikan warna dan terang": "todo", "Menata foto katalog": "todo",
                                       "Menyimpan hasil": "todo"}
    assert re.search(r'data-poll-schedule="300 500[ 0-9]*"', page)

    reached, go = threading.Event(), threading.Event()
    real = OPS["white_balance"]

    def paused(frame, **params):   # the product is found; hold the job where colours are corrected
        reached.set()
        go.wait(60)
        return real(frame, **params)

    monkeypatch.setitem(OPS, "white_balance", paused)
    app.config["JOBS_MODE"] = "local"
    jobs.dispatch(photo.job_id)          # the real local pool, as add_photo dispatches after its commit
    try:
        assert reached.wait(60), "the job did not start"
        status = _status(as_owner, product.id, photo.id)
        assert status["finished"] is False and status["phase"] == "colour" and status["next_ms"] == 0
        assert status["message"] == "Menyeimbangkan warna…" and 0 < status["progress"] < 1
        db.session.expire_all()
        page = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
        assert _phases(page, photo.id) == {"Foto diterima": "done", "Membuka foto": "done", "Mencari produk": "done",
                                           "Merapikan warna dan terang": "current", "Menata foto katalog": "todo",
                                           "Menyimpan hasil": "todo"}
        assert re.search(r'<li class="is-current" data-phase="colour" aria-current="step">', page)
        assert "Menyeimbangkan warna…" in page and 'data-poll-url=' in page
    finally:
        go.set()
    assert _wait_finished(as_owner, product.id, photo.id)["status"] == "ready"


def test_a_photo_waiting_its_turn_is_asked_about_less_often(app, as_owner, product, phone_jpeg, later):
    """Thirty producers uploading at once must not poll the server twice a second each."""
    upload(as_owner, product.id, phone_jpeg)
    upload(as_owner, product.id, phone_jpeg, "kedua.jpg")
    first, second = db.session.scalars(db.select(Photo).where(Photo.product_id == product.id)
                                       .order_by(Photo.id)).all()
    assert _status(as_owner, product.id, first.id)["next_ms"] == 1000
    status = _status(as_owner, product.id, second.id)
    assert status["next_ms"] == 2000 and status["message"] == "Menunggu giliran (1 foto lagi)…"


def test_a_long_queue_says_about_when_the_photo_will_be_ready(app, as_owner, product, phone_jpeg, later, monkeypatch):
    """One cleanup at a time (a 2-core hub PC): the photo behind three others says how long it will
    take, from the recent cleanups' time (3 ahead + its own, 30 s each: about 2 minutes)."""
    from datetime import timedelta

    app.config["JOBS_WORKERS"] = 1
    monkeypatch.setattr(jobs, "_typical", {})
    t0 = jobs.utcnow()
    db.session.add_all([jobs.Job(kind="photo.clean", payload={}, status="done", started_at=t0,
                                 finished_at=t0 + timedelta(seconds=30)) for _ in range(3)])
    db.session.commit()
    for n in range(4):
        upload(as_owner, product.id, phone_jpeg, f"foto-{n}.jpg")
    last = db.session.scalars(db.select(Photo).where(Photo.product_id == product.id).order_by(Photo.id.desc())).first()
    assert _status(as_owner, product.id, last.id)["message"] == \
        "Menunggu giliran (3 foto lagi; selesai sekitar 2 menit lagi)…"
    page = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Menunggu giliran (3 foto lagi; selesai sekitar 2 menit lagi)…" in page


def test_the_phases_are_in_english_for_an_english_user(app, client, owner, product, phone_jpeg, later, login):
    owner.locale = "en"
    db.session.commit()
    login(owner)
    upload(client, product.id, phone_jpeg)
    page = client.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    phases = _phases(page, _only_photo(product.id).id)
    assert list(phases) == ["Photo received", "Opening the photo", "Finding the product",
                            "Correcting colour and brightness", "Laying out the catalogue photo", "Saving the results"]


def test_an_upload_reaches_ready_through_the_local_job_pool(app, as_owner, product, phone_jpeg):
    app.config["JOBS_MODE"] = "local"
    t0 = time.monotonic()
    r = upload(as_owner, product.id, phone_jpeg)
    assert r.status_code == 302
    photo = _only_photo(product.id)
    status = _wait_finished(as_owner, product.id, photo.id)
    assert status == {**status, "status": "ready", "progress": 1.0, "phase": "done"}
    db.session.expire_all()
    page = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    card = page.split(f'id="foto-{photo.id}"', 1)[1].split("</article>", 1)[0]
    assert "Sesudah" in card and "data-poll-url" not in card and "photo-stages" not in card
    thumb = re.search(r'<img src="([^"]+thumb-600[^"]*)"', card).group(1).replace("&amp;", "&")
    assert as_owner.get(thumb).status_code == 200
    # the photo is ready in the task's own commit; the runner writes the job's result in the next one
    job_id, deadline = _only_photo(product.id).job_id, time.monotonic() + 30
    while True:
        db.session.expire_all()
        job = db.session.get(jobs.Job, job_id)
        if job.finished or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    seconds = job.result["seconds"]        # per-stage timing kept with the job (the bench reads it)
    assert {"start", "segment", "saving"} <= set(seconds) and sum(seconds.values()) <= time.monotonic() - t0
    original = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/berkas/original")
    assert original.data == phone_jpeg    # the original is kept byte for byte
