"""Label preflight: judges a composed label and its product record (pure: no Flask, no database).

Allowed studio imports: labels, rules. (No framework or database: enforced by tests/test_boundaries.py.)

``run_preflight(composed, layout, clean_record, today=, settings=)`` returns findings with a
severity (BLOCKER, ERROR, WARNING, INFO), the rule id of spec §5, where on the label it applies
(tag, panel, box in mm) and what to do, in Bahasa Indonesia and English. :func:`is_blocking` is the
one blocking rule every gate applies.

Allowed imports (enforced by tests/preflight/test_preflight_boundaries.py): the standard library;
``studio.labels`` (compose output, the one painter and its rasteriser) and ``studio.rules``; and
the third-party packages ``PIL``, ``numpy`` and ``reportlab`` (font metrics of the painted text).
Nothing else of the studio, no web framework, no database.
"""
from __future__ import annotations

from .findings import (RULES, Finding, LabelFinding, blocking, count_by_severity, from_jsonable, is_blocking,
                       sort_findings, to_jsonable)
from .run import blocker_count, run_preflight
from .settings import PreflightSettings, as_preflight_settings

__all__ = ["RULES", "Finding", "LabelFinding", "PreflightSettings", "as_preflight_settings",
           "blocker_count", "blocking", "count_by_severity", "is_blocking", "from_jsonable", "run_preflight", "sort_findings",
           "to_jsonable"]
