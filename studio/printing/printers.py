"""Printer profiles and their calibration per stock (hub operators and admins).

A calibration is measured on a printed calibration page (:func:`calibration_page`) and saved
with :func:`save_calibration`; every later job on that printer and stock copies it.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Role, User
from ..designs.stock import get_layout, register_printer_source
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..labels.imposition import Calibration as EngineCalibration
from .geometry import RULER_HALF_MM, Measurement, calibration_from_measurement, calibration_to_dict
from .models import Calibration, PrinterProfile
from .render import calibration_page_pdf

KINDS = ("inkjet", "laser", "thermal")
THERMAL_DPIS = (203, 300, 600)


def _require_hub(actor: User) -> None:
    if actor.role not in (Role.HUB, Role.ADMIN):
        raise Forbidden(str(_l("Hanya operator hub atau admin yang mengatur printer.")))


def list_printers() -> list[PrinterProfile]:
    """Every printer profile, active first, by name."""
    return list(db.session.scalars(select(PrinterProfile).order_by(PrinterProfile.active.desc(),
                                                                   PrinterProfile.name)))


@register_printer_source
def active_printers() -> list[tuple[str, int]]:
    """(kind, dpi) of every active printer: what the stock advisor may propose (a roll needs a thermal one)."""
    return [(k, d) for k, d in db.session.execute(select(PrinterProfile.kind, PrinterProfile.dpi)
                                                  .where(PrinterProfile.active.is_(True)))]


def get_printer(printer_id: int) -> PrinterProfile:
    """:raises NotFound: no such printer (field ``printer_id``)."""
    printer = db.session.get(PrinterProfile, printer_id)
    if printer is None:
        raise NotFound(str(_l("Printer tidak ditemukan.")), field="printer_id")
    return printer


def save_printer(actor: User, name: str, kind: str, dpi: int, *, printer_id: int | None = None,
                 active: bool = True) -> PrinterProfile:
    """Create or change a printer profile.

    :raises Forbidden: not the hub. :raises Invalid: empty or taken name, unknown kind, odd dpi.
    """
    _require_hub(actor)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Invalid(str(_l("Isi nama printer (paling panjang 80 huruf).")), field="name")
    if kind not in KINDS:
        raise Invalid(str(_l("Pilih jenis printer.")), field="kind")
    if kind == "thermal" and dpi not in THERMAL_DPIS:
        raise Invalid(str(_l("Printer termal biasanya 203 atau 300 dpi.")), field="dpi")
    if not 72 <= int(dpi or 0) <= 2400:
        raise Invalid(str(_l("Resolusi antara 72 dan 2400 dpi.")), field="dpi")
    taken = db.session.scalar(select(PrinterProfile).where(PrinterProfile.name == name))
    if taken is not None and taken.id != printer_id:
        raise Invalid(str(_l("Nama printer ini sudah dipakai.")), field="name")
    printer = get_printer(printer_id) if printer_id else PrinterProfile()
    printer.name, printer.kind, printer.dpi, printer.active = name, kind, int(dpi), bool(active)
    db.session.add(printer)
    db.session.commit()
    return printer


def calibration_row(printer_id: int, layout_id: str) -> Calibration | None:
    return db.session.scalar(select(Calibration).where(Calibration.printer_id == printer_id,
                                                       Calibration.layout_id == layout_id))


def current_calibration(printer_id: int, layout_id: str) -> EngineCalibration | None:
    """The saved correction of a printer on a stock, or None (print as the stock says)."""
    row = calibration_row(printer_id, layout_id)
    if row is None:
        return None
    return EngineCalibration(row.offset_x_mm, row.offset_y_mm, row.scale_x, row.scale_y)


def save_calibration(actor: User, printer_id: int, layout_id: str, measured: Measurement, *,
                     printed_with_correction: bool = False) -> Calibration:
    """Turn what the operator read on a calibration page into the printer's correction for the
    stock. ``printed_with_correction``: the page was printed with the current correction (then
    the readings refine it); otherwise it was printed raw.

    :raises Forbidden: not the hub. :raises NotFound: printer or stock.
    :raises Invalid: readings outside the rulers or an implausible result (field ``x_mm``…).
    """
    _require_hub(actor)
    printer = get_printer(printer_id)
    layout = get_layout(layout_id)
    base = current_calibration(printer.id, layout.id) if printed_with_correction else None
    try:
        new = calibration_from_measurement(layout, measured, base)
    except ValueError as e:
        if "reading" in str(e):         # the reading off its ruler (a form checks each one first)
            field = "y_mm" if abs(measured.x_mm) <= RULER_HALF_MM + 1e-9 else "x_mm"
        else:
            field = "span_x_mm" if measured.span_x_mm else "x_mm"
        raise Invalid(str(_l("Angka ini tidak masuk akal untuk printer (koreksi paling banyak 20 mm, "
                             "skala 0,9–1,1). Cetak halaman kalibrasi lagi lalu ukur ulang.")),
                      field=field) from e
    row = calibration_row(printer.id, layout.id)
    if row is None:
        row = Calibration(printer_id=printer.id, layout_id=layout.id)
        db.session.add(row)
    row.offset_x_mm, row.offset_y_mm = new.offset_x_mm, new.offset_y_mm
    row.scale_x, row.scale_y = new.scale_x, new.scale_y
    row.readings = {"x_mm": measured.x_mm, "y_mm": measured.y_mm, "span_x_mm": measured.span_x_mm,
                    "span_y_mm": measured.span_y_mm, "printed_with": calibration_to_dict(base) if base else None}
    row.measured_by_id = actor.id
    from ..db import utcnow

    row.measured_at = utcnow()
    db.session.commit()
    return row


def reset_calibration(actor: User, printer_id: int, layout_id: str) -> None:
    """Forget the correction of a printer on a stock (print as the stock says)."""
    _require_hub(actor)
    row = calibration_row(printer_id, layout_id)
    if row is not None:
        db.session.delete(row)
        db.session.commit()


def calibration_page(actor: User, printer_id: int, layout_id: str, *, corrected: bool = False) -> bytes:
    """The calibration page PDF of a stock for a printer: raw (to measure) or with the printer's
    current correction (to check it)."""
    _require_hub(actor)
    printer = get_printer(printer_id)
    layout = get_layout(layout_id)
    calib = current_calibration(printer.id, layout.id) if corrected else None
    if corrected and calib is None:
        calib = EngineCalibration()
    return calibration_page_pdf(layout, calib, printer.name)
