"""The ReportLab internals the painter relies on, behind one small adapter (tests/labels/test_rl_canvas.py).

ReportLab has no public call for these three, and the painter needs them for speed and size:
- :func:`write_ops`: raw PDF operators into the page's content stream (``translate``/``doForm``
  format every number in pure Python, ~90 µs per label; a QR or a barcode is one path);
- :func:`use_forms`: mark already defined form XObjects as used on the current page;
- :func:`font_bytes`: the bytes of a registered TrueType face (the glyph outlines the text fitter
  measures).
A ReportLab upgrade that renames them breaks here and in its test, nowhere else.
"""
from __future__ import annotations

from typing import Iterable

from reportlab.pdfgen.canvas import Canvas


def write_ops(c: Canvas, ops: str) -> None:
    """Append PDF content-stream operators to the current page, as they are."""
    c._code.append(ops)


def use_forms(c: Canvas, names: Iterable[str]) -> None:
    """Mark the form XObjects ``names`` (defined with ``beginForm``) as used on the current page."""
    c._formsinuse.extend(names)


def font_bytes(face) -> bytes:
    """The font file bytes of a registered TrueType ``face`` (``pdfmetrics.getFont(name).face``)."""
    return face._ttf_data
