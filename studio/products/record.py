"""The one way to read a product's data: the typed record of a revision, and the rule settings.

A revision stores the record normalised and validated when it was saved
(``products.data.check_product_data``: ``rules.to_jsonable`` of the clean values). Every reader -
the design, its preflight, review, print, publish, the CSV export and the API - reads it through
:func:`product_record`: a frozen :class:`ProductRecord` (a read-only mapping of the typed values:
``StrEnum``, ``NetQuantity``, ``Decimal``; nested dicts and lists are read-only too), decoded from
the stored JSON once per revision (``rules.from_jsonable``: decoded, not validated again) and then
kept in a small per-app cache. Engines take it as the ``clean`` mapping they read. A caller that
wants to change values asks :meth:`ProductRecord.as_dict` for a copy. The rule settings come from
:func:`rule_settings`, built once per app.
"""
from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Iterator, NoReturn

from flask import current_app

from ..rules import FIELDS, RuleSettings, from_jsonable, to_jsonable
from ..rules.messages import Msg
from ..rules.parsing import is_blank
from .models import ProductRevision

CACHE_SIZE = 256


def rule_settings() -> RuleSettings:
    """The app's rule settings (``RULES`` config), built once per app."""
    cache = current_app.extensions.setdefault("studio.products.rule_settings", {})
    if "settings" not in cache:
        cache["settings"] = RuleSettings.from_mapping(current_app.config.get("RULES") or {})
    return cache["settings"]


def _read_only(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise TypeError("a ProductRecord is read-only: ask record.as_dict() for a copy to change")


class FrozenDict(dict):
    """A dict that cannot be changed (a nested value of a :class:`ProductRecord`). Still a ``dict``
    for JSON and ``isinstance``; ``copy.deepcopy`` gives a plain, changeable dict."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only

    def __deepcopy__(self, memo: dict) -> dict:
        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self) -> tuple:
        return dict, (dict(self),)


class FrozenList(list):
    """A list that cannot be changed (a nested value of a :class:`ProductRecord`)."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = append = clear = extend = insert = pop = remove = \
        reverse = sort = _read_only

    def __deepcopy__(self, memo: dict) -> list:
        return [copy.deepcopy(v, memo) for v in self]

    def __reduce__(self) -> tuple:
        return list, (list(self),)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return FrozenDict({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return FrozenList(_freeze(v) for v in value)
    return value


class ProductRecord(Mapping):
    """The typed clean record of one revision (read-only; invalid fields are simply absent)."""

    __slots__ = ("revision_id", "_values")

    def __init__(self, revision_id: int | None, values: Mapping[str, Any]):
        object.__setattr__(self, "revision_id", revision_id)
        object.__setattr__(self, "_values", FrozenDict({k: _freeze(v) for k, v in values.items()}))

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _read_only()

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ProductRecord(revision_id={self.revision_id!r}, {dict(self._values)!r})"

    def as_dict(self) -> dict[str, Any]:
        """A deep copy the caller may change (the cached record stays as it was read)."""
        return copy.deepcopy(self._values)


EMPTY = ProductRecord(None, {})


def product_record(revision: ProductRevision | None) -> ProductRecord:
    """The typed record of ``revision`` (EMPTY without a revision), decoded once and cached."""
    if revision is None:
        return EMPTY
    data = revision.data or {}
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    key = (revision.id, hashlib.sha256(blob).hexdigest())
    cache: OrderedDict = current_app.extensions.setdefault("studio.products.records", OrderedDict())
    record = cache.get(key)
    if record is None:
        record = ProductRecord(revision.id, from_jsonable(data))
        cache[key] = record
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return record


def field_errors(stored: Any) -> dict[str, Msg]:
    """Stored normalise errors (``{"gtin": {"id": …, "en": …}}``, or that JSON as text) as messages
    worded with the field's name in front ("Nama produk: Terlalu panjang…"): they are read on the
    label page or a gate, away from the form field they were written for."""
    if isinstance(stored, str):         # a JSON column read through a subquery may come back as text
        try:
            stored = json.loads(stored)
        except ValueError:
            return {}
    out = {}
    for key, msg in stored.items() if isinstance(stored, Mapping) else ():
        if not isinstance(msg, Mapping) or not msg.get("id"):
            continue
        spec = FIELDS.get(key.split(".", 1)[0])
        text_id, text_en = str(msg["id"]), str(msg.get("en") or msg["id"])
        out[key] = Msg(f"{spec.label_id}: {text_id}", f"{spec.label_en}: {text_en}") if spec else Msg(text_id, text_en)
    return out


def unchecked_fields(data: Mapping[str, Any]) -> list[str]:
    """The record fields of ``data`` that are not in the stored form of a checked record (what
    ``products.data.check_product_data`` gives as ``.data``): typed text ("250 g", "Rp15.000",
    a synonym like "halal") instead of the clean value. Empty: ``data`` may be stored as it is."""
    return [k for k, v in data.items() if k in FIELDS and not is_blank(v) and not _stored_form(k, v)]


#: the JSON type of a field stored as it is (the other types are checked by decoding them)
_PLAIN = {"int": int, "shelf_life": int, "price": int, "weight": int, "bool": bool,
          **dict.fromkeys(("text", "longtext", "pirt", "food_code", "bpom", "pom_tr", "halal", "gtin", "sku"), str)}


def _stored_form(key: str, value: Any) -> bool:
    plain = _PLAIN.get(FIELDS[key].type)
    if plain is not None:
        return type(value) is plain
    try:
        return to_jsonable(from_jsonable({key: value})).get(key) == value
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        return False
