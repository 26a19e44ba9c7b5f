"""Mandatory items and their place (spec §2.1–2.5): name, net quantity, producer, permit, expiry."""
from __future__ import annotations

import re

from ..labels import Region
from ..rules import RuleError, required_char_height_mm
from ..rules.identifiers import find_pirt_on_label
from ..rules.quantity import (count_only_allowed, count_statement_ok, net_quantity_needed,
                              net_quantity_statement)
from .context import Ctx

_PERMIT_PATTERNS = {
    "pangan_pirt": (None, "P-IRT No. 2063517010012-29"),   # read by rules.identifiers.find_pirt_on_label
    "pangan_bpom": (re.compile(r"BPOM\s*RI\s*(MD|ML)\s*\d{12}\b", re.I), "BPOM RI MD 123456789012"),
    "obat_tradisional": (re.compile(r"POM\s*[A-Z]{2}\s*\d{9}\b"), "POM TR 123456789"),
}
_NET_RE = re.compile(r"^(Berat Bersih|Isi Bersih|Netto)\s*:?\s*([\d.,]+)\s*(g|kg|ml|mL|L|l)\b")
_BAD_UNIT_RE = re.compile(r"\d\s*(gr|grm|gram\.|gm|ltr|lt|cc|oz|ons)\b", re.I)
_EXPIRY_WORDS = "Baik digunakan sebelum"
_PRODUCED_BY = re.compile(r"Diproduksi\s+(oleh|untuk)|Dibuat\s+oleh", re.I)
_DMY = re.compile(r"\b(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4}|\d{2})\b")
_D_MONTH_Y = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}\b")
_MY = re.compile(r"\b(\d{1,2})[-/. ](\d{4})\b")
_YMD = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
_REFERENCE = re.compile(r"lihat\b", re.I)


def _present(ctx: Ctx, rule_id: str, tag: str, what_id: str, what_en: str, fix_id: str,
             fix_en: str) -> Region | None:
    """Presence on the label and on the principal panel; returns the region when it is printed."""
    region = ctx.region(tag)
    if region is None or not region.text.strip():
        ctx.add(rule_id, f"{what_id} tidak ada di label. {fix_id}", f"{what_en} is not on the label. {fix_en}",
                region=region, tag=tag, severity="BLOCKER")     # mandatory content missing: blocks
        return None
    if not ctx.on_pdp(region):
        ctx.add(rule_id, f"{what_id} harus di bagian utama label (depan). Pindahkan ke panel depan.",
                f"{what_en} must be on the main (front) panel. Move it to the front panel.", region=region)
    return region


def check_name(ctx: Ctx) -> None:
    """NAME-01: the product name on the principal panel."""
    _present(ctx, "NAME-01", "pdp.name", "Nama produk", "The product name",
             "Tambahkan kotak nama produk di depan label.", "Add the product-name box to the front.")


def check_net_quantity(ctx: Ctx) -> None:
    """NET-01 presence, NET-02 wording and unit, NET-03 character height by quantity (BDKT)."""
    nq = ctx.clean.get("net_quantity")
    if nq is None and not net_quantity_needed(ctx.cls):
        return          # crafts show the count or size they are sold by, when there is one
    region = _present(ctx, "NET-01", "pdp.net_qty", "Berat/isi bersih", "The net quantity",
                      "Isi berat bersih di data produk dan tampilkan di depan label.",
                      "Enter the net quantity in the product data and show it on the front.")
    if region is None:
        return
    text = " ".join(region.text.split())
    bad = _BAD_UNIT_RE.search(text)
    m = _NET_RE.match(text)
    if bad:
        ctx.add("NET-02", f'Satuan "{bad.group(1)}" tidak boleh di label. Pakai g, kg, ml atau L.',
                f'The unit "{bad.group(1)}" is not allowed on a label. Use g, kg, ml or L.', region=region)
    elif nq is not None and not nq.has_amount:
        if not count_only_allowed(ctx.cls, ctx.settings.rules):
            ctx.add("NET-01", "Produk ini wajib mencantumkan berat atau isi bersih, bukan jumlah atau ukuran "
                    "saja. Tulis di data produk, contoh: Isi 10 sachet @ 20 g.", "This product must state the "
                    "net weight or volume, not only a count or size. Enter it in the product data, e.g. Isi 10 "
                    "sachet @ 20 g.", region=region)
        elif not count_statement_ok(nq, text):
            want = net_quantity_statement(nq)
            ctx.add("NET-02", f"Tulis seperti di data produk: {want}.",
                    f"Print it as in the product data: {want}.", region=region)
    elif not m:
        ctx.add("NET-02", 'Tulis "Berat Bersih" (padat) atau "Isi Bersih" (cair), lalu angka dan satuan, '
                "contoh: Berat Bersih 250 g.",
                'Write "Berat Bersih" (solids) or "Isi Bersih" (liquids), then the number and unit, '
                "e.g. Berat Bersih 250 g.", region=region)
    else:
        word, unit = m.group(1), m.group(3)
        state = str(ctx.clean.get("physical_state") or "")
        if word == "Netto":
            ctx.add("NET-02", 'Ganti "Netto" dengan "Berat Bersih" atau "Isi Bersih".',
                    'Replace "Netto" with "Berat Bersih" or "Isi Bersih".', region=region, severity="WARNING")
        elif (word == "Isi Bersih" and state == "padat") or (word == "Berat Bersih" and state == "cair"):
            ctx.add("NET-02", "Produk padat memakai Berat Bersih (g/kg); cairan memakai Isi Bersih (ml/L).",
                    "Solids use Berat Bersih (g/kg); liquids use Isi Bersih (ml/L).", region=region,
                    severity="WARNING")
        if nq is not None and nq.text.replace(" ", "") not in text.replace(" ", ""):
            ctx.add("NET-02", f"Label menulis '{m.group(2)} {unit}', data produk {nq.text}. Samakan.",
                    f"The label says '{m.group(2)} {unit}' but the product data says {nq.text}. Make "
                    "them the same.", region=region)
    if nq is not None and region.cap_height_mm is not None:
        need = required_char_height_mm(nq, ctx.settings.rules)
        if region.cap_height_mm + 1e-6 < need:    # on the principal panel an ERROR, elsewhere a WARNING
            ctx.add("NET-03", f"Angka berat bersih hanya {region.cap_height_mm:.1f} mm tingginya; untuk "
                    f"{nq.text} minimal {need:g} mm. Perbesar kotak berat bersih di editor (tarik sudutnya) "
                    "atau pilih label yang lebih besar.",
                    f"The net-quantity digits are only {region.cap_height_mm:.1f} mm tall; {nq.text} "
                    f"needs at least {need:g} mm. Enlarge the net-quantity box in the editor (drag its corner) "
                    "or choose a larger label.", region=region,
                    severity=None if ctx.on_pdp(region) else "WARNING")


def check_producer(ctx: Ctx) -> None:
    """ADDR-01: "Diproduksi oleh" with the producer name and address on the PDP, with a 5-digit postal
    code and Indonesia, for every product class (crafts too: BDKT asks who made the pack)."""
    region = _present(ctx, "ADDR-01", "pdp.producer", "Nama dan alamat produsen",
                      "The producer's name and address",
                      "Lengkapi profil usaha lalu tampilkan di label.",
                      "Complete the business profile and show it on the label.")
    if region is None:
        return
    if not _PRODUCED_BY.search(region.text):
        ctx.add("ADDR-01", 'Awali nama produsen dengan "Diproduksi oleh:".',
                'Start the producer name with "Diproduksi oleh:".', region=region)
    if not re.search(r"\b\d{5}\b", region.text):
        ctx.add("ADDR-01", "Alamat produsen perlu kode pos 5 angka. Lengkapi profil usaha.",
                "The producer address needs a 5-digit postal code. Complete the business profile.",
                region=region)
    if "indonesia" not in region.text.lower():
        ctx.add("ADDR-01", 'Tambahkan "Indonesia" di akhir alamat produsen.',
                'Add "Indonesia" at the end of the producer address.', region=region)


def check_permit(ctx: Ctx) -> None:
    """PERMIT-01 on the PDP with the right prefix; PERMIT-02 the printed P-IRT parses and is valid."""
    if ctx.cls not in _PERMIT_PATTERNS:
        return
    region = _present(ctx, "PERMIT-01", "pdp.permit", "Nomor izin edar", "The permit number",
                      "Isi nomor izin yang benar di data produk (langkah 1).",
                      "Enter the correct permit number in the product data (step 1).")
    if region is None:
        return
    pattern, example = _PERMIT_PATTERNS[ctx.cls]
    if ctx.cls != "pangan_pirt":
        if not pattern.search(region.text):
            ctx.add("PERMIT-01", f"Nomor izin edar ditulis lengkap dengan awalannya, contoh: {example}.",
                    f"Print the permit number with its prefix, e.g. {example}.", region=region)
        return
    try:        # the same rule as the product data (rules.identifiers), 16 digits included
        found = find_pirt_on_label(region.text, ctx.today, ctx.settings.rules, regency_code=ctx.regency_code)
    except RuleError as e:
        ctx.add("PERMIT-02", e.msg.id, e.msg.en, region=region, field="pirt_number")
        return
    if found is None:
        ctx.add("PERMIT-01", f"Nomor izin edar ditulis lengkap dengan awalannya, contoh: {example}.",
                f"Print the permit number with its prefix, e.g. {example}.", region=region)
        return
    printed, info = found
    for w in info.warnings:
        ctx.add("PERMIT-02", w.msg.id, w.msg.en, region=region, severity="WARNING", field="pirt_number")
    number = ctx.clean.get("pirt_number")
    if number and re.sub(r"\D", "", number) != re.sub(r"\D", "", printed):
        ctx.add("PERMIT-02", f"Nomor P-IRT di label berbeda dengan data produk ({number}). Samakan.",
                f"The P-IRT number on the label differs from the product data ({number}). Make them "
                "the same.", region=region, field="pirt_number")


def check_expiry(ctx: Ctx) -> None:
    """DATE-02 wording and date format, DATE-03 on the PDP (or referenced), DATE-01 code/box."""
    if not ctx.regulated:
        return
    region = ctx.region("pdp.expiry")
    if region is None or not region.text.strip():
        ctx.add("DATE-02", "Keterangan kedaluwarsa tidak ada di label. Tambahkan kotak 'Baik digunakan "
                "sebelum' di depan label.",
                "The best-before statement is missing. Add the 'Baik digunakan sebelum' box to the front "
                "of the label.", region=region, tag="pdp.expiry", severity="BLOCKER")
    else:
        _expiry_text(ctx, region)
        if not ctx.on_pdp(region):
            pdp_ref = any(_REFERENCE.search(r.text) and _EXPIRY_WORDS.lower() in r.text.lower()
                          for r in ctx.label.regions.values() if r.kind == "text" and ctx.on_pdp(r))
            if not pdp_ref:
                ctx.add("DATE-03", "Tanggal kedaluwarsa tidak di bagian utama. Pindahkan ke depan, atau tulis "
                        "di depan 'Baik digunakan sebelum: lihat bagian bawah kemasan'.",
                        "The best-before date is not on the main panel. Move it to the front, or write on "
                        "the front 'Baik digunakan sebelum: lihat bagian bawah kemasan'.", region=region)
    _production_code(ctx)


def _expiry_text(ctx: Ctx, region: Region) -> None:
    text = " ".join(region.text.split())
    if _EXPIRY_WORDS.lower() not in text.lower():
        ctx.add("DATE-02", f"Tulis '{_EXPIRY_WORDS}' lalu tanggalnya (hari-bulan-tahun), bukan 'Exp' "
                "atau 'Best before'.",
                f"Write '{_EXPIRY_WORDS}' and then the date (day-month-year), not 'Exp' or 'Best before'.",
                region=region)
        return
    rest = text[text.lower().index(_EXPIRY_WORDS.lower()) + len(_EXPIRY_WORDS):]
    if _REFERENCE.search(rest):
        return      # stamped per batch: DATE-01 checks the box
    if _YMD.search(rest):
        ctx.add("DATE-02", "Urutan tanggal harus hari-bulan-tahun, contoh: 27-11-2026.",
                "The date order must be day-month-year, e.g. 27-11-2026.", region=region)
    elif _DMY.search(rest) or _D_MONTH_Y.search(rest):
        return
    elif _MY.search(rest):
        shelf = ctx.clean.get("shelf_life_days")
        limit = ctx.settings.rules.expiry_month_year_min_days
        if shelf is None or shelf <= limit:
            ctx.add("DATE-02", f"Bulan-tahun saja hanya boleh jika umur simpan lebih dari {limit} hari. "
                    "Tulis tanggal lengkap (hari-bulan-tahun).",
                    f"Month and year alone are allowed only for a shelf life over {limit} days. Print the "
                    "full date (day-month-year).", region=region)
    else:
        ctx.add("DATE-02", f"Setelah '{_EXPIRY_WORDS}' harus ada tanggal (hari-bulan-tahun) atau "
                "petunjuk letaknya ('lihat bagian bawah kemasan').",
                f"After '{_EXPIRY_WORDS}' print the date (day-month-year) or where to find it "
                "('lihat bagian bawah kemasan').", region=region)


def _production_code(ctx: Ctx) -> None:
    """DATE-01: a stamping box of at least the set size, or printed production date/code text."""
    min_w, min_h = ctx.settings.expiry_box_min_mm
    boxes = ctx.regions("expiry_box")
    if any(r.box_mm[2] + 1e-6 >= min_w and r.box_mm[3] + 1e-6 >= min_h for r in boxes):
        return
    printed = [r for r in ctx.label.regions.values() if r.kind == "text"
               and re.search(r"kode produksi|tanggal produksi", r.text, re.I)
               and not _REFERENCE.search(r.text)]
    if printed:
        return
    if boxes:
        b = boxes[0]
        ctx.add("DATE-01", f"Kotak cap tanggal & kode produksi hanya {b.box_mm[2]:.0f}×{b.box_mm[3]:.0f} mm; "
                f"perlu minimal {min_w:g}×{min_h:g} mm.",
                f"The stamping box for date and code is only {b.box_mm[2]:.0f}×{b.box_mm[3]:.0f} mm; it "
                f"needs at least {min_w:g}×{min_h:g} mm.", region=b)
    else:
        ctx.add("DATE-01", f"Tanggal dan kode produksi belum ada. Sediakan kotak kosong minimal {min_w:g}×"
                f"{min_h:g} mm untuk cap (nyalakan kotak tanggal di desain), atau pilih label yang lebih besar.",
                f"There is no production date and code. Reserve an empty box of at least {min_w:g}×"
                f"{min_h:g} mm for the stamp (turn on the date box in the design), or choose a larger label.",
                tag="expiry_box", severity="BLOCKER")
