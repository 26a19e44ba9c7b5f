"""Accounts a hub can run: a disabled account cannot log in, a forced password change comes before any
page, the admin sees the last logins, and a trainer's password reset is logged."""
from __future__ import annotations

from studio.extensions import db


def test_disabled_account_is_refused_and_its_sessions_end(app, client, login, create_user):
    producer, admin = create_user("producer"), create_user("admin")
    phone = app.test_client()
    assert phone.post("/masuk", data={"login": producer.username, "password": "rahasia123"}).status_code == 302
    login(admin)
    assert client.post(f"/akun/{producer.id}/nonaktif").status_code == 302
    assert phone.get("/produk").status_code == 302                       # the session ended
    r = phone.post("/masuk", data={"login": producer.username, "password": "rahasia123"})
    assert r.status_code == 200 and "salah" in r.get_data(as_text=True)   # login refused


def test_forced_password_change_comes_before_every_page_until_done(app, client, login, create_user):
    producer, admin = create_user("producer"), create_user("admin")
    login(producer)
    assert client.post(f"/akun/{producer.id}/wajib-ganti-sandi").status_code == 403   # admins only
    login(admin)
    assert client.post(f"/akun/{producer.id}/wajib-ganti-sandi").status_code == 302
    login(producer)
    r = client.get("/produk")
    assert r.status_code == 302 and r.headers["Location"].endswith("/akun")
    assert client.get("/katalog").status_code == 302
    assert "Ganti dulu kata sandi" in client.get("/akun").get_data(as_text=True)
    r = client.post("/akun", data={"old_password": "rahasia123", "new_password": "rahasia123"})
    assert "berbeda" in r.get_data(as_text=True)                          # the same password is no change
    assert client.post("/akun", data={"old_password": "rahasia123", "new_password": "punyaku-sendiri"}).status_code == 302
    assert client.get("/produk").status_code == 200


def test_admin_sees_last_logins_and_a_trainer_reset_is_logged(app, client, login, create_user, cohort_with):
    from studio.auth.models import AuditEvent

    _cohort, trainer, (producer, never) = cohort_with(2)
    login(producer)
    login(trainer)
    r = client.post(f"/akun/{producer.id}/sandi", data={"password": "sementara-123", "must_change": "y"})
    assert r.status_code == 302
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "reset_password")).one()
    assert event.actor_id == trainer.id and event.subject_user_id == producer.id
    admin = create_user("admin")
    login(admin)
    html = client.get("/admin").get_data(as_text=True)
    row = next(line for line in html.splitlines() if f"<td>{producer.username}</td>" in line)
    never_row = next(line for line in html.splitlines() if f"<td>{never.username}</td>" in line)
    assert "belum pernah" not in row and "belum pernah" in never_row
    page = client.get(f"/akun/{producer.id}/sandi").get_data(as_text=True)
    assert "kata sandi diganti oleh pendamping/admin" in page and trainer.username in page
    # the producer chooses her own password first
    client.post("/keluar")
    client.post("/masuk", data={"login": producer.username, "password": "sementara-123"})
    assert client.get("/produk").headers["Location"].endswith("/akun")
