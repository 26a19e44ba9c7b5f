from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import StudioForm
from ..rules.product import NAME_MAX_CHARS as NAME_MAX   # told here, not first at the design step

PRODUCT_CLASS_CHOICES = [
    ("pangan_pirt", _l("Makanan/minuman rumahan (P-IRT)")),
    ("pangan_bpom", _l("Makanan/minuman BPOM (MD/ML)")),
    ("obat_tradisional", _l("Jamu/obat tradisional (POM TR)")),
    ("kerajinan", _l("Kerajinan/bukan makanan")),
    ("lainnya", _l("Lainnya")),
]


class NewProductForm(StudioForm):
    name = StringField(_l("Nama produk"), validators=[DataRequired(_l("Isi nama produk.")),
                                                   Length(max=NAME_MAX, message=_l(
                                                       "Nama produk paling banyak %(max)d huruf. Singkatkan; rasa "
                                                       "atau ukuran punya isian Varian sendiri."))],
                       description=_l("Contoh: Keripik Singkong Balado"))
    product_class = SelectField(_l("Jenis produk"), choices=PRODUCT_CLASS_CHOICES)
    submit = SubmitField(_l("Buat produk"))
