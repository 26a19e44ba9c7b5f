"""Production date, best-before date, expiry wording and production codes (spec §2.5, §4.5)."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .errors import RuleError
from .messages import Msg
from .numbers import format_date_id
from .settings import DEFAULT_SETTINGS, RuleSettings

EXPIRY_WORDS = "Baik digunakan sebelum"
#: Printed on the label template when the date is stamped per batch in the reserved box.
EXPIRY_STAMPED_TEXT = "Baik digunakan sebelum: lihat kemasan"
PRODUCTION_STAMPED_TEXT = "Tanggal dan kode produksi: lihat kemasan"
PRODUCTION_CODE_RE = re.compile(r"^[A-Z0-9/-]{1,20}$")

_MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
           "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
           "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "september": 9, "sep": 9,
           "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
           "nopember": 11, "desember": 12, "des": 12}
_MONTH_NAMES = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember")
_HOW = Msg("Tulis tanggal sebagai hari-bulan-tahun, contoh: 27-11-2026.",
           "Write the date as day-month-year, for example 27-11-2026.")


def parse_date_id(text: object, *, field: str = "date") -> date:
    """Read a date typed the Indonesian way: "27-11-2026", "27/11/26", "27 Nov 2026",
    "27 Agustus 2026", or ISO "2026-11-27" (HTML date inputs).

    :raises RuleError: ``required``, ``date_format``, or ``date_impossible`` (e.g. 31-02-2026,
        the message says how many days the month has).
    """
    if isinstance(text, date):
        return text
    s = re.sub(r"\s+", " ", str(text or "").strip().lower())
    if not s:
        raise RuleError(field, "required", Msg("Isi tanggalnya, contoh: 27-11-2026.",
                                               "Enter the date, for example 27-11-2026."))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})", s):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})[ -]([a-z]+)\.?[ -](\d{2}|\d{4})", s):
        if m.group(2) not in _MONTHS:
            raise RuleError(field, "date_format", _HOW)
        d, mo, y = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    else:
        raise RuleError(field, "date_format", _HOW)
    if y < 100:
        y += 2000
    if not 1 <= mo <= 12:
        raise RuleError(field, "date_impossible", Msg(
            f"Bulan {mo} tidak ada; bulan ditulis 1 sampai 12. Urutannya hari-bulan-tahun.",
            f"There is no month {mo}; months are 1 to 12. The order is day-month-year."))
    if not 1 <= y <= 9999:
        raise RuleError(field, "date_format", _HOW)
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        raise RuleError(field, "date_impossible", Msg(
            f"Tanggal {d:02d}-{mo:02d}-{y} tidak ada: {_MONTH_NAMES[mo]} {y} hanya {last} hari.",
            f"The date {d:02d}-{mo:02d}-{y} does not exist: {calendar.month_name[mo]} {y} has "
            f"only {last} days."))
    return date(y, mo, d)


def check_production_date(d: date, today: date, *, field: str = "production_date") -> date:
    """A production date cannot be in the future.

    :raises RuleError: ``date_future``.
    """
    if d > today:
        raise RuleError(field, "date_future", Msg(
            f"Tanggal produksi {format_date_id(d)} belum lewat. Isi tanggal saat barang dibuat.",
            f"The production date {format_date_id(d)} is in the future. Enter the day the goods "
            "were made."))
    return d


def best_before(production_date: date, shelf_life_days: int) -> date:
    """Best-before date = production date + shelf life (days).

    :raises RuleError: ``shelf_life`` when the shelf life is not a positive whole number of days.
    """
    if isinstance(shelf_life_days, bool) or not isinstance(shelf_life_days, int) or shelf_life_days < 1:
        raise RuleError("shelf_life_days", "shelf_life", Msg(
            "Umur simpan ditulis dalam hari, paling sedikit 1, contoh: 90.",
            "Shelf life is a number of days, at least 1, for example 90."))
    return production_date + timedelta(days=shelf_life_days)


def month_year_allowed(shelf_life_days: int, settings: RuleSettings = DEFAULT_SETTINGS) -> bool:
    """Month and year alone may be printed when the shelf life is MORE than 3 months (> 90 d)."""
    return shelf_life_days > settings.expiry_month_year_min_days


def expiry_text(best_before_date: date, shelf_life_days: int,
                settings: RuleSettings = DEFAULT_SETTINGS, *, full_date: bool = False) -> str:
    """"Baik digunakan sebelum 27-02-2027", or "Baik digunakan sebelum 02-2027" when the shelf life
    allows month-year (and ``full_date`` is not asked). The month printed is the month of the
    best-before date (PP 69/1999: "bulan dan tahun kedaluwarsa"); with the setting
    ``expiry_month_year_round_down`` the previous month is printed unless it is the month's last day.
    """
    if full_date or not month_year_allowed(shelf_life_days, settings):
        return f"{EXPIRY_WORDS} {format_date_id(best_before_date)}"
    d = best_before_date
    if settings.expiry_month_year_round_down and d.day != calendar.monthrange(d.year, d.month)[1]:
        d = d.replace(day=1) - timedelta(days=1)
    return f"{EXPIRY_WORDS} {d.month:02d}-{d.year:04d}"


def suggest_production_code(production_date: date, n: int = 1) -> str:
    """Our convention YYMMDD-nn: the ``n``-th batch of 27-11-2026 is "261127-01"."""
    return f"{production_date:%y%m%d}-{max(1, int(n)):02d}"


def validate_production_code(code: object, *, field: str = "production_code") -> str:
    """Production (batch) code: 1–20 of A–Z, 0–9, "/" and "-". Lower case is upper-cased.

    :raises RuleError: ``required`` or ``code_format`` (suggestion: the code with spaces and other
        characters removed, when that leaves a valid code).
    """
    s = str(code or "").strip().upper()
    if not s:
        raise RuleError(field, "required", Msg("Isi kode produksi, contoh: 261127-01.",
                                               "Enter the production code, for example 261127-01."))
    if PRODUCTION_CODE_RE.fullmatch(s):
        return s
    cleaned = re.sub(r"[^A-Z0-9/-]", "", s.replace(" ", "-"))[:20]
    raise RuleError(field, "code_format", Msg(
        "Kode produksi hanya boleh huruf besar, angka, tanda - dan /, paling panjang 20, "
        "contoh: 261127-01.",
        "A production code may use capital letters, digits, - and /, at most 20 characters, "
        "for example 261127-01."), cleaned if PRODUCTION_CODE_RE.fullmatch(cleaned) else None)
