"""pytest plugin (``-p no_web_framework``): make the web framework and the database unimportable.

Used by tests/test_engines_without_flask.py to run the pure engine tests in a fresh interpreter:
any import of these packages, by a test, a conftest or an engine module, fails with ImportError.
"""
from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder

BLOCKED = ("flask", "flask_babel", "flask_login", "flask_migrate", "flask_sqlalchemy", "flask_wtf", "wtforms",
           "werkzeug", "sqlalchemy", "celery", "redis", "jinja2")


class _Blocker(MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(f"{fullname} is blocked: pure engine tests must not import the web framework")
        return None


def _install() -> None:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    if loaded:
        raise RuntimeError(f"already imported before the blocker: {loaded}")
    sys.meta_path.insert(0, _Blocker())


_install()
