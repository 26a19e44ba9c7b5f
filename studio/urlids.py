"""Numbers that come from a URL (path ids and query values) and end up in a database query.

Every ``<int:...>`` route uses :class:`DbIdConverter` (``create_app`` registers it as the ``int``
converter), so an id beyond the database's integer range simply does not match: 404, the same as an
id that does not exist, instead of an overflow inside the database driver. The range is PostgreSQL's
``integer`` (the id columns in scaled mode), which also fits SQLite's 64-bit INTEGER.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

#: The largest id any table can hold (PostgreSQL ``integer``; SQLite's INTEGER is wider).
DB_INT_MAX = 2 ** 31 - 1
DB_INT_MIN = -(2 ** 31)


class DbIdConverter(IntegerConverter):
    """``<int:...>`` that only matches ids the database can hold (0 … 2³¹−1)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, signed=signed,
                         max=DB_INT_MAX if max is None else min_(max, DB_INT_MAX))

    def to_python(self, value: str):
        if len(value) > 12:   # never turn a 10,000-digit path segment into an int
            from werkzeug.routing import ValidationError

            raise ValidationError()
        return super().to_python(value)


def min_(a: int, b: int) -> int:
    return a if a < b else b


def db_int(text: str) -> int:
    """``request.args.get(name, type=db_int)``: a whole number within the database's integer range,
    else ValueError (so ``args.get`` falls back to its default)."""
    value = text.strip()
    if len(value) > 12:
        raise ValueError("out of range")
    number = int(value)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise ValueError("out of range")
    return number


def in_db_range(text: str | None) -> bool:
    """True when ``text`` is not a whole number at all or one within the database's range; False only
    for a whole number the database cannot hold (the caller then answers "terlalu besar")."""
    if text is None:
        return True
    value = text.strip().lstrip("+-")
    if not value.isdigit():
        return True
    try:
        db_int(text)
    except ValueError:
        return False
    return True
