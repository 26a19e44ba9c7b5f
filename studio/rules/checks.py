"""The data checks behind :func:`studio.rules.findings.data_findings`, one function per topic."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from .allergens import GROUPS, detect_allergens, exempt_ingredients, is_exemptable
from .dates import best_before, validate_production_code
from .errors import RuleError
from .identifiers import parse_pirt, validate_halal_cert
from .kinds import CATEGORY_FOOD_CODES, PIRT_PACKAGING_DIGIT, HalalStatus, PhysicalState, ProductClass
from .lexicon import (ADDITIVE_CLASS_WORDS, ADDITIVES, BRAND_FORBIDDEN, COLD_STORAGE, PORK_WORDS,
                      SWEETENERS, VITAMIN_MINERAL, find_claims, find_words, is_english_only)
from .nutrition import ing_required, parse_per100
from .numbers import format_date_id, format_decimal_id
from .quantity import count_only_allowed, state_unit_mismatch
from .ruleset import Collector
from .settings import RuleSettings

E, W, I = "ERROR", "WARNING", "INFO"


def check_brand(out: Collector, clean: dict) -> None:
    bad = find_words(clean.get("brand", ""), BRAND_FORBIDDEN)
    if bad:
        words = ", ".join(f'"{w}"' for w in bad)
        out.add("NAME-02", "brand", f"Merek tidak boleh memakai kata {words}. Ganti dengan nama lain.",
                f"A brand may not use the word(s) {words}. Choose another name.")


def check_language(out: Collector, clean: dict, regulated: bool) -> None:
    """LANG-01: the product name and the ingredient names are not written in English only."""
    n = out.settings.english_min_words
    name = clean.get("name", "")
    if name and is_english_only(name, n):
        out.add("LANG-01", "name",
                f'Nama produk "{name}" hanya dalam bahasa Inggris. Tulis nama jenisnya dalam Bahasa '
                "Indonesia (contoh: Keripik Pisang); bahasa Inggris boleh sebagai tambahan.",
                f'The product name "{name}" is in English only. Write what it is in Bahasa Indonesia '
                "(e.g. Keripik Pisang); English may be added.")
    if not regulated:
        return
    english = [i["name"] for i in clean.get("ingredients") or [] if is_english_only(i["name"], n)]
    if english:
        names = ", ".join(english)
        out.add("LANG-01", "ingredients",
                f"Bahan ini hanya dalam bahasa Inggris: {names}. Tulis nama Indonesianya (contoh: tepung "
                "terigu, minyak sawit); bahasa Inggris boleh di dalam kurung.",
                f"These ingredients are in English only: {names}. Write their Indonesian names (e.g. "
                "tepung terigu, minyak sawit); English may follow in brackets.")


def check_permit(out: Collector, clean: dict, cls: str, today: date, settings: RuleSettings,
            regency_code: str | None) -> None:
    need = {ProductClass.PANGAN_PIRT: ("pirt_number", "P-IRT", ("PIRT",)),
            ProductClass.PANGAN_BPOM: ("bpom_number", "BPOM RI MD/ML", ("MD", "ML")),
            ProductClass.OBAT_TRADISIONAL: ("pom_tr_number", "POM TR", ("POM_TR",))}[cls]
    field, name, types = need
    if not clean.get(field):
        out.add("PERMIT-01", field, f"Isi nomor izin edar {name} dari sertifikat Anda.",
                f"Enter the {name} permit number from your certificate.", missing=True)
    ptype = clean.get("permit_type")
    if ptype and ptype not in types:
        out.add("PERMIT-01", "permit_type", f"Jenis izin harus {name} untuk jenis produk ini.",
                f"The permit type must be {name} for this kind of product.", severity=E)
    if cls == ProductClass.OBAT_TRADISIONAL and clean.get("pirt_number"):
        out.add("PERMIT-03", "pirt_number",
                "Jamu yang memakai klaim khasiat harus punya izin POM TR, bukan P-IRT.",
                "Jamu with efficacy claims needs a POM TR registration, not a P-IRT.")
    if cls != ProductClass.PANGAN_PIRT:
        return
    if clean.get("pirt_number"):
        try:
            info = parse_pirt(clean["pirt_number"], today, settings, regency_code=regency_code)
        except RuleError as e:
            out.add("PERMIT-02", "pirt_number", e.msg.id, e.msg.en, severity=E)
        else:
            out.extend("PERMIT-02", [f.with_severity(W) for f in info.warnings])
            mat = clean.get("packaging_material")
            if mat and PIRT_PACKAGING_DIGIT.get(mat) != info.packaging_code:
                out.add("PERMIT-02", "packaging_material",
                        f"Angka pertama P-IRT ({info.packaging_code} = {info.packaging}) tidak cocok "
                        f"dengan kemasan yang Anda pilih ({mat}). Pilih kemasan sesuai sertifikat, "
                        "atau urus P-IRT baru jika kemasan berubah.",
                        f"The first P-IRT digit ({info.packaging_code} = {info.packaging}) does not match "
                        f"the packaging you chose ({mat}). Choose the certified packaging, or apply "
                        "for a new P-IRT if the packaging changed.", severity=W)
            code = clean.get("pirt_food_code")
            if code and code != info.food_code:
                out.add("PERMIT-02", "pirt_food_code",
                        f"Kode jenis pangan ({code}) tidak sama dengan angka ke-2 dan ke-3 nomor P-IRT "
                        f"({info.food_code}). Samakan dengan sertifikat.",
                        f"The food-type code ({code}) differs from digits 2–3 of the P-IRT number "
                        f"({info.food_code}). Use the code on the certificate.", severity=W)
            allowed = CATEGORY_FOOD_CODES.get(clean.get("category"))
            if allowed and info.food_code not in allowed:
                out.add("PERMIT-02", "pirt_number",
                        f"Kode jenis pangan P-IRT ({info.food_code}) tidak biasa untuk kategori "
                        f"{clean['category']}. Pastikan P-IRT ini memang untuk produk ini.",
                        f"The P-IRT food-type code ({info.food_code}) is unusual for category "
                        f"{clean['category']}. Make sure this P-IRT is for this product.", severity=W)
    shelf = clean.get("shelf_life_days")
    if shelf is not None and shelf <= settings.pirt_min_shelf_life_days:
        out.add("PERMIT-03", "shelf_life_days",
                f"Produk P-IRT harus tahan lebih dari {settings.pirt_min_shelf_life_days} hari. "
                "Untuk umur simpan sependek ini tanyakan izin yang tepat ke Dinas Kesehatan.",
                f"A P-IRT product must keep for more than {settings.pirt_min_shelf_life_days} days. "
                "For a shelf life this short, ask the health office which permit applies.")
    if clean.get("claims"):
        out.add("PERMIT-03", "claims",
                "Produk P-IRT tidak boleh memakai klaim (misalnya 'tinggi protein', 'menambah "
                "stamina'). Hapus klaimnya.",
                "P-IRT products may not carry claims (such as 'high protein', 'boosts stamina'). "
                "Remove the claims.")
    if clean.get("alcohol_pct"):
        out.add("PERMIT-03", "alcohol_pct", "Minuman/pangan beralkohol tidak bisa memakai P-IRT.",
                "Food or drink with alcohol cannot use a P-IRT.")
    if COLD_STORAGE.search(clean.get("storage_instructions", "")):
        out.add("PERMIT-03", "storage_instructions",
                "Pangan yang harus disimpan dingin atau beku tidak bisa memakai P-IRT. Periksa cara "
                "penyimpanan, atau tanyakan izin yang tepat ke Dinas Kesehatan.",
                "Food that must be kept chilled or frozen cannot use a P-IRT. Check the storage "
                "text, or ask the health office which permit applies.", severity=W)


def check_ingredients(out: Collector, clean: dict) -> None:
    items = clean.get("ingredients") or []
    if not items:
        out.add("ING-01", "ingredients", "Tulis daftar bahan (komposisi), dari yang paling banyak.",
                "List the ingredients, the largest amount first.", missing=True)
        return
    last: Decimal | None = None
    for n, item in enumerate(items, 1):
        pct = item.get("pct")
        if pct is None or VITAMIN_MINERAL.match(item["name"]):
            continue
        if last is not None and pct > last:
            out.add("ING-02", "ingredients",
                    f"Bahan ke-{n} ({item['name']}, {format_decimal_id(pct)}%) lebih banyak dari bahan "
                    "sebelumnya. Urutkan bahan dari yang paling banyak.",
                    f"Ingredient {n} ({item['name']}, {format_decimal_id(pct)}%) is more than the one "
                    "before. Order ingredients from the largest amount.")
            break
        last = pct
    pcts = [i["pct"] for i in items if i.get("pct") is not None]
    if pcts and len(pcts) == len(items):
        total = sum(pcts)
        if total < 100 - out.settings.ingredient_sum_tolerance_pct:
            out.add("ING-02", "ingredients",
                    f"Jumlah persentase bahan {format_decimal_id(total)}%, seharusnya 100%. "
                    "Periksa lagi angkanya.",
                    f"The ingredient percentages add up to {format_decimal_id(total)}%, not 100%. "
                    "Check the numbers.", severity=W)
    for item in items:
        name = item["name"].lower()
        for additive in find_words(name, list(ADDITIVES)):
            if not find_words(name, ADDITIVE_CLASS_WORDS):
                right = f"{ADDITIVES[additive]} {additive}"
                out.add("ING-03", "ingredients",
                        f'Bahan tambahan "{item["name"]}" ditulis dengan golongannya, contoh: {right}.',
                        f'Write the additive "{item["name"]}" with its class, e.g. {right}.')
    name_words = {w for w in str(clean.get("name", "")).lower().split() if len(w) >= 4}
    if len(items) > 1:
        for item in items:
            if item.get("pct") is None and set(item["name"].lower().split()) & name_words:
                out.add("ING-04", "ingredients",
                        f'"{item["name"]}" disebut di nama produk. Tulis persentasenya, contoh: '
                        f'{item["name"]} (60%).',
                        f'"{item["name"]}" is named in the product name. Give its percentage, e.g. '
                        f'{item["name"]} (60%).')
    patterns = out.settings.allergen_exempt_patterns
    exempt = exempt_ingredients(clean, patterns)
    names = {i["name"].strip().lower(): i["name"] for i in items}
    for marked in clean.get("allergen_exempt") or ():
        name = names.get(str(marked).strip().lower())
        if name is None:
            out.add("ALG-01", "allergen_exempt",
                    f'"{marked}" tidak ada di komposisi. Tulis nama bahan persis seperti di daftar bahan.',
                    f'"{marked}" is not in the ingredient list. Write the name exactly as in the list.',
                    severity=W)
        elif not is_exemptable(name, patterns):
            out.add("ALG-01", "allergen_exempt",
                    f'"{name}" tidak bisa dibebaskan dari pernyataan alergen. Hanya bahan yang sangat '
                    "dimurnikan, seperti minyak kedelai murni (refined), yang dikecualikan.",
                    f'"{name}" cannot be exempt from the allergen statement. Only highly refined '
                    "ingredients, such as refined soybean oil (minyak kedelai murni), are exempt.")
    found = detect_allergens(i["name"] for i in items if i["name"] not in exempt)
    confirmed = set(clean.get("allergens_confirmed") or ())
    for group, found_names in found.items():
        if group not in confirmed:
            hint_id = hint_en = ""
            refined = [n for n in found_names if is_exemptable(n, patterns)]
            if refined:
                hint_id = (f" Jika {refined[0]} memang dimurnikan (refined), tandai sebagai bahan murni "
                           "yang bebas alergen.")
                hint_en = (f" If {refined[0]} is highly refined, mark it as a refined ingredient exempt "
                           "from allergens.")
            out.add("ALG-01", "allergens_confirmed",
                    f"Bahan {', '.join(found_names)} mengandung alergen {GROUPS[group][0]}. Centang alergen "
                    "ini; label akan mencetaknya tebal." + hint_id,
                    f"{', '.join(found_names)} contains the allergen {GROUPS[group][1]}. Tick this allergen; "
                    "the label will print it in bold." + hint_en)


def check_dates(out: Collector, clean: dict, batch: dict | None, today: date) -> None:
    shelf = clean.get("shelf_life_days")
    if shelf is None:
        out.add("DATE-04", "shelf_life_days", "Isi umur simpan dalam hari, contoh: 90.",
                "Enter the shelf life in days, e.g. 90.", missing=True)
    if not batch:
        return
    made = batch.get("production_date")
    if isinstance(made, date) and made > today:
        out.add("DATE-04", "production_date",
                f"Tanggal produksi {format_date_id(made)} belum lewat. Isi tanggal saat barang dibuat.",
                f"The production date {format_date_id(made)} is in the future. Enter the day it was made.")
    bb = batch.get("best_before")
    if isinstance(made, date) and isinstance(bb, date):
        if bb <= made:
            out.add("DATE-04", "best_before", "Tanggal kedaluwarsa harus sesudah tanggal produksi.",
                    "The best-before date must be after the production date.")
        elif shelf and bb != best_before(made, shelf):
            right = format_date_id(best_before(made, shelf))
            out.add("DATE-04", "best_before",
                    f"Tanggal kedaluwarsa harus {right} (tanggal produksi + {shelf} hari).",
                    f"The best-before date must be {right} (production date + {shelf} days).")
    try:
        validate_production_code(batch.get("production_code"))
    except RuleError as e:
        out.add("DATE-01", "production_code", e.msg.id, e.msg.en)


def check_warnings(out: Collector, clean: dict) -> None:
    names = " , ".join(i["name"] for i in clean.get("ingredients") or [])
    sweet = find_words(names, SWEETENERS)
    if sweet and not clean.get("sweeteners"):
        out.add("WARN-01", "sweeteners",
                f"Bahan memuat pemanis buatan ({', '.join(sweet)}). Isi kolom pemanis buatan agar "
                "peringatannya tercetak di label.",
                f"The ingredients include an artificial sweetener ({', '.join(sweet)}). Fill in the "
                "sweetener field so the warning is printed.")
    pork = find_words(names, PORK_WORDS)
    if pork and not clean.get("contains_pork"):
        out.add("WARN-01", "contains_pork",
                f"Bahan memuat babi ({', '.join(pork)}). Centang 'mengandung babi' agar tulisan "
                "MENGANDUNG BABI tercetak.",
                f"The ingredients include pork ({', '.join(pork)}). Tick 'contains pork' so MENGANDUNG "
                "BABI is printed.")
    if (clean.get("contains_pork") or pork) and clean.get("halal_status") == HalalStatus.CERTIFIED:
        out.add("HALAL-05", "halal_status",
                "Produk yang mengandung babi tidak boleh memakai label halal. Ubah status halal.",
                "A product with pork may not carry the halal label. Change the halal status.")


def check_quantity(out: Collector, clean: dict) -> None:
    nq = clean.get("net_quantity")
    state = clean.get("physical_state")
    if nq is None:
        out.add("NET-01", "net_quantity", "Isi berat bersih atau isi bersih, contoh: 250 g.",
                "Enter the net weight or volume, e.g. 250 g.", missing=True)
    elif not nq.has_amount and not count_only_allowed(clean.get("product_class"), out.settings):
        example = f"{nq.count} {nq.unit}" if nq.is_count else "10 pcs"
        out.add("NET-01", "net_quantity",
                "Produk ini wajib mencantumkan berat atau isi bersih, bukan jumlah atau ukuran saja. Tulis "
                f"jumlah dan berat tiap buah, contoh: Isi {example} @ 20 g.",
                "This product must state the net weight or volume, not only a count or size. Write the count "
                f"and the weight of each, e.g. Isi {example} @ 20 g.")
    elif state_unit_mismatch(nq, state):
        out.add("NET-02", "net_quantity",
                "Produk padat ditulis Berat Bersih dalam g/kg; cairan ditulis Isi Bersih dalam ml/L. "
                "Periksa satuan atau wujud produk.",
                "Solids use Berat Bersih in g/kg; liquids use Isi Bersih in ml/L. Check the unit or "
                "the physical state.", severity=W)                   # the record may still be right
    if state == PhysicalState.PADAT_DALAM_CAIRAN:
        dw = clean.get("drained_weight_g")
        if not dw:
            out.add("NET-04", "drained_weight_g",
                    "Produk padat dalam cairan perlu bobot tuntas (berat isi tanpa cairan), contoh: 150 g.",
                    "Solids in a liquid need the drained weight (without the liquid), e.g. 150 g.",
                    missing=True)
        elif nq is not None and nq.is_mass and dw > nq.base_value:
            out.add("NET-04", "drained_weight_g", "Bobot tuntas tidak boleh lebih besar dari berat bersih.",
                    "The drained weight cannot be more than the net weight.", severity=E)


def check_halal(out: Collector, clean: dict, cls: str, today: date, settings: RuleSettings) -> None:
    status = clean.get("halal_status")
    number = clean.get("halal_cert_number")
    if cls in settings.halal_required_classes and status != HalalStatus.CERTIFIED \
            and status != HalalStatus.NOT_HALAL:
        deadline = format_date_id(settings.halal_deadline)
        if today > settings.halal_deadline:
            out.add("HALAL-01", "halal_status",
                    f"Sejak {deadline} makanan dan minuman UMK wajib bersertifikat halal (atau "
                    "dinyatakan tidak halal). Selesaikan sertifikasi halal, lalu isi nomornya.",
                    f"Since {deadline} small-business food and drink must be halal-certified (or "
                    "declared not halal). Finish the certification, then enter its number.",
                    missing=status is None)
        else:
            out.add("HALAL-01", "halal_status",
                    f"Mulai {deadline} produk Anda wajib bersertifikat halal. Mulai urus sekarang.",
                    f"From {deadline} your product must be halal-certified. Start now.",
                    severity=I, missing=status is None)
    if status == HalalStatus.CERTIFIED and not number:
        out.add("HALAL-03", "halal_cert_number",
                "Isi nomor sertifikat halal (diawali ID); nomor ini dicetak di samping logo halal.",
                "Enter the halal certificate number (starting with ID); it is printed next to the "
                "halal logo.", missing=True)
    if number:
        try:
            validate_halal_cert(number, settings)
        except RuleError as e:
            out.add("HALAL-03", "halal_cert_number", e.msg.id, e.msg.en)
        if status != HalalStatus.CERTIFIED:
            out.add("HALAL-03", "halal_status",
                    "Ada nomor sertifikat halal, tetapi status halal belum 'bersertifikat'. "
                    "Perbaiki statusnya atau hapus nomornya.",
                    "There is a halal certificate number but the status is not 'certified'. Fix the "
                    "status or remove the number.", severity=W)


def check_nutrition(out: Collector, clean: dict, cls: str, settings: RuleSettings) -> None:
    nut = clean.get("nutrition")
    category = clean.get("category")
    if ing_required(cls, category, settings) and not nut:
        out.add("NUT-01", "nutrition",
                "Produk ini wajib Informasi Nilai Gizi. Isi angka gizi per 100 g dan takaran saji "
                "(boleh dari tabel UMK atau hasil lab).",
                "This product needs nutrition facts. Enter the values per 100 g and the serving size "
                "(from the UMK table or a lab report).", missing=True)
    elif category == "sambal" and not nut and "sambal" in settings.ing_exempt_categories and cls:
        out.add("NUT-01", "nutrition",
                "Sambal kami anggap bumbu/kondimen yang bebas ING; aturan ini belum pasti. Tanyakan "
                "ke pendamping.",
                "We treat sambal as a condiment exempt from nutrition facts; this is not certain. "
                "Ask your trainer.", severity=I)
    if not nut:
        return
    _, errors = parse_per100(nut.get("per100") or {})
    for key, msg in errors.items():
        out.add("NUT-02", f"nutrition.{key}", msg.id, msg.en)
    if not nut.get("serving_size_g"):
        out.add("NUT-02", "nutrition.serving_size_g", "Isi takaran saji dalam gram, contoh: 25.",
                "Enter the serving size in grams, e.g. 25.")
    nq = clean.get("net_quantity")
    pack = nut.get("pack_size_g")
    if pack and nq is not None and nq.has_amount and pack != nq.base_value:
        out.add("NUT-02", "nutrition.pack_size_g",
                f"Isi kemasan untuk gizi ({format_decimal_id(pack)} g) berbeda dengan berat bersih "
                f"({nq.text}). Samakan.",
                f"The pack size used for nutrition ({format_decimal_id(pack)} g) differs from the net "
                f"quantity ({nq.text}). Make them the same.", severity=W)


def check_storage(out: Collector, clean: dict) -> None:
    if not clean.get("storage_instructions"):
        out.add("STOR-01", "storage_instructions",
                "Tulis cara penyimpanan, contoh: Simpan di tempat kering dan sejuk.",
                "Write how to store it, e.g. Simpan di tempat kering dan sejuk.", missing=True)
    multi = (clean.get("units_per_pack") or 1) > 1
    nut = clean.get("nutrition") or {}
    nq = clean.get("net_quantity")
    if nq is not None and nq.has_amount:
        multi = multi or (nq.count or 1) > 1
        if nut.get("serving_size_g"):
            multi = multi or nq.base_value > nut["serving_size_g"]
    if multi and not clean.get("storage_after_opening"):
        out.add("STOR-01", "storage_after_opening",
                "Kemasan ini untuk beberapa kali makan. Tulis cara simpan setelah dibuka, contoh: "
                "Setelah dibuka, simpan dalam wadah tertutup.",
                "This pack holds several servings. Write how to store it after opening, e.g. "
                "Setelah dibuka, simpan dalam wadah tertutup.", missing=True)


def check_claims(out: Collector, clean: dict, cls: str) -> None:
    severity = E if cls == ProductClass.PANGAN_PIRT else W
    for field in ("name", "brand", "variant", "description"):
        for claim in find_claims(clean.get(field, "")):
            out.add("CLAIM-01", field,
                    f'"{claim}" adalah klaim. Produk P-IRT tidak boleh memakai klaim; klaim pada izin '
                    "BPOM harus disetujui BPOM. Hapus kata ini.",
                    f'"{claim}" is a claim. P-IRT products may not carry claims; claims under a BPOM '
                    "permit need BPOM approval. Remove it.", severity=severity)
