"""Every uncertain (⚠) fact of the label spec as one frozen settings object.

Defaults follow /shared/spec/label-rules.md (Nov 2026). The app loads overrides from its config with
:meth:`RuleSettings.from_mapping`, so a trainer can change a threshold without a code change.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from .messages import Severity

#: Default BDKT net-quantity character heights: (upper bound of Qn in g or ml, min height mm).
#: ``None`` as bound means "no upper bound". OIML R79 values, spec §2.3 ⚠.
DEFAULT_BDKT_HEIGHTS_MM: tuple[tuple[int | None, float], ...] = (
    (50, 2.0), (200, 3.0), (1000, 4.0), (None, 6.0))

#: ALG reference values for the general population (Per BPOM 9/2016 as used in spec §2.7).
DEFAULT_ALG: tuple[tuple[str, Decimal], ...] = (
    ("energy_kcal", Decimal(2150)), ("fat", Decimal(67)), ("sat_fat", Decimal(20)),
    ("protein", Decimal(60)), ("carb", Decimal(325)), ("sodium_mg", Decimal(1500)),
    ("fiber", Decimal(30)))

#: Categories exempt from ING (spec §2.7). "sambal" counts as kondimen/bumbu ⚠.
DEFAULT_ING_EXEMPT: frozenset[str] = frozenset({
    "kopi", "teh", "seduhan_herbal", "air_minum", "air_soda", "herba", "rempah", "bumbu",
    "kondimen", "sambal", "cuka", "ragi", "btp"})


@dataclass(frozen=True)
class RuleSettings:
    """Configurable facts behind the rules. All fields have spec defaults; see the spec §§ noted."""

    rules_version: str = "bpom31-2018+20-2021@2026-11"
    # §3 P-IRT
    pirt_accept_16_digits: bool = True          # accept with a WARNING until Per BPOM 4/2024 is read
    pirt_warn_months: int = 6                   # renew ≥ 6 months before expiry
    regency_code: str = "3517"                  # Kab. Jombang
    # §3 halal
    halal_cert_regex: str = r"^ID\d{17}$"
    halal_deadline: date = date(2026, 10, 17)   # UMK food & drink must be certified after this day
    halal_required_classes: frozenset[str] = frozenset({"pangan_pirt", "pangan_bpom"})
    # §3 BPOM and OBA
    bpom_regex: str = r"^BPOM RI (MD|ML) ?\d{12}$"
    pom_tr_regex: str = r"^POM ?[A-Z]{2} ?\d{9}$"
    # §2.5 expiry
    expiry_month_year_min_days: int = 90        # month-year allowed when shelf life is MORE than this
    expiry_month_year_round_down: bool = False  # True: print the previous month unless month-end
    pirt_min_shelf_life_days: int = 7           # P-IRT needs shelf life > 7 days
    # §2.3 legibility
    x_height_min_mm: float = 1.0
    bdkt_heights_mm: tuple[tuple[int | None, float], ...] = DEFAULT_BDKT_HEIGHTS_MM
    # §2.7 nutrition
    alg: tuple[tuple[str, Decimal], ...] = DEFAULT_ALG
    ing_exempt_categories: frozenset[str] = DEFAULT_ING_EXEMPT
    ing_show_energy_from_fat: bool = False
    # formats "vertical, horizontal, tabular, linear, simplified" ⚠[K]: whether the linear format (running
    # text, on a small sticker or a narrow panel without room for the table) is accepted
    nutrition_linear_allowed: bool = True
    ingredient_sum_tolerance_pct: Decimal = Decimal("0.5")
    # §2.4 goods sold by count ⚠: classes whose net quantity may be a count alone ("Isi 3 pcs");
    # food states weight or volume too ("Isi 10 sachet @ 20 g"), Pasal 5(1)c Per BPOM 31/2018
    count_only_classes: frozenset[str] = frozenset({"kerajinan", "lainnya"})
    count_char_height_mm: float = 2.0           # digit height of a count line (no BDKT row found ⚠)
    # §2.6 allergens: "highly refined derivatives are exempt" ⚠ which ones: ingredient names a
    # producer may mark exempt (regex, case-insensitive, searched in the ingredient name)
    allergen_exempt_patterns: tuple[str, ...] = (
        r"\bminyak\s+(kedelai|kedele|kacang\s+tanah)\b.*\b(murni|rafinasi|refined|dimurnikan|rbd)\b",
        r"\b(refined|rbd)\s+(soybean|soya|soy|peanut)\s+oil\b")
    # §2.3 language: an ingredient or name is "English only" when it has at least this many
    # English words and no Indonesian one (see lexicon.language_of)
    english_min_words: int = 1
    # §2.6 warning wordings ⚠[K] (no regulation text found): ``{pct}`` is the alcohol content,
    # ``{names}`` the sweeteners; the pork words are printed inside the red sign with a pig
    warning_pork_text: str = "MENGANDUNG BABI"
    warning_alcohol_text: str = "MENGANDUNG ALKOHOL {pct}%."
    warning_sweetener_text: str = "Mengandung pemanis buatan: {names}."
    warning_phenylalanine_text: str = "Mengandung fenilalanin, tidak cocok untuk penderita fenilketonurik."
    # §6 listings ⚠: the shortest description limit of the marketplaces (Tokopedia ≤2000 chars)
    listing_description_max_chars: int = 2000
    # §5 per-rule severity overrides, e.g. (("HALAL-01", "WARNING"),)
    severity_overrides: tuple[tuple[str, str], ...] = ()

    def alg_value(self, key: str) -> Decimal:
        """ALG reference amount for a nutrient key (``energy_kcal``, ``fat``, ``sodium_mg``…)."""
        return dict(self.alg)[key]

    def severity(self, rule_id: str, default: str) -> str:
        """The severity for ``rule_id``: the override when configured, else ``default``."""
        return dict(self.severity_overrides).get(rule_id, default)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RuleSettings:
        """Build settings from app config (keys = field names, case-insensitive; an optional
        ``RULES_`` prefix is dropped). Dates may be ISO strings, sets and tables lists or dicts.

        :raises ValueError: on an unknown key or a bad severity, so a typo fails at startup.
        """
        if not data:
            return cls()
        names = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = str(raw_key).lower()
            if key.startswith("rules_"):
                key = key[len("rules_"):]
            if key not in names:
                raise ValueError(f"unknown rule setting: {raw_key!r}")
            kwargs[key] = _coerce(key, value)
        return cls(**kwargs)


def _coerce(key: str, value: Any) -> Any:
    if key == "halal_deadline":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if key in ("halal_required_classes", "ing_exempt_categories", "count_only_classes"):
        return frozenset(str(v) for v in value)
    if key == "alg":
        items = value.items() if isinstance(value, Mapping) else value
        merged = dict(DEFAULT_ALG)
        merged.update({str(k): Decimal(str(v)) for k, v in items})
        return tuple(merged.items())
    if key == "bdkt_heights_mm":
        rows = tuple((None if b is None else int(b), float(h)) for b, h in value)
        if rows[-1][0] is not None:
            raise ValueError("bdkt_heights_mm: the last row needs bound None (no upper limit)")
        return rows
    if key == "severity_overrides":
        items = value.items() if isinstance(value, Mapping) else value
        out = tuple((str(k), str(v).upper()) for k, v in items)
        for rule_id, sev in out:
            if sev not in Severity.__members__:
                raise ValueError(f"severity for {rule_id} must be one of {list(Severity.__members__)}")
        return out
    if key == "ingredient_sum_tolerance_pct":
        return Decimal(str(value))
    if key == "allergen_exempt_patterns":
        out = tuple(str(v) for v in ([value] if isinstance(value, str) else value))
        for pattern in out:         # a bad pattern fails at startup, not on a product page
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"allergen_exempt_patterns: {pattern!r}: {e}") from e
        return out
    if key in ("warning_alcohol_text", "warning_sweetener_text"):
        field = "{pct}" if key == "warning_alcohol_text" else "{names}"
        if field not in str(value):
            raise ValueError(f"{key} needs the placeholder {field}")
        return str(value)
    if key in ("pirt_warn_months", "expiry_month_year_min_days", "pirt_min_shelf_life_days",
               "english_min_words", "listing_description_max_chars"):
        return int(value)
    if key in ("x_height_min_mm", "count_char_height_mm"):
        return float(value)
    if key in ("pirt_accept_16_digits", "ing_show_energy_from_fat", "expiry_month_year_round_down",
               "nutrition_linear_allowed"):
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "ya", "on")
        return bool(value)
    return str(value)


DEFAULT_SETTINGS = RuleSettings()
