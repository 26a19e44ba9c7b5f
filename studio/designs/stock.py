"""Label stock catalogue: the validated files in ``label_layouts/`` plus stock measured at the hub.

A hub operator or an admin measures a real sheet and saves it here: either a new stock or a
correction of an unverified file stock (the "Tom & Jerry" sheets), which then replaces it. The
engine's :class:`SheetLayout` validates every value; designs and print jobs keep their own copy.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Role, User
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..hubsetup.models import STOCKS_ON_OFFER as STOCKS_ON_OFFER_KEY
from ..hubsetup.services import get_setting, put_setting
from ..labels import LayoutError, SheetLayout, layout_from_dict, layout_to_dict
from ..labels.layouts import bleed_that_fits_mm
from ..labels.layouts import SHAPES
from .models import CustomLayout

# Known paper sizes (w, h mm) -> name shown with the stock.
PAPERS = {(210.0, 297.0): "A4", (215.9, 279.4): "Letter", (215.0, 330.0): "F4", (297.0, 420.0): "A3"}
MEASURED_FIELDS = ("paper_w_mm", "paper_h_mm", "label_w_mm", "label_h_mm", "columns", "rows", "left_mm",
                   "top_mm", "step_x_mm", "step_y_mm", "corner_radius_mm", "safe_margin_mm")


def file_layouts() -> dict[str, SheetLayout]:
    """The stock files loaded (and validated) once at start-up."""
    return current_app.extensions["studio.layouts"]


def get_layouts() -> dict[str, SheetLayout]:
    """Every stock on offer: files, with hub-measured stock added or replacing unverified files.
    Read once per request (pages ask several times: the form's choices, the chosen stock, its printer)."""
    from ..identity import request_memo

    return dict(request_memo("designs.layouts", _read_layouts))


def _read_layouts() -> dict[str, SheetLayout]:
    out = dict(file_layouts())
    for row in db.session.scalars(select(CustomLayout).order_by(CustomLayout.id)):
        try:
            out[row.layout_id] = layout_from_dict(row.values, id=row.layout_id)
        except LayoutError:  # pragma: no cover - validated on save; a schema change must not break pages
            current_app.logger.warning("custom layout %s no longer valid", row.layout_id)
    return out


#: where the hub's printers come from: the printing feature (later in the feature order, so it
#: registers itself here, :func:`register_printer_source`) gives (kind, dpi) of each active printer
PRINTER_SOURCES: list[Callable[[], list[tuple[str, int]]]] = []


def register_printer_source(source: Callable[[], list[tuple[str, int]]]) -> Callable[[], list[tuple[str, int]]]:
    if source not in PRINTER_SOURCES:
        PRINTER_SOURCES.append(source)
    return source


def hub_printers() -> list[tuple[str, int]]:
    """(kind, dpi) of every active printer profile of the hub ("inkjet", "laser", "thermal"); empty
    when none is set up yet. Read once per request (the design page asks for the advice's key)."""
    from ..identity import request_memo

    return list(request_memo("designs.printers",
                             lambda: tuple(sorted(p for source in PRINTER_SOURCES for p in source()))))


def printable_at_hub(layout: SheetLayout, printers: list[tuple[str, int]]) -> bool:
    """A roll of thermal labels needs a thermal printer; sheets print on any printer. With no printer
    set up yet (a new hub) every stock counts."""
    if not printers or layout.kind != "roll":
        return True
    return any(kind == "thermal" for kind, _dpi in printers)


def stocks_on_offer(layouts: dict[str, SheetLayout] | None = None) -> dict[str, SheetLayout]:
    """The stock the hub offers: the stock on file (``layouts``, default :func:`get_layouts`) narrowed
    to the hub's list (:func:`offer_list`: ticked on the stock page, else ``STOCKS_ON_OFFER``) when it has one (else without stock not yet measured: its
    geometry is a guess), and without rolls the hub cannot print (:func:`printable_at_hub`)."""
    layouts = get_layouts() if layouts is None else layouts
    listed = offer_list()
    printers = hub_printers()
    return {lid: l for lid, l in layouts.items()
            if (lid in listed if listed is not None else l.verified) and printable_at_hub(l, printers)}


def offer_list() -> list[str] | None:
    """The stock ids the hub keeps or prints: the list a hub operator ticked on the stock page (a hub
    setting, shared by every worker), else the ``STOCKS_ON_OFFER`` configuration; None: no list (every
    measured stock). Read once per request."""
    raw = _offer_setting()
    if raw:
        try:
            ids = json.loads(raw)
        except ValueError:      # pragma: no cover - written by set_offer only
            ids = None
        if isinstance(ids, list):
            return [str(i) for i in ids]
    listed = current_app.config.get("STOCKS_ON_OFFER")
    return list(listed) if listed is not None else None


def offer_is_hub_setting() -> bool:
    """True when the list comes from the stock page (not from the configuration)."""
    return bool(_offer_setting())


def _offer_setting() -> str:
    """The stored list as the stock page wrote it ("" when unset), read once per request."""
    from ..identity import request_memo

    return request_memo("designs.offer", lambda: get_setting(STOCKS_ON_OFFER_KEY))


def set_offer(actor: User, layout_ids: list[str] | None) -> list[str] | None:
    """Store the stock the hub keeps or prints (the stock page's ticks); ``None`` goes back to the
    default (the configuration's list, or every measured stock). Returns what is stored.

    :raises Forbidden: when the actor is not a hub operator or an admin.
    :raises Invalid: (field ``layout_ids``) no stock ticked, or a stock that is not on file.
    """
    if actor.role not in (Role.HUB, Role.ADMIN):
        raise Forbidden(str(_l("Hanya operator hub atau admin yang boleh mengatur stok yang tersedia.")))
    if layout_ids is None:
        put_setting(actor, STOCKS_ON_OFFER_KEY, "")
        db.session.commit()
        return None
    known = get_layouts()
    ids = list(dict.fromkeys(str(i) for i in layout_ids))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise Invalid(str(_l("Stok ini tidak ada: %(ids)s.", ids=", ".join(unknown[:5]))), field="layout_ids")
    if not ids:
        raise Invalid(str(_l("Centang paling sedikit satu stok yang ada di hub.")), field="layout_ids")
    ordered = [l.id for l in sorted_layouts(known) if l.id in ids]
    put_setting(actor, STOCKS_ON_OFFER_KEY, json.dumps(ordered))
    db.session.commit()
    return ordered


def get_layout(layout_id: str) -> SheetLayout:
    """One stock by id. :raises NotFound: unknown id (field ``layout_id``)."""
    layout = get_layouts().get(layout_id)
    if layout is None:
        raise NotFound(str(_l("Ukuran label ini tidak ada.")), field="layout_id")
    return layout


def paper_name(layout: SheetLayout) -> str:
    """"A4", "F4", "Letter", "A3", "rol" or "w × h mm"."""
    if layout.kind == "roll":
        return "rol"
    for (w, h), name in PAPERS.items():
        if abs(layout.paper_w_mm - w) < 0.6 and abs(layout.paper_h_mm - h) < 0.6:
            return name
    return f"{layout.paper_w_mm:g} × {layout.paper_h_mm:g} mm"


def sorted_layouts(layouts: dict[str, SheetLayout]) -> list[SheetLayout]:
    """Sheets first (by label size), then cut-yourself sheets, then rolls; unverified last."""
    order = {"sheet": 0, "nup": 1, "roll": 2}
    return sorted(layouts.values(), key=lambda l: (not l.verified, order.get(l.kind, 3), l.shape != "rect",
                                                   l.label_w_mm * l.label_h_mm, l.id))


@dataclass(frozen=True)
class MeasuredStock:
    """What an operator measured on a real sheet (mm). ``correct_id``: the unverified stock it fixes."""

    name: str
    paper_w_mm: float
    paper_h_mm: float
    label_w_mm: float
    label_h_mm: float
    columns: int
    rows: int
    left_mm: float
    top_mm: float
    step_x_mm: float
    step_y_mm: float
    shape: str = "rect"
    corner_radius_mm: float = 0.0
    safe_margin_mm: float = 1.5
    kind: str = "sheet"
    correct_id: str = ""


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:40] or "stok"


def _field_of(message: str) -> str | None:
    """The form field an engine message is about: the first field name it mentions."""
    if "run off the paper" in message:
        return "left_mm" if "right" in message else "top_mm"
    hits = [(message.find(n), n) for n in MEASURED_FIELDS + ("shape", "kind") if n in message]
    return min(hits)[1] if hits else None


def add_custom_layout(actor: User, values: MeasuredStock) -> SheetLayout:
    """Save a measured stock (admin or hub operator). Correcting an unverified file stock keeps
    its id, so new designs pick up the measured values; existing designs keep their own copy.

    :raises Forbidden: for producers and trainers.
    :raises Invalid: impossible geometry (labels overlap, run off the paper…), on the field at fault.
    :raises NotFound: ``correct_id`` names no stock.
    """
    if actor.role not in (Role.ADMIN, Role.HUB):
        raise Forbidden(str(_l("Hanya admin atau operator hub yang boleh menambah ukuran label.")))
    name = values.name.strip()
    if not name:
        raise Invalid(str(_l("Isi nama stok label.")), field="name")
    if values.shape not in SHAPES:
        raise Invalid(str(_l("Pilih bentuk label.")), field="shape")
    files = file_layouts()
    if values.correct_id:
        base = get_layout(values.correct_id)
        if base.verified and values.correct_id in files:
            raise Invalid(str(_l("Stok ini sudah terukur; simpan sebagai stok baru.")), field="correct_id")
        layout_id = values.correct_id
    else:
        base = None
        taken = set(get_layouts())
        stem = "ukur-" + _slug(name)
        layout_id, n = stem, 2
        while layout_id in taken:
            layout_id, n = f"{stem}-{n}", n + 1
    data = {f: getattr(values, f) for f in MEASURED_FIELDS}
    data.update(name=name[:100], shape=values.shape, kind=values.kind, verified=True,
                bleed_mm=base.bleed_mm if base else 0.0, crop_marks=base.crop_marks if base else False,
                printer_dpi=base.printer_dpi if base else None,
                everyday_name=base.everyday_name if base else "", where_to_buy=base.where_to_buy if base else "",
                notes=f"Diukur di hub oleh {actor.full_name}.")
    data["bleed_mm"] = bleed_that_fits_mm(data["bleed_mm"], data)   # measured gutters may be narrower
    if values.shape == "circle":
        data["corner_radius_mm"] = 0.0
    try:
        layout = layout_from_dict(data, id=layout_id)
    except LayoutError as e:
        raise Invalid(str(_l("Ukuran tidak mungkin: %(why)s", why=str(e).split(": ", 1)[-1])),
                      field=_field_of(str(e))) from e
    row = db.session.scalar(select(CustomLayout).where(CustomLayout.layout_id == layout_id))
    if row is None:
        row = CustomLayout(layout_id=layout_id, created_by_id=actor.id)
        db.session.add(row)
    row.values = layout_to_dict(layout)
    db.session.commit()
    return layout
