"""Compare two versions of a label design: product-data changes, option and document changes."""
from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..extensions import db
from ..products.models import Product, ProductRevision
from ..rules import Change, diff_records
from ..rules.numbers import format_decimal_id, format_int_id
from ..designs.models import DesignVersion
from ..products.record import product_record

# Item fields worth naming when they change (everything else is reported as "style").
_ITEM_FIELDS = ("text", "size_pt", "color", "fill", "bold", "panel", "data_field", "image_key")


@dataclass(frozen=True)
class ElementChange:
    """One label element that changed: ``attr`` is "" (added/removed/moved) or an item field."""

    tag: str
    attr: str
    old_text: str
    new_text: str


@dataclass(frozen=True)
class Comparison:
    """What differs from version ``a`` (older) to version ``b`` (newer)."""

    a: DesignVersion
    b: DesignVersion
    data_changes: list[Change] = field(default_factory=list)       # product data (rules.diff)
    option_changes: list[Change] = field(default_factory=list)     # design choices
    document_changes: list[ElementChange] = field(default_factory=list)   # added/removed/moved/edited

    @property
    def unchanged(self) -> bool:
        return not (self.data_changes or self.option_changes or self.document_changes)


def _clean(product: Product, revision_id: int | None) -> dict:
    rev = db.session.get(ProductRevision, revision_id) if revision_id else None
    return product_record(rev) if rev is not None else {}


_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")
#: colour words by hue (degrees, upper bound), for people who do not read "#c0392b"
_HUES = ((15, _l("merah")), (40, _l("oranye")), (65, _l("kuning")), (165, _l("hijau")), (200, _l("biru muda")),
         (255, _l("biru")), (290, _l("ungu")), (335, _l("merah muda")), (360, _l("merah")))


def colour_name(hex_text: str):
    """A plain colour word for an RGB hex colour ("#c0392b" → "merah tua"); lazy (the reader's language)."""
    m = _HEX.match(str(hex_text).strip())
    if not m:
        return str(hex_text)
    r, g, b = (int(m.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    if sat < 0.15 or light < 0.08 or light > 0.94:
        return _l("hitam") if light < 0.2 else _l("putih") if light > 0.85 else _l("abu-abu")
    hue = h * 360
    word = next(w for top, w in _HUES if hue <= top)
    if 15 <= hue <= 45 and light < 0.42:
        word = _l("cokelat")
    if light < 0.3:
        return _l("%(c)s tua", c=word)
    if light > 0.75:
        return _l("%(c)s muda", c=word) if word not in (_HUES[4][1], _HUES[7][1]) else word
    return word


def _fmt(value, name: str = ""):
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None:
        return ""
    if isinstance(value, dict) and set(value) == {"x_mm", "y_mm", "w_mm", "h_mm"}:
        v = {k: format_decimal_id(float(n), 1) for k, n in value.items()}
        return "{x_mm}; {y_mm} mm · {w_mm} × {h_mm} mm".format(**v)
    if isinstance(value, str) and _HEX.match(value.strip()):
        return colour_name(value)
    if isinstance(value, dict) and (value.get("fill") or value.get("color")):
        return colour_name(str(value.get("fill") or value.get("color")))
    if isinstance(value, (int, float)):
        text = format_decimal_id(float(value)) if isinstance(value, float) else format_int_id(value)
        return f"{text} pt" if name == "size_pt" else text
    return str(value)


def _option_changes(a: DesignVersion, b: DesignVersion) -> list[Change]:
    out = []
    if a.layout_id != b.layout_id:
        out.append(Change("layout_id", a.layout_id, b.layout_id))
    if a.style_id != b.style_id:
        out.append(Change("style_id", a.style_id, b.style_id))
    oa, ob = a.options or {}, b.options or {}
    for key in sorted(set(oa) | set(ob)):
        if key in ("overrides", "info_lengths"):   # info_lengths follows the product data (compared above)
            continue
        if oa.get(key) != ob.get(key):
            out.append(Change(key, _fmt(oa.get(key), key), _fmt(ob.get(key), key)))
    return out


def _items_by_tag(doc: dict) -> dict[str, dict]:
    """Items by tag; a label set's items by "panel/tag" (``back/ingredients``)."""
    out: dict[str, dict] = {}
    panels = (doc or {}).get("panels")
    pairs = [(f"{pid}/", it) for pid, d in panels.items() for it in (d or {}).get("items", [])] \
        if isinstance(panels, dict) else [("", it) for it in (doc or {}).get("items", [])]
    for prefix, item in pairs:
        tag = item.get("tag") or ""
        if tag in ("", "decor", "background"):
            continue
        tag = prefix + tag
        key, n = tag, 2
        while key in out:
            key, n = f"{tag}#{n}", n + 1
        out[key] = item
    return out


def _document_changes(a: DesignVersion, b: DesignVersion) -> list[ElementChange]:
    ia, ib = _items_by_tag(a.document), _items_by_tag(b.document)
    out = []
    for tag in list(ia) + [t for t in ib if t not in ia]:
        old, new = ia.get(tag), ib.get(tag)
        if old is None:
            out.append(ElementChange(tag, "", "", str(_l("ditambahkan"))))
        elif new is None:
            out.append(ElementChange(tag, "", str(_l("ada")), str(_l("dihapus"))))
        else:
            if old.get("box") != new.get("box"):
                out.append(ElementChange(tag, "box", _fmt(old.get("box")), _fmt(new.get("box"))))
            for name in _ITEM_FIELDS:
                if old.get(name) != new.get(name):
                    out.append(ElementChange(tag, name, _fmt(old.get(name), name), _fmt(new.get(name), name)))
    if (a.document or {}).get("background") != (b.document or {}).get("background"):
        out.append(ElementChange("background", "", _fmt(a.document.get("background")),
                                 _fmt(b.document.get("background"))))
    return out


def compare(a: DesignVersion, b: DesignVersion) -> Comparison:
    """Changes between two versions of the same design, older first (ordered by number). The caller
    checks that the actor may see both (``review.services.compare_versions``).

    :raises Invalid: versions of different designs.
    """
    if a.design_id != b.design_id:
        raise Invalid(str(_l("Hanya versi dari desain yang sama yang bisa dibandingkan.")), field="compare")
    if a.number > b.number:
        a, b = b, a
    product = db.session.get(Product, a.product_id)
    data = diff_records(_clean(product, a.product_revision_id), _clean(product, b.product_revision_id)) \
        if a.product_revision_id != b.product_revision_id else []
    return Comparison(a, b, data, _option_changes(a, b), _document_changes(a, b))
