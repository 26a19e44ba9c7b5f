"""Numbers and prices on the public catalogue pages, written the way each language writes them.

Pure functions: the locale is passed in by the view (Indonesian: "Rp 12.500", "2,5"; English:
"IDR 12,500", "2.5").
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None


def number_text(value, locale: str = "id", digits: int = 2) -> str:
    """``value`` with thousands grouped and at most ``digits`` decimals (trailing zeros dropped):
    id 1234.5 -> "1.234,5", en -> "1,234.5". Text that is not a number is returned as it is."""
    d = _decimal(value)
    if d is None:
        return "" if value is None else str(value)
    text = f"{d:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if locale == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def price_text(value, locale: str = "id") -> str:
    """Whole rupiah: id "Rp 12.500", en "IDR 12,500"; "" when there is no price."""
    d = _decimal(value)
    if d is None:
        return ""
    n = number_text(int(d.to_integral_value()), locale, 0)
    return f"Rp {n}" if locale == "id" else f"IDR {n}"
