"""A thermal printer never gets colour: a design stored in colour prints its 1-bit variant on a thermal
stock and through a thermal printer profile (read back from the rasterised job PDF)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from printing_helpers import MADE, TODAY, job_pdf_bytes
from studio.extensions import db


def _max_chroma(pdf: bytes, dpi: int = 203) -> int:
    from studio.labels.preview import render_preview_image

    rgb = np.asarray(render_preview_image(pdf, dpi=dpi).convert("RGB"), dtype=np.int16)
    return int((rgb.max(axis=2) - rgb.min(axis=2)).max())


def test_a_colour_design_prints_black_on_white_through_a_thermal_printer(operator, make_version, printer):
    from studio.labels import layout_from_dict, make_document
    from studio.labels.templates import DesignOptions
    from studio.printing.render import render_sheet_with_batch
    from studio.printing.services import create_print_job

    version = make_version("thermal-100x150")                       # the whole food label fits this roll
    layout = layout_from_dict(version.layout_snapshot, id=version.layout_id)
    colour = replace(layout, print_method="colour")
    # a design stored in colour (made before thermal variants existed, or on a colour roll stock)
    version.document = make_document("berani", colour, DesignOptions.from_dict(version.options)).to_dict()
    db.session.commit()
    assert _max_chroma(render_sheet_with_batch(version, colour, 1)) > 60           # colour on a colour roll
    zebra = printer("Zebra GK420d", "thermal", 203)
    assert _max_chroma(render_sheet_with_batch(version, colour, 1, printer=zebra)) <= 8
    job = create_print_job(operator, version.id, request_key="mono1", layout_id="thermal-100x150", copies=1,
                           batch_code="261127-01", production_date=MADE, printer_id=zebra.id, today=TODAY)
    assert _max_chroma(job_pdf_bytes(job)) <= 8
