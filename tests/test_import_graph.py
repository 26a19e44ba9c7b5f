"""The import graph of ``studio/``: no cycles between modules, no private names across modules.

Every import form counts, resolved to the module it names (``tests/test_boundaries.imported_modules``):
``import studio.x``, ``from studio.x import y``, ``from . import y``, ``from ..x import y``, imports
inside functions, ``importlib.import_module("x")``. ``from package import name`` is an edge to the
submodule when ``name`` is one, otherwise to the package.

- **No cycles**: a module never reaches itself through its imports, whether the imports are at the
  top of the file, at the bottom, or inside a function. The one node left out is the app factory
  ``studio/__init__.py``: ``create_app`` wires every feature (its imports are inside the function),
  and only the entry points in ``ENTRY_POINTS`` may import it.
- **No private names**: no module imports ``_name`` from another module or reads ``module._name``
  of a studio module it imported; a name another module needs is public (or moves to where both can reach it).

Reproduce the figures: ``python -m pytest tests/test_import_graph.py -q -rA`` prints nothing on
success; ``python tests/test_import_graph.py`` prints the module count and every cycle.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import test_boundaries
from test_boundaries import imported_modules

APP_FACTORY = "studio"
# Processes that start the app: the Celery worker, the Celery task that builds the app when a
# worker was started without studio.worker, and the embedded mode's photo-cleanup child process.
ENTRY_POINTS = {"studio.worker", "studio.celery_app", "studio.job_child"}


def _name_of(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph(root: Path | None = None):
    """``(modules, edges, private)``: module name -> path, module -> imported studio modules, and
    ``"where imports _name from module"`` lines."""
    root = root or test_boundaries.STUDIO
    modules = {_name_of(p, root): p for p in sorted(root.rglob("*.py"))}

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    edges: dict[str, set[str]] = {m: set() for m in modules}
    private: list[str] = []
    for module, path in modules.items():
        for imported, names, line in imported_modules(path):
            if imported.split(".")[0] != root.name:
                continue
            target = resolve(imported)
            if not target:
                continue
            for name in names:
                if f"{imported}.{name}" in modules:          # from package import submodule
                    edges[module].add(f"{imported}.{name}")
                    continue
                edges[module].add(target)
                if name.startswith("_") and not name.startswith("__") and target != module:
                    private.append(f"{path.relative_to(root.parent)}:{line} imports {name} from {target}")
            if not names:
                edges[module].add(target)
            edges[module].discard(module)
        private += _private_attributes(path, root, modules)
    return modules, edges, private


def _private_attributes(path: Path, root: Path, modules: dict[str, Path]) -> list[str]:
    """``module._name`` where ``module`` is a studio module bound by an import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name_of(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                base = ".".join([*up, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in modules:
                    bound[alias.asname] = alias.name
    return [f"{path.relative_to(root.parent)}:{node.lineno} uses {node.attr} of {bound[node.value.id]}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
            and node.attr.startswith("_") and not node.attr.startswith("__")]


def cycles(edges: dict[str, set[str]], leave_out: set[str] = frozenset()) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), leaving ``leave_out`` out."""
    graph = {m: {t for t in ts if t not in leave_out} for m, ts in edges.items() if m not in leave_out}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _describe(group: list[str], edges: dict[str, set[str]]) -> str:
    inside = set(group)
    return "; ".join(f"{m} -> {', '.join(sorted(edges[m] & inside))}" for m in group)


def test_no_import_cycles_between_modules():
    _modules, edges, _private = module_graph()
    found = cycles(edges, leave_out={APP_FACTORY})
    assert not found, "import cycles:\n" + "\n".join(_describe(g, edges) for g in found)


def test_only_entry_points_import_the_app_factory():
    _modules, edges, _private = module_graph()
    importers = sorted(m for m, ts in edges.items() if APP_FACTORY in ts)
    assert set(importers) <= ENTRY_POINTS, f"only {sorted(ENTRY_POINTS)} may import create_app: {importers}"


def test_no_module_imports_a_private_name_of_another():
    _modules, _edges, private = module_graph()
    assert not private, "\n".join(private)


def test_the_graph_checks_bite(tmp_path):
    """A cycle through a function-level import, an absolute import and a relative one, and a private
    name imported from a sibling, in a throwaway tree: each is found."""
    root = tmp_path / "studio"
    (root / "feat").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "feat" / "__init__.py").write_text("")
    (root / "feat" / "a.py").write_text("def f():\n    from studio.feat import b\n")
    (root / "feat" / "b.py").write_text("from .c import _hidden\n")
    (root / "feat" / "c.py").write_text("from . import a\n_hidden = 1\n")
    (root / "feat" / "d.py").write_text("from . import c\nx = c._hidden\n")
    saved = test_boundaries.STUDIO
    test_boundaries.STUDIO = root   # imported_modules resolves relative imports against it
    try:
        _modules, edges, private = module_graph(root)
    finally:
        test_boundaries.STUDIO = saved
    assert cycles(edges) == [["studio.feat.a", "studio.feat.b", "studio.feat.c"]]
    assert private == ["studio/feat/b.py:1 imports _hidden from studio.feat.c",
                       "studio/feat/d.py:2 uses _hidden of studio.feat.c"]


if __name__ == "__main__":   # the figures: module count and cycles
    sys.path.insert(0, str(Path(__file__).parent))
    mods, graph, priv = module_graph()
    groups = cycles(graph, leave_out={APP_FACTORY})
    print(f"{len(mods)} modules, {sum(len(t) for t in graph.values())} import edges, "
          f"{len(groups)} cycles, {len(priv)} private-name imports")
    for g in groups:
        print("cycle:", _describe(g, graph))
    for p in priv:
        print(p)
