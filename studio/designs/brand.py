"""Brand basics for producers without a designer: a logo drawn from the brand name, and label
colours taken from the product photo.

The drawing and the colour maths are the pure engines' (``labels.logo``, ``labels.photo_palette``,
``imaging.palette``); this module picks the inputs (brand name, palette, fonts, the photo's
cut-out), stores the result as the producer's logo asset and answers who may see which file.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import cache
from ..auth.models import User
from ..cohorts.services import can_see_owner
from ..errors import Invalid, NotFound
from ..extensions import db
from ..imaging.palette import dominant_colours
from ..labels import BRAND_PRESETS, STYLES, layout_to_dict, make_document
from ..labels.logo import KINDS, LOGO_FONTS, SHAPES, LogoError, LogoSpec, check_spec, draw_logo, to_png, to_svg
from ..labels.photo_palette import PhotoPalette, palette_from_colours
from ..media import media
from ..products.models import Photo, Product
from ..products.record import product_record
from ..products.services import get_own_product
from . import assets
from .models import AssetKind, Design, StudioAsset
from .prepare import check_style, default_options, design_options
from .services import LABEL_SETS, DesignChanges, find_design, set_document_dict, update_design
from .stock import get_layout

LOGO_MESSAGES = {
    "empty": _l("Isi nama merek dulu: paling sedikit satu huruf atau angka."),
    "too_long": _l("Nama merek terlalu panjang untuk logo: paling banyak %(n)s huruf."),
    "glyphs": _l("Huruf ini tidak ada di jenis huruf logo: %(chars)s. Ganti hurufnya atau pilih jenis huruf lain."),
    "choice": _l("Pilihan logo tidak dikenal. Pilih salah satu gambar logo."),
}
LOGO_FONT_NAMES = {"tegas": _l("Tegas"), "klasik": _l("Klasik"), "ramah": _l("Ramah"), "ringkas": _l("Ringkas")}
LOGO_SHAPE_NAMES = {"circle": _l("Lingkaran"), "rounded": _l("Kotak tumpul"), "badge": _l("Lencana"),
                    "banner": _l("Pita")}
LOGO_KIND_NAMES = {"monogram": _l("Inisial"), "wordmark": _l("Nama lengkap")}

_PALETTES: OrderedDict[str, PhotoPalette | None] = OrderedDict()
_PREVIEWS: OrderedDict[tuple, list[dict]] = OrderedDict()
_PALETTES_LOCK = threading.Lock()    # guards both small caches
#: cache space on disk of :func:`photo_palette`
PALETTE_SPACE = "palette"


def font_paths() -> dict[str, Path]:
    """Logical font name -> TTF file, from the app's font registry (fonts/fonts.toml)."""
    registry = current_app.extensions["studio.fonts"]
    return {name: registry.path(name) for name in registry.names}


# ----------------------------------------------------------------------------- palette
def photo_palette(product: Product) -> PhotoPalette | None:
    """Label colours from the dominant colours of the product's main (pack) photo, measured on
    the cut-out's foreground pixels; None without a cleaned cut-out. Cached by the cut-out's key
    (content-addressed files: the same key is the same picture)."""
    photo = db.session.get(Photo, product.primary_photo_id) if product.primary_photo_id else None
    key = photo.cutout_key if photo is not None and photo.status == "ready" else None
    if not key or not media().exists(key):
        return None
    with _PALETTES_LOCK:
        if key in _PALETTES:
            return _PALETTES[key]
    # on disk too (studio.cache): every worker process reads it, not only the one that measured it
    # (a fresh gunicorn worker opened the editor ~0.3 s slower on a loaded 2-core machine)
    disk_key = cache.key_of("photo-palette", cache.code_version(), key, photo.mask_key)
    stored = cache.get_json(PALETTE_SPACE, disk_key)
    if isinstance(stored, dict) and "palette" in stored:
        p = stored["palette"]
        palette = PhotoPalette(p["primary"], p["accent"], p["text"], tuple(p["source"])) if p else None
    else:
        image = assets.open_image(key)
        mask = None
        if image.mode != "RGBA" and photo.mask_key and media().exists(photo.mask_key):
            mask = assets.open_image(photo.mask_key).convert("L")
        found = dominant_colours(image, mask)
        palette = palette_from_colours([(c.hex, c.share) for c in found])
        cache.put_json(PALETTE_SPACE, disk_key, {"palette": palette.to_dict() if palette else None})
    with _PALETTES_LOCK:
        _PALETTES[key] = palette
        while len(_PALETTES) > 64:
            _PALETTES.popitem(last=False)
    return palette


def photo_palette_changes(product: Product) -> DesignChanges:
    """The design change "use the colours of my photo" (computed here, never taken from the form).

    :raises Invalid: the product has no cleaned photo yet (field ``preset``).
    """
    palette = photo_palette(product)
    if palette is None:
        raise Invalid(str(_l("Warna dari foto butuh foto utama yang sudah dirapikan.")), field="preset")
    return DesignChanges(options={"preset": None, "primary": palette.primary, "accent": palette.accent,
                                  "text": palette.text})


# ----------------------------------------------------------------------------- gallery
def sample_design(product: Product, layout_id: str, style_id: str, label_set: str = "single") -> Design:
    """A design that is never saved: the product on stock ``layout_id`` in ``style_id`` with the
    first choices a new design gets, for the gallery shown before the producer starts (the
    caller has checked she may see the product). ``label_set`` a set id of :data:`LABEL_SETS`: the
    set's stickers (front and back side by side in one picture). Render it with
    ``render.style_preview_png``.

    :raises NotFound: unknown stock. :raises Invalid: unknown style or set, or no product data yet.
    """
    if product.current_revision_id is None:
        raise Invalid(str(_l("Isi data produk dulu sebelum mendesain label.")))
    if label_set != "single" and label_set not in LABEL_SETS:
        raise Invalid(str(_l("Pilih satu label, label depan + belakang, atau set tiga stiker.")), field="label_set")
    layout = get_layout(layout_id)
    check_style(style_id)
    opts = default_options(product)
    document = make_document(style_id, layout, opts).to_dict() if label_set == "single" \
        else set_document_dict(layout, style_id, opts, label_set)
    return Design(product_id=product.id, kind="label", style_id=style_id, options=opts.to_dict(),
                  saved_overrides={}, layout_id=layout.id, layout_snapshot=layout_to_dict(layout),
                  document=document, product_revision_id=product.current_revision_id)


# ----------------------------------------------------------------------------- logo maker
def brand_name(product: Product) -> str:
    """The name a logo is made from: the product's brand, else the business name, else the product's."""
    record = product_record(product.current_revision) if product.current_revision_id else {}
    name = str(record.get("brand") or "").strip()
    if not name and product.owner is not None and product.owner.profile is not None:
        name = str(product.owner.profile.business_name or "").strip()
    return name or product.name


def label_colour(product: Product) -> str:
    """The primary colour of the product's label design (her palette), or the style's."""
    design = find_design(product)
    if design is None:
        return BRAND_PRESETS[0].primary
    opts = design_options(design)
    style = STYLES.get(design.style_id)
    preset_id = opts.preset or (style.preset if style else None)
    preset = next((p for p in BRAND_PRESETS if p.id == preset_id), BRAND_PRESETS[0])
    return (opts.primary or preset.primary).upper()


def logo_colours(product: Product) -> list[tuple[str, str]]:
    """(hex, name) colours offered for the logo: her label's, her photo's, then the preset palettes."""
    out: list[tuple[str, str]] = [(label_colour(product), str(_l("Warna label")))]
    palette = photo_palette(product)
    if palette is not None:
        out.append((palette.primary.upper(), str(_l("Dari foto"))))
    out += [(p.primary.upper(), p.name_id) for p in BRAND_PRESETS]
    seen: set[str] = set()
    return [(c, n) for c, n in out if not (c in seen or seen.add(c))]


def logo_error(e: LogoError) -> Invalid:
    """The engine's refusal as a form error in the producer's words (field ``name``)."""
    if e.code == "too_long":
        return Invalid(str(LOGO_MESSAGES["too_long"] % {"n": e.detail}), field="name")
    if e.code == "glyphs":
        return Invalid(str(LOGO_MESSAGES["glyphs"] % {"chars": " ".join(e.detail)}), field="name")
    return Invalid(str(LOGO_MESSAGES.get(e.code, LOGO_MESSAGES["choice"])), field="name" if e.code == "empty" else "choice")


def logo_previews(name: str, colour: str, tagline: str = "") -> list[dict]:
    """Every logo choice drawn for ``name`` in ``colour``: dicts with kind, fonts, shape, svg, id.
    The last few answers are kept (a pure function of its inputs and the bundled fonts).

    :raises Invalid: the name cannot be drawn (see :func:`logo_error`).
    """
    paths = font_paths()
    key = (name, colour, tagline, tuple(sorted((k, str(v)) for k, v in paths.items())))
    with _PALETTES_LOCK:
        hit = _PREVIEWS.get(key)
        if hit is not None:
            _PREVIEWS.move_to_end(key)
            return [dict(p) for p in hit]
    out = []
    for kind in KINDS:
        for fonts in LOGO_FONTS:
            for shape in SHAPES:
                spec = LogoSpec(name=name, kind=kind, fonts=fonts, shape=shape, colour=colour, tagline=tagline)
                try:
                    drawing = draw_logo(spec, paths)
                except LogoError as e:
                    raise logo_error(e) from None
                out.append({"id": f"{kind}.{fonts}.{shape}", "kind": kind, "fonts": fonts, "shape": shape,
                            "svg": to_svg(drawing, decimals=1)})
    with _PALETTES_LOCK:
        _PREVIEWS[key] = out
        while len(_PREVIEWS) > 16:
            _PREVIEWS.popitem(last=False)
    return [dict(p) for p in out]


def parse_choice(choice: str) -> tuple[str, str, str]:
    """"kind.fonts.shape" -> its parts. :raises Invalid: not one of the offered choices."""
    parts = (choice or "").split(".")
    if len(parts) != 3 or parts[0] not in KINDS or parts[1] not in LOGO_FONTS or parts[2] not in SHAPES:
        raise Invalid(str(LOGO_MESSAGES["choice"]), field="choice")
    return parts[0], parts[1], parts[2]


def make_logo(actor: User, product_id: int, spec: LogoSpec) -> StudioAsset:
    """Draw the chosen logo, store it (PNG + SVG) as the product owner's logo and switch the logo
    on in the product's label design. The colour must be one of :func:`logo_colours`.

    :raises NotFound, Forbidden: not the actor's product.
    :raises Invalid: a name the fonts cannot draw, an unknown choice or colour.
    """
    product = get_own_product(actor, product_id)
    if spec.colour.upper() not in {c for c, _n in logo_colours(product)}:
        raise Invalid(str(LOGO_MESSAGES["choice"]), field="colour")
    paths = font_paths()
    try:
        spec = check_spec(spec, paths)
        drawing = draw_logo(spec, paths)
    except LogoError as e:
        raise logo_error(e) from None
    asset = assets.store_made_logo(actor, product.owner_id, to_png(drawing), to_svg(drawing).encode(),
                                   spec.to_dict())
    design = find_design(product)
    if design is not None and not design_options(design).show_logo:
        update_design(actor, design.id, DesignChanges(options={"show_logo": True}))
    return asset


def logo_file(actor: User, asset_id: int, fmt: str) -> tuple[str, str]:
    """(media key, mimetype) of a producer logo as ``fmt`` "png" or "svg", for those who may see
    that producer (herself, her trainer, an admin: the rule of the uploaded-asset page).

    :raises NotFound: unknown asset, not a producer logo, someone else's, or no SVG (uploaded logos).
    """
    asset = db.session.get(StudioAsset, asset_id)
    if (asset is None or asset.kind != AssetKind.PRODUCER_LOGO or asset.owner_id is None
            or not can_see_owner(actor, asset.owner_id)):
        raise NotFound(str(_l("Logo tidak ditemukan.")))
    key = asset.vector_key if fmt == "svg" else asset.media_key if fmt == "png" else None
    if not key or not media().exists(key):
        raise NotFound(str(_l("Logo tidak ditemukan.")))
    return key, "image/svg+xml" if fmt == "svg" else "image/png"


def current_logo(owner_id: int) -> StudioAsset | None:
    """The producer's logo in use (uploaded or made here), or None."""
    return assets.current_asset(AssetKind.PRODUCER_LOGO, owner_id)
