"""Saving product data: rules-checked, stored as immutable revisions, drafts never lose input.

How a save works (``save_product_data``):

1. The input (a form, a CSV row or a JSON object; nested or flat) is turned into flat text per
   record key (:func:`flat_raw`): what the producer typed, with NUL and bidi-override characters
   removed (they are invisible and could reverse label text).
2. :func:`check_product_data` runs the pure rules (``studio.rules.product.normalise``) on the
   fields the product class uses, plus the two record extras checked here (``nib``,
   ``pirt_valid_until``), and computes completeness for the label and the listing.
3. A new :class:`ProductRevision` is written only when something changed. It stores
   ``data`` = the clean record (``rules.to_jsonable``: only valid values; what labels, listings
   and exports read), ``raw`` = the flat text as typed, and ``errors`` = the problems found.
4. When values are invalid the draft is still saved (``raw`` keeps the text, ``data`` leaves the
   value out), then :class:`ProductDataInvalid` is raised so the caller can show each message next
   to its field. An incomplete but valid draft is simply saved.
"""
from __future__ import annotations

import copy
import json
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import clock
from ..auth.models import User
from ..errors import Invalid, NotFound
from ..extensions import db
from ..identity import commit_keeping_loaded
from ..rules import FIELDS, data_findings
from ..rules import diff as rules_diff
from ..rules.dates import parse_date_id
from ..rules.errors import RuleError
from ..rules.identifiers import parse_pirt, validate_gtin, validate_nib
from ..rules.messages import Finding, Msg, Severity
from ..rules.numbers import format_date_id, format_rupiah, parse_price_idr
from ..rules.parsing import is_blank
from ..rules.product import Completeness, completeness, from_jsonable, normalise, to_jsonable
from ..rules.quantity import parse_net_quantity, quantity_input_text
from ..rules.settings import RuleSettings
from .models import Product, ProductRevision
from .record import field_errors, rule_settings
from .sections import FORM_KEYS, uses_field
from .services import add_revision, get_own_product, get_product

EXTRA_KEYS = ("nib", "pirt_valid_until")
#: Fields only the listing needs: a bad value there does not block the label.
LISTING_ONLY = frozenset({"price_idr", "stock", "min_order", "shipping_weight_g", "package_l_cm",
                          "package_w_cm", "package_h_cm", "description", "sku"})
LIST_KEYS = frozenset({"claims", "sweeteners", "allergen_exempt"})
GROUP_KEYS = frozenset({"allergens_confirmed", "may_contain"})
# Invisible characters that have no place in label text: NUL and other C0 controls (but tab and
# newline), DEL, zero-width and bidi embedding/override/isolate marks.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class ProductDataInvalid(Invalid):
    """Some values break a rule. The draft WAS saved (``revision``); ``errors`` maps each field to
    its message in the caller's language, ``messages`` to the bilingual :class:`Msg`."""

    def __init__(self, messages: Mapping[str, Msg], revision: ProductRevision | None, locale: str = "id"):
        self.messages = dict(messages)
        self.errors = {k: m.text(locale) for k, m in self.messages.items()}
        self.revision = revision
        first = next(iter(self.errors), None)
        # Msg, not gettext: services also run outside a request (CLI, imports, tests)
        super().__init__(Msg("Draf disimpan, tetapi ada isian yang perlu diperbaiki.",
                             "Draft saved, but some entries need fixing.").text(locale), field=first)


@dataclass
class DataCheck:
    """The result of checking one record (nothing is written)."""

    raw: dict[str, str]
    clean: dict[str, Any]
    errors: dict[str, Msg]
    warnings: list[Finding]
    completeness: Completeness
    data: dict[str, Any] = field(default_factory=dict)   # JSON form of ``clean`` (+ extras)

    @property
    def label_errors(self) -> list[str]:
        return [k for k in self.errors if k not in LISTING_ONLY]

    @property
    def problems(self) -> list[Finding]:
        """Findings about given values that must be fixed (BLOCKER/ERROR), e.g. an expired P-IRT."""
        return [w for w in self.warnings if w.severity in (Severity.BLOCKER, Severity.ERROR)]

    @property
    def blockers(self) -> list[Finding]:
        """Problems that keep the record from being complete for the label."""
        return [w for w in self.problems if w.field not in LISTING_ONLY]

    @property
    def complete_label(self) -> bool:
        return not self.completeness.label_missing and not self.label_errors and not self.blockers

    @property
    def complete_listing(self) -> bool:
        return (self.complete_label and not self.completeness.listing_missing and not self.errors
                and not self.problems)

    @property
    def percent(self) -> int:
        pct = self.completeness.percent
        return min(pct, 99) if (self.errors or self.problems) else pct

    @property
    def stored_raw(self) -> dict[str, str]:
        """The text kept with the revision: valid values in their standard spelling ("250 g",
        "Rp15.000"), invalid or unchecked ones exactly as typed. Re-saving an unchanged form
        therefore gives the same text, and no new revision."""
        canonical = record_text(self.data)
        return {k: (v if k in self.errors or k not in canonical else canonical[k])
                for k, v in self.raw.items()}

    def errors_json(self) -> dict[str, dict[str, str]]:
        return {k: {"id": m.id, "en": m.en} for k, m in self.errors.items()}


#: A text no database can store (a lone surrogate, e.g. from a "\\ud800" escape in JSON).
BROKEN_TEXT = Msg("Isian ini berisi huruf yang tidak sah (kode huruf yang rusak). Ketik ulang isiannya.",
                  "This entry contains an invalid character (a broken character code). Type it again.")


#: Text that is never printed on the label (catalogue only): any character is fine there.
CATALOGUE_ONLY_KEYS = frozenset({"description", "sku"})

_SCRIPT_NAMES = (  # first word of the Unicode name → (Indonesian, English) name of the writing
    (("JAVANESE",), ("aksara Jawa", "Javanese script")),
    (("ARABIC",), ("huruf Arab/Pegon", "Arabic/Pegon script")),
    (("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"),
     ("huruf Tionghoa/Jepang/Korea", "Chinese/Japanese/Korean characters")),
    (("BALINESE", "SUNDANESE", "BUGINESE", "BATAK", "REJANG", "MAKASAR"),
     ("aksara daerah", "regional script")),
)


def _writing_of(chars: str) -> tuple[str, str]:
    names: list[tuple[str, str]] = []
    for ch in chars:
        first = unicodedata.name(ch, "").split(" ")[0]
        found = next((n for firsts, n in _SCRIPT_NAMES if first in firsts), None)
        if found is None:
            found = (("emoji atau simbol", "emoji or symbols") if unicodedata.category(ch) in ("So", "Sk", "Cs")
                     else ("huruf khusus", "special characters"))
        if found not in names:
            names.append(found)
    return ", ".join(n[0] for n in names), ", ".join(n[1] for n in names)


def unprintable_text(key: str, text: str) -> Msg | None:
    """A refusal for label text that no bundled font can print (it would vanish from the PDF), naming
    the characters and their writing; None when every character prints (or the field is catalogue-only).

    Why refuse rather than print: Javanese and Arabic/Pegon need text shaping, which ReportLab does
    not do, and no shaping library (uharfbuzz) is available to the studio; Chinese and emoji need
    fonts of tens of megabytes. The producer writes the text in Latin letters instead.
    """
    if key in CATALOGUE_ONLY_KEYS or text.isascii():
        return None
    fonts = current_app.extensions.get("studio.fonts")
    if fonts is None:
        return None
    chars = fonts.undrawable_chars(text)
    if not chars:
        return None
    shown = " ".join(chars[:8]) + (" …" if len(chars) > 8 else "")
    writing_id, writing_en = _writing_of(chars)
    return Msg(f"Huruf ini tidak bisa dicetak di label: {shown} ({writing_id}). Tulis dengan huruf Latin "
               "(a–z) agar tidak hilang dari label.",
               f"These characters cannot be printed on the label: {shown} ({writing_en}). Write them in "
               "Latin letters (a–z) so they do not vanish from the label.")


def utf8_ok(text: str) -> bool:
    """Whether ``text`` can be stored (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        return rules_diff.value_text(value)
    s = _INVISIBLE.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if not s.isascii() and utf8_ok(s):   # one spelling of "é": search and duplicates agree (NFC)
        s = unicodedata.normalize("NFC", s)
    return s.strip()


def _ingredient_line(item: Any) -> str:
    if isinstance(item, Mapping):
        name, pct = _text(item.get("name", "")), item.get("pct")
        return f"{name} ({_text(pct)}%)" if pct not in (None, "") else name
    return _text(item)


def flat_raw(raw: Mapping[str, Any] | None) -> dict[str, str]:
    """Input of any shape (form, CSV row, nested JSON) as flat text per record key; blanks dropped."""
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        key = _INVISIBLE.sub("", str(key)).strip()
        if value is None or not key:
            continue
        if key == "nutrition" and isinstance(value, Mapping):
            nested = dict(value.get("per100") or {}) if isinstance(value.get("per100"), Mapping) else {}
            nested.update({k: v for k, v in value.items() if k != "per100"})
            out.update(flat_raw({f"nutrition.{k}": v for k, v in nested.items()}))
            continue
        if key == "net_quantity" and isinstance(value, Mapping):
            text = quantity_input_text(value)
        elif key == "ingredients" and isinstance(value, (list, tuple)):
            text = "\n".join(_ingredient_line(v) for v in value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            text = (", " if key in GROUP_KEYS else "\n").join(_text(v) for v in value)
        else:
            text = _text(value)
        if text.strip():
            out[key] = text.strip()
    return out


def _check_extras(raw: Mapping[str, str], today: date, errors: dict[str, Msg],
                  warnings: list[Finding], data: dict[str, Any], pirt_number: str | None) -> None:
    if raw.get("nib"):
        try:
            data["nib"] = validate_nib(raw["nib"])
        except RuleError as e:
            errors["nib"] = e.msg
    if raw.get("pirt_valid_until"):
        try:
            until = parse_date_id(raw["pirt_valid_until"], field="pirt_valid_until")
        except RuleError as e:
            errors["pirt_valid_until"] = e.msg
            return
        if until < today:
            errors["pirt_valid_until"] = Msg(
                f"SPP-IRT sudah habis pada {format_date_id(until)}. Perpanjang lewat OSS dulu, lalu "
                "tulis tanggal berlaku yang baru.",
                f"The SPP-IRT expired on {format_date_id(until)}. Renew it in OSS first, then enter "
                "the new valid-until date.")
            return
        data["pirt_valid_until"] = until.isoformat()
        if pirt_number and 2000 + int(pirt_number[-2:]) != until.year:
            warnings.append(Finding("PERMIT-02", Severity.WARNING, Msg(
                f"Dua angka terakhir nomor P-IRT ({pirt_number[-2:]}) tidak cocok dengan tahun berlaku "
                f"({until.year}). Cocokkan lagi dengan sertifikat.",
                f"The last two digits of the P-IRT number ({pirt_number[-2:]}) do not match the "
                f"valid-until year ({until.year}). Check the certificate."), "pirt_valid_until"))


def check_product_data(raw: Mapping[str, Any] | None, *, regency_code: str | None = None,
                       today: date | None = None, settings: RuleSettings | None = None) -> DataCheck:
    """Check a record without saving it: clean values, errors, warnings and completeness.

    Only the fields the product class uses are checked; the others stay in ``raw`` (so a producer
    who switches class back finds them again) but never reach the clean record.
    """
    flat = flat_raw(raw)
    broken = {k for k, v in flat.items() if not utf8_ok(k) or not utf8_ok(v)}
    flat = {k: v for k, v in flat.items() if k not in broken}   # never reaches the database
    today = today or clock.today()
    settings = settings or rule_settings()
    first, _, _ = normalise({"product_class": flat.get("product_class")}, today=today, settings=settings)
    cls = first.get("product_class")
    cls = cls.value if cls is not None else None
    # permit_type follows from the class (and MD/ML from the BPOM number): a stale typed value
    # must not survive a change of class
    used = {k: v for k, v in flat.items()
            if k not in EXTRA_KEYS and k != "permit_type" and uses_field(cls, k)}
    clean, errors, warnings = normalise(used, today=today, settings=settings, regency_code=regency_code)
    data = to_jsonable(clean)
    extras = {k: v for k, v in flat.items() if k in EXTRA_KEYS and uses_field(cls, k)}
    warnings = list(warnings)
    _check_extras(extras, today, errors, warnings, data, clean.get("pirt_number"))
    for key in broken:
        if utf8_ok(key):
            errors[key] = BROKEN_TEXT
    for key, text in flat.items():   # what would vanish from the label is refused here, named
        if key in used or key in extras:
            refusal = unprintable_text(key, text)
            if refusal is not None:
                errors[key] = refusal
                parent, _, child = key.partition(".")
                for rec in (clean, data):
                    if child and isinstance(rec.get(parent), dict):
                        rec[parent].pop(child, None)
                    rec.pop(key, None)
    return DataCheck(raw=flat, clean=clean, errors=errors, warnings=warnings,
                     completeness=completeness(clean, settings), data=data)


def _regency(owner: User | None) -> str | None:
    prof = owner.profile if owner is not None else None
    return (prof.regency_code or None) if prof else None


def check_for_product(product: Product, raw: Mapping[str, Any] | None = None,
                      today: date | None = None) -> DataCheck:
    """:func:`check_product_data` for a product's owner (``raw`` default: its current input)."""
    if raw is None:
        return _current_check(product, today)
    return check_product_data(raw, regency_code=_regency(product.owner), today=today)


_CHECKS_LOCK = threading.Lock()
CHECK_CACHE_SIZE = 128


def _current_check(product: Product, today: date | None) -> DataCheck:
    """The check of the product's current text. Pages show it on every visit (data summary and
    sections, the next open section from the photos and design steps); it is a pure function of
    the text, the owner's regency and the day (the rule settings are built once per app), so it is
    kept per app in a small LRU and every caller gets its own copy."""
    raw = product_form_values(product)
    today = today or clock.today()
    regency = _regency(product.owner)
    key = _check_key(raw, regency, today)
    cache: OrderedDict = current_app.extensions.setdefault("studio.products.checks", OrderedDict())
    with _CHECKS_LOCK:
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
    if hit is None:
        hit = check_product_data(raw, regency_code=regency, today=today)
        _remember(key, hit)
    return copy.deepcopy(hit)


def _check_key(raw: Mapping[str, Any], regency: str | None, today: date) -> tuple:
    return json.dumps(dict(raw), sort_keys=True, default=str), regency, today


def _remember(key: tuple, check: DataCheck) -> None:
    cache: OrderedDict = current_app.extensions.setdefault("studio.products.checks", OrderedDict())
    with _CHECKS_LOCK:
        cache[key] = check
        cache.move_to_end(key)
        while len(cache) > CHECK_CACHE_SIZE:
            cache.popitem(last=False)


def save_product_data(actor: User, product_id: int, raw: Mapping[str, Any], note: str = "", *,
                      today: date | None = None, locale: str = "id") -> ProductRevision:
    """Check ``raw`` with the rules and store it as the product's new current revision.

    A revision is only created when the clean record, the typed text or the problems changed;
    otherwise the current revision is returned.

    :raises NotFound: the actor may not see the product; :raises Forbidden: they may only read it.
    :raises ProductDataInvalid: some values break a rule. The draft is saved first (its ``raw``
        keeps the typed text), so nothing typed is lost; ``e.errors`` maps fields to messages.
    """
    product = get_own_product(actor, product_id)
    today = today or clock.today()
    regency = _regency(product.owner)
    check = check_product_data(raw, regency_code=regency, today=today)
    stored = check.stored_raw
    if stored == check.raw and flat_raw(stored) == stored and BROKEN_TEXT not in check.errors.values():
        # the page after a save shows the check of the stored text; when that text is exactly the
        # text just checked (the usual case: valid values typed in their standard spelling), it is
        # this very check, so the rules do not run twice (any other stored text is checked afresh)
        _remember(_check_key(stored, regency, today), copy.deepcopy(check))
    rev, _created = store_check(actor, product, check, note)
    if check.errors:
        raise ProductDataInvalid(check.errors, rev, locale)
    return rev


def store_check(actor: User, product: Product, check: DataCheck, note: str = "", *,
                commit: bool = True) -> tuple[ProductRevision, bool]:
    """Write ``check`` as a new revision of ``product`` unless nothing changed (the caller has
    checked permissions). Returns the current revision and whether it is new."""
    current = product.current_revision
    if (current is not None and current.data == check.data and (current.raw or {}) == check.stored_raw
            and (current.errors or {}) == check.errors_json()):
        return current, False
    rev = add_revision(actor, product, check.data, complete_label=check.complete_label,
                       complete_listing=check.complete_listing, percent=check.percent,
                       note=note, commit=False, raw=check.stored_raw, errors=check.errors_json())
    if commit:
        commit_keeping_loaded()     # the data page shows the check of what it just saved
    return rev, True


_SUGGESTERS = {"net_quantity": parse_net_quantity, "gtin": validate_gtin, "price_idr": parse_price_idr,
               # "2063517010012-029" → "2063517010012-29" (the year is what the suggestion fixes)
               "pirt_number": lambda v: parse_pirt(v, clock.today(), check_expiry=False)}


def suggestions(check: DataCheck) -> dict[str, str]:
    """Corrected values the rules can offer for invalid fields ("250 gr" → "250 g")."""
    out = {}
    for key in check.errors:
        if key in _SUGGESTERS and key in check.raw:
            try:
                _SUGGESTERS[key](check.raw[key])
            except RuleError as e:
                if e.suggestion:
                    out[key] = str(e.suggestion)
    return out


# -- showing stored records ------------------------------------------------------------------


def record_text(data: Mapping[str, Any] | None) -> dict[str, str]:
    """A stored clean record (``rev.data``) as input text per form key: "250 g", "Rp15.000",
    ingredients one per line, nutrition as "nutrition.fat" keys, the valid-until date dd-mm-yyyy."""
    data = dict(data or {})
    out = flat_raw({k: v for k, v in data.items() if k not in ("price_idr", "pirt_valid_until")})
    if data.get("price_idr") not in (None, ""):
        try:
            out["price_idr"] = format_rupiah(int(data["price_idr"]))
        except (TypeError, ValueError):
            out["price_idr"] = _text(data["price_idr"])
    if data.get("pirt_valid_until"):
        try:
            out["pirt_valid_until"] = format_date_id(date.fromisoformat(str(data["pirt_valid_until"])))
        except ValueError:
            out["pirt_valid_until"] = _text(data["pirt_valid_until"])
    return out


def revision_values(rev: ProductRevision | None) -> dict[str, str]:
    """Input text of a revision (its stored text; for revisions made without it, the clean
    record as text)."""
    if rev is None:
        return {}
    if rev.raw:
        return dict(rev.raw)
    return {k: v for k, v in record_text(rev.data).items() if k in FORM_KEYS or k in EXTRA_KEYS}


def product_form_values(product: Product) -> dict[str, str]:
    """What the form shows for ``product``: its current revision as text; name and class from the
    product itself when no data was saved yet."""
    values = revision_values(product.current_revision)
    if product.current_revision is None:   # a saved record without a name shows an empty name field
        values.setdefault("name", product.name)
    values.setdefault("product_class", product.product_class)
    return values


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two revisions (texts as a producer would type them)."""

    field: str
    old_text: str
    new_text: str
    old_invalid: bool = False
    new_invalid: bool = False


def get_revision_by_number(actor: User, product_id: int, number: int) -> ProductRevision:
    """:raises NotFound: when the product is not visible or has no such revision."""
    product = get_product(actor, product_id)
    rev = db.session.scalar(db.select(ProductRevision).where(ProductRevision.product_id == product.id,
                                                             ProductRevision.number == number))
    if rev is None:
        raise NotFound(str(_l("Versi data tidak ditemukan.")))
    return rev


def revision_diff(actor: User, product_id: int, rev_a: int, rev_b: int) -> list[FieldChange]:
    """What changed from revision number ``rev_a`` to ``rev_b`` (form order).

    :raises NotFound: when the product is not visible to ``actor`` or a revision does not exist.
    """
    a = get_revision_by_number(actor, product_id, rev_a)
    b = get_revision_by_number(actor, product_id, rev_b)
    old, new = revision_values(a), revision_values(b)
    order = {k: i for i, k in enumerate(FORM_KEYS)}
    changes = rules_diff.diff_records(old, new)
    changes.sort(key=lambda c: order.get(c.field, len(order)))
    return [FieldChange(c.field, c.old_text, c.new_text, c.field in (a.errors or {}),
                        c.field in (b.errors or {})) for c in changes]


# ------------------------------------------------------------------------------ stored errors
def record_errors(revision: ProductRevision | None) -> dict[str, Msg]:
    """The fields of ``revision`` that were given but invalid when it was saved (e.g. a 61-letter
    name from a CSV import): absent from ``products.record.product_record``, their message by field
    name ("Nama produk: Terlalu panjang…"). A revision saved before errors were stored has them
    worked out again from its typed text."""
    if revision is None:
        return {}
    return revision_errors(revision.errors, revision.raw, revision.data)


def _loaded(value: Any) -> Any:
    """A JSON column's value (read through a subquery it may come back as text)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def revision_errors(errors: Any, raw: Any, data: Any) -> dict[str, Msg]:
    """:func:`record_errors` from a revision's stored ``errors``, ``raw`` (typed text) and ``data``
    (the clean record) columns. No errors stored while a typed value is missing from the record
    (a revision saved before errors were stored, e.g. an early CSV import): the typed text is
    checked again, so the field is named with what is wrong instead of being asked for."""
    errors, raw, data = _loaded(errors), _loaded(raw), _loaded(data)
    if not errors and isinstance(raw, Mapping) and raw:
        data = data if isinstance(data, Mapping) else {}
        cls = raw.get("product_class") or data.get("product_class")
        dropped = [k for k, v in raw.items()
                   if k.split(".", 1)[0] in FIELDS and k.split(".", 1)[0] not in data and not is_blank(v)
                   and uses_field(cls, k)]
        if dropped:
            errors = _rechecked_errors(raw, dropped)
    return field_errors(errors)


def _rechecked_errors(raw: Mapping[str, Any], dropped: list[str]) -> dict:
    """The check's errors of the ``dropped`` fields of the typed text ``raw``, checked today (kept
    per app: pages and gates ask often). Only those fields: the others are in the record."""
    key = (json.dumps(raw, sort_keys=True, default=str), clock.today())
    cache: OrderedDict = current_app.extensions.setdefault("studio.products.rechecked_errors", OrderedDict())
    with _CHECKS_LOCK:
        hit = cache.get(key)
    if hit is None:
        hit = check_product_data(raw, today=key[1]).errors_json()
        with _CHECKS_LOCK:
            cache[key] = hit
            while len(cache) > CHECK_CACHE_SIZE:
                cache.popitem(last=False)
    wanted = set(dropped)
    return {k: dict(v) for k, v in hit.items() if k in wanted or k.split(".", 1)[0] in wanted}


def label_data_problems(errors: Any, raw: Any, data: Any) -> tuple[list[Msg], list[Msg]]:
    """What keeps a revision from being complete for the label, all of it at once: the label fields
    given but invalid ("Nama produk: Terlalu panjang …"), the rule findings about given values that
    block it (:attr:`DataCheck.blockers`, e.g. "Nomor P-IRT: SPP-IRT ini sudah habis …", checked
    today) and the names of the empty ones the label needs (a listing-only field does not hold the
    label back)."""
    wrong = {k: m for k, m in revision_errors(errors, raw, data).items()
             if k.split(".", 1)[0] not in LISTING_ONLY}
    data = _loaded(data)
    clean = from_jsonable(data) if isinstance(data, Mapping) else {}
    named = list(wrong.values())
    for f in _blocking_findings(clean):
        if f.field in wrong:
            continue
        spec = FIELDS.get((f.field or "").split(".", 1)[0])
        msg = Msg(f"{spec.label_id}: {f.msg.id}", f"{spec.label_en}: {f.msg.en}") if spec else f.msg
        if msg not in named:
            named.append(msg)
    missing = []
    for key in completeness(clean, rule_settings()).label_missing:
        spec = FIELDS.get(key.split(".", 1)[0])
        if key in wrong or key.split(".", 1)[0] in wrong or spec is None:
            continue
        label = Msg(spec.label_id, spec.label_en)
        if label not in missing:
            missing.append(label)
    return named, missing


def _blocking_findings(clean: Mapping[str, Any]) -> list[Finding]:
    """The rule findings about the given values of a stored record that keep it from the label
    today (what :attr:`DataCheck.blockers` held when it was saved: an expired SPP-IRT, a claim on a
    P-IRT product…). The producer's regency only adds warnings, so it is not needed here."""
    if not clean:
        return []
    return [f for f in data_findings(dict(clean), today=clock.today(), settings=rule_settings(), include_missing=False)
            if f.severity in (Severity.BLOCKER, Severity.ERROR) and f.field not in LISTING_ONLY]


def incomplete_words(wrong: list[Msg], missing: list[Msg], *, lead: bool = True) -> Msg | None:
    """The refusal naming every problem of the product data at once, or None when there is none:
    "Perbaiki data produk dulu. Nama produk: Terlalu panjang … Masih kosong: Komposisi, Berat bersih."
    (``lead`` False: without the first sentence, for a caller that says it its own way)."""
    if not wrong and not missing:
        return None
    parts_id = ["Perbaiki data produk dulu." if wrong else "Lengkapi data produk dulu."] if lead else []
    parts_en = ["Fix the product data first." if wrong else "Complete the product data first."] if lead else []
    for m in wrong:
        parts_id.append(_sentence(m.id))
        parts_en.append(_sentence(m.en))
    if missing:
        parts_id.append("Masih kosong: " + ", ".join(m.id for m in missing) + ".")
        parts_en.append("Still empty: " + ", ".join(m.en for m in missing) + ".")
    return Msg(" ".join(parts_id), " ".join(parts_en))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
