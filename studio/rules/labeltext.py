"""The exact texts the label engine places, built from a clean product record.

Markup convention (same as :func:`studio.rules.allergens.emphasise_allergens`): every value is
plain text whose ONLY markup is ``<b>…</b>`` (allergens in the ingredient list); any ``<``/``>``
typed by a user arrives as ``‹``/``›``. Values that do not apply are "" (keys are always present).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from .allergens import (GROUPS, allergen_statement, detect_allergens, emphasise_allergens, escape_markup,
                        exempt_ingredients)
from .errors import RuleError
from .dates import EXPIRY_STAMPED_TEXT, PRODUCTION_STAMPED_TEXT, best_before, expiry_text
from .kinds import HalalStatus, ProductClass
from .lexicon import find_words
from .nutrition import NutritionFacts, ing_required, nutrition_facts
from .numbers import format_date_id, format_decimal_id, format_rupiah
from .quantity import net_quantity_statement, required_char_height_mm
from .settings import DEFAULT_SETTINGS, RuleSettings

LABEL_KEYS = ("name", "brand", "variant", "net_qty", "units", "ingredients", "allergen_stmt",
              "producer", "permit", "halal_number", "expiry", "production", "storage", "warning",
              "pork_warning", "price", "gtin", "net_qty_cap_mm")
#: the rows of the nutrition table, in print order (rules.nutrition keys)
NUTRITION_ROWS = ("energy_kcal", "fat", "sat_fat", "protein", "carb", "sugar", "sodium_mg")
#: values of the nutrition table: title, serving lines, "per" line, footnote, and for every row its
#: label, amount and %AKG ("nut_fat_label" "Lemak total", "nut_fat" "5 g", "nut_fat_akg" "8%")
NUTRITION_KEYS = ("nutrition", "nut_title", "nut_serving", "nut_servings", "nut_per", "nut_akg_head",
                  "nut_footnote") + tuple(f"nut_{k}{s}" for k in NUTRITION_ROWS for s in ("_label", "", "_akg"))
LABEL_KEYS += NUTRITION_KEYS
INGREDIENTS_HEADING = "<b>Komposisi:</b> "  # the heading is part of the legal text; bold on the label
_REGENCY_NAMES = {"3517": "Jombang"}
_REGULATED = (ProductClass.PANGAN_PIRT, ProductClass.PANGAN_BPOM, ProductClass.OBAT_TRADISIONAL)


def allergen_groups(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> list[str]:
    """Allergen groups the label declares: found in the ingredients ∪ confirmed by the producer
    ∪ tagged on an ingredient, in regulation order (a false alarm is fixed by renaming the
    ingredient, never by hiding a confirmed allergen). Ingredients the producer marked as highly
    refined (and that can be, :func:`~studio.rules.allergens.exempt_ingredients`) are left out."""
    items = clean.get("ingredients") or []
    exempt = exempt_ingredients(clean, settings.allergen_exempt_patterns)
    found = set(detect_allergens(i["name"] for i in items if i["name"] not in exempt))
    found |= set(clean.get("allergens_confirmed") or ())
    for item in items:
        found |= set(item.get("allergens") or ())
    return [g for g in GROUPS if g in found]


def ingredients_text(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """"<b>Komposisi:</b> <b>tepung terigu</b>, gula, singkong (60%)." ("" without ingredients)."""
    items = clean.get("ingredients") or []
    if not items:
        return ""
    groups = allergen_groups(clean, settings)
    exempt = exempt_ingredients(clean, settings.allergen_exempt_patterns)
    parts = []
    for item in items:
        text = (escape_markup(item["name"]) if item["name"] in exempt
                else emphasise_allergens(item["name"], groups))
        if item.get("allergens") and "<b>" not in text:
            text = f"<b>{text}</b>"        # producer-tagged compound ingredient ("bumbu instan")
        if item.get("pct") is not None:
            text += f" ({format_decimal_id(item['pct'])}%)"
        parts.append(text)
    return INGREDIENTS_HEADING + ", ".join(parts) + "."


def producer_text(producer: Mapping[str, Any]) -> str:
    """"<b>Diproduksi oleh:</b> UD Mbok Sri, <address>, Jombang 61456, Indonesia" (user text escaped)."""
    name = producer.get("legal_name") or producer.get("name") or ""
    address = producer.get("address_line") or producer.get("address") or ""
    city = (producer.get("city") or producer.get("regency_name")
            or _REGENCY_NAMES.get(str(producer.get("regency") or "")[:4], ""))
    city_line = " ".join(p for p in (str(city).strip(), str(producer.get("postal_code") or "").strip()) if p)
    parts = [escape_markup(str(p).strip()) for p in (name, address, city_line, producer.get("country") or "Indonesia")
             if str(p or "").strip()]
    made_for = producer.get("made_for")
    head = (f"<b>Diproduksi untuk:</b> {escape_markup(str(made_for))}, <b>oleh:</b> " if made_for
            else "<b>Diproduksi oleh:</b> ")
    return head + ", ".join(parts) if name else ""


def permit_text(clean: Mapping[str, Any]) -> str:
    """"P-IRT No. 2063517010012-29", "BPOM RI MD 123456789012" or "POM TR 123456789"."""
    cls = clean.get("product_class")
    if cls == ProductClass.PANGAN_PIRT and clean.get("pirt_number"):
        return f"P-IRT No. {clean['pirt_number']}"
    if cls == ProductClass.PANGAN_BPOM:
        return clean.get("bpom_number", "")
    if cls == ProductClass.OBAT_TRADISIONAL:
        return clean.get("pom_tr_number", "")
    return ""


def pork_warning_text(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """"MENGANDUNG BABI" for a product with pork ("" otherwise): the label prints it inside its sign."""
    return settings.warning_pork_text if clean.get("contains_pork") else ""


def warning_text(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Mandatory warning sentences besides the pork sign: alcohol, artificial sweeteners (wordings
    are settings, ⚠ to verify)."""
    out = []
    if clean.get("alcohol_pct"):
        out.append(settings.warning_alcohol_text.format(pct=format_decimal_id(clean["alcohol_pct"])))
    sweet = clean.get("sweeteners") or []
    if sweet:
        out.append(settings.warning_sweetener_text.format(names=", ".join(sweet)))
        if find_words(" , ".join(sweet), ("aspartam", "aspartame")):
            out.append(settings.warning_phenylalanine_text)
    return " ".join(out)


def storage_text(clean: Mapping[str, Any]) -> str:
    """Storage sentences, each ending with a full stop."""
    parts = [str(clean.get(k) or "").strip() for k in ("storage_instructions", "storage_after_opening")]
    return " ".join(p if p.endswith((".", "!")) else p + "." for p in parts if p)


def nutrition_panel(clean: Mapping[str, Any],
                    settings: RuleSettings = DEFAULT_SETTINGS) -> NutritionFacts | None:
    """The ING panel when the record has nutrition data (pack size defaults to the net quantity)."""
    nut = clean.get("nutrition")
    if not nut or not nut.get("serving_size_g"):
        return None
    pack = nut.get("pack_size_g")
    if pack is None and clean.get("net_quantity") is not None and clean["net_quantity"].has_amount:
        pack = clean["net_quantity"].base_value
    if pack is None:
        return None
    return nutrition_facts(nut["per100"], nut["serving_size_g"], pack, settings)


def nutrition_texts(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> dict[str, str]:
    """The nutrition information as table cells (:data:`NUTRITION_KEYS`) and as one running text
    ``nutrition`` (the linear format, for a label without room for the table), both with the %AKG
    footnote. Every key is "" without nutrition data."""
    out = {k: "" for k in NUTRITION_KEYS}
    try:
        facts = nutrition_panel(clean, settings)
    except RuleError:       # inconsistent values are a data finding, not a label crash
        facts = None
    if facts is None:
        return out
    out.update(nut_title=facts.title, nut_serving=facts.serving_text, nut_servings=facts.servings_text,
               nut_per=facts.per_text, nut_akg_head="% AKG*", nut_footnote=facts.footnote)
    for row in facts.rows:
        if row.key in NUTRITION_ROWS:
            out[f"nut_{row.key}_label"] = row.label
            out[f"nut_{row.key}"] = row.amount
            out[f"nut_{row.key}_akg"] = row.akg
    head = " · ".join(t for t in (facts.serving_text, facts.servings_text) if t)
    rows = "; ".join(f"{r.label} {r.amount}" + (f" ({r.akg}*)" if r.akg else "") for r in facts.rows)
    per = f"{facts.per_text}: {rows}"     # the linear format, as compact as it can be read
    out["nutrition"] = "\n".join(t for t in (f"{head}. {per}" if head else per, facts.footnote) if t)
    return out


def nutrition_needed(clean: Mapping[str, Any], settings: RuleSettings = DEFAULT_SETTINGS) -> bool:
    """Whether the label must carry the ING panel."""
    return ing_required(clean.get("product_class"), clean.get("category"), settings)


def label_texts(clean: Mapping[str, Any], producer: Mapping[str, Any], *,
                settings: RuleSettings = DEFAULT_SETTINGS,
                batch: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Texts for the label engine, keyed as in :data:`LABEL_KEYS`.

    :param producer: ``legal_name`` (or ``name``), ``address_line`` (or ``address``), ``city``
        (or a ``regency`` code), ``postal_code``, optional ``country`` and ``made_for``.
    :param batch: ``production_date`` (date) and ``production_code`` when printing one batch;
        without it the expiry and production lines refer to the stamped box ("lihat kemasan").
    """
    cls = clean.get("product_class")
    regulated = cls in _REGULATED
    nq = clean.get("net_quantity")
    out = {k: "" for k in LABEL_KEYS}
    out["name"] = clean.get("name", "")
    out["brand"] = clean.get("brand", "")
    out["variant"] = clean.get("variant", "")
    if nq is not None:
        out["net_qty"] = net_quantity_statement(nq, clean.get("physical_state"),
                                                drained_weight_g=clean.get("drained_weight_g"))
        out["net_qty_cap_mm"] = f"{required_char_height_mm(nq, settings):g}"   # BDKT digit height
    if (clean.get("units_per_pack") or 1) > 1 and not (nq is not None and (not nq.has_amount or nq.count)):
        out["units"] = f"Isi {clean['units_per_pack']} pcs"   # the net quantity already counts
    out["ingredients"] = ingredients_text(clean, settings)
    out["allergen_stmt"] = allergen_statement(allergen_groups(clean, settings), clean.get("may_contain") or ())
    out["producer"] = producer_text(producer)
    out["permit"] = permit_text(clean)
    if clean.get("halal_status") == HalalStatus.CERTIFIED:
        out["halal_number"] = clean.get("halal_cert_number", "")
    if regulated:
        made = (batch or {}).get("production_date")
        shelf = clean.get("shelf_life_days")
        if isinstance(made, date) and shelf:
            out["expiry"] = expiry_text(best_before(made, shelf), shelf, settings)
            code = (batch or {}).get("production_code") or ""
            out["production"] = f"Tanggal produksi: {format_date_id(made)}" + (
                f". Kode produksi: {code}" if code else "")
        else:
            out["expiry"] = EXPIRY_STAMPED_TEXT
            out["production"] = PRODUCTION_STAMPED_TEXT
    out["storage"] = storage_text(clean)
    out["warning"] = warning_text(clean, settings)
    out["pork_warning"] = pork_warning_text(clean, settings)
    if clean.get("price_idr"):
        out["price"] = format_rupiah(clean["price_idr"])
    out["gtin"] = clean.get("gtin", "")
    out.update(nutrition_texts(clean, settings))
    # ingredients and producer escape their user text themselves and add <b> headings/allergens
    return {k: (v if k in ("ingredients", "producer") else escape_markup(str(v))) for k, v in out.items()}
