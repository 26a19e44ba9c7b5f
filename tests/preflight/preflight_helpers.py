"""Pure preflight test helpers: labels composed with the engine directly (no app, no database)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from PIL import Image

from studio.labels import (Box, EANItem, FontRegistry, ImageItem, LabelDocument, QRItem, RectItem,
                           TextItem, compose, load_layouts)
from studio.preflight import PreflightSettings, run_preflight
from studio.rules import label_texts, normalise

ROOT = Path(__file__).resolve().parents[2]
FONTS = FontRegistry(ROOT / "fonts")
LAYOUTS = load_layouts(ROOT / "label_layouts")
LAYOUT = LAYOUTS["avery-l7165"]          # 99.1 × 67.7 mm, safe margin 2 mm
TODAY = date(2026, 11, 27)
URL = "http://127.0.0.1:5000/p/KOPI23"
GOOD_RAW = {
    "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta", "brand": "Mbok Sri", "category": "kopi",
    "net_quantity": "100 g", "ingredients": "kopi robusta (80%), susu bubuk (20%)",
    "allergens_confirmed": "susu", "shelf_life_days": "180", "pirt_number": "2103517010012-29",
    "pirt_food_code": "10", "packaging_material": "plastik", "halal_status": "certified",
    "halal_cert_number": "ID35110000123450824", "storage_instructions": "Simpan di tempat kering dan sejuk",
    "gtin": "8991234567891",
}
PRODUCER = {"legal_name": "UD Mbok Sri", "address_line": "Dusun Krajan, Desa Pelabuhan", "regency": "3517",
            "postal_code": "61456"}
HALAL_LOGO = Image.new("RGB", (300, 300), "#670075")


def clean_record(**changes) -> dict:
    """The good product record with ``changes`` applied (None removes a field)."""
    raw = {**GOOD_RAW, **changes}
    raw = {k: v for k, v in raw.items() if v is not None}
    clean, errors, _ = normalise(raw, today=TODAY)
    return clean


def good_items() -> dict[str, object]:
    """Every mandatory item of a 99 × 68 mm front label, by tag (dict order = paint order)."""
    return {
        "pdp.name": TextItem(Box(3, 3, 66, 9), "${name}", font="sans-bold", size_pt=16, tag="pdp.name"),
        "pdp.net_qty": TextItem(Box(3, 12.5, 50, 6), "${net_qty}", size_pt=13, min_size_pt=13, bold=True,
                                tag="pdp.net_qty"),
        "ingredients": TextItem(Box(3, 19.5, 50, 8), "${ingredients}", size_pt=7, tag="ingredients"),
        "allergen_stmt": TextItem(Box(3, 28, 50, 4), "<b>${allergen_stmt}</b>", size_pt=7, tag="allergen_stmt"),
        "storage": TextItem(Box(3, 32.5, 50, 4), "${storage}", size_pt=7, tag="storage"),
        "pdp.producer": TextItem(Box(3, 37, 50, 8), "${producer}", size_pt=7, tag="pdp.producer"),
        "pdp.permit": TextItem(Box(3, 46, 40, 4), "${permit}", size_pt=7, bold=True, tag="pdp.permit"),
        "pdp.halal": TextItem(Box(3, 50.5, 40, 4), "Halal ${halal_number}", size_pt=7, tag="pdp.halal"),
        "pdp.expiry": TextItem(Box(3, 55, 50, 4), "${expiry}", size_pt=7, tag="pdp.expiry"),
        "halal_logo": ImageItem(Box(44, 45, 9, 9), "halal_logo", required=False, tag="halal_logo"),
        "expiry_box": RectItem(Box(56, 50, 18, 8), stroke="#555555", tag="expiry_box"),
        "qr": QRItem(Box(72, 3, 22, 22)),
        "ean": EANItem(Box(54, 26, 43, 19)),
    }


def values_for(clean: dict, **changes) -> dict[str, str]:
    values = label_texts(clean, PRODUCER)
    values.update(url=URL)
    values.update(changes)
    return values


def make_label(items: dict | None = None, clean: dict | None = None, values: dict | None = None,
               layout=LAYOUT, images: dict | None = None, background: str = "#FFFFFF"):
    """Compose ``items`` (default: the good label) with the record's label texts."""
    clean = clean_record() if clean is None else clean
    items = good_items() if items is None else items
    doc = LabelDocument(layout.id, tuple(items.values()), background=background)
    imgs = {"halal_logo": HALAL_LOGO} if images is None else images
    return compose(doc, layout, values if values is not None else values_for(clean), FONTS, imgs)


def check(label=None, clean: dict | None = None, *, layout=LAYOUT, settings=None, expected_url=URL,
          today=TODAY):
    """Run the preflight on ``label`` (default: the good label) and the record."""
    clean = clean_record() if clean is None else clean
    label = make_label(clean=clean) if label is None else label
    return run_preflight(label, layout, clean, today=today, settings=settings or PreflightSettings(),
                         expected_url=expected_url)


def rules_of(findings, severity: str | None = None) -> set[str]:
    return {f.rule_id for f in findings if severity is None or f.severity == severity}


def with_item(tag: str, item=None, **changes) -> dict:
    """The good items with one replaced (``item``), changed (``changes``) or removed (neither)."""
    items = good_items()
    if item is not None:
        items[tag] = item
    elif changes:
        items[tag] = replace(items[tag], **changes)
    else:
        items.pop(tag)
    return items
