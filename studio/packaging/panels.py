"""Multi-panel designs: one LabelDocument per panel from the label engine's templates, composed
with the engine's compose, plus one merged composed label for the preflight.

Which items go where (label-rules §2.2): the principal display panel (``front``) gets the name,
net quantity, permit, halal, producer and the expiry statement (or its reference); the
information panel (``back``) gets the ingredients, allergens, storage, nutrition, codes and the
stamping box for date and batch code; ``side`` panels get the brand and name (and a QR code when
there is room). Faces with role ``plain`` only get the background colour.
"""
from __future__ import annotations

from dataclasses import replace

from PIL import Image

from ..labels import ComposedLabel, DesignOptions, FontRegistry, LabelDocument, SheetLayout, compose, make_document
from ..labels.primitives import EANBars, Ellipse, Picture, Polygons, QRModules, Rect, TextLine
from .net import Net, Panel, Piece, rect

#: option switches each role forces (the producer's other choices are kept)
ROLE_OPTIONS: dict[str, dict[str, bool]] = {
    "front": {"show_ingredients": False, "show_storage": False, "show_nutrition": False, "show_ean": False,
              "show_qr": False, "expiry_box": False},
    "back": {"show_photo": False, "show_price": False, "show_logo": False, "expiry_box": True},
    "side": {"show_ingredients": False, "show_storage": False, "show_nutrition": False, "show_ean": False,
             "show_price": False, "expiry_box": False, "halal_logo": False},
}
#: smallest side panel (mm) that also gets a QR code and the photo
SIDE_ROOM_MM = (55.0, 40.0)


def panel_layout(pack_id: str, panel: Panel) -> SheetLayout:
    """The panel as a one-label 'stock' (its size as it reads, its safe margin) for the engine."""
    w, h = round(panel.w_mm, 3), round(panel.h_mm, 3)
    margin = min(panel.safe_margin_mm, min(w, h) / 2 - 0.5)
    return SheetLayout(id=f"{pack_id}.{panel.id}", name=f"{pack_id} {panel.id}", kind="roll", paper_w_mm=w,
                       paper_h_mm=h, label_w_mm=w, label_h_mm=h, columns=1, rows=1, left_mm=0.0, top_mm=0.0,
                       step_x_mm=w, step_y_mm=h, safe_margin_mm=max(0.5, margin))


def role_options(panel: Panel, options: DesignOptions) -> DesignOptions:
    """The producer's options with the switches the panel's role forces."""
    forced = dict(ROLE_OPTIONS.get(panel.role, {}))
    if panel.role == "side":
        roomy = panel.w_mm >= SIDE_ROOM_MM[0] and panel.h_mm >= SIDE_ROOM_MM[1]
        forced.update(show_qr=roomy and options.show_qr, show_photo=roomy and options.show_photo)
    return replace(options, overrides={}, **forced)


def panel_documents(net: Net, style_id: str, options: DesignOptions | None = None, *,
                    layout: SheetLayout | None = None) -> dict[str, LabelDocument]:
    """One document per printed panel of ``net``, made by the engine's ``make_document`` at the
    panel's size with the subset of fields its role carries. ``plain`` panels get none.
    ``layout``: the stock every panel is printed on (a label set: each panel is one sticker of
    it, with its shape and margins); default each panel as a stock of its own size.

    :raises KeyError: unknown style id.
    """
    o = options or DesignOptions()
    docs: dict[str, LabelDocument] = {}
    for panel in net.panels:
        if panel.role == "plain":
            continue
        doc = make_document(style_id, layout or panel_layout(net.pack_id, panel), role_options(panel, o))
        # a pack has its information panel: the small-label "needs a back label" flag does not apply
        docs[panel.id] = replace(doc, flags=tuple(f for f in doc.flags if f != "needs_back_label"))
    return docs


def compose_panels(net: Net, docs: dict[str, LabelDocument], values: dict[str, str], fonts: FontRegistry,
                   images: dict[str, Image.Image] | None = None, *, layout: SheetLayout | None = None,
                   printer_dpi: int | None = None) -> dict[str, ComposedLabel]:
    """Compose each panel's document with the engine's ``compose``; every primitive and region
    is tagged with its panel id (the preflight judges placement by panel). ``layout``: the stock
    every panel is printed on (see :func:`panel_documents`)."""
    out: dict[str, ComposedLabel] = {}
    for panel in net.panels:
        doc = docs.get(panel.id)
        if doc is None:
            continue
        doc = doc.with_items(tuple(replace(it, panel=panel.id) for it in doc.items))
        label = compose(doc, layout or panel_layout(net.pack_id, panel), values, fonts, images or {},
                        printer_dpi=printer_dpi)
        prims = tuple(replace(p, panel=panel.id) for p in label.primitives)
        regions = {k: replace(r, panel=panel.id) for k, r in label.regions.items()}
        out[panel.id] = replace(label, primitives=prims, regions=regions)
    return out


#: the label sets a producer can choose: set id -> panel roles, front (the principal panel) first
LABEL_SETS: dict[str, tuple[str, ...]] = {"front_back": ("front", "back"), "front_back_neck": ("front", "back", "side"),
                                          "front_back_back": ("front", "back", "back")}
#: gap (mm) between the panels of a set as they are laid side by side (previews, the merged label)
SET_GAP_MM = 4.0


def set_net(layout: SheetLayout, set_id: str = "front_back") -> Net:
    """A label set as a "net" of separate stickers: one panel per role of ``set_id``, each the
    size of ``layout``'s label, side by side (front first). Not folded: every edge is cut.

    :raises KeyError: unknown set id.
    """
    roles = LABEL_SETS[set_id]
    w, h = layout.label_w_mm, layout.label_h_mm
    panels, pieces = [], []
    for i, role in enumerate(roles):
        x = i * (w + SET_GAP_MM)
        pid = role if role != "side" else "neck"
        pid = pid if role not in roles[:i] else f"{pid}{roles[:i + 1].count(role)}"     # a second back: back2
        panels.append(Panel(pid, role, x, 0.0, w, h, 0, layout.safe_margin_mm))
        pieces.append(Piece(pid, rect(x, 0.0, w, h)))
    return Net(f"set.{layout.id}", "label_set", len(roles) * (w + SET_GAP_MM) - SET_GAP_MM, h, tuple(pieces),
               tuple(panels), tuple(p.points for p in pieces), ())


def set_documents(layout: SheetLayout, style_id: str, options: DesignOptions | None = None,
                  set_id: str = "front_back") -> dict[str, LabelDocument]:
    """The documents of a label set on ``layout`` (one per panel, front first): the front carries
    the principal-panel items (:data:`ROLE_OPTIONS`), the back the information panel in the
    engine's back-panel arrangement, a neck panel the brand and name."""
    o = options or DesignOptions()
    docs: dict[str, LabelDocument] = {}
    backs = LABEL_SETS[set_id].count("back")
    for panel in set_net(layout, set_id).panels:
        opts = role_options(panel, o)
        if panel.role == "front":       # the set's front never carries the "add a back label" flag
            docs[panel.id] = make_document(style_id, layout, opts, panel="front")
        else:                           # two backs: the information flows from back 1 to back 2
            part = (2 if panel.id != "back" else 1) if panel.role == "back" and backs > 1 else 0
            docs[panel.id] = make_document(style_id, layout, opts, panel=panel.role, back_part=part)
    return docs


def pdp_panels(net: Net) -> tuple[str, ...]:
    """Ids of the net's principal display panels (role ``front``): the preflight's ``pdp_panels``."""
    return tuple(p.id for p in net.panels if p.role == "front")


def _move(p, dx: float, dy: float):
    if isinstance(p, TextLine):
        return replace(p, x_mm=p.x_mm + dx, baseline_y_mm=p.baseline_y_mm + dy)
    if isinstance(p, (Rect, Ellipse, Picture, QRModules, EANBars)):
        return replace(p, x_mm=p.x_mm + dx, y_mm=p.y_mm + dy, **({"bleed": False} if isinstance(p, Rect) else {}))
    if isinstance(p, Polygons):
        return replace(p, polygons=tuple(tuple((x + dx, y + dy) for x, y in poly) for poly in p.polygons))
    raise TypeError(type(p).__name__)


def merged_label(net: Net, composed: dict[str, ComposedLabel]) -> tuple[ComposedLabel, SheetLayout, dict]:
    """All panels side by side, upright, as ONE composed label (front first), for the preflight:
    regions keep their panel id, compose problems move with their panel.

    :returns: (label, its layout, {panel_id: (dx, dy)} offsets of each panel in the merged label).
    """
    order = sorted(composed, key=lambda pid: (net.panel(pid).role != "front", net.panel(pid).role != "back"))
    gap = 4.0
    x = 0.0
    height = max(net.panel(pid).h_mm for pid in order)
    prims, regions, problems, offsets = [], {}, [], {}
    for pid in order:
        lab, panel = composed[pid], net.panel(pid)
        offsets[pid] = (x, 0.0)
        prims.extend(_move(p, x, 0.0) for p in lab.primitives)
        for key, r in lab.regions.items():
            bx, by, bw, bh = r.box_mm
            k, n = key.split("#")[0], 2
            new_key = k
            while new_key in regions:
                new_key, n = f"{k}#{n}", n + 1
            regions[new_key] = replace(r, box_mm=(bx + x, by, bw, bh))
        for pr in lab.problems:
            problems.append(replace(pr, box_mm=(pr.box_mm[0] + x, pr.box_mm[1], pr.box_mm[2], pr.box_mm[3])
                                    if pr.box_mm else None))
        x += panel.w_mm + gap
    width = max(1.0, x - gap)
    first = composed[order[0]]
    label = ComposedLabel(width, height, "rect", 0.0, tuple(prims), tuple(problems), regions, first.default_font,
                          first.background, False)
    layout = SheetLayout(id=f"{net.pack_id}.all", name=net.pack_id, kind="roll", paper_w_mm=width,
                         paper_h_mm=height, label_w_mm=width, label_h_mm=height, columns=1, rows=1,
                         left_mm=0.0, top_mm=0.0, step_x_mm=width, step_y_mm=height,
                         # a stock whose own safe line is narrower (a 1.5 mm roll label) is judged on it
                         safe_margin_mm=min(2.0, height / 2 - 0.5, *(net.panel(pid).safe_margin_mm for pid in order)))
    return label, layout, offsets
