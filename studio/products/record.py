"""The one way to read a product's data: the clean record of a revision, and the rule settings.

A revision stores the record already normalised and validated when it was saved
(``products.data.check_product_data``: ``rules.to_jsonable`` of the clean values). Every reader -
the design, its preflight, review, print, publish, the CSV export and the API - reads it through
:func:`product_record` (a frozen :class:`ProductRecord`) or :func:`clean_record` (a plain dict copy
of the same), with the same settings (:func:`rule_settings`, built once per app), the same day
(``studio.clock.today``) and the producer's regency. The typed values come back from the stored
JSON through ``rules.normalise`` once per revision and day, then from a small per-app cache.
"""
from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from flask import current_app

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..rules import RuleSettings, normalise
from .models import Product, ProductRevision

CACHE_SIZE = 256


def rule_settings() -> RuleSettings:
    """The app's rule settings (``RULES`` config), built once per app."""
    cache = current_app.extensions.setdefault("studio.products.rule_settings", {})
    if "settings" not in cache:
        cache["settings"] = RuleSettings.from_mapping(current_app.config.get("RULES") or {})
    return cache["settings"]


@dataclass(frozen=True)
class ProductRecord:
    """The clean record of one revision (read-only). Invalid fields are simply absent."""

    revision_id: int | None
    values: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def as_dict(self) -> dict[str, Any]:
        """A deep copy the caller may change (the cached record stays as it was read)."""
        return copy.deepcopy(dict(self.values))

    def __bool__(self) -> bool:
        return bool(self.values)


EMPTY = ProductRecord(None, MappingProxyType({}))


def _regency(product: Product) -> str | None:
    owner = db.session.get(User, product.owner_id)
    profile = owner.profile if owner is not None else None
    return profile.regency_code if profile else None


def product_record(product: Product, revision: ProductRevision | None) -> ProductRecord:
    """The clean record of ``revision`` of ``product`` (EMPTY without a revision)."""
    if revision is None:
        return EMPTY
    data = revision.data or {}
    today, regency = clock.today(), _regency(product)
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    key = (revision.id, today, regency, hashlib.sha256(blob).hexdigest())
    cache: OrderedDict = current_app.extensions.setdefault("studio.products.records", OrderedDict())
    record = cache.get(key)
    if record is None:
        clean, _errors, _warnings = normalise(data, today=today, settings=rule_settings(), regency_code=regency)
        record = ProductRecord(revision.id, MappingProxyType(clean))
        cache[key] = record
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return record


def clean_record(product: Product, revision: ProductRevision | None) -> dict[str, Any]:
    """:func:`product_record` as a plain dict (a copy)."""
    return product_record(product, revision).as_dict()
