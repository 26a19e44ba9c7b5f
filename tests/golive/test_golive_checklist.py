"""The going-live checklist reads what is done from the database; the hub identity is admin only."""
from __future__ import annotations

from studio.extensions import db


def test_checklist_shows_what_is_done_and_only_admins_change_the_hub(app, client, login, create_user):
    from studio.demo import DEMO_PASSWORD

    create_user("admin", username="admin", password=DEMO_PASSWORD)   # the demo admin, demo password
    login(create_user("hub"))
    assert client.get("/admin/siap-pakai").status_code == 403
    assert client.post("/admin/siap-pakai", data={"name": "X", "district": "Y"}).status_code == 403
    login(create_user("admin", username="kepala.hub"))
    html = client.get("/admin/siap-pakai").get_data(as_text=True)
    assert 'data-step="identity" data-done="no"' in html and 'data-step="demo" data-done="no"' in html
    assert 'data-step="admin" data-done="yes"' in html and "kepala.hub" in html
    r = client.post("/admin/siap-pakai", data={"name": "", "district": "Plandaan"})
    assert r.status_code == 200 and "Isi nama hub" in r.get_data(as_text=True) and 'value="Plandaan"' in r.get_data(as_text=True)
    r = client.post("/admin/siap-pakai", data={"name": "Rumah Pintar Pelabuhan", "district": "Plandaan"},
                    follow_redirects=True)
    html = r.get_data(as_text=True)
    assert 'data-step="identity" data-done="yes"' in html and "Rumah Pintar Pelabuhan · Plandaan" in html


def test_go_live_commands(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["studio", "set-hub", "--name", "Rumah Pintar Pelabuhan", "--district", "Plandaan"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["studio", "go-live"])
    assert r.exit_code == 0 and "[x] Nama hub dan kecamatan: Rumah Pintar Pelabuhan · Plandaan" in r.output
    assert "[ ] Akun admin sendiri" in r.output
    db.session.rollback()
