"""Problem messages in Bahasa Indonesia (first) and English. The web layer picks by locale."""
from __future__ import annotations

import re

from .document import Box
from .primitives import Problem

_DECIMAL = re.compile(r"-?\d+\.\d+")

MESSAGES: dict[str, tuple[str, str]] = {
    "text_overflow": ("Teks '{tag}' tidak muat di kotaknya, bahkan pada {size} pt. Perpendek teks atau "
                      "perbesar kotaknya.",
                      "Text '{tag}' does not fit its box even at {size} pt. Shorten the text or enlarge the box."),
    "unknown_field": ("Isian ${{{field}}} tidak dikenal pada '{tag}'.",
                      "Unknown field ${{{field}}} in '{tag}'."),
    "field_empty": ("'{tag}' belum ada isinya di data produk.", "'{tag}' has nothing to show yet in the product data."),
    "glyph_missing": ("Huruf {chars} tidak bisa dicetak dengan huruf label ini; tulis dengan huruf Latin.",
                      "The characters {chars} cannot be printed with this label's font; write them in "
                      "Latin letters."),
    "unknown_font": ("Huruf '{font}' tidak tersedia; dipakai huruf bawaan.",
                     "Font '{font}' is not available; the default font is used."),
    "image_missing": ("Gambar '{key}' belum diunggah.", "Image '{key}' has not been uploaded."),
    "image_low_ppi": ("Gambar '{tag}' hanya {ppi} ppi pada ukuran cetak (perlu 300). Hasil cetak bisa buram.",
                      "Image '{tag}' is only {ppi} ppi at print size (300 needed). It may print blurry."),
    "qr_no_data": ("Kode QR tidak punya isi (isian '{field}' kosong).", "The QR code has no data ('{field}' is empty)."),
    "qr_too_long": ("Isi kode QR ('{field}') terlalu panjang.", "The QR code data ('{field}') is too long."),
    "qr_too_small": ("Kode QR hanya {size} mm; minimal {min} mm agar mudah dipindai.",
                     "The QR code is only {size} mm; it needs at least {min} mm to scan reliably."),
    "ean_invalid": ("Nomor barcode (GTIN) '{gtin}' tidak valid: periksa 13 digit dan digit terakhirnya.",
                    "Barcode number (GTIN) '{gtin}' is not valid: check the 13 digits and the check digit."),
    "ean_too_small": ("Barcode EAN terlalu kecil (modul {x} mm; minimal 0,264 mm).",
                      "The EAN barcode is too small (module {x} mm; at least 0.264 mm)."),
    "outside_safe_area": ("'{tag}' keluar dari area aman label; bisa terpotong.",
                          "'{tag}' goes outside the label's safe area and may be cut off."),
    "needs_back_label": ("Label ini terlalu kecil untuk semua keterangan wajib (komposisi, produsen, izin, "
                         "halal, kedaluwarsa). Buat juga label belakang.",
                         "This label is too small for all mandatory information (ingredients, producer, "
                         "permit, halal, expiry). Add a back label."),
    "ean_no_room": ("Barcode EAN-13 tidak dicetak: label ini terlalu kecil untuk barcode yang masih bisa "
                    "dipindai (perlu kira-kira 30 × 13 mm). Pilih label yang lebih besar, atau tempel barcode "
                    "di label lain.",
                    "The EAN-13 barcode is not printed: this label is too small for a barcode that still scans "
                    "(about 30 × 13 mm needed). Choose a larger label, or put the barcode on another label."),
    "layout_mismatch": ("Desain dibuat untuk '{doc}', tetapi dicetak pada '{layout}'.",
                        "The design was made for '{doc}' but is composed on '{layout}'."),
}


def problem(code: str, severity: str, tag: str, box: Box | None, **params: str) -> Problem:
    """Build a Problem with both texts from MESSAGES (unknown codes fall back to the code itself)."""
    msg_id, msg_en = MESSAGES.get(code, (code, code))
    fmt = {"tag": tag, **params}
    # numbers in the Indonesian text take a decimal comma ("5,75 pt"), the English one a point
    fmt_id = {k: (str(v).replace(".", ",") if _DECIMAL.fullmatch(str(v)) else v) for k, v in fmt.items()}
    return Problem(code, severity, msg_id.format(**fmt_id), msg_en.format(**fmt), tag,
                   box.as_tuple() if box is not None else None)
