"""Architecture rules (STYLE.md E2, docs/architecture.md), read from the source with ``ast``.

Every import form is resolved to an absolute module name before it is judged: ``import studio.x``,
``from studio.x import y``, ``from . import y``, ``from ..x import y``, imports inside functions, and
``importlib.import_module("x")`` / ``__import__("x")`` with a literal name.

- Pure engines import no web framework, no database, no task queue, and only the studio engines
  written down in ENGINE_ALLOWED (the same list is one line of each engine's package docstring).
- Features import only earlier features (FEATURE_ORDER), by any import form, from any module.
- Modules that are not views never read the request: no ``request``, ``session``, ``g``, ``flash``,
  ``current_user``, nor the request locale (``flask_babel.get_locale``); they take the acting user
  and the locale as arguments.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

STUDIO = Path(__file__).resolve().parent.parent / "studio"

# Framework and database packages no engine may import (top-level names; "flask_*" by prefix).
FRAMEWORKS = {"flask", "wtforms", "sqlalchemy", "werkzeug", "celery", "jinja2", "flask_wtf", "flask_babel",
              "flask_login", "flask_sqlalchemy", "flask_migrate", "alembic", "redis", "psycopg", "psycopg2"}

# Which other studio engines each engine may use (derived from the code; do not widen lightly).
ENGINE_ALLOWED = {
    "labels": set(),
    "imaging": set(),
    "rules": set(),
    "preflight": {"labels", "rules"},
    "packaging": {"labels", "preflight"},
}

# Features in dependency order: a feature may import the ones before it, never the ones after.
FEATURE_ORDER = ["auth", "hubsetup", "cohorts", "products", "designs", "packs", "review", "printing", "catalogue", "wizard", "golive"]
# Known exceptions, each with its reason: (module path under studio/, imported feature).
FEATURE_ORDER_EXCEPTIONS = {
    # The admin's user pages (auth/views.py) show and change a trainer's cohorts; the cohort services
    # need auth's models, so the view reaches forward instead. Move these routes to cohorts/views.py.
    ("auth/views.py", "cohorts"),
}

REQUEST_GLOBALS = {"request", "session", "g", "flash", "current_user"}
REQUEST_LOCALE = {"get_locale"}            # flask_babel.get_locale reads the request's language
VIEW_FILES = re.compile(r"^(views|api|forms|commands\w*)\.py$")
# Modules that are not views but are the web layer's own glue: they exist to read the request.
WEB_GLUE = {
    "auth/access.py",   # the login/role decorators wrapped around views
    "errors.py",        # the HTTP error handlers (HTML or JSON depending on the request)
    "i18n.py",          # picks the request's language for Flask-Babel
    "security.py",      # response headers: HSTS on HTTPS requests, private caching when a session is used
    "querystats.py",    # bench/web.py only (QUERY_STATS_DIR): SQL statements counted per route of a request
}
# Non-view modules that still read the request locale, each with its reason. Keep this list short.
LOCALE_READERS = {
    # the gates word every refusal (lazy_gettext strings and rules Msg texts) in the user's language; the
    # Msg half reads the locale here. Follow-up: raise with the Msg and let the views word it.
    "designs/gates.py",
}


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(STUDIO.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path):
    """``(absolute module name, imported names, lineno)`` for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path)[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, set(), node.lineno
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if node.level == 0:
                yield node.module or "", names, node.lineno
                continue
            up = node.level - 1
            base = package[:len(package) - up] if up else package
            if up > len(package):
                base = ["<outside>"]
            if node.module:
                yield ".".join([*base, node.module]), names, node.lineno
            else:  # "from . import x" / "from .. import x": each name may be a module
                for name in names:
                    yield ".".join([*base, name]), set(), node.lineno
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if fname in ("import_module", "__import__"):
                yield node.args[0].value, set(), node.lineno


def _is_framework(module: str) -> bool:
    top = module.split(".")[0]
    return top in FRAMEWORKS or top.startswith("flask_")


def engine_violations(engine: str, root: Path = STUDIO) -> list[str]:
    problems = []
    allowed = ENGINE_ALLOWED[engine] | {engine}
    for path in sorted((root / engine).rglob("*.py")):
        for module, _names, line in imported_modules(path):
            where = f"{path.relative_to(root)}:{line}"
            parts = module.split(".")
            if _is_framework(module):
                problems.append(f"{where} imports the framework/database module {module}")
            elif parts[0] == "<outside>" or (parts[0] == "studio" and (len(parts) < 2 or parts[1] not in allowed)):
                problems.append(f"{where} imports {module} (allowed studio engines: {sorted(allowed)})")
    return problems


@pytest.mark.parametrize("engine", sorted(ENGINE_ALLOWED))
def test_engines_import_only_what_is_written_down(engine):
    assert list((STUDIO / engine).rglob("*.py")), f"studio/{engine} has no modules"
    problems = engine_violations(engine)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("engine", sorted(ENGINE_ALLOWED))
def test_each_engine_states_its_allowed_imports_in_its_docstring(engine):
    doc = ast.get_docstring(ast.parse((STUDIO / engine / "__init__.py").read_text(encoding="utf-8"))) or ""
    m = re.search(r"^Allowed studio imports: ([a-z, ]+)\.", doc, re.M)
    assert m, f"studio/{engine}/__init__.py: add the line 'Allowed studio imports: …' to the docstring"
    stated = {x.strip() for x in m.group(1).split(",")} - {"none"}
    assert stated == ENGINE_ALLOWED[engine], f"studio/{engine} docstring and tests/test_boundaries.py disagree"


def test_wizard_gates_are_pure():
    for module, _names, line in imported_modules(STUDIO / "wizard" / "steps.py"):
        assert not _is_framework(module), f"wizard/steps.py:{line} imports {module}"


def feature_order_violations(root: Path = STUDIO) -> list[str]:
    problems = []
    for i, feature in enumerate(FEATURE_ORDER):
        later = set(FEATURE_ORDER[i + 1:])
        for path in sorted((root / feature).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            for module, _names, line in imported_modules(path):
                parts = module.split(".")
                if parts[0] == "studio" and len(parts) > 1 and parts[1] in later \
                        and (rel, parts[1]) not in FEATURE_ORDER_EXCEPTIONS:
                    problems.append(f"{rel}:{line} imports the later feature {module}")
    return problems


def test_features_only_import_earlier_features():
    problems = feature_order_violations()
    assert not problems, "\n".join(problems)


def request_violations(root: Path = STUDIO) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if VIEW_FILES.match(path.name) or rel in WEB_GLUE or _defines_routes(path):
            continue
        banned = REQUEST_GLOBALS | (set() if rel in LOCALE_READERS else REQUEST_LOCALE)
        for module, names, line in imported_modules(path):
            top = module.split(".")[0]
            if top in ("flask", "flask_login", "flask_babel") and names & banned:
                problems.append(f"{rel}:{line} imports {sorted(names & banned)} from {module}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):   # flask.request, flask.g …
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in ("flask", "flask_login", "flask_babel") and node.attr in banned:
                problems.append(f"{rel}:{node.lineno} uses {node.value.id}.{node.attr}")
    return problems


def _defines_routes(path: Path) -> bool:
    """A module that adds routes to a blueprint is a view module, whatever its name."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) \
                        and deco.func.attr in ("route", "get", "post", "put", "delete", "patch"):
                    return True
    return False


def test_non_view_modules_never_read_the_request_or_its_locale():
    problems = request_violations()
    assert not problems, "\n".join(problems)


def test_the_allow_lists_name_real_files():
    for rel in WEB_GLUE | LOCALE_READERS | {f for f, _ in FEATURE_ORDER_EXCEPTIONS}:
        assert (STUDIO / rel).is_file(), f"{rel} is listed in tests/test_boundaries.py but does not exist"


def test_render_sheet_is_printings_command_and_no_module_patches_another_command():
    """``render-sheet`` is defined once, by printing; no feature rewrites a command defined elsewhere."""
    defining = sorted(str(p.relative_to(STUDIO)) for p in STUDIO.rglob("*.py")
                      if re.search(r"""command\(\s*["']render-sheet["']""", p.read_text(encoding="utf-8")))
    assert defining == ["printing/commands.py"]
    patching = sorted(str(p.relative_to(STUDIO)) for p in STUDIO.rglob("*.py")
                      if re.search(r"\.callback\s*=|\.params\s*\+=|studio_cli\.commands\.get\(",
                                   p.read_text(encoding="utf-8")))
    assert not patching, f"modules that patch a command defined elsewhere: {patching}"
