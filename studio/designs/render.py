"""Rendering a design: print-shop and sheet PDFs, previews (the same PDF rasterised, cached on disk
by content hash, :mod:`studio.cache`), style thumbnails, and the sheet render behind
``flask studio render-sheet``.

The cached entry point is :func:`_preview_of` (behind :func:`render_preview_png` and
:func:`style_preview_png`): its key (:func:`preview_key`) is the hash of the document(s), the stock,
the label texts (the product data and the producer's profile), the image keys (content-addressed),
the code and fonts (:func:`studio.cache.code_version`) and the resolution, so a hit is the same PNG
a fresh render gives, for any user and any worker."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from .. import cache
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..labels import (DesignOptions, SheetLayout, make_document, render_label_pdf, render_set_sheet_pdf,
                      sets_per_page)
from ..labels import render_preview_png as rasterise_png
from ..labels.primitives import QRModules
from ..site import public_base_url
from ..products.models import Product
from ..packaging import set_documents
from .models import Design
from .prepare import (DesignRender, check_style, compose_render, design_layout, design_options, prepare_design,
                      set_id_of)
from .services import find_design
from .stock import get_layout
from .values import label_values

PREVIEW_VERSION = "2"           # bump when the preview look changes outside the code (invalidates cached PNGs)
PREVIEW_LONG_SIDE_PX = 1000     # previews are rasterised so the longer side is about this size


def render_design_pdf(design: Design, kind: str = "printshop", copies: int = 1, first_slot: int = 0, *,
                      layout: SheetLayout | None = None) -> bytes:
    """PDF of the design: ``printshop`` = one label at actual size with 3 mm bleed, crop marks,
    TrimBox/BleedBox; ``sheet`` = ``copies`` labels on the stock starting at slot ``first_slot``.

    :raises Invalid: unknown kind, copies outside 1..5000, or first_slot outside the sheet.
    :raises Conflict: the label has a QR code and the public address is one a buyer's phone cannot
        open (127.0.0.1, localhost): a printed QR would never work (the hub's print refuses it too).
    """
    r = prepare_design(design, layout)
    if any(isinstance(p, QRModules) for lab in _stickers(r) for p in lab.primitives):
        from .gates import public_address_problem

        problem = public_address_problem()
        if problem:
            raise Conflict(problem)
    title = f"{r.product.name} – {r.layout.name}"
    if kind == "printshop":
        return render_label_pdf(r.label, r.layout, bleed_mm=3.0, crop_marks=True, title=title)
    if kind != "sheet":
        raise Invalid(str(_l("Jenis PDF tidak dikenal.")), field="kind")
    if not 1 <= copies <= 5000:
        raise Invalid(str(_l("Jumlah label antara 1 dan 5000.")), field="copies")
    per_sheet = sets_per_page(r.layout, len(r.panels) if r.is_set else 1)   # a set: copies count sets
    if not 0 <= first_slot < per_sheet:
        raise Invalid(str(_l("Label pertama harus antara 1 dan %(n)d.", n=per_sheet)), field="first_slot")
    return render_set_sheet_pdf(_stickers(r), r.layout, copies, first_set=first_slot, title=title)


def _stickers(r: DesignRender) -> list:
    """One composed label per sticker: a set's panels (front first), or the label."""
    return list(r.panels.values()) if r.is_set else [r.label]


def preview_dpi(layout: SheetLayout) -> float:
    """Rasterising resolution giving previews of about PREVIEW_LONG_SIDE_PX on the long side."""
    long_in = max(layout.label_w_mm, layout.label_h_mm) / 25.4
    return max(100.0, min(600.0, PREVIEW_LONG_SIDE_PX / long_in))


def preview_key(r: DesignRender, dpi: float) -> str:
    """Cache key of the preview of ``r`` at ``dpi``: every input of the picture (see the module)."""
    return cache.key_of("label-preview", PREVIEW_VERSION, cache.code_version(), r.digest(), round(float(dpi), 3))


def _preview_of(r: DesignRender, dpi: float) -> bytes:
    """The preview PNG of ``r``: from the cache, or the label's PDF rasterised (then cached)."""
    key = preview_key(r, dpi)
    png = cache.get_bytes("previews", key)
    if png is not None:
        return png
    compose_render(r)
    pdf = render_label_pdf(r.label, r.layout, bleed_mm=0.0, crop_marks=False, show_outline=True)
    png = rasterise_png(pdf, dpi=dpi)
    cache.put_bytes("previews", key, png)
    return png


def render_preview_png(design: Design, *, dpi: float | None = None) -> bytes:
    """The label as the printer will print it (its PDF rasterised, die-cut outline added), PNG.
    Cached on disk by the hash of the document, stock, data, images, code and resolution."""
    r = prepare_design(design, compose_now=False)
    return _preview_of(r, dpi or preview_dpi(r.layout))


def style_preview_png(design: Design, style_id: str, *, dpi: float = 110) -> bytes:
    """A small preview of the design in another style (same stock, data and choices), cached.

    :raises Invalid: unknown style.
    """
    check_style(style_id)
    r = prepare_design(design, compose_now=False)
    if style_id != design.style_id:
        opts = DesignOptions.from_dict({**design_options(design).to_dict(), "overrides": {}})
        r.document = make_document(style_id, r.layout, opts)
        if r.is_set:
            r.panel_docs = set_documents(r.layout, style_id, opts, set_id_of(design.document))
        r.values = label_values(r.product, r.revision, public_base_url())
    return _preview_of(r, dpi)


def product_design_for_cli(product_id: int):
    """(product, its current label design) for command-line rendering (no acting user: a hub
    operator at the console). :raises NotFound: no such product or no design yet."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    design = find_design(product)
    if design is None:
        raise NotFound(f"product {product_id} has no label design yet")
    return product, design


def render_sheet_for_cli(product_id: int, layout_id: str | None, copies: int, first_slot: int = 0,
                         **render_options: Any) -> bytes:
    """Sheet PDF from the product's current design on stock ``layout_id`` (default: the design's),
    re-adapted when it is another stock. ``render_options`` are passed to the engine's
    ``render_sheet_pdf`` (``calibration``, ``overlay``) so print options can be added.

    :raises NotFound: no such product, no design yet, or unknown stock.
    :raises Invalid: copies/first_slot out of range.
    """
    product, design = product_design_for_cli(product_id)
    layout = get_layout(layout_id) if layout_id else design_layout(design)
    if not 1 <= copies <= 100000:
        raise Invalid("copies must be between 1 and 100000", field="copies")
    r = prepare_design(design, layout)
    per_sheet = sets_per_page(layout, len(r.panels) if r.is_set else 1)
    if not 0 <= first_slot < per_sheet:
        raise Invalid(f"first slot must be between 0 and {per_sheet - 1}", field="first_slot")
    overlay = render_options.pop("overlay", None)
    return render_set_sheet_pdf(_stickers(r), layout, copies, first_set=first_slot, overlays=[overlay],
                                title=f"{product.name} – {layout.name}", **render_options)
