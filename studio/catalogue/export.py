"""Marketplace bulk-upload export (columns Indonesian marketplaces expect), safe against formula injection."""
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
