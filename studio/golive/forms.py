from ..forms import StudioForm


class ConfirmForm(StudioForm):
    """A one-click POST with its CSRF token (the button is the whole form)."""


from flask_babel import lazy_gettext as _l  # noqa: E402
from wtforms import StringField  # noqa: E402
from wtforms.validators import Length  # noqa: E402


class HubIdentityForm(StudioForm):
    name = StringField(_l("Nama hub"), validators=[Length(max=100)],
                       description=_l("Contoh: Rumah Pintar Pelabuhan"))
    district = StringField(_l("Kecamatan"), validators=[Length(max=60)], description=_l("Contoh: Plandaan"))
