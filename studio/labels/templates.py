"""Design styles: turn a stock layout and a producer's choices into a LabelDocument.

``make_document`` adapts to the label: tiny labels (e.g. 38 × 21 mm) get name, net quantity and a
QR code and are flagged ``needs_back_label``; mid-size labels (63.5 × 38 mm) get the front-panel
essentials; large labels (99 × 67 mm, 100 × 150 mm) get every mandatory item and the photo; round
labels keep their content inside the circle.

Two kinds of style: the five classic styles (bersih, tradisional, berani, alami, premium) are colour
and border skins over one arrangement; the six template families (``Style.family``: foto, tipografi,
warisan, segar, kraft, termal) differ in layout too, through their knobs in ``FAMILY_LOOKS`` (where
the photo and QR go, the name's size and case, alignment), their own frame (``_family_decor``) and
their own round and tiny arrangements; the photo-led family fills a large part of a full-size label
and of a set's front with the picture, the name on an opaque band over it
(:func:`arrange.photo_with_name_band`). A family puts the legal items first: the net quantity at its
legal height gets a row of the label's width when it does not fit beside the name, and the QR code
on a small single sticker keeps its place only at its scannable minimum (on a set it is on the back).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace

from . import arrange
from .colors import contrast_ratio, ink_on, mix, readable
from .document import (Box, DocumentError, EANItem, EllipseItem, ImageItem, LabelDocument, PatternItem, QRItem,
                       RectItem, TextItem)
from .layouts import SheetLayout

# heading / body logical font names per pairing; mirrors fonts/fonts.toml (a test keeps them equal)
FONT_PAIRINGS: dict[str, tuple[str, str]] = {
    "modern": ("sans-bold", "sans"), "klasik": ("serif-bold", "sans"), "ramah": ("lato-black", "lato"),
    "tegas": ("opensans-condbold", "opensans"), "elegan": ("serif-bold", "serif"),
}
# smallest body size (pt) whose x-height is >= 1.0 mm, from each font's OS/2 sxHeight
GOLD = "#D4AF37"
BODY_MIN_PT = {"sans": 5.5, "serif": 5.5, "lato": 5.75, "opensans": 5.5}


@dataclass(frozen=True)
class BrandPreset:
    """A ready colour scheme: ``primary`` fills bands and blocks, ``accent`` highlights, ``text`` inks."""

    id: str
    name_id: str
    name_en: str
    primary: str
    accent: str
    text: str


BRAND_PRESETS: list[BrandPreset] = [
    BrandPreset("cabai", "Merah cabai", "Chilli red", "#B3261E", "#F2A900", "#2B1B17"),
    BrandPreset("kunyit", "Kuning kunyit", "Turmeric", "#E3A21A", "#7A2E0E", "#2E1C0C"),
    BrandPreset("kopi", "Coklat kopi", "Coffee brown", "#4A2C1D", "#C8954B", "#2A1A12"),
    BrandPreset("daun", "Hijau daun", "Leaf green", "#2F6B3A", "#E2B33C", "#1D2A1F"),
    BrandPreset("madu", "Emas madu", "Honey gold", "#B8770B", "#4E3208", "#2E1F0A"),
    BrandPreset("laut", "Biru laut", "Sea blue", "#1D4E89", "#F4A259", "#14213D"),
    BrandPreset("batik", "Indigo batik", "Batik indigo", "#27365F", "#C9A227", "#1B1B2F"),
    BrandPreset("terong", "Ungu terong", "Aubergine", "#5B2A6E", "#E8B04B", "#24142B"),
]
_PRESETS = {p.id: p for p in BRAND_PRESETS}


@dataclass(frozen=True)
class Style:
    """A design style offered to producers (both languages for the picker)."""

    id: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    preset: str         # default colours
    pairing: str        # default fonts
    family: bool = False    # a template family with its own layout (issue 17); False: a colour skin


STYLES: dict[str, Style] = {s.id: s for s in (
    Style("foto", "Foto besar", "Photo-led", "Foto makanan besar, nama produk di atas pita warna di fotonya.",
          "A big picture of the food with the product name on a colour band over it.", "cabai", "modern", True),
    Style("tipografi", "Huruf tegas", "Bold type", "Nama produk besar berhuruf kapital sebagai pusat perhatian.",
          "The product name in big capitals is the hero.", "laut", "tegas", True),
    Style("warisan", "Warisan batik", "Heritage", "Bingkai motif kawung dan huruf serif di atas krem.",
          "A kawung batik border and a serif name on cream.", "batik", "klasik", True),
    Style("segar", "Segar minimalis", "Fresh minimal", "Banyak ruang putih dengan satu warna aksen.",
          "Lots of white space and one accent colour.", "daun", "modern", True),
    Style("kraft", "Kertas kraft", "Kraft paper", "Cap bergaya stempel untuk stiker kertas coklat.",
          "A stamp-like badge for brown kraft stock.", "kopi", "ramah", True),
    Style("termal", "Termal hitam putih", "Thermal mono", "Hitam murni di atas putih, garis tebal; untuk "
          "printer termal.", "Pure black on white with heavy rules; for thermal printers.", "kopi", "tegas",
          True),
    Style("bersih", "Bersih", "Clean", "Putih bersih, garis tipis berwarna; cocok untuk semua produk.",
          "Clean white with a thin colour stripe; suits any product.", "cabai", "modern"),
    Style("tradisional", "Tradisional", "Traditional", "Pita atas-bawah bermotif tumpal di atas krem; "
          "cocok untuk jajanan dan kerajinan.", "Top and bottom bands with tumpal triangles on cream; "
          "for traditional snacks and crafts.", "batik", "klasik"),
    Style("berani", "Berani", "Bold", "Blok warna besar dengan nama produk putih; menonjol di rak.",
          "A big colour block with the name reversed out; stands out on a shelf.", "cabai", "tegas"),
    Style("alami", "Alami", "Natural", "Warna kertas kraft, bingkai ganda, motif kawung kecil; cocok untuk "
          "kopi, madu, dan produk organik.", "Kraft-paper tone, double frame, small kawung motif; for "
          "coffee, honey and natural products.", "kopi", "ramah"),
    Style("premium", "Premium", "Premium", "Latar gelap dengan garis emas dan huruf serif; untuk hadiah dan "
          "oleh-oleh.", "Dark background, gold rules and serif type; for gifts and souvenirs.",
          "madu", "elegan"),
)}


#: each family's layout knobs, read by the arrangers (arrange.Ctx.k): where the photo and the QR go,
#: how big and in which case the name is set, how the hero rows share their height
FAMILY_LOOKS: dict[str, dict] = {
    # photo_hero: on a full-size label and a set's front the picture fills a large part of the front
    "foto": {"photo": "side", "photo_aspect": 1.3, "qr_mm": 16.0, "small_rows": [0.13, 0.47, 0.14, 0.26],
             "photo_hero": True},
    # Open Sans rows are taller than the table's row pitch: its back keeps the nutrition as text
    "tipografi": {"back_table": False, "name_upper": True, "name_scale": 1.3, "qr_mm": 16.0,
                  "small_rows": [0.12, 0.48, 0.14, 0.26]},
    "warisan": {"align": "center", "qr_mm": 16.0, "small_rows": [0.14, 0.44, 0.14, 0.28]},
    "segar": {"qr_mm": 16.0, "small_rows": [0.15, 0.43, 0.14, 0.28]},
    "kraft": {"align": "center", "name_upper": True, "qr_mm": 16.0, "small_rows": [0.14, 0.44, 0.14, 0.28]},
    "termal": {"name_upper": True, "name_scale": 1.1, "qr_mm": 16.0, "small_rows": [0.13, 0.45, 0.13, 0.29]},
}
FAMILY_BG = {"warisan": "#FBF5E6", "kraft": "#D9C29E", "tradisional": "#FBF5E6", "alami": "#E8D8BA"}


@dataclass(frozen=True)
class DesignOptions:
    """A producer's choices on top of a style. Colours are '#RRGGBB' or None (style default)."""

    primary: str | None = None
    accent: str | None = None
    text: str | None = None
    preset: str | None = None
    pairing: str | None = None
    show_photo: bool = True
    show_logo: bool = False
    show_price: bool = False
    show_ingredients: bool = True
    show_storage: bool = True
    show_nutrition: bool = False
    show_qr: bool = True
    show_ean: bool = False
    show_halal: bool = True
    halal_logo: bool = True         # reserve room for the official halal logo (drawn only if uploaded)
    expiry_box: bool = True         # reserve an empty box for stamping batch code and date
    net_qty_cap_mm: float = 0.0     # capital height the net-quantity line is laid out for (0: 3 mm, BDKT
                                    # for 50-200 g); the design starts at the product's legal height
    info_lengths: tuple[int, ...] = ()  # lengths of the information texts (arrange.info_lengths) the design
                                    # is laid out for: a small single sticker of a family holds every mandatory
                                    # item when they fit at the legal sizes (empty: unknown, a front label)
    overrides: dict[str, Box] = field(default_factory=dict)   # tag -> moved/resized box (mm)

    def to_dict(self) -> dict:
        """JSON-serialisable dict."""
        d = asdict(self)
        d["overrides"] = {t: {"x_mm": b.x_mm, "y_mm": b.y_mm, "w_mm": b.w_mm, "h_mm": b.h_mm}
                          for t, b in self.overrides.items()}
        d["info_lengths"] = list(self.info_lengths)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> DesignOptions:
        """Inverse of to_dict. :raises DocumentError: unknown keys or bad values."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise DocumentError(f"unknown design option(s): {', '.join(unknown)}")
        kw = dict(d)
        try:
            kw["info_lengths"] = tuple(int(n) for n in d.get("info_lengths") or ())
        except (TypeError, ValueError) as e:
            raise DocumentError(f"bad info_lengths: {e}") from e
        try:
            kw["overrides"] = {str(t): Box(**{k: float(v) for k, v in b.items()})
                               for t, b in (d.get("overrides") or {}).items()}
        except (TypeError, AttributeError) as e:
            raise DocumentError(f"bad overrides: {e}") from e
        return cls(**kw)


@dataclass
class _Palette:
    bg: str
    primary: str
    accent: str
    ink: str
    muted: str


def _palette(style: Style, o: DesignOptions) -> _Palette:
    preset = _PRESETS.get(o.preset or style.preset, _PRESETS[style.preset])
    primary, accent, text = o.primary or preset.primary, o.accent or preset.accent, o.text or preset.text
    if style.id == "termal":        # pure black on white: nothing a 1-bit head has to threshold
        return _Palette("#FFFFFF", "#000000", "#000000", "#000000", "#000000")
    bg = FAMILY_BG.get(style.id) or ("#FFFFFF" if style.id != "premium" else mix(primary, "#000000", 0.82))
    if style.id == "premium" and contrast_ratio(accent, bg) < 4.5:
        accent = GOLD if contrast_ratio(primary, bg) < 4.5 else primary
    ink = readable(text, bg, 7.0) if style.id != "premium" else "#F4ECDD"
    return _Palette(bg, primary, accent, ink, mix(ink, bg, 0.3))


def _tier(layout: SheetLayout, C: Box) -> str:
    if layout.shape != "rect":
        return "round_tiny" if min(layout.label_w_mm, layout.label_h_mm) < 50 else "round"
    if C.h_mm < 26 or C.w_mm * C.h_mm < 1300 or C.w_mm < 35:
        return "tiny"
    if C.h_mm >= 55 and C.w_mm >= 80:
        return "full"
    return "small"


def _decorate(style: str, pal: _Palette, W: float, H: float, shape: str, m: float) -> tuple[list, Box]:
    """Background decoration items (painted first) and the content box left inside them."""
    items: list = []
    C = Box(m, m, W - 2 * m, H - 2 * m)
    band = max(1.2, min(H * 0.07, 5.0))
    if shape != "rect":
        ring = max(0.5, min(W, H) * 0.02)
        if style == "tradisional":
            items.append(EllipseItem(Box(m * 0.4, m * 0.4, W - m * 0.8, H - m * 0.8), None, pal.primary, ring * 1.6))
            items.append(EllipseItem(Box(m * 0.4 + ring * 1.8, m * 0.4 + ring * 1.8, W - m * 0.8 - ring * 3.6,
                                         H - m * 0.8 - ring * 3.6), None, pal.accent, ring * 0.35))
        elif style in ("alami", "premium", "bersih"):
            col = pal.accent if style == "premium" else pal.primary
            items.append(EllipseItem(Box(m * 0.5, m * 0.5, W - m, H - m), None, col, ring * 0.5))
            if style == "alami":
                items.append(EllipseItem(Box(m * 0.5 + ring * 1.2, m * 0.5 + ring * 1.2, W - m - ring * 2.4,
                                             H - m - ring * 2.4), None, col, ring * 0.25))
        return items, C
    if style == "bersih":
        items.append(RectItem(Box(0, 0, W, band * 0.5), fill=pal.primary, bleed=True))
        C = Box(m, band * 0.5 + m * 0.8, W - 2 * m, H - band * 0.5 - m * 1.8)
    elif style == "tradisional":
        fringe = band * 0.75
        items.append(RectItem(Box(0, 0, W, band), fill=pal.primary, bleed=True))
        items.append(PatternItem(Box(0, band - 0.01, W, fringe), "tumpal", pal.primary, max(2.2, band * 1.1)))
        items.append(RectItem(Box(0, band * 0.42, W, 0.3), fill=pal.accent))
        items.append(RectItem(Box(0, H - band * 0.55, W, band * 0.55), fill=pal.primary, bleed=True))
        items.append(RectItem(Box(0, H - band * 0.55 - 0.6, W, 0.3), fill=pal.accent))
        C = Box(m, band + fringe + 0.6, W - 2 * m, H - band - fringe - 0.6 - band * 0.55 - 0.9)
    elif style == "alami":
        inset = max(1.0, m * 0.55)
        items.append(RectItem(Box(inset, inset, W - 2 * inset, H - 2 * inset), stroke=pal.primary,
                              stroke_w_mm=0.4, radius_mm=1.2))
        items.append(RectItem(Box(inset + 0.8, inset + 0.8, W - 2 * inset - 1.6, H - 2 * inset - 1.6),
                              stroke=pal.primary, stroke_w_mm=0.15, radius_mm=0.8))
        d = inset + 1.6
        C = Box(d, d, W - 2 * d, H - 2 * d)
    elif style == "premium":
        inset = max(1.0, m * 0.55)
        items.append(RectItem(Box(inset, inset, W - 2 * inset, H - 2 * inset), stroke=pal.accent,
                              stroke_w_mm=0.3))
        d = inset + 1.5
        C = Box(d, d, W - 2 * d, H - 2 * d)
    elif style == "berani":
        items.append(RectItem(Box(0, H - 1.2, W, 1.2), fill=pal.primary, bleed=True))
        C = Box(m, m + 0.5, W - 2 * m, H - 2 * m - 1.5)
    return items, C


def _family_decor(style: str, pal: _Palette, W: float, H: float, shape: str, m: float,
                  light: bool = False) -> tuple[list, Box]:
    """The frame of a template family (painted first) and the content box left inside it. ``light``
    (a back panel, a very low label): only a thin frame inside the safe margin, the content keeps
    the whole safe area (the information panel needs every millimetre)."""
    items: list = []
    C = Box(m, m, W - 2 * m, H - 2 * m)
    if light and shape == "rect" and style in ("warisan", "kraft", "termal"):
        d = m * 0.4
        col = pal.primary if style != "warisan" else pal.accent
        items.append(RectItem(Box(d, d, W - 2 * d, H - 2 * d), stroke=col, stroke_w_mm=0.5 if style == "termal"
                              else 0.3, radius_mm=1.0 if style == "kraft" else 0.0))
        return items, C
    if shape != "rect":
        ring = max(0.5, min(W, H) * 0.02)
        outer = Box(m * 0.4, m * 0.4, W - m * 0.8, H - m * 0.8)
        if style in ("warisan", "kraft", "termal"):
            items.append(EllipseItem(outer, None, pal.primary, ring * (1.4 if style == "termal" else 0.6)))
            d = ring * 1.6
            items.append(EllipseItem(Box(outer.x_mm + d, outer.y_mm + d, outer.w_mm - 2 * d, outer.h_mm - 2 * d),
                                     None, pal.accent if style == "warisan" else pal.primary, ring * 0.3))
        elif style == "tipografi":
            items.append(EllipseItem(outer, None, pal.primary, ring * 1.2))
        elif style == "foto":
            items.append(EllipseItem(outer, None, pal.accent, ring * 0.8))
        return items, C
    if style == "warisan":      # kawung bands along the long sides' ends, thin gold rules inside: the batik border
        if W >= H * 1.2:        # landscape: the bands run down the left and right edges (wider on a full-size label)
            band = max(2.4, min(H * 0.06, 4.0))
            for x in (m * 0.5, W - m * 0.5 - band):
                items.append(PatternItem(Box(x, m * 0.5, band, H - m), "kawung", pal.primary, band))
            items.append(RectItem(Box(m * 0.5 + band + 0.3, m * 0.5, 0.25, H - m), fill=pal.accent))
            items.append(RectItem(Box(W - m * 0.5 - band - 0.55, m * 0.5, 0.25, H - m), fill=pal.accent))
            side = m * 0.5 + band + 0.9
            C = Box(side, m, W - 2 * side, H - 2 * m)
        else:
            band = max(2.4, min(W * 0.09, 5.0))
            for y in (m * 0.5, H - m * 0.5 - band):
                items.append(PatternItem(Box(m * 0.5, y, W - m, band), "kawung", pal.primary, band))
            items.append(RectItem(Box(m * 0.5, m * 0.5 + band + 0.3, W - m, 0.25), fill=pal.accent))
            items.append(RectItem(Box(m * 0.5, H - m * 0.5 - band - 0.55, W - m, 0.25), fill=pal.accent))
            top = m * 0.5 + band + 1.2
            C = Box(m, top, W - 2 * m, H - 2 * top)
    elif style == "kraft":      # a stamp: double frame, dotted corners
        inset = max(1.0, m * 0.55)
        items.append(RectItem(Box(inset, inset, W - 2 * inset, H - 2 * inset), stroke=pal.primary,
                              stroke_w_mm=0.5, radius_mm=2.0))
        items.append(RectItem(Box(inset + 0.9, inset + 0.9, W - 2 * inset - 1.8, H - 2 * inset - 1.8),
                              stroke=pal.primary, stroke_w_mm=0.2, radius_mm=1.4))
        d = inset + 1.8
        C = Box(d, d, W - 2 * d, H - 2 * d)
    elif style == "tipografi" and light and H < 36.0:     # a roll label's bar: thin, the text close to it
        bar = 1.6
        items.append(RectItem(Box(0, 0, bar, H), fill=pal.primary, bleed=True))
        C = Box(max(m, bar + 0.6), m, W - max(m, bar + 0.6) - m, H - 2 * m)
    elif style == "tipografi":  # a heavy colour bar down the left edge
        bar = max(1.6, min(W * 0.05, 4.0))
        items.append(RectItem(Box(0, 0, bar, H), fill=pal.primary, bleed=True))
        C = Box(bar + m * 0.8, m, W - bar - m * 1.8, H - 2 * m)
    elif style == "segar":      # one short accent stroke, the rest white
        items.append(RectItem(Box(m * 0.5, m * 0.3, min(10.0, W * 0.15), 0.6), fill=pal.accent))
    elif style == "termal":     # heavy black rules top and bottom
        items.append(RectItem(Box(m, m, W - 2 * m, 0.6), fill="#000000"))
        items.append(RectItem(Box(m, H - m - 0.6, W - 2 * m, 0.6), fill="#000000"))
        C = Box(m, m + 1.2, W - 2 * m, H - 2 * m - 2.4)
    elif style == "foto":       # a colour strip along the bottom edge
        items.append(RectItem(Box(0, H - 1.0, W, 1.0), fill=pal.primary, bleed=True))
        C = Box(m, m, W - 2 * m, H - 2 * m - 1.0)
    return items, C


def _photo_panels(items: list, pal: _Palette, style: str) -> list:
    """A tinted rounded panel behind every photo of a photo-led design (painted under it); a picture
    that fills its box (the photo hero) gets a white one exactly under it: what a cut-out leaves
    transparent (the plate between the food) shows white, not tinted."""
    if style != "foto":
        return []
    tint = mix(pal.primary, "#FFFFFF", 0.86)
    return [RectItem(it.box, fill="#FFFFFF") if it.fit == "cover" else
            RectItem(it.box.inset(-0.6), fill=tint, radius_mm=1.5) for it in items
            if isinstance(it, ImageItem) and it.tag == "photo"]


def _photo_front(ctx: arrange.Ctx, layout: SheetLayout, C: Box, panel: str) -> bool:
    """A photo-led family's set front: a landscape sticker tall enough for the picture beside the
    net quantity at its legal height, or one tall enough for it above (:func:`arrange.arrange_photo_front`)."""
    if not (ctx.k("photo_hero") and panel == "front" and ctx.opts.show_photo and layout.shape == "rect"):
        return False
    net_w = arrange.net_width_mm(ctx)
    wide = C.h_mm >= 30.0 and C.w_mm >= 80.0 and C.w_mm >= C.h_mm * 2.0 and C.w_mm * 0.7 - 2.0 >= net_w
    stacked = 36.0 <= C.h_mm and 50.0 <= C.w_mm < C.h_mm * 2.0 and C.w_mm >= net_w      # e.g. 60 x 45 mm
    return wide or stacked


def make_document(style_id: str, layout: SheetLayout, options: DesignOptions | None = None, *,
                  panel: str = "", back_part: int = 0) -> LabelDocument:
    """A complete label document in ``style_id`` for ``layout``, adapted to its size and shape.
    ``panel="back"``: the back sticker of a label set (the information panel,
    :func:`arrange.arrange_back`) in the same style; default a label of its own. ``back_part`` 1 or
    2: one of the two backs of a three-sticker set on a tiny or round stock (back 1: ingredients,
    allergens, warnings, storage; back 2: nutrition and the QR, :data:`arrange.BACK_SPLIT`).

    :raises KeyError: unknown style id.
    """
    style = STYLES[style_id]
    o = options or DesignOptions()
    if panel == "back" and back_part == 1:      # the QR goes with the nutrition on back 2
        o = replace(o, show_nutrition=False, show_qr=False)
    elif panel == "back" and back_part == 2:
        o = replace(o, show_ingredients=False, show_storage=False)
    pairing = o.pairing if o.pairing in FONT_PAIRINGS else style.pairing
    heading, body = FONT_PAIRINGS[pairing]
    pal = _palette(style, o)
    W, H, m = layout.label_w_mm, layout.label_h_mm, layout.safe_margin_mm
    hero_fill = style.id == "berani"
    plan = None
    if style.family:
        decor, C = _family_decor(style.id, pal, W, H, layout.shape, m, light=panel == "back" or H < 36.0)
    else:
        decor, C = _decorate(style.id, pal, W, H, layout.shape, m)
    tier = _tier(layout, C)
    on_primary = ink_on(pal.primary, dark="#1C1917", light="#FFFFFF")
    brand = readable(pal.primary if style.id != "premium" else pal.accent, pal.bg, 3.0)
    name_ink = readable(pal.primary, pal.bg, 4.5) if style.id in ("tipografi", "warisan") else None
    ctx = arrange.Ctx(
        ink=pal.ink, muted=pal.muted, brand_ink=brand,
        hero_ink=on_primary if hero_fill else (pal.accent if style.id == "premium" and
                                               contrast_ratio(pal.accent, pal.bg) >= 4.5 else name_ink or pal.ink),
        hero_muted=mix(on_primary, pal.primary, 0.2) if hero_fill else pal.muted,
        hero_brand=(pal.accent if contrast_ratio(pal.accent, pal.primary) >= 3 else on_primary)
        if hero_fill else brand,
        line=pal.accent if style.id in ("premium", "berani") else mix(pal.primary, pal.bg, 0.35),
        pill_fill=pal.accent, pill_ink=ink_on(pal.accent), body_min_pt=BODY_MIN_PT[body], opts=o, panel=panel,
        look={**FAMILY_LOOKS.get(style.id, {}), **({"back_part": back_part} if back_part else {})},
        band_fill=pal.primary, band_ink=on_primary,
        photo_box=_clamp(o.overrides["photo"], layout) if "photo" in o.overrides else None,
        name_box=_clamp(o.overrides["pdp.name"], layout) if "pdp.name" in o.overrides else None,
        variant_box=_clamp(o.overrides["variant"], layout) if "variant" in o.overrides else None,
        safe_box=Box(m, m, W - 2 * m, H - 2 * m))
    back = panel == "back" and layout.shape == "rect"
    tiny_set = bool(style.family and panel in ("front", "back") and layout.shape == "rect" and tier == "tiny")
    if tiny_set:
        # a set of two tiny stickers (two consecutive labels of a 50 x 30 mm roll): the front holds the
        # principal-panel items and the stamping box in the all-in-one arrangement, the back the rest
        o = replace(o, expiry_box=panel == "front")
        ctx.opts = o
        ctx.look = {**ctx.look, "info_condensed": True}
        if layout.thermal:
            ctx.look = {**ctx.look, "qr_mm": max(arrange.QR_THERMAL_MM, ctx.look.get("qr_mm", 0.0))}
    if style.family and panel in ("front", "back") and tier == "round":
        # a round set (two stickers of a round sheet): the stamping box on the front, which has the
        # room below its net quantity (when its all-in-one plan holds); the back keeps its circle
        # for the information and the QR
        front_o = replace(o, show_ingredients=False, show_storage=False, show_nutrition=False)
        ctx.opts = front_o
        front_plan = arrange.all_in_one_round(ctx, W, H, m) is not None
        o = replace(o, expiry_box=(panel == "front") == front_plan and back_part != 2)
        ctx.opts = o
    if tiny_set and panel == "front":
        light_decor, light_C = _family_decor(style.id, pal, W, H, layout.shape, m, light=True)
        plan = arrange.all_in_one_rect(ctx, light_C)
        if plan is not None:
            decor, C = light_decor, light_C
    elif style.family and not panel and layout.shape == "rect" and tier in ("tiny", "small"):
        # a single sticker is the product's only label: every mandatory item when they fit (the
        # family's light frame leaves the content the whole safe area)
        light_decor, light_C = _family_decor(style.id, pal, W, H, layout.shape, m, light=True)
        plan = arrange.all_in_one_rect(ctx, light_C)
        if plan is not None:
            decor, C = light_decor, light_C
    elif style.family and panel in ("", "front") and tier == "round":
        # a round set's front: the all-in-one arrangement without the back's texts (role options)
        plan = arrange.all_in_one_round(ctx, W, H, m)
    if plan is not None and layout.shape != "rect":
        hero = arrange.arrange_round_all_in_one(ctx, W, H, plan)
    elif plan is not None:
        hero = arrange.arrange_all_in_one(ctx, C, plan)
    elif back and tiny_set:
        hero = arrange.arrange_back_tiny(ctx, C)
    elif style.family and panel == "back" and tier == "round":
        hero = arrange.arrange_round_back(ctx, W, H, m)
    elif back:
        hero = arrange.arrange_back(ctx, C)
    elif tier == "tiny":
        hero = (arrange.arrange_tiny_family if style.family else arrange.arrange_tiny)(ctx, C)
    elif tier == "small" and _photo_front(ctx, layout, C, panel):
        hero = arrange.arrange_photo_front(ctx, C)
    elif tier == "small":
        hero = arrange.arrange_small(ctx, C)
    elif tier == "full":
        hero = arrange.arrange_full(ctx, C)
    elif style.family and tier == "round":
        hero = arrange.arrange_round_family(ctx, W, H, m)
    else:
        hero = arrange.arrange_round(ctx, W, H, m, tier == "round_tiny")
    if hero_fill and not back and plan is None:
        if tier == "tiny" and layout.shape == "rect" and hero.w_mm < C.w_mm - 1:
            block = Box(0, 0, hero.right_mm + 1.0, H)
        else:
            block = Box(0, 0, W, hero.bottom_mm + (0.8 if tier != "full" else 1.0))
        decor = [RectItem(block, fill=pal.primary, bleed=True),
                 RectItem(Box(block.x_mm, block.bottom_mm - 0.8, block.w_mm, 0.8), fill=pal.accent)] + decor
    # moves first, then the panels under the photos: a panel stays under its picture where it went
    items = _apply_overrides(decor + ctx.items, o.overrides, layout)
    placed = items[len(decor):]
    items = items[:len(decor)] + _photo_panels(placed, pal, style.id) + placed
    flags = ("needs_back_label",) if tier in ("tiny", "round_tiny") and not panel and plan is None else ()
    if o.show_ean and not any(isinstance(it, EANItem) for it in ctx.items):
        flags += ("ean_no_room",)       # said in plain words when the product has a GTIN
    doc = LabelDocument(layout.id, tuple(items), background=pal.bg, fonts={"heading": heading, "body": body},
                        clip_to_shape=layout.shape != "rect", flags=flags)
    return thermal_variant(doc, W, H) if layout.thermal else doc


# --------------------------------------------------------------------------- thermal (1-bit) variant
THERMAL_INK = "#000000"
_RULE_MM = 0.3          # a colour band becomes a rule this thick along its inner edge
_THIN_MM = 1.0          # filled shapes at most this thick stay solid black (rules, strips)


def thermal_variant(doc: LabelDocument, label_w_mm: float, label_h_mm: float) -> LabelDocument:
    """The 1-bit-safe variant of a design for a direct-thermal head: same layout, black on white.

    A thermal printer gets the label as dots, thresholded at mid-grey, so tints vanish or turn
    solid and text on a coloured block becomes a black area. Here every text, code, rule and motif
    is black on a white label; colour bands and blocks that run to the cut become a thin black rule
    along their inner edge; other filled panels (the price pill) become outlines, except the band a
    photo-led family sets the name on over its picture (white, outlined: still opaque). Photos stay:
    the painter dithers them on purpose for a thermal stock. Idempotent.
    """
    k = THERMAL_INK
    eps = 0.01
    out: list = []
    for it in doc.items:
        if isinstance(it, (TextItem, QRItem, EANItem, PatternItem)):
            it = replace(it, color=k)
        elif isinstance(it, EllipseItem):
            it = replace(it, fill=None, stroke=k if (it.stroke or it.fill) else None)
        elif isinstance(it, RectItem):
            if it.tag == "photo.band":          # the name's band over a photo stays opaque: white, outlined
                it = replace(it, fill="#FFFFFF", stroke=k, stroke_w_mm=max(it.stroke_w_mm, 0.3), bleed=False)
            elif it.fill is None:
                it = replace(it, stroke=k if it.stroke else None)
            elif it.fill.upper() in ("#FFFFFF", k):
                it = replace(it, stroke=k if it.stroke else None)
            elif it.bleed:
                b = it.box
                left, top = b.x_mm <= eps, b.y_mm <= eps
                right, bottom = b.right_mm >= label_w_mm - eps, b.bottom_mm >= label_h_mm - eps
                if left and right and top and bottom:
                    continue                    # a full-label tint: the label is white on thermal
                if left and right:              # a horizontal band: rule along the edge facing the centre
                    y = b.bottom_mm - _RULE_MM if top else b.y_mm
                    rule = Box(b.x_mm, y, b.w_mm, _RULE_MM)
                else:                           # a vertical block: rule along its inner side
                    x = b.right_mm - _RULE_MM if left else b.x_mm
                    rule = Box(x, b.y_mm, _RULE_MM, b.h_mm)
                it = replace(it, box=rule, fill=k, stroke=None, radius_mm=0.0, bleed=False)
            elif min(it.box.w_mm, it.box.h_mm) <= _THIN_MM:
                it = replace(it, fill=k, stroke=k if it.stroke else None)
            else:
                it = replace(it, fill=None, stroke=k, stroke_w_mm=max(it.stroke_w_mm, 0.25))
        out.append(it)
    return replace(doc, items=tuple(out), background="#FFFFFF")


def _clamp(b: Box, layout: SheetLayout) -> Box:
    m = layout.safe_margin_mm
    w = min(b.w_mm, layout.label_w_mm - 2 * m)
    h = min(b.h_mm, layout.label_h_mm - 2 * m)
    x = min(max(b.x_mm, m), layout.label_w_mm - m - w)
    y = min(max(b.y_mm, m), layout.label_h_mm - m - h)
    return Box(round(x, 3), round(y, 3), round(w, 3), round(h, 3))


#: tags laid out from their owner's box, never moved on their own: a photo-led family's name band
#: (and brand tab) follow the photo (:attr:`arrange.Ctx.photo_box`), the name band a moved name
#: (:attr:`arrange.Ctx.name_box`), a piece of it a variant moved alone (:attr:`arrange.Ctx.variant_box`);
#: an old stored move is ignored
DERIVED_TAGS = frozenset({"photo.band"})


def _apply_overrides(items: list, overrides: dict[str, Box], layout: SheetLayout) -> list:
    """Move/resize the first item of each overridden tag, clamped into the safe area
    (:data:`DERIVED_TAGS` follow their owner instead)."""
    if not overrides:
        return items
    done: set[str] = set(DERIVED_TAGS)
    out = []
    for it in items:
        if it.tag in overrides and it.tag not in done:
            it = replace(it, box=_clamp(overrides[it.tag], layout))
            done.add(it.tag)
        out.append(it)
    return out


def make_overlay(document: LabelDocument, text: str, *, size_pt: float = 7.0) -> LabelDocument:
    """A transparent one-item document that prints ``text`` (e.g. "Kode 2611A · Exp 27-05-2027", the
    same on every label of a print job) inside ``document``'s reserved ``expiry_box``.

    :raises KeyError: the design has no expiry_box.
    """
    boxes = document.find("expiry_box")
    if not boxes:
        raise KeyError("the design has no expiry_box")
    box = boxes[0].box.inset(0.8)
    ink = readable("#000000", document.background or "#FFFFFF", 4.5)
    item = TextItem(box, text, font="body", size_pt=size_pt, min_size_pt=5.5, align="center", valign="middle",
                    color=ink, bold=True, tag="overlay.batch")
    return LabelDocument(document.layout_id, (item,), background=None, fonts=dict(document.fonts))
