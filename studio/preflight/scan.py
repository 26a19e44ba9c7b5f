"""CODE-01/CODE-02: the QR code and EAN-13 barcode decode, from the real print PDF, to the right
URL/GTIN: once from a clean 300 dpi raster and once from a 150 dpi raster degraded like a cheap
inkjet print read by a phone camera."""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from ..labels import Region, render_label_pdf
from ..labels.codes import Decoded, decode_codes, degrade_like_inkjet
from ..labels.preview import render_preview_image
from .context import Ctx

_MM_PER_INCH = 25.4
_SLACK_MM = 2.0


@dataclass(frozen=True)
class Rasters:
    """The clean and the degraded raster of one label, with their resolutions."""

    clean: Image.Image
    clean_dpi: int
    degraded: Image.Image
    degraded_dpi: int


def make_rasters(ctx: Ctx) -> Rasters:
    """Render the label alone (no bleed, no marks) with the print painter and rasterise it."""
    s = ctx.settings
    pdf = render_label_pdf(ctx.label, ctx.layout, bleed_mm=0.0, crop_marks=False)
    clean = render_preview_image(pdf, dpi=s.scan_dpi, grayscale=True)
    degraded = degrade_like_inkjet(clean, render_dpi=s.scan_dpi, printer_dpi=s.degraded_printer_dpi,
                                   blur_mm=s.degraded_blur_mm, dot_gain=s.degraded_dot_gain,
                                   capture_dpi=s.degraded_dpi)
    return Rasters(clean, s.scan_dpi, degraded, s.degraded_dpi)


def _inside(d: Decoded, region: Region, dpi: int) -> bool:
    """Whether the decoded symbol's centre lies in the region's box (with a little slack)."""
    k = _MM_PER_INCH / dpi
    cx, cy = (d.x_px + d.w_px / 2) * k, (d.y_px + d.h_px / 2) * k
    x, y, w, h = region.box_mm
    return x - _SLACK_MM <= cx <= x + w + _SLACK_MM and y - _SLACK_MM <= cy <= y + h + _SLACK_MM


def _read(found: list[Decoded], region: Region, fmt: str, dpi: int) -> list[str]:
    return [d.text for d in found if fmt in d.format.replace(" ", "").replace("-", "") and _inside(d, region, dpi)]


def check_codes(ctx: Ctx, rasters: Rasters | None = None) -> Rasters | None:
    """Decode every QR and EAN region from both rasters; returns the rasters it made (or None)."""
    qrs = [r for r in ctx.label.regions.values() if r.kind == "qr"]
    eans = [r for r in ctx.label.regions.values() if r.kind == "ean"]
    if not (qrs or eans) or not ctx.settings.check_codes:
        return rasters
    rasters = rasters or make_rasters(ctx)
    clean = decode_codes(rasters.clean)
    degraded = decode_codes(rasters.degraded)
    for region in qrs:
        want = ctx.expected_url or region.text
        if ctx.expected_url and region.text != ctx.expected_url:
            ctx.add("CODE-02", f"Kode QR berisi '{region.text}', seharusnya alamat produk {want}. Pilih isian "
                    "alamat produk untuk QR.", f"The QR code holds '{region.text}' instead of the product "
                    f"address {want}. Use the product address for the QR.", region=region)
        _judge(ctx, region, want, _read(clean, region, "QR", rasters.clean_dpi),
               _read(degraded, region, "QR", rasters.degraded_dpi), "CODE-02", "Kode QR", "The QR code")
    gtin = str(ctx.clean.get("gtin") or "")
    for region in eans:
        want = gtin or region.text
        if gtin and region.text.lstrip("0") != gtin.lstrip("0"):
            ctx.add("CODE-01", f"Barcode berisi {region.text}, data produk {gtin}. Samakan.",
                    f"The barcode holds {region.text} but the product data says {gtin}. Make them the same.",
                    region=region)
        _judge(ctx, region, want, _read(clean, region, "EAN13", rasters.clean_dpi),
               _read(degraded, region, "EAN13", rasters.degraded_dpi), "CODE-01", "Barcode", "The barcode")
    return rasters


def _same(a: str, b: str, rule_id: str) -> bool:
    return a.lstrip("0") == b.lstrip("0") if rule_id == "CODE-01" else a == b


def _judge(ctx: Ctx, region: Region, want: str, clean: list[str], degraded: list[str], rule_id: str,
           what_id: str, what_en: str) -> None:
    if not clean:
        ctx.add(rule_id, f"{what_id} tidak terbaca dari gambar label 300 dpi. Perbesar, beri tepi putih, "
                "dan pakai warna gelap di atas latar terang.",
                f"{what_en} cannot be read from a 300 dpi image of the label. Enlarge it, keep a white "
                "margin around it, and use a dark colour on a light background.", region=region)
        return
    if not any(_same(t, want, rule_id) for t in clean):
        ctx.add(rule_id, f"{what_id} terbaca '{clean[0]}', seharusnya '{want}'.",
                f"{what_en} reads '{clean[0]}' instead of '{want}'.", region=region)
        return
    if not any(_same(t, want, rule_id) for t in degraded):
        ctx.add(rule_id, f"{what_id} mungkin tidak terbaca bila dicetak dengan printer tinta biasa. "
                "Perbesar 10–20%.", f"{what_en} may not scan when printed on an ordinary inkjet. "
                "Enlarge it by 10–20%.", region=region, severity="WARNING")
