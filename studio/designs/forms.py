"""Form shapes for the label designer and the stock/halal-logo admin pages (policy is in services)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField,
                     SelectMultipleField, StringField, SubmitField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..forms import FiniteDecimalField, StudioForm

IMAGE_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif"]
_HEX = Regexp(r"^#[0-9A-Fa-f]{6}$", message=_l("Warna harus seperti #1A2B3C."))

# Optional fields the producer can switch on or off (DesignOptions booleans), in form order.
FIELD_SWITCHES = (
    ("show_photo", _l("Foto produk")), ("show_logo", _l("Logo usaha")), ("show_qr", _l("Kode QR ke katalog")),
    ("show_ean", _l("Barcode EAN-13")), ("show_price", _l("Harga")),
    ("show_ingredients", _l("Komposisi dan alergen")), ("show_storage", _l("Cara penyimpanan")),
    ("show_nutrition", _l("Informasi Nilai Gizi")), ("show_halal", _l("Nomor halal")),
    ("halal_logo", _l("Logo halal resmi")), ("expiry_box", _l("Kotak untuk cap kode produksi dan tanggal")),
)


class DesignActionForm(StudioForm):
    """One POST of the designer: ``action`` says which part changed; the other fields are optional."""

    action = HiddenField(validators=[DataRequired()])
    layout_id = RadioField(_l("Ukuran label"), choices=[], validate_choice=False, validators=[Optional()])
    # "single" or a label set ("front_back"): checked by the service (start_design / update_design)
    label_set = RadioField(_l("Jenis label"), choices=[], validate_choice=False, validators=[Optional()])
    style_id = RadioField(_l("Gaya desain"), choices=[], validate_choice=False, validators=[Optional()])
    preset = RadioField(_l("Warna"), choices=[], validate_choice=False, validators=[Optional()])
    primary = StringField(_l("Warna utama"), validators=[Optional(), _HEX])
    accent = StringField(_l("Warna aksen"), validators=[Optional(), _HEX])
    text = StringField(_l("Warna tulisan"), validators=[Optional(), _HEX])
    pairing = RadioField(_l("Pasangan huruf"), choices=[], validate_choice=False, validators=[Optional()])
    tag = SelectField(_l("Elemen"), choices=[], validate_choice=False, validators=[Optional()])
    x_mm = FiniteDecimalField(_l("Kiri (mm)"), places=1, validators=[Optional(), NumberRange(min=0, max=500)])
    y_mm = FiniteDecimalField(_l("Atas (mm)"), places=1, validators=[Optional(), NumberRange(min=0, max=500)])
    w_mm = FiniteDecimalField(_l("Lebar (mm)"), places=1, validators=[Optional(), NumberRange(min=2, max=500)])
    h_mm = FiniteDecimalField(_l("Tinggi (mm)"), places=1, validators=[Optional(), NumberRange(min=2, max=500)])
    nudge = StringField(validators=[Optional(), Regexp(r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$")])


for _name, _label in FIELD_SWITCHES:
    setattr(DesignActionForm, _name, BooleanField(_label))


class SheetForm(StudioForm):
    """Sheet PDF download (GET): how many labels and where to start on a used sheet (1-based)."""

    class Meta:
        csrf = False

    copies = IntegerField(_l("Jumlah label"), default=21, validators=[DataRequired(), NumberRange(min=1, max=5000)])
    first = IntegerField(_l("Mulai dari label ke-"), default=1, validators=[Optional(), NumberRange(min=1, max=500)])


class LogoForm(StudioForm):
    file = FileField(_l("Logo usaha (JPG, PNG, WebP)"),
                     validators=[FileRequired(_l("Pilih berkas logo.")), FileAllowed(IMAGE_TYPES)])


class HalalLogoForm(StudioForm):
    file = FileField(_l("Berkas Label Halal Indonesia resmi"),
                     validators=[FileRequired(_l("Pilih berkas logo.")), FileAllowed(IMAGE_TYPES)])
    confirm = BooleanField(_l("Saya mengunggah berkas resmi dari BPJPH (halal.go.id), tanpa diubah."),
                           validators=[DataRequired(_l("Centang pernyataan ini."))])


class StockForm(StudioForm):
    """A sheet measured with a ruler at the hub (mm)."""

    correct_id = SelectField(_l("Memperbaiki stok"), choices=[], validate_choice=False, validators=[Optional()])
    name = StringField(_l("Nama stok"), validators=[DataRequired(), Length(max=100)])
    shape = SelectField(_l("Bentuk label"), choices=[("rect", _l("Persegi")), ("circle", _l("Bulat")),
                                                     ("ellipse", _l("Oval"))])
    kind = SelectField(_l("Jenis"), choices=[("sheet", _l("Lembar berpotongan")),
                                             ("nup", _l("Kertas stiker utuh (gunting sendiri)")),
                                             ("roll", _l("Rol printer termal"))])
    paper_w_mm = FiniteDecimalField(_l("Lebar kertas (mm)"), places=2, validators=[DataRequired(), NumberRange(min=10, max=500)])
    paper_h_mm = FiniteDecimalField(_l("Tinggi kertas (mm)"), places=2, validators=[DataRequired(), NumberRange(min=10, max=1000)])
    label_w_mm = FiniteDecimalField(_l("Lebar label (mm)"), places=2, validators=[DataRequired(), NumberRange(min=5, max=500)])
    label_h_mm = FiniteDecimalField(_l("Tinggi label (mm)"), places=2, validators=[DataRequired(), NumberRange(min=5, max=1000)])
    columns = IntegerField(_l("Jumlah kolom"), validators=[DataRequired(), NumberRange(min=1, max=30)])
    rows = IntegerField(_l("Jumlah baris"), validators=[DataRequired(), NumberRange(min=1, max=60)])
    left_mm = FiniteDecimalField(_l("Jarak tepi kiri ke label pertama (mm)"), places=2,
                           validators=[Optional(), NumberRange(min=0, max=500)], default=0)
    top_mm = FiniteDecimalField(_l("Jarak tepi atas ke label pertama (mm)"), places=2,
                          validators=[Optional(), NumberRange(min=0, max=1000)], default=0)
    step_x_mm = FiniteDecimalField(_l("Jarak kiri label ke kiri label sebelahnya (mm)"), places=2,
                             validators=[DataRequired(), NumberRange(min=5, max=500)])
    step_y_mm = FiniteDecimalField(_l("Jarak atas label ke atas label di bawahnya (mm)"), places=2,
                             validators=[DataRequired(), NumberRange(min=5, max=1000)])
    corner_radius_mm = FiniteDecimalField(_l("Jari-jari sudut (mm)"), places=2, default=0,
                                    validators=[Optional(), NumberRange(min=0, max=100)])
    safe_margin_mm = FiniteDecimalField(_l("Batas aman dari tepi label (mm)"), places=2, default=1.5,
                                  validators=[Optional(), NumberRange(min=0, max=20)])


class StockOfferForm(StudioForm):
    """The stock the hub keeps or prints: one tick per stock (the stock table's boxes)."""

    layout_ids = SelectMultipleField(_l("Stok yang ada di hub"), choices=[], validate_choice=False)
    save = SubmitField(_l("Simpan stok yang ada di hub"))
    reset = SubmitField(_l("Kembali ke bawaan (semua stok terukur)"))
