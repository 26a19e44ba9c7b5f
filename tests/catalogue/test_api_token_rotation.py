"""Issue 21, API: an admin rotates API tokens (page and command); every write made with a token is
logged with the token and the admin behind it, refusals too."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

from studio.auth.models import AuditEvent
from studio.catalogue.models import ApiToken
from studio.catalogue.services import create_api_token
from studio.extensions import db


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def shown_token(resp) -> str:
    m = re.search(r'<code class="token">([^<]+)</code>', resp.get_data(as_text=True))
    assert m, "the new token is shown once on the page"
    return m.group(1)


def test_an_admin_rotates_a_token_on_the_page_and_the_old_one_stops(client, login, ready_product, create_user):
    product = ready_product()
    admin = create_user("admin")
    old = create_api_token(admin, "BLONJO pusat", "publish", 30)
    old_row = db.session.scalar(db.select(ApiToken))
    login(admin)
    r = client.post(f"/admin/token-api/{old_row.id}/ganti", data={"grace_hours": "0"})
    assert r.status_code == 200
    text = html.unescape(r.get_data(as_text=True))
    assert "Token baru dibuat. Salin sekarang" in text and "Token lama sudah dicabut." in text
    new = shown_token(r)
    assert new != old
    rows = list(db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)))
    assert len(rows) == 2 and rows[1].name == "BLONJO pusat" and rows[1].scope == "publish"
    assert rows[1].created_by_id == admin.id
    assert client.post(f"/api/v1/products/{product.id}/publish", headers=bearer(old)).status_code == 401
    assert client.post(f"/api/v1/products/{product.id}/publish", headers=bearer(new)).status_code == 201
    [rot] = events("api_token_rotate")
    assert rot.actor_id == admin.id and f"token {old_row.id} -> {rows[1].id}" in rot.detail


def test_rotation_with_grace_keeps_the_old_token_for_the_switch_over(client, login, create_user):
    admin = create_user("admin")
    old = create_api_token(admin, "BLONJO pusat", "read", 90)
    row = db.session.scalar(db.select(ApiToken))
    login(admin)
    r = client.post(f"/admin/token-api/{row.id}/ganti", data={"grace_hours": "24"})
    assert r.status_code == 200 and "Token lama masih berlaku 24 jam lagi." in html.unescape(r.get_data(as_text=True))
    db.session.refresh(row)
    ends = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    assert abs(ends - (datetime.now(timezone.utc) + timedelta(hours=24))) < timedelta(minutes=5)
    assert row.revoked_at is None and old


def test_rotation_is_an_admin_rule_and_refuses_bad_input_in_words(client, login, create_user):
    admin = create_user("admin")
    create_api_token(admin, "BLONJO pusat", "read", 90)
    row = db.session.scalar(db.select(ApiToken))
    login(create_user("trainer"))
    assert client.post(f"/admin/token-api/{row.id}/ganti", data={"grace_hours": "0"}).status_code == 403
    login(admin)
    r = client.post(f"/admin/token-api/{row.id}/ganti", data={"grace_hours": "999"})
    assert r.status_code == 400 and "Masa peralihan 0 sampai 168 jam." in html.unescape(r.get_data(as_text=True))
    assert client.post(f"/admin/token-api/{2 ** 64}/ganti", data={"grace_hours": "0"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 1, "nothing made by a refused rotation"
    client.post(f"/admin/token-api/{row.id}/cabut")
    r = client.post(f"/admin/token-api/{row.id}/ganti", data={"grace_hours": "0"})
    assert r.status_code == 400 and "Token ini sudah tidak aktif" in html.unescape(r.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 1


def test_the_command_rotates_and_prints_the_new_token_once(app, client, ready_product, create_user):
    product = ready_product()
    admin = create_user("admin")
    old = create_api_token(admin, "BLONJO pusat", "publish", 30)
    row = db.session.scalar(db.select(ApiToken))
    result = app.test_cli_runner().invoke(args=["studio", "api-token", "rotate", str(row.id), "--grace-hours", "0"])
    assert result.exit_code == 0, result.output
    new = result.stdout.strip().splitlines()[0]
    assert client.post(f"/api/v1/products/{product.id}/publish", headers=bearer(old)).status_code == 401
    assert client.post(f"/api/v1/products/{product.id}/publish", headers=bearer(new)).status_code == 201
    bad = app.test_cli_runner().invoke(args=["studio", "api-token", "rotate", "999"])
    assert bad.exit_code != 0 and "Token tidak ditemukan" in bad.output


def test_every_token_write_is_logged_with_the_token_and_its_admin(client, ready_product, create_user):
    product = ready_product()
    admin = create_user("admin")
    token = create_api_token(admin, "BLONJO pusat", "publish", 30)
    row = db.session.scalar(db.select(ApiToken))
    assert client.post(f"/api/v1/products/{product.id}/publish", headers=bearer(token)).status_code == 201
    assert client.post("/api/v1/products/999999/unpublish", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/listings", headers=bearer(token)).status_code == 200   # a read: not a write
    logged = events("api_write")
    assert len(logged) == 2 and all(e.actor_id == admin.id for e in logged)
    assert f"token {row.id} (BLONJO pusat): POST /api/v1/products/{product.id}/publish -> 201" in logged[0].detail
    assert "POST /api/v1/products/999999/unpublish -> 404" in logged[1].detail
