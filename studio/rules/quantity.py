"""Net quantity (BDKT): SI unit symbols, the "Berat Bersih"/"Isi Bersih" wording, character height.

Spec §2.3–2.4. Accepted: ``250 g``, ``1,5 kg``, ``500 ml``, ``1 L``, and the full words ``gram``,
``kilogram``, ``liter``, ``mililiter``. Rejected with the right symbol offered as ``suggestion``:
``gr``, ``grm``, ``gram.``, ``ltr``, ``cc``, ``oz``… The value is always printed with a decimal comma.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import RuleError
from .kinds import PhysicalState, ProductClass  # re-exported: the contract names live here too
from .messages import Msg
from .numbers import decimal_to_json, format_decimal_id, parse_decimal
from .settings import DEFAULT_SETTINGS, RuleSettings

__all__ = ["NetQuantity", "ProductClass", "PhysicalState", "parse_net_quantity",
           "net_quantity_statement", "required_char_height_mm", "MASS_UNITS", "VOLUME_UNITS"]

MASS_UNITS = ("g", "kg")
VOLUME_UNITS = ("ml", "L")

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
_COUNT_WORDS = {"pcs", "pc", "buah", "biji", "bks", "bungkus", "sachet", "butir", "lembar", "set"}
_QTY_RE = re.compile(r"^\s*([+-]?[\d.,\s]*\d)\s*([^\d\s].*?)?\s*$")

_HOW = Msg("Tulis angka lalu satuan, contoh: 250 g, 1,5 kg, 500 ml atau 1 L.",
           "Type a number and then a unit, for example 250 g, 1,5 kg, 500 ml or 1 L.")


@dataclass(frozen=True)
class NetQuantity:
    """A net quantity in one of the SI units g, kg, ml, L (``value`` > 0)."""

    value: Decimal
    unit: str

    @property
    def is_mass(self) -> bool:
        return self.unit in MASS_UNITS

    @property
    def base_value(self) -> Decimal:
        """The amount in grams (mass) or millilitres (volume)."""
        return self.value * 1000 if self.unit in ("kg", "L") else self.value

    @property
    def text(self) -> str:
        """As printed: "250 g", "1,5 kg"."""
        return f"{format_decimal_id(self.value)} {self.unit}"

    def to_dict(self) -> dict[str, str]:
        """JSON-friendly form, read back by :func:`parse_net_quantity`."""
        return {"value": decimal_to_json(self.value), "unit": self.unit}


def _fmt(value: Decimal, unit: str) -> str:
    return f"{format_decimal_id(value)} {unit}"


def parse_net_quantity(text: object, *, field: str = "net_quantity") -> NetQuantity:
    """Read "250 g", "1,5 kg", "500 ml", "1 L", "250 gram" (or a ``{"value","unit"}`` dict).

    :raises RuleError: ``unit_symbol`` (with the corrected text as ``suggestion``, "250 gr" →
        "250 g"), ``unit_missing``, ``unit_unknown``, ``unit_count``, ``number_format``,
        ``not_positive``, ``required``.
    """
    if isinstance(text, NetQuantity):
        return text
    if isinstance(text, dict):
        text = f"{text.get('value', '')} {text.get('unit', '')}"
    s = str(text or "").strip()
    if not s:
        raise RuleError(field, "required", Msg("Isi berat bersih atau isi bersih, contoh: 250 g.",
                                               "Enter the net weight or volume, for example 250 g."))
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
        raise RuleError(field, "unit_count", Msg(
            "Berat bersih ditulis dalam g atau kg (atau ml/L untuk cairan). "
            "Jumlah biji/pcs diisi di kolom 'isi per kemasan'.",
            "Net quantity uses g or kg (or ml/L for liquids). Put the number of pieces in "
            "'units per pack'."))
    if unit_key == "mg":
        raise RuleError(field, "unit_unknown", Msg(
            "Satuan mg terlalu kecil untuk berat bersih. Pakai g, contoh: 0,5 g.",
            "mg is too small for a net quantity. Use g, for example 0,5 g."))
    raise RuleError(field, "unit_unknown", Msg(
        f'Satuan "{raw_unit}" tidak dikenal. Pakai g, kg, ml atau L.',
        f'Unknown unit "{raw_unit}". Use g, kg, ml or L.'))


def net_quantity_statement(nq: NetQuantity, physical_state: str | None = None, *,
                           drained_weight_g: Decimal | None = None) -> str:
    """The printed statement: "Berat Bersih 250 g" (mass) or "Isi Bersih 500 ml" (volume).

    The word follows the unit, which is right for padat/cair and lets semi-solid products
    (sambal, madu) choose by unit. A state/unit mismatch is reported by the NET-02 finding.
    For ``padat_dalam_cairan`` with a drained weight, ", Bobot Tuntas 150 g" is appended.
    """
    word = "Berat Bersih" if nq.is_mass else "Isi Bersih"
    out = f"{word} {nq.text}"
    if physical_state == PhysicalState.PADAT_DALAM_CAIRAN and drained_weight_g:
        out += f", Bobot Tuntas {format_decimal_id(drained_weight_g)} g"
    return out


def state_unit_mismatch(nq: NetQuantity, physical_state: str | None) -> bool:
    """True when a solid is stated in ml/L or a liquid in g/kg (NET-02 warning)."""
    return ((physical_state == PhysicalState.PADAT and not nq.is_mass)
            or (physical_state == PhysicalState.CAIR and nq.is_mass))


def required_char_height_mm(nq: NetQuantity, settings: RuleSettings = DEFAULT_SETTINGS) -> float:
    """Minimum height in mm of the net-quantity digits for this nominal quantity (BDKT table ⚠)."""
    qn = nq.base_value
    for bound, height_mm in settings.bdkt_heights_mm:
        if bound is None or qn <= bound:
            return height_mm
    return settings.bdkt_heights_mm[-1][1]  # pragma: no cover - last row has no bound
