"""The preflight is pure: no web framework, no database, only the label engine and the rules."""
from __future__ import annotations

import ast
from pathlib import Path

PREFLIGHT = Path(__file__).resolve().parents[2] / "studio" / "preflight"
BANNED = {"flask", "flask_wtf", "flask_babel", "flask_login", "flask_sqlalchemy", "wtforms", "sqlalchemy",
          "werkzeug"}


def test_preflight_imports_only_the_engines():
    for path in PREFLIGHT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level == 2:
                    assert (node.module or "").split(".")[0] in ("labels", "rules"), \
                        f"{path.name} imports studio.{node.module}"
                    continue
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in BANNED | {"studio"}, f"{path.name} imports {name}"
