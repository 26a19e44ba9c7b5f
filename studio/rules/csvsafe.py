"""CSV formula-injection defence (OWASP "CSV Injection"), used by every CSV export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms, which some spreadsheets also evaluate) is prefixed with a single quote, so Excel,
LibreOffice and Google Sheets show it as text instead of running it as a formula. Real numbers
(int, Decimal, float) are never prefixed: "-5" stays a number. Always write with ``csv.writer``
(QUOTE_MINIMAL or stricter) so separators and quotes inside cells are escaped too.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> str:
    """Text for one CSV cell: None → "", numbers as-is, risky text prefixed with "'"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def safe_row(values: Iterable[Any]) -> list[str]:
    """:func:`safe_cell` over a whole row."""
    return [safe_cell(v) for v in values]
