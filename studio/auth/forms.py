from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import StudioForm


class LoginForm(StudioForm):
    login = StringField(_l("Nama pengguna atau nomor HP"), validators=[DataRequired(_l("Isi nama pengguna atau nomor HP.")), Length(max=40)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi."))])
    submit = SubmitField(_l("Masuk"))


class UserForm(StudioForm):
    full_name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Isi nama lengkap.")), Length(max=100)])
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Isi nama pengguna.")), Length(min=3, max=40)],
                           description=_l("Huruf kecil tanpa spasi, contoh: bu.sri"))
    phone = StringField(_l("Nomor HP / WhatsApp"), validators=[Optional(), Length(max=20)])
    business_name = StringField(_l("Nama usaha (untuk produsen)"), validators=[Optional(), Length(max=100)])
    cohort_id = SelectField(_l("Pelatihan (untuk produsen)"), coerce=int, validate_choice=False,
                            description=_l("Produsen selalu masuk satu pelatihan sejak akunnya dibuat."))
    role = SelectField(_l("Peran"), choices=[("producer", _l("Produsen")), ("trainer", _l("Pendamping")),
                                             ("hub", _l("Operator hub")), ("admin", _l("Admin"))])
    password = PasswordField(_l("Kata sandi awal"), validators=[DataRequired(_l("Isi kata sandi.")), Length(min=8, max=128, message=_l("Kata sandi minimal 8 karakter."))])
    submit = SubmitField(_l("Buat akun"))


class ResetPasswordForm(StudioForm):
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Isi kata sandi.")), Length(min=8, max=128, message=_l("Kata sandi minimal 8 karakter."))])
    must_change = BooleanField(_l("Pemilik akun harus mengganti kata sandi ini saat masuk berikutnya"), default=True)
    submit = SubmitField(_l("Simpan kata sandi"))


class ChangePasswordForm(StudioForm):
    old_password = PasswordField(_l("Kata sandi lama"), validators=[DataRequired(_l("Isi kata sandi lama."))])
    new_password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Isi kata sandi baru.")), Length(min=8, max=128, message=_l("Kata sandi minimal 8 karakter."))])
    submit = SubmitField(_l("Ganti kata sandi"))


class ProfileForm(StudioForm):
    business_name = StringField(_l("Nama usaha"), validators=[DataRequired(_l("Isi nama usaha.")), Length(max=100)])
    owner_name = StringField(_l("Nama pemilik"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Alamat (jalan/dusun)"), validators=[Optional(), Length(max=200)])
    desa = StringField(_l("Desa"), validators=[Optional(), Length(max=60)])
    kecamatan = StringField(_l("Kecamatan"), validators=[Optional(), Length(max=60)])
    postal_code = StringField(_l("Kode pos"), validators=[Optional(), Length(max=5)])
    whatsapp = StringField(_l("Nomor WhatsApp"), validators=[Optional(), Length(max=20)])
    nib = StringField(_l("NIB (13 angka)"), validators=[Optional(), Length(max=13)])
    submit = SubmitField(_l("Simpan profil"))


class ActionForm(StudioForm):
    """A button that only posts (with its CSRF token)."""
