"""Plain names of label items and of places on the label, for messages a producer can act on."""
from __future__ import annotations

#: tag -> (Bahasa Indonesia, English) name of the item, as a producer knows it
ITEM_NAMES: dict[str, tuple[str, str]] = {
    "pdp.name": ("Nama produk", "The product name"),
    "pdp.net_qty": ("Berat/isi bersih", "The net quantity"),
    "pdp.producer": ("Nama dan alamat produsen", "The producer's name and address"),
    "pdp.permit": ("Nomor izin edar", "The permit number"),
    "pdp.halal": ("Nomor sertifikat halal", "The halal certificate number"),
    "pdp.expiry": ("Keterangan kedaluwarsa", "The best-before statement"),
    "ingredients": ("Daftar bahan", "The ingredient list"),
    "allergen_stmt": ("Pernyataan alergen", "The allergen statement"),
    "storage": ("Cara penyimpanan", "The storage instructions"),
    "nutrition": ("Informasi Nilai Gizi", "The nutrition facts"),
    "warning": ("Peringatan wajib", "The mandatory warning"),
    "production": ("Kode produksi", "The production code"),
    "expiry_box": ("Kotak tanggal dan kode produksi", "The date and batch-code box"),
    "brand": ("Merek", "The brand"),
    "variant": ("Varian", "The variant"),
    "price": ("Harga", "The price"),
    "qr.caption": ("Keterangan kode QR", "The QR caption"),
    "qr": ("Kode QR", "The QR code"),
    "ean": ("Barcode", "The barcode"),
    "photo": ("Foto produk", "The product photo"),
    "logo": ("Logo usaha", "The business logo"),
    "halal_logo": ("Logo halal", "The halal logo"),
}


def item_name(tag: str | None) -> tuple[str, str]:
    """(id, en) name of the item with ``tag`` (repeats ``tag#2`` share the name)."""
    base = (tag or "").split("#", 1)[0]
    if base in ITEM_NAMES:
        return ITEM_NAMES[base]
    return (f"Bagian '{base}'", f"The item '{base}'")


def where_on_label(box_mm: tuple[float, float, float, float] | None, width_mm: float,
                   height_mm: float) -> tuple[str, str]:
    """(id, en) phrase for where ``box_mm`` lies on the label, e.g. ("di kiri bawah label",
    "at the bottom left of the label"), from the box centre in thirds of the label."""
    if not box_mm or width_mm <= 0 or height_mm <= 0:
        return ("di label", "on the label")
    x, y, w, h = box_mm
    col = min(2, max(0, int(3 * (x + w / 2) / width_mm)))
    row = min(2, max(0, int(3 * (y + h / 2) / height_mm)))
    v_id, v_en = (("atas", "top"), ("tengah", "middle"), ("bawah", "bottom"))[row]
    h_id, h_en = (("kiri", "left"), ("", ""), ("kanan", "right"))[col]
    if not h_id:
        return (f"di bagian {v_id} label", f"at the {v_en} of the label") if row != 1 else \
            ("di tengah label", "in the middle of the label")
    if row == 1:
        return (f"di bagian {h_id} label", f"on the {h_en} of the label")
    return (f"di {h_id} {v_id} label", f"at the {v_en} {h_en} of the label")
