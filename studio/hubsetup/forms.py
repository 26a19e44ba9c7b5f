from flask_babel import lazy_gettext as _l
from ..forms import StudioForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length


class PublicUrlForm(StudioForm):
    public_url = StringField(
        _l("Alamat publik katalog"), validators=[Length(max=500)],
        description=_l("Contoh: https://katalog.rumahpintar-jombang.id atau https://blonjo.jombangkab.go.id/katalog"))
    submit = SubmitField(_l("Simpan alamat"))
