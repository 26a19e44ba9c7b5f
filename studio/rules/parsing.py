"""Field-level readers used by :func:`studio.rules.product.normalise`.

Every reader takes whatever a form, CSV cell or JSON value may hold (mostly strings) and returns a
clean Python value, or raises :class:`RuleError` with a message saying what to type instead.
"""
from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .allergens import group_id
from .errors import RuleError
from .kinds import PIRT_FOOD_CODES
from .messages import Msg
from .numbers import format_decimal_id, parse_decimal, parse_int
from .quantity import parse_net_quantity

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]")


def is_blank(value: Any) -> bool:
    """None, "", whitespace, or an empty collection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return len(value) == 0
    return False


def read_text(value: Any, field: str, *, min_len: int = 0, max_len: int = 200,
              multiline: bool = False) -> str:
    """Trimmed text with control characters removed and runs of spaces collapsed."""
    s = _CONTROL.sub("", str(value))
    s = "\n".join(re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in s.splitlines()).strip() \
        if multiline else re.sub(r"\s+", " ", s).strip()
    if len(s) < min_len:
        raise RuleError(field, "too_short", Msg(f"Tulis paling sedikit {min_len} huruf.",
                                                f"Write at least {min_len} characters."))
    if len(s) > max_len:
        raise RuleError(field, "too_long", Msg(
            f"Terlalu panjang: {len(s)} huruf, paling banyak {max_len}. Singkatkan.",
            f"Too long: {len(s)} characters, at most {max_len}. Shorten it."))
    return s


def read_enum(value: Any, field: str, enum: type[StrEnum],
              synonyms: dict[str, str] | None = None) -> StrEnum:
    """An enum member from its value, case- and space-insensitive, or a known synonym."""
    key = re.sub(r"[\s\-/]+", "_", str(value).strip().lower())
    for member in enum:
        if key == member.value.lower():
            return member
    if synonyms and key in synonyms:
        return enum(synonyms[key])
    choices = ", ".join(m.value for m in enum)
    raise RuleError(field, "choice", Msg(f"Pilih salah satu: {choices}.",
                                         f"Choose one of: {choices}."))


def read_bool(value: Any, field: str) -> bool:
    """True/False from a checkbox, "ya"/"tidak", "yes"/"no", "1"/"0"."""
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in ("1", "true", "ya", "y", "yes", "on", "benar", "iya"):
        return True
    if key in ("0", "false", "tidak", "t", "n", "no", "off", "bukan", "tdk"):
        return False
    raise RuleError(field, "choice", Msg("Jawab ya atau tidak.", "Answer yes or no."))


def read_list(value: Any, field: str, *, max_items: int = 30, max_len: int = 200,
              separators: str = r"[\n;]") -> list[str]:
    """A list of short texts from a list, or from text split on newlines/semicolons."""
    items = value if isinstance(value, (list, tuple, set, frozenset)) else re.split(separators, str(value))
    out = [read_text(v, field, max_len=max_len) for v in items if not is_blank(v)]
    if len(out) > max_items:
        raise RuleError(field, "too_many", Msg(f"Paling banyak {max_items} isian.",
                                               f"At most {max_items} entries."))
    return [v for v in out if v]


def read_groups(value: Any, field: str) -> tuple[str, ...]:
    """Allergen group ids from ids or names ("susu, kacang tanah", ["milk"]). Sorted by input."""
    items = read_list(value, field, separators=r"[\n;,]")
    out: list[str] = []
    for item in items:
        gid = group_id(item)
        if gid is None:
            raise RuleError(field, "allergen_unknown", Msg(
                f'"{item}" bukan golongan alergen. Pilih: gluten, telur, ikan, krustasea, moluska, '
                "kacang tanah, kedelai, susu, kacang pohon, sulfit.",
                f'"{item}" is not an allergen group. Choose: gluten, egg, fish, crustaceans, '
                "molluscs, peanut, soy, milk, tree nuts, sulphites."))
        if gid not in out:
            out.append(gid)
    return tuple(out)


_SHELF_UNITS = {"hari": 1, "day": 1, "days": 1, "hr": 1, "minggu": 7, "week": 7, "weeks": 7,
                "bulan": 30, "bln": 30, "month": 30, "months": 30, "tahun": 365, "thn": 365,
                "year": 365, "years": 365}


def read_shelf_life(value: Any, field: str = "shelf_life_days") -> int:
    """Shelf life in days from "90", "90 hari", "3 bulan" (×30), "1 tahun" (×365), "2 minggu"."""
    m = re.fullmatch(r"\s*([\d.,]+)\s*([a-z]*)\s*", str(value).lower())
    if not m or (m.group(2) and m.group(2) not in _SHELF_UNITS):
        raise RuleError(field, "number_format", Msg(
            "Tulis umur simpan dalam hari, contoh: 90 (atau 3 bulan).",
            "Write the shelf life in days, e.g. 90 (or 3 bulan)."))
    days = parse_decimal(m.group(1), field=field, positive=True) * _SHELF_UNITS.get(m.group(2), 1)
    return parse_int(days.to_integral_value(), field=field, min_value=1, max_value=3650)


def read_weight_g(value: Any, field: str, *, max_g: int = 500_000) -> int:
    """Whole grams from "300", "300 g" or "0,3 kg" (shipping weight)."""
    s = str(value).strip()
    if re.search(r"[a-zA-Z]", s):
        nq = parse_net_quantity(s, field=field)
        if not nq.is_mass:
            raise RuleError(field, "unit_unknown", Msg("Tulis berat dalam gram, contoh: 300.",
                                                       "Write the weight in grams, e.g. 300."))
        grams = nq.base_value
    else:
        grams = parse_decimal(s, field=field, positive=True)
    return parse_int(grams.to_integral_value(), field=field, min_value=1, max_value=max_g)


def read_food_code(value: Any, field: str = "pirt_food_code") -> str:
    """P-IRT jenis pangan code "01"–"16" from "6", "06" or "06 tepung…"."""
    m = re.match(r"\s*(\d{1,2})\b", str(value))
    code = f"{int(m.group(1)):02d}" if m else ""
    if code not in PIRT_FOOD_CODES:
        raise RuleError(field, "choice", Msg("Pilih kode jenis pangan 01 sampai 16 (lihat sertifikat SPP-IRT).",
                                             "Choose a food-type code 01 to 16 (see the SPP-IRT certificate)."))
    return code


_PCT_TAIL = re.compile(r"\s*[\(\[]?\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%\s*[\)\]]?\s*$")


def _split_top_level(text: str) -> list[str]:
    """Split on , ; and newlines outside brackets; a comma between digits (2,5%) is kept."""
    parts, depth, cur = [], 0, []
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        is_sep = ch in ";\n" or (ch == "," and not (0 < i < len(text) - 1 and text[i - 1].isdigit()
                                                   and text[i + 1].isdigit()))
        if is_sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def read_ingredients(value: Any, field: str = "ingredients", *,
                     tolerance_pct: Decimal = Decimal("0.5")) -> list[dict[str, Any]]:
    """Ordered ingredients ``[{"name": str, "pct": Decimal | None}]`` (+ ``"allergens"`` when
    given), from a list of dicts/strings or one text "Singkong (70%), minyak sawit, garam 1,5%".

    :raises RuleError: bad percentage, empty name, more than 60 items, or a sum above 100 %.
    """
    if isinstance(value, str):
        text = re.sub(r"^\s*(komposisi|daftar bahan|bahan-bahan|bahan yang digunakan|bahan|"
                      r"ingredients)\s*:\s*", "", value, flags=re.I).strip().rstrip(".")
        raw_items: list[Any] = _split_top_level(text)
    elif isinstance(value, (list, tuple)):
        raw_items = list(value)
    else:
        raise RuleError(field, "format", Msg("Tulis bahan dipisah koma, contoh: singkong, minyak sawit, garam.",
                                             "Separate ingredients with commas, e.g. cassava, palm oil, salt."))
    if len(raw_items) > 60:
        raise RuleError(field, "too_many", Msg("Paling banyak 60 bahan.", "At most 60 ingredients."))
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(raw_items, 1):
        groups: tuple[str, ...] = ()
        if isinstance(raw, dict):
            name_raw, pct_raw = raw.get("name", ""), raw.get("pct")
            if not is_blank(raw.get("allergens")):
                groups = read_groups(raw["allergens"], field)
        else:
            name_raw, pct_raw = str(raw), None
            if m := _PCT_TAIL.search(name_raw):
                name_raw, pct_raw = name_raw[:m.start()], m.group(1)
        name = read_text(name_raw, field, max_len=120)
        if not name:
            raise RuleError(field, "empty", Msg(f"Bahan ke-{n} belum ada namanya.",
                                                f"Ingredient {n} has no name."))
        pct = None
        if not is_blank(pct_raw):
            pct = parse_decimal(str(pct_raw).replace("%", ""), field=field)
            if not Decimal(0) < pct <= 100:
                raise RuleError(field, "pct_range", Msg(
                    f"Persentase {name} harus di atas 0 dan paling banyak 100.",
                    f"The percentage of {name} must be above 0 and at most 100."))
        item: dict[str, Any] = {"name": name, "pct": pct}
        if groups:
            item["allergens"] = groups
        out.append(item)
    total = sum((i["pct"] for i in out if i["pct"] is not None), Decimal(0))
    if total > 100 + tolerance_pct:
        raise RuleError(field, "pct_sum", Msg(
            f"Jumlah persentase bahan {format_decimal_id(total)}%, lebih dari 100%. Periksa lagi angkanya.",
            f"The ingredient percentages add up to {format_decimal_id(total)}%, more than 100%. "
            "Check the numbers."))
    return out


def flatten_dotted(raw: dict[str, Any]) -> dict[str, Any]:
    """Fold CSV-style keys "nutrition.fat" / "net_quantity.unit" into nested dicts."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key).strip()
        if "." in key:
            head, tail = key.split(".", 1)
            if head in raw and not isinstance(raw[head], dict):
                continue  # an explicit flat value wins
            out.setdefault(head, {})
            if isinstance(out[head], dict):
                out[head][tail] = value
        else:
            if isinstance(out.get(key), dict) and isinstance(value, dict):
                out[key] = {**out[key], **value}
            elif key not in out or not isinstance(out[key], dict):
                out[key] = value
    return out
