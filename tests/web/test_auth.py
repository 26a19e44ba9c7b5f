"""Logging in and out, roles, rate limits, account admin."""
from __future__ import annotations

from studio.auth.models import User
from studio.extensions import db


def test_producer_logs_in_with_username_and_lands_on_their_products(client, create_user):
    create_user("producer", username="bu.sri")
    r = client.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"}, follow_redirects=True)
    assert r.status_code == 200
    assert "Produk saya" in r.get_data(as_text=True)


def test_login_with_phone_number_in_local_format(client, create_user):
    create_user("producer", username="pak.darto", phone="0812-3450-0012")
    r = client.post("/masuk", data={"login": "081234500012", "password": "rahasia123"})
    assert r.status_code == 302


def test_wrong_password_keeps_the_login_and_says_what_is_wrong(client, create_user):
    create_user("producer", username="bu.sri")
    r = client.post("/masuk", data={"login": "bu.sri", "password": "salah-sekali"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'value="bu.sri"' in html
    assert "kata sandi salah" in html


def test_login_is_rate_limited_after_repeated_failures(client, create_user, app):
    create_user("producer", username="bu.sri")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/masuk", data={"login": "bu.sri", "password": "salah-sekali"})
    r = client.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"})
    assert r.status_code == 429
    assert "Terlalu banyak percobaan" in r.get_data(as_text=True)


def test_passwords_are_stored_hashed_with_scrypt(create_user):
    user = create_user("producer", username="bu.sri")
    stored = db.session.get(User, user.id).password_hash
    assert "rahasia123" not in stored
    assert stored.startswith("scrypt:")


def test_open_redirect_after_login_is_refused(client, create_user):
    create_user("producer", username="bu.sri")
    r = client.post("/masuk?next=https://evil.example/x", data={"login": "bu.sri", "password": "rahasia123"})
    assert r.status_code == 302
    assert "evil.example" not in r.headers["Location"]


def test_anonymous_user_is_sent_to_login(client):
    r = client.get("/produk")
    assert r.status_code == 302
    assert "/masuk" in r.headers["Location"]


def test_trainer_creates_producer_account_and_duplicate_username_keeps_input(client, login, create_user, cohort_with):
    cohort, trainer, _ = cohort_with(0)
    login(trainer)
    data = {"full_name": "Sri Wahyuni", "username": "bu.sri", "phone": "081234567890", "role": "producer",
            "business_name": "UD Mbok Sri", "password": "mbok-sri-2026"}
    r = client.post(f"/akun/baru?cohort={cohort.id}", data=data)
    assert r.status_code == 302
    r = client.post(f"/akun/baru?cohort={cohort.id}", data=dict(data, phone="081234567891"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "sudah dipakai" in html
    assert 'value="Sri Wahyuni"' in html
    new = db.session.scalar(db.select(User).where(User.username == "bu.sri"))
    assert new.role == "producer" and new.profile.business_name == "UD Mbok Sri"
    assert new in cohort.producers


def test_trainer_cannot_create_admin_accounts(client, login, cohort_with):
    _, trainer, _ = cohort_with(0)
    login(trainer)
    r = client.post("/akun/baru", data={"full_name": "X", "username": "jahat", "role": "admin", "password": "12345678x"})
    assert db.session.scalar(db.select(User).where(User.username == "jahat")) is None
    assert r.status_code == 200  # the form says the choice is not valid


def test_trainer_resets_password_of_own_producer_only(client, login, cohort_with, create_user):
    _, trainer, (producer,) = cohort_with(1)
    stranger = create_user("producer")
    login(trainer)
    assert client.post(f"/akun/{producer.id}/sandi", data={"password": "baru-123456"}).status_code == 302
    assert client.get(f"/akun/{stranger.id}/sandi").status_code == 404
    client.post("/keluar")
    assert client.post("/masuk", data={"login": producer.username, "password": "baru-123456"}).status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, create_user):
    create_user("producer", username="bu.sri")
    r = client.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"})
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_are_set(client):
    r = client.get("/masuk")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
