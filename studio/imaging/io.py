"""Safe upload decoding and metadata-free encoding.

Uploads are recognised by their first bytes, never by file name. Only JPEG, PNG, WebP and
HEIC/HEIF are accepted; the pixel count is checked from the header before any decoding, and the
whole image is then decoded so a truncated file fails here rather than later in a worker.
"""
from __future__ import annotations

import io
import math
import re
import struct
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

try:  # HEIC support is optional at import time; without it HEIC uploads are "unsupported"
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - the shared venv ships pillow-heif
    HEIF_AVAILABLE = False

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
_HEIF_SEQUENCE_BRANDS = {b"msf1", b"hevc", b"hevx", b"heis"}


class UploadRejected(ValueError):
    """An upload the studio will not process; ``code`` is stable, messages are for people."""

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


@dataclass(frozen=True)
class LoadedImage:
    """A decoded upload: ``image`` is RGB or RGBA, display-oriented, in sRGB."""

    image: Image.Image
    format: str                        # "JPEG", "PNG", "WEBP" or "HEIF"
    original_size: tuple[int, int]     # (width, height) px as stored, before EXIF rotation
    #                                    (HEIF: as decoded; libheif applies its rotation itself)


def _up(x: float, decimals: int = 1) -> float:
    """``x`` rounded *up*: a figure above a limit is never shown equal to it (25.01 MB → 25.1)."""
    f = 10 ** decimals
    return math.ceil(x * f - 1e-9) / f


def _figure(x: float, decimals: int = 1) -> dict[str, str]:
    """``x`` written for each language: {"id": "1.234,5", "en": "1,234.5"}; whole numbers bare."""
    en = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.{decimals}f}"
    return {"en": en, "id": en.translate(str.maketrans(",.", ".,"))}


def _figures(**values: tuple[float, int]) -> dict[str, str]:
    out = {}
    for name, (x, decimals) in values.items():
        f = _figure(x, decimals)
        out[f"{name}_id"], out[f"{name}_en"] = f["id"], f["en"]
    return out


def _too_many_pixels(pixels: int | None, max_pixels: int) -> UploadRejected:
    if pixels is None:
        return _reject("too_many_pixels_unknown", **_figures(limit=(max_pixels / 1e6, 1)))
    return _reject("too_many_pixels", **_figures(mp=(_up(pixels / 1e6), 1), limit=(max_pixels / 1e6, 1)))


def _bomb_pixels(error: BaseException) -> int | None:
    """The pixel count Pillow names in its decompression-bomb message ("Image size (N pixels) …")."""
    m = re.search(r"\((\d+) pixels\)", str(error))
    return int(m.group(1)) if m else None


def _reject(code: str, **fmt: object) -> UploadRejected:
    id_text, en_text = _MESSAGES[code]
    return UploadRejected(code, id_text.format(**fmt), en_text.format(**fmt))


_MESSAGES = {
    "empty": ("Berkas kosong. Pilih foto lagi.", "The file is empty. Please choose the photo again."),
    "too_large": ("Berkas terlalu besar ({size_id} MB). Batasnya {limit_id} MB.",
                  "The file is too large ({size_en} MB). The limit is {limit_en} MB."),
    "too_many_pixels": ("Ukuran foto terlalu besar ({mp_id} megapiksel). Batasnya {limit_id} megapiksel.",
                        "The photo has too many pixels ({mp_en} megapixels). The limit is {limit_en} megapixels."),
    "metadata_too_large": ("Foto ini membawa data tambahan (keterangan di dalam berkas) yang terlalu besar, "
                           "jadi tidak dibaca. Simpan ulang fotonya sebagai JPEG (misalnya lewat galeri HP: "
                           "bagikan atau ekspor) lalu kirim lagi.",
                           "This photo carries too much extra data (notes inside the file), so it is not "
                           "read. Save the photo again as JPEG (for example from the phone gallery: share "
                           "or export) and send it again."),
    "not_image": ("Berkas ini bukan foto. Kirim foto JPEG, PNG, WebP atau HEIC.",
                  "This file is not a photo. Send a JPEG, PNG, WebP or HEIC photo."),
    "unsupported": ("Jenis gambar ini ({kind}) tidak didukung. Kirim foto JPEG, PNG, WebP atau HEIC.",
                    "This image type ({kind}) is not supported. Send a JPEG, PNG, WebP or HEIC photo."),
    "too_many_pixels_unknown": ("Ukuran foto terlalu besar (lebih dari {limit_id} megapiksel). Batasnya "
                                "{limit_id} megapiksel.",
                                "The photo has too many pixels (more than {limit_en} megapixels). The limit is "
                                "{limit_en} megapixels."),
    "animated": ("Gambar bergerak (animasi) tidak bisa dipakai. Kirim satu foto diam.",
                 "Animated images cannot be used. Send a single still photo."),
    "truncated": ("Foto rusak atau tidak lengkap. Coba kirim ulang atau ambil foto baru.",
                  "The photo is damaged or incomplete. Try uploading it again or take a new photo."),
    "too_small": ("Foto terlalu kecil ({width} × {height} piksel). Sisi terpendek paling sedikit {min_px} "
                  "piksel. Kirim foto asli dari kamera HP, bukan gambar kecil atau potongan.",
                  "The photo is too small ({width} × {height} pixels). The shorter side must be at least "
                  "{min_px} pixels. Send the original photo from the phone camera, not a small picture or a crop."),
    "too_narrow": ("Foto terlalu panjang dan sempit ({width} × {height} piksel, {ratio_id}:1). Paling panjang "
                   "{max_id}:1. Ambil foto produk yang biasa, dengan produk memenuhi bingkai.",
                   "The photo is too long and narrow ({width} × {height} pixels, {ratio_en}:1). At most "
                   "{max_en}:1. Take an ordinary photo of the product, filling the frame."),
}

#: The smallest photo side the cleanup can work with, and the longest side-to-side ratio; below or
#: beyond these the cleanup can only fail or give an empty catalogue image (issue 21, class 11).
MIN_SIDE_PX = 200
MAX_ASPECT = 6.0


def _ratio_text(x: float, decimal: str) -> str:
    return f"{x:.0f}" if x >= 10 or x == int(x) else f"{x:.1f}".replace(".", decimal)


def photo_shape_problem(width: int, height: int, *, min_side_px: int = MIN_SIDE_PX,
                        max_aspect: float = MAX_ASPECT) -> UploadRejected | None:
    """Why a photo of ``width`` × ``height`` px cannot become a product photo, or None.

    Too small (a 1-px-wide strip, a 10×10 icon) or too long and narrow (a 160:1 panorama): the
    cleanup fails or gives an all-white catalogue image, however often it is re-run.
    """
    if min(width, height) < min_side_px:
        return _reject("too_small", width=width, height=height, min_px=min_side_px)
    ratio = max(width, height) / min(width, height)
    if ratio > max_aspect:
        return _reject("too_narrow", width=width, height=height,
                       ratio_id=_ratio_text(ratio, ","), ratio_en=_ratio_text(ratio, "."),
                       max_id=_ratio_text(max_aspect, ","), max_en=_ratio_text(max_aspect, "."))
    return None


def sniff_format(head: bytes) -> str | None:
    """Name the container from its first bytes: JPEG, PNG, WEBP, HEIF, AVIF, GIF, BMP, TIFF or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        box = int.from_bytes(head[:4], "big")
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(box, len(head)) - 3, 4)}
        if head[8:12] in (b"avif", b"avis"):
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIF"
        return "AVIF" if brands & {b"avif", b"avis"} else None
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:2] == b"BM":
        return "BMP"
    if head[:4] in (b"II*\0", b"MM\0*"):
        return "TIFF"
    return None


def open_upload(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
                size_bytes: int | None = None, reduce_to_px: int | None = None) -> LoadedImage:
    """Decode an uploaded photo safely and normalise it for the cleanup pipeline.

    The result is display-oriented (EXIF orientation applied), converted to sRGB when an ICC
    profile is embedded, and in mode RGB (or RGBA when the file has transparency).

    :param size_bytes: the whole file's size when ``data`` is only its first ``max_bytes + 1`` bytes
        (a bounded read), so the refusal names the real size.
    :param reduce_to_px: for a smaller copy (a preview): a JPEG is decoded at the smallest DCT scale
        (1/2, 1/4, 1/8) that still covers a square of this side, so ``image`` may be smaller than
        the file; other formats are decoded in full.
    :raises UploadRejected: with code ``empty``, ``too_large``, ``not_image``, ``unsupported``, ``too_many_pixels``,
        ``metadata_too_large`` (a PNG whose text/ICC chunks exceed Pillow's safety limits),
        ``animated`` or ``truncated``. Figures are written for each language (25,1 MB / 25.1 MB),
        rounded up so a size above a limit never reads as equal to it.
    :raises RuntimeError: when ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` was switched on elsewhere
        in the process (it would let truncated photos through).
    """
    im, fmt = _open_checked(data, max_bytes=max_bytes, max_pixels=max_pixels, size_bytes=size_bytes)
    width, height = im.size
    draft = None
    if reduce_to_px is not None and fmt == "JPEG":   # the size that still gives the longer side reduce_to_px
        f = min(1.0, reduce_to_px / max(width, height))
        draft = (max(1, math.ceil(width * f)), max(1, math.ceil(height * f)))
    _decode(im, fmt, max_pixels, draft_px=draft)
    image = _to_srgb(im)
    image = ImageOps.exif_transpose(image)
    image.info = {}
    return LoadedImage(image=image, format=fmt, original_size=(width, height))


@dataclass(frozen=True)
class CheckedUpload:
    """What :func:`check_upload` learnt: the container and the size as the photo will be shown."""

    format: str                        # "JPEG", "PNG", "WEBP" or "HEIF"
    size: tuple[int, int]              # (width, height) px in display orientation, as open_upload gives


def check_upload(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
                 size_bytes: int | None = None) -> CheckedUpload:
    """The upload check without the pixels: the same refusals as :func:`open_upload`, cheaper.

    A JPEG (the phone photo) is decoded at 1/8 scale: libjpeg still reads every byte of the
    compressed data, so a truncated or damaged file is refused exactly as a full decode would
    refuse it, but the 12 MP of pixels are never made (about 5x less time and 60x less memory in
    the upload request). No colour conversion: only the size in display orientation is needed.
    Other formats are decoded in full (:func:`open_upload`).

    :raises UploadRejected: as :func:`open_upload`.
    """
    im, fmt = _open_checked(data, max_bytes=max_bytes, max_pixels=max_pixels, size_bytes=size_bytes)
    if fmt != "JPEG":
        im.close()
        loaded = open_upload(data, max_bytes=max_bytes, max_pixels=max_pixels, size_bytes=size_bytes)
        return CheckedUpload(format=loaded.format, size=loaded.image.size)
    width, height = im.size
    _decode(im, fmt, max_pixels, draft_px=(max(1, width // 8), max(1, height // 8)))
    turned = im.getexif().get(0x0112) in (5, 6, 7, 8)   # as ImageOps.exif_transpose in open_upload
    return CheckedUpload(format=fmt, size=(height, width) if turned else (width, height))


def _open_checked(data: bytes, *, max_bytes: int, max_pixels: int,
                  size_bytes: int | None) -> tuple[Image.Image, str]:
    """Every check that needs no decoding (size, container, pixel count from the header, animation):
    the opened, not yet decoded image and its format name. :raises UploadRejected: as open_upload."""
    if not data:
        raise _reject("empty")
    size = max(size_bytes or 0, len(data))
    if size > max_bytes:
        raise _reject("too_large", **_figures(size=(_up(size / 2**20), 1), limit=(max_bytes / 2**20, 1)))
    kind = sniff_format(data[:64])
    if kind is None:
        raise _reject("not_image")
    if kind == "GIF":
        raise _reject("animated" if _gif_is_animated(data) else "unsupported", kind="GIF")
    if kind not in ("JPEG", "PNG", "WEBP", "HEIF") or (kind == "HEIF" and not HEIF_AVAILABLE):
        raise _reject("unsupported", kind=kind)
    if kind == "HEIF" and data[8:12] in _HEIF_SEQUENCE_BRANDS:
        raise _reject("animated")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=[kind])   # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise _too_many_pixels(_bomb_pixels(e), max_pixels) from None
        except ValueError as e:
            if _metadata_limit(e):
                raise _reject("metadata_too_large") from None
            raise _reject("truncated" if len(data) < 1024 else "not_image") from None
        except (UnidentifiedImageError, SyntaxError, OSError, EOFError):
            raise _reject("truncated" if len(data) < 1024 else "not_image") from None
    width, height = im.size
    if width * height > max_pixels or width <= 0 or height <= 0:
        raise _too_many_pixels(width * height if width > 0 and height > 0 else None, max_pixels)
    fmt = "JPEG" if im.format == "MPO" else im.format
    # A HEIF holding several still images (an iPhone photo with its depth map or a second shot) is a
    # collection, not an animation: the primary image is the photo and Pillow opens on it. Sequences
    # (real animation) were refused above by their brand.
    if fmt not in ("JPEG", "HEIF") and getattr(im, "n_frames", 1) > 1:
        raise _reject("animated")
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # a global switch somewhere else must not weaken this check
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES is set; refusing to decode uploads")
    return im, fmt


def _decode(im: Image.Image, fmt: str, max_pixels: int, *, draft_px: tuple[int, int] | None = None) -> None:
    """Decode the whole file (a JPEG at a reduced scale with ``draft_px``). :raises UploadRejected:
    ``truncated``, ``too_many_pixels`` or ``metadata_too_large``."""
    width, height = im.size
    try:
        if fmt == "JPEG":
            im.seek(0)   # MPO (phone "multi-picture" JPEG): the first frame is the photo
            if draft_px is not None:
                im.draft(im.mode, draft_px)   # DCT scaling: every compressed byte is still read
        im.load()        # HEIF: the primary image, where Pillow opened it
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(width * height, max_pixels) from None
    except ValueError as e:
        raise _reject("metadata_too_large" if _metadata_limit(e) else "truncated") from None
    except (OSError, SyntaxError, EOFError, struct.error):
        raise _reject("truncated") from None


def _metadata_limit(error: ValueError) -> bool:
    """True for Pillow's refusals of oversized PNG text/ICC chunks (MAX_TEXT_CHUNK, MAX_TEXT_MEMORY)."""
    text = str(error)
    return "MAX_TEXT" in text or "text chunks" in text


def _gif_is_animated(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data), formats=["GIF"]) as im:
            return getattr(im, "n_frames", 1) > 1
    except Exception:   # a broken GIF is refused as unsupported either way
        return False


@lru_cache(maxsize=1)
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=1)
def srgb_icc_bytes() -> bytes:
    """The ICC bytes of the sRGB profile embedded in derived images."""
    return _srgb_profile().tobytes()


def _to_srgb(im: Image.Image) -> Image.Image:
    """Convert any decoded mode to RGB/RGBA, honouring an embedded ICC profile."""
    exif = im.getexif()   # keep orientation for exif_transpose after conversion
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.uint32)
        im = Image.fromarray((arr >> 8 if arr.max() > 255 else arr).astype(np.uint8), "L")
    elif im.mode == "F":
        im = Image.fromarray(np.clip(np.asarray(im), 0, 255).astype(np.uint8), "L")
    has_alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (im.mode == "P" and "transparency" in im.info)
    alpha = im.convert("RGBA").getchannel("A") if has_alpha else None
    base_mode = "CMYK" if im.mode == "CMYK" else ("L" if im.mode in ("L", "LA", "1") else "RGB")
    base = im if im.mode == base_mode else im.convert(base_mode)
    rgb = None
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            desc = (ImageCms.getProfileDescription(src) or "").strip().lower()
            if not (desc.startswith("srgb") and base_mode == "RGB"):
                rgb = ImageCms.profileToProfile(base, src, _srgb_profile(),
                                                renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                                outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            rgb = None   # a broken profile is ignored: the pixels are then taken as sRGB
    if rgb is None:
        rgb = base.convert("RGB")
    out = rgb if alpha is None else Image.merge("RGBA", (*rgb.split(), alpha))
    if alpha is not None and alpha.getextrema() == (255, 255):
        out = rgb   # an all-opaque alpha channel carries nothing
    orientation = exif.get(0x0112)
    if orientation:
        fresh = Image.Exif()
        fresh[0x0112] = orientation
        out.info["exif"] = fresh.tobytes()
    return out


def _clean(img: Image.Image) -> Image.Image:
    """The image with no metadata at all (Pillow encoders read comment/ICC from ``info``)."""
    if not img.info:
        return img
    out = img.copy()
    out.info = {}
    return out


def flatten(img: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """RGB version of ``img``; transparent areas become ``background``."""
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA", "P"):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", img.size, background)
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return img.convert("RGB")


def encode_jpeg(img: Image.Image, quality: int = 88) -> bytes:
    """JPEG bytes in sRGB with no EXIF, GPS, XMP or comments; alpha is flattened on white."""
    buf = io.BytesIO()
    _clean(flatten(img)).save(buf, "JPEG", quality=quality, optimize=True, progressive=True,
                              icc_profile=srgb_icc_bytes())
    return buf.getvalue()


def encode_png(img: Image.Image, *, compress_level: int = 3) -> bytes:
    """PNG bytes (RGB, RGBA or L) with only an sRGB ICC chunk; no EXIF/XMP/text chunks."""
    im = img if img.mode in ("RGB", "RGBA", "L") else img.convert("RGBA")
    buf = io.BytesIO()
    kw = {} if im.mode == "L" else {"icc_profile": srgb_icc_bytes()}
    _clean(im).save(buf, "PNG", compress_level=compress_level, **kw)
    return buf.getvalue()


def encode_webp(img: Image.Image, *, quality: int = 85, lossless: bool = False) -> bytes:
    """WebP bytes (keeps alpha) in sRGB with no EXIF or XMP."""
    im = img if img.mode in ("RGB", "RGBA") else img.convert("RGBA")
    buf = io.BytesIO()
    _clean(im).save(buf, "WEBP", quality=quality, lossless=lossless, method=4, icc_profile=srgb_icc_bytes())
    return buf.getvalue()
