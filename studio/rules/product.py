"""The standard product record: field schema, normalisation, completeness and label texts.

One record shape is shared by the web form, the CSV/JSON import and the API. Input values may
all be strings (CSV); :func:`normalise` turns them into clean Python values and never raises on
bad input: it returns per-field messages instead. CSV-style dotted keys ("nutrition.fat",
"net_quantity.unit") are folded into nested dicts first.

Clean value types: text fields ``str``; enums ``StrEnum`` members (they compare equal to their
string values); ``net_quantity`` :class:`NetQuantity`; decimals ``Decimal``; counts ``int``;
``ingredients`` ``list[{"name": str, "pct": Decimal | None[, "allergens": tuple]}]``; allergen
sets ``tuple[str, ...]`` of group ids; ``nutrition`` ``{"per100": {...}, "serving_size_g",
"pack_size_g", "urt", "source"}``. :func:`to_jsonable` gives the JSON form, which
:func:`normalise` reads back unchanged and :func:`from_jsonable` decodes back into the same typed
values without checking them again (a stored record was checked when it was saved).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Callable, Mapping

from .errors import RuleError
from .findings import data_findings, sort_findings
from .identifiers import parse_pirt, validate_bpom, validate_gtin, validate_halal_cert, validate_pom_tr
from .kinds import (CATEGORY_DEFAULT_STATE, PIRT_FOOD_CODES, PIRT_PACKAGING_DIGIT, Category, HalalStatus,
                    PackagingMaterial, PermitType,
                    PhysicalState, ProductClass)
from .labeltext import label_texts
from .messages import Finding, Msg
from .nutrition import NUTRIENTS, ing_required, parse_per100
from .numbers import decimal_to_json, parse_decimal, parse_int, parse_price_idr
from .parsing import (flatten_dotted, is_blank, read_bool, read_enum, read_food_code, read_groups,
                      read_ingredients, read_list, read_shelf_life, read_text, read_weight_g)
from .quantity import NetQuantity, parse_net_quantity
from .settings import DEFAULT_SETTINGS, RuleSettings

__all__ = ["FieldSpec", "FIELDS", "Completeness", "normalise", "completeness", "label_texts",
           "to_jsonable", "from_jsonable", "read_nutrition", "required_for"]

ALL = frozenset(ProductClass)
FOOD = frozenset({ProductClass.PANGAN_PIRT, ProductClass.PANGAN_BPOM})
REGULATED = FOOD | {ProductClass.OBAT_TRADISIONAL}
PIRT = frozenset({ProductClass.PANGAN_PIRT})
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FieldSpec:
    """One field of the record. ``label_for``/``listing_for``: the product classes whose label or
    listing needs it; ``when``: an extra condition (``ing_required``, ``halal_certified``,
    ``solid_in_liquid``, ``multi_serving``)."""

    name: str
    type: str
    label_id: str
    label_en: str
    label_for: frozenset[str] = NONE
    listing_for: frozenset[str] = NONE
    when: str | None = None
    choices: tuple[str, ...] = ()


def _f(name: str, type_: str, label_id: str, label_en: str, label_for: frozenset[str] = NONE,
       listing_for: frozenset[str] = NONE, when: str | None = None,
       choices: type[StrEnum] | None = None) -> FieldSpec:
    return FieldSpec(name, type_, label_id, label_en, frozenset(label_for), frozenset(listing_for),
                     when, tuple(m.value for m in choices) if choices else ())


#: The record schema, in form order.
FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    _f("product_class", "enum", "Jenis produk dan izin", "Product type and permit", ALL, ALL, choices=ProductClass),
    _f("name", "text", "Nama produk (nama jenis)", "Product name (what it is)", ALL, ALL),
    _f("brand", "text", "Merek", "Brand", listing_for=ALL),
    _f("variant", "text", "Varian (rasa/ukuran)", "Variant (flavour/size)"),
    _f("category", "enum", "Kategori", "Category", REGULATED, ALL, choices=Category),
    _f("physical_state", "enum", "Wujud produk", "Physical state", FOOD, choices=PhysicalState),
    _f("net_quantity", "net_quantity", "Berat/isi bersih atau jumlah isi", "Net quantity or count", FOOD, FOOD),
    _f("drained_weight_g", "decimal", "Bobot tuntas (g)", "Drained weight (g)", FOOD, when="solid_in_liquid"),
    _f("units_per_pack", "int", "Isi per kemasan (pcs)", "Units per pack"),
    _f("ingredients", "ingredients", "Komposisi (bahan)", "Ingredients", REGULATED),
    _f("allergens_confirmed", "groups", "Alergen yang ada", "Allergens present"),
    _f("allergen_exempt", "list", "Bahan murni yang bebas alergen",
       "Highly refined ingredients exempt from allergens"),
    _f("may_contain", "groups", "Dapat mengandung (alat bersama)", "May contain (shared equipment)"),
    _f("storage_instructions", "text", "Cara penyimpanan", "Storage instructions", FOOD),
    _f("storage_after_opening", "text", "Penyimpanan setelah dibuka", "Storage after opening", FOOD,
       when="multi_serving"),
    _f("shelf_life_days", "shelf_life", "Umur simpan (hari)", "Shelf life (days)", REGULATED),
    _f("production_code_scheme", "text", "Pola kode produksi", "Production code scheme"),
    _f("permit_type", "enum", "Jenis izin edar", "Permit type", REGULATED, choices=PermitType),
    _f("pirt_number", "pirt", "Nomor P-IRT", "P-IRT number", PIRT),
    _f("pirt_food_code", "food_code", "Kode jenis pangan P-IRT", "P-IRT food-type code", PIRT),
    _f("bpom_number", "bpom", "Nomor BPOM RI MD/ML", "BPOM RI MD/ML number", {ProductClass.PANGAN_BPOM}),
    _f("pom_tr_number", "pom_tr", "Nomor POM TR", "POM TR number", {ProductClass.OBAT_TRADISIONAL}),
    _f("halal_status", "enum", "Status halal", "Halal status", FOOD, choices=HalalStatus),
    _f("halal_cert_number", "halal", "Nomor sertifikat halal", "Halal certificate number", FOOD,
       when="halal_certified"),
    _f("packaging_material", "enum", "Bahan kemasan", "Packaging material", PIRT, choices=PackagingMaterial),
    _f("nutrition", "nutrition", "Informasi Nilai Gizi", "Nutrition facts", FOOD, when="ing_required"),
    _f("gtin", "gtin", "Nomor barcode (EAN-13)", "Barcode number (EAN-13)"),
    _f("sku", "sku", "SKU", "SKU"),
    _f("price_idr", "price", "Harga (Rp)", "Price (Rp)", listing_for=ALL),
    _f("stock", "int", "Stok", "Stock", listing_for=ALL),
    _f("min_order", "int", "Minimal pembelian", "Minimum order"),
    _f("shipping_weight_g", "weight", "Berat kirim (g)", "Shipping weight (g)", listing_for=ALL),
    _f("package_l_cm", "dimension", "Panjang paket (cm)", "Package length (cm)", listing_for=ALL),
    _f("package_w_cm", "dimension", "Lebar paket (cm)", "Package width (cm)", listing_for=ALL),
    _f("package_h_cm", "dimension", "Tinggi paket (cm)", "Package height (cm)", listing_for=ALL),
    _f("description", "longtext", "Deskripsi", "Description", listing_for=ALL),
    _f("claims", "list", "Klaim", "Claims"),
    _f("contains_pork", "bool", "Mengandung babi", "Contains pork"),
    _f("alcohol_pct", "decimal", "Kadar alkohol (%)", "Alcohol (%)"),
    _f("sweeteners", "list", "Pemanis buatan", "Artificial sweeteners"),
)}

_SYN = {
    "product_class": {"pirt": "pangan_pirt", "p_irt": "pangan_pirt", "bpom": "pangan_bpom",
                      "md": "pangan_bpom", "ml": "pangan_bpom", "pom_tr": "obat_tradisional",
                      "ot": "obat_tradisional", "craft": "kerajinan", "crafts": "kerajinan"},
    "category": {"kue": "kue_kering", "kuker": "kue_kering", "cookies": "kue_kering",
                 "kripik": "keripik", "chips": "keripik", "kopi_bubuk": "kopi", "coffee": "kopi",
                 "sambel": "sambal", "honey": "madu", "minuman": "minuman_serbuk",
                 "serbuk": "minuman_serbuk", "craft": "kerajinan", "lain_lain": "lainnya"},
    "physical_state": {"solid": "padat", "liquid": "cair", "cairan": "cair", "pasta": "semi_padat",
                       "kental": "semi_padat", "semi": "semi_padat"},
    "permit_type": {"p_irt": "PIRT", "pirt": "PIRT", "bpom_md": "MD", "md": "MD", "ml": "ML",
                    "tr": "POM_TR", "pom_tr": "POM_TR", "tidak_ada": "none", "tanpa": "none",
                    "-": "none", "none": "none"},
    "halal_status": {"halal": "certified", "bersertifikat": "certified", "sudah": "certified",
                     "sertifikat": "certified", "tidak_halal": "not_halal", "non_halal": "not_halal",
                     "nonhalal": "not_halal", "proses": "in_process", "dalam_proses": "in_process",
                     "sedang_proses": "in_process"},
    "packaging_material": {"kaca": "gelas", "botol_kaca": "gelas", "kertas": "karton_kertas",
                           "karton": "karton_kertas", "kardus": "karton_kertas",
                           "aluminium_foil": "alufoil", "alumunium_foil": "alufoil", "foil": "alufoil",
                           "daun": "lain", "lain_lain": "lain", "lainnya": "lain"},
}
_ENUMS: dict[str, type[StrEnum]] = {
    "product_class": ProductClass, "category": Category, "physical_state": PhysicalState,
    "permit_type": PermitType, "halal_status": HalalStatus, "packaging_material": PackagingMaterial}
_TEXT_LIMITS = {"name": (3, 60), "brand": (1, 40), "variant": (1, 40), "storage_instructions": (3, 200),
                "storage_after_opening": (3, 200), "production_code_scheme": (1, 40)}
#: the longest product name the record takes (forms that ask for a name say it at once)
NAME_MAX_CHARS = _TEXT_LIMITS["name"][1]
_NONE_WORDS = {"tidak ada", "tidak", "none", "-", "tanpa", "kosong"}


@dataclass(frozen=True)
class _Ctx:
    today: date
    settings: RuleSettings
    regency_code: str | None


def _sku(value: Any, field: str) -> str:
    s = re.sub(r"\s+", "-", str(value).strip().upper())
    if not re.fullmatch(r"[A-Z0-9-]{1,40}", s):
        fixed = re.sub(r"[^A-Z0-9-]", "", s)[:40]
        raise RuleError(field, "sku_format", Msg(
            "SKU hanya huruf besar, angka dan tanda -, paling panjang 40, contoh: KRP-SGK-250.",
            "A SKU uses capital letters, digits and -, at most 40, e.g. KRP-SGK-250."), fixed or None)
    return s


def _decimal_g(value: Any, field: str) -> Decimal:
    s = str(value)
    if re.search(r"[a-zA-Z]", s):
        nq = parse_net_quantity(s, field=field)
        if nq.is_mass:
            return nq.base_value
        raise RuleError(field, "unit_unknown", Msg("Tulis dalam gram, contoh: 150.",
                                                   "Write it in grams, e.g. 150."))
    return parse_decimal(s, field=field, positive=True)


def _dimension(value: Any, field: str) -> Decimal:
    v = parse_decimal(re.sub(r"\s*cm\s*$", "", str(value), flags=re.I), field=field, positive=True)
    if v > 500:
        raise RuleError(field, "too_large", Msg("Ukuran paket paling besar 500 cm.",
                                                "A package side is at most 500 cm."))
    return v


def _count(value: Any, field: str, lo: int, hi: int) -> int:
    m = re.fullmatch(r"\s*([\d.,]+)\s*(pcs|pc|buah|biji|bks|bungkus|sachet|butir|lembar|set|keping)?\s*",
                     str(value), re.I)
    return parse_int(m.group(1) if m else value, field=field, min_value=lo, max_value=hi)


def _groups(value: Any, field: str) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip().lower() in _NONE_WORDS:
        return ()
    return read_groups(value, field)


def read_nutrition(value: Any) -> tuple[dict[str, Any], dict[str, Msg]]:
    """The nutrition block of a record (nested, or the flat nutrient keys) as clean values, and the
    problems by record key (``"nutrition.fat"``). Used by :func:`normalise`; also on its own for a
    nutrition table that is not a product's (a cohort's table a trainer prepares)."""
    if not isinstance(value, Mapping):
        return {}, {"nutrition": Msg("Isi angka gizi di kolom-kolomnya.", "Fill in the nutrition fields.")}
    per100 = value.get("per100")
    per100_raw = dict(per100) if isinstance(per100, Mapping) else {}
    for key in NUTRIENTS:   # flat keys (nutrition.fat) are accepted too
        if key in value and key not in per100_raw:
            per100_raw[key] = value[key]
    values, errs = parse_per100(per100_raw)
    errors = {f"nutrition.{k}": m for k, m in errs.items()}
    out: dict[str, Any] = {"per100": values}
    for key in ("serving_size_g", "pack_size_g"):
        if not is_blank(value.get(key)):
            try:
                out[key] = _decimal_g(value[key], f"nutrition.{key}")
            except RuleError as e:
                errors[f"nutrition.{key}"] = e.msg
    for key, limit in (("urt", 40), ("source", 40), ("lab_report_id", 60)):
        if not is_blank(value.get(key)):
            try:
                out[key] = read_text(value[key], f"nutrition.{key}", max_len=limit)
            except RuleError as e:
                errors[f"nutrition.{key}"] = e.msg
    return out, errors


def _parser(spec: FieldSpec, ctx: _Ctx) -> Callable[[Any], Any]:
    n, t = spec.name, spec.type
    if t == "enum":
        return lambda v: read_enum(v, n, _ENUMS[n], _SYN.get(n))
    if t == "text":
        lo, hi = _TEXT_LIMITS.get(n, (0, 200))
        return lambda v: read_text(v, n, min_len=lo, max_len=hi)
    return {
        "longtext": lambda v: read_text(v, n, max_len=5000, multiline=True),
        "net_quantity": lambda v: parse_net_quantity(v, field=n),
        "decimal": (lambda v: _decimal_g(v, n)) if n.endswith("_g") else
                   (lambda v: _pct(v, n)),
        "int": lambda v: _count(v, n, 0 if n == "stock" else 1, 1_000_000),
        "ingredients": lambda v: read_ingredients(v, n, tolerance_pct=ctx.settings.ingredient_sum_tolerance_pct),
        "groups": lambda v: _groups(v, n),
        "shelf_life": lambda v: read_shelf_life(v, n),
        # an expired year keeps the number: data_findings reports it (PERMIT-02), so a stored
        # record does not lose its permit on 1 January
        "pirt": lambda v: parse_pirt(v, ctx.today, ctx.settings, regency_code=ctx.regency_code,
                                     check_expiry=False).number,
        "food_code": lambda v: read_food_code(v, n),
        "bpom": lambda v: validate_bpom(v, ctx.settings),
        "pom_tr": lambda v: validate_pom_tr(v, ctx.settings),
        "halal": lambda v: validate_halal_cert(v, ctx.settings),
        "gtin": validate_gtin,
        "sku": lambda v: _sku(v, n),
        "price": lambda v: parse_price_idr(v, field=n),
        "weight": lambda v: read_weight_g(v, n),
        "dimension": lambda v: _dimension(v, n),
        "list": lambda v: read_list(v, n, separators=r"[\n;,]" if n in ("sweeteners", "allergen_exempt")
                                    else r"[\n;]"),
        "bool": lambda v: read_bool(v, n),
    }[t]


def _pct(value: Any, field: str) -> Decimal:
    v = parse_decimal(str(value).replace("%", ""), field=field)
    if not Decimal(0) <= v <= 100:
        raise RuleError(field, "pct_range", Msg("Tulis persen antara 0 dan 100.",
                                                "Give a percentage between 0 and 100."))
    return v


def normalise(raw: Mapping[str, Any], *, today: date, settings: RuleSettings = DEFAULT_SETTINGS,
              regency_code: str | None = None) -> tuple[dict[str, Any], dict[str, Msg], list[Finding]]:
    """Clean a raw product record (form, CSV row or JSON). Never raises on bad values.

    :param regency_code: the producer's regency for the P-IRT check (default from settings).
    :returns: ``(clean, errors, warnings)``: clean values of the valid fields (plus derived
        ``physical_state`` and ``permit_type`` defaults); ``errors`` by field name
        (``"nutrition.fat"`` for nested values); ``warnings``: the :func:`data_findings` about
        the values given (not about empty fields: see :func:`completeness`).
    """
    ctx = _Ctx(today, settings, regency_code)
    data = flatten_dotted(dict(raw)) if isinstance(raw, Mapping) else {}
    clean: dict[str, Any] = {}
    errors: dict[str, Msg] = {}
    for name, spec in FIELDS.items():
        value = data.get(name)
        if is_blank(value):
            continue
        if spec.type == "nutrition":
            nut, nut_errors = read_nutrition(value)
            errors.update(nut_errors)
            if not nut_errors:
                clean[name] = nut
            continue
        try:
            clean[name] = _parser(spec, ctx)(value)
        except RuleError as e:
            errors[name] = e.msg
    _derive(clean, errors)
    _cross_check(clean, errors)
    warnings = data_findings(clean, today=today, settings=settings, regency_code=regency_code,
                             include_missing=False)
    return clean, errors, sort_findings(warnings)


def _derive(clean: dict[str, Any], errors: dict[str, Msg]) -> None:
    """Defaults for fields left empty (a field the producer filled in wrongly keeps its error and
    gets no default: the form shows the error, not a silently chosen value)."""
    cls = clean.get("product_class")
    if "physical_state" not in clean and "physical_state" not in errors and cls in FOOD and clean.get("category") in CATEGORY_DEFAULT_STATE:
        clean["physical_state"] = CATEGORY_DEFAULT_STATE[clean["category"]]
    pirt = re.sub(r"\D", "", str(clean.get("pirt_number") or ""))
    if cls == ProductClass.PANGAN_PIRT and len(pirt) >= 15:
        # asked once: digits 2-3 of the P-IRT number are the food-type code, digit 1 the packaging
        if "pirt_food_code" not in clean and "pirt_food_code" not in errors and pirt[1:3] in PIRT_FOOD_CODES:
            clean["pirt_food_code"] = pirt[1:3]
        by_digit = {d: m for m, d in PIRT_PACKAGING_DIGIT.items()}
        if "packaging_material" not in clean and "packaging_material" not in errors and pirt[0] in by_digit:
            clean["packaging_material"] = by_digit[pirt[0]]
    if "permit_type" not in clean and "permit_type" not in errors and cls is not None:
        bpom = clean.get("bpom_number", "")
        clean["permit_type"] = {ProductClass.PANGAN_PIRT: PermitType.PIRT,
                                ProductClass.PANGAN_BPOM: PermitType.ML if " ML" in bpom else PermitType.MD,
                                ProductClass.OBAT_TRADISIONAL: PermitType.POM_TR}.get(cls, PermitType.NONE)


def _cross_check(clean: dict[str, Any], errors: dict[str, Msg]) -> None:
    nq: NetQuantity | None = clean.get("net_quantity")
    ship = clean.get("shipping_weight_g")
    if nq is not None and ship is not None and nq.is_mass and ship < nq.base_value:
        errors["shipping_weight_g"] = Msg(
            f"Berat kirim ({ship} g) lebih kecil dari berat bersih ({nq.text}). Berat kirim = berat "
            "isi + kemasan.",
            f"The shipping weight ({ship} g) is less than the net weight ({nq.text}). Shipping "
            "weight = contents + packaging.")
        del clean["shipping_weight_g"]


def required_for(spec: FieldSpec, clean: Mapping[str, Any],
                 settings: RuleSettings = DEFAULT_SETTINGS) -> frozenset[str]:
    """Which of "label" and "listing" need this field for this record."""
    cls = clean.get("product_class")
    out = set()
    if cls is None:
        if ALL <= spec.label_for:
            out.add("label")
        if ALL <= spec.listing_for:
            out.add("listing")
        return frozenset(out)
    if cls in spec.label_for and _condition(spec.when, clean, settings):
        out.add("label")
    if cls in spec.listing_for:
        out.add("listing")
    return frozenset(out)


def _condition(when: str | None, clean: Mapping[str, Any], settings: RuleSettings) -> bool:
    if when is None:
        return True
    if when == "ing_required":
        return ing_required(clean.get("product_class"), clean.get("category"), settings)
    if when == "halal_certified":
        return clean.get("halal_status") == HalalStatus.CERTIFIED
    if when == "solid_in_liquid":
        return clean.get("physical_state") == PhysicalState.PADAT_DALAM_CAIRAN
    if when == "multi_serving":
        return (clean.get("units_per_pack") or 1) > 1
    raise ValueError(f"unknown condition {when!r}")


@dataclass(frozen=True)
class Completeness:
    """Empty fields the label or the listing still needs, and the share filled in (0–100)."""

    label_missing: list[str]
    listing_missing: list[str]
    percent: int


def completeness(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> Completeness:
    """How complete a clean record is, for the label and for the listing (fields in form order)."""
    label, listing, needed = [], [], 0
    for name, spec in FIELDS.items():
        req = required_for(spec, clean, settings)
        if not req:
            continue
        needed += 1
        if is_blank(clean.get(name)):
            if "label" in req:
                label.append(name)
            if "listing" in req:
                listing.append(name)
    missing = len(set(label) | set(listing))
    percent = 100 if needed == 0 else (100 * (needed - missing)) // needed
    return Completeness(label, listing, percent)


def to_jsonable(clean: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-safe copy of a clean record that :func:`normalise` reads back unchanged (Decimal →
    int or "1,5" string, NetQuantity → dict, enums → str, tuples → lists)."""
    return {k: _json(v) for k, v in clean.items()}


def from_jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The typed clean record back from its JSON form (:func:`to_jsonable`), decoded, not checked
    again: ``from_jsonable(to_jsonable(clean)) == clean`` with the same types. Keys that are not
    record fields and empty values are left out, as :func:`normalise` leaves them out."""
    out: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        value = data.get(name)
        if not is_blank(value):
            out[name] = _decode(spec, value)
    return out


_DECODE_AS_IS = frozenset({"text", "longtext", "pirt", "food_code", "bpom", "pom_tr", "halal", "gtin", "sku",
                           "int", "shelf_life", "price", "weight", "bool"})


def _decode(spec: FieldSpec, v: Any) -> Any:
    t = spec.type
    if t in _DECODE_AS_IS:
        return v
    if t == "enum":
        return _ENUMS[spec.name](v)
    if t in ("decimal", "dimension"):
        return parse_decimal(v, field=spec.name)
    if t == "net_quantity":
        return parse_net_quantity(v, field=spec.name)
    if t == "groups":
        return tuple(v)
    if t == "list":
        return list(v)
    if t == "ingredients":
        return [_decode_ingredient(i) for i in v]
    if t == "nutrition":
        out = dict(v)
        out["per100"] = {k: parse_decimal(x, field=k) for k, x in (v.get("per100") or {}).items()}
        for key in ("serving_size_g", "pack_size_g"):
            if key in out:
                out[key] = parse_decimal(out[key], field=key)
        return out
    raise ValueError(f"no decoder for field type {t!r}")


def _decode_ingredient(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": item["name"],
                           "pct": None if item.get("pct") is None else parse_decimal(item["pct"], field="ingredients")}
    if item.get("allergens"):
        out["allergens"] = tuple(item["allergens"])
    return out


def _json(v: Any) -> Any:
    if isinstance(v, NetQuantity):
        return v.to_dict()
    if isinstance(v, StrEnum):
        return v.value
    if isinstance(v, Decimal):
        return decimal_to_json(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Mapping):
        return {k: _json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        return [_json(x) for x in v]
    return v
