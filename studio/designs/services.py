"""Use-cases for label designs: start and change a design (composing is :mod:`.prepare`).

The stored document is declarative (mm, no editor state) and is always regenerated from
(style, stock, options) by the engine's ``make_document``; the design keeps a copy of its stock
and the product revision whose data it shows. Everything painted goes through the engine's one
painter: previews are the PDF rasterised.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import User
from ..errors import Invalid, NotFound
from ..extensions import db
from ..identity import commit_keeping_loaded
from ..labels import DERIVED_TAGS, Box, DesignOptions, DocumentError, LabelDocument, SheetLayout, layout_to_dict, make_document
from ..products.models import Product
from ..products.services import get_own_product, get_product
from .models import Design
# Composing lives in .prepare (the preflight, the advisor and the gates use it without the use-cases);
# its public names are re-exported here for the callers of ``designs.services``.
from .prepare import (CATEGORY_PRESET, CATEGORY_STYLE, DEFAULT_STYLE, FINDING_SOURCES, DesignRender,  # noqa: F401
                      FindingSource, check_style, compose_design, count_blockers, default_options, default_style,
                      design_findings, design_layout, design_options, design_problems, document_for, prepare_design,
                      problem_to_dict, register_findings)
from .stock import MeasuredStock, add_custom_layout, get_layout, get_layouts  # noqa: F401 (re-exported)
from ..packaging import LABEL_SETS, set_documents
from ..products.record import product_record
from .prepare import (compose_render, net_cap_mm, picture_size_mm, product_info_lengths, set_documents_for,  # noqa: F401
                      set_id_of)
from .values import label_values  # noqa: F401 (re-exported)

__all__ = ["LABEL_SETS", "DesignChanges", "add_custom_layout", "compose_design", "design_findings",
           "design_problems", "get_layouts", "label_values", "prepare_design", "register_findings", "start_design",
           "update_design"]

OPTION_NAMES = tuple(f.name for f in fields(DesignOptions) if f.name != "overrides")


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


# ----------------------------------------------------------------------------- label sets
def set_document_dict(layout: SheetLayout, style_id: str, options: DesignOptions, set_id: str) -> dict:
    """The stored document of a label set on ``layout`` (see :func:`set_id_of`)."""
    docs = set_documents(layout, style_id, options, set_id)
    front = next(iter(docs.values()))
    return {"set": set_id, "panels": {pid: d.to_dict() for pid, d in docs.items()},
            "fonts": dict(front.fonts), "background": front.background, "layout_id": layout.id,
            "schema_version": front.schema_version}


def _check_label_set(label_set: str) -> None:
    if label_set != "single" and label_set not in LABEL_SETS:
        raise Invalid(str(_l("Pilih satu label, label depan + belakang, atau set tiga stiker.")), field="label_set")


def _regenerate(design: Design, product: Product, layout: SheetLayout, label_set: str | None = None) -> None:
    """Rebuild the document from style + stock + options on the product's current data
    (``label_set``: "single" or a set id; None keeps what the design is).

    Nothing is written here: the reads (the product's data, photos, the findings) do not autoflush
    what was just set, so the design is written once, with its findings, at the caller's commit.
    On SQLite the first write of a transaction takes the one write lock until the commit: an
    autoflush here held it through the whole compose, and every other save waited (issue #20)."""
    with db.session.no_autoflush:
        opts = design_options(design)
        set_id = set_id_of(design.document) if label_set is None else (None if label_set == "single" else label_set)
        legal = net_cap_mm(product_record(product.current_revision))
        if legal > opts.net_qty_cap_mm:     # the quantity grew past a BDKT step: lay the line out taller
            opts = DesignOptions.from_dict({**opts.to_dict(), "net_qty_cap_mm": legal})
        info = product_info_lengths(product, opts.show_nutrition)
        if info != opts.info_lengths:       # a small single sticker holds everything only when the data fit
            opts = DesignOptions.from_dict({**opts.to_dict(), "info_lengths": list(info)})
            design.options = {**(design.options or {}), "info_lengths": list(info)}
        design.layout_id = layout.id
        design.layout_snapshot = layout_to_dict(layout)
        if set_id:
            design.document = set_document_dict(layout, design.style_id, opts, set_id)
            design.schema_version = design.document["schema_version"]
        else:
            doc = make_document(design.style_id, layout, opts)
            design.document = doc.to_dict()
            design.schema_version = doc.schema_version
        design.product_revision_id = product.current_revision_id
        findings = design_findings(design)      # reads the product's rows, not the design's
        design.findings = findings
        design.blocker_count = count_blockers(findings)


def start_design(actor: User, product_id: int, layout_id: str, style_id: str,
                 label_set: str | None = None) -> Design:
    """Create the product's label design (or restart the existing one on a new stock and style,
    keeping the producer's choices). An empty ``layout_id`` starts on the stock advisor's best
    stock that holds every mandatory item (:mod:`.advisor`), as one label or as a label set.
    ``label_set``: "single", a set id of :data:`LABEL_SETS` ("front_back"), or None (keep / single).

    :raises NotFound: product or stock unknown; :raises Forbidden: not the owner;
    An empty ``style_id`` starts in the family suggested for the product's category and the stock
    (:func:`default_style`).

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
    style_id = style_id or default_style(product, layout)     # none chosen: the family suggested for it
    check_style(style_id)
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
    mapped by the same move and scale, so a group stays together. Parts laid out from their owner's
    box (:data:`~studio.labels.DERIVED_TAGS`: a photo-led family's name band) are not stored: the
    engine puts them back on the moved photo."""
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
        if other in DERIVED_TAGS:
            continue
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
    layout = design_layout(design)
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
        check_style(changes.style_id)
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
    commit_keeping_loaded()     # the editor shows the design it saved: no reload of design and product
    return design


