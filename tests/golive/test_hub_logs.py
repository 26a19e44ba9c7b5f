"""Logs a hub can read: the admin's page lists the last page errors and failed jobs in plain words."""
from __future__ import annotations

from studio.extensions import db


def test_log_page_explains_page_errors_and_job_failures(app, client, login, create_user):
    from studio.jobs import Job, JobStatus

    db.session.add(Job(kind="golive.backup", payload={}, status=JobStatus.FAILED,
                       error="OSError: [Errno 28] No space left on device: '/media/usb/x.tar'"))
    db.session.add(Job(kind="catalogue.deliver", payload={}, status=JobStatus.QUEUED,
                       error="ConnectionError: BLONJO did not answer"))
    db.session.commit()

    def boom(**_kw):
        raise RuntimeError("rusak di tengah jalan")
    app.view_functions["catalogue.home"] = boom
    app.config["PROPAGATE_EXCEPTIONS"] = False   # as when serving: the error page, not the test's exception
    assert client.get("/katalog").status_code == 500

    login(create_user("hub"))
    assert client.get("/admin/catatan").status_code == 403
    login(create_user("admin"))
    html = client.get("/admin/catatan").get_data(as_text=True)
    assert "Cadangan harian" in html and "Diska penuh" in html
    assert "Mengirim produk ke BLONJO" in html and "akan dicoba lagi otomatis" in html
    assert "Halaman GET /katalog gagal dibuka" in html and "rusak di tengah jalan" in html
    client.post("/bahasa", data={"lang": "en"})
    html = client.get("/admin/catatan").get_data(as_text=True)
    assert "Daily backup" in html and "The disk is full" in html
