"""Marketplace bulk-upload export (columns Indonesian marketplaces expect), safe against formula injection:
a CSV in BLONJO's columns, and an XLSX with that sheet plus one per marketplace profile
(:mod:`.marketplaces`: Tokopedia, Shopee)."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from ..auth.models import Role, User
from ..cohorts.services import get_cohort, trainer_producer_ids
from ..extensions import db
from ..rules.csvsafe import safe_row
from ..products.record import rule_settings
from ..rules.listing import description_finding
from .models import Listing
from .serializers import listing_to_dict

COLUMNS = ("Kode", "Nama Produk", "Merek", "Varian", "Kategori", "Deskripsi Produk", "Harga (Rp)", "Stok",
           "Minimum Pemesanan", "Kondisi", "Berat (gram)", "Panjang (cm)", "Lebar (cm)", "Tinggi (cm)",
           "SKU", "GTIN/EAN", "Izin Edar", "Sertifikat Halal", "Isi Bersih", "Nama Usaha", "Desa",
           "Foto Utama", "URL Produk", "Catatan")


def export_rows(actor: User, cohort_id: int | None = None, *, records: bool = False) -> list:
    """Rows of the current listings the actor may export (a trainer: their cohorts); with
    ``records`` the listings in their API shape (for :func:`to_xlsx`)."""
    stmt = select(Listing).where(Listing.is_current.is_(True)).order_by(Listing.producer_id, Listing.id)
    if cohort_id:
        cohort = get_cohort(actor, cohort_id)
        stmt = stmt.where(Listing.producer_id.in_([p.id for p in cohort.producers] or [-1]))
    elif actor.role == Role.TRAINER:
        stmt = stmt.where(Listing.producer_id.in_(trainer_producer_ids(actor) or {-1}))
    if records:
        return [listing_to_dict(listing) for listing in db.session.scalars(stmt)]
    rows = []
    settings = rule_settings()
    for listing in db.session.scalars(stmt):
        d = listing_to_dict(listing)
        dims = d["package_cm"] or [None, None, None]
        rows.append([d["code"], d["name"], d["brand"], d["variant"], d["category"], d["description"],
                     d["price"]["amount"], d["stock"], d["min_order"], "Baru", d["shipping_weight_g"],
                     dims[0], dims[1], dims[2], d["sku"], d["gtin"], d["permit"], d["halal_certificate"],
                     d["net_quantity"], d["producer"]["business_name"], d["producer"]["desa"],
                     d["photos"].get("catalogue", ""), d["url"]])
        too_long = description_finding(d["description"], settings)   # marketplace limit (rules.listing)
        rows[-1].append(too_long.msg.id if too_long else "")
    return rows


def to_csv(rows: list[list]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for row in rows:
        w.writerow(safe_row(row))
    return buf.getvalue()


# columns of the XLSX's BLONJO sheet: the CSV's, with every picture instead of the main one only
def _blonjo_sheet(records: list[dict]) -> tuple[list[str], list[list], set[int]]:
    from .marketplaces import values_for

    header = [c for c in COLUMNS if c not in ("Foto Utama", "Catatan")] + [f"Foto {i}" for i in range(1, 10)] \
        + ["Catatan"]
    text_cols = {header.index(c) for c in ("Kode", "SKU", "GTIN/EAN", "Izin Edar", "Sertifikat Halal")}
    settings = rule_settings()
    rows = []
    for d in records:
        dims = d["package_cm"] or [None, None, None]
        pics = values_for(d, {"max_photos": 9})
        too_long = description_finding(d["description"], settings)
        rows.append([d["code"], d["name"], d["brand"] or None, d["variant"] or None, d["category"] or None,
                     d["description"] or None, d["price"]["amount"], d["stock"], d["min_order"], "Baru",
                     d["shipping_weight_g"], dims[0], dims[1], dims[2], d["sku"] or None, d["gtin"] or None,
                     d["permit"] or None, d["halal_certificate"] or None, d["net_quantity"] or None,
                     d["producer"]["business_name"] or None, d["producer"]["desa"] or None, d["url"],
                     *[pics[f"photo_{i}"] for i in range(1, 10)], too_long.msg.id if too_long else None])
    return header, rows, text_cols


def _marketplace_sheet(records: list[dict], profile: dict) -> tuple[list[str], list[list], set[int]]:
    from .marketplaces import EXTRA_COLUMNS, TEXT_FIELDS, notes_for, values_for

    columns = list(profile["columns"]) + EXTRA_COLUMNS
    header = [h for h, _f in columns] + ["Catatan"]
    text_cols = {i for i, (_h, f) in enumerate(columns) if f in TEXT_FIELDS}
    rows = []
    for d in records:
        v = values_for(d, profile)
        rows.append([v.get(f) for _h, f in columns] + [" ".join(notes_for(d, profile)) or None])
    return header, rows, text_cols


def to_xlsx(records: list[dict]) -> bytes:
    """The listings as a workbook: sheet "BLONJO" (the CSV's columns, all pictures) and one sheet per
    marketplace profile, then "Petunjuk". Prices, stock, weights and sizes are numbers; codes (SKU,
    barcode, permit and certificate numbers) are text cells in text format, so a spreadsheet never
    shows 8.99E+12 or drops a leading zero; text is never read as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from flask_babel import lazy_gettext as _l

    from .marketplaces import profiles

    wb = Workbook()
    wb.remove(wb.active)
    sheets = [("BLONJO", *_blonjo_sheet(records))]
    for profile in profiles().values():
        sheets.append((profile["sheet"], *_marketplace_sheet(records, profile)))
    for name, header, rows, text_cols in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([None] * len(header))
            r = ws.max_row
            for i, value in enumerate(row):
                cell = ws.cell(row=r, column=i + 1)
                if value is None or value == "":
                    continue
                if i in text_cols or isinstance(value, str):
                    cell.value = str(value)
                    cell.data_type = "s"            # never a formula, whatever it starts with
                    if i in text_cols:
                        cell.number_format = "@"
                elif isinstance(value, bool):
                    cell.value = "ya" if value else "tidak"
                else:
                    cell.value = value
        for i, title in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, max(10, len(title) + 2))
        ws.freeze_panes = "A2"
    notes = wb.create_sheet(str(_l("Petunjuk"))[:31])
    for line in (_l("Satu baris per produk yang terbit di BLONJO. Salin kolom lembar Tokopedia atau Shopee ke "
                    "templat unggah massal dari seller centre-nya."),
                 _l("Nama dan urutan kolom marketplace belum dicocokkan dengan templat terbaru seller centre: "
                    "periksa dulu sebelum mengunggah. Admin dapat mengubahnya di pengaturan "
                    "MARKETPLACE_PROFILES."),
                 _l("Kode kategori marketplace belum dipetakan: kolom Kategori berisi kategori BLONJO."),
                 _l("Harga dalam rupiah, berat dalam gram, ukuran dalam cm.")):
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
