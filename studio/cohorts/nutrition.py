"""Nutrition tables a trainer prepares for a cohort, per kind of product (category).

A producer of that cohort then finds the table already in the nutrition section of her product
("Tabel gizi dari pendamping"): she checks it and saves, instead of typing eight numbers. The
tables are kept as hub settings (key ``gizi:<cohort id>:<category>``, JSON of the form's record
keys), so no table of their own is needed.
"""
from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Role, User
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..hubsetup.models import HubSetting
from ..rules.kinds import Category
from ..rules.product import read_nutrition
from .models import cohort_producers

#: the record keys a template fills (the producer's nutrition section)
TEMPLATE_KEYS = ("nutrition.serving_size_g", "nutrition.urt", "nutrition.fat", "nutrition.sat_fat",
                 "nutrition.protein", "nutrition.carb", "nutrition.sugar", "nutrition.sodium_mg")
SOURCE = "umk_default_table"


def _key(cohort_id: int, category: str) -> str:
    return f"gizi:{cohort_id}:{category}"


def save_nutrition_template(actor: User, cohort, category: str, values: dict[str, str]) -> dict[str, str]:
    """Store the cohort's nutrition table for ``category`` (texts as typed, Indonesian numbers).

    :raises Forbidden: not a trainer of the cohort (or an admin).
    :raises Invalid: unknown category (field ``category``) or a value the rules refuse (its field).
    """
    if actor.role not in (Role.TRAINER, Role.ADMIN) or (
            actor.role == Role.TRAINER and actor not in cohort.trainers):
        raise Forbidden(str(_l("Hanya pendamping pelatihan ini yang menyiapkan tabel gizinya.")))
    if category not in {c.value for c in Category}:
        raise Invalid(str(_l("Pilih kategori produk.")), field="category")
    typed = {k: str(values.get(k) or "").strip() for k in TEMPLATE_KEYS}
    _clean, errors = read_nutrition({k.split(".", 1)[1]: v for k, v in typed.items() if v})
    for key in TEMPLATE_KEYS:
        if key in errors:
            raise Invalid(errors[key].text("id"), field=key)
    if "nutrition" in errors or not all(typed.values()):
        raise Invalid(str(_l("Isi semua angka tabel gizi.")), field="nutrition.fat")
    row = db.session.get(HubSetting, _key(cohort.id, category)) or HubSetting(key=_key(cohort.id, category))
    row.value = json.dumps({**typed, "nutrition.source": SOURCE}, ensure_ascii=False)
    row.updated_by_id = actor.id
    db.session.add(row)
    db.session.commit()
    return typed


def cohort_templates(cohort) -> dict[str, dict[str, str]]:
    """The cohort's tables by category."""
    prefix = f"gizi:{cohort.id}:"
    rows = db.session.scalars(select(HubSetting).where(HubSetting.key.startswith(prefix)))
    return {r.key[len(prefix):]: json.loads(r.value or "{}") for r in rows}


def nutrition_template_for(producer: User, category: str) -> dict[str, str]:
    """The table a trainer of one of ``producer``'s cohorts prepared for ``category`` ({} if none)."""
    if not category:
        return {}
    cohort_ids = db.session.scalars(select(cohort_producers.c.cohort_id)
                                    .where(cohort_producers.c.user_id == producer.id)).all()
    for cohort_id in sorted(cohort_ids):
        row = db.session.get(HubSetting, _key(cohort_id, category))
        if row is not None and row.value:
            return json.loads(row.value)
    return {}
