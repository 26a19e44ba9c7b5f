"""Informasi Nilai Gizi (ING): computation, BPOM rounding, %AKG and the printed rows (spec §2.7).

Inputs are per 100 g: ``fat``, ``sat_fat``, ``protein``, ``carb``, ``sugar`` (g) and ``sodium_mg``.
Energy = 9·fat + 4·protein + 4·carb. Values are scaled to the serving (or to the whole pack when
the pack is smaller than one serving), rounded by the BPOM steps, and %AKG is computed from the
unrounded amount against the ALG reference values in the settings (0 when the rounded amount is 0).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from .errors import RuleError
from .kinds import ProductClass
from .messages import Msg
from .numbers import format_decimal_id, parse_decimal
from .settings import DEFAULT_SETTINGS, RuleSettings

NUTRIENTS = ("fat", "sat_fat", "protein", "carb", "sugar", "sodium_mg")
NUTRIENT_NAMES = {"fat": ("lemak total", "total fat"), "sat_fat": ("lemak jenuh", "saturated fat"),
                  "protein": ("protein", "protein"), "carb": ("karbohidrat total", "total carbohydrate"),
                  "sugar": ("gula", "sugars"), "sodium_mg": ("natrium (garam)", "sodium")}
TITLE = "INFORMASI NILAI GIZI"


def footnote(settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """The exact %AKG footnote, with the energy reference from the settings."""
    kcal = f"{int(settings.alg_value('energy_kcal'))}"  # "2150": the footnote has no dot
    return (f"*Persen AKG berdasarkan kebutuhan energi {kcal} kkal. "
            "Kebutuhan energi Anda mungkin lebih tinggi atau lebih rendah.")


@dataclass(frozen=True)
class NutritionRow:
    """One printed line: ``label`` "Lemak total", ``amount`` "5 g", ``akg`` "8%" ("" for sugar)."""

    key: str
    label: str
    amount: str
    akg: str
    amount_value: Decimal
    indent: bool = False


@dataclass(frozen=True)
class NutritionFacts:
    """Everything the label prints for ING, already rounded and formatted."""

    title: str
    serving_text: str            # "Takaran saji 30 g" ("" when per pack)
    servings_text: str           # "5 Sajian per Kemasan" ("" when per pack)
    per_text: str                # "JUMLAH PER SAJIAN" or "JUMLAH PER KEMASAN (20 g)"
    rows: tuple[NutritionRow, ...]
    footnote: str
    servings_per_pack: Decimal
    per_pack: bool


def _nearest(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def round_energy(kcal: Decimal) -> Decimal:
    """<5 → 0; ≤50 → nearest 5; >50 → nearest 10."""
    if kcal < 5:
        return Decimal(0)
    return _nearest(kcal, Decimal(5) if kcal <= 50 else Decimal(10))


def round_fat(g: Decimal) -> Decimal:
    """Fat and saturated fat: <0,5 → 0; ≤5 → nearest 0,5; >5 → nearest 1."""
    if g < Decimal("0.5"):
        return Decimal(0)
    return _nearest(g, Decimal("0.5") if g <= 5 else Decimal(1))


def round_gram(g: Decimal) -> Decimal:
    """Protein, carbohydrate, sugar: <0,5 → 0, else nearest 1."""
    return Decimal(0) if g < Decimal("0.5") else _nearest(g, Decimal(1))


def round_sodium(mg: Decimal) -> Decimal:
    """Sodium: <5 → 0; ≤140 → nearest 5; >140 → nearest 10."""
    if mg < 5:
        return Decimal(0)
    return _nearest(mg, Decimal(5) if mg <= 140 else Decimal(10))


def round_servings(n: Decimal) -> Decimal:
    """Servings per pack to the nearest 0,5 (never below 0,5)."""
    return max(Decimal("0.5"), _nearest(n, Decimal("0.5")))


def percent_akg(amount: Decimal, rounded: Decimal, reference: Decimal) -> int:
    """%AKG to the nearest 1 from the unrounded amount; 0 when the rounded amount is 0."""
    if rounded == 0 or reference <= 0:
        return 0
    return int((amount * 100 / reference).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_per100(raw: Mapping[str, Any]) -> tuple[dict[str, Decimal], dict[str, Msg]]:
    """Read and cross-check per-100 g values. Returns (values, errors by nutrient key).

    Checks: each value ≥ 0; saturated fat ≤ fat; sugar ≤ carbohydrate; fat + protein + carb
    + sodium ≤ 100 g.
    """
    values: dict[str, Decimal] = {}
    errors: dict[str, Msg] = {}
    for key in NUTRIENTS:
        if raw.get(key) in (None, ""):
            errors[key] = Msg(f"Isi {NUTRIENT_NAMES[key][0]} per 100 g (tulis 0 jika tidak ada).",
                              f"Enter {NUTRIENT_NAMES[key][1]} per 100 g (0 if none).")
            continue
        try:
            v = parse_decimal(raw[key], field=key)
        except RuleError as e:
            errors[key] = e.msg
            continue
        if v < 0:
            errors[key] = Msg(f"{NUTRIENT_NAMES[key][0].capitalize()} tidak boleh kurang dari 0.",
                              f"{NUTRIENT_NAMES[key][1].capitalize()} cannot be below 0.")
            continue
        values[key] = v
    if "sat_fat" in values and "fat" in values and values["sat_fat"] > values["fat"]:
        errors["sat_fat"] = Msg("Lemak jenuh tidak mungkin lebih besar dari lemak total. Periksa "
                                "angka dari hasil lab atau tabel.",
                                "Saturated fat cannot be more than total fat. Check the lab or "
                                "table values.")
    if "sugar" in values and "carb" in values and values["sugar"] > values["carb"]:
        errors["sugar"] = Msg("Gula tidak mungkin lebih besar dari karbohidrat total. Periksa angkanya.",
                              "Sugar cannot be more than total carbohydrate. Check the values.")
    macros = [values.get(k) for k in ("fat", "protein", "carb")]
    if all(m is not None for m in macros):
        total = sum(macros) + values.get("sodium_mg", Decimal(0)) / 1000
        if total > 100:
            errors["carb"] = Msg(
                f"Lemak + protein + karbohidrat = {format_decimal_id(total)} g, lebih dari 100 g "
                "per 100 g. Periksa angkanya (semua per 100 g).",
                f"Fat + protein + carbohydrate = {format_decimal_id(total)} g, more than 100 g per "
                "100 g. Check the values (all per 100 g).")
    return values, errors


def nutrition_facts(per100: Mapping[str, Any], serving_size_g: Any, pack_size_g: Any,
                    settings: RuleSettings = DEFAULT_SETTINGS) -> NutritionFacts:
    """Compute the ING panel for one product.

    :param per100: per-100 g values (strings in Indonesian format are accepted).
    :param serving_size_g: takaran saji in g (ml counted as g).
    :param pack_size_g: net content of the pack in g (ml counted as g).
    :raises RuleError: on the first inconsistent or missing value (field = nutrient key,
        ``serving_size_g`` or ``pack_size_g``).
    """
    values, errors = parse_per100(per100)
    if errors:
        key, msg = next(iter(errors.items()))
        raise RuleError(key, "nutrition", msg)
    serving = parse_decimal(serving_size_g, field="serving_size_g", positive=True)
    pack = parse_decimal(pack_size_g, field="pack_size_g", positive=True)
    per_pack = pack < serving
    basis = pack if per_pack else serving
    servings = Decimal(1) if per_pack else round_servings(pack / serving)
    scale = basis / 100
    fat, sat, prot, carb, sugar, sodium = (values[k] * scale for k in NUTRIENTS)
    energy = (9 * values["fat"] + 4 * values["protein"] + 4 * values["carb"]) * scale

    def row(key: str, label: str, amount: Decimal, rounded: Decimal, unit: str,
            ref_key: str | None, indent: bool = False) -> NutritionRow:
        akg = "" if ref_key is None else f"{percent_akg(amount, rounded, settings.alg_value(ref_key))}%"
        return NutritionRow(key, label, f"{format_decimal_id(rounded)} {unit}", akg, rounded, indent)

    rows = [row("energy_kcal", "Energi total", energy, round_energy(energy), "kkal", "energy_kcal")]
    if settings.ing_show_energy_from_fat:
        e_fat = 9 * fat
        rows.append(row("energy_fat_kcal", "Energi dari lemak", e_fat, round_energy(e_fat), "kkal",
                        None, indent=True))
    rows += [
        row("fat", "Lemak total", fat, round_fat(fat), "g", "fat"),
        row("sat_fat", "Lemak jenuh", sat, round_fat(sat), "g", "sat_fat", indent=True),
        row("protein", "Protein", prot, round_gram(prot), "g", "protein"),
        row("carb", "Karbohidrat total", carb, round_gram(carb), "g", "carb"),
        row("sugar", "Gula", sugar, round_gram(sugar), "g", None, indent=True),
        row("sodium_mg", "Garam (Natrium)", sodium, round_sodium(sodium), "mg", "sodium_mg"),
    ]
    return NutritionFacts(
        title=TITLE,
        serving_text="" if per_pack else f"Takaran saji {format_decimal_id(serving)} g",
        servings_text="" if per_pack else f"{format_decimal_id(servings)} Sajian per Kemasan",
        per_text=f"JUMLAH PER KEMASAN ({format_decimal_id(pack)} g)" if per_pack else "JUMLAH PER SAJIAN",
        rows=tuple(rows), footnote=footnote(settings), servings_per_pack=servings, per_pack=per_pack)


def ing_required(product_class: str | None, category: str | None,
                 settings: RuleSettings = DEFAULT_SETTINGS) -> bool:
    """Is an ING panel required? Processed food (P-IRT or BPOM) unless its category is exempt
    (kopi, teh, bumbu/kondimen incl. sambal ⚠, …: ``settings.ing_exempt_categories``)."""
    if product_class not in (ProductClass.PANGAN_PIRT, ProductClass.PANGAN_BPOM):
        return False
    return str(category or "") not in settings.ing_exempt_categories
