"""The texts a label prints, from the product's data revision and the producer's profile.

The rules module owns every wording (``studio.rules.label_texts``); this module only fetches the
record and the profile and adds what the studio knows: the QR URL.
"""
from __future__ import annotations

from typing import Any

from ..auth.models import ProducerProfile, User
from ..extensions import db
from ..products.models import Product, ProductRevision
from ..products.record import product_record, rule_settings
from ..rules import label_texts
from ..rules.labeltext import NUTRITION_KEYS
from ..rules.product import completeness

# Every placeholder the design styles use, so none is ever "unknown" to compose.
VALUE_KEYS = ("name", "brand", "variant", "net_qty", "units", "ingredients", "allergen_stmt", "producer",
              "permit", "halal_number", "expiry", "production", "storage", "warning", "pork_warning", "price",
              "gtin", "net_qty_cap_mm") + NUTRITION_KEYS + ("url",)


def _profile(product: Product) -> ProducerProfile | None:
    owner = db.session.get(User, product.owner_id)
    return owner.profile if owner is not None else None


def public_url(product: Product, base_url: str) -> str:
    """The short, stable catalogue address the QR code encodes: ``<base>/p/<public_code>``."""
    return f"{base_url.rstrip('/')}/p/{product.public_code}"


def label_values(product: Product, revision: ProductRevision | None, base_url: str) -> dict[str, str]:
    """Values for the ``${…}`` fields of a label: the rules' label texts (Bahasa Indonesia,
    allergens in ``<b>``, the nutrition table cells and running text), and
    ``url`` = ``base_url/p/<public_code>``.
    An empty brand falls back to the producer's business name (what a label's brand line shows)."""
    clean = product_record(revision)
    profile = _profile(product)
    producer = profile.as_label_dict() if profile else {}
    texts = label_texts(clean, producer, settings=rule_settings()) if clean else {}
    values = {k: str(texts.get(k, "") or "") for k in VALUE_KEYS}
    if not values["name"]:
        values["name"] = product.name
    if not values["brand"] and profile is not None:
        values["brand"] = profile.business_name or ""
    values["url"] = public_url(product, base_url)
    if revision is None or not revision.complete_label:
        _placeholders(values, clean)
    return values


#: What an early preview prints where a legal item is still missing (the label's own language:
#: labels are printed in Bahasa Indonesia). A label is sent for review only with complete data
#: (review.services), so a placeholder never reaches a printed label.
PLACEHOLDERS = {
    "net_qty": ("net_quantity",), "ingredients": ("ingredients",),
    "permit": ("pirt_number", "pirt_food_code", "bpom_number", "pom_tr_number"),
    "halal_number": ("halal_cert_number",), "storage": ("storage_instructions",), "nutrition": ("nutrition",),
}
PLACEHOLDER_TEXT = {
    "net_qty": "[Berat bersih belum diisi]", "ingredients": "[Komposisi belum diisi]",
    "permit": "[Nomor izin edar belum diisi]", "halal_number": "[Nomor sertifikat halal belum diisi]",
    "storage": "[Cara penyimpanan belum diisi]", "nutrition": "[Angka gizi belum diisi]",
}


def missing_for_label(clean: dict[str, Any]) -> list[str]:
    """The record keys the label still needs (empty list: complete)."""
    return list(completeness(clean, rule_settings()).label_missing) if clean else []


def _placeholders(values: dict[str, str], clean: dict[str, Any]) -> None:
    missing = set(missing_for_label(clean)) if clean else {k for keys in PLACEHOLDERS.values() for k in keys}
    if not clean.get("product_class"):
        return
    for slot, keys in PLACEHOLDERS.items():
        if not values.get(slot) and missing & set(keys):
            values[slot] = PLACEHOLDER_TEXT[slot]


# Headings the rules put in front of a value, which a style's template may print itself (in bold).
