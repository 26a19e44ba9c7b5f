from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from ..forms import StudioForm


class PublicUrlForm(StudioForm):
    public_url = StringField(
        _l("Alamat publik katalog"), validators=[Length(max=500)],
        description=_l("Contoh: https://katalog.rumahpintar-jombang.id atau https://blonjo.jombangkab.go.id/katalog"))
    submit = SubmitField(_l("Simpan alamat"))
