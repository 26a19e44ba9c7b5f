"""The texts a label prints, from the product's data revision and the producer's profile.

The rules module owns every wording (``studio.rules.label_texts``); this module only fetches the
record and the profile and adds what the studio knows: the QR URL and the nutrition lines.
"""
from __future__ import annotations

from typing import Any

from ..auth.models import ProducerProfile, User
from ..extensions import db
from ..products.models import Product, ProductRevision
from ..products.record import clean_record, rule_settings  # noqa: F401 (the one reader, re-exported)
from ..rules import label_texts, nutrition_panel

# Every placeholder the design styles use, so none is ever "unknown" to compose.
VALUE_KEYS = ("name", "brand", "variant", "net_qty", "units", "ingredients", "allergen_stmt", "producer",
              "permit", "halal_number", "expiry", "production", "storage", "warning", "price", "gtin",
              "nutrition", "url")


def _profile(product: Product) -> ProducerProfile | None:
    owner = db.session.get(User, product.owner_id)
    return owner.profile if owner is not None else None


def public_url(product: Product, base_url: str) -> str:
    """The short, stable catalogue address the QR code encodes: ``<base>/p/<public_code>``."""
    return f"{base_url.rstrip('/')}/p/{product.public_code}"


def _nutrition_text(clean: dict[str, Any]) -> str:
    facts = nutrition_panel(clean, rule_settings()) if clean.get("nutrition") else None
    if facts is None:
        return ""
    head = " · ".join(t for t in (facts.serving_text, facts.servings_text) if t)
    rows = "; ".join(f"{r.label} {r.amount}" + (f" ({r.akg})" if r.akg else "") for r in facts.rows)
    return "\n".join(t for t in (head, facts.per_text, rows) if t)


def label_values(product: Product, revision: ProductRevision | None, base_url: str) -> dict[str, str]:
    """Values for the ``${…}`` fields of a label: the rules' label texts (Bahasa Indonesia,
    allergens in ``<b>``), ``nutrition`` lines, and ``url`` = ``base_url/p/<public_code>``.
    An empty brand falls back to the producer's business name (what a label's brand line shows)."""
    clean = clean_record(product, revision)
    profile = _profile(product)
    producer = profile.as_label_dict() if profile else {}
    texts = label_texts(clean, producer, settings=rule_settings()) if clean else {}
    values = {k: str(texts.get(k, "") or "") for k in VALUE_KEYS}
    if not values["name"]:
        values["name"] = product.name
    if not values["brand"] and profile is not None:
        values["brand"] = profile.business_name or ""
    values["nutrition"] = _nutrition_text(clean)
    values["url"] = public_url(product, base_url)
    return values


# Headings the rules put in front of a value, which a style's template may print itself (in bold).
