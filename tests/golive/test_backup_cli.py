"""The commands as a hub runs them: a clean start, a backup, and a restore into another fresh install
(real Alembic schema, so the restore's upgrade step runs)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _flask(instance: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDIO_", "FLASK_"))}
    env.update(STUDIO_INSTANCE_PATH=str(instance), STUDIO_JOBS_MODE="eager",
               STUDIO_PASSWORD_HASH_METHOD="scrypt:1024:8:1")
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "studio", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(bool(os.environ.get("STUDIO_TEST_DATABASE_URL")), reason="embedded default only")
def test_init_no_demo_backup_and_restore_from_the_command_line(tmp_path):
    hub, spare, usb = tmp_path / "hub", tmp_path / "spare", tmp_path / "usb"
    for step in (["init", "--no-demo"], ["create-user", "--username", "kepala.hub", "--name", "Kepala Hub",
                                         "--role", "admin", "--password", "rahasia-hub-1"],
                 ["set-hub", "--name", "Rumah Pintar Pelabuhan", "--district", "Plandaan"], ["backup", str(usb)]):
        r = _flask(hub, *step)
        assert r.returncode == 0, r.stdout + r.stderr
    archive = next(usb.glob("studio-cadangan-*.tar"))
    assert _flask(spare, "init", "--no-demo").returncode == 0
    r = _flask(spare, "restore", str(archive))
    assert r.returncode == 0 and "Dipulihkan" in r.stdout, r.stdout + r.stderr
    r = _flask(spare, "go-live")
    assert "[x] Nama hub dan kecamatan: Rumah Pintar Pelabuhan · Plandaan" in r.stdout
    assert "[x] Akun admin sendiri" in r.stdout and "kepala.hub" in r.stdout
    r = _flask(spare, "restore", str(archive))   # a studio with data is not overwritten by accident
    assert r.returncode != 0 and "--replace" in (r.stdout + r.stderr)
