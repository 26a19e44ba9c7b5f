"""Saving product data: every save is a new immutable revision (first version; the rules module
takes over validation and completeness)."""
from __future__ import annotations

from ..auth.models import User
from .models import ProductRevision
from .services import add_revision, get_own_product

LABEL_REQUIRED = ("name", "net_quantity", "ingredients", "shelf_life_days")


def save_product_data(actor: User, product_id: int, raw: dict, note: str = "") -> ProductRevision:
    """Store ``raw`` as the product's new current revision."""
    product = get_own_product(actor, product_id)
    missing = [f for f in LABEL_REQUIRED if not str(raw.get(f) or "").strip()]
    percent = int(100 * (len(LABEL_REQUIRED) - len(missing)) / len(LABEL_REQUIRED))
    return add_revision(actor, product, dict(raw), complete_label=not missing, percent=percent, note=note)
