"""Contact sheet of the template families (issue 17): every family on the stocks the issue names,
for one demo product, each cell rasterised from the real label PDF (the one painter).

Stocks: Avery L7160 (A4, 63.5 x 38.1 mm) alone and as a front + back set (two stickers of the sheet),
a 60 mm round label alone and as a set, a front + back set on an A4 sheet (Avery L7163, 99.1 x 38.1
mm) and a 50 x 30 mm thermal roll label alone and as a pair (two consecutive labels of the roll;
rasterised at the head's 203 dpi without anti-aliasing: the dots the printer burns). Where a pair on a
small sticker cannot hold everything, the cell shows the set the stock advisor proposes instead: front +
two backs (front_back_back). A set's stickers stand side by side, each captioned front / back / back 2;
a cell whose preflight has a BLOCKER or ERROR says so (rule ids) under it.

Runs on a throw-away SQLite database with the demo data (no instance/ is touched). Writes
docs/gallery/families.png and prints one JSON line (cells, seconds, bytes).

Usage: python bench/gallery.py [--product "Keripik Singkong Balado"] [--all-styles] [--out docs/gallery]
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

STOCKS = (("avery-l7160", "single"), ("avery-l7160", "front_back"), ("round-60mm-a4", "single"),
          ("round-60mm-a4", "front_back"), ("avery-l7163", "front_back"), ("thermal-50x30", "single"),
          ("thermal-50x30", "front_back"))
TITLES = ("Avery L7160 63.5 x 38.1", "L7160 set (2-3 stickers)", "Round 60 mm", "Round 60 mm set (2-3)",
          "Set on L7163 99.1 x 38.1", "Thermal 50 x 30 (203 dpi dots)", "Thermal 50 x 30 set (2-3)")
PANEL_CAPTION = {"front": "front", "back": "back", "back2": "back 2"}
PX_PER_MM = 150 / 25.4          # screen cells at 150 dpi (the thermal cell at the printer's dpi, scaled)
GAP, HEAD_W, HEAD_H = 16, 150, 34
STICKER_GAP, CAPTION_H = 10, 40
BG = (236, 233, 226)
BAD = (176, 32, 32)


def _app(tmp: Path):
    from studio import create_app
    return create_app({"TESTING": True, "SECRET_KEY": "gallery", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/g.db",
                       "MEDIA_DIR": str(tmp / "media"), "JOBS_MODE": "eager", "DEMO_ON_FIRST_START": False,
                       "SERVER_NAME": None, "PUBLIC_BASE_URL": "https://katalog.rumahpintar-jombang.example/blonjo",
                       "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})


def _fonts():
    return (ImageFont.truetype(str(ROOT / "fonts" / "NotoSans-Bold.ttf"), 15),
            ImageFont.truetype(str(ROOT / "fonts" / "NotoSans-Regular.ttf"), 13))


def _fit(d: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    """``text`` cut at a comma (with an ellipsis) to fit ``width`` pixels."""
    while d.textlength(text, font=font) > width and ", " in text:
        text = text.rsplit(", ", 1)[0].rstrip(" …") + " …"
    return text


def _cell(pics: list[tuple[str, Image.Image]], severe: list[str]) -> Image.Image:
    """The stickers of one cell side by side, each captioned with its panel when a set has two;
    under them the preflight's BLOCKER/ERROR rule ids (if any), in red."""
    _bold, small = _fonts()
    w = sum(p.width for _c, p in pics) + STICKER_GAP * (len(pics) - 1)
    top = max(p.height for _c, p in pics)
    cell = Image.new("RGB", (w, top + CAPTION_H), BG)
    d = ImageDraw.Draw(cell)
    x = 0
    for caption, p in pics:
        cell.paste(p, (x, 0))
        if caption:
            d.text((x + 2, top + 2), caption, fill=(70, 70, 70), font=small)
        x += p.width + STICKER_GAP
    if severe:
        d.text((2, top + 20), _fit(d, "preflight: " + ", ".join(severe), small, w - 4), fill=BAD, font=small)
    return cell


def render_cells(product, style_id: str, layouts: dict) -> list[Image.Image]:
    """One picture per stock of ``STOCKS`` for ``product`` in ``style_id`` (app context needed): a
    set's front and back side by side, captioned."""
    from studio.designs import prepare
    from studio.designs import preflight as design_preflight
    from studio.designs.advisor import SET_THREE, THREE_MAX_MM2
    from studio.designs.services import set_document_dict
    from studio.designs.source import RenderSource
    from studio.labels import layout_to_dict, make_document, render_label_pdf
    from studio.labels.preview import render_preview_image

    out = []
    opts = prepare.default_options(product)
    def judged(lay, label_set):
        doc = set_document_dict(lay, style_id, opts, label_set) if label_set != "single" \
            else make_document(style_id, lay, opts).to_dict()
        src = RenderSource(product.id, lay.id, layout_to_dict(lay), style_id, opts.to_dict(), doc,
                           product.current_revision_id)
        r = prepare.prepare_design(src)
        return r, sorted({f.rule_id for f in design_preflight.findings_for(r, check_codes=False)
                          if str(f.severity).upper().endswith(("BLOCKER", "ERROR"))})

    for layout_id, label_set in STOCKS:
        lay = layouts[layout_id]
        r, severe = judged(lay, label_set)
        if label_set == "front_back" and lay.label_w_mm * lay.label_h_mm <= THREE_MAX_MM2 \
                and (severe or not _has_qr(r)):
            # where a pair cannot hold everything (a finding, or no room for the QR at its scannable
            # size), what the stock advisor proposes: front + two backs
            r3, severe3 = judged(lay, SET_THREE)
            if (len(severe3), not _has_qr(r3)) < (len(severe), not _has_qr(r)):
                r, severe = r3, severe3
        stickers = list(r.panels.items()) if r.is_set else [("", r.label)]
        pics = []
        for panel, lab in stickers:
            pdf = render_label_pdf(lab, lay, bleed_mm=0.0, crop_marks=False, show_outline=not lay.thermal)
            if lay.thermal:     # the dots a 203 dpi head burns, then enlarged to the sheet's scale
                im = thermal_raster(pdf, lay.printer_dpi or 203)
                im = im.resize((round(lay.label_w_mm * PX_PER_MM), round(lay.label_h_mm * PX_PER_MM)),
                               Image.NEAREST)
            else:
                im = render_preview_image(pdf, dpi=PX_PER_MM * 25.4)
            pics.append((PANEL_CAPTION.get(panel, panel), im.convert("RGB")))
        out.append(_cell(pics, severe))
    return out


def _has_qr(r) -> bool:
    """The label (every sticker of a set) carries a QR code."""
    labels = r.panels.values() if r.is_set else [r.label]
    return any(reg.kind == "qr" for lab in labels for reg in lab.regions.values())


def thermal_raster(pdf: bytes, dpi: int) -> Image.Image:
    """The PDF rasterised at the printer's resolution without anti-aliasing (greyscale image)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        bitmap = page.render(scale=dpi / 72.0, grayscale=True, no_smoothtext=True, no_smoothimage=True,
                             no_smoothpath=True)
        im = bitmap.to_pil().copy()
        page.close()
        return im.convert("L")
    finally:
        doc.close()


def contact_sheet(rows: list[tuple[str, list[Image.Image]]], titles: list[str]) -> Image.Image:
    font, small = _fonts()
    col_w = [max(cells[i].width for _n, cells in rows) for i in range(len(titles))]
    row_h = [max(c.height for c in cells) for _n, cells in rows]
    W = HEAD_W + sum(col_w) + GAP * (len(col_w) + 1)
    H = HEAD_H + sum(row_h) + GAP * (len(rows) + 1)
    sheet = Image.new("RGB", (W, H), BG)
    d = ImageDraw.Draw(sheet)
    x = HEAD_W + GAP
    for t, w in zip(titles, col_w):
        d.text((x, 10), t, fill=(40, 40, 40), font=small)
        x += w + GAP
    y = HEAD_H + GAP
    for (name, cells), h in zip(rows, row_h):
        d.text((12, y + 4), name, fill=(30, 30, 30), font=font)
        x = HEAD_W + GAP
        for cell, w in zip(cells, col_w):
            sheet.paste(cell, (x, y))
            x += w + GAP
        y += h + GAP
    return sheet


def _placeholder_halal_logo() -> None:
    """A grey stand-in for the official Halal Indonesia logo (the hub admin uploads the real one; it is
    not bundled), so the cells show where the logo goes and the preflight judges them as at a hub."""
    from sqlalchemy import select

    from studio.auth.models import User
    from studio.designs import assets
    from studio.extensions import db

    im = Image.new("RGB", (300, 300), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.ellipse((10, 10, 290, 290), fill=(190, 190, 190))
    font = ImageFont.truetype(str(ROOT / "fonts" / "NotoSans-Bold.ttf"), 54)
    for i, word in enumerate(("logo", "halal")):
        d.text((150, 118 + i * 64), word, fill=(90, 90, 90), font=font, anchor="mm")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    assets.upload_halal_logo(admin, buf.getvalue(), "halal-placeholder.png")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--product", default="Keripik Singkong Balado")
    ap.add_argument("--all-styles", action="store_true", help="also the five classic colour styles")
    ap.add_argument("--out", default=str(ROOT / "docs" / "gallery"))
    a = ap.parse_args()
    t0 = time.perf_counter()
    from sqlalchemy import select

    from studio.demo import seed
    from studio.designs.stock import get_layouts
    from studio.extensions import db
    from studio.labels import STYLES
    from studio.products.models import Product

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        with app.app_context(), app.test_request_context():
            db.create_all()
            seed()
            _placeholder_halal_logo()
            product = db.session.scalar(select(Product).where(Product.name == a.product))
            if product is None:
                sys.exit(f"no demo product named {a.product!r}")
            layouts = get_layouts()
            rows = []
            for sid, style in STYLES.items():
                if style.family or a.all_styles:
                    rows.append((style.name_en, render_cells(product, sid, layouts)))
            db.session.remove()
            db.engine.dispose()
    sheet = contact_sheet(rows, list(TITLES))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buf, "PNG", optimize=True)
    (out / "families.png").write_bytes(buf.getvalue())
    print(json.dumps({"product": a.product, "styles": len(rows), "cells": len(rows) * len(STOCKS),
                      "bytes": len(buf.getvalue()), "size_px": list(sheet.size),
                      "seconds": round(time.perf_counter() - t0, 1)}))


if __name__ == "__main__":
    main()
