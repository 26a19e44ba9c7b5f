"""Label preflight (pure: no Flask, no database; uses studio.labels and studio.rules only).

Allowed studio imports: labels, rules. (No framework or database: enforced by tests/test_boundaries.py.)

``run_preflight(composed, layout, clean_record, today=, settings=)`` returns findings with a
severity (BLOCKER, ERROR, WARNING, INFO), the rule id of spec §5, where on the label it applies
(tag, panel, box in mm) and what to do, in Bahasa Indonesia and English.
"""
from __future__ import annotations

from .findings import (RULES, Finding, LabelFinding, blocking, count_by_severity, from_jsonable, is_blocking,
                       sort_findings, to_jsonable)
from .run import blocker_count, run_preflight
from .settings import PreflightSettings, as_preflight_settings

__all__ = ["RULES", "Finding", "LabelFinding", "PreflightSettings", "as_preflight_settings",
           "blocker_count", "blocking", "count_by_severity", "is_blocking", "from_jsonable", "run_preflight", "sort_findings",
           "to_jsonable"]
