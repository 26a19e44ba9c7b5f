"""Architecture rules (STYLE.md E2): pure engines import no web framework and no database."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

STUDIO = Path(__file__).resolve().parent.parent / "studio"
BANNED = {"flask", "flask_wtf", "flask_babel", "flask_login", "flask_sqlalchemy", "wtforms", "sqlalchemy",
          "werkzeug", "studio"}


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.module or ""
            elif node.level > 1:
                yield "studio"  # "from ..x" leaves the engine package


@pytest.mark.parametrize("engine", ["labels", "imaging", "rules"])
def test_engines_do_not_import_the_web_app_or_the_database(engine):
    files = list((STUDIO / engine).rglob("*.py"))
    assert files, f"studio/{engine} has no modules"
    for path in files:
        for name in imported_modules(path):
            assert name.split(".")[0] not in BANNED, f"{path.relative_to(STUDIO)} imports {name}"


def test_wizard_gates_are_pure():
    for name in imported_modules(STUDIO / "wizard" / "steps.py"):
        assert name.split(".")[0] not in BANNED, f"wizard/steps.py imports {name}"


FEATURE_ORDER = ["auth", "hubsetup", "cohorts", "products", "designs", "printing", "catalogue"]


def test_services_only_call_earlier_features():
    for i, feature in enumerate(FEATURE_ORDER):
        later = set(FEATURE_ORDER[i + 1:]) | {"wizard"}
        for path in (STUDIO / feature).rglob("*.py"):
            if path.name in ("views.py", "api.py"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                    assert node.module.split(".")[0] not in later, \
                        f"{feature}/{path.name} imports the later feature {node.module}"


def test_services_never_touch_the_request():
    banned_names = {"request", "session", "g", "flash", "current_user", "render_template", "redirect"}
    for path in STUDIO.rglob("services.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login"):
                used = {a.name for a in node.names} & banned_names
                assert not used, f"{path.relative_to(STUDIO)} imports {used} from {node.module}"
