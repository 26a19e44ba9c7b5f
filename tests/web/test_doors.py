"""Issue 23, doors: no account takeover, sessions that can be ended, login limits that slow rather
than lock, scoped API tokens, private files and caching. Each test reproduces one class of the issue."""
from __future__ import annotations

import threading

from studio.auth.models import User
from studio.extensions import db


def _user(username):
    return db.session.scalar(db.select(User).where(User.username == username))


def _admin(create_user):
    from studio.hubsetup.services import set_public_url

    admin = create_user("admin")
    set_public_url(admin, "http://192.168.1.10:5000")   # past the first-start question
    return admin


def _new_producer(username, **kw):
    return dict({"full_name": username.title(), "username": username, "role": "producer",
                 "password": "mbok-sri-2026", "phone": "", "business_name": "UD Coba"}, **kw)


# --- 1. account takeover ---------------------------------------------------------------------------

def test_trainer_cannot_take_over_an_unassigned_producer(client, login, cohort_with, create_user):
    cohort, trainer, _ = cohort_with(0)
    loner = create_user("producer", username="bu.sendiri")           # made by the CLI, in no cohort
    login(trainer)
    client.post(f"/pelatihan/{cohort.id}", data={"producer_id": loner.id})
    db.session.expire_all()
    assert loner not in db.session.get(type(cohort), cohort.id).producers
    assert client.get(f"/akun/{loner.id}/sandi").status_code == 404
    r = client.post(f"/akun/{loner.id}/sandi", data={"password": "diambil-alih"})
    assert r.status_code == 404
    client.post("/keluar")
    assert client.post("/masuk", data={"login": "bu.sendiri", "password": "diambil-alih"}).status_code == 200


def test_trainer_creating_into_a_cohort_they_do_not_train_leaves_no_account(client, login, cohort_with):
    other, _, _ = cohort_with(0)
    _, trainer, _ = cohort_with(0)
    login(trainer)
    r = client.post(f"/akun/baru?cohort={other.id}", data=_new_producer("bu.yatim"))
    assert r.status_code in (200, 404)
    assert _user("bu.yatim") is None
    r = client.post("/akun/baru", data=_new_producer("bu.tanpa"))   # no cohort at all
    assert r.status_code == 200 and _user("bu.tanpa") is None


def test_admin_picks_the_cohort_of_a_new_producer(client, login, cohort_with, create_user):
    cohort, _, _ = cohort_with(0)
    admin = _admin(create_user)
    login(admin)
    r = client.post("/akun/baru", data=_new_producer("bu.tanpa"))
    assert r.status_code == 200 and "pelatihan" in r.get_data(as_text=True).lower()
    assert _user("bu.tanpa") is None
    r = client.post("/akun/baru", data=_new_producer("bu.baru", cohort_id=str(cohort.id)))
    assert r.status_code == 302
    assert _user("bu.baru") in cohort.producers


def test_moving_a_producer_is_an_admin_action_and_is_logged(client, login, cohort_with, create_user):
    cohort_a, trainer_a, (producer,) = cohort_with(1)
    cohort_b, trainer_b, _ = cohort_with(0)
    login(trainer_b)
    client.post(f"/pelatihan/{cohort_b.id}", data={"producer_id": producer.id})
    assert client.post(f"/pelatihan/produsen/{producer.id}/pindah", data={"cohort_id": cohort_b.id}).status_code == 403
    db.session.expire_all()
    assert producer not in cohort_b.producers
    admin = _admin(create_user)
    login(admin)
    r = client.post(f"/pelatihan/produsen/{producer.id}/pindah", data={"cohort_id": cohort_b.id})
    assert r.status_code == 302
    db.session.expire_all()
    assert producer in cohort_b.producers and producer not in cohort_a.producers
    from studio.auth.models import AuditEvent

    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "cohort_move"))
    assert event.actor_id == admin.id and event.subject_user_id == producer.id
    login(trainer_a)
    assert client.get(f"/akun/{producer.id}/sandi").status_code == 404


# --- 2. sessions that can be ended ------------------------------------------------------------------

def _cookie(client):
    return client.get_cookie("session").value


def _other_client(app, cookie):
    from flask import g

    g.pop("_login_user", None)   # the tests' shared app context must not hand over a cached user
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def test_a_copied_session_cookie_stops_working_after_logout(app, client, login, create_user):
    producer = create_user("producer")
    login(producer)
    copied = _cookie(client)
    assert _other_client(app, copied).get("/produk").status_code == 200
    client.post("/keluar")
    assert _other_client(app, copied).get("/produk").status_code == 302


def test_a_copied_session_cookie_stops_working_after_a_password_reset(app, client, login, cohort_with, create_user):
    _, trainer, (producer,) = cohort_with(1)
    login(producer)
    copied = _cookie(client)
    trainer_client = app.test_client()
    trainer_client.post("/masuk", data={"login": trainer.username, "password": "rahasia123"})
    assert trainer_client.post(f"/akun/{producer.id}/sandi", data={"password": "baru-123456"}).status_code == 302
    assert _other_client(app, copied).get("/produk").status_code == 302
    assert client.get("/produk").status_code == 302


def test_changing_my_password_ends_my_other_sessions_but_not_this_one(app, client, login, create_user):
    producer = create_user("producer")
    login(producer)
    phone = app.test_client()
    phone.post("/masuk", data={"login": producer.username, "password": "rahasia123"})
    r = client.post("/akun", data={"old_password": "rahasia123", "new_password": "baru-654321"})
    assert r.status_code == 302
    assert client.get("/produk").status_code == 200
    assert phone.get("/produk").status_code == 302


def test_admin_ends_a_users_sessions_and_deactivation_ends_them_too(app, client, login, create_user):
    producer, admin = create_user("producer"), _admin(create_user)
    phone = app.test_client()
    phone.post("/masuk", data={"login": producer.username, "password": "rahasia123"})
    login(admin)
    assert "Akhiri semua sesi" in client.get(f"/akun/{producer.id}/sandi").get_data(as_text=True)
    assert client.post(f"/akun/{producer.id}/akhiri-sesi").status_code == 302
    assert phone.get("/produk").status_code == 302
    phone.post("/masuk", data={"login": producer.username, "password": "rahasia123"})
    assert phone.get("/produk").status_code == 200
    assert client.post(f"/akun/{producer.id}/nonaktif").status_code == 302
    assert phone.get("/produk").status_code == 302
    assert phone.post("/masuk", data={"login": producer.username, "password": "rahasia123"}).status_code == 200


def test_sessions_last_a_training_day(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() <= 12 * 3600


# --- 3. login throttling ----------------------------------------------------------------------------

def _fail(client, login, password="salah-sekali"):
    return client.post("/masuk", data={"login": login, "password": password})


def test_every_spelling_of_a_phone_number_counts_on_the_same_account(app, client, create_user):
    create_user("producer", username="pak.darto", phone="0812-3450-0012")
    spellings = ["081234500012", "+6281234500012", "62 812 3450 0012", "0812-3450-0012", "+62 812-3450-0012",
                 "PAK.DARTO"]
    codes = [_fail(client, s).status_code for s in spellings]
    assert codes[:app.config["LOGIN_MAX_FAILURES"]] == [200] * app.config["LOGIN_MAX_FAILURES"]
    assert codes[app.config["LOGIN_MAX_FAILURES"]:] == [429] * (len(spellings) - app.config["LOGIN_MAX_FAILURES"])


def test_backoff_slows_rather_than_locks(app, client, create_user, monkeypatch):
    from datetime import timedelta

    from studio.auth import services

    create_user("admin", username="pak.admin")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        _fail(client, "pak.admin")
    r = client.post("/masuk", data={"login": "pak.admin", "password": "rahasia123"})
    assert r.status_code == 429 and "detik" in r.get_data(as_text=True)
    later = services.utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    assert client.post("/masuk", data={"login": "pak.admin", "password": "rahasia123"}).status_code == 302


def test_a_shared_hub_address_is_not_locked_for_everyone(app, client, create_user):
    create_user("producer", username="bu.sri")
    for i in range(40):   # forty failures on forty different names from the hub's one address
        _fail(client, f"orang{i}")
    assert client.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"}).status_code == 302


def _at_once(app, n: int, attempt) -> None:
    """``attempt(i)`` for i in 0..n-1, each in its own thread with its own app context and session,
    all let go at the same moment (a barrier)."""
    start = threading.Barrier(n)

    def run(i):
        with app.app_context():
            start.wait()
            try:
                attempt(i)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_parallel_attempts_check_at_most_the_allowed_number_of_passwords(app, create_user, monkeypatch):
    from studio.auth import services

    create_user("producer", username="bu.sri")
    checked = []
    real = services.check_password_hash

    def counting(h, p):
        checked.append(p)
        return real(h, p)

    monkeypatch.setattr(services, "check_password_hash", counting)
    def attempt(i):
        try:
            services.authenticate("bu.sri", f"tebak-{i}", "10.0.0.9")
        except services.StudioError:
            pass

    _at_once(app, 20, attempt)
    assert len([p for p in checked if p.startswith("tebak-")]) <= app.config["LOGIN_MAX_FAILURES"]


def test_unknown_and_known_logins_do_the_same_work(app, create_user, monkeypatch):
    from studio.auth import services

    create_user("producer", username="bu.sri")
    checked = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    for login in ("bu.sri", "tidak.ada"):
        try:
            services.authenticate(login, "salah-sekali", "10.0.0.1")
        except services.StudioError:
            pass
    assert len(checked) == 2 and all(h.startswith("scrypt:") for h in checked)


def test_old_login_log_rows_are_pruned(app, client, create_user):
    from datetime import timedelta

    from studio.auth.models import LoginAttempt
    from studio.auth.services import utcnow

    db.session.add(LoginAttempt(username="lama", ip="1.2.3.4", success=False, at=utcnow() - timedelta(days=90)))
    db.session.commit()
    _fail(client, "siapa")
    assert db.session.scalar(db.select(LoginAttempt).where(LoginAttempt.username == "lama")) is None


# --- 4. API tokens ----------------------------------------------------------------------------------

def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_api_tokens_have_a_scope_an_expiry_and_die_with_their_owner(app, client, login, create_user, monkeypatch):
    from datetime import timedelta

    from studio.catalogue import services
    from studio.catalogue.models import ApiToken

    admin = _admin(create_user)
    login(admin)
    r = client.post("/admin/token-api", data={"name": "blonjo-baca", "scope": "read", "days": "30"})
    reader = r.get_data(as_text=True).split('<code class="token">')[1].split("<")[0]
    publisher = services.create_api_token(admin, "blonjo", "publish", 30)
    api = app.test_client()
    assert api.post("/api/v1/products/999/publish", headers=_bearer(reader)).status_code == 401   # read only
    assert api.post("/api/v1/products/999/publish", headers=_bearer(publisher)).status_code == 404  # gets in
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "blonjo"))
    assert row.last_used_at is not None and row.use_count == 1
    page = client.get("/admin/token-api").get_data(as_text=True)
    assert "blonjo-baca" in page and "aktif" in page
    later = services.utcnow() + timedelta(days=31)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    assert api.post("/api/v1/products/999/publish", headers=_bearer(publisher)).status_code == 401   # expired
    monkeypatch.undo()
    assert api.post("/api/v1/products/999/publish", headers=_bearer(publisher)).status_code == 404
    other = create_user("admin")
    login(other)
    client.post(f"/akun/{admin.id}/nonaktif")
    assert api.post("/api/v1/products/999/publish", headers=_bearer(publisher)).status_code == 401   # owner off


def test_admin_revokes_a_token_from_the_page_and_the_command(app, client, login, create_user):
    from studio.catalogue import services
    from studio.catalogue.models import ApiToken

    admin = _admin(create_user)
    t1 = services.create_api_token(admin, "satu", "publish", 30)
    api = app.test_client()
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "satu"))
    login(admin)
    assert client.post(f"/admin/token-api/{row.id}/cabut").status_code == 302
    assert api.post("/api/v1/products/999/publish", headers=_bearer(t1)).status_code == 401
    runner = app.test_cli_runner()
    out = runner.invoke(args=["studio", "api-token", "create", "--admin", admin.username, "--name", "dua",
                              "--scope", "publish", "--days", "7"])
    assert out.exit_code == 0, out.output
    t2 = out.output.strip().splitlines()[-1]
    assert api.post("/api/v1/products/999/publish", headers=_bearer(t2)).status_code == 404
    listing = runner.invoke(args=["studio", "api-token", "list"]).output
    assert "dua\tpublish" in listing and "revoked" in listing
    row2 = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "dua"))
    assert runner.invoke(args=["studio", "api-token", "revoke", str(row2.id)]).exit_code == 0
    assert api.post("/api/v1/products/999/publish", headers=_bearer(t2)).status_code == 401


# --- 5. files, delivery, caching, HTTPS -------------------------------------------------------------

def test_instance_folder_database_and_secret_are_private_from_the_start(tmp_path, monkeypatch):
    import stat

    from studio import create_app

    inst = tmp_path / "instance"
    monkeypatch.setenv("STUDIO_INSTANCE_PATH", str(inst))
    app = create_app({"TESTING": True, "JOBS_MODE": "eager", "DEMO_ON_FIRST_START": False})
    with app.app_context():
        db.create_all()
        db.session.execute(db.text("CREATE TABLE t (x)"))   # writes go through the WAL journal
        db.session.commit()
        files = [p for p in inst.iterdir() if p.is_file()]
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        db.engine.dispose()
    assert stat.S_IMODE(inst.stat().st_mode) == 0o700
    assert {"secret_key", "studio.sqlite3"} <= set(modes)
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes


def test_without_a_secret_nothing_is_delivered_and_the_outbox_says_why(client, login, ready_product, blonjo, app,
                                                                       create_user):
    from studio.catalogue.models import OutboxEvent

    app.config["BLONJO_SECRET"] = None
    product = ready_product()
    login(product.owner)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    event = db.session.scalar(db.select(OutboxEvent))
    assert event.status == "pending" and blonjo.deliveries == 0
    login(create_user("hub"))
    assert "BLONJO_SECRET" in client.get("/katalog/kiriman").get_data(as_text=True)


def test_public_product_page_is_never_publicly_cached_with_a_cookie(client, login, ready_product):
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    client.post("/keluar")
    buyer = client.application.test_client()
    r = buyer.get(f"/p/{product.public_code}")
    assert r.status_code == 200
    if r.headers.get("Set-Cookie"):
        assert "public" not in r.headers["Cache-Control"] and "private" in r.headers["Cache-Control"]


def test_https_behind_a_proxy_gets_hsts_only_when_configured(app):
    from studio import create_app

    cfg = {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MEDIA_DIR", "JOBS_MODE")}
    proxied = create_app(dict(cfg, PROXY_COUNT=1, HSTS_SECONDS=31536000, SESSION_COOKIE_SECURE=True))
    c = proxied.test_client()
    r = c.get("/masuk", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"})
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in r.headers.get("Set-Cookie", "Secure")
    assert "Strict-Transport-Security" not in c.get("/masuk").headers
    direct = app.test_client()   # no proxy configured: a forged header is not believed
    app.config["HSTS_SECONDS"] = 31536000
    assert "Strict-Transport-Security" not in direct.get("/masuk", headers={"X-Forwarded-Proto": "https"}).headers


def test_a_stranger_guessing_cannot_keep_the_owner_out_of_her_own_phone(app, client, create_user):
    create_user("producer", username="bu.sri")
    phone = app.test_client()
    assert phone.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"}).status_code == 302
    phone.post("/keluar")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 2):   # someone else, elsewhere
        _fail(client, "bu.sri")
    assert client.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"}).status_code == 429
    assert phone.post("/masuk", data={"login": "bu.sri", "password": "rahasia123"}).status_code == 302


def test_cookieless_api_reads_stay_publicly_cacheable(client, login, ready_product):
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    r = client.application.test_client().get(f"/api/v1/listings/{product.public_code}")
    assert r.status_code == 200 and "public" in r.headers["Cache-Control"] and not r.headers.get("Set-Cookie")


def test_two_pcs_logging_in_to_one_account_at_once_both_get_in(app, create_user, monkeypatch):
    """A hub operator or trainer on two PCs: the second try waits for the first one's check, it is
    not told to wait and try again (the account's row is held only while one password is checked)."""
    import time

    from studio.auth import services

    create_user("hub", username="pak.hub")
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: time.sleep(0.3) or real(h, p))  # a real hash's time
    outcome = []

    def attempt(i):
        try:
            outcome.append(services.authenticate("pak.hub", "rahasia123", f"10.0.0.{i}").username)
        except services.StudioError as e:
            outcome.append(type(e).__name__)

    _at_once(app, 4, attempt)
    assert outcome == ["pak.hub"] * 4
