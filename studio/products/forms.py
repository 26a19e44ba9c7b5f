"""The product-data form, shown one section per screen, and the import upload form.

Every field is text (or a choice): the rules module reads Indonesian input ("1,5 kg",
"Rp12.500"), so the browser must not reject or reformat anything. Field names are the record
keys; the nutrition fields are ``nut_<key>`` because WTForms names cannot hold a dot.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import StudioForm
from ..rules.allergens import GROUPS
from ..rules.kinds import PIRT_FOOD_CODES
from .sections import CHOICES, LABELS

SHORT_MAX = 300      # one-line fields: long enough to paste anything sensible, short enough to store
LONG_MAX = 6000      # descriptions and ingredient lists


def field_name(key: str) -> str:
    """Form field name of a record key ("nutrition.fat" → "nut_fat")."""
    return "nut_" + key.split(".", 1)[1] if key.startswith("nutrition.") else key


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (big tap targets via product.css)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:  # unknown values are reported by the rules, not here
        pass


def _len(n: int):
    return Length(max=n, message=_l("Terlalu panjang: paling banyak %(max)d huruf.", max=n))


def _text(key: str, hint=None, n: int = SHORT_MAX) -> StringField:
    return StringField(LABELS[key], validators=[_len(n)], description=hint)


def _area(key: str, hint=None, n: int = LONG_MAX) -> TextAreaField:
    return TextAreaField(LABELS[key], validators=[_len(n)], description=hint)


def _select(key: str, hint=None) -> SelectField:
    return SelectField(LABELS[key], choices=CHOICES[key], description=hint, validate_choice=False)


ALLERGEN_CHOICES = [(gid, names[0]) for gid, names in GROUPS.items()]
FOOD_CODE_CHOICES = [("", _l("— pilih —"))] + [(code, f"{code} – {name}") for code, name in PIRT_FOOD_CODES.items()]


class ProductDataForm(StudioForm):
    """All product-data fields; a view renders and reads only the fields of one section."""

    # 1 Nama & jenis
    product_class = RadioField(LABELS["product_class"], choices=CHOICES["product_class"], validate_choice=False)
    name = _text("name", _l("Nama jenisnya, contoh: Keripik Singkong Balado"))
    brand = _text("brand", _l("Contoh: Mbok Sri. Jangan pakai kata seperti \"sehat\" atau \"obat\"."))
    variant = _text("variant", _l("Contoh: Pedas Manis, Original"))
    category = _select("category")
    physical_state = _select("physical_state", _l("Menentukan tulisan \"Berat Bersih\" atau \"Isi Bersih\"."))
    # 2 Isi bersih
    net_quantity = _text("net_quantity", _l("Angka lalu satuan: 250 g, 1,5 kg, 500 ml atau 1 L. Dijual per "
                                            "buah: Isi 3 pcs, atau Isi 10 sachet @ 20 g. Kerajinan boleh "
                                            "ukurannya: 30 x 20 cm"))
    drained_weight_g = _text("drained_weight_g", _l("Hanya untuk produk padat dalam cairan: berat padatannya saja."))
    units_per_pack = _text("units_per_pack", _l("Jika isinya dihitung per buah, contoh: 10"))
    packaging_material = _select("packaging_material", _l("Bahan yang langsung menyentuh makanan."))
    # 3 Komposisi & alergen
    ingredients = _area("ingredients", _l("Satu bahan per baris, dari yang paling banyak. Tulis persen bahan "
                                          "utama, contoh: Singkong (70%)"))
    allergens_confirmed = MultiCheckboxField(LABELS["allergens_confirmed"], choices=ALLERGEN_CHOICES,
                                             description=_l("Centang semua yang ada. Alergen dicetak tebal di label."))
    allergen_exempt = _area("allergen_exempt", _l("Hanya bahan yang sangat dimurnikan, contoh: minyak kedelai "
                                                  "murni. Tulis persis seperti di komposisi; pastikan dari "
                                                  "keterangan pemasok."), 1000)
    may_contain = MultiCheckboxField(LABELS["may_contain"], choices=ALLERGEN_CHOICES,
                                     description=_l("Hanya jika alat atau dapur dipakai juga untuk bahan ini."))
    contains_pork = BooleanField(LABELS["contains_pork"])
    alcohol_pct = _text("alcohol_pct", _l("Kosongkan jika tidak ada alkohol."))
    sweeteners = _area("sweeteners", _l("Contoh: aspartam. Kosongkan jika tidak ada."), 1000)
    claims = _area("claims", _l("Contoh: tanpa pengawet. Produk P-IRT tidak boleh memakai klaim."), 1000)
    # 4 Izin
    pirt_number = _text("pirt_number", _l("15 angka dari sertifikat SPP-IRT, contoh: 2063517010012-29"))
    pirt_valid_until = _text("pirt_valid_until", _l("Tanggal di sertifikat SPP-IRT (hari-bulan-tahun), "
                                                    "contoh: 31-12-2029"))
    pirt_food_code = SelectField(LABELS["pirt_food_code"], choices=FOOD_CODE_CHOICES, validate_choice=False,
                                 description=_l("Angka ke-2 dan ke-3 nomor P-IRT."))
    bpom_number = _text("bpom_number", _l("Contoh: BPOM RI MD 123456789012"))
    pom_tr_number = _text("pom_tr_number", _l("Contoh: POM TR 123456789"))
    halal_status = _select("halal_status")
    halal_cert_number = _text("halal_cert_number", _l("Diawali ID lalu 17 angka, contoh: ID35110000123450824"))
    nib = _text("nib", _l("13 angka dari OSS (boleh dikosongkan)"))
    # 5 Simpan & kedaluwarsa
    shelf_life_days = _text("shelf_life_days", _l("Berapa hari produk tetap baik. Contoh: 90 (atau: 3 bulan)"))
    storage_instructions = _area("storage_instructions", _l("Contoh: Simpan di tempat sejuk dan kering."), 1000)
    storage_after_opening = _area("storage_after_opening", _l("Contoh: Tutup rapat setelah dibuka."), 1000)
    production_code_scheme = _text("production_code_scheme", _l("Cara Anda memberi kode tiap produksi, "
                                                                "contoh: YYMMDD-nn (261127-01)"))
    # 6 Gizi (per 100 g)
    nut_serving_size_g = _text("nutrition.serving_size_g", _l("Contoh: 30"))
    nut_urt = _text("nutrition.urt", _l("Contoh: 1 bungkus kecil, 2 sendok makan"))
    nut_fat = _text("nutrition.fat")
    nut_sat_fat = _text("nutrition.sat_fat")
    nut_protein = _text("nutrition.protein")
    nut_carb = _text("nutrition.carb")
    nut_sugar = _text("nutrition.sugar")
    nut_sodium_mg = _text("nutrition.sodium_mg")
    nut_source = _select("nutrition.source")
    # 7 Harga & kirim
    price_idr = _text("price_idr", _l("Contoh: Rp12.500 atau 12500"))
    stock = _text("stock", _l("Berapa bungkus siap dijual"))
    min_order = _text("min_order", _l("Biasanya 1"))
    shipping_weight_g = _text("shipping_weight_g", _l("Berat paket siap kirim dalam gram, termasuk kemasan. "
                                                      "Contoh: 300"))
    package_l_cm = _text("package_l_cm")
    package_w_cm = _text("package_w_cm")
    package_h_cm = _text("package_h_cm")
    description = _area("description", _l("Ceritakan rasa, bahan dan keunggulan produk. Jangan tulis nomor HP."))
    gtin = _text("gtin", _l("13 angka di bawah garis barcode, dari GS1 Indonesia"))
    sku = _text("sku", _l("Contoh: KRP-SGK-250"))

    def fill(self, values: dict[str, str]) -> None:
        """Show stored text (record keys) in the fields."""
        for key, text in values.items():
            name = field_name(key)
            if name not in self._fields:
                continue
            f = self[name]
            if isinstance(f, MultiCheckboxField):
                f.data = [v.strip() for v in str(text).replace(";", ",").split(",") if v.strip()]
            elif isinstance(f, BooleanField):
                f.data = str(text).strip().lower() in ("ya", "1", "true", "yes", "on")
            else:
                f.data = text

    def section_values(self, keys: list[str]) -> dict[str, str]:
        """The submitted text of the section's fields, by record key ("" for an emptied field)."""
        out: dict[str, str] = {}
        for key in keys:
            f = self[field_name(key)]
            if isinstance(f, MultiCheckboxField):
                out[key] = ", ".join(v for v in (f.data or []) if v)
            elif isinstance(f, BooleanField):
                out[key] = "ya" if f.data else ""
            else:
                out[key] = f.data or ""
        return out

    def validate_fields(self, keys: list[str]) -> bool:
        """Run the (length) validators of these fields only."""
        ok = True
        for key in keys:
            if not self[field_name(key)].validate(self):
                ok = False
        return ok


class ImportForm(StudioForm):
    """Upload a CSV or JSON file of a cohort's products."""

    file = FileField(_l("Berkas CSV atau JSON"), description=_l("Pakai templat CSV di bawah. Paling besar 2 MB."))
    owner_id = SelectField(_l("Semua baris untuk produsen"), coerce=str, validate_choice=False,
                           description=_l("Kosongkan jika berkas punya kolom owner (nama pengguna)."))
    dry_run = BooleanField(_l("Periksa saja, jangan simpan"))
