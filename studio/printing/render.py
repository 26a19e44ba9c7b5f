"""Print output in the app context: a job's sheet PDF (frozen design + batch overlay + calibration),
ZPL for thermal printers, calibration pages and showroom cards.

Composing goes through the designs feature (``prepare_design``: values, images) and painting
through the label engine; nothing here measures text or draws. An approved version is printed as
it was approved: on its own stock or another sheet with the same label, never re-laid out.
"""
from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date

from flask import current_app

from .. import cache
from ..designs import assets as design_assets, services as designs
from ..designs.models import Design, DesignVersion
from ..designs.preflight import checked_findings, findings_checked
from ..designs.source import RenderSource, source_of_design, source_of_version
from ..designs.values import label_values
from ..extensions import db
from ..labels import ComposedLabel, SheetLayout, compose, layout_from_dict, layout_to_dict, render_set_sheet_pdf, render_sheet_pdf
from ..labels.imposition import Calibration
from ..labels.primitives import Region, TextLine
from ..labels.preview import render_preview_image
from ..products.models import Product, ProductRevision
from ..products.record import product_record
from ..site import public_base_url
from .geometry import calibration_from_dict
from .models import PrintJob, PrinterProfile
from .pages import (STAMP_WORDINGS, batch_text, calibration_page_document, label_under_overlay, overlay_document,
                    render_zpl, render_zpl_set, shelf_card_document, shelf_card_layout)

SIZE_TOLERANCE_MM = 0.5     # a stock this close to the design's label size takes the design as it is


def fonts():
    return current_app.extensions["studio.fonts"]


def render_source(source: Design | DesignVersion) -> RenderSource:
    """What to render: a working design as it is now (the command line), a version as it was frozen."""
    return source_of_design(source) if isinstance(source, Design) else source_of_version(source)


def version_layout(version: Design | DesignVersion) -> SheetLayout:
    """The stock the version was designed and approved on (its own snapshot)."""
    return layout_from_dict(version.layout_snapshot, id=version.layout_id)


def fits_as_designed(version: Design | DesignVersion, layout: SheetLayout) -> bool:
    """True when ``layout``'s label has the design's size and shape (no re-layout needed)."""
    own = version_layout(version)
    return (own.shape == layout.shape and abs(own.label_w_mm - layout.label_w_mm) <= SIZE_TOLERANCE_MM
            and abs(own.label_h_mm - layout.label_h_mm) <= SIZE_TOLERANCE_MM)


class NeedsNewVersion(ValueError):
    """An approved version asked to print on a label of another size or shape."""


def compose_version(version: Design | DesignVersion, layout: SheetLayout, *,
                    printer_dpi: int | None = None) -> tuple[ComposedLabel, bool]:
    """The design composed for ``layout``.

    A frozen version is printed exactly as approved: a stock with the design's label size and
    shape takes the approved document unchanged (only slot positions differ); another size raises
    :class:`NeedsNewVersion` (the producer makes and sends a new version on that stock). A working
    design (the command line) is composed on ``layout`` by the designs feature, which re-adapts it
    to another size; the caller runs the preflight for that stock.
    :returns: (composed label, re-adapted?).
    """
    same = fits_as_designed(version, layout)
    if not same and isinstance(version, DesignVersion):
        raise NeedsNewVersion(layout.id)
    r = designs.prepare_design(render_source(version), same_label_layout(version, layout), printer_dpi=printer_dpi)
    return r.label, not same


def compose_version_panels(version: Design | DesignVersion, layout: SheetLayout, *,
                           printer_dpi: int | None = None) -> tuple[list[ComposedLabel], bool]:
    """Like :func:`compose_version`, one composed label per sticker: a label set's panels (front
    first), or the one label. :raises NeedsNewVersion: as :func:`compose_version`."""
    same = fits_as_designed(version, layout)
    if not same and isinstance(version, DesignVersion):
        raise NeedsNewVersion(layout.id)
    r = designs.prepare_design(render_source(version), same_label_layout(version, layout), printer_dpi=printer_dpi)
    return (list(r.panels.values()) if r.is_set else [r.label]), not same


def panel_count(version: Design | DesignVersion) -> int:
    """Stickers per copy: 2 for a front + back set, 1 for a label of its own."""
    set_id = designs.set_id_of(version.document)
    return len(designs.LABEL_SETS[set_id]) if set_id else 1


def same_label_layout(version: Design | DesignVersion, layout: SheetLayout) -> SheetLayout:
    """``layout`` seen as the design's own stock when its label is the same (another sheet of the
    same label: the approved document is composed as it is; only slot positions differ, and those
    come from ``layout`` at render time)."""
    if layout.id != version.layout_id and fits_as_designed(version, layout):
        return replace(layout, id=version.layout_id)
    return layout


class StampDoesNotFit(ValueError):
    """The batch code and dates do not fit the label's stamping box in any wording (nothing is
    printed cut off)."""


def _overlay(label: ComposedLabel, version: Design | DesignVersion, layout: SheetLayout, text: str) -> ComposedLabel:
    """The batch overlay of ``label``: the first stamp wording whose every line is printed whole.

    :raises StampDoesNotFit: no wording fits (the message says what was cut).
    """
    doc_fonts = (version.document or {}).get("fonts") or {"heading": "sans-bold", "body": "sans"}
    for wording in range(STAMP_WORDINGS):
        doc, _where = overlay_document(label, layout.id, text, doc_fonts, layout.safe_margin_mm, wording=wording)
        lay = replace(layout, id=doc.layout_id)
        ov = compose(doc, lay, {}, fonts())
        cut = [p for p in ov.problems if p.tag.startswith("batch")]
        if not cut:
            break
    else:     # the engine's message ends with what was not printed: «…»
        lost = re.search(r"«.*»", cut[0].message_id)
        raise StampDoesNotFit(lost.group(0) if lost else cut[0].message_id)
    # compose paints the document background first; an overlay must leave the label visible
    return replace(ov, primitives=tuple(p for p in ov.primitives if getattr(p, "tag", "") != "background"))


def printer_dpi_for(printer: PrinterProfile | None, layout: SheetLayout) -> int | None:
    """Thermal printers snap QR modules to their dots; other printers use the stock's setting."""
    if printer is not None and printer.kind == "thermal":
        return printer.dpi
    return layout.printer_dpi


def shelf_life_of(version: Design | DesignVersion) -> int | None:
    """Shelf life (days) in the product revision the design or version shows, or None."""
    product = db.session.get(Product, version.product_id)
    revision = db.session.get(ProductRevision, version.product_revision_id) if version.product_revision_id \
        else product.current_revision
    value = product_record(revision).get("shelf_life_days")
    return int(value) if value else None


def prepared_for_printer(version: Design | DesignVersion, layout: SheetLayout, printer: PrinterProfile | None):
    """``(layout, dpi, render)``: ``layout`` as ``printer`` prints it (a thermal head prints the 1-bit
    variant), its dots, and ``version`` prepared there, not composed yet.
    :raises NeedsNewVersion: as :func:`compose_version`."""
    if printer is not None and printer.kind == "thermal":
        layout = replace(layout, print_method="thermal")
    dpi = printer_dpi_for(printer, layout)
    if not fits_as_designed(version, layout) and isinstance(version, DesignVersion):
        raise NeedsNewVersion(layout.id)
    r = designs.prepare_design(render_source(version), same_label_layout(version, layout), compose_now=False,
                               printer_dpi=dpi)
    return layout, dpi, r


def render_sheet_with_batch(version: Design | DesignVersion, layout: SheetLayout, copies: int, *, first_slot: int = 0,
                            batch_code: str = "", production_date: date | None = None,
                            expiry_date: date | None = None, calibration: Calibration | None = None,
                            printer: PrinterProfile | None = None, title: str = "") -> bytes:
    """The sheet PDF of ``copies`` labels of ``version`` (a frozen version, or a working design
    for the CLI) on ``layout`` from slot ``first_slot``
    (0-based), with the batch overlay on every label and the printer ``calibration`` applied.
    (The hub's print jobs and the ``render-sheet`` CLI share it.)

    :raises ValueError: copies < 1 or first_slot outside the sheet (from the engine).
    """
    layout, dpi, r = prepared_for_printer(version, layout, printer)
    designs.compose_render(r, printer_dpi=dpi)
    _stamped_labels(r, r.digest(), dpi)     # its stamping box kept for the stamp check (e.g. from the form's picture)
    panels = list(r.panels.values()) if r.is_set else [r.label]
    overlays: list[ComposedLabel | None] = [None] * len(panels)
    text = batch_text(batch_code, production_date, expiry_date, shelf_life_of(version))
    if text:
        # a set's batch code and dates go into the stamping box of the sticker that has one (the back)
        boxed = [i for i, lab in enumerate(panels) if "expiry_box" in lab.regions] or [0]
        for i in boxed:
            overlays[i] = _overlay(panels[i], version, layout, text)
            panels[i] = label_under_overlay(panels[i], text)    # the line the overlay prints anew left out
    # ``copies`` and ``first_slot`` count sets: a copy of a front + back set is two stickers
    return render_set_sheet_pdf(panels, layout, copies, first_set=first_slot, calibration=calibration,
                                overlays=overlays, title=title)


#: the content-hash cache space of the stamp check (studio/cache.py, shared by every worker)
STAMP_FIT = "stamp-fit"


def stamp_problem(version: DesignVersion, layout: SheetLayout, printer: PrinterProfile | None,
                  text: str, *, prepared: tuple | None = None) -> str | None:
    """Why the batch ``text`` cannot be printed whole in ``version``'s stamping box on ``layout``
    (None: it can, in one of the wordings :func:`_overlay` tries).

    Answered from the content-hash cache (``studio/cache.py``) when exactly these inputs were
    checked before: the compose inputs (document, stock, label texts, image keys: the render's
    digest), the printer's dots, the stock the overlay is laid on, the document's fonts, the stamp
    text and the code that draws. Equal keys give the same answer (the form sent again after a
    refusal). A new code or date is checked by composing the overlay, as before, on the label's
    stamping box geometry (:func:`_stamped_labels`: from the cache when this label was measured on
    this stock and printer before, else composed). ``prepared``: :func:`prepared_for_printer` of
    the same arguments, already made.
    """
    if not text:
        return None
    layout, dpi, r = prepared or prepared_for_printer(version, layout, printer)
    doc_fonts = (version.document or {}).get("fonts") or {"heading": "sans-bold", "body": "sans"}
    digest = r.digest()
    key = cache.key_of(STAMP_FIT, cache.code_version(), digest, r.is_set, dpi, layout_to_dict(layout), doc_fonts, text)
    hit = cache.get_json(STAMP_FIT, key)
    if isinstance(hit, dict) and "cut" in hit:
        return hit["cut"]
    boxed, whole = _stamped_labels(r, digest, dpi)
    cut = None
    try:
        for lab in boxed:
            _overlay(lab, version, layout, text)
    except StampDoesNotFit as e:
        cut = str(e)
    if whole:       # a missing image file is not remembered
        cache.put_json(STAMP_FIT, key, {"cut": cut})
    return cut


#: the cache space of what the stamp overlay reads of a composed label (its stamping box geometry)
STAMP_BOXES = "stamp-boxes"
#: the regions and text lines :func:`.pages.overlay_document` reads of a label
_STAMP_TAGS = ("expiry_box", "pdp.expiry")


def _stamped_labels(r, digest: str, dpi: int | None) -> tuple[list[ComposedLabel], bool]:
    """The stickers of ``r`` that get the batch stamp (those with a stamping box, else the first),
    as much of each as the overlay reads: size, shape, background, the ``expiry_box`` and
    ``pdp.expiry`` regions and the text lines of the best-before line. Kept in the content-hash
    cache by the render's digest and the printer's dots (a new batch code on a label composed
    before, even in another process, composes nothing); composed when not known.
    :returns: (labels, every image file was there, so the answer may be remembered)."""
    key = _stamp_boxes_key(r, digest, dpi)
    hit = cache.get_json(STAMP_BOXES, key)
    if not (isinstance(hit, list) and hit):
        hit = None
    elif r.label is None:       # not composed yet: the geometry is all the stamp check needs
        try:
            return [_label_from_json(d) for d in hit], True
        except (KeyError, TypeError, ValueError):
            hit = None          # an entry of another shape: composed again and overwritten
    designs.compose_render(r, printer_dpi=dpi)
    panels = list(r.panels.values()) if r.is_set else [r.label]
    boxed = [lab for lab in panels if "expiry_box" in lab.regions] or panels[:1]
    whole = len(design_assets.load_images(r.image_keys)) == len(r.image_keys)
    if whole and hit is None:
        cache.put_json(STAMP_BOXES, key, [_label_to_json(lab) for lab in boxed])
    return boxed, whole


def _stamp_boxes_key(r, digest: str, dpi: int | None) -> str:
    return cache.key_of(STAMP_BOXES, cache.code_version(), digest, r.is_set, dpi)


def print_checks_known(version: DesignVersion, layout: SheetLayout, printer: PrinterProfile | None) -> bool:
    """True when both checks a print job's submit makes of ``version`` on ``layout`` through
    ``printer`` would answer from the cache: the stamping box geometry (:func:`stamp_problem`) and
    the label re-checked at the printer's dots (``gates.recheck_version``). Nothing is composed.
    :raises NeedsNewVersion: another label size."""
    prepared = prepared_for_printer(version, layout, printer)
    _printed, dpi, r = prepared
    if not cache.exists(STAMP_BOXES, _stamp_boxes_key(r, r.digest(), dpi)):
        return False
    return findings_checked(_recheck_render(version, layout, prepared), printer_dpi=printer_dpi_for(printer, layout))


def recheck_at_printer(version: DesignVersion, layout: SheetLayout, printer: PrinterProfile | None, *,
                       prepared: tuple | None = None) -> list:
    """The label as it will print now on ``layout`` through ``printer`` (this sheet, the printer's
    dots, today's QR address): ``gates.recheck_version``, codes decoded, from the content-hash cache
    when these inputs were checked before. ``prepared``: :func:`prepared_for_printer` of the same
    arguments, whose render is reused when it is the same (not a thermal printer's 1-bit variant)."""
    return checked_findings(_recheck_render(version, layout, prepared), printer_dpi=printer_dpi_for(printer, layout))


def _recheck_render(version: DesignVersion, layout: SheetLayout, prepared: tuple | None):
    """What ``gates.recheck_version(version, same_label_layout(version, layout), …)`` prepares: the
    stock as it is (the render of ``prepared`` when that is the same stock, i.e. not a thermal
    printer's 1-bit variant)."""
    if prepared is not None and prepared[0] is layout:
        return prepared[2]
    return designs.prepare_design(render_source(version), same_label_layout(version, layout), compose_now=False)


def measure_stamp_boxes(version: DesignVersion, layout: SheetLayout, printer: PrinterProfile | None, *,
                        prepared: tuple | None = None) -> None:
    """Put the stamping box geometry of ``version`` on ``layout`` through ``printer`` in the cache
    (composed when not there), so the job form's submit checks a batch code without composing.
    ``prepared``: as :func:`stamp_problem`. :raises NeedsNewVersion: another label size."""
    _layout, dpi, r = prepared or prepared_for_printer(version, layout, printer)
    _stamped_labels(r, r.digest(), dpi)


def _label_to_json(label: ComposedLabel) -> dict:
    return {"width_mm": label.width_mm, "height_mm": label.height_mm, "shape": label.shape,
            "corner_radius_mm": label.corner_radius_mm, "default_font": label.default_font,
            "background": label.background, "clip_to_shape": label.clip_to_shape,
            "regions": {t: asdict(label.regions[t]) for t in _STAMP_TAGS if t in label.regions},
            "lines": [asdict(p) for p in label.primitives if isinstance(p, TextLine) and p.tag in _STAMP_TAGS]}


def _label_from_json(d: dict) -> ComposedLabel:
    regions = {t: Region(**{**v, "box_mm": tuple(v["box_mm"])}) for t, v in d["regions"].items()}
    return ComposedLabel(d["width_mm"], d["height_mm"], d["shape"], d["corner_radius_mm"],
                         tuple(TextLine(**p) for p in d["lines"]), (), regions, d["default_font"],
                         background=d["background"], clip_to_shape=d["clip_to_shape"])


def job_layout(job: PrintJob) -> SheetLayout:
    return layout_from_dict(job.layout_snapshot, id=job.layout_id)


def render_job_pdf(job: PrintJob) -> bytes:
    """The job's PDF from its snapshots (stock, calibration, batch) and its frozen version."""
    version = db.session.get(DesignVersion, job.design_version_id)
    product = db.session.get(Product, job.product_id)
    return render_sheet_with_batch(
        version, job_layout(job), job.copies, first_slot=job.first_slot, batch_code=job.batch_code,
        production_date=job.production_date, expiry_date=job.expiry_date,
        calibration=calibration_from_dict(job.calibration), printer=job.printer,
        title=f"{product.name} – {job.batch_code or job.layout_id}")


def render_job_zpl(job: PrintJob) -> str:
    """ZPL II for a roll job on a thermal printer: the label rasterised at the printer's dots
    (the PDF is the truth), the batch text as native ``^A0`` fields, ``^PQ`` copies."""
    version = db.session.get(DesignVersion, job.design_version_id)
    layout = replace(job_layout(job), print_method="thermal")
    dpi = job.printer.dpi if job.printer is not None else (layout.printer_dpi or 203)
    stickers, _ = compose_version_panels(version, layout, printer_dpi=dpi)
    one = replace(layout, left_mm=0.0, top_mm=0.0, paper_w_mm=layout.label_w_mm, paper_h_mm=layout.label_h_mm)
    text = batch_text(job.batch_code, job.production_date, job.expiry_date, shelf_life_of(version))
    # the batch text goes into the stamping box of the sticker that has one (of a label set: the
    # front of a 50 x 30 mm pair), as on a sheet; that sticker is rasterised without the line the
    # overlay prints anew
    boxed = [i for i, lab in enumerate(stickers) if "expiry_box" in lab.regions] or [0]
    overlays = [_overlay(lab, version, layout, text) if text and i in boxed else None
                for i, lab in enumerate(stickers)]
    printed = [label_under_overlay(lab, text) if ov is not None else lab for lab, ov in zip(stickers, overlays)]
    images = [render_preview_image(render_sheet_pdf(lab, one, 1), dpi=dpi, grayscale=True) for lab in printed]
    if len(stickers) == 1:
        return render_zpl(images[0], overlays[0], dpi=dpi, copies=job.copies, width_mm=layout.label_w_mm,
                          height_mm=layout.label_h_mm)
    return render_zpl_set(images, overlays, dpi=dpi, copies=job.copies, width_mm=layout.label_w_mm,
                          height_mm=layout.label_h_mm)


def calibration_page_pdf(layout: SheetLayout, calibration: Calibration | None, printer_name: str = "") -> bytes:
    """The calibration page of a stock (``calibration`` None = printed without correction)."""
    doc, page = calibration_page_document(layout, calibration, printer_name=printer_name)
    label = compose(doc, page, {}, fonts())
    return render_sheet_pdf(label, page, 1, title=f"Kalibrasi {layout.name}")


def shelf_card_pdf(product: Product) -> bytes:
    """The A6 showroom card of a product from its current data, photo and public QR address.

    :raises Conflict: the public address is one a buyer's phone cannot open (its QR would not work).
    """
    from ..designs.gates import public_address_problem
    from ..errors import Conflict

    problem = public_address_problem()
    if problem:
        raise Conflict(problem)
    revision = product.current_revision
    values = label_values(product, revision, public_base_url())
    owner = product.owner
    business = owner.profile.business_name if owner is not None and owner.profile else ""
    values["producer_short"] = business or (owner.full_name if owner is not None else "")
    values["url_text"] = values["url"].split("://", 1)[-1]
    values["subtitle"] = " · ".join(v for v in (values.get("variant"), values.get("net_qty")) if v)
    if not values.get("price"):
        values["price"] = "—"
    images = design_assets.load_images(design_assets.image_keys(product))
    doc = shelf_card_document(has_photo="photo" in images)
    layout = shelf_card_layout()
    label = compose(doc, layout, values, fonts(), {"photo": images["photo"]} if "photo" in images else {})
    return render_sheet_pdf(label, layout, 1, title=f"Kartu rak – {product.name}")
