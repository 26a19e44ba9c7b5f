"""How the product record is split into short form sections, and which fields a product class uses.

The product class is chosen first and decides what is asked: crafts get no ingredients, food
permits or nutrition. Field keys are the record keys of :mod:`studio.rules.product` (nutrition
values as dotted keys, "nutrition.fat"), plus two record extras this layer checks itself
(``nib``, ``pirt_valid_until``; see :mod:`studio.products.data`).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..rules.product import FIELDS

PIRT = frozenset({"pangan_pirt"})
BPOM = frozenset({"pangan_bpom"})
JAMU = frozenset({"obat_tradisional"})
FOOD = PIRT | BPOM
REGULATED = FOOD | JAMU
ALL = REGULATED | {"kerajinan", "lainnya"}

NUTRITION_KEYS = ("nutrition.serving_size_g", "nutrition.urt", "nutrition.fat", "nutrition.sat_fat",
                  "nutrition.protein", "nutrition.carb", "nutrition.sugar", "nutrition.sodium_mg",
                  "nutrition.source")

#: Product classes that use each field (anything not listed: every class).
FIELD_CLASSES: dict[str, frozenset[str]] = {
    "physical_state": FOOD, "drained_weight_g": FOOD, "packaging_material": PIRT,
    "ingredients": REGULATED, "allergens_confirmed": REGULATED, "allergen_exempt": REGULATED,
    "may_contain": REGULATED,
    "contains_pork": REGULATED, "alcohol_pct": REGULATED, "sweeteners": FOOD, "claims": REGULATED,
    "pirt_number": PIRT, "pirt_valid_until": PIRT, "pirt_food_code": PIRT, "bpom_number": BPOM,
    "pom_tr_number": JAMU, "halal_status": REGULATED, "halal_cert_number": REGULATED,
    "shelf_life_days": REGULATED, "storage_instructions": REGULATED,
    "storage_after_opening": REGULATED, "production_code_scheme": REGULATED,
    **{k: FOOD for k in NUTRITION_KEYS},
}


@dataclass(frozen=True)
class Section:
    """One screen of the product form."""

    number: int
    key: str
    title: object          # lazy string
    intro: object          # lazy string: one sentence saying what this screen is for
    fields: tuple[str, ...]
    optional: bool = False

    def fields_for(self, product_class: str | None) -> list[str]:
        """The fields of this section that ``product_class`` uses."""
        return [f for f in self.fields if uses_field(product_class, f)]


SECTIONS: tuple[Section, ...] = (
    Section(1, "nama", _l("Nama & jenis"), _l("Apa produk Anda? Jenis produk menentukan isian berikutnya."),
            ("product_class", "name", "brand", "variant", "category", "physical_state")),
    Section(2, "isi", _l("Isi bersih & harga"), _l("Berapa isi satu kemasan, dan berapa harganya?"),
            ("net_quantity", "price_idr", "drained_weight_g", "units_per_pack")),
    Section(3, "komposisi", _l("Komposisi & alergen"),
            _l("Tulis semua bahan, satu bahan per baris, mulai dari yang paling banyak."),
            ("ingredients", "allergens_confirmed", "allergen_exempt", "may_contain", "contains_pork", "alcohol_pct",
             "sweeteners", "claims")),
    Section(4, "izin", _l("Izin"), _l("Salin nomor izin persis seperti di sertifikat."),
            ("pirt_number", "pirt_valid_until", "pirt_food_code", "packaging_material", "bpom_number",
             "pom_tr_number", "halal_status", "halal_cert_number", "nib")),
    Section(5, "simpan", _l("Simpan & kedaluwarsa"),
            _l("Berapa lama produk tetap baik, dan bagaimana cara menyimpannya?"),
            ("shelf_life_days", "storage_instructions", "storage_after_opening", "production_code_scheme")),
    Section(6, "gizi", _l("Informasi gizi"),
            _l("Isi dari hasil uji lab atau tabel gizi dari pendamping. Energi dan %AKG dihitung otomatis. "
               "Wajib untuk makanan kemasan; jika produk Anda dikecualikan, bagian ini tidak tercantum "
               "sebagai kurang."),
            NUTRITION_KEYS, optional=True),
    Section(7, "jual", _l("Untuk katalog"),
            _l("Untuk katalog BLONJO: stok, berat kirim dan ukuran paket. Tidak perlu untuk label; boleh diisi nanti."),
            ("stock", "min_order", "shipping_weight_g", "package_l_cm", "package_w_cm",
             "package_h_cm", "description", "gtin", "sku")),
)

SECTION_BY_KEY = {s.key: s for s in SECTIONS}
SECTION_OF_FIELD = {f: s for s in SECTIONS for f in s.fields}
FORM_KEYS: tuple[str, ...] = tuple(f for s in SECTIONS for f in s.fields)

#: Producer-friendly labels (the rules' FIELDS labels are the fallback).
LABELS = {
    "product_class": _l("Jenis produk"), "name": _l("Nama produk"), "brand": _l("Merek"),
    "variant": _l("Varian (rasa atau ukuran)"), "category": _l("Kategori"),
    "physical_state": _l("Wujud produk"), "net_quantity": _l("Berat bersih atau isi bersih"),
    "drained_weight_g": _l("Bobot tuntas (g)"), "units_per_pack": _l("Isi per kemasan (buah)"),
    "packaging_material": _l("Bahan kemasan"), "ingredients": _l("Komposisi (bahan)"),
    "allergens_confirmed": _l("Alergen yang ada di produk"),
    "allergen_exempt": _l("Bahan murni yang bebas alergen"),
    "may_contain": _l("Mungkin tercampur (alat dipakai bersama)"), "contains_pork": _l("Mengandung babi"),
    "alcohol_pct": _l("Kadar alkohol (%)"), "sweeteners": _l("Pemanis buatan"), "claims": _l("Klaim"),
    "pirt_number": _l("Nomor P-IRT"), "pirt_valid_until": _l("SPP-IRT berlaku sampai"),
    "pirt_food_code": _l("Kode jenis pangan P-IRT"), "bpom_number": _l("Nomor BPOM RI MD/ML"),
    "pom_tr_number": _l("Nomor POM TR"), "halal_status": _l("Status halal"),
    "halal_cert_number": _l("Nomor sertifikat halal"), "nib": _l("NIB (Nomor Induk Berusaha)"),
    "shelf_life_days": _l("Umur simpan"), "storage_instructions": _l("Cara penyimpanan"),
    "storage_after_opening": _l("Penyimpanan setelah dibuka"),
    "production_code_scheme": _l("Pola kode produksi"), "nutrition": _l("Informasi Nilai Gizi"),
    "nutrition.serving_size_g": _l("Takaran saji (g)"), "nutrition.urt": _l("Takaran rumah tangga"),
    "nutrition.fat": _l("Lemak total per 100 g (g)"), "nutrition.sat_fat": _l("Lemak jenuh per 100 g (g)"),
    "nutrition.protein": _l("Protein per 100 g (g)"), "nutrition.carb": _l("Karbohidrat total per 100 g (g)"),
    "nutrition.sugar": _l("Gula per 100 g (g)"), "nutrition.sodium_mg": _l("Natrium per 100 g (mg)"),
    "nutrition.source": _l("Sumber angka gizi"), "price_idr": _l("Harga jual"), "stock": _l("Stok"),
    "min_order": _l("Minimal beli"), "shipping_weight_g": _l("Berat kirim (g)"),
    "package_l_cm": _l("Panjang paket (cm)"), "package_w_cm": _l("Lebar paket (cm)"),
    "package_h_cm": _l("Tinggi paket (cm)"), "description": _l("Deskripsi untuk katalog"),
    "gtin": _l("Nomor barcode EAN-13 (jika ada)"), "sku": _l("SKU (kode barang, jika ada)"),
}


def uses_field(product_class: str | None, key: str) -> bool:
    """Whether products of ``product_class`` use field ``key`` (unknown class: every field)."""
    classes = FIELD_CLASSES.get(key)
    return classes is None or product_class is None or product_class in classes


def sections_for(product_class: str | None) -> list[Section]:
    """The sections shown for a class (a section without any field for it is skipped)."""
    return [s for s in SECTIONS if s.fields_for(product_class)]


def field_label(key: str, locale: str = "id") -> str:
    """Display label of a record key, in the current language."""
    if key in LABELS:
        return str(LABELS[key])
    head = key.split(".", 1)[0]
    spec = FIELDS.get(head)
    if spec is not None:
        return spec.label_en if locale.startswith("en") else spec.label_id
    return key


#: Choice labels for the select/radio fields (value "" = not chosen).
CHOICES: dict[str, list[tuple[str, object]]] = {
    "product_class": [
        ("pangan_pirt", _l("Makanan/minuman rumahan (P-IRT)")),
        ("pangan_bpom", _l("Makanan/minuman BPOM (MD/ML)")),
        ("obat_tradisional", _l("Jamu/obat tradisional (POM TR)")),
        ("kerajinan", _l("Kerajinan/bukan makanan")),
        ("lainnya", _l("Lainnya (bukan makanan)")),
    ],
    "category": [
        ("", _l("— pilih —")), ("keripik", _l("Keripik/kerupuk")), ("kue_kering", _l("Kue kering")),
        ("kopi", _l("Kopi")), ("sambal", _l("Sambal")), ("madu", _l("Madu")),
        ("minuman_serbuk", _l("Minuman serbuk")), ("jamu", _l("Jamu")), ("kerajinan", _l("Kerajinan")),
        ("lainnya", _l("Lainnya")),
    ],
    "physical_state": [
        ("", _l("Otomatis dari kategori")), ("padat", _l("Padat (ditimbang: g/kg)")),
        ("cair", _l("Cair (ditakar: ml/L)")), ("semi_padat", _l("Kental/pasta (sambal, madu)")),
        ("padat_dalam_cairan", _l("Padat dalam cairan (acar, manisan)")),
    ],
    "packaging_material": [
        ("", _l("— pilih —")), ("plastik", _l("Plastik")), ("gelas", _l("Kaca/gelas")),
        ("karton_kertas", _l("Karton/kertas")), ("kaleng", _l("Kaleng")), ("alufoil", _l("Aluminium foil")),
        ("komposit", _l("Komposit")), ("ganda", _l("Ganda")), ("lain", _l("Lain-lain (mis. daun)")),
    ],
    "halal_status": [
        ("", _l("— pilih —")), ("certified", _l("Sudah bersertifikat halal")),
        ("in_process", _l("Sedang diurus")), ("not_halal", _l("Tidak halal")),
    ],
    "nutrition.source": [
        ("", _l("— pilih —")), ("lab", _l("Hasil uji laboratorium")),
        ("umk_default_table", _l("Tabel gizi dari pendamping")), ("calculated", _l("Dihitung dari resep")),
    ],
}


def choice_text(key: str, value: str) -> str:
    """The label of a stored choice value ("pangan_pirt" → "Makanan/minuman rumahan (P-IRT)")."""
    for v, label in CHOICES.get(key, ()):
        if v == value:
            return str(label)
    return value
