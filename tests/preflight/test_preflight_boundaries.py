"""The preflight is pure: no web framework, no database, only the label engine and the rules."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PREFLIGHT = Path(__file__).resolve().parents[2] / "studio" / "preflight"
THIRD_PARTY = {"PIL", "numpy", "reportlab"}       # as written in the package docstring
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
                top = name.split(".")[0]
                assert top not in BANNED | {"studio"}, f"{path.name} imports {name}"
                assert top in sys.stdlib_module_names or top in THIRD_PARTY or top == "__future__", \
                    f"{path.name} imports {name}, not in the preflight's allowed imports"
