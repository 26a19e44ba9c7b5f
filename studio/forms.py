"""The base of every form in the studio: WTForms' own messages in the user's language.

WTForms words its built-in checks ("This field is required.", "Not a valid choice.", "Number must be
between 1 and 10000.") from its own catalogue, which has no Indonesian. A form whose field names its
own message is not affected; for the others these are the Indonesian words, and English (or any
language WTForms has) comes from WTForms' catalogue through Flask-WTF as before.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import DecimalField

# WTForms 3.x message ids (wtforms/locale/wtforms.pot) -> Indonesian, in the studio's plain words.
INDONESIAN = {
    "Invalid field name '%s'.": "Nama isian '%s' tidak dikenal.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be between %(min)d and %(max)d characters long.": "Isi antara %(min)d dan %(max)d huruf.",
    "Number must be at least %(min)s.": "Angka paling kecil %(min)s.",
    "Number must be at most %(max)s.": "Angka paling besar %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Isi angka antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "This field is required.": "Isian ini wajib diisi.",
    "Invalid input.": "Isian tidak sesuai.",
    "Invalid email address.": "Alamat email tidak sesuai.",
    "Invalid IP address.": "Alamat IP tidak sesuai.",
    "Invalid Mac address.": "Alamat MAC tidak sesuai.",
    "Invalid URL.": "Alamat web tidak sesuai.",
    "Invalid UUID.": "Kode UUID tidak sesuai.",
    "Invalid value, must be one of: %(values)s.": "Pilih salah satu: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Isian tidak boleh salah satu dari: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak bisa diubah.",
    "This field is disabled and cannot have a value.": "Isian ini tidak dipakai dan harus kosong.",
    "Invalid CSRF Token.": "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "CSRF token missing.": "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "CSRF failed.": "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "CSRF token expired.": "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sesuai.",
    "Choices cannot be None.": "Belum ada pilihan.",
    "Not a valid choice.": "Pilihan tidak sesuai.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Ada pilihan yang tidak sesuai.",
    "Not a valid datetime value.": "Isi tanggal dan jam yang benar.",
    "Not a valid date value.": "Isi tanggal yang benar.",
    "Not a valid time value.": "Isi jam yang benar.",
    "Not a valid week value.": "Isi minggu yang benar.",
    "Not a valid integer value.": "Isi angka bulat, misalnya 12.",
    "Not a valid decimal value.": "Isi angka, misalnya 12,5.",
    "Not a valid float value.": "Isi angka, misalnya 12,5.",
}
# (singular id, plural id) -> Indonesian (one form: Indonesian nouns do not change with the number).
INDONESIAN_PLURAL = {
    ("Field must be at least %(min)d character long.",
     "Field must be at least %(min)d characters long."): "Isi paling sedikit %(min)d huruf.",
    ("Field cannot be longer than %(max)d character.",
     "Field cannot be longer than %(max)d characters."): "Paling banyak %(max)d huruf.",
    ("Field must be exactly %(max)d character long.",
     "Field must be exactly %(max)d characters long."): "Isi tepat %(max)d huruf.",
    ("'%(value)s' is not a valid choice for this field.",
     "'%(value)s' are not valid choices for this field."): "'%(value)s' bukan pilihan yang tersedia.",
}


def _indonesian() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "id"


class StudioTranslations:
    """WTForms' translations object: Indonesian from the tables above, other languages from WTForms."""

    def gettext(self, string: str) -> str:
        if _indonesian():
            return INDONESIAN.get(string, string)
        return wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if _indonesian():
            return INDONESIAN_PLURAL.get((singular, plural), singular if n == 1 else plural)
        return wtforms_translations.ngettext(singular, plural, n)


TRANSLATIONS = StudioTranslations()


class StudioForm(FlaskForm):
    """A Flask-WTF form whose built-in messages follow the user's language (Indonesian first)."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


class FiniteDecimalField(DecimalField):
    """A :class:`wtforms.DecimalField` that refuses "nan", "sNaN" and "Infinity" like any other
    text that is not a number. ``Decimal`` reads them, and a range check then raises (a Decimal NaN
    cannot be compared) instead of refusing: a 500 for a typed word."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))
