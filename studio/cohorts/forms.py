from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import StudioForm


class CohortForm(StudioForm):
    name = StringField(_l("Nama pelatihan"), validators=[DataRequired(_l("Isi nama pelatihan.")), Length(max=120)])
    desa = StringField(_l("Desa"), validators=[Optional(), Length(max=60)])
    kecamatan = StringField(_l("Kecamatan"), validators=[Optional(), Length(max=60)])
    start_date = DateField(_l("Tanggal mulai"), validators=[Optional()])
    end_date = DateField(_l("Tanggal selesai"), validators=[Optional()])
    agencies = TextAreaField(_l("Dinas/lembaga yang terlibat"), validators=[Optional(), Length(max=1000)])
    trainer_ids = SelectMultipleField(_l("Pendamping"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Simpan pelatihan"))


class EnrolForm(StudioForm):
    producer_id = SelectField(_l("Produsen"), coerce=int)
    submit = SubmitField(_l("Tambahkan ke pelatihan"))


class MoveForm(StudioForm):
    cohort_id = SelectField(_l("Pindahkan ke pelatihan"), coerce=int)
    submit = SubmitField(_l("Pindahkan"))
