"""Use-cases for label designs: start, change, compose, render (PDF and preview), findings.

The stored document is declarative (mm, no editor state) and is always regenerated from
(style, stock, options) by the engine's ``make_document``; the design keeps a copy of its stock
and the product revision whose data it shows. Everything painted goes through the engine's one
painter: previews are the PDF rasterised.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import User
from ..errors import Invalid, NotFound
from ..extensions import db
from ..labels import (STYLES, Box, ComposedLabel, DesignOptions, DocumentError, LabelDocument, Problem,
                      SheetLayout, compose, layout_from_dict, layout_to_dict, make_document)
from ..products.models import Product, ProductRevision
from ..products.services import get_own_product, get_product
from ..site import public_base_url
from . import assets
from .models import Design
from .source import RenderSource, source_of_design
from .stock import MeasuredStock, add_custom_layout, get_layout, get_layouts  # noqa: F401 (re-exported)
from ..preflight.findings import blocking
from .values import clean_record, label_values, missing_for_label, rule_settings
from ..rules.quantity import required_char_height_mm
from ..labels.templates import thermal_variant
from ..packaging import LABEL_SETS, Net, compose_panels, merged_label, set_documents, set_net

__all__ = ["LABEL_SETS", "DesignChanges", "add_custom_layout", "clean_record", "compose_design", "design_findings",
           "design_problems", "get_layouts", "label_values", "register_findings", "start_design",
           "update_design"]

OPTION_NAMES = tuple(f.name for f in fields(DesignOptions) if f.name != "overrides")
# Default style by product category (the producer can change it).
CATEGORY_STYLE = {"kopi": "alami", "teh": "alami", "madu": "alami", "sambal": "berani", "keripik": "bersih",
                  "kue_kering": "tradisional", "kerajinan": "tradisional", "minuman_serbuk": "bersih"}
CATEGORY_PRESET = {"kopi": "kopi", "madu": "madu", "sambal": "cabai", "keripik": "cabai", "teh": "daun",
                   "kue_kering": "batik", "kerajinan": "batik"}


# ----------------------------------------------------------------------------- finding
def get_design(actor: User, design_id: int) -> Design:
    """A design the actor may see (same rule as its product). :raises NotFound: otherwise."""
    design = db.session.get(Design, design_id)
    if design is None:
        raise NotFound(str(_l("Desain tidak ditemukan.")))
    get_product(actor, design.product_id)
    return design


def find_design(product: Product, kind: str = "label") -> Design | None:
    """The working design of ``product`` (the caller has checked access), or None."""
    return db.session.scalar(select(Design).where(Design.product_id == product.id, Design.kind == kind)
                             .order_by(Design.id.desc()))


def design_options(design: Design | RenderSource) -> DesignOptions:
    """The producer's choices, including the element moves for the design's current stock."""
    try:
        return DesignOptions.from_dict(design.options or {})
    except (DocumentError, TypeError):
        return DesignOptions()


# ----------------------------------------------------------------------------- changing
@dataclass(frozen=True)
class DesignChanges:
    """What the producer changed. ``options``: DesignOptions fields (not ``overrides``);
    ``move``: (tag, {x_mm, y_mm, w_mm, h_mm}) places one element; ``reset_moves`` forgets moves
    on the current stock. An empty DesignChanges just refreshes the design to the current data."""

    layout_id: str | None = None
    style_id: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    move: tuple[str, dict[str, float]] | None = None
    reset_moves: bool = False
    #: "single" (one sticker) or a label set of :data:`LABEL_SETS` ("front_back"); None keeps it
    label_set: str | None = None


def default_options(product: Product) -> DesignOptions:
    """Sensible first choices from the product data (halal, barcode, price, logo, colours)."""
    clean = clean_record(product, product.current_revision)
    keys = assets.image_keys(product)
    category = str(clean.get("category") or "")
    return DesignOptions(preset=CATEGORY_PRESET.get(category),
                         show_photo="photo" in keys, show_logo="logo" in keys,
                         show_halal=str(clean.get("halal_status") or "") == "certified",
                         halal_logo=str(clean.get("halal_status") or "") == "certified",
                         show_ean=bool(clean.get("gtin")), show_price=False,
                         show_nutrition=bool(clean.get("nutrition")) or "nutrition" in missing_for_label(clean),
                         net_qty_cap_mm=_net_cap_mm(clean))


def _net_cap_mm(clean: dict) -> float:
    """The legal capital height of the net quantity (BDKT table in the rule settings), 0 without one."""
    nq = clean.get("net_quantity")
    return required_char_height_mm(nq, rule_settings()) if nq is not None else 0.0


def default_style(product: Product) -> str:
    """Style suggested for the product's category."""
    category = str(clean_record(product, product.current_revision).get("category") or "")
    return CATEGORY_STYLE.get(category, "bersih")


def _check_style(style_id: str) -> None:
    if style_id not in STYLES:
        raise Invalid(str(_l("Pilih salah satu gaya desain.")), field="style_id")


# ----------------------------------------------------------------------------- label sets
def set_id_of(document: dict | None) -> str | None:
    """The label set a stored document is (``"front_back"``…), or None for a single label.

    A set's document is ``{"set": id, "panels": {panel_id: LabelDocument.to_dict()}, "fonts": …}``:
    one document per sticker, like a pack's panels (:mod:`studio.packaging.panels`)."""
    doc = document or {}
    set_id = doc.get("set")
    return set_id if set_id in LABEL_SETS and isinstance(doc.get("panels"), dict) else None


def set_document_dict(layout: SheetLayout, style_id: str, options: DesignOptions, set_id: str) -> dict:
    """The stored document of a label set on ``layout`` (see :func:`set_id_of`)."""
    docs = set_documents(layout, style_id, options, set_id)
    front = next(iter(docs.values()))
    return {"set": set_id, "panels": {pid: d.to_dict() for pid, d in docs.items()},
            "fonts": dict(front.fonts), "background": front.background, "layout_id": layout.id,
            "schema_version": front.schema_version}


def picture_size_mm(design: Design | RenderSource) -> tuple[float, float]:
    """(width, height) of the design's picture in mm: its label, or a set's stickers side by side
    (the preview, and the coordinates of its findings' boxes and review comments)."""
    snap = design.layout_snapshot or {}
    w, h = float(snap.get("label_w_mm") or 0.0), float(snap.get("label_h_mm") or 0.0)
    set_id = set_id_of(design.document)
    if set_id and w and h:
        net = set_net(_design_layout(design), set_id)
        return net.width_mm, net.height_mm
    return w, h


def _check_label_set(label_set: str) -> None:
    if label_set != "single" and label_set not in LABEL_SETS:
        raise Invalid(str(_l("Pilih satu label atau label depan + belakang.")), field="label_set")


def _regenerate(design: Design, product: Product, layout: SheetLayout, label_set: str | None = None) -> None:
    """Rebuild the document from style + stock + options on the product's current data
    (``label_set``: "single" or a set id; None keeps what the design is)."""
    opts = design_options(design)
    set_id = set_id_of(design.document) if label_set is None else (None if label_set == "single" else label_set)
    legal = _net_cap_mm(clean_record(product, product.current_revision))
    if legal > opts.net_qty_cap_mm:     # the quantity grew past a BDKT step: lay the line out taller
        opts = DesignOptions.from_dict({**opts.to_dict(), "net_qty_cap_mm": legal})
    design.layout_id = layout.id
    design.layout_snapshot = layout_to_dict(layout)
    if set_id and layout.kind == "roll":        # a thermal head prints one label design, not pairs
        raise Invalid(str(_l("Label depan + belakang dicetak di lembar stiker (A4/F4), bukan di rol printer "
                             "termal. Pilih lembar stiker, atau satu label.")), field="label_set")
    if set_id:
        design.document = set_document_dict(layout, design.style_id, opts, set_id)
        design.schema_version = design.document["schema_version"]
        design.product_revision_id = product.current_revision_id
        findings = design_findings(design)
        design.findings = findings
        design.blocker_count = count_blockers(findings)
        return
    doc = make_document(design.style_id, layout, opts)
    design.document = doc.to_dict()
    design.schema_version = doc.schema_version
    design.product_revision_id = product.current_revision_id
    findings = design_findings(design)
    design.findings = findings
    design.blocker_count = count_blockers(findings)


def start_design(actor: User, product_id: int, layout_id: str, style_id: str,
                 label_set: str | None = None) -> Design:
    """Create the product's label design (or restart the existing one on a new stock and style,
    keeping the producer's choices). An empty ``layout_id`` starts on the stock advisor's best
    stock that holds every mandatory item (:mod:`.advisor`), as one label or as a label set.
    ``label_set``: "single", a set id of :data:`LABEL_SETS` ("front_back"), or None (keep / single).

    :raises NotFound: product or stock unknown; :raises Forbidden: not the owner;
    :raises Invalid: unknown style (field ``style_id``), unknown set (``label_set``) or product
        without data.
    """
    product = get_own_product(actor, product_id)
    if label_set:
        _check_label_set(label_set)
    existing = find_design(product)
    if existing is not None:
        return update_design(actor, existing.id, DesignChanges(layout_id=layout_id or None, style_id=style_id,
                                                               label_set=label_set or None))
    if product.current_revision_id is None:
        raise Invalid(str(_l("Isi data produk dulu sebelum mendesain label.")))
    if not layout_id:       # no stock chosen: the best stock (or pair) that holds every mandatory item
        from .advisor import best_fitting_choice, fallback_stock
        best = best_fitting_choice(product)
        layout_id = best.layout_id if best else fallback_stock()
        if best is not None and label_set is None:
            label_set = best.label_set
    layout = get_layout(layout_id)
    _check_style(style_id)
    opts = default_options(product)
    design = Design(product_id=product.id, kind="label", style_id=style_id, options=opts.to_dict(),
                    saved_overrides={}, created_by_id=actor.id, layout_id=layout.id,
                    layout_snapshot=layout_to_dict(layout), document={})
    db.session.add(design)
    _regenerate(design, product, layout, label_set or "single")
    db.session.commit()
    return design


def _valid_box(raw: dict[str, float]) -> Box:
    try:
        vals = {k: float(raw[k]) for k in ("x_mm", "y_mm", "w_mm", "h_mm")}
    except (KeyError, TypeError, ValueError):
        raise Invalid(str(_l("Posisi dan ukuran harus berupa angka (mm).")), field="move") from None
    if not all(math.isfinite(v) for v in vals.values()) or vals["w_mm"] < 2 or vals["h_mm"] < 2:
        raise Invalid(str(_l("Lebar dan tinggi paling kecil 2 mm.")), field="move")
    return Box(**{k: round(v, 2) for k, v in vals.items()})


def _moves_for(design: Design, tag: str, box: Box) -> dict[str, Box]:
    """``tag``'s new box plus its companions (``price.bg`` for ``price``, ``qr.caption`` for ``qr``)
    mapped by the same move and scale, so a group stays together."""
    doc = LabelDocument.from_dict(design.document)
    by_tag: dict[str, Box] = {}
    for it in doc.items:
        by_tag.setdefault(it.tag, it.box)
    old = by_tag.get(tag)
    if old is None or tag in ("", "decor", "background"):
        raise Invalid(str(_l("Elemen ini tidak ada di label.")), field="move")
    sx = box.w_mm / old.w_mm if old.w_mm else 1.0
    sy = box.h_mm / old.h_mm if old.h_mm else 1.0
    out = {tag: box}
    for other, b in by_tag.items():
        if other.startswith(tag + ".") or (tag.endswith(".bg") and other == tag[:-3]):
            out[other] = Box(round(box.x_mm + (b.x_mm - old.x_mm) * sx, 2),
                             round(box.y_mm + (b.y_mm - old.y_mm) * sy, 2),
                             round(b.w_mm * sx, 2), round(b.h_mm * sy, 2))
    return out


def update_design(actor: User, design_id: int, changes: DesignChanges) -> Design:
    """Apply the producer's changes and regenerate the document on the current product data.

    Switching stock re-adapts the style to the new size and keeps every choice; element moves
    are kept per stock (they are in mm) and come back when the producer switches back.

    :raises NotFound: design or stock unknown; :raises Forbidden: not the owner;
    :raises Invalid: unknown style, option or element, or a box too small (fields ``style_id``,
        ``options``, ``move``).
    """
    design = get_design(actor, design_id)
    product = get_own_product(actor, design.product_id)
    if changes.label_set is not None:
        _check_label_set(changes.label_set)
    if changes.move is not None and set_id_of(design.document):
        raise Invalid(str(_l("Elemen label depan + belakang belum bisa dipindah satu per satu.")), field="move")
    opts = design_options(design).to_dict()
    unknown = sorted(set(changes.options) - set(OPTION_NAMES))
    if unknown:
        raise Invalid(str(_l("Pilihan tidak dikenal: %(names)s", names=", ".join(unknown))), field="options")
    opts.update(changes.options)
    layout = _design_layout(design)
    if changes.layout_id and changes.layout_id != design.layout_id:
        new_layout = get_layout(changes.layout_id)
        saved = dict(design.saved_overrides or {})
        if opts.get("overrides"):
            saved[design.layout_id] = opts["overrides"]
        opts["overrides"] = saved.pop(new_layout.id, {})
        design.saved_overrides = saved
        layout = new_layout
    elif design.layout_id in get_layouts():
        layout = get_layouts()[design.layout_id]   # pick up a stock corrected at the hub
    if changes.style_id:
        _check_style(changes.style_id)
        design.style_id = changes.style_id
    if changes.reset_moves:
        opts["overrides"] = {}
    try:
        new_opts = DesignOptions.from_dict(opts)
    except (DocumentError, TypeError) as e:
        raise Invalid(str(_l("Pilihan desain tidak valid.")), field="options") from e
    design.options = new_opts.to_dict()
    if changes.move is not None:
        tag, raw = changes.move
        moves = _moves_for(design, tag, _valid_box(raw))
        merged = dict(new_opts.overrides)
        merged.update(moves)
        design.options = DesignOptions.from_dict({**new_opts.to_dict(), "overrides": {
            t: {"x_mm": b.x_mm, "y_mm": b.y_mm, "w_mm": b.w_mm, "h_mm": b.h_mm} for t, b in merged.items()}
        }).to_dict()
    _regenerate(design, product, layout, changes.label_set)
    db.session.commit()
    return design


# ----------------------------------------------------------------------------- composing
def _design_layout(design: Design | RenderSource) -> SheetLayout:
    return layout_from_dict(design.layout_snapshot, id=design.layout_id)


def document_for(design: Design | RenderSource, layout: SheetLayout) -> LabelDocument:
    """The design's document, re-adapted (not saved) when ``layout`` is another stock."""
    if layout.id == design.layout_id:
        doc = LabelDocument.from_dict(design.document)
        return thermal_variant(doc, layout.label_w_mm, layout.label_h_mm) if layout.thermal else doc
    opts = design_options(design)
    moves = (design.saved_overrides or {}).get(layout.id) or {}
    opts = DesignOptions.from_dict({**opts.to_dict(), "overrides": moves})
    return make_document(design.style_id, layout, opts)


def set_documents_for(design: Design | RenderSource, layout: SheetLayout) -> dict[str, LabelDocument]:
    """The panel documents of a label-set design on ``layout`` (front first): the stored ones on
    its own stock (1-bit variant on a thermal stock), re-adapted (not saved) on another stock."""
    set_id = set_id_of(design.document)
    if layout.id == design.layout_id:
        docs = {pid: LabelDocument.from_dict(d) for pid, d in design.document["panels"].items()}
        if layout.thermal:
            docs = {pid: thermal_variant(d, layout.label_w_mm, layout.label_h_mm) for pid, d in docs.items()}
        return docs
    return set_documents(layout, design.style_id, design_options(design), set_id)


@dataclass
class DesignRender:
    """Everything one compose used: inputs and the composed label (for preflight and caching).

    A label set has one document and one composed label per panel (``panel_docs``, ``panels``,
    front first) and ``label`` is the set merged into ONE label (the panels side by side) for the
    preflight and the preview; ``document`` is then the front panel's."""

    source: RenderSource
    product: Product
    revision: ProductRevision | None
    layout: SheetLayout
    document: LabelDocument
    values: dict[str, str]
    clean: dict[str, Any]
    image_keys: dict[str, str]
    label: ComposedLabel | None = None
    net: Net | None = None                                  # a label set's panels (None: one label)
    panel_docs: dict[str, LabelDocument] = field(default_factory=dict)
    panels: dict[str, ComposedLabel] = field(default_factory=dict)

    @property
    def is_set(self) -> bool:
        return self.net is not None

    def digest(self, *extra: Any) -> str:
        """Content hash of the inputs: equal digests give identical output."""
        docs = {pid: d.to_dict() for pid, d in self.panel_docs.items()} if self.is_set else self.document.to_dict()
        blob = json.dumps([docs, layout_to_dict(self.layout), self.values,
                           self.image_keys, list(extra)], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def prepare_design(source: Design | RenderSource, layout: SheetLayout | None = None, *, compose_now: bool = True,
                   printer_dpi: int | None = None) -> DesignRender:
    """Gather the inputs of ``source`` (a working design, or a :class:`RenderSource` such as a frozen
    version's) on ``layout`` (default its own stock) and compose it."""
    src = source if isinstance(source, RenderSource) else source_of_design(source)
    product = db.session.get(Product, src.product_id)
    revision = db.session.get(ProductRevision, src.product_revision_id) if src.product_revision_id \
        else product.current_revision
    layout = layout or _design_layout(src)
    set_id = set_id_of(src.document)
    if set_id:
        docs = set_documents_for(src, layout)
        r = DesignRender(src, product, revision, layout, next(iter(docs.values())),
                         label_values(product, revision, public_base_url()),
                         clean_record(product, revision), assets.image_keys(product),
                         net=set_net(layout, set_id), panel_docs=docs)
    else:
        r = DesignRender(src, product, revision, layout, document_for(src, layout),
                         label_values(product, revision, public_base_url()),
                         clean_record(product, revision), assets.image_keys(product))
    if compose_now:
        compose_render(r, printer_dpi=printer_dpi)
    return r


def compose_render(r: DesignRender, *, printer_dpi: int | None = None) -> DesignRender:
    """Compose ``r`` (once): its label, or for a label set every panel and the merged label."""
    if r.label is not None:
        return r
    fonts = current_app.extensions["studio.fonts"]
    images = assets.load_images(r.image_keys)
    if r.is_set:
        r.panels = compose_panels(r.net, r.panel_docs, r.values, fonts, images, layout=r.layout,
                                  printer_dpi=printer_dpi)
        r.label = merged_label(r.net, r.panels)[0]
    else:
        r.label = compose(r.document, r.layout, r.values, fonts, images, printer_dpi=printer_dpi)
    return r


def compose_design(design: Design, layout: SheetLayout | None = None, *,
                   printer_dpi: int | None = None) -> ComposedLabel:
    """The design composed with its product data and images (primitives, problems, regions)."""
    return prepare_design(design, layout, printer_dpi=printer_dpi).label


def design_problems(design: Design) -> list[Problem]:
    """The engine's compose problems (overflow, QR too small, low-ppi image…), worst first."""
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(compose_design(design).problems, key=lambda p: order.get(p.severity, 3))


FindingSource = Callable[[Design, DesignRender], list[dict]]
FINDING_SOURCES: list[FindingSource] = []


def register_findings(source: FindingSource) -> FindingSource:
    """Add a source of findings (e.g. the full preflight) to :func:`design_findings`."""
    if source not in FINDING_SOURCES:
        FINDING_SOURCES.append(source)
    return source


def count_blockers(findings: list[dict]) -> int:
    """Findings that stop submission — the same rule as the preflight's: BLOCKER from any source,
    and the compose errors the preflight raises to BLOCKER (see ``compose_blocks``)."""
    return len(blocking(findings))


def problem_to_dict(p: Problem) -> dict:
    """A compose problem in the stored findings shape."""
    return {"source": "compose", "code": p.code, "severity": p.severity, "message_id": p.message_id,
            "message_en": p.message_en, "tag": p.tag, "box_mm": list(p.box_mm) if p.box_mm else None}


def design_findings(design: Design) -> list[dict]:
    """Compose problems plus every registered source, as JSON dicts with ``severity``,
    ``message_id``, ``message_en``, ``code`` and ``tag`` (stored on the design when it is saved)."""
    r = prepare_design(design)
    out = [problem_to_dict(p) for p in r.label.problems]
    for source in FINDING_SOURCES:
        out.extend(source(design, r))
    return out
