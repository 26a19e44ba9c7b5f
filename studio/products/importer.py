"""Import a cohort's products from CSV or JSON, and export them as CSV.

All or nothing: every row is checked first with the same rules as the form. When any row is
refused (an invalid value, an unknown owner, no name…) nothing at all is imported and the report
says why for each row; fix the file and import it again. A row for a product the owner already
has (same name) adds a new revision to it, or leaves it alone when nothing changed. Incomplete
rows are fine: they become drafts, and the report says how complete each one is.

CSV: UTF-8 (a BOM is fine), separator "," or ";" (Indonesian Excel saves ";"), one header row of
record keys (see :func:`csv_template`); rows whose first cell starts with "#" are notes and are
skipped. JSON: a list of objects with the same keys (nested ``nutrition``/``net_quantity`` too),
or ``{"products": [...]}``.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import clock
from ..auth.models import Role, User
from ..cohorts.models import Cohort
from ..cohorts.services import can_see_owner
from ..errors import Forbidden
from ..extensions import db
from ..rules.csvsafe import DANGEROUS_FIRST, safe_row
from .data import EXTRA_KEYS, check_product_data, revision_values, store_check, utf8_ok
from .models import Product
from .sections import CHOICES, FORM_KEYS, field_label, uses_field
from .services import unique_code

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
OWNER = "owner"
#: Columns the export adds for people; an import ignores them.
EXPORT_ONLY = ("public_code", "revision", "percent_complete", "complete_label", "complete_listing")
TEMPLATE_COLUMNS = (OWNER,) + FORM_KEYS
KNOWN = set(TEMPLATE_COLUMNS) | set(EXTRA_KEYS) | {"permit_type", "pack_size_g", "nutrition.pack_size_g"}


@dataclass
class RowReport:
    """One row: ``status`` is checked (passed, not saved) / new / updated / unchanged / refused."""

    line: int
    owner: str
    name: str
    status: str = "refused"
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    percent: int = 0
    product_id: int | None = None


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False

    @property
    def refused(self) -> list[RowReport]:
        return [r for r in self.rows if r.status == "refused"]

    @property
    def accepted(self) -> list[RowReport]:
        return [r for r in self.rows if r.status != "refused"]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.refused and bool(self.rows)


def _column(name: str) -> str:
    key = str(name or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "_")
    return "nutrition." + key[4:] if key.startswith("nut_") else key


def _cell(value: Any) -> Any:
    """Undo the export's formula guard ("'=..." → "=...") and trim text cells."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:2] and value[1:].startswith(DANGEROUS_FIRST):
            value = value[1:]
    return value


def read_rows(data: bytes, filename: str) -> tuple[list[tuple[int, dict[str, Any]]], list[str], list[str]]:
    """Rows of a CSV or JSON file as ``(line, record)``, plus file errors and ignored columns."""
    if len(data) > MAX_BYTES:
        return [], [str(_l("Berkas terlalu besar: paling besar 2 MB."))], []
    is_json = filename.lower().endswith(".json") or data.lstrip()[:1] in (b"[", b"{")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [str(_l("Berkas bukan teks UTF-8. Di Excel pilih Simpan sebagai \"CSV UTF-8\"."))], []
    text = text.replace("\x00", "")
    if is_json:
        return _json_rows(text)
    return _csv_rows(text)


#: How deep a product file may nest: list > product > nutrition/net_quantity > per100 > value.
MAX_JSON_DEPTH = 6


def _json_problem(doc: Any) -> str | None:
    """Too deep, or a text the database cannot store (a lone surrogate such as ``"\\ud800"``, which
    JSON allows but UTF-8 does not): the whole file is refused before any row is read. Iterative, so
    a hostile file cannot exhaust the stack here either."""
    stack: list[tuple[Any, int, int]] = [(doc, 1, 0)]
    while stack:
        value, depth, row = stack.pop()
        if isinstance(value, (list, dict)):
            if depth > MAX_JSON_DEPTH:
                return str(_l("Susunan JSON terlalu dalam (lebih dari %(n)s tingkat). Tulis setiap produk "
                              "sebagai satu objek dengan nilai teks atau angka.", n=MAX_JSON_DEPTH))
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for i, (k, v) in enumerate(items, 1):
                here = i if depth == 1 and isinstance(value, list) else row
                if isinstance(k, str) and not utf8_ok(k):
                    return _bad_text_message(here)
                stack.append((v, depth + 1, here))
        elif isinstance(value, str) and not utf8_ok(value):
            return _bad_text_message(row)
    return None


def _bad_text_message(row: int) -> str:
    if row:
        return str(_l("Produk ke-%(n)s berisi huruf yang tidak sah (kode huruf yang rusak). "
                      "Ketik ulang teks itu lalu impor lagi.", n=row))
    return str(_l("Berkas berisi huruf yang tidak sah (kode huruf yang rusak). Ketik ulang teks itu lalu "
                  "impor lagi."))


def _json_rows(text: str):
    try:
        doc = json.loads(text)
    except RecursionError:
        return [], [str(_l("Susunan JSON terlalu dalam (lebih dari %(n)s tingkat). Tulis setiap produk "
                           "sebagai satu objek dengan nilai teks atau angka.", n=MAX_JSON_DEPTH))], []
    except ValueError as e:
        return [], [str(_l("JSON tidak bisa dibaca (baris %(n)s).", n=getattr(e, "lineno", "?")))], []
    problem = _json_problem(doc)
    if problem:
        return [], [problem], []
    items = doc.get("products") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], [str(_l("JSON harus berisi daftar produk: [{\"name\": ...}, ...]."))], []
    ignored: set[str] = set()
    rows = []
    for n, item in enumerate(items, 1):
        rec = {}
        for k, v in item.items():
            key = _column(k)
            if key in KNOWN or key in ("nutrition", "owner"):
                rec[key] = _cell(v)
            elif key not in EXPORT_ONLY:
                ignored.add(str(k))
        rows.append((n, rec))
    return rows, _too_many(rows), sorted(ignored)


def _csv_rows(text: str):
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [str(_l("Berkas kosong."))], []
    except csv.Error:
        return [], [str(_l("Berkas CSV tidak bisa dibaca."))], []
    columns = [_column(h) for h in header]
    if "name" not in columns:
        return [], [str(_l("Baris pertama harus judul kolom dari templat (paling sedikit kolom name)."))], []
    ignored = sorted({h.strip() for h, c in zip(header, columns)
                      if c and c not in KNOWN and c not in EXPORT_ONLY and h.strip()})
    rows = []
    try:
        # row numbers as a spreadsheet shows them: the header is row 1, a cell with line
        # breaks does not add rows
        for line, cells in enumerate(reader, 2):
            if not any(c.strip() for c in cells) or cells[0].strip().startswith("#"):
                continue
            rec = {c: _cell(v) for c, v in zip(columns, cells) if c in KNOWN}
            rows.append((line, rec))
    except csv.Error as e:
        return [], [str(_l("Berkas CSV rusak di baris %(n)s.", n=reader.line_num)) + f" ({e})"], []
    return rows, _too_many(rows), ignored


def _too_many(rows) -> list[str]:
    if len(rows) > MAX_ROWS:
        return [str(_l("Terlalu banyak baris: paling banyak %(n)s produk sekali impor.", n=MAX_ROWS))]
    return []


def _find_owner(actor: User, username: str, cohort: Cohort | None) -> tuple[User | None, str | None]:
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or user.role != Role.PRODUCER:
        return None, str(_l("Produsen \"%(u)s\" tidak ada.", u=username))
    if cohort is not None and user not in cohort.producers:
        return None, str(_l("Produsen \"%(u)s\" bukan peserta pelatihan ini.", u=username))
    if not can_see_owner(actor, user.id):
        return None, str(_l("Anda tidak mendampingi produsen \"%(u)s\".", u=username))
    return user, None


def import_products(actor: User, data: bytes, filename: str, *, cohort: Cohort | None = None,
                    owner: User | None = None, dry_run: bool = False, locale: str = "id",
                    today: date | None = None) -> ImportReport:
    """Check every row, then import all of them in one transaction, or none.

    :param owner: every row belongs to this producer (else each row's ``owner`` column, a username).
    :raises Forbidden: when the actor is not a trainer or admin.
    """
    if actor.role not in (Role.TRAINER, Role.ADMIN):
        raise Forbidden(str(_l("Hanya pendamping atau admin yang boleh mengimpor.")))
    report = ImportReport(dry_run=dry_run)
    rows, report.file_errors, report.ignored_columns = read_rows(data, filename)
    if report.file_errors:
        return report
    if not rows:
        report.file_errors.append(str(_l("Tidak ada baris produk di berkas.")))
        return report
    today = today or clock.today()
    seen: set[tuple[int, str]] = set()
    plans = []
    for line, rec in rows:
        username = str(rec.pop(OWNER, "") or "").strip()
        row = RowReport(line=line, owner=username or (owner.username if owner else ""),
                        name=str(rec.get("name") or "").strip()[:120])
        report.rows.append(row)
        who = owner
        if owner is not None and username and username.lower() != owner.username.lower():
            row.reasons.append(str(_l("Kolom owner (%(u)s) bukan produsen yang dipilih.", u=username)))
        elif who is None:
            if not username:
                row.reasons.append(str(_l("Kolom owner kosong: tulis nama pengguna produsen.")))
            else:
                who, why = _find_owner(actor, username, cohort)
                if why:
                    row.reasons.append(why)
        elif cohort is not None and who not in cohort.producers:
            row.reasons.append(str(_l("Produsen \"%(u)s\" bukan peserta pelatihan ini.", u=who.username)))
        for key in _shape_errors(rec):
            row.reasons.append(f"{field_label(key, locale)}: " + str(_l(
                "harus teks atau angka, bukan daftar atau objek JSON.")))
            rec.pop(key)
        regency = who.profile.regency_code if who is not None and who.profile else None
        check = check_product_data(rec, regency_code=regency, today=today)
        for key, msg in check.errors.items():
            row.reasons.append(f"{field_label(key, locale)}: {msg.text(locale)}")
        for f in check.warnings:
            row.warnings.append(f"{field_label(f.field, locale) if f.field else f.rule_id}: {f.msg.text(locale)}")
        row.warnings += _unused(rec, check, locale)
        row.warnings += _missing(check, locale)
        name = check.clean.get("name")
        if not name and "name" not in check.errors:
            row.reasons.append(str(_l("Nama produk wajib diisi.")))
        if check.clean.get("product_class") is None and "product_class" not in check.errors:
            row.reasons.append(str(_l("Jenis produk wajib diisi (pangan_pirt, pangan_bpom, obat_tradisional, "
                                      "kerajinan, lainnya).")))
        if who is not None and name:
            key = (who.id, name.lower())
            if key in seen:
                row.reasons.append(str(_l("Produk ini sudah ada di baris sebelumnya.")))
            seen.add(key)
        row.percent = check.percent
        row.status = "refused" if row.reasons else "checked"
        if not row.reasons:
            plans.append((row, who, check))
    if report.refused or dry_run:
        return report
    try:
        for row, who, check in plans:
            row.status, row.product_id = _apply(actor, who, check)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.imported = True
    return report


#: Keys whose JSON value may be a list or an object (the documented nested shapes).
_STRUCTURED = {"nutrition": dict, "net_quantity": dict, "ingredients": list, "allergens_confirmed": list,
               "may_contain": list}


def _shape_errors(rec: dict[str, Any]) -> list[str]:
    """Keys holding a list or object where a text or number belongs (``[12500]`` as a price, an
    object as a name): refused, never flattened into a value nobody typed."""
    out = []
    for key, value in rec.items():
        if isinstance(value, (list, dict)) and not isinstance(value, _STRUCTURED.get(key, ())):
            out.append(key)
        elif isinstance(value, list) and any(isinstance(v, (list, dict)) and not (key == "ingredients"
                                             and isinstance(v, dict)) for v in value):
            out.append(key)
    return out


def _missing(check, locale: str) -> list[str]:
    """Fields the label or the listing needs that the row leaves empty (missing, ``null``, blank):
    the row still becomes a draft, but the report says so, field by field."""
    label = [k for k in check.completeness.label_missing if k not in check.errors and k != "name"]
    listing = [k for k in check.completeness.listing_missing
               if k not in check.errors and k not in label and k != "name"]
    out = []
    for key in label:
        out.append(f"{field_label(key, locale)}: " + str(_l(
            "belum diisi. Produk masuk sebagai draf dan belum bisa dicetak.")))
    for key in listing:
        out.append(f"{field_label(key, locale)}: " + str(_l(
            "belum diisi. Produk masuk sebagai draf dan belum bisa diterbitkan di katalog.")))
    return out


def _unused(rec: dict[str, Any], check, locale: str) -> list[str]:
    """Filled columns the product's class does not use: said in the row report, never dropped
    silently (the text stays in the draft, so switching the class back finds it again)."""
    cls = check.clean.get("product_class")
    if cls is None:
        return []
    kind = dict(CHOICES["product_class"]).get(str(cls), str(cls))
    out = []
    for key, value in rec.items():
        if str(value or "").strip() and not uses_field(str(cls), key):
            if key in ("pirt_number", "pirt_valid_until", "pirt_food_code"):
                out.append(f"{field_label(key, locale)}: " + str(_l(
                    "tidak dipakai. P-IRT hanya untuk makanan/minuman rumahan; jenis produk ini %(kind)s. "
                    "Ubah jenis produk jika memang pangan P-IRT.", kind=kind)))
            else:
                out.append(f"{field_label(key, locale)}: " + str(_l(
                    "tidak dipakai untuk jenis produk %(kind)s, jadi tidak dicetak di label.", kind=kind)))
    return out


def _apply(actor: User, owner: User, check) -> tuple[str, int]:
    name = check.clean["name"]
    product = db.session.scalar(select(Product).where(
        Product.owner_id == owner.id, Product.archived.is_(False), func.lower(Product.name) == name.lower()))
    status = "updated"
    if product is None:
        product = Product(owner_id=owner.id, name=name, product_class=str(check.clean["product_class"]),
                          public_code=unique_code())
        db.session.add(product)
        db.session.flush()
        status = "new"
    _rev, created = store_check(actor, product, check, note=str(_l("impor")), commit=False)
    if not created:
        status = "unchanged"
    return status, product.id


# -- template and export ----------------------------------------------------------------------


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for r in rows:
        writer.writerow(safe_row(r))
    return "\ufeff" + buf.getvalue()   # BOM: Excel then reads UTF-8 (é, emoji, "Rp")


def csv_template(locale: str = "id") -> str:
    """The import template: the header row, then a "#" row naming each column (skipped on import)."""
    names = [f"# {field_label(c, locale)}" if i == 0 else field_label(c, locale)
             for i, c in enumerate(TEMPLATE_COLUMNS)]
    names[0] = "# " + str(_l("nama pengguna produsen"))
    return _csv_text([list(TEMPLATE_COLUMNS), names])


def export_products_csv(actor: User, cohort: Cohort) -> str:
    """Every product of the cohort's producers as CSV (formula-safe cells; re-importable).

    :raises Forbidden: when the actor is not a trainer or admin.
    """
    if actor.role not in (Role.TRAINER, Role.ADMIN):
        raise Forbidden(str(_l("Hanya pendamping atau admin yang boleh mengekspor.")))
    owner_ids = [p.id for p in cohort.producers]
    products = list(db.session.scalars(
        select(Product).where(Product.owner_id.in_(owner_ids or [-1]), Product.archived.is_(False))
        .order_by(Product.owner_id, Product.name)))
    header = list(TEMPLATE_COLUMNS) + list(EXPORT_ONLY)
    rows = [header]
    for p in products:
        rev = p.current_revision
        values = revision_values(rev)
        values.setdefault("name", p.name)
        values.setdefault("product_class", p.product_class)
        row = [p.owner.username] + [values.get(k, "") for k in FORM_KEYS]
        row += [p.public_code, rev.number if rev else "", rev.percent_complete if rev else 0,
                bool(rev and rev.complete_label), bool(rev and rev.complete_listing)]
        rows.append(row)
    return _csv_text(rows)

