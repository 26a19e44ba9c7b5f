"""What changed between two revisions of a product record, as texts a producer can read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Mapping

from .allergens import GROUPS
from .numbers import format_date_id, format_decimal_id, format_int_id, format_rupiah
from .quantity import NetQuantity


@dataclass(frozen=True)
class Change:
    """One changed field: ``old_text`` / ``new_text`` are display texts ("" = empty)."""

    field: str
    old_text: str
    new_text: str


def value_text(value: Any, field: str | None = None) -> str:
    """Display text of a clean (or raw) value: Decimal "1,5", NetQuantity "250 g", date
    "27-11-2026", ingredients "singkong (70%), garam", allergen groups by name, bool "ya"/"tidak",
    whole numbers "1.000" and ``price_idr`` "Rp12.500"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return format_rupiah(value) if field == "price_idr" else format_int_id(value)
    if isinstance(value, NetQuantity):
        return value.input_text
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Decimal):
        return format_decimal_id(value)
    if isinstance(value, date):
        return format_date_id(value)
    if isinstance(value, Mapping):
        if "name" in value and "pct" in value:
            pct = value.get("pct")
            return str(value["name"]) + (f" ({value_text(pct)}%)" if pct not in (None, "") else "")
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items() if value_text(v))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        return ", ".join(GROUPS[v][0] if isinstance(v, str) and v in GROUPS else value_text(v, field)
                         for v in items)
    return str(value)


def diff_records(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[Change]:
    """Fields whose display text differs between ``old`` and ``new``: schema fields in form
    order first, then any other keys alphabetically."""
    from .product import FIELDS  # local: product imports half the package
    old, new = old or {}, new or {}
    keys = [k for k in FIELDS if k in old or k in new]
    keys += sorted((set(old) | set(new)) - set(FIELDS), key=str)
    out = []
    for key in keys:
        a, b = value_text(old.get(key), key), value_text(new.get(key), key)
        if a != b:
            out.append(Change(str(key), a, b))
    return out
