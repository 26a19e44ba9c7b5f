"""Marketplace bulk-upload export (columns Indonesian marketplaces expect), safe against formula injection.

Two files with the same rows. The CSV is for the marketplace's bulk upload: every value exactly as it
is, barcodes as their digits. The XLSX is for people who open the export in Excel or LibreOffice:
codes (barcode, SKU, permit numbers) are *text cells*, so a 13-digit barcode is not shown as
8.99123E+12 and a leading zero is not lost. No trick inside a CSV does that for both programs and the
importer at once: a leading apostrophe is shown as part of the value when a CSV is opened, and
reaches the importer; ``="8991234567891"`` is a formula (which the formula-injection guard exists to
stop), LibreOffice shows it as written unless formulas are evaluated on import, and the importer
receives the formula text. Typed cells in an XLSX are honoured by Excel, LibreOffice and the
marketplaces' own spreadsheet templates.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import select

from ..auth.models import Role, User
from ..cohorts.services import get_cohort, trainer_producer_ids
from ..extensions import db
from ..rules.csvsafe import safe_row
from ..products.data import rule_settings
from ..rules.listing import description_finding
from .models import Listing
from .serializers import listing_to_dict

COLUMNS = ("Kode", "Nama Produk", "Merek", "Varian", "Kategori", "Deskripsi Produk", "Harga (Rp)", "Stok",
           "Minimum Pemesanan", "Kondisi", "Berat (gram)", "Panjang (cm)", "Lebar (cm)", "Tinggi (cm)",
           "SKU", "GTIN/EAN", "Izin Edar", "Sertifikat Halal", "Isi Bersih", "Nama Usaha", "Desa",
           "Foto Utama", "URL Produk", "Catatan")
#: Columns that hold codes: always text in the spreadsheet (digits, leading zeros, no 8.99E+12).
TEXT_COLUMNS = frozenset({"Kode", "SKU", "GTIN/EAN", "Izin Edar", "Sertifikat Halal"})


def export_rows(actor: User, cohort_id: int | None = None) -> list[list]:
    """Rows of the current listings the actor may export (a trainer: their cohorts)."""
    stmt = select(Listing).where(Listing.is_current.is_(True)).order_by(Listing.producer_id, Listing.id)
    if cohort_id:
        cohort = get_cohort(actor, cohort_id)
        stmt = stmt.where(Listing.producer_id.in_([p.id for p in cohort.producers] or [-1]))
    elif actor.role == Role.TRAINER:
        stmt = stmt.where(Listing.producer_id.in_(trainer_producer_ids(actor) or {-1}))
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


def to_xlsx(rows: list[list], columns: tuple[str, ...] = COLUMNS,
            text_columns: frozenset[str] = TEXT_COLUMNS) -> bytes:
    """The rows as an Excel workbook: numbers as numbers, everything else as text cells.

    Text is written as typed text (never read as a formula, so "=HYPERLINK(..)" in a name stays
    words); code columns also get the text number format "@", so an edited barcode stays text.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Katalog"
    ws.append(list(columns))
    text_at = {i for i, name in enumerate(columns) if name in text_columns}
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            if numeric and i not in text_at:
                ws.cell(r, i + 1, value)
                continue
            cell = ws.cell(r, i + 1, str(value) if not isinstance(value, bool) else ("ya" if value else "tidak"))
            cell.data_type = "s"          # text, even when it starts with "=" or looks like a number
            if i in text_at:
                cell.number_format = "@"
    for i, name in enumerate(columns):
        ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = max(10, min(40, len(name) + 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
