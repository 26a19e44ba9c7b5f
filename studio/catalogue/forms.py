from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

from ..forms import StudioForm


class ApiTokenForm(StudioForm):
    name = StringField(_l("Nama token (sistem yang memakainya)"),
                       validators=[DataRequired(_l("Isi nama token.")), Length(max=80)])
    scope = SelectField(_l("Izin"), choices=[("read", _l("Baca saja")), ("publish", _l("Terbitkan dan tarik produk"))],
                        default="read")
    days = IntegerField(_l("Berlaku (hari)"), default=90,
                        validators=[NumberRange(min=1, max=365, message=_l("Masa berlaku 1 sampai 365 hari."))])
    submit = SubmitField(_l("Buat token"))


class RevokeForm(StudioForm):
    submit = SubmitField(_l("Cabut"))


class RotateForm(StudioForm):
    grace_hours = IntegerField(_l("Token lama masih berlaku (jam)"), default=24,
                               validators=[NumberRange(min=0, max=168, message=_l("Masa peralihan 0 sampai 168 jam."))])
    submit = SubmitField(_l("Ganti token"))
