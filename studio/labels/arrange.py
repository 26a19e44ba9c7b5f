"""Content arrangement per label size tier (tiny, small, full) and shape, used by templates.py.

Each arranger places the tagged items inside a content box and returns the "hero" box (brand,
name, variant, net quantity) so a style can put a colour block behind it. Boxes are generous:
compose shrinks text to fit and reports what still does not.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from .document import Box, EANItem, ImageItem, Item, PatternItem, QRItem, RectItem, TextItem
from .units import PT_TO_MM

T_BRAND, T_NAME, T_VARIANT, T_NET = "${brand}", "${name}", "${variant}", "${net_qty}"
T_INGR = "${ingredients}"  # the value carries its legal heading ("<b>Komposisi:</b> …")
T_ALLERGEN = "<b>${allergen_stmt}</b>"
T_STORAGE = "${storage}"
T_PRODUCER = T_PRODUCER_SHORT = "${producer}"  # "<b>Diproduksi oleh:</b> …" comes with the value
T_PERMIT, T_HALAL, T_EXPIRY = "${permit}", "Halal ${halal_number}", "${expiry}"
T_EXPIRY_ABOVE_BOX = "${expiry|above_stamp_box}"   # "…: lihat kotak di bawah", not "lihat kemasan"
T_PRICE, T_NUTRITION = "${price}", "<b>Informasi Nilai Gizi</b>\n${nutrition}"
T_NUTRITION_RUN_IN = "<b>Informasi Nilai Gizi:</b> ${nutrition|run_in}"   # footnote run in too
T_QR_CAPTION = "Pindai untuk info produk"
T_WARNING = "<b>${warning}</b>"       # alcohol and sweetener warnings (drawn only when the product has them)
T_PORK = "${pork_warning}"            # "MENGANDUNG BABI", inside the red pork sign
PORK_RED = "#C00000"                  # the pork sign's red (box, pig and words)
NUT_ROWS = ("fat", "sat_fat", "protein", "carb", "sugar", "sodium_mg")   # the %AKG rows, after energy
NUT_INDENT = ("sat_fat", "sugar")
NUT_TABLE_MAX_PT = 7.0
NUT_LINE = 1.22         # row pitch as a multiple of the size
QR_SMALL_MIN_MM = 14.0  # QR box (with quiet zone) on small labels: a version-4 symbol stays >= 10 mm
STAMP_MIN_H_MM = 6.0    # the stamping box is at least this tall when the block has room (preflight DATE-01 minimum)
EAN_MIN_W_MM = 30.0    # EAN-13 box (with quiet zones): 113 modules of >= 0.264 mm (80 % of nominal)
EAN_MIN_H_MM = 13.0    # bars >= 10 mm plus the digits
EAN_MAX_H_MM = 24.0    # about the nominal EAN-13 height (25.9 mm with digits): taller only pushes texts away
QR_ROUND_MM = 15.2      # QR box on round labels: a realistic public address (40+ characters) keeps modules >= 0.37 mm


@dataclass
class Ctx:
    """Everything an arranger needs besides geometry: colours, body size floor and options."""

    ink: str
    muted: str
    brand_ink: str
    hero_ink: str
    hero_muted: str
    hero_brand: str
    line: str
    pill_fill: str
    pill_ink: str
    body_min_pt: float
    opts: object            # DesignOptions (kept untyped here to avoid an import cycle)
    items: list[Item] = field(default_factory=list)
    panel: str = ""         # "front" / "back": a sticker of a label set ("": a label of its own)
    look: dict = field(default_factory=dict)    # a family's layout knobs (see templates.FAMILY_LOOKS)
    band_fill: str = "#000000"      # the opaque band a photo-led family sets its name on, over the photo
    band_ink: str = "#FFFFFF"       # text on that band (contrast checked by the caller)
    #: the producer's box for the photo (moved or resized in the editor, clamped into the safe area):
    #: a photo-led family lays its name band and brand tab out from it, so they follow the picture
    photo_box: Box | None = None
    #: the producer's box for the product name (moved or resized, clamped into the safe area): on a
    #: photo-led family's name band the band and the variant go with the name (:func:`photo_with_name_band`)
    name_box: Box | None = None
    #: the producer's box for the variant (moved or resized alone): on the name band it takes a piece
    #: of the band with it (:func:`photo_with_name_band`), never left on the bare picture
    variant_box: Box | None = None
    safe_box: Box | None = None     # the label's safe area (where a moved name's variant may go)

    def k(self, key: str, default=None):
        """A layout knob of the family (``default`` when the family does not set it)."""
        return self.look.get(key, default)

    def text(self, tag: str, box: Box, text: str, *, size: float, min_size: float | None = None,
             role: str = "body", align: str = "left", valign: str = "top", color: str | None = None,
             bold: bool = False, upper: bool = False, lh: float = 1.17, flow: str = "",
             when: str = "") -> None:
        if box.w_mm <= 1 or box.h_mm <= 1:
            return
        floor = min_size if min_size is not None else self.body_min_pt
        self.items.append(TextItem(box, text, font=role, size_pt=max(size, floor), min_size_pt=floor,
                                   align=align, valign=valign, color=color or self.ink, bold=bold,
                                   line_height=lh, uppercase=upper, flow=flow, tag=tag, when=when,
                                   min_cap_field="net_qty_cap_mm" if tag == "pdp.net_qty" else ""))

    def pork_sign(self, box: Box) -> None:
        """The pork warning sign, drawn only for a product with pork: "MENGANDUNG BABI" in red
        inside a red box, with a pig (spec §2.6, HALAL-05). Pig left, words right on a wide box;
        pig above the words on a narrow one."""
        when = "pork_warning"
        self.items.append(RectItem(box, fill="#FFFFFF", stroke=PORK_RED, stroke_w_mm=0.45, radius_mm=0.6,
                                   tag="warning.sign", when=when))
        inner = box.inset(0.9)
        if inner.w_mm >= inner.h_mm * 2.2:
            pig_w = min(inner.h_mm * 1.6, inner.w_mm * 0.38)
            pig = Box(inner.x_mm, inner.y_mm, pig_w, inner.h_mm)
            words = Box(inner.x_mm + pig_w + 0.8, inner.y_mm, inner.w_mm - pig_w - 0.8, inner.h_mm)
        else:
            pig_h = inner.h_mm * 0.5
            pig = Box(inner.x_mm, inner.y_mm, inner.w_mm, pig_h)
            words = Box(inner.x_mm, inner.y_mm + pig_h + 0.5, inner.w_mm, inner.h_mm - pig_h - 0.5)
        self.items.append(PatternItem(pig, "babi", PORK_RED, 1.0, tag="warning.pig", when=when))
        self.text("warning.pork", words, T_PORK, size=9, role="heading", bold=True, align="center",
                  valign="middle", color=PORK_RED, lh=1.05, when=when)

    def rule(self, x: float, y: float, w: float, weight: float = 0.3, color: str | None = None) -> None:
        self.items.append(RectItem(Box(x, y, w, weight), fill=color or self.line, tag="decor"))

    def qr(self, box: Box) -> None:
        self.items.append(QRItem(box))

    def image(self, key: str, box: Box, tag: str, *, required: bool = True) -> None:
        self.items.append(ImageItem(box, key, "contain", required, tag))

    def price(self, box: Box) -> None:
        self.items.append(RectItem(box, fill=self.pill_fill, radius_mm=box.h_mm / 2, tag="price.bg"))
        self.text("price", box.inset(box.h_mm * 0.18), T_PRICE, size=12, min_size=6, role="heading",
                  align="center", valign="middle", color=self.pill_ink)

    def stamp_box(self, box: Box) -> None:
        """Reserved empty frame where the batch code and date are stamped or overprinted."""
        self.items.append(RectItem(box, fill=None, stroke=self.muted, stroke_w_mm=0.25, radius_mm=0.8,
                                   tag="expiry_box"))


NET_CAP_DEFAULT_MM = 3.0    # BDKT digit height for 50-200 g, the commonest UMKM pack
NET_LINE_PER_CAP = 1.8      # one net-quantity line (em box with the descender of "g") per mm of capital height


def net_line_mm(c: Ctx) -> float:
    """Height of one net-quantity line at the legal capital height the design is laid out for."""
    cap = getattr(c.opts, "net_qty_cap_mm", 0.0) or NET_CAP_DEFAULT_MM
    return cap * NET_LINE_PER_CAP


def brand_line(c: Ctx, box: Box, *, size: float, align: str = "left", logo: bool = True) -> None:
    """The brand row of a family: with ``show_logo`` the producer's logo leads it (as tall as the
    row, at most 40 % of its width) and the brand name follows; else the brand name alone."""
    if logo and c.opts.show_logo and box.h_mm >= 2.0:
        w = min(box.h_mm * 3.0, box.w_mm * 0.4)
        if box.w_mm - w - 1.0 < 16.0:       # too narrow for both: the logo is the brand's mark
            c.image("logo", Box(box.x_mm, box.y_mm, min(box.w_mm, box.h_mm * 4.0), box.h_mm), "logo")
            return
        c.image("logo", Box(box.x_mm, box.y_mm, w, box.h_mm), "logo")
        box = Box(box.x_mm + w + 1.0, box.y_mm, box.w_mm - w - 1.0, box.h_mm)
        align = "left"
    c.text("brand", box, T_BRAND, size=size, min_size=5, role="heading", color=c.hero_brand, upper=True,
           align=align)


NET_W_PER_CAP = 13.0     # "Berat Bersih 250 g" in a bold sans is about this many capital heights wide
NET_W_PER_CAP_COND = 11.0   # the same in the condensed bold (Noto Sans Condensed Bold: 10.7)
NET_CAP_RATIO = 0.714   # capital height of the bundled sans faces as a share of the size


def net_width_mm(c: Ctx) -> float:
    """About how wide the net-quantity statement is at the legal height the design is laid out for."""
    cap = getattr(c.opts, "net_qty_cap_mm", 0.0) or NET_CAP_DEFAULT_MM
    return NET_W_PER_CAP * cap


def hero_rows(c: Ctx, hero_h: float, weights: list[float], name_min_mm: float = 5.0) -> list[float]:
    """Weights of the hero rows (..., name, ..., net quantity last) with the net-quantity row grown
    to one line at the legal height, taking the room from the name row only (down to
    ``name_min_mm``; the name shrinks, brand and variant keep theirs)."""
    w = list(weights)
    k = 1                               # the name is the second row in every hero
    extra = max(0.0, min(net_line_mm(c) - hero_h * w[-1], hero_h * w[k] - name_min_mm))
    w[k] -= extra / hero_h
    w[-1] += extra / hero_h
    return w


def rows(y: float, total_h: float, weights: list[float], gap: float = 0.0) -> list[tuple[float, float]]:
    """Split ``total_h`` from ``y`` into rows proportional to ``weights`` with ``gap`` between them."""
    usable = total_h - gap * (len(weights) - 1)
    s = sum(weights) or 1.0
    out, cur = [], y
    for w in weights:
        h = usable * w / s
        out.append((cur, h))
        cur += h + gap
    return out


def arrange_tiny(c: Ctx, C: Box) -> Box:
    """Name, net quantity and QR only (plus brand when there is height). Returns the hero box."""
    o = c.opts
    portrait = C.h_mm > C.w_mm * 1.15
    q = 0.0
    if o.show_qr:
        q = min(C.w_mm, C.h_mm * 0.5) if portrait else min(C.h_mm, C.w_mm * 0.46, 24.0)
    if portrait:
        hero = Box(C.x_mm, C.y_mm, C.w_mm, C.h_mm - q - (1.0 if q else 0))
        if q:
            c.qr(Box(C.x_mm + (C.w_mm - q) / 2, C.bottom_mm - q, q, q))
    else:
        hero = Box(C.x_mm, C.y_mm, C.w_mm - q - (1.0 if q else 0), C.h_mm)
        if q:
            c.qr(Box(C.right_mm - q, C.y_mm + (C.h_mm - q) / 2, q, q))
        side = min(C.h_mm * 0.9, hero.w_mm - 24.0)
        if c.k("photo") == "side" and o.show_photo and side >= 9.0:     # a photo-led family: the food first
            c.image("photo", Box(hero.x_mm, C.y_mm + (C.h_mm - side) / 2, side, side), "photo")
            hero = Box(hero.x_mm + side + 1.2, hero.y_mm, hero.w_mm - side - 1.2, hero.h_mm)
    weights = [0.17, 0.58, 0.25] if hero.h_mm >= 20 else [0, 0.7, 0.3]
    weights = hero_rows(c, hero.h_mm, weights, 4.0)
    (yb, hb), (yn, hn), (yq, hq) = rows(hero.y_mm, hero.h_mm, weights, 0.4)
    align = "center" if portrait else "left"
    if hb > 0:
        c.text("brand", Box(hero.x_mm, yb, hero.w_mm, hb), T_BRAND, size=7, min_size=5, role="heading",
               color=c.hero_brand, upper=True, align=align)
    c.text("pdp.name", Box(hero.x_mm, yn, hero.w_mm, hn), T_NAME, size=12 * c.k("name_scale", 1.0), min_size=6,
           role="heading", color=c.hero_ink, valign="middle", lh=1.08, align=align, upper=c.k("name_upper", False))
    c.text("pdp.net_qty", Box(hero.x_mm, yq, hero.w_mm, hq), T_NET, size=8, bold=True,
           color=c.hero_ink, valign="bottom", align=align)
    return hero


def arrange_tiny_family(c: Ctx, C: Box) -> Box:
    """A template family's tiny landscape label (thermal rolls, 50 x 30 mm): the net quantity at its
    legal height across the whole width at the bottom (on two lines when one is too wide); above it
    the name (with the photo of a photo-led family) and the QR code when it keeps its scannable
    minimum. Returns the hero box."""
    o = c.opts
    if C.h_mm > C.w_mm * 1.15:
        return arrange_tiny(c, C)
    cap = getattr(o, "net_qty_cap_mm", 0.0) or NET_CAP_DEFAULT_MM
    line = cap / NET_CAP_RATIO * 1.2 * 1.04
    lines = 1 if net_width_mm(c) <= C.w_mm else 2
    net_h = line * lines + 0.3
    zone_h = max(0.0, C.h_mm - net_h - 0.8)     # a very low label: no room above (the preflight says so)
    q = min(zone_h, C.w_mm * 0.46, c.k("qr_mm", 24.0)) if o.show_qr else 0.0
    if q < QR_SMALL_MIN_MM:
        q = 0.0
    hero = Box(C.x_mm, C.y_mm, C.w_mm - (q + 1.0 if q else 0.0), zone_h)
    if q:
        c.qr(Box(C.right_mm - q, C.y_mm, q, q))
    side = min(zone_h, hero.w_mm - 18.0)
    if c.k("photo") == "side" and o.show_photo and side >= 9.0:
        c.image("photo", Box(hero.x_mm, hero.y_mm, side, side), "photo")
        hero = Box(hero.x_mm + side + 1.2, hero.y_mm, hero.w_mm - side - 1.2, hero.h_mm)
    elif o.show_photo and side >= 8.0:      # the other families: a smaller picture right of the name
        side = min(side, zone_h * 0.8)
        c.image("photo", Box(hero.right_mm - side, hero.y_mm, side, side), "photo")
        hero = Box(hero.x_mm, hero.y_mm, hero.w_mm - side - 1.2, hero.h_mm)
    brand_h = min(3.2, zone_h * 0.2) if zone_h >= 12.0 else 0.0
    if brand_h:
        brand_line(c, Box(hero.x_mm, hero.y_mm, hero.w_mm, brand_h), size=7)
    c.text("pdp.name", Box(hero.x_mm, hero.y_mm + brand_h, hero.w_mm, zone_h - brand_h), T_NAME,
           size=12 * c.k("name_scale", 1.0), min_size=6, role="heading", color=c.hero_ink, valign="middle",
           lh=1.04, upper=c.k("name_upper", False))
    c.text("pdp.net_qty", Box(C.x_mm, C.bottom_mm - net_h - 0.3, C.w_mm, net_h), T_NET, size=8, bold=True,
           color=c.hero_ink, valign="bottom", lh=1.04)
    return Box(C.x_mm, C.y_mm, C.w_mm, C.h_mm)


def _brand_and_variant_line(c: Ctx, hero: Box, y: float, h: float, *, logo: bool) -> None:
    """Brand (left) and variant (right) on one line at ``y`` when the hero is too low for a row each."""
    half = hero.w_mm / 2
    brand_line(c, Box(hero.x_mm, y, half - 0.5, h), size=8, logo=logo)
    c.text("variant", Box(hero.x_mm + half, y, half, h), T_VARIANT, size=7, min_size=5, color=c.hero_muted,
           align="right")


SHARED_HALF_MIN_MM = 14.0   # brand or variant in half a shared line: narrower and a 9-letter brand no longer fits
HALAL_LOGO_MIN_MM = 6.0     # the halal logo made room for a line above it: never smaller than this


def _halal_logo_under(c: Ctx, top: float) -> bool:
    """Shrink the halal logo placed last so it starts at ``top`` (its right edge and its foot stay,
    next to the certificate number under it). False (nothing changed) when it would become smaller
    than :data:`HALAL_LOGO_MIN_MM`."""
    i = next((i for i in range(len(c.items) - 1, -1, -1) if c.items[i].tag == "halal_logo"), None)
    if i is None:
        return False
    b = c.items[i].box
    side = min(b.h_mm, b.bottom_mm - top)
    if side < HALAL_LOGO_MIN_MM:
        return False
    c.items[i] = replace(c.items[i], box=Box(b.right_mm - side, b.bottom_mm - side, side, side))
    return True


def arrange_small(c: Ctx, C: Box) -> Box:
    """Essentials: brand, name, variant, net quantity, permit, halal, producer, expiry, QR."""
    o = c.opts
    stack = C.w_mm < 62 and C.h_mm >= 40
    info_h = min(max(16.0, C.h_mm * 0.42), 20.0) if stack else min(max(14.5, C.h_mm * 0.44), 18.0)
    if o.show_qr:       # never at the cost of a scannable QR code beside the name
        info_h = max(min(info_h, C.h_mm - 1.6 - QR_SMALL_MIN_MM), min(max(11.5, C.h_mm * 0.34), 15.0))
    qr_in_info = c.k("qr_at") == "info" and o.show_qr
    if qr_in_info:      # the QR at its scannable minimum in the information strip, not beside the name
        info_h = max(info_h, QR_SMALL_MIN_MM)
    top_h = C.h_mm - info_h - 1.6
    # a family whose net quantity (at its legal height) is wider than the room beside the QR code sets
    # it as a row of the sticker's whole width under the name; the QR keeps its place only if it still
    # has its scannable minimum above that row (else it belongs on the back label)
    beside = c.k("qr_mm", 24.0) + 1.5 if o.show_qr and not qr_in_info else 0.0
    if c.k("photo") == "side" and o.show_photo:
        beside += min(top_h * c.k("photo_aspect", 1.0), C.w_mm * 0.36) + 2.0
    elif c.look and o.show_photo and C.w_mm / C.h_mm <= 2.2:   # the photo's corner right of the name
        beside += min(top_h, C.w_mm * 0.26, 16.0) + 1.5
    net_full = bool(c.look) and net_width_mm(c) > C.w_mm - beside and top_h - net_line_mm(c) - 0.4 >= 8.0
    zone_h = top_h - net_line_mm(c) - 0.4 if net_full else top_h
    q = min(zone_h, C.w_mm * 0.32, c.k("qr_mm", 24.0)) if o.show_qr and not qr_in_info else 0.0
    if net_full and q < max(QR_SMALL_MIN_MM, c.k("qr_mm", 0.0)):
        q = 0.0
    # the front sticker of a set has no QR (it is on the back): the halal logo takes its corner,
    # resting on the rule so the certificate number below stays next to it
    logo_side = min(top_h, C.w_mm * 0.26, 16.0) if c.panel == "front" and not q and o.show_halal \
        and o.halal_logo else 0.0
    if logo_side:       # over the net-quantity row, which then takes the sticker's whole width
        logo_side = min(logo_side, top_h - net_line_mm(c) - 0.6)
    if logo_side > 6.0:
        net_full = False
        zone_h = top_h
        c.image("halal_logo", Box(C.right_mm - logo_side, C.y_mm + top_h - net_line_mm(c) - 0.6 - logo_side,
                                  logo_side, logo_side), "halal_logo", required=False)
        q = 0.0
    else:
        logo_side = 0.0
    side = q + 1.5 if q else (logo_side + 1.5 if logo_side else 0.0)
    ean_w = max(EAN_MIN_W_MM + 1.0, zone_h * 1.8)
    ean = o.show_ean and zone_h >= EAN_MIN_H_MM and C.w_mm - side - ean_w - 1.5 >= 40.0
    photo = 0.0
    if ean:                 # the barcode takes the photo's place, right of the name
        c.items.append(EANItem(Box(C.right_mm - side - ean_w, C.y_mm, ean_w, zone_h)))
    elif o.show_photo and (C.w_mm / C.h_mm > 2.2 or c.k("photo") == "side"):
        photo = min(zone_h * c.k("photo_aspect", 1.0), C.w_mm * 0.36)
        # beside the halal logo (a set's front) the net-quantity row runs under the picture too
        ph = zone_h - net_line_mm(c) - 0.6 if (logo_side and c.look) else zone_h
        c.image("photo", Box(C.x_mm, C.y_mm, photo, ph), "photo")
    logo_placed = False
    if c.look and not side and not ean and ((o.show_photo and not photo) or o.show_logo):
        # a family's free corner right of the name: the food picture, else the producer's logo
        extra = min(zone_h, C.w_mm * 0.26, 16.0)
        room = C.w_mm - (photo + 2.0 if photo else 0.0) - extra - 1.5
        if extra >= 8.0 and (net_full or room >= net_width_mm(c)):
            key = "photo" if (o.show_photo and not photo) else "logo"
            c.image(key, Box(C.right_mm - extra, C.y_mm, extra, zone_h), key)
            side = extra + 1.5
            logo_placed = key == "logo"
    x0 = C.x_mm + (photo + 2.0 if photo else 0.0)
    right_w = side + (ean_w + 1.5 if ean else 0.0)
    hero = Box(x0, C.y_mm, C.right_mm - x0 - right_w, zone_h)
    if q:
        qx = C.right_mm - q
        c.qr(Box(qx, C.y_mm + zone_h - q, q, q))
        free = zone_h - q
        if o.show_photo and not photo and free >= 11:
            c.image("photo", Box(qx, C.y_mm, q, free - 1.0), "photo")
        elif o.show_logo and free >= 7:
            c.image("logo", Box(qx, C.y_mm, q, free - 1.0), "logo")
            logo_placed = True
        if o.show_price and free >= 5 and not (o.show_photo and free >= 11):
            c.price(Box(qx, C.y_mm + free - 5.5, q, 4.5))
    if net_full:            # brand, name and variant beside the picture; the net quantity row below
        if hero.h_mm >= 11.5:
            (yb, hb), (yn, hn), (yv, hv) = rows(hero.y_mm, hero.h_mm, [0.2, 0.58, 0.22], 0.2)
        else:               # brand and variant share the first line, brand left and variant right
            (yb, hb), (yn, hn) = rows(hero.y_mm, hero.h_mm, [0.3, 0.7], 0.2)
            _brand_and_variant_line(c, hero, yb, hb, logo=not logo_placed)
            hb = hv = 0.0
            yv = yb
        yq, hq = C.y_mm + zone_h + 0.4, net_line_mm(c)
    else:
        (yb, hb), (yn, hn), (yv, hv), (yq, hq) = rows(
            hero.y_mm, hero.h_mm, hero_rows(c, hero.h_mm, c.k("small_rows", [0.15, 0.47, 0.15, 0.23])), 0.3)
        if c.look and min(hb, hv) < 2.4:    # too low for their own rows: brand and variant share one line
            (yb, hb), (yn, hn), (yq, hq) = rows(hero.y_mm, hero.h_mm, hero_rows(c, hero.h_mm, [0.2, 0.5, 0.3]),
                                                0.3)
            line = hero
            if logo_side and hero.w_mm / 2 < SHARED_HALF_MIN_MM and _halal_logo_under(c, yb + hb + 0.3):
                # a photo-led set's front: between the picture and the halal logo a half line is too
                # narrow for a brand or a variant; their line runs over the logo's column as well
                line = Box(hero.x_mm, hero.y_mm, C.right_mm - hero.x_mm, hero.h_mm)
            _brand_and_variant_line(c, line, yb, hb, logo=not logo_placed)
            hb = hv = 0.0
            yv = yb
    align = c.k("align", "left")
    if hb and c.look:
        brand_line(c, Box(hero.x_mm, yb, hero.w_mm, hb), size=8, align=align, logo=not logo_placed)
    elif hb:
        c.text("brand", Box(hero.x_mm, yb, hero.w_mm, hb), T_BRAND, size=8, min_size=5, role="heading",
               color=c.hero_brand, upper=True, align=align)
    c.text("pdp.name", Box(hero.x_mm, yn, hero.w_mm, hn), T_NAME, size=14 * c.k("name_scale", 1.0), min_size=7,
           role="heading", color=c.hero_ink, valign="middle", lh=1.02 if c.k("name_upper") else 1.06, align=align,
           upper=c.k("name_upper", False))
    if hv:
        c.text("variant", Box(hero.x_mm, yv, hero.w_mm, hv), T_VARIANT, size=7, min_size=5, color=c.hero_muted,
               align=align)
    net_x = C.x_mm if (net_full or (logo_side and c.look)) else hero.x_mm
    net_w = C.right_mm - net_x if (logo_side or net_full) else hero.w_mm
    c.text("pdp.net_qty", Box(net_x, yq, net_w, hq), T_NET, size=10, min_size=6, bold=True,
           color=c.hero_ink, valign="bottom", align=align)
    y = C.y_mm + top_h + 0.6
    c.rule(C.x_mm, y, C.w_mm)
    # producer and expiry (and in a narrow stack also permit and halal) share one flow: a short
    # permit leaves its room to a long address, and nothing is drawn over its neighbour
    F = Box(C.x_mm, y + 0.8, C.w_mm, C.bottom_mm - (y + 0.8))
    if qr_in_info:
        q = min(F.h_mm, c.k("qr_mm", QR_SMALL_MIN_MM))
        c.qr(Box(C.right_mm - q, C.bottom_mm - q, q, q))
        F = Box(F.x_mm, F.y_mm, F.w_mm - q - 1.2, F.h_mm)
    if not stack:       # permit | halal side by side when both fit their column, else stacked
        half = F.w_mm * 0.52
        c.text("pdp.permit", Box(C.x_mm, F.y_mm, half - 1, F.h_mm), T_PERMIT, size=6.5, bold=True, flow="info")
        if o.show_halal:
            c.text("pdp.halal", Box(C.x_mm + half, F.y_mm, F.w_mm - half, F.h_mm), T_HALAL, size=6.5,
                   align="right", flow="info")
    else:
        id_flow(c, F, 6.5, ids=True, rest=False)
    # no room for the pork sign here: the words alone (the preflight asks for the sign)
    id_flow(c, F, 6.5, ids=False)
    return hero


def id_flow(c: Ctx, F: Box, size: float, *, ids: bool = True, rest: bool = True) -> None:
    """Into the flow ``F``: permit and halal number (``ids``), then producer, best-before and the
    warnings in words (``rest``), each after the one before, at ``size`` pt."""
    if ids:
        c.text("pdp.permit", F, T_PERMIT, size=size, bold=True, flow="info")
        if c.opts.show_halal:
            c.text("pdp.halal", F, T_HALAL, size=size, flow="info")
    if rest:
        c.text("pdp.producer", F, T_PRODUCER_SHORT, size=size, flow="info")
        c.text("pdp.expiry", F, T_EXPIRY, size=size, color=c.ink, flow="info")
        c.text("warning.pork", F, T_PORK, size=size, bold=True, color=PORK_RED, flow="info", when="pork_warning")
        c.text("warning", F, T_WARNING, size=size, flow="info", when="warning")


PHOTO_BAND_PAD_MM = 0.9    # inside the name band, around the name


def photo_with_name_band(c: Ctx, P: Box, *, name_pt: float, name_lines: int, variant: bool) -> Box:
    """A photo-led family's picture filling ``P`` (cropped to fill, the food as big as the box) with
    the product name (and the variant) set on an opaque band across the picture's foot: the name
    never sits on the picture itself (PP 69/1999: no background that obscures the principal panel's
    text). A photo the producer moved or resized (``c.photo_box``) takes its band, name and variant
    with it: they are laid out from the picture's new box. A name the producer moved or resized
    (``c.name_box``) takes its band and variant with it (:func:`_band_round_name`); a variant moved
    on its own (``c.variant_box``) takes a piece of the band with it and leaves the name's band to the
    name. Returns the name's band's box."""
    P = c.photo_box or P
    c.items.append(ImageItem(P, "photo", "cover", True, "photo"))
    name_h = name_lines * name_pt * 1.06 * PT_TO_MM + 0.3
    beside = variant and name_lines == 1        # one name line: the variant at its right end
    if variant and c.variant_box is not None:   # moved on its own: the name's band holds the name only
        band = _name_band(c, P, name_pt, name_h, variant=False, beside=False)
        _band_round_variant(c, c.variant_box, at_end=beside)
        return band
    return _name_band(c, P, name_pt, name_h, variant=variant, beside=beside)


def _name_band(c: Ctx, P: Box, name_pt: float, name_h: float, *, variant: bool, beside: bool) -> Box:
    """The name (and the variant unless it was moved on its own) on the band at the picture ``P``'s
    foot, or round the producer's box for the name (:func:`_band_round_name`)."""
    if c.name_box is not None:
        return _band_round_name(c, c.name_box, name_pt, variant=variant, beside=beside)
    var_h = 7.0 * 1.2 * PT_TO_MM if variant and not beside else 0.0
    band_h = min(name_h + var_h + 2 * PHOTO_BAND_PAD_MM, P.h_mm * 0.5)
    band = Box(P.x_mm, P.bottom_mm - band_h, P.w_mm, band_h)
    c.items.append(RectItem(band, fill=c.band_fill, tag="photo.band"))
    inner = band.inset(PHOTO_BAND_PAD_MM)
    nh = inner.h_mm - var_h
    nw = inner.w_mm * 0.74 if beside else inner.w_mm
    c.text("pdp.name", Box(inner.x_mm, inner.y_mm, nw, nh), T_NAME, size=name_pt * c.k("name_scale", 1.0),
           min_size=7, role="heading", color=c.band_ink, valign="middle", lh=1.04, upper=c.k("name_upper", False))
    if beside:
        c.text("variant", Box(inner.x_mm + nw + 1.0, inner.y_mm, inner.w_mm - nw - 1.0, nh), T_VARIANT, size=8,
               min_size=5, color=c.band_ink, align="right", valign="middle")
    elif variant:
        c.text("variant", Box(inner.x_mm, inner.y_mm + nh, inner.w_mm, var_h), T_VARIANT, size=7, min_size=5,
               color=c.band_ink)
    return band


BAND_VARIANT_SHARE = 0.26   # a one-line name band: the variant's share of the band's width, at its right end


def _band_round_name(c: Ctx, N: Box, name_pt: float, *, variant: bool, beside: bool) -> Box:
    """The name band laid out from the producer's box for the name ``N`` (moved or resized in the
    editor): the name exactly in ``N``, the variant at its right end as on the photo when it has
    that room in the safe area, else under the name (above it at the safe area's foot), and the
    opaque band round both. The name is never left on the picture without its band."""
    S = c.safe_box or N
    var_box, at_end = None, False     # at_end: the variant at the name's right end (else under it)
    if variant:
        vw = N.w_mm * BAND_VARIANT_SHARE / (1.0 - BAND_VARIANT_SHARE) - 1.0
        var_h = 7.0 * 1.2 * PT_TO_MM
        at_end = beside and N.right_mm + 1.0 + vw <= S.right_mm + 1e-6
        if at_end:
            var_box = Box(N.right_mm + 1.0, N.y_mm, vw, N.h_mm)
        else:
            y = N.bottom_mm if N.bottom_mm + var_h <= S.bottom_mm + 1e-6 else N.y_mm - var_h
            var_box = Box(N.x_mm, y, N.w_mm, var_h)
    boxes = [N] + ([var_box] if var_box else [])
    x0, y0 = min(b.x_mm for b in boxes), min(b.y_mm for b in boxes)
    x1, y1 = max(b.right_mm for b in boxes), max(b.bottom_mm for b in boxes)
    pad = PHOTO_BAND_PAD_MM
    band = Box(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad)
    c.items.append(RectItem(band, fill=c.band_fill, tag="photo.band"))
    c.text("pdp.name", N, T_NAME, size=name_pt * c.k("name_scale", 1.0), min_size=7, role="heading",
           color=c.band_ink, valign="middle", lh=1.04, upper=c.k("name_upper", False))
    if var_box is not None:
        c.text("variant", var_box, T_VARIANT, size=8.0 if at_end else 7.0, min_size=5, color=c.band_ink,
               align="right" if at_end else "left", valign="middle" if at_end else "top")
    return band


def _band_round_variant(c: Ctx, V: Box, *, at_end: bool) -> None:
    """The variant in the producer's box ``V`` (moved or resized alone in the editor) on its own piece
    of the name band: the opaque band colour round it, wherever it went (on the picture or off it),
    set as it was (at the name's right end: 8 pt, right-aligned; under the name: 7 pt)."""
    pad = PHOTO_BAND_PAD_MM
    c.items.append(RectItem(Box(V.x_mm - pad, V.y_mm - pad, V.w_mm + 2 * pad, V.h_mm + 2 * pad),
                            fill=c.band_fill, tag="photo.band"))
    c.text("variant", V, T_VARIANT, size=8.0 if at_end else 7.0, min_size=5, color=c.band_ink,
           align="right" if at_end else "left", valign="middle")


def brand_tab(c: Ctx, P: Box, h: float = 4.2) -> None:
    """The brand on a small opaque tab in the picture's top-left corner (never on the picture itself);
    on a moved photo, in its new corner, and never into the name band over the picture's lower half."""
    P = c.photo_box or P
    h = min(h, P.h_mm * 0.5 - 0.3)
    w = min(P.w_mm * 0.4, 28.0)
    c.items.append(RectItem(Box(P.x_mm, P.y_mm, w, h), fill=c.band_fill, tag="photo.band"))
    c.text("brand", Box(P.x_mm + 1.0, P.y_mm + 0.5, w - 2.0, h - 1.0), T_BRAND, size=8, min_size=5,
           role="heading", color=c.band_ink, upper=True, valign="middle")


def arrange_photo_front(c: Ctx, C: Box) -> Box:
    """The front sticker of a label set in a photo-led family (landscape): the food picture fills the
    left part at the sticker's full height with the name and variant on an opaque band across its
    foot; right of it the brand (the halal logo in its corner), the net quantity at its legal height,
    then permit, halal number, producer and best-before as one flow."""
    o = c.opts
    if C.w_mm < C.h_mm * 2.0:
        return _photo_front_stacked(c, C)
    pw = min(C.w_mm * 0.44, C.h_mm * 1.4)
    pw = max(C.w_mm * 0.3, min(pw, C.w_mm - 2.0 - net_width_mm(c) - 0.5))   # the net quantity keeps its width
    photo_with_name_band(c, Box(C.x_mm, C.y_mm, pw, C.h_mm), name_pt=12.0, name_lines=2, variant=True)
    R = Box(C.x_mm + pw + 2.0, C.y_mm, C.w_mm - pw - 2.0, C.h_mm)
    logo = min(7.0, R.h_mm * 0.22) if o.show_halal and o.halal_logo else 0.0
    top_h = max(logo, 3.6)
    if logo:
        c.image("halal_logo", Box(R.right_mm - logo, R.y_mm, logo, logo), "halal_logo", required=False)
    brand_line(c, Box(R.x_mm, R.y_mm, R.w_mm - (logo + 1.0 if logo else 0.0), top_h), size=8)
    y = R.y_mm + top_h + 0.3
    nq = net_line_mm(c)
    c.text("pdp.net_qty", Box(R.x_mm, y, R.w_mm, nq), T_NET, size=10, min_size=6, bold=True, color=c.hero_ink,
           valign="bottom")
    y += nq + 0.6
    c.rule(R.x_mm, y, R.w_mm)
    F = Box(R.x_mm, y + 0.8, R.w_mm, R.bottom_mm - (y + 0.8))
    id_flow(c, F, 6.5)
    return Box(C.x_mm, C.y_mm, C.w_mm, y - C.y_mm)


def arrange_full(c: Ctx, C: Box) -> Box:
    """Every mandatory item plus photo (landscape or portrait)."""
    if C.h_mm > C.w_mm * 1.2:
        return _full_portrait(c, C)
    o = c.opts
    hero_h = C.h_mm * (0.31 if o.show_nutrition else 0.41)   # a nutrition panel needs the room
    if c.k("photo_hero") and o.show_photo:
        return _full_photo_hero(c, C, C.h_mm * (0.46 if o.show_nutrition else 0.54))
    photo = min(hero_h * c.k("photo_aspect", 1.0), C.w_mm * 0.4) if o.show_photo else 0.0
    if photo:
        c.image("photo", Box(C.x_mm, C.y_mm, photo, hero_h), "photo")
    x0 = C.x_mm + (photo + 3.0 if photo else 0.0)
    side = 0.0
    if o.show_logo or o.show_price:
        side = min(hero_h * 0.62, 20.0)
        sy = C.y_mm
        if o.show_logo:
            c.image("logo", Box(C.right_mm - side, sy, side, side * 0.7), "logo")
            sy += side * 0.7 + 1.5
        if o.show_price:
            c.price(Box(C.right_mm - side, min(sy, C.y_mm + hero_h - 6), side, 5.5))
    hero = Box(x0, C.y_mm, C.right_mm - x0 - (side + 2 if side else 0), hero_h)
    (yb, hb), (yn, hn), (yv, hv), (yq, hq) = rows(hero.y_mm, hero.h_mm,
                                                  hero_rows(c, hero.h_mm, [0.14, 0.48, 0.14, 0.24], 10.0), 0.4)
    c.text("brand", Box(hero.x_mm, yb, hero.w_mm, hb), T_BRAND, size=9, min_size=6, role="heading",
           color=c.hero_brand, upper=True)
    c.text("pdp.name", Box(hero.x_mm, yn, hero.w_mm, hn), T_NAME, size=20 * c.k("name_scale", 1.0),
           upper=c.k("name_upper", False), min_size=9, role="heading",
           color=c.hero_ink, valign="middle", lh=1.04)
    c.text("variant", Box(hero.x_mm, yv, hero.w_mm, hv), T_VARIANT, size=8.5, color=c.hero_muted)
    c.text("pdp.net_qty", Box(hero.x_mm, yq, hero.w_mm, hq), T_NET, size=13, min_size=7, bold=True,
           color=c.hero_ink, valign="bottom")
    _full_info(c, C, C.y_mm + hero_h + 1.4)
    return hero


def _photo_front_stacked(c: Ctx, C: Box) -> Box:
    """A photo-led set front too narrow for the picture beside the net quantity (60 x 45 mm): the
    picture across the width with the brand on a tab and the name on a band; under it the net
    quantity at its legal height across the whole width, then permit, halal number, producer and
    best-before as one flow with the halal logo at its right."""
    o = c.opts
    nq = net_line_mm(c)
    flow_h = max(17.5, C.h_mm * 0.42)     # six lines: permit, halal, producer (2), best-before + its overlay line
    ph = C.h_mm - flow_h - nq - 0.6 - 1.4
    P = Box(C.x_mm, C.y_mm, C.w_mm, ph)
    photo_with_name_band(c, P, name_pt=11.0, name_lines=1, variant=True)
    brand_tab(c, P, 3.6)
    y = P.bottom_mm + 0.6
    c.text("pdp.net_qty", Box(C.x_mm, y, C.w_mm, nq), T_NET, size=10, min_size=6, bold=True, color=c.hero_ink,
           valign="bottom")
    y += nq + 0.6
    c.rule(C.x_mm, y, C.w_mm)
    F = Box(C.x_mm, y + 0.8, C.w_mm, C.bottom_mm - (y + 0.8))
    if o.show_halal and o.halal_logo:       # beside the flow that holds its certificate number (HALAL-03)
        side = min(7.0, F.h_mm * 0.45)
        c.image("halal_logo", Box(F.right_mm - side, F.y_mm, side, side), "halal_logo", required=False)
        F = Box(F.x_mm, F.y_mm, F.w_mm - side - 1.0, F.h_mm)
    id_flow(c, F, 6.0)
    return Box(C.x_mm, C.y_mm, C.w_mm, y - C.y_mm)


def _full_photo_hero(c: Ctx, C: Box, hero_h: float) -> Box:
    """A photo-led family's full-size landscape label: the food picture across the whole width of
    the top part, the name and variant on an opaque band across its foot, the brand on a small
    opaque tab in its corner; the net quantity (and logo, price) on a row under it; then the
    information part of :func:`arrange_full`."""
    o = c.opts
    nq = max(net_line_mm(c), 5.0)
    side = 0.0
    if o.show_logo or o.show_price:
        side = min(nq * 2.4, 20.0)
    ph = hero_h - nq - 0.6
    P = Box(C.x_mm, C.y_mm, C.w_mm, ph)
    photo_with_name_band(c, P, name_pt=16.0, name_lines=1, variant=True)
    brand_tab(c, P)
    y = P.bottom_mm + 0.6
    # the halal logo at the right end of the net-quantity row (the id column below keeps its room
    # for permit, halal number, best-before and the stamping box)
    halal = nq if o.show_halal and o.halal_logo else 0.0
    right = (side + 1.5 if side else 0.0) + (halal + 1.5 if halal else 0.0)
    c.text("pdp.net_qty", Box(C.x_mm, y, C.w_mm - right, nq), T_NET, size=13, min_size=7,
           bold=True, color=c.hero_ink, valign="bottom")
    x = C.right_mm - right + 1.5
    if halal:
        c.image("halal_logo", Box(C.right_mm - halal, y, halal, halal), "halal_logo", required=False)
    if side:
        if o.show_logo:
            c.image("logo", Box(x, y, side / 2 - 0.5 if o.show_price else side, nq), "logo")
            x += side / 2 + 0.5
        if o.show_price:
            c.price(Box(x, y + (nq - 5.0) / 2, side / 2 if o.show_logo else side, 5.0))
    c.opts = replace(o, halal_logo=False)       # placed above: the id column sets the number in its flow
    try:
        _full_info(c, C, C.y_mm + hero_h + 1.0)
    finally:
        c.opts = o
    return Box(C.x_mm, C.y_mm, C.w_mm, hero_h)


def _full_info(c: Ctx, C: Box, y: float) -> None:
    """The information part of a full-size landscape label below ``y``: ingredients, allergens,
    storage, producer and nutrition (a table where it fits), the ids with the halal logo and the
    stamping box, the QR code and the barcode."""
    o = c.opts
    c.rule(C.x_mm, y, C.w_mm, 0.35)
    iy, ih = y + 1.6, C.bottom_mm - (y + 1.6)
    q = min(ih * 0.62, 17.0 if o.show_nutrition else 21.0) if o.show_qr else 0.0
    if o.show_ean and q:    # a smaller (still scannable) QR leaves the barcode its height
        q = max(min(q, ih - EAN_MIN_H_MM - 1.0), QR_SMALL_MIN_MM)
    mid_w = min(max(C.w_mm * (0.27 if o.show_nutrition else 0.31), 24.0), 32.0)   # the info text needs width
    right_w = max(q, 16.0) if (q or o.show_ean) else 0.0
    left_w = C.w_mm - mid_w - right_w - 4.0
    info = Box(C.x_mm, iy, left_w, ih)
    table_w = min(46.0, left_w * 0.5)
    if o.show_nutrition and left_w >= 75.0 and nutrition_table(c, Box(info.right_mm - table_w, iy, table_w, ih)):
        _info_column(c, Box(C.x_mm, iy, left_w - table_w - 2.0, ih), size=7.0, nutrition=False)
    else:
        _info_column(c, info, size=7.0)
    ean = bool(right_w) and o.show_ean and ih - q - 1 >= EAN_MIN_H_MM and right_w + 14 >= EAN_MIN_W_MM
    if ean and o.show_nutrition and ih - EAN_MIN_H_MM - 1 < 27.0:
        ean = False     # under the barcode the id column could not hold halal number, permit, date and box
    cap_h = max(0.0, ih - q) if not ean else (4.6 if ih - q >= 14 + 5.0 else 0.0)
    # a crowded label (nutrition shown) gives the barcode no more than its minimum height
    ean_h = min(ih - q - 1 - (cap_h + 0.4 if cap_h else 0.0),
                EAN_MIN_H_MM + 1 if o.show_nutrition else EAN_MAX_H_MM)
    # the barcode reaches 14 mm into the id column: its texts start below it
    _id_column(c, Box(C.x_mm + left_w + 2.0, iy, mid_w, ih), text_top=iy + ean_h + 0.8 if ean else 0.0)
    if right_w:
        rx = C.right_mm - right_w
        if q:
            c.qr(Box(rx, C.bottom_mm - q, q, q))
            if cap_h:       # the caption sits between the barcode and the QR, never over the digits
                c.text("qr.caption", Box(rx, C.bottom_mm - q - cap_h, right_w, cap_h), T_QR_CAPTION, size=6,
                       min_size=5, align="center", valign="bottom", color=c.muted)
        if ean:
            c.items.append(EANItem(Box(rx - 14, iy, right_w + 14, ean_h)))


def arrange_back(c: Ctx, C: Box) -> Box:
    """The information panel of a label set (the back sticker): ingredients, allergens, storage
    and nutrition as one flow, the QR code, the barcode when there is room, and the stamping box
    for the batch code and date. The principal-panel items are on the front sticker. Returns an
    empty hero box (the back has no name block)."""
    o = c.opts
    size = 7.0 if C.w_mm * C.h_mm >= 3000 else 6.5
    stamp_h = max(STAMP_MIN_H_MM + 0.4, min(C.h_mm * 0.2, 9.0))
    landscape = C.w_mm >= C.h_mm * 1.15
    # a family's back whose text does not hold at the body floor (keripik's ~340 characters of
    # nutrition on an L7160 sticker): the QR at its scannable minimum, the nutrition run in after its
    # heading (footnote too), and the condensed face when the body face still does not hold it
    tight = bool(c.look and any(getattr(o, "info_lengths", ())))
    if landscape:       # text left; QR (top) and stamping box (bottom) in a right column
        q = min(C.h_mm - stamp_h - 1.2, C.w_mm * 0.3, 21.0) if o.show_qr else 0.0
        q = q if q >= QR_SMALL_MIN_MM - 2.0 else 0.0
        tight = tight and _back_need_mm(c, C.w_mm - max(q, 15.4) - 1.5) > C.h_mm
        if tight and q:
            q = min(q, max(QR_SMALL_MIN_MM, c.k("qr_mm", QR_SMALL_MIN_MM)))
        right_w = max(q, 15.4)
        rx = C.right_mm - right_w
        if q:
            c.qr(Box(C.right_mm - q, C.y_mm, q, q))
        free = C.h_mm - q - stamp_h - 1.2
        if o.show_ean and free >= 12.0:
            c.items.append(EANItem(Box(rx, C.y_mm + q + 0.6, right_w, free - 0.6)))
        else:           # the box takes the rest of the column: code, production and best-before dates fit
            stamp_h = C.h_mm - q - (1.2 if q else 0.0)
        c.stamp_box(Box(rx, C.bottom_mm - stamp_h, right_w, stamp_h))
        text = Box(C.x_mm, C.y_mm, rx - C.x_mm - 1.5, C.h_mm)
    else:               # text on top; QR and stamping box side by side below
        q = min(C.h_mm * 0.3, C.w_mm * 0.45, 21.0) if o.show_qr else 0.0
        q = q if q >= QR_SMALL_MIN_MM - 2.0 else 0.0
        row_h = max(q, stamp_h, 12.0)
        y = C.bottom_mm - row_h
        if q:
            c.qr(Box(C.right_mm - q, y, q, q))
        c.stamp_box(Box(C.x_mm, y, max(15.4, C.w_mm - q - 2.0), row_h))
        text = Box(C.x_mm, C.y_mm, C.w_mm, y - C.y_mm - 1.2)
        tight = tight and _back_need_mm(c, text.w_mm) > text.h_mm
    face: dict = {}
    if tight:
        run_in = 2 * c.body_min_pt * 1.05 * PT_TO_MM      # the heading's and the footnote's own lines
        cond = (INFO_COND_FONT, INFO_COND_MIN_PT, INFO_COND_CHAR_EM)
        if _info_h_mm(c, text.w_mm, 1.05, only=BACK_KEYS) - run_in > text.h_mm:
            face = {"role": cond[0], "min_size": cond[1]}
    table = False
    if o.show_nutrition and c.look and c.k("back_table", True):     # a family's back: the table where it fits
        table_w = min(46.0, text.w_mm * 0.5)
        if table_w >= 32.0 and text.w_mm - table_w >= 30.0 \
                and nutrition_table(c, Box(text.right_mm - table_w, text.y_mm, table_w, text.h_mm)):
            text = Box(text.x_mm, text.y_mm, text.w_mm - table_w - 1.5, text.h_mm)
            table = True
    parts: list[tuple[str, str]] = []
    if o.show_ingredients:
        parts += [("ingredients", T_INGR), ("allergen_stmt", T_ALLERGEN)]
    parts.append(("warning", T_WARNING))        # drawn only when the product has a warning
    if o.show_storage:
        parts.append(("storage", T_STORAGE))
    if o.show_nutrition and not table:
        parts.append(("nutrition", T_NUTRITION_RUN_IN if tight else T_NUTRITION))
    for tag, t in parts:
        c.text(tag, text, t, size=size, flow="info", lh=1.05,
               when=tag if tag in ("warning", "allergen_stmt", "storage") else "", **face)
    return Box(C.x_mm, C.y_mm, 0.0, 0.0)


def _back_need_mm(c: Ctx, w_mm: float) -> float:
    """About how tall a set back's text (:data:`BACK_KEYS`) is at the body floor in a column
    ``w_mm`` wide."""
    return _info_h_mm(c, w_mm, 1.05, only=BACK_KEYS)


def _info_column(c: Ctx, B: Box, size: float, nutrition: bool = True) -> None:
    """Ingredients, allergens, storage, producer and (unless it has its own table) the nutrition
    information as running text with its footnote, stacked as one flow."""
    o = c.opts
    parts: list[tuple[str, str]] = []
    if o.show_ingredients:
        parts += [("ingredients", T_INGR), ("allergen_stmt", T_ALLERGEN)]
    parts.append(("warning", T_WARNING))        # drawn only when the product has a warning
    if o.show_storage:
        parts.append(("storage", T_STORAGE))
    # the producer is a mandatory principal-panel item: it comes before the (long) nutrition panel,
    # so when space runs out it is the panel that is reported as not fitting, not the address
    parts.append(("pdp.producer", T_PRODUCER))
    if o.show_nutrition and nutrition:
        parts.append(("nutrition", T_NUTRITION))
    for tag, text in parts:
        # a statement the product does not have (no allergen, no warning) takes no line of the flow
        c.text(tag, B, text, size=size, flow="info", lh=1.2,
               when=tag if tag in ("warning", "allergen_stmt", "storage") else "")


def _id_column(c: Ctx, B: Box, size: float = 6.5, text_top: float = 0.0) -> None:
    """Halal logo (reserved, top), halal number, permit and expiry statement (a flow resting on
    the stamping box at the bottom, starting no higher than ``text_top``)."""
    o = c.opts
    top, bottom = B.y_mm, B.bottom_mm
    halal_in_flow = o.show_halal
    if o.show_halal and o.halal_logo:
        side = min(B.w_mm * 0.5, B.h_mm * 0.3)
        c.image("halal_logo", Box(B.x_mm, top, side, side), "halal_logo", required=False)
        top += side + 0.8
        # the certificate number goes with the logo: beside it when there is room, else right
        # under it (or under the barcode reaching into the column), never down by the date box
        lines = 1 if B.w_mm >= 27.0 else 2          # "Halal ID… (17 digits)" on one line when it can be
        two = lines * size * 1.2 * PT_TO_MM + 0.4
        if not text_top and B.w_mm - side - 1.0 >= 24.0:
            c.text("pdp.halal", Box(B.x_mm + side + 1.0, top - side - 0.8, B.w_mm - side - 1.0, side), T_HALAL,
                   size=size, valign="middle")
        else:
            ty = max(top, text_top)
            c.text("pdp.halal", Box(B.x_mm, ty, B.w_mm, two), T_HALAL, size=size)
            top = ty + two + 0.4
        halal_in_flow = False
    elif not o.show_halal:      # a product that is not halal may need the pork sign in that place
        h = min(B.w_mm * 0.42, B.h_mm * 0.3, 14.0)
        c.pork_sign(Box(B.x_mm, top, B.w_mm, h))
        top += h + 0.8
    if o.expiry_box:
        h = min(max(B.h_mm * 0.24, STAMP_MIN_H_MM), 9.0, B.h_mm * 0.4)
        c.stamp_box(Box(B.x_mm, bottom - h, B.w_mm, h))
        bottom -= h + 0.8
    top = max(top, text_top)
    F = Box(B.x_mm, top, B.w_mm, max(0.0, bottom - top))
    if halal_in_flow:
        c.text("pdp.halal", F, T_HALAL, size=size, flow="ids", valign="bottom")
    c.text("pdp.permit", F, T_PERMIT, size=size, bold=True, flow="ids", valign="bottom")
    c.text("pdp.expiry", F, T_EXPIRY_ABOVE_BOX if o.expiry_box else T_EXPIRY, size=size, flow="ids",
           valign="bottom")


def table_lines(footnote_lines: int = 3) -> float:
    """Height of the nutrition table in row pitches (title, 2 serving lines, per line, energy,
    six rows, footnote) plus the rules' fixed millimetres (returned separately)."""
    return 1.15 + 2 + 1 + 1 + len(NUT_ROWS) + footnote_lines * 0.95


def nutrition_table(c: Ctx, T: Box) -> bool:
    """The familiar Informasi Nilai Gizi table inside ``T`` (framed): title, serving size and
    servings, "JUMLAH PER SAJIAN", energy, then each nutrient with its amount and %AKG, and the
    %AKG footnote. Every cell is its own text (tag ``nutrition``), drawn only when the product has
    nutrition data. Returns False (nothing placed) when the rows would be smaller than the body
    text floor: the caller then prints the nutrition as running text."""
    pad = 0.8
    fixed_mm = 2 * pad + 0.8 + 0.55 + 0.8 + 0.6
    inner_w = T.w_mm - 2 * pad
    size = min(NUT_TABLE_MAX_PT, (T.h_mm - fixed_mm) / table_lines() / NUT_LINE / PT_TO_MM)
    if size < c.body_min_pt or inner_w < 30:
        return False
    lh = size * NUT_LINE * PT_TO_MM
    when = "nut_title"
    c.items.append(RectItem(T, fill=None, stroke=c.ink, stroke_w_mm=0.3, tag="nutrition.frame", when=when))
    x, w = T.x_mm + pad, inner_w
    y = T.y_mm + pad

    def line(text: str, h: float, **kw) -> None:
        c.text("nutrition", Box(x, y, w, h), text, size=size, lh=1.1, when=when, **kw)

    def hrule(weight: float) -> None:
        c.items.append(RectItem(Box(x, y, w, weight), fill=c.ink, tag="nutrition.rule", when=when))

    line("${nut_title}", lh * 1.15, role="heading", bold=True, align="center")
    y += lh * 1.15
    line("${nut_serving}", lh)
    y += lh
    line("${nut_servings}", lh)
    y += lh
    hrule(0.5)
    y += 0.8
    amount_w, akg_w = w * 0.25, w * 0.22
    label_w = w - amount_w - akg_w
    c.text("nutrition", Box(x, y, label_w + amount_w, lh), "${nut_per}", size=size, bold=True, lh=1.1,
           when=when)
    c.text("nutrition", Box(x + label_w + amount_w, y, akg_w, lh), "${nut_akg_head}", size=size, bold=True,
           align="right", lh=1.1, when=when)
    y += lh

    def row(key: str, bold: bool = False, indent: float = 0.0) -> None:
        c.text("nutrition", Box(x + indent, y, label_w - indent, lh), f"${{nut_{key}_label}}", size=size,
               bold=bold, lh=1.1, when=when)
        c.text("nutrition", Box(x + label_w, y, amount_w, lh), f"${{nut_{key}}}", size=size, bold=bold,
               align="right", lh=1.1, when=when)
        # a nutrient without a reference value (sugar) has no %AKG: its cell stays blank on purpose,
        # not reported as missing data (the table shows only while there is nutrition at all)
        c.text("nutrition", Box(x + label_w + amount_w, y, akg_w, lh), f"${{nut_{key}_akg}}", size=size,
               bold=bold, align="right", lh=1.1, when=f"nut_{key}_akg")

    row("energy_kcal", bold=True)
    y += lh
    hrule(0.25)
    y += 0.55
    for key in NUT_ROWS:
        row(key, indent=1.5 if key in NUT_INDENT else 0.0)
        y += lh
    hrule(0.5)
    y += 0.8 + 0.6
    c.text("nutrition", Box(x, y, w, T.bottom_mm - pad - y), "${nut_footnote}", size=size, lh=1.1, when=when)
    return True


def _full_portrait(c: Ctx, C: Box) -> Box:
    o = c.opts
    bottom_h = min(C.h_mm * 0.19, 30.0)
    info_h = C.h_mm * (0.36 if o.show_nutrition else 0.22)   # room for the nutrition table
    hero_h = C.h_mm - bottom_h - info_h - 3.0
    brand_h, name_h, var_h, net_h = 5.0, min(16.0, hero_h * 0.2), 5.0, max(7.5, net_line_mm(c) + 0.5)
    free_h = hero_h - brand_h - name_h - var_h - net_h - 2.0
    photo_h = free_h if o.show_photo else 0.0
    ean_w = min(38.0, C.w_mm * 0.45)
    ean = o.show_ean and free_h >= EAN_MIN_H_MM and ean_w >= EAN_MIN_W_MM
    y = C.y_mm
    hero_photo = bool(c.k("photo_hero")) and not ean and photo_h > 10
    if hero_photo:      # a photo-led family: the picture across the width, brand and name on opaque bands over it
        P = Box(C.x_mm, C.y_mm, C.w_mm, brand_h + 0.5 + photo_h + 1.0 + name_h)
        photo_with_name_band(c, P, name_pt=22.0, name_lines=1, variant=False)
        brand_tab(c, P, 5.0)
        y = P.bottom_mm
    else:
        c.text("brand", Box(C.x_mm, y, C.w_mm, brand_h), T_BRAND, size=11, min_size=6, role="heading",
               color=c.hero_brand, upper=True, align="center")
        y += brand_h + 0.5
    if o.show_logo:
        c.image("logo", Box(C.right_mm - 14, C.y_mm, 14, 14), "logo")
    if hero_photo:
        pass
    elif ean:                 # the barcode in the picture band: beside the photo, or centred without one
        eh = min(free_h, 22.0)
        if photo_h > 10:
            c.image("photo", Box(C.x_mm + 4, y, C.w_mm - 8 - ean_w - 3, photo_h), "photo")
            ex = C.right_mm - ean_w
        else:
            ex = C.x_mm + (C.w_mm - ean_w) / 2
        c.items.append(EANItem(Box(ex, y + free_h - eh, ean_w, eh)))
        y += free_h + 1.0
    elif photo_h > 10:
        c.image("photo", Box(C.x_mm + 4, y, C.w_mm - 8, photo_h), "photo")
        y += photo_h + 1.0
    if not hero_photo:
        c.text("pdp.name", Box(C.x_mm, y, C.w_mm, name_h), T_NAME, size=26 * c.k("name_scale", 1.0),
               upper=c.k("name_upper", False), min_size=10, role="heading",
               color=c.hero_ink, align="center", valign="middle", lh=1.04)
        y += name_h
    c.text("variant", Box(C.x_mm, y, C.w_mm, var_h), T_VARIANT, size=10, color=c.hero_muted, align="center")
    y += var_h
    c.text("pdp.net_qty", Box(C.x_mm, y, C.w_mm, net_h), T_NET, size=16, min_size=8, bold=True,
           color=c.hero_ink, align="center", valign="middle")
    hero = Box(C.x_mm, C.y_mm, C.w_mm, y + net_h - C.y_mm)
    if o.show_price:
        c.price(Box(C.right_mm - 24, y - 1, 24, 7))
    y = hero.bottom_mm + 1.2
    c.rule(C.x_mm, y, C.w_mm, 0.4)
    info = Box(C.x_mm, y + 1.5, C.w_mm, info_h - 1.5)
    table_w = min(46.0, C.w_mm * 0.5)
    if o.show_nutrition and nutrition_table(c, Box(info.right_mm - table_w, info.y_mm, table_w, info.h_mm)):
        _info_column(c, Box(info.x_mm, info.y_mm, info.w_mm - table_w - 2.0, info.h_mm), size=8.0,
                     nutrition=False)
    else:
        _info_column(c, info, size=8.0)
    by = C.bottom_mm - bottom_h
    c.rule(C.x_mm, by - 1.2, C.w_mm, 0.25)
    q = bottom_h if o.show_qr else 0.0
    if q:
        c.qr(Box(C.right_mm - q, by, q, q))
    _id_column(c, Box(C.x_mm, by, C.w_mm - q - 3.0, bottom_h), size=8.0)
    return hero


def arrange_round_family(c: Ctx, label_w: float, label_h: float, margin: float) -> Box:
    """A template family's round label (not tiny): brand and name above the centre, the net quantity
    across the widest chord at its legal height, then permit, producer, best-before and the halal
    number with the halal logo at the bottom. No QR code: a round label of this size has no room for
    one beside every mandatory item (the listing's QR goes on the back label or the pack)."""
    cx, cy = label_w / 2, label_h / 2
    rx, ry = label_w / 2 - margin, label_h / 2 - margin
    s = ry / 27.5               # offsets below are for a 60 mm label (27.5 mm inside the margin)
    align = "center"

    def band(y0: float, y1: float, shrink: float = 0.6) -> Box:
        m = max(abs(y0 - cy), abs(y1 - cy))
        half = rx * math.sqrt(max(0.0, 1 - (m / ry) ** 2)) - shrink
        return Box(cx - half, y0, max(0.0, 2 * half), y1 - y0)

    def at(a: float, b: float) -> tuple[float, float]:
        return cy + a * s, cy + b * s

    net_h = max(net_line_mm(c), 6.0)
    y0, y1 = at(-23.0, -20.0)
    if c.opts.show_logo:        # the producer's logo centred above the brand
        ly0, ly1 = at(-26.6, -23.2)
        lb = band(ly0, ly1, 1.0)
        lw = min(lb.w_mm, lb.h_mm * 3.0)
        c.image("logo", Box(cx - lw / 2, ly0, lw, ly1 - ly0), "logo")
    c.text("brand", band(y0, y1), T_BRAND, size=8, min_size=5, role="heading", color=c.hero_brand, upper=True,
           align=align, valign="bottom")
    y0, y1 = at(-19.8, -10.0)
    c.text("pdp.name", band(y0, y1), T_NAME, size=14 * c.k("name_scale", 1.0), min_size=7, role="heading",
           color=c.hero_ink, align=align, valign="middle", lh=1.04, upper=c.k("name_upper", False))
    y0, y1 = at(-9.8, -7.6)
    c.text("variant", band(y0, y1), T_VARIANT, size=7, min_size=5, color=c.hero_muted, align=align)
    ny = cy - 7.4 * s
    c.text("pdp.net_qty", band(ny, ny + net_h, 0.3), T_NET, size=10, min_size=6, bold=True, color=c.hero_ink,
           align=align, valign="middle")
    hero = Box(0, 0, label_w, ny + net_h + 0.2)
    top = max(ny + net_h + 0.6, cy + 0.4 * s)
    c.rule(cx - rx * 0.35, top, rx * 0.7, 0.3)
    rows_ = [("pdp.permit", T_PERMIT, 2.8, True), ("pdp.producer", T_PRODUCER_SHORT, 8.4, False),
             ("pdp.expiry", T_EXPIRY, 5.0, False)]
    y = top + 1.0
    for tag, text, h, bold in rows_:
        h *= s
        c.text(tag, band(y, y + h), text, size=6.5 if bold else 6, min_size=5.5 if not bold else None, bold=bold,
               align=align, valign="middle")
        y += h + 0.3
    if c.opts.show_halal:
        h = 2.6 * s
        c.text("pdp.halal", band(y, y + h), T_HALAL, size=6, align=align, valign="middle")
        y += h + 0.3
        if c.opts.halal_logo:
            side = min(6.5 * s, cy + ry - 0.8 - y)
            if side >= 4.0:
                c.image("halal_logo", Box(cx - side / 2, y, side, side), "halal_logo", required=False)
    elif not c.opts.show_halal:
        c.text("warning.pork", band(y, y + 3.0 * s), T_PORK, size=6.5, bold=True, color=PORK_RED, align=align,
               when="pork_warning")
    return hero


def arrange_round(c: Ctx, label_w: float, label_h: float, margin: float, tiny: bool) -> Box:
    """Centred stack inside the ellipse: every box's corners stay within the inscribed shape."""
    o = c.opts
    cx, cy = label_w / 2, label_h / 2
    rx, ry = label_w / 2 - margin, label_h / 2 - margin

    def band(y0: float, y1: float, shrink: float = 0.0) -> Box:
        m = max(abs(y0 - cy), abs(y1 - cy))
        half = rx * math.sqrt(max(0.0, 1 - (m / ry) ** 2)) - shrink
        return Box(cx - half, y0, 2 * half, y1 - y0)

    H = 2 * ry
    top = cy - ry
    if tiny:
        side = QR_ROUND_MM if o.show_qr else 0.0
        q_bottom = cy + math.sqrt(max(0.0, ry ** 2 - (side / 2) ** 2)) * 0.93 if side else cy + ry * 0.8
        q_top = q_bottom - side
        (yn, hn), (yq, hq) = rows(top + H * 0.1, q_top - 0.6 - (top + H * 0.1), [0.75, 0.25], 0.3)
        c.text("pdp.name", band(yn, yn + hn, 0.5), T_NAME, size=11 * c.k("name_scale", 1.0),
               upper=c.k("name_upper", False), min_size=6, role="heading",
               color=c.hero_ink, align="center", valign="bottom", lh=1.05)
        c.text("pdp.net_qty", band(yq, yq + hq), T_NET, size=7, bold=True, color=c.hero_ink, align="center",
               valign="middle")
        hero = Box(0, 0, label_w, yq + hq + 0.2)
        if side:
            c.qr(Box(cx - side / 2, q_top, side, side))
        return hero
    mid_h = QR_ROUND_MM + 1.0
    rest = H * 0.88 - mid_h - 8 * 0.28
    w = [0.06, 0.145, 0.05, 0.07, 0.05, 0.05, 0.165, 0.13]
    hs = [rest * x / sum(w) for x in w]
    hs.insert(4, mid_h)
    r, y = [], top + H * 0.07
    for h in hs:
        r.append((y, h))
        y += h + 0.28
    (yb, hb), (yn, hn), (yv, hv), (yq, hq), (ym, hm), (y1, h1), (y2, h2), (yp, hp), (ye, he) = r
    c.text("brand", band(yb, yb + hb, 1), T_BRAND, size=8, min_size=5, role="heading", color=c.hero_brand,
           upper=True, align="center", valign="bottom")
    c.text("pdp.name", band(yn, yn + hn, 1), T_NAME, size=15 * c.k("name_scale", 1.0),
           upper=c.k("name_upper", False), min_size=7, role="heading", color=c.hero_ink,
           align="center", valign="middle", lh=1.04)
    c.text("variant", band(yv, yv + hv, 1), T_VARIANT, size=7, color=c.hero_muted, align="center")
    c.text("pdp.net_qty", band(yq, yq + hq, 1), T_NET, size=9, min_size=6, bold=True, color=c.hero_ink,
           align="center", valign="middle")
    hero = Box(0, 0, label_w, yq + hq + 0.25)
    ym, hm = ym + 0.6, hm - 0.6
    q = hm if o.show_qr else 0.0
    logo = min(hm * 0.8, 11.0) if (o.show_halal and o.halal_logo) else 0.0
    gap = 2.5 if (q and logo) else 0.0
    x = cx - (q + logo + gap) / 2
    if logo:
        c.image("halal_logo", Box(x, ym + (hm - logo) / 2, logo, logo), "halal_logo", required=False)
    if q:
        c.qr(Box(x + logo + gap, ym, q, q))
    c.text("pdp.permit", band(y1, y1 + h1, 0.5), T_PERMIT, size=6.5, bold=True, align="center", valign="middle")
    if o.show_halal:
        c.text("pdp.halal", band(y2, y2 + h2, 0.5), T_HALAL, size=6.5, align="center", valign="middle")
    c.text("pdp.producer", band(yp, yp + hp, 0.5), T_PRODUCER_SHORT, size=6, align="center")
    c.text("pdp.expiry", band(ye, ye + he, 0.5), T_EXPIRY, size=6, align="center")
    return hero


# --------------------------------------------------------------------------- all-in-one single stickers
#: the texts of the information block of an all-in-one sticker, in print order (value keys)
INFO_KEYS = ("permit", "halal_number", "ingredients", "allergen_stmt", "warning", "storage", "expiry", "producer",
             "pork_warning", "nutrition")
INFO_CHAR_EM = 0.49         # average width of a body character (em) of the bundled body faces
#: the condensed face the information block falls back to when the pairing's body face does not fit
#: (fonts.toml "sans-cond": Noto Sans Condensed, the x-height of Noto Sans, about 18 % narrower)
INFO_COND_FONT = "sans-cond"
INFO_COND_CHAR_EM = 0.40    # its average character width (em), measured on Indonesian label text
INFO_COND_MIN_PT = 5.5      # its size at the legal 1 mm x-height (0.537 em: 5.5 pt = 1.04 mm)
INFO_WRAP = 1.03            # word wrapping: a text needs about this many times its bare length
INFO_GAP_EM = 0.4           # space between two texts of the flow (ink to ink, em of the size, times the pitch)
INFO_LH = 1.05              # line pitch of the information block (times the size)
ROUND_MARGIN_MM = 1.0       # extra room the estimate keeps on a round sticker
INFO_LH_TIGHT = 1.0         # set solid (the lines' character boxes touch) when that makes everything fit
ALL_IN_ONE_MIN_AREA_MM2 = 1000.0    # smaller stickers (38 x 21 mm...) are front labels only
_TAG_RE = re.compile(r"<[^>]+>")


def info_lengths(values: dict, *, nutrition: bool = True) -> tuple[int, ...]:
    """The length (characters) of each text of the information block of an all-in-one sticker
    for these label values, in :data:`INFO_KEYS` order, 0 for a text the product does not have
    (``DesignOptions.info_lengths``): permit, halal number, ingredients, allergen statement,
    warnings, storage, best-before, producer and address, pork words and (``nutrition``) the
    linear nutrition text with its footnote."""
    out = []
    for key in INFO_KEYS:
        text = _TAG_RE.sub("", str(values.get(key) or "")).strip()
        if key == "nutrition" and not nutrition:
            text = ""
        out.append(len(text) + (6 if key == "halal_number" else 0) if text else 0)
    return tuple(out)


def _info_faces(c: Ctx) -> list[tuple[str, float, float]]:
    """The faces an information block may be set in, in order of preference: (font role or
    registry name, its size at the legal x-height, its average character width in em) — the
    pairing's body face first, then the condensed face (only the condensed face with the family
    knob ``info_condensed``: a tiny sticker, where the estimate has no line to spare)."""
    cond = (INFO_COND_FONT, INFO_COND_MIN_PT, INFO_COND_CHAR_EM)
    return [cond] if c.k("info_condensed") else [("body", c.body_min_pt, INFO_CHAR_EM), cond]


#: the texts of a set's back sticker (the rest is on the front)
BACK_KEYS = ("ingredients", "allergen_stmt", "warning", "storage", "nutrition")
#: a set with two backs (front + back 1 + back 2): what each back holds; the QR goes with the nutrition
BACK_SPLIT = {1: ("ingredients", "allergen_stmt", "warning", "storage"), 2: ("nutrition",)}


def back_keys(c: Ctx) -> tuple[str, ...]:
    """The texts this set back holds: all of :data:`BACK_KEYS`, or its part of :data:`BACK_SPLIT`
    (``look["back_part"]``: 1 or 2 on a set with two backs)."""
    return BACK_SPLIT.get(c.k("back_part", 0), BACK_KEYS)


def _info_h_mm(c: Ctx, w_mm: float, lh: float = INFO_LH, *, pair: bool = True,
               face: tuple[str, float, float] | None = None, only: tuple[str, ...] = INFO_KEYS) -> float:
    """About how tall the information block (``c.opts.info_lengths``) is at the text floor of
    ``face`` (default: the body face) in a column ``w_mm`` wide: every text starts on a new line,
    texts apart by the flow's gap; ``pair``: permit and halal number share a line when each fits
    half of it. Counts the texts of ``only`` that the options show."""
    _font, size, char_em = face or _info_faces(c)[0]
    per_line = max(1.0, w_mm / (char_em * size * PT_TO_MM))
    o = c.opts
    hidden = set(INFO_KEYS) - set(only)
    if not getattr(o, "show_ingredients", True):
        hidden |= {"ingredients", "allergen_stmt"}
    if not getattr(o, "show_storage", True):
        hidden.add("storage")
    if not getattr(o, "show_nutrition", True):
        hidden.add("nutrition")
    n = {k: (0 if k in hidden else v) for k, v in zip(INFO_KEYS, o.info_lengths)}
    permit, halal = n.pop("permit", 0), n.pop("halal_number", 0)
    if pair and permit and halal and max(permit, halal) <= per_line / 2 - 2:
        rows = [1]
    else:
        rows = [math.ceil(k * INFO_WRAP / per_line) for k in (permit, halal) if k]
    rows += [math.ceil(k * INFO_WRAP / per_line) + (2 if key == "nutrition" else 0) for key, k in n.items() if k]
    pitch = size * lh * PT_TO_MM
    return sum(rows) * pitch + max(0, len(rows) - 1) * INFO_GAP_EM * pitch


def _net_row_mm(c: Ctx) -> float:
    """Height of the net-quantity row of an all-in-one sticker: one line at the legal capital
    height (its em box), no more."""
    return net_line_mm(c)


def _band_h(c: Ctx, C: Box) -> float:
    """Height of the top band (brand and name left; halal logo and stamping box right)."""
    return STAMP_MIN_H_MM + 0.2


def all_in_one_rect(c: Ctx, C: Box) -> dict | None:
    """The plan of an all-in-one rectangular sticker in ``C`` when the information block
    (``opts.info_lengths``) fits at the body text floor, else None (the sticker stays a front label
    and the studio advises a label set). Keys: band, net and info heights, QR side (0: none)."""
    o = c.opts
    if not any(o.info_lengths) or C.w_mm * C.h_mm < ALL_IN_ONE_MIN_AREA_MM2 or C.h_mm < 22.0 or C.w_mm < 40.0:
        return None
    cap = getattr(o, "net_qty_cap_mm", 0.0) or NET_CAP_DEFAULT_MM
    net_font = "body"
    if NET_W_PER_CAP * cap > C.w_mm:        # the net quantity at its legal height on one line of the width
        if not (c.k("info_condensed") and NET_W_PER_CAP_COND * cap <= C.w_mm):
            return None
        net_font = INFO_COND_FONT           # a tiny sticker: in the condensed bold, which holds it
    band = _band_h(c, C)
    net = _net_row_mm(c)
    room = C.h_mm - band - 0.3 - net - 0.5
    face, lh = next(((f, v) for f in _info_faces(c) for v in (INFO_LH, INFO_LH_TIGHT)
                     if _info_h_mm(c, C.w_mm, v, face=f) <= room), (None, 0.0))
    if face is None:
        return None
    q = 0.0
    qr_mm = max(QR_SMALL_MIN_MM, c.k("qr_mm", QR_SMALL_MIN_MM))
    if o.show_qr and room >= qr_mm and _info_h_mm(c, C.w_mm - qr_mm - 1.2, lh, face=face) <= room:
        q = qr_mm           # the listing's QR at its scannable minimum when the text leaves it room
    return {"band": band, "net": net, "room": room, "qr": q, "lh": lh, "font": face[0], "min_pt": face[1],
            "net_font": net_font}


def arrange_all_in_one(c: Ctx, C: Box, plan: dict) -> Box:
    """A small single sticker that is the product's only label (all mandatory items, spec §2.2):
    a top band with brand and name (left) and the halal logo and the stamping box for the batch
    code and date (right); the net quantity across the whole width at its legal height; then one
    ordered information flow at the body text floor: permit | halal number (next to the logo),
    ingredients, allergen statement, warnings, storage, best-before, producer and address, and the
    nutrition information in the linear format (the table needs a larger label). The listing's QR
    code sits in the flow's corner only at its scannable minimum. Returns the hero box."""
    o = c.opts
    align = c.k("align", "left")
    band, net_h = plan["band"], plan["net"]
    x, y, w = C.x_mm, C.y_mm, C.w_mm
    right = C.right_mm
    if o.expiry_box:
        sw = 15.4
        c.stamp_box(Box(right - sw, y, sw, band))
        right -= sw + 0.8
    if o.show_halal and o.halal_logo:
        c.image("halal_logo", Box(right - band, y, band, band), "halal_logo", required=False)
        right -= band + 0.8
    name_w = right - x
    if band >= 6.0:
        bh = 2.0
        c.text("brand", Box(x, y, name_w, bh), T_BRAND, size=6, min_size=5, role="heading", color=c.hero_brand,
               upper=True, align=align)
        yn, hn = y + bh + 0.2, band - bh - 0.2
    else:
        yn, hn = y, band
    # a tiny set's front (condensed information): a long name gets its second line at 5 pt
    c.text("pdp.name", Box(x, yn, name_w, hn), T_NAME, size=11 * c.k("name_scale", 1.0),
           min_size=5 if c.k("info_condensed") else 6,
           role="heading", color=c.hero_ink, valign="middle", lh=1.02, align=align, upper=c.k("name_upper", False))
    y += band + 0.3
    c.text("pdp.net_qty", Box(x, y, w, net_h), T_NET, size=10, min_size=6, bold=True, color=c.hero_ink,
           role=plan.get("net_font", "body"),
           valign="bottom", align=align, lh=1.0)
    hero = Box(C.x_mm, C.y_mm, C.w_mm, y + net_h - C.y_mm)
    y += net_h + 0.1
    c.rule(x, y, w, 0.25)
    y += 0.4
    F = Box(x, y, w, C.bottom_mm - y)
    q = plan["qr"]
    if q:
        c.qr(Box(C.right_mm - q, C.bottom_mm - q, q, q))
        F = Box(F.x_mm, F.y_mm, F.w_mm - q - 1.2, F.h_mm)
    face = {"role": plan.get("font", "body"), "min_size": plan.get("min_pt", c.body_min_pt)}
    size, lh = face["min_size"] + 1.0, plan["lh"]    # grows into spare room; the flow shrinks it to the floor
    half = F.w_mm * 0.52        # the permit is set bold: a little more of the line than the halal number
    c.text("pdp.permit", Box(F.x_mm, F.y_mm, half - 0.8, F.h_mm), T_PERMIT, size=size, bold=True, flow="info",
           lh=lh, **face)
    if o.show_halal:
        c.text("pdp.halal", Box(F.x_mm + half, F.y_mm, F.w_mm - half, F.h_mm), T_HALAL, size=size, flow="info",
               lh=lh, align="right", **face)
    # no room for the red sign in the band: the words (the preflight asks for the sign)
    info_flow(c, F, size, lh, **face)
    return hero


QR_THERMAL_MM = 16.0    # QR box (with quiet zone) on a 203 dpi roll: a version-4 symbol of 3-dot modules (12.4 mm)


def arrange_back_tiny(c: Ctx, C: Box) -> Box:
    """The back sticker of a label set on a tiny stock (a 50 x 30 mm roll label): ingredients,
    allergens, warnings, storage and nutrition as one flow across the sticker, in the condensed face
    when the body face does not hold them at the legal x-height; the listing's QR at its scannable
    minimum (``look["qr_mm"]``) on the right only when the text leaves it room. The stamping box
    is on the front (:func:`arrange_all_in_one`), which has the room. Returns an empty hero box."""
    o = c.opts
    qr_mm = max(QR_SMALL_MIN_MM, c.k("qr_mm", QR_SMALL_MIN_MM))
    qs = ((qr_mm, 0.0) if o.show_qr and C.h_mm >= qr_mm else (0.0,))
    faces = _info_faces(c)
    face, lh, q = next(((f, v, q) for q in qs for f in faces for v in (INFO_LH, INFO_LH_TIGHT)
                        if _info_h_mm(c, C.w_mm - (q + 1.2 if q else 0.0), v, face=f, only=back_keys(c)) <= C.h_mm),
                       (faces[-1], INFO_LH_TIGHT, 0.0))    # nothing fits: the compose reports what is cut
    if q:
        c.qr(Box(C.right_mm - q, C.y_mm + (C.h_mm - q) / 2, q, q))
    F = Box(C.x_mm, C.y_mm, C.w_mm - (q + 1.2 if q else 0.0), C.h_mm)
    _back_flow(c, F, face, lh)
    return Box(C.x_mm, C.y_mm, 0.0, 0.0)


#: the texts that appear only when the producer has them (the flow's ``when``)
_INFO_WHEN = ("warning", "allergen_stmt", "storage")


def _info_parts(o, *, back_only: bool, nutrition: str = T_NUTRITION,
                keys: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(tag, template) of the information flow in its order: ingredients and allergen statement,
    warnings, storage, then (not ``back_only``: an all-in-one sticker) best-before, producer and
    the pork warning in words when the halal row is off, last the nutrition in ``nutrition``'s
    format. The options' switches drop what the producer hid; ``keys``: only these tags (one back
    of a set with two)."""
    if keys is not None:
        return [pt for pt in _info_parts(o, back_only=back_only, nutrition=nutrition) if pt[0] in keys]
    parts: list[tuple[str, str]] = []
    if o.show_ingredients:
        parts += [("ingredients", T_INGR), ("allergen_stmt", T_ALLERGEN)]
    parts.append(("warning", T_WARNING))
    if o.show_storage:
        parts.append(("storage", T_STORAGE))
    if not back_only:
        parts += [("pdp.expiry", T_EXPIRY), ("pdp.producer", T_PRODUCER)]
        if not o.show_halal:
            parts.append(("warning.pork", T_PORK))
    if o.show_nutrition:
        parts.append(("nutrition", nutrition))
    return parts


def _back_flow(c: Ctx, F: Box, face: tuple[str, float, float], lh: float, **kw) -> None:
    """A set back's information (:data:`BACK_KEYS`) as one flow into ``F`` at ``face``'s floor
    (one point above it when there is room), the nutrition in the linear format run in after its
    heading (no line of its own)."""
    for tag, t in _info_parts(c.opts, back_only=True, nutrition=T_NUTRITION_RUN_IN, keys=back_keys(c)):
        c.text(tag, F, t, size=face[1] + 1.0, min_size=face[1], role=face[0], flow="info", lh=lh,
               when=tag if tag in _INFO_WHEN else "", **kw)


def info_flow(c: Ctx, F: Box, size: float, lh: float, **kw) -> None:
    """An all-in-one sticker's information, in order, into the flow ``F``: ingredients and allergen
    statement, warnings, storage, best-before, producer, the pork warning in words (when the halal
    row is off), nutrition."""
    for tag, text in _info_parts(c.opts, back_only=False):
        pork = tag == "warning.pork"
        c.text(tag, F, text, size=size, flow="info", lh=lh, color=PORK_RED if pork else None,
               when="pork_warning" if pork else (tag if tag in _INFO_WHEN else ""), **kw)


def _chord_mm(r: float, d: float) -> float:
    """Width of a circle of radius ``r`` at distance ``d`` from its centre."""
    return 2.0 * math.sqrt(max(0.0, r * r - d * d))


def all_in_one_round(c: Ctx, label_w: float, label_h: float, margin: float) -> dict | None:
    """The plan of an all-in-one round sticker (brand and name at the top, the information flow
    across the widest part, the net quantity below it, halal logo and stamping box at the bottom)
    when the information block (``opts.info_lengths``) fits at the body text floor, else None."""
    o = c.opts
    r = min(label_w, label_h) / 2 - margin - 0.8        # clear of the family's inner ring
    if not any(o.info_lengths) or r < 24.0:
        return None
    cy = label_h / 2
    stamp_bottom = cy + r * 0.9
    stamp_top = stamp_bottom - STAMP_MIN_H_MM
    net_h = net_line_mm(c)
    net_top = stamp_top - 0.5 - net_h
    if NET_W_PER_CAP * (getattr(o, "net_qty_cap_mm", 0.0) or NET_CAP_DEFAULT_MM) > _chord_mm(r, net_top - cy):
        return None                     # the net quantity at its legal height does not fit across
    name_bottom = cy - r * 0.56
    top, bottom = name_bottom + 0.5, net_top - 0.5
    w = min(_chord_mm(r, top - cy), _chord_mm(r, bottom - cy)) - 0.6
    room = bottom - top
    # in the circle the estimate keeps a margin (centred lines, the chords narrow toward the ends)
    face, lh = next(((f, v) for f in _info_faces(c) for v in (INFO_LH, INFO_LH_TIGHT)
                     if _info_h_mm(c, w, v, pair=False, face=f) + ROUND_MARGIN_MM <= room), (None, 0.0))
    if face is None:
        return None
    return {"r": r, "name_bottom": name_bottom, "info": Box(label_w / 2 - w / 2, top, w, room), "lh": lh,
            "net_top": net_top, "net_h": net_h, "stamp_top": stamp_top, "font": face[0], "min_pt": face[1]}


def arrange_round_all_in_one(c: Ctx, label_w: float, label_h: float, plan: dict) -> Box:
    """A round single sticker that is the product's only label (see :func:`all_in_one_round`):
    every mandatory item at the legal sizes, centred, the permit and halal number closing the
    information flow right above the net quantity and near the halal logo. Returns the hero box."""
    o = c.opts
    cx, cy, r = label_w / 2, label_h / 2, plan["r"]

    def band(y0: float, y1: float, shrink: float = 0.4) -> Box:
        half = min(_chord_mm(r, y0 - cy), _chord_mm(r, y1 - cy)) / 2 - shrink
        return Box(cx - half, y0, max(0.0, 2 * half), y1 - y0)

    y = cy - r + 1.2
    bh = 2.4
    c.text("brand", band(y, y + bh), T_BRAND, size=6.5, min_size=5, role="heading", color=c.hero_brand,
           upper=True, align="center", valign="bottom")
    y += bh + 0.3
    c.text("pdp.name", band(y, plan["name_bottom"]), T_NAME, size=12 * c.k("name_scale", 1.0), min_size=6,
           role="heading", color=c.hero_ink, align="center", valign="middle", lh=1.02,
           upper=c.k("name_upper", False))
    c.rule(cx - r * 0.3, plan["name_bottom"] + 0.1, r * 0.6, 0.25)
    F = plan["info"]
    face = {"role": plan.get("font", "body"), "min_size": plan.get("min_pt", c.body_min_pt)}
    size, lh = face["min_size"] + 1.0, plan["lh"]
    info_flow(c, F, size, lh, align="center", **face)
    c.text("pdp.permit", F, T_PERMIT, size=size, bold=True, flow="info", lh=lh, align="center", **face)
    if o.show_halal:
        c.text("pdp.halal", F, T_HALAL, size=size, flow="info", lh=lh, align="center", **face)
    ny = plan["net_top"]
    c.text("pdp.net_qty", band(ny, ny + plan["net_h"], 0.3), T_NET, size=10, min_size=6, bold=True,
           color=c.hero_ink, align="center", valign="middle", lh=1.0)
    st = plan["stamp_top"]
    sw = 15.4 if o.expiry_box else 0.0
    side = STAMP_MIN_H_MM
    logo = side if (o.show_halal and o.halal_logo) else 0.0
    x = cx - (sw + logo + (0.8 if sw and logo else 0.0)) / 2
    if logo:
        c.image("halal_logo", Box(x, st, logo, logo), "halal_logo", required=False)
        x += logo + 0.8
    if sw:
        c.stamp_box(Box(x, st, sw, side))
    return Box(0, 0, label_w, plan["name_bottom"])


def arrange_round_back(c: Ctx, label_w: float, label_h: float, margin: float) -> Box:
    """The back sticker of a label set on a round stock (two stickers of a 60 mm round sheet):
    the QR at its round minimum and the stamping box side by side low in the circle, above them
    ingredients, allergens, warnings, storage and nutrition (run in) as one centred flow in the
    largest band the circle leaves, in the condensed face when the body face does not hold them.
    Returns an empty hero box."""
    o = c.opts
    cx, cy = label_w / 2, label_h / 2
    r = min(label_w, label_h) / 2 - margin - 0.8        # clear of the family's inner ring
    q = QR_ROUND_MM if o.show_qr else 0.0
    sw, sh = (15.4, STAMP_MIN_H_MM + 0.4) if o.expiry_box else (0.0, 0.0)
    row_w = q + sw + (0.8 if q and sw else 0.0)
    row_h = max(q, sh)
    row_bottom = cy + math.sqrt(max(0.0, r * r - (row_w / 2 + 0.3) ** 2))
    row_top = row_bottom - row_h
    x = cx - row_w / 2
    if q:
        c.qr(Box(x, row_top, q, q))
        x += q + 0.8
    if sw:
        c.stamp_box(Box(x, row_top + (row_h - sh) / 2, sw, sh))
    bottom = (row_top if row_h else cy + r * 0.8) - 1.0
    best = (0.0, bottom, 0.0)
    t = cy - r + 1.0
    while t < bottom - 5.0:         # the band of the circle above the row that holds the most text
        w = min(_chord_mm(r, t - cy), _chord_mm(r, bottom - cy)) - 0.6
        if w * (bottom - t) > best[0]:
            best = (w * (bottom - t), t, w)
        t += 0.5
    _area, top, w = best
    F = Box(cx - w / 2, top, w, bottom - top)
    faces = _info_faces(c)
    face, lh = next(((f, v) for f in faces for v in (INFO_LH, INFO_LH_TIGHT)
                     if _info_h_mm(c, w, v, face=f, only=back_keys(c)) + ROUND_MARGIN_MM <= F.h_mm),
                    (faces[-1], INFO_LH_TIGHT))
    _back_flow(c, F, face, lh, align="center")
    return Box(cx, cy, 0.0, 0.0)
