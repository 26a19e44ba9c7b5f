"""Forms of the hub: the print job, printer profiles and calibration measurements (shape only)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField,
                     SubmitField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import StudioForm
from .geometry import RULER_HALF_MM


class MillimetreField(StringField):
    """A length in mm typed the Indonesian way ("0,8", "-0,5", "+1") or with a dot."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        raw = (self.data or "").strip().replace(" ", "").replace(",", ".").replace("−", "-")
        if not raw:
            self.data = None
            return
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():       # "nan", "inf": not a reading
            self.data = None
            raise ValueError(str(_l("Tulis angka dalam mm, contoh: 0,8 atau -0,5.")))
        self.data = float(number)

    def _value(self):
        if self.raw_data:        # a posted form shows what was typed ("0000" refused stays "0000")
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")


class DateIdField(DateField):
    """A date from the browser's date picker (ISO) or typed the Indonesian way ("27-11-2026",
    "27/11/2026", "27 Nov 2026"), as the product form reads it; refusals in plain Indonesian."""

    def process_formdata(self, valuelist):
        text = " ".join(v for v in valuelist if v).strip() if valuelist else ""
        if not text:
            self.data = None
            return
        from ..rules import RuleError
        from ..rules.dates import parse_date_id

        try:
            self.data = parse_date_id(text, field=self.name)
        except RuleError as e:
            self.data = None
            raise ValueError(e.msg.id if str(get_locale() or "id") == "id" else e.msg.en) from None


class JobForm(StudioForm):
    request_key = HiddenField()
    layout_id = SelectField(_l("Stok label"), validators=[DataRequired()])
    start_slot = IntegerField(_l("Mulai di label nomor"), default=1,
                              validators=[DataRequired(_l("Isi nomor label pertama.")), NumberRange(min=1)],
                              description=_l("Label yang sudah terpakai di lembar ini dilewati."))
    qty_mode = RadioField(_l("Hitung jumlah dalam"), choices=[("labels", _l("label")), ("sheets", _l("lembar penuh"))],
                          default="labels")
    quantity = IntegerField(_l("Jumlah"), default=21,
                            validators=[DataRequired(_l("Isi jumlahnya.")), NumberRange(min=1, max=10000)])
    batch_code = StringField(_l("Kode produksi"), validators=[Length(max=20)],
                             description=_l("Huruf besar, angka, - dan /. Contoh: 261127-01"))
    production_date = DateIdField(_l("Tanggal produksi"), validators=[Optional()])
    expiry_date = DateIdField(_l("Baik digunakan sebelum"), validators=[Optional()],
                            description=_l("Terisi dari umur simpan. Boleh lebih awal, tidak boleh lebih lambat."))
    printer_id = SelectField(_l("Printer"), coerce=int, default=0)
    submit = SubmitField(_l("Buat PDF untuk dicetak"))


class PrinterForm(StudioForm):
    name = StringField(_l("Nama printer"), validators=[DataRequired(_l("Isi nama printer.")), Length(max=80)],
                       description=_l("Contoh: Epson L3210 meja depan"))
    kind = SelectField(_l("Jenis"), choices=[("inkjet", _l("Inkjet (tinta)")), ("laser", _l("Laser")),
                                             ("thermal", _l("Termal (label rol)"))])
    dpi = IntegerField(_l("Resolusi (dpi)"), default=300, validators=[DataRequired(), NumberRange(min=72, max=2400)],
                       description=_l("Printer termal: 203 atau 300."))
    active = BooleanField(_l("Dipakai"), default=True)
    submit = SubmitField(_l("Simpan printer"))


def _span(form, field):
    if field.data is not None and not 10 <= field.data <= 1000:
        raise ValidationError(str(_l("Jarak antara 10 dan 1000 mm.")))


def _ruler(form, field):
    """A reading on the printed ruler (-4 … +4 mm): checked on its own field, so two wrong readings
    are both named at once."""
    if field.data is not None and abs(field.data) > RULER_HALF_MM + 1e-9:
        raise ValidationError(str(_l("Penggaris hanya dari -%(n)s sampai +%(n)s mm: baca lagi angka di garis potong.",
                                     n=f"{RULER_HALF_MM:g}")))


class CalibrationForm(StudioForm):
    printed_with = RadioField(_l("Halaman yang Anda ukur"), default="raw", choices=[
        ("raw", _l("Dicetak TANPA koreksi")), ("corrected", _l("Dicetak DENGAN koreksi sekarang"))])
    x_mm = MillimetreField(_l("Angka di penggaris A (kiri-kanan), mm"), validators=[InputRequired(_l("Isi angka A.")), _ruler],
                           description=_l("Angka tepat di garis potong kiri label 1. Contoh: 0,8 atau -0,5"))
    y_mm = MillimetreField(_l("Angka di penggaris B (atas-bawah), mm"), validators=[InputRequired(_l("Isi angka B.")), _ruler],
                           description=_l("Angka tepat di garis potong atas label 1."))
    span_x_mm = MillimetreField(_l("Jarak silang 1 ke silang C, mm (boleh kosong)"), validators=[_span])
    span_y_mm = MillimetreField(_l("Jarak silang 1 ke silang D, mm (boleh kosong)"), validators=[_span])
    submit = SubmitField(_l("Simpan koreksi"))


class ConfirmForm(StudioForm):
    submit = SubmitField(_l("Ya"))
