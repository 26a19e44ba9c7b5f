"""QR and EAN-13 symbols (matrices only; painting is render_pdf's job) and decoding for checks.

QR matrices come from zxing-cpp's encoder (C++, automatic mask selection, ~0.3 ms per code) and
are cached, so the same data gives the same matrix object. Decoding uses zxing-cpp as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter

Matrix = tuple[tuple[bool, ...], ...]
_EC_LEVELS = ("L", "M", "Q", "H")


class CodeError(ValueError):
    """The data cannot be encoded (too long for a QR code, not a valid GTIN…)."""


@lru_cache(maxsize=4096)
def qr_matrix(data: str, ec: str = "M") -> Matrix:
    """Dark modules of the smallest QR symbol for ``data`` at error level ``ec`` (no quiet zone).

    :raises CodeError: empty data, unknown level, or data too long for QR version 40.
    """
    if not data:
        raise CodeError("QR data is empty")
    if ec not in _EC_LEVELS:
        raise CodeError(f"unknown QR error correction level {ec!r}")
    try:
        code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
        arr = np.asarray(code.to_image(scale=1, add_quiet_zones=False))
    except Exception as e:  # zxing raises its own error types for over-long data
        raise CodeError(f"cannot encode QR code: {e}") from e
    return tuple(map(tuple, (arr < 128).tolist()))


# --------------------------------------------------------------------------- EAN-13
_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")
_G = tuple(code.translate(str.maketrans("01", "10"))[::-1] for code in _L)
_R = tuple(code.translate(str.maketrans("01", "10")) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of ``body`` (a GTIN without its last digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for a GTIN-8/12/13/14 with a correct check digit."""
    return (isinstance(code, str) and code.isdigit() and len(code) in (8, 12, 13, 14)
            and gtin_check_digit(code[:-1]) == int(code[-1]))


def ean13_modules(gtin: str) -> str:
    """The 95 modules ("1" = bar) of an EAN-13 symbol; a GTIN-12 (UPC-A) gets a leading 0.

    :raises CodeError: not 12/13 digits or a wrong check digit.
    """
    code = gtin.strip()
    if len(code) == 12:
        code = "0" + code
    if len(code) != 13 or not is_valid_gtin(code):
        raise CodeError(f"not a valid EAN-13/GTIN-13: {gtin!r}")
    parity = _PARITY[int(code[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, code[1:7]))
    right = "".join(_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


EAN_GUARD_MODULES = frozenset(list(range(0, 3)) + list(range(45, 50)) + list(range(92, 95)))


# --------------------------------------------------------------------------- decoding
@dataclass(frozen=True)
class Decoded:
    """A code found in a raster: text, format name and bounding box in pixels."""

    text: str
    format: str
    x_px: float
    y_px: float
    w_px: float
    h_px: float


def decode_codes(image: Image.Image | bytes, formats: str = "QRCode,EAN13") -> list[Decoded]:
    """Decode QR/EAN codes in a PIL image (or PNG bytes) with zxing-cpp, sorted top-to-bottom."""
    if isinstance(image, (bytes, bytearray)):
        import io
        image = Image.open(io.BytesIO(image))
    im = image.convert("L")
    found = []
    for b in zxingcpp.read_barcodes(im, formats=zxingcpp.barcode_formats_from_str(formats)):
        p = b.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        found.append(Decoded(b.text, getattr(b.format, "name", str(b.format)), min(xs), min(ys),
                             max(xs) - min(xs), max(ys) - min(ys)))
    found.sort(key=lambda d: (d.y_px, d.x_px))
    return found


def degrade_like_inkjet(image: Image.Image, *, render_dpi: int = 600, printer_dpi: int = 300,
                        blur_mm: float = 0.05, dot_gain: float = 0.15, paper: int = 235, ink: int = 45,
                        noise: float = 4.0, capture_dpi: int = 300, seed: int = 1) -> Image.Image:
    """Simulate printing a clean raster (rendered at ``render_dpi``) on a cheap inkjet or thermal
    printer (``printer_dpi`` dot grid, ink spread ``blur_mm``, ``dot_gain``) and reading it back
    with a camera at ``capture_dpi`` (grey paper/ink, noise). Returns a greyscale PIL image.
    """
    a = image.convert("L")
    w, h = a.size
    if printer_dpi > 0:
        pw, ph = max(1, round(w * printer_dpi / render_dpi)), max(1, round(h * printer_dpi / render_dpi))
        dots = a.resize((pw, ph), Image.BOX).point(lambda v: 255 if v >= 128 else 0)
        a = dots.resize((w, h), Image.NEAREST)
    if blur_mm > 0:
        a = a.filter(ImageFilter.GaussianBlur(blur_mm * render_dpi / 25.4))
    cov = 1.0 - np.asarray(a, dtype=np.float32) / 255.0
    cov = np.clip(cov + dot_gain * 4.0 * cov * (1.0 - cov), 0.0, 1.0)
    out = Image.fromarray(np.clip(ink + (paper - ink) * (1.0 - cov), 0, 255).astype(np.uint8), "L")
    if capture_dpi != render_dpi:
        out = out.resize((max(1, round(w * capture_dpi / render_dpi)),
                          max(1, round(h * capture_dpi / render_dpi))), Image.BOX)
    if noise > 0:
        arr = np.asarray(out, dtype=np.float32) + np.random.default_rng(seed).normal(0.0, noise, out.size[::-1])
        out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return out
