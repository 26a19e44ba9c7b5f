"""Declarations on the label (spec §2.6, §3 halal): ingredients, allergens, halal, warnings,
storage, nutrition facts and the language of mandatory words."""
from __future__ import annotations

import re
from collections import Counter

from ..labels.primitives import TextLine
from ..rules import ALLERGEN_GROUPS
from ..rules.allergens import exempt_ingredients, find_allergen_terms
from ..rules.lexicon import english_only_parts, is_english_only
from ..rules.labeltext import allergen_groups, nutrition_needed, warning_text
from ..rules.nutrition import footnote as nutrition_footnote
from .context import Ctx, gap_mm

_ING_HEADING = re.compile(r"^\s*(Komposisi|Daftar bahan|Bahan-bahan|Bahan yang digunakan)\s*:", re.I)
_MAY_CONTAIN = re.compile(r"Dapat mengandung|Mungkin mengandung|Diproduksi menggunakan peralatan", re.I)
_BOLD_NAMES = ("bold", "black", "heavy", "extrabold", "semibold")
#: (foreign words, Indonesian words that make them acceptable as an addition)
_FOREIGN = (
    (re.compile(r"\bingredients?\b", re.I), re.compile(r"komposisi|bahan", re.I), "Ingredients", "Komposisi"),
    (re.compile(r"\bnet\s*(wt|weight|content)\b", re.I), re.compile(r"berat bersih|isi bersih", re.I),
     "Net wt", "Berat Bersih"),
    (re.compile(r"\b(best before|exp\.?|expiry|expired)\b", re.I), re.compile(r"baik digunakan sebelum", re.I),
     "Best before / Exp", "Baik digunakan sebelum"),
)


def is_bold_font(font_name: str) -> bool:
    """True for a ReportLab font name of a bold (or heavier) face, e.g. ``SK-NotoSans-Bold``."""
    return any(w in font_name.lower().replace("-", "") for w in _BOLD_NAMES)


def check_ingredients(ctx: Ctx) -> None:
    """ING-01: the ingredient list is printed with an accepted heading."""
    if not ctx.regulated:
        return
    region = ctx.region("ingredients")
    if region is None or not region.text.strip():
        ctx.add("ING-01", "Daftar bahan (komposisi) tidak ada di label. Tampilkan kotak komposisi.",
                "The ingredient list is not on the label. Show the ingredients box.", region=region,
                tag="ingredients", severity="BLOCKER")
    elif not _ING_HEADING.match(region.text):
        ctx.add("ING-01", "Awali daftar bahan dengan 'Komposisi:' atau 'Daftar bahan:'.",
                "Start the ingredient list with 'Komposisi:' or 'Daftar bahan:'.", region=region)


def _term_counts(text: str, exempt=()) -> Counter:
    return Counter(text[s:e].lower() for s, e, _g in find_allergen_terms(text, exempt))


def check_allergens(ctx: Ctx) -> None:
    """ALG-01: allergen words in bold and a statement next to the list; ALG-02: may-contain."""
    region = ctx.region("ingredients")
    printed = region.text if region is not None else ""
    groups = set(allergen_groups(ctx.clean, ctx.settings.rules)) if ctx.clean else set()
    exempt = exempt_ingredients(ctx.clean or {}, ctx.settings.rules.allergen_exempt_patterns)
    for _s, _e, found in find_allergen_terms(printed, exempt):
        groups.update(found)
    if region is not None and printed:
        bold = " ".join(p.text for p in ctx.label.primitives if isinstance(p, TextLine)
                        and p.tag == region.tag and is_bold_font(p.font))
        missing = _term_counts(printed, exempt) - _term_counts(bold)
        if missing:
            words = ", ".join(sorted(missing))
            ctx.add("ALG-01", f"Bahan alergen harus dicetak tebal: {words}. Tandai alergennya di data produk.",
                    f"Allergens must be printed in bold: {words}. Mark the allergens in the product data.",
                    region=region)
    may = ctx.clean.get("may_contain") or ()
    if not groups and not may:
        return
    stmt = ctx.region("allergen_stmt")
    text = stmt.text if stmt is not None else ""
    if groups:
        names = [ALLERGEN_GROUPS[g][0] for g in ALLERGEN_GROUPS if g in groups]
        if not text.strip():
            ctx.add("ALG-01", "Tulis pernyataan 'Mengandung alergen: " + ", ".join(names) + "' dekat daftar bahan.",
                    "Print the statement 'Mengandung alergen: " + ", ".join(names) + "' next to the "
                    "ingredient list.", region=stmt or region, tag="allergen_stmt", severity="BLOCKER")
        else:
            low = text.lower()
            undeclared = [n for n in names if n not in low]
            if "mengandung" not in low or (undeclared and "dicetak tebal" not in low):
                ctx.add("ALG-01", "Pernyataan alergen belum lengkap; sebutkan: " + ", ".join(undeclared or names) + ".",
                        "The allergen statement is incomplete; declare: " + ", ".join(undeclared or names) + ".",
                        region=stmt)
            if region is not None and stmt is not None and gap_mm(stmt.box_mm, region.box_mm) > \
                    ctx.settings.allergen_stmt_max_gap_mm:
                limit = ctx.settings.allergen_stmt_max_gap_mm
                ctx.add("ALG-01", f"Letakkan pernyataan alergen dekat daftar bahan (paling jauh {limit:g} mm).",
                        f"Put the allergen statement next to the ingredient list (at most {limit:g} mm away).",
                        region=stmt)
    if may and not _MAY_CONTAIN.search(text):
        ctx.add("ALG-02", "Produk dibuat dengan alat bersama: tulis 'Dapat mengandung …' dekat daftar bahan.",
                "Made on shared equipment: print 'Dapat mengandung …' next to the ingredient list.",
                region=stmt or region, tag="allergen_stmt")


def check_halal(ctx: Ctx) -> None:
    """HALAL-02 logo only for certified products and on the PDP; HALAL-03 number next to the logo;
    HALAL-05 a pork product carries MENGANDUNG BABI and no halal mark."""
    logo = ctx.region("halal_logo")
    text_region = ctx.region("pdp.halal")
    text = text_region.text if text_region is not None else ""
    status = str(ctx.clean.get("halal_status") or "")
    number = ctx.clean.get("halal_cert_number")
    pattern = re.compile(ctx.settings.rules.halal_cert_regex.strip("^$"))
    printed = [r for r in ctx.regions("pdp.halal") if pattern.search(r.text.replace(" ", ""))]
    says_halal = "halal" in text.lower()
    certified = "BLOCKER" if status == "certified" else None    # a declared-halal product prints both
    if ctx.clean.get("contains_pork"):
        if logo is not None or says_halal:
            ctx.add("HALAL-05", "Produk mengandung babi tidak boleh memakai logo atau tulisan halal. Hapus.",
                    "A product with pork may not carry a halal logo or the word halal. Remove it.",
                    region=logo or text_region)
        words = ctx.settings.rules.warning_pork_text
        if " ".join(words.split()) not in " ".join(ctx.all_text().split()):
            ctx.add("HALAL-05", "Tulis 'MENGANDUNG BABI' di dalam kotak merah di label.",
                    "Print 'MENGANDUNG BABI' inside a red box on the label.", tag="warning")
        elif not _pork_sign(ctx):
            ctx.add("HALAL-05", "Tulisan 'MENGANDUNG BABI' harus di dalam kotak merah bergambar babi. Label ini "
                    "tidak punya tempat untuk tanda itu: pilih label yang lebih besar.",
                    "'MENGANDUNG BABI' must be inside a red box with a pig picture. This label has no room "
                    "for the sign: choose a larger label.", region=ctx.region("warning.pork"),
                    tag="warning", severity="ERROR")
        return
    if logo is not None:
        if status != "certified":
            ctx.add("HALAL-02", "Logo halal hanya boleh dipakai produk yang sudah bersertifikat halal. "
                    "Hapus logonya atau lengkapi data sertifikat.",
                    "Only halal-certified products may use the halal logo. Remove it or complete the "
                    "certificate data.", region=logo)
        if not ctx.on_pdp(logo):
            ctx.add("HALAL-02", "Logo halal harus di bagian utama label (depan).",
                    "The halal logo must be on the main (front) panel.", region=logo)
        near = [r for r in printed if gap_mm(r.box_mm, logo.box_mm) <= ctx.settings.halal_number_max_gap_mm]
        if not near:
            limit = ctx.settings.halal_number_max_gap_mm
            ctx.add("HALAL-03", f"Cetak nomor sertifikat halal (ID + 17 angka) di samping logo halal "
                    f"(paling jauh {limit:g} mm).",
                    f"Print the halal certificate number (ID + 17 digits) next to the halal logo (at most "
                    f"{limit:g} mm away).", region=logo, severity=certified)
    elif status == "certified":
        _no_halal_logo(ctx, text_region)
    if says_halal and not printed:
        ctx.add("HALAL-03", "Ada tulisan 'Halal' tanpa nomor sertifikat. Isi nomor sertifikat halal di data "
                "produk, atau matikan tampilan halal.",
                "The label says 'Halal' without a certificate number. Enter the number in the product "
                "data, or turn the halal display off.", region=text_region, severity=certified)
    if number and printed:
        want = re.sub(r"\s", "", str(number)).upper()
        if not any(want in r.text.replace(" ", "").upper() for r in printed):
            ctx.add("HALAL-03", f"Nomor halal di label berbeda dengan data produk ({number}). Samakan.",
                    f"The halal number on the label differs from the product data ({number}). Make them "
                    "the same.", region=printed[0])


def _reddish(color: str | None) -> bool:
    """A red ink (the pork sign): red well above green and blue."""
    if not color or not color.startswith("#") or len(color) != 7:
        return False
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return r >= 120 and r >= 2 * max(g, b)


def _pork_sign(ctx: Ctx) -> bool:
    """The words "MENGANDUNG BABI" sit inside a red-framed box that also holds the pig picture
    (on a thermal label everything is black: the frame then only has to be there)."""
    thermal = ctx.layout.thermal
    for frame in ctx.regions("warning.sign"):
        if not (thermal or _reddish(frame.color)):
            continue
        x, y, w, h = frame.box_mm
        words = " ".join(ctx.settings.rules.warning_pork_text.split())
        inside = [r for r in ctx.regions("warning.pork") if words in " ".join(r.text.split())
                  and r.box_mm[0] >= x - 0.1 and r.box_mm[1] >= y - 0.1
                  and r.box_mm[0] + r.box_mm[2] <= x + w + 0.1 and r.box_mm[1] + r.box_mm[3] <= y + h + 0.1]
        if inside and ctx.label_has_prim("warning.pig"):
            return True
    return False


def _no_halal_logo(ctx: Ctx, text_region) -> None:
    """HALAL-02 BLOCKER: a certified product without the official logo, with who fixes it and how."""
    if ctx.halal_logo_uploaded is False:
        ctx.add("HALAL-02", "Produk ini bersertifikat halal, tetapi logo Halal Indonesia resmi belum ada di "
                "studio. Admin hub mengunggah logo Halal Indonesia resmi di halaman Admin → Logo halal resmi; "
                "setelah itu logo tampil otomatis di label ini.",
                "This product is halal-certified, but the studio has no official Halal Indonesia logo yet. "
                "The hub admin uploads the official Halal Indonesia logo on the Admin → Official halal logo "
                "page; the logo then appears on this label.", region=text_region, tag="halal_logo",
                severity="BLOCKER")
        return
    ctx.add("HALAL-02", "Produk ini bersertifikat halal, tetapi label belum memuat logo Halal Indonesia resmi. "
            "Nyalakan logo halal di pengaturan desain, atau pilih label yang lebih besar agar logo dan nomor "
            "sertifikatnya muat.",
            "This product is halal-certified, but the label does not show the official Halal Indonesia logo. "
            "Turn the halal logo on in the design settings, or choose a larger label so the logo and the "
            "certificate number fit.", region=text_region, tag="halal_logo", severity="BLOCKER")


def check_warnings(ctx: Ctx) -> None:
    """WARN-01: required warning texts (alcohol, sweeteners) are printed."""
    required = warning_text(ctx.clean, ctx.settings.rules) if ctx.clean else ""
    if not required:
        return
    have = " ".join(ctx.all_text().split()).lower()
    for sentence in re.split(r"(?<=\.)\s+", required.strip()):
        if sentence and " ".join(sentence.split()).lower() not in have:
            ctx.add("WARN-01", f"Peringatan wajib belum tercetak: '{sentence}'. Tambahkan kotak peringatan.",
                    f"A mandatory warning is not printed: '{sentence}'. Add a warning box.", tag="warning",
                    severity="BLOCKER")


def check_storage(ctx: Ctx) -> None:
    """STOR-01: storage instructions given in the data are printed."""
    if not ctx.food or not ctx.clean.get("storage_instructions"):
        return
    if not ctx.text("storage").strip():
        ctx.add("STOR-01", "Cara penyimpanan belum tampil di label. Tampilkan kotak penyimpanan dekat "
                "keterangan kedaluwarsa.", "The storage instructions are not on the label. Show the "
                "storage box near the best-before statement.", tag="storage", severity="BLOCKER")


def check_nutrition(ctx: Ctx) -> None:
    """NUT-01: the nutrition facts panel is printed when the product needs one."""
    if not ctx.food or not nutrition_needed(ctx.clean, ctx.settings.rules):
        return
    printed = " ".join(ctx.text("nutrition").split())
    if not printed:
        ctx.add("NUT-01", "Produk ini wajib Informasi Nilai Gizi. Tampilkan tabel gizi (pakai label lebih "
                "besar atau label belakang).", "This product needs nutrition facts. Show the nutrition "
                "table (use a larger label or a back label).", tag="nutrition", severity="BLOCKER")
        return
    if not ctx.settings.rules.nutrition_linear_allowed and ctx.region("nutrition.frame") is None:
        ctx.add("NUT-01", "Informasi Nilai Gizi tercetak sebagai teks berjalan (format linear), yang tidak diterima "
                "menurut pengaturan hub. Tampilkan tabel gizi (pakai label lebih besar atau label belakang).",
                "The nutrition information is printed as running text (the linear format), which the hub's "
                "settings do not accept. Show the nutrition table (use a larger label or a back label).",
                region=ctx.region("nutrition"), tag="nutrition", severity="ERROR")
    note = " ".join(nutrition_footnote(ctx.settings.rules).split())
    if note not in printed:
        ctx.add("NUT-02", f"Informasi Nilai Gizi tanpa catatan kaki %AKG. Cetak di bawah tabel: '{note}'",
                f"The nutrition information lacks the %AKG footnote. Print it under the table: '{note}'",
                region=ctx.region("nutrition"), tag="nutrition", severity="ERROR")


def check_language(ctx: Ctx) -> None:
    """LANG-01: mandatory words in Bahasa Indonesia (foreign words only in addition)."""
    text = ctx.all_text()
    for foreign, local, word, indo in _FOREIGN:
        if foreign.search(text) and not local.search(text):
            ctx.add("LANG-01", f"'{word}' harus ditulis dalam Bahasa Indonesia: '{indo}'. Bahasa lain boleh "
                    "sebagai tambahan.", f"'{word}' must be written in Bahasa Indonesia: '{indo}'. Other "
                    "languages may be added.")
    n = ctx.settings.rules.english_min_words      # word lists shared with the data rule (rules.lexicon)
    name = ctx.region("pdp.name")
    if name is not None and is_english_only(name.text, n):
        ctx.add("LANG-01", "Nama produk di label hanya dalam bahasa Inggris. Tulis dalam Bahasa Indonesia; "
                "bahasa Inggris boleh sebagai tambahan.", "The product name on the label is in English only. "
                "Write it in Bahasa Indonesia; English may be added.", region=name)
    ing = ctx.region("ingredients")
    english = english_only_parts(ing.text, n) if ing is not None else []
    if english:
        ctx.add("LANG-01", "Bahan hanya dalam bahasa Inggris: " + ", ".join(english) + ". Tulis nama "
                "Indonesianya.", "Ingredients in English only: " + ", ".join(english) + ". Write their "
                "Indonesian names.", region=ing)
