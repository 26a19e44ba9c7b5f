"""The pure engine tests run in an interpreter where Flask, SQLAlchemy & co. cannot be imported.

The root conftest imports the app only inside fixtures, and ``studio/__init__.py`` loads Flask only
in ``create_app``, so an engine and its tests never pull in the web framework. A fresh pytest run
with the ``no_web_framework`` plugin proves it: the rules tests run, and every pure test module
of the other engines is imported (collected) - an import of Flask anywhere on the way fails the run.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The property-based rules tests (hypothesis, random examples) run in the normal suite; here they are
# only collected, so this check never inherits their randomness.
RUN = ["tests/rules", "--ignore=tests/rules/test_rules_product.py"]
COLLECT = ["tests/rules/test_rules_product.py", "tests/labels", "tests/imaging", "tests/preflight",
           "tests/packaging/test_pack_geometry.py", "tests/packaging/test_pack_pdf.py"]


def _pytest(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests" / "support"), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no_web_framework",
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_engine_tests_run_without_the_web_framework():
    run = _pytest(*RUN)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    collected = _pytest("--co", *COLLECT)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-2000:]
    assert "error" not in collected.stdout.splitlines()[-1]


def test_the_blocker_bites(tmp_path):
    probe = tmp_path / "test_probe_flask.py"
    probe.write_text("import studio.rules\nimport flask  # noqa: F401\n\n\ndef test_probe():\n    pass\n",
                     encoding="utf-8")
    run = _pytest("--co", "--rootdir", str(tmp_path), str(probe))
    assert run.returncode != 0 and "flask is blocked" in run.stdout + run.stderr
