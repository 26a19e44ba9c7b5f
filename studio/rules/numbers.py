"""Indonesian number, money and date formats: decimal comma, thousands dot ("1,5 kg", "Rp12.500").

Reading rules for :func:`parse_decimal` (what producers actually type):

* ``"1,5"`` → 1.5 (comma is the decimal mark); ``"12.500,75"`` → 12500.75.
* ``"1.500"`` / ``"1.500.000"`` → thousands (dots between groups of exactly three digits).
* ``"1.5"`` / ``"0.25"`` → 1.5 / 0.25: a single dot that cannot be a thousands dot is read as a
  decimal point (phone keyboards). ``"0.500"`` is 0.5, because thousands never start with 0.
* ``"12,500.75"`` (English grouping) is accepted when unambiguous.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import RuleError
from .messages import Msg

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_ID_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
_ID_FULL = re.compile(r"^([1-9]\d{0,2}(?:\.\d{3})+|\d+),(\d+)$")
_EN_FULL = re.compile(r"^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")

_BAD_NUMBER = Msg("Tulis angka saja, contoh: 250 atau 1,5 atau 12.500.",
                  "Type a number only, for example 250 or 1,5 or 12.500.")


def _bad(field: str) -> RuleError:
    return RuleError(field, "number_format", _BAD_NUMBER)


def parse_decimal(text: object, *, field: str = "value", positive: bool = False) -> Decimal:
    """Read an Indonesian-formatted number ("1,5", "1.500", "12.500,75") as a ``Decimal``.

    :param positive: reject zero and negative values with a clear message.
    :raises RuleError: ``number_format`` when unreadable, ``not_positive`` when ``positive`` fails.
    """
    if isinstance(text, bool):
        raise _bad(field)
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(str(text))
    else:
        s = _SPACES.sub("", str(text or ""))
        sign = ""
        if s[:1] in "-+" and s:
            sign, s = s[0], s[1:]
        if not s:
            raise RuleError(field, "required", Msg("Isi angkanya.", "Enter the number."))
        if _ID_THOUSANDS.match(s):
            num = s.replace(".", "")
        elif m := _ID_FULL.match(s):
            num = m.group(1).replace(".", "") + "." + m.group(2)
        elif _EN_FULL.match(s) and s.count(",") >= 1 and ("." in s or s.count(",") >= 2):
            num = s.replace(",", "")
        elif _PLAIN.match(s):
            num = s.replace(",", ".")
        else:
            raise _bad(field)
        try:
            value = Decimal(sign + num)
        except InvalidOperation:  # pragma: no cover - regexes only let digits through
            raise _bad(field) from None
    if not value.is_finite():
        raise _bad(field)
    if positive and value <= 0:
        raise RuleError(field, "not_positive",
                        Msg("Angka harus lebih dari 0.", "The number must be more than 0."))
    return value


def parse_int(text: object, *, field: str = "value", min_value: int | None = None,
              max_value: int | None = None) -> int:
    """Read a whole number ("1.000" = 1000) and check its range.

    :raises RuleError: ``number_format``, ``not_whole``, ``too_small`` or ``too_large``.
    """
    value = parse_decimal(text, field=field)
    if value != value.to_integral_value():
        raise RuleError(field, "not_whole", Msg("Tulis angka bulat, tanpa koma.",
                                                "Use a whole number, without a decimal part."))
    n = int(value)
    if min_value is not None and n < min_value:
        raise RuleError(field, "too_small", Msg(f"Angka paling kecil {format_int_id(min_value)}.",
                                                f"The smallest allowed number is {min_value}."))
    if max_value is not None and n > max_value:
        raise RuleError(field, "too_large", Msg(f"Angka paling besar {format_int_id(max_value)}.",
                                                f"The largest allowed number is {max_value}."))
    return n


#: No pack of a village product costs a billion rupiah; more is a typo (and would not fit the
#: database's integer columns in scaled mode).
MAX_PRICE_IDR = 999_999_999

_RP_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.I)
_RP_SUFFIX = re.compile(r"(,-|,00|\.-|,--)$")


def parse_price_idr(text: object, *, field: str = "price_idr") -> int:
    """Read a rupiah price ("Rp12.500", "Rp 12.500", "12500", "12.500", "Rp12.500,-") as whole rupiah.

    :raises RuleError: ``number_format``; ``not_whole`` (with the likely price as suggestion);
        ``not_positive`` when the price is 0 or below.
    """
    if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
        s = str(text)
    else:
        s = _SPACES.sub("", str(text or ""))
        s = _RP_SUFFIX.sub("", _RP_PREFIX.sub("", s))
    try:
        value = parse_decimal(s, field=field)
    except RuleError as e:
        if e.code == "required":
            raise RuleError(field, "required", Msg("Isi harganya, contoh: Rp12.500.",
                                                   "Enter the price, for example Rp12.500.")) from None
        raise RuleError(field, "number_format", Msg(
            "Harga ditulis angka rupiah saja, contoh: Rp12.500 atau 12500.",
            "Write the price as rupiah digits only, for example Rp12.500 or 12500.")) from None
    if value <= 0:
        raise RuleError(field, "not_positive", Msg("Harga harus lebih dari Rp0.",
                                                   "The price must be more than Rp0."))
    if value > MAX_PRICE_IDR:
        raise RuleError(field, "too_large", Msg(
            f"Harga lebih dari {format_rupiah(MAX_PRICE_IDR)} tidak masuk akal untuk satu kemasan. Periksa "
            "angka nolnya.",
            f"A price above {format_rupiah(MAX_PRICE_IDR)} is not plausible for one pack. Check the zeros."))
    if value != value.to_integral_value():
        guess = None
        if re.fullmatch(r"\d{1,3},\d{3}", s):   # "12,500" typed the English way
            guess = format_rupiah(int(s.replace(",", "")))
        hint_id = f" Maksud Anda {guess}? Pakai titik untuk ribuan." if guess else ""
        hint_en = f" Did you mean {guess}? Use a dot for thousands." if guess else ""
        raise RuleError(field, "not_whole",
                        Msg("Harga harus rupiah bulat, tanpa sen." + hint_id,
                            "The price must be whole rupiah, without cents." + hint_en), guess)
    return int(value)


def format_int_id(n: int) -> str:
    """Whole number with a thousands dot: 12500 → "12.500"."""
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", ".")


def format_decimal_id(value: Decimal | int | float, places: int | None = None) -> str:
    """Indonesian decimal: Decimal("1.5") → "1,5"; 1500 → "1.500"; trailing zeros dropped
    unless ``places`` fixes the number of decimals."""
    d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not d.is_finite():
        return str(d)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{abs(d):f}"
    else:
        text = f"{abs(d.normalize()):f}" if d != 0 else "0"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    out = format_int_id(int(whole)) + ("," + frac if frac else "")
    return ("-" + out) if d < 0 and out.strip("0,.") else out


def decimal_to_json(value: Decimal) -> int | str:
    """Storage form that :func:`parse_decimal` reads back exactly: whole numbers as ``int``,
    fractions as a comma string ("1,125"), because "1.125" would read as 1125."""
    if value == value.to_integral_value():
        return int(value)
    return f"{value:f}".replace(".", ",")


def format_rupiah(amount: int) -> str:
    """Price as printed in Indonesia: 12500 → "Rp12.500"."""
    return "Rp" + format_int_id(int(amount))


def format_date_id(d: date) -> str:
    """Day-month-year with dashes, as the expiry rule asks: 27-11-2026."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"
