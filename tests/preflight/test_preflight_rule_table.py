"""One rule table: every rule id is defined once (the data rules' table, extended by the label-only
rules of the preflight), with one severity and a title in both languages, and every id the code
uses exists there."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from studio.preflight import RULES
from studio.rules import Severity

STUDIO = Path(__file__).resolve().parents[2] / "studio"
TABLES = (STUDIO / "rules" / "ruleset.py", STUDIO / "preflight" / "findings.py")
RULE_ID = re.compile(r"^[A-Z]{2,8}-\d{2}$")


def _defined(path: Path) -> list[str]:
    """Rule ids written as keys of a dict literal assigned to a *RULES name in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and target.id.endswith("RULES"):
                out += [k.value for k in node.value.keys if isinstance(k, ast.Constant)
                        and isinstance(k.value, str) and RULE_ID.match(k.value)]
    return out


def test_every_rule_id_is_defined_exactly_once_with_one_severity_and_two_titles():
    defined = [rid for path in TABLES for rid in _defined(path)]
    twice = sorted({rid for rid in defined if defined.count(rid) > 1})
    assert not twice, f"rule ids defined more than once: {twice}"
    assert sorted(defined) == sorted(RULES)
    for rid, (severity, title_id, title_en) in RULES.items():
        assert severity in Severity.__members__.values() and title_id.strip() and title_en.strip(), rid


def test_every_rule_id_used_in_the_code_exists_in_the_table():
    used: set[str] = set()
    for path in STUDIO.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and RULE_ID.match(node.value):
                used.add(node.value)
    assert used - set(RULES) == set(), f"rule ids used but not defined: {sorted(used - set(RULES))}"
