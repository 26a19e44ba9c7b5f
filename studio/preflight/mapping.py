"""Findings that other engines already compute, placed on the label: compose's problems
(overflow, safe area, image resolution, code sizes) and the product-data rules."""
from __future__ import annotations

from ..rules import data_findings
from .context import Ctx
from .findings import COMPOSE_RULES, RULES, compose_blocks, is_mandatory_tag
from .places import item_name, where_on_label

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
#: compose codes that are editor hints, not label faults (shown as INFO)
_HINTS = {"field_empty"}

#: product-data field -> where it is printed on the label
FIELD_TAGS = {
    "name": "pdp.name", "brand": "brand", "variant": "variant", "net_quantity": "pdp.net_qty",
    "drained_weight_g": "pdp.net_qty", "physical_state": "pdp.net_qty",
    "pirt_number": "pdp.permit", "bpom_number": "pdp.permit", "pom_tr_number": "pdp.permit",
    "permit_type": "pdp.permit", "packaging_material": "pdp.permit", "pirt_food_code": "pdp.permit",
    "halal_status": "pdp.halal", "halal_cert_number": "pdp.halal", "ingredients": "ingredients",
    "allergens_confirmed": "allergen_stmt", "may_contain": "allergen_stmt",
    "shelf_life_days": "pdp.expiry", "production_date": "pdp.expiry", "best_before": "pdp.expiry",
    "production_code": "expiry_box", "storage_instructions": "storage", "storage_after_opening": "storage",
    "gtin": "ean", "contains_pork": "warning", "sweeteners": "warning", "alcohol_pct": "warning",
}


def compose_problems(ctx: Ctx) -> None:
    """Map every compose Problem to a finding at its item (panel from the region)."""
    painted_safe = {f.tag for f in ctx.out if f.rule_id == "SAFE-01"}
    for p in ctx.label.problems:
        if p.code == "outside_safe_area" and p.tag in painted_safe:
            continue            # the painted text lines were judged already (geometry.check_safe_area)
        rule_id = COMPOSE_RULES.get(p.code, "DOC-01")
        severity = "INFO" if p.code in _HINTS else _SEVERITY.get(p.severity, "WARNING")
        if p.code == "image_low_ppi" and p.severity == "error":
            severity = "ERROR"
        if p.severity == "error" and compose_blocks(p.code, p.tag or ""):
            severity = "BLOCKER"
        region = ctx.region(p.tag) if p.tag else None
        if p.code == "text_overflow" and is_mandatory_tag(p.tag):
            msg_id, msg_en = _cut_off(ctx, p.tag, p.box_mm or (region.box_mm if region else None))
        elif p.code == "outside_safe_area" and p.tag:
            msg_id, msg_en = _near_edge(ctx, p.tag, p.box_mm)
        elif p.code == "glyph_missing" and p.tag:   # name the item as the producer knows it
            name_id, name_en = item_name(p.tag)
            msg_id, msg_en = f"{name_id}: {p.message_id}", f"{name_en}: {p.message_en}"
        else:
            msg_id, msg_en = _with_fix(p.code, p.message_id, "id"), _with_fix(p.code, p.message_en, "en")
        ctx.add(rule_id, msg_id, msg_en, region=region, tag=p.tag or None, severity=severity, box_mm=p.box_mm)


def _cut_off(ctx: Ctx, tag: str, box) -> tuple[str, str]:
    """What to fix and where, for a mandatory item whose text does not fit (part of it is cut)."""
    name_id, name_en = item_name(tag)
    where_id, where_en = where_on_label(box, ctx.label.width_mm, ctx.label.height_mm)
    return (f"{name_id} terpotong {where_id}: tidak semua tulisannya muat. Perbesar label atau pilih "
            "stiker yang lebih besar, atau persingkat tulisannya di data produk.",
            f"{name_en} is cut off {where_en}: not all of its text fits. Use a larger label or sticker, "
            "or shorten the text in the product data.")


def _near_edge(ctx: Ctx, tag: str, box) -> tuple[str, str]:
    name_id, name_en = item_name(tag)
    where_id, where_en = where_on_label(box, ctx.label.width_mm, ctx.label.height_mm)
    margin = ctx.layout.safe_margin_mm
    return (f"{name_id} keluar dari garis aman {where_id} ({margin:g} mm dari tepi); bisa terpotong. Geser ke "
            "dalam garis aman.", f"{name_en} lies outside the safe line {where_en} ({margin:g} mm from the "
            "edge); it may be cut off. Move it inside the safe line.")


_FIXES = {
    "outside_safe_area": ("Geser ke dalam garis aman.", "Move it inside the safe line."),
    "image_low_ppi": ("Pakai foto beresolusi lebih tinggi atau perkecil gambarnya.",
                      "Use a higher-resolution photo or make the picture smaller."),
}


def _with_fix(code: str, text: str, lang: str) -> str:
    fix = _FIXES.get(code)
    if not fix:
        return text
    return f"{text} {fix[0] if lang == 'id' else fix[1]}"


def data_rule_findings(ctx: Ctx) -> None:
    """The product-data rules (studio.rules.data_findings), placed where the field is printed.

    A data finding is dropped when a label check already reported the same rule at the same place.
    """
    if not ctx.settings.check_data or not ctx.clean:
        return
    seen = {(f.rule_id, f.tag) for f in ctx.out}
    for f in data_findings(ctx.clean, today=ctx.today, settings=ctx.settings.rules,
                           regency_code=ctx.regency_code, errors=ctx.data_errors):
        field = (f.field or "").split(".", 1)[0]
        tag = "nutrition" if field == "nutrition" else FIELD_TAGS.get(field)
        if (f.rule_id, tag) in seen:
            continue
        ctx.add(f.rule_id if f.rule_id in RULES else "DOC-01", f.msg.id, f.msg.en,
                region=ctx.region(tag) if tag else None, tag=tag, severity=f.severity, field=f.field)

