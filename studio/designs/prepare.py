"""Composing a design: its options, its document on a stock, the inputs of one compose
(:class:`DesignRender`) and the findings stored with it.

Everything that reads a design (the design's own use-cases in ``services``, the preflight, the
stock advisor, the gates, review and printing) composes through :func:`prepare_design`; nothing
here changes a design, so this module imports none of them.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import cache, clock
from ..auth.models import User
from ..errors import Invalid
from ..extensions import db
from ..labels import (STYLES, ComposedLabel, DesignOptions, DocumentError, LabelDocument, Problem, SheetLayout,
                      compose, layout_from_dict, layout_to_dict, make_document)
from ..labels.arrange import info_lengths
from ..labels.templates import thermal_variant
from ..packaging import LABEL_SETS, Net, compose_panels, merged_label, set_documents, set_net
from ..preflight.findings import blocking
from ..products.models import Product, ProductRevision
from ..products.record import product_record, rule_settings
from ..rules.quantity import required_char_height_mm
from ..site import public_base_url
from . import assets
from .models import Design
from .source import RenderSource, source_of_design
from .values import label_values, missing_for_label

# Default template family by product category (the producer can change it; stored designs keep
# their style, the five classic styles included). A thermal stock gets the thermal family.
CATEGORY_STYLE = {"keripik": "foto", "kopi": "kraft", "teh": "warisan", "madu": "kraft", "sambal": "tipografi",
                  "kue_kering": "warisan", "kerajinan": "warisan", "minuman_serbuk": "segar"}
DEFAULT_STYLE = "segar"         # a category without its own family
THERMAL_STYLE = "termal"
CATEGORY_PRESET = {"kopi": "kopi", "madu": "madu", "sambal": "cabai", "keripik": "cabai", "teh": "daun",
                   "kue_kering": "batik", "kerajinan": "batik"}



def design_options(design: Design | RenderSource) -> DesignOptions:
    """The producer's choices, including the element moves for the design's current stock."""
    try:
        return DesignOptions.from_dict(design.options or {})
    except (DocumentError, TypeError):
        return DesignOptions()


def default_options(product: Product) -> DesignOptions:
    """Sensible first choices from the product data (halal, barcode, price, logo, colours)."""
    clean = product_record(product.current_revision)
    keys = assets.image_keys(product)
    category = str(clean.get("category") or "")
    show_nutrition = bool(clean.get("nutrition")) or "nutrition" in missing_for_label(clean)
    return DesignOptions(preset=CATEGORY_PRESET.get(category),
                         show_photo="photo" in keys, show_logo="logo" in keys,
                         show_halal=str(clean.get("halal_status") or "") == "certified",
                         halal_logo=str(clean.get("halal_status") or "") == "certified",
                         show_ean=bool(clean.get("gtin")), show_price=False,
                         show_nutrition=show_nutrition, net_qty_cap_mm=net_cap_mm(clean),
                         info_lengths=product_info_lengths(product, show_nutrition))


def product_info_lengths(product: Product, nutrition: bool) -> tuple[int, ...]:
    """How long the product's information texts are on a label (``DesignOptions.info_lengths``): a
    small single sticker holds every mandatory item when they fit at the legal sizes."""
    values = label_values(product, product.current_revision, public_base_url())
    return info_lengths(values, nutrition=nutrition)


def net_cap_mm(clean: dict) -> float:
    """The legal capital height of the net quantity (BDKT table in the rule settings), 0 without one."""
    nq = clean.get("net_quantity")
    return required_char_height_mm(nq, rule_settings()) if nq is not None else 0.0


def default_style(product: Product, layout: SheetLayout | None = None) -> str:
    """The template family suggested for the product's category; the thermal family on a thermal
    stock (``layout``), whatever the category."""
    if layout is not None and layout.thermal:
        return THERMAL_STYLE
    category = str(product_record(product.current_revision).get("category") or "")
    return CATEGORY_STYLE.get(category, DEFAULT_STYLE)


def check_style(style_id: str) -> None:
    """:raises Invalid: ``style_id`` is not one of the engine's styles (field ``style_id``)."""
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


def picture_size_mm(design: Design | RenderSource) -> tuple[float, float]:
    """(width, height) of the design's picture in mm: its label, or a set's stickers side by side
    (the preview, and the coordinates of its findings' boxes and review comments)."""
    snap = design.layout_snapshot or {}
    w, h = float(snap.get("label_w_mm") or 0.0), float(snap.get("label_h_mm") or 0.0)
    set_id = set_id_of(design.document)
    if set_id and w and h:
        net = set_net(design_layout(design), set_id)
        return net.width_mm, net.height_mm
    return w, h


# ----------------------------------------------------------------------------- composing
def design_layout(design: Design | RenderSource) -> SheetLayout:
    """The stock the design was made on, as it was copied into the design."""
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


@dataclass(frozen=True)
class ProductInputs:
    """What a compose reads of the product, whatever the stock or style: gathered once by
    :func:`product_inputs` when one product is composed many times (the stock advisor)."""

    product: Product
    revision: ProductRevision | None
    values: dict[str, str]
    clean: dict[str, Any]
    image_keys: dict[str, str]


def product_inputs(src: RenderSource) -> ProductInputs:
    """The product, data revision, label texts, clean record and image keys of ``src``."""
    product = db.session.get(Product, src.product_id)
    revision = db.session.get(ProductRevision, src.product_revision_id) if src.product_revision_id \
        else product.current_revision
    keys = dict(src.image_keys) if src.image_keys is not None else assets.image_keys(product)
    return ProductInputs(product, revision, label_values(product, revision, public_base_url()),
                         product_record(revision), keys)


def prepare_design(source: Design | RenderSource, layout: SheetLayout | None = None, *, compose_now: bool = True,
                   printer_dpi: int | None = None, inputs: ProductInputs | None = None) -> DesignRender:
    """Gather the inputs of ``source`` (a working design, or a :class:`RenderSource` such as a frozen
    version's) on ``layout`` (default its own stock) and compose it. ``inputs``: the product's part,
    already gathered for the same source (:func:`product_inputs`)."""
    src = source if isinstance(source, RenderSource) else source_of_design(source)
    got = inputs or product_inputs(src)
    layout = layout or design_layout(src)
    set_id = set_id_of(src.document)
    if set_id:
        docs = set_documents_for(src, layout)
        r = DesignRender(src, got.product, got.revision, layout, next(iter(docs.values())), dict(got.values),
                         got.clean, dict(got.image_keys), net=set_net(layout, set_id), panel_docs=docs)
    else:
        r = DesignRender(src, got.product, got.revision, layout, document_for(src, layout), dict(got.values),
                         got.clean, dict(got.image_keys))
    if compose_now:
        compose_render(r, printer_dpi=printer_dpi)
    return r


#: composed labels kept in memory per process (a change's findings, then its preview, compose once)
COMPOSED_KEPT = 24
_composed: "OrderedDict[tuple, tuple]" = OrderedDict()
_composed_lock = threading.Lock()


def compose_render(r: DesignRender, *, printer_dpi: int | None = None) -> DesignRender:
    """Compose ``r`` (once): its label, or for a label set every panel and the merged label.
    The result is kept in memory by the content hash of the inputs (equal inputs, equal output)."""
    if r.label is not None:
        return r
    key = (r.digest(), printer_dpi, r.is_set)
    with _composed_lock:
        hit = _composed.get(key)
        if hit is not None:
            _composed.move_to_end(key)
    if hit is not None:
        r.label, panels = hit
        r.panels = dict(panels)
        return r
    fonts = current_app.extensions["studio.fonts"]
    images = assets.load_images(r.image_keys)
    if r.is_set:
        r.panels = compose_panels(r.net, r.panel_docs, r.values, fonts, images, layout=r.layout,
                                  printer_dpi=printer_dpi)
        r.label = merged_label(r.net, r.panels)[0]
    else:
        r.label = compose(r.document, r.layout, r.values, fonts, images, printer_dpi=printer_dpi)
    if len(images) == len(r.image_keys):        # a missing file is not remembered
        with _composed_lock:
            _composed[key] = (r.label, dict(r.panels))
            while len(_composed) > COMPOSED_KEPT:
                _composed.popitem(last=False)
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


def _regency_of(product: Product) -> str | None:
    owner = db.session.get(User, product.owner_id)
    profile = owner.profile if owner is not None else None
    return getattr(profile, "regency_code", None) or None


def findings_key(r: DesignRender) -> str:
    """Content hash of everything the findings of ``r`` depend on: the compose inputs, the clean
    record, the day, the settings, the producer's regency, the code and the finding sources."""
    return cache.key_of("design-findings", cache.code_version(), r.digest(), r.clean,
                        r.revision.errors if r.revision is not None else None, str(clock.today()),
                        current_app.config.get("PREFLIGHT") or {}, current_app.config.get("RULES") or {},
                        _regency_of(r.product), [f"{s.__module__}.{s.__qualname__}" for s in FINDING_SOURCES])


def design_findings(design: Design) -> list[dict]:
    """Compose problems plus every registered source, as JSON dicts with ``severity``,
    ``message_id``, ``message_en``, ``code`` and ``tag`` (stored on the design when it is saved).
    Cached on disk by :func:`findings_key` (a page view after a change composes nothing)."""
    r = prepare_design(design, compose_now=False)
    key = findings_key(r)
    hit = cache.get_json("findings", key)
    if isinstance(hit, list):
        return hit
    compose_render(r)
    out = [problem_to_dict(p) for p in r.label.problems]
    for source in FINDING_SOURCES:
        out.extend(source(design, r))
    cache.put_json("findings", key, out)
    return out
