"""Net quantity (BDKT): SI unit symbols, the "Berat Bersih"/"Isi Bersih" wording, character height.

Spec §2.3–2.4. Accepted: ``250 g``, ``1,5 kg``, ``500 ml``, ``1 L``, and the full words ``gram``,
``kilogram``, ``liter``, ``mililiter``. Rejected with the right symbol offered as ``suggestion``:
``gr``, ``grm``, ``gram.``, ``ltr``, ``cc``, ``oz``… The value is always printed with a decimal comma.

Goods sold by count (§2.4 "isi 10 pcs" or "10 × 20 g"): "Isi 3 pcs", "isi 10 lembar", "12 sachet"
(a count alone), "Isi 10 sachet @ 20 g", "10 x 20 g" or "200 g (10 sachet @ 20 g)" (count plus
weight; the total is the net quantity). Goods sold by size: "Ukuran 30 × 20 cm". Whether a count
or a size alone is enough is decided per product class by ``RuleSettings.count_only_classes``
(food states the weight too).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from .errors import RuleError
from .kinds import PhysicalState, ProductClass  # re-exported: the contract names live here too
from .messages import Msg
from .numbers import decimal_to_json, format_decimal_id, parse_decimal
from .settings import DEFAULT_SETTINGS, RuleSettings

__all__ = ["NetQuantity", "ProductClass", "PhysicalState", "parse_net_quantity",
           "net_quantity_statement", "required_char_height_mm", "MASS_UNITS", "VOLUME_UNITS",
           "COUNT_UNITS", "SIZE_UNITS", "quantity_input_text", "count_only_allowed", "count_statement_ok",
           "net_quantity_needed"]

MASS_UNITS = ("g", "kg")
VOLUME_UNITS = ("ml", "L")
#: Size units for goods sold by their dimensions (crafts: "Ukuran 30 × 20 cm").
SIZE_UNITS = ("mm", "cm", "m")
#: Count words as printed ("Isi 3 pcs", "isi 10 lembar"); spellings map to these.
COUNT_UNITS = ("pcs", "buah", "biji", "butir", "lembar", "sachet", "bungkus", "set", "pasang",
               "batang", "keping", "potong", "gulung", "botol", "cup", "kotak")

_ACCEPTED = {"g": "g", "gram": "g", "kg": "kg", "kilogram": "kg", "ml": "ml", "mililiter": "ml",
             "milliliter": "ml", "millilitre": "ml", "l": "L", "liter": "L", "litre": "L"}
# wrong symbol -> (right symbol, factor applied to the value)
_WRONG = {"gr": ("g", 1), "grm": ("g", 1), "gram.": ("g", 1), "grams": ("g", 1), "gm": ("g", 1),
          "gms": ("g", 1), "g.": ("g", 1), "gr.": ("g", 1), "grm.": ("g", 1),
          "kgs": ("kg", 1), "kg.": ("kg", 1), "kilo": ("kg", 1), "kgr": ("kg", 1),
          "ltr": ("L", 1), "ltr.": ("L", 1), "lt": ("L", 1), "lt.": ("L", 1), "l.": ("L", 1),
          "liter.": ("L", 1), "mltr": ("ml", 1), "ml.": ("ml", 1), "cc": ("ml", 1),
          "oz": ("g", Decimal("28.3495")), "ons": ("g", 100), "fl oz": ("ml", Decimal("29.5735")),
          "floz": ("ml", Decimal("29.5735"))}
_COUNT_WORDS = {u: u for u in COUNT_UNITS} | {
    "pc": "pcs", "pcs.": "pcs", "pieces": "pcs", "piece": "pcs", "bks": "bungkus", "bks.": "bungkus",
    "sachets": "sachet", "saset": "sachet", "sachet.": "sachet", "lbr": "lembar", "lbr.": "lembar",
    "btr": "butir", "bh": "buah", "keping.": "keping", "kpg": "keping", "ptg": "potong"}
_QTY_RE = re.compile(r"^\s*([+-]?[\d.,\s]*\d)\s*([^\d\s].*?)?\s*$")
_LEAD_RE = re.compile(r"^\s*(berat\s+bersih|isi\s+bersih|netto|isi)\s*:?\s*", re.I)
_EACH_RE = re.compile(r"^\s*(\d+)\s*([^\d\s@×x*]+)?\s*(?:@|×|x|\*|a\s|à)\s*(\d.*)$", re.I)
_SIZE_RE = re.compile(r"^\s*(?:ukuran\s*:?\s*)?([\d.,]+(?:\s*[x×*]\s*[\d.,]+){0,2})\s*(mm|cm|m)\s*$", re.I)
_PAREN_RE = re.compile(r"^(.*?)\s*\((.*)\)\s*\.?$")

_HOW = Msg("Tulis angka lalu satuan, contoh: 250 g, 1,5 kg, 500 ml atau 1 L.",
           "Type a number and then a unit, for example 250 g, 1,5 kg, 500 ml or 1 L.")


@dataclass(frozen=True)
class NetQuantity:
    """A net quantity: ``value`` > 0 in one of the SI units g, kg, ml, L; or a count ("3 pcs":
    ``unit`` is a :data:`COUNT_UNITS` word); or a size ("30 × 20 cm": ``unit`` in
    :data:`SIZE_UNITS`, the dimensions in ``size``). A weight or volume may also say how many
    pieces the pack holds (``count``/``count_unit``) and how much each holds (``each``)."""

    value: Decimal
    unit: str
    count: int | None = None
    count_unit: str | None = None
    each: Decimal | None = None
    each_unit: str | None = None          # unit of ``each`` when it differs from ``unit``
    size: tuple[Decimal, ...] = ()        # dimensions of goods sold by size ("30 × 20 cm")

    @property
    def is_mass(self) -> bool:
        return self.unit in MASS_UNITS

    @property
    def is_count(self) -> bool:
        """True for a count alone ("Isi 3 pcs"): there is no weight or volume."""
        return self.unit in COUNT_UNITS

    @property
    def is_size(self) -> bool:
        """True for dimensions alone ("Ukuran 30 × 20 cm"): there is no weight or volume."""
        return self.unit in SIZE_UNITS

    @property
    def has_amount(self) -> bool:
        """True for a weight or volume (with or without its pieces), False for a count or a size."""
        return not (self.is_count or self.is_size)

    @property
    def base_value(self) -> Decimal:
        """The amount in grams (mass) or millilitres (volume); the number of pieces for a count."""
        return self.value * 1000 if self.unit in ("kg", "L") else self.value

    @property
    def text(self) -> str:
        """The amount as printed: "250 g", "1,5 kg", "3 pcs", "30 × 20 cm"."""
        if self.is_size:
            return " × ".join(format_decimal_id(d) for d in self.size) + f" {self.unit}"
        return f"{format_decimal_id(self.value)} {self.unit}"

    @property
    def detail(self) -> str:
        """The pieces of a weight or volume: "10 sachet @ 20 g", "10 × 20 g", "10 sachet" ("")."""
        if not self.has_amount or not self.count:
            return ""
        if self.each is not None:
            head = f"{self.count} {self.count_unit}" if self.count_unit else f"{self.count} ×"
            sep = " @ " if self.count_unit else " "
            return f"{head}{sep}{format_decimal_id(self.each)} {self.each_unit or self.unit}"
        return f"{self.count} {self.count_unit or 'pcs'}"

    @property
    def input_text(self) -> str:
        """The form text that :func:`parse_net_quantity` reads back: "200 g (10 sachet @ 20 g)"."""
        return self.text + (f" ({self.detail})" if self.detail else "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, read back by :func:`parse_net_quantity`."""
        out: dict[str, Any] = {"value": decimal_to_json(self.value), "unit": self.unit}
        if self.is_size:
            out["size"] = [decimal_to_json(d) for d in self.size]
        if self.count and self.has_amount:
            out["count"] = self.count
            if self.count_unit:
                out["count_unit"] = self.count_unit
            if self.each is not None:
                out["each"] = decimal_to_json(self.each)
                if self.each_unit and self.each_unit != self.unit:
                    out["each_unit"] = self.each_unit
        return out


def quantity_input_text(value: Any) -> str:
    """Form text of a stored net quantity (a :class:`NetQuantity` or its ``to_dict`` form)."""
    if isinstance(value, NetQuantity):
        return value.input_text
    if isinstance(value, Mapping):
        try:
            return parse_net_quantity(value).input_text
        except RuleError:
            return f"{value.get('value', '')} {value.get('unit', '')}".strip()
    return str(value or "").strip()


def _norm(text: str) -> str:
    return " ".join(str(text).replace("×", "x").split()).lower()


def count_statement_ok(nq: NetQuantity, printed: str) -> bool:
    """Whether ``printed`` states a count or size the way the data gives it ("Isi 3 pcs",
    "Ukuran 30 × 20 cm")."""
    return _norm(net_quantity_statement(nq)) in _norm(printed)


def net_quantity_needed(product_class: object) -> bool:
    """Whether the label must state a net quantity even when the record has none: food always;
    crafts and other goods only state the count, weight or size they are sold by (§1 scope)."""
    return str(product_class or "") in ("pangan_pirt", "pangan_bpom")


def count_only_allowed(product_class: object, settings: RuleSettings = DEFAULT_SETTINGS) -> bool:
    """Whether a count or a size alone ("Isi 3 pcs", "Ukuran 30 × 20 cm") is a complete net
    quantity for this product class."""
    return str(product_class or "") in settings.count_only_classes


def _fmt(value: Decimal, unit: str) -> str:
    return f"{format_decimal_id(value)} {unit}"


_FRACTION_RE = re.compile(r"^\s*(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)\s*([^\d\s/].*)?$")
_VULGAR = {"½": (1, 2), "¼": (1, 4), "¾": (3, 4), "⅓": (1, 3), "⅔": (2, 3), "⅛": (1, 8)}
#: a smaller unit for a fraction of a big one ("1/4 kg" is better written "250 g")
_SMALLER = {"kg": ("g", 1000), "kilo": ("g", 1000), "kilogram": ("g", 1000), "l": ("ml", 1000),
            "liter": ("ml", 1000), "litre": ("ml", 1000)}


def _refuse_fraction(s: str, field: str) -> None:
    """"1/4 kg", "1 1/2 L", "½ kg": a label states a net quantity as a number; say which one."""
    typed = s.strip()
    for sign, (num, den) in _VULGAR.items():
        if sign in s:
            whole, _sep, rest = s.partition(sign)
            s = f"{whole.strip()} {num}/{den} {rest.strip()}".strip()
            break
    m = _FRACTION_RE.match(s)
    if not m or int(m.group(3)) == 0:
        return
    value = Decimal(int(m.group(1) or 0)) + Decimal(int(m.group(2))) / Decimal(int(m.group(3)))
    unit = (m.group(4) or "").strip()
    small = _SMALLER.get(unit.lower())
    def text(v: Decimal) -> str:
        q = v.quantize(Decimal("0.001")).normalize()
        return format(q, "f").replace(".", ",")
    if small and value < 1:
        suggestion = f"{text(value * small[1])} {small[0]}"
    else:
        suggestion = f"{text(value)} {unit}".strip()
    raise RuleError(field, "fraction", Msg(
        f"Tulis berat atau isi bersih sebagai angka, bukan pecahan: {typed} = {suggestion}.",
        f"Write the net quantity as a number, not a fraction: {typed} = {suggestion}."),
        suggestion if unit else None)


def parse_net_quantity(text: object, *, field: str = "net_quantity") -> NetQuantity:
    """Read "250 g", "1,5 kg", "500 ml", "1 L", "250 gram", a count ("Isi 3 pcs", "12 sachet"), a
    count with its weight ("Isi 10 sachet @ 20 g", "10 x 20 g", "200 g (10 sachet @ 20 g)"), a size
    ("Ukuran 30 x 20 cm"), or a ``{"value","unit"[,"count","count_unit","each","each_unit","size"]}``
    dict.

    :raises RuleError: ``unit_symbol`` (with the corrected text as ``suggestion``, "250 gr" →
        "250 g"), ``unit_missing``, ``unit_unknown``, ``count_whole``, ``count_mismatch``,
        ``number_format``, ``not_positive``, ``required``.
    """
    if isinstance(text, NetQuantity):
        return text
    if isinstance(text, Mapping):
        base = f"{text.get('value', '')} {text.get('unit', '')}"
        if text.get("size"):
            base = " x ".join(str(d) for d in text["size"]) + f" {text.get('unit', '')}"
        if text.get("count") not in (None, ""):
            unit = text.get("count_unit") or ""
            if text.get("each") not in (None, ""):
                each = f"{text['each']} {text.get('each_unit') or text.get('unit', '')}"
                base += f" ({text['count']} {unit} @ {each})" if unit else f" ({text['count']} x {each})"
            else:
                base += f" ({text['count']} {unit or 'pcs'})"
        text = base
    s = _LEAD_RE.sub("", str(text or "").strip(), count=1).strip()
    if not s:
        raise RuleError(field, "required", Msg("Isi berat bersih atau isi bersih, contoh: 250 g.",
                                               "Enter the net weight or volume, for example 250 g."))
    _refuse_fraction(s, field)
    m = _PAREN_RE.match(s)
    if m and m.group(1).strip():
        first = _parse_part(m.group(1), field)
        second = _parse_part(_LEAD_RE.sub("", m.group(2).strip(), count=1), field)
        total, parts = (second, first) if first.is_count else (first, second)
        if not total.has_amount or not parts.has_amount and not parts.is_count:
            raise RuleError(field, "number_format", Msg(
                "Tulis berat total lalu isinya dalam kurung, contoh: 200 g (10 sachet @ 20 g).",
                "Write the total weight and then the pieces in brackets, e.g. 200 g (10 sachet @ 20 g)."))
        return _combine(total, parts, field)
    return _parse_part(s, field)


def _parse_part(s: str, field: str) -> NetQuantity:
    size = _SIZE_RE.match(s)
    if size:
        dims = tuple(parse_decimal(d, field=field, positive=True)
                     for d in re.split(r"\s*[x×*]\s*", size.group(1).strip()))
        return NetQuantity(dims[0], size.group(2).lower(), size=dims)
    m = _EACH_RE.match(s)
    if not m:
        return _parse_simple(s, field)
    count = int(m.group(1))
    raw_unit = (m.group(2) or "").strip().lower()
    unit = _COUNT_WORDS.get(raw_unit) if raw_unit else None
    if raw_unit and unit is None:
        raise RuleError(field, "unit_unknown", Msg(
            f'Satuan "{m.group(2)}" tidak dikenal. Contoh: Isi 10 sachet @ 20 g.',
            f'Unknown unit "{m.group(2)}". For example: Isi 10 sachet @ 20 g.'))
    each = _parse_part(m.group(3), field)
    if not each.has_amount or each.count or count < 1:
        raise RuleError(field, "number_format", Msg(
            "Tulis jumlah lalu berat atau isi tiap buah, contoh: Isi 10 sachet @ 20 g.",
            "Write the count and then the weight or volume of each, e.g. Isi 10 sachet @ 20 g."))
    return NetQuantity(each.value * count, each.unit, count, unit, each.value)


def _combine(total: NetQuantity, parts: NetQuantity, field: str) -> NetQuantity:
    """"200 g (10 sachet @ 20 g)": the total is the net quantity; the pieces must add up to it."""
    if total.count:
        raise RuleError(field, "number_format", Msg(
            "Tulis berat total lalu isinya dalam kurung, contoh: 200 g (10 sachet @ 20 g).",
            "Write the total weight and then the pieces in brackets, e.g. 200 g (10 sachet @ 20 g)."))
    if parts.is_count:
        return NetQuantity(total.value, total.unit, parts.count, parts.count_unit)
    if parts.is_mass != total.is_mass or parts.base_value != total.base_value:
        raise RuleError(field, "count_mismatch", Msg(
            f"{parts.detail} = {parts.text}, tidak sama dengan {total.text}. Periksa jumlah dan "
            "beratnya.",
            f"{parts.detail} makes {parts.text}, not {total.text}. Check the count and the weight."))
    return NetQuantity(total.value, total.unit, parts.count, parts.count_unit, parts.each,
                       None if parts.unit == total.unit else parts.unit)


def _parse_simple(s: str, field: str) -> NetQuantity:
    m = _QTY_RE.match(s)
    if not m:
        raise RuleError(field, "number_format", _HOW)
    value = parse_decimal(m.group(1), field=field, positive=True)
    raw_unit = (m.group(2) or "").strip()
    unit_key = re.sub(r"\s+", " ", raw_unit.lower())
    if not unit_key:
        raise RuleError(field, "unit_missing", Msg(
            f"Tambahkan satuan di belakang angka: {format_decimal_id(value)} g untuk berat, "
            f"{format_decimal_id(value)} ml untuk cairan.",
            f"Add a unit after the number: {format_decimal_id(value)} g for weight, "
            f"{format_decimal_id(value)} ml for liquids."))
    if unit_key in _ACCEPTED:
        return NetQuantity(value, _ACCEPTED[unit_key])
    if unit_key in _WRONG:
        right, factor = _WRONG[unit_key]
        new_value = value * Decimal(factor)
        if factor != 1:
            new_value = new_value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        suggestion = _fmt(new_value, right)
        raise RuleError(field, "unit_symbol", Msg(
            f'Satuan "{raw_unit}" tidak boleh di label. Tulis: {suggestion}',
            f'The unit "{raw_unit}" is not allowed on a label. Write: {suggestion}'), suggestion)
    if unit_key in _COUNT_WORDS:
        if value != value.to_integral_value():
            raise RuleError(field, "count_whole", Msg(
                f"Jumlah {raw_unit} harus bilangan bulat, contoh: Isi 3 pcs.",
                f"The number of {raw_unit} must be a whole number, e.g. Isi 3 pcs."))
        unit = _COUNT_WORDS[unit_key]
        return NetQuantity(value.to_integral_value(), unit, int(value), unit)
    if unit_key == "mg":
        raise RuleError(field, "unit_unknown", Msg(
            "Satuan mg terlalu kecil untuk berat bersih. Pakai g, contoh: 0,5 g.",
            "mg is too small for a net quantity. Use g, for example 0,5 g."))
    raise RuleError(field, "unit_unknown", Msg(
        f'Satuan "{raw_unit}" tidak dikenal. Pakai g, kg, ml atau L.',
        f'Unknown unit "{raw_unit}". Use g, kg, ml or L.'))


def net_quantity_statement(nq: NetQuantity, physical_state: str | None = None, *,
                           drained_weight_g: Decimal | None = None) -> str:
    """The printed statement: "Berat Bersih 250 g" (mass), "Isi Bersih 500 ml" (volume), "Isi 3 pcs"
    (a count) or "Berat Bersih 200 g (10 sachet @ 20 g)" (pieces of a weight).

    The word follows the unit, which is right for padat/cair and lets semi-solid products
    (sambal, madu) choose by unit. A state/unit mismatch is reported by the NET-02 finding.
    For ``padat_dalam_cairan`` with a drained weight, ", Bobot Tuntas 150 g" is appended.
    """
    if nq.is_count:
        return f"Isi {nq.text}"
    if nq.is_size:
        return f"Ukuran {nq.text}"
    word = "Berat Bersih" if nq.is_mass else "Isi Bersih"
    out = f"{word} {nq.text}" + (f" ({nq.detail})" if nq.detail else "")
    if physical_state == PhysicalState.PADAT_DALAM_CAIRAN and drained_weight_g:
        out += f", Bobot Tuntas {format_decimal_id(drained_weight_g)} g"
    return out


def state_unit_mismatch(nq: NetQuantity, physical_state: str | None) -> bool:
    """True when a solid is stated in ml/L or a liquid in g/kg (NET-02 warning)."""
    if not nq.has_amount:
        return False
    return ((physical_state == PhysicalState.PADAT and not nq.is_mass)
            or (physical_state == PhysicalState.CAIR and nq.is_mass))


def required_char_height_mm(nq: NetQuantity, settings: RuleSettings = DEFAULT_SETTINGS) -> float:
    """Minimum height in mm of the net-quantity digits for this nominal quantity (BDKT table ⚠)."""
    if not nq.has_amount:
        return settings.count_char_height_mm
    qn = nq.base_value
    for bound, height_mm in settings.bdkt_heights_mm:
        if bound is None or qn <= bound:
            return height_mm
    return settings.bdkt_heights_mm[-1][1]  # pragma: no cover - last row has no bound
