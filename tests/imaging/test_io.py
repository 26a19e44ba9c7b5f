"""Uploads: formats by content, limits, orientation, colour profiles, metadata stripping."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from studio.imaging import synthetic
from studio.imaging.io import UploadRejected, check_upload, encode_jpeg, encode_png, encode_webp, open_upload


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def marker_image(w: int = 120, h: int = 80) -> Image.Image:
    """Grey picture with a red block in the stored top-left corner."""
    img = Image.new("RGB", (w, h), (128, 128, 128))
    img.paste((230, 20, 20), (0, 0, 30, 20))
    return img


def red_corner(img: Image.Image) -> str:
    a = np.asarray(img).astype(int)
    h, w = a.shape[:2]
    corners = {"top-left": a[5, 5], "top-right": a[5, w - 6], "bottom-left": a[h - 6, 5], "bottom-right": a[h - 6, w - 6]}
    return next(name for name, px in corners.items() if px[0] > 180 and px[1] < 80)


@pytest.mark.parametrize(("orientation", "size", "corner"), [
    (1, (120, 80), "top-left"),
    (3, (120, 80), "bottom-right"),   # upside down
    (6, (80, 120), "top-right"),      # phone held upright: rotate 90 degrees clockwise
    (8, (80, 120), "bottom-left"),    # rotate 90 degrees counter-clockwise
])
def test_exif_orientation_gives_the_photo_the_way_it_was_taken(orientation, size, corner):
    data = synthetic.jpeg_bytes(marker_image(), orientation=orientation, quality=95)
    loaded = open_upload(data)
    assert loaded.image.size == size
    assert loaded.original_size == (120, 80)
    assert red_corner(loaded.image) == corner


def adobe_to_srgb(rgb: tuple[int, int, int]) -> np.ndarray:
    """Independent reference: Adobe RGB (1998) -> sRGB through XYZ (both D65)."""
    lin = (np.array(rgb) / 255.0) ** (563 / 256)
    adobe = np.array([[0.5767, 0.1856, 0.1882], [0.2973, 0.6274, 0.0753], [0.0270, 0.0707, 0.9911]])
    xyz_to_srgb = np.array([[3.2406, -1.5372, -0.4986], [-0.9689, 1.8758, 0.0415], [0.0557, -0.2040, 1.0570]])
    s = np.clip(xyz_to_srgb @ adobe @ lin, 0, 1)
    return 255 * np.where(s <= 0.0031308, 12.92 * s, 1.055 * s ** (1 / 2.4) - 0.055)


@pytest.mark.parametrize("colour", [(200, 30, 30), (60, 160, 70), (90, 110, 200)])
def test_embedded_colour_profile_is_converted_to_srgb(colour):
    img = Image.new("RGB", (32, 32), colour)
    data = synthetic.jpeg_bytes(img, icc_profile=synthetic.adobe_rgb_profile(), quality=100)
    got = np.asarray(open_upload(data).image)[16, 16].astype(float)
    assert np.abs(got - adobe_to_srgb(colour)).max() <= 4
    assert np.abs(got - np.array(colour)).max() >= 10     # the profile really changed the values


def test_photo_without_profile_keeps_its_values():
    data = synthetic.jpeg_bytes(Image.new("RGB", (32, 32), (200, 30, 30)), quality=100)
    assert np.abs(np.asarray(open_upload(data).image)[16, 16].astype(int) - (200, 30, 30)).max() <= 3


def test_gps_and_camera_exif_do_not_survive_decoding(small_photo):
    data = synthetic.jpeg_bytes(small_photo.image, orientation=6, gps=True)
    assert b"GPS" in data or Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    loaded = open_upload(data)
    assert not loaded.image.info.get("exif")
    assert not loaded.image.getexif()


def has_metadata(data: bytes) -> list[str]:
    found = []
    im = Image.open(io.BytesIO(data))
    if im.getexif():
        found.append("exif")
    if im.getexif().get_ifd(0x8825):
        found.append("gps")
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"eXIf", b"tEXt", b"iTXt", b"zTXt"):
        if marker in data:
            found.append(marker.decode("latin-1"))
    return found


@pytest.mark.parametrize("encode", [encode_jpeg, encode_png, encode_webp])
def test_every_encoder_strips_exif_gps_and_xmp(encode):
    img = marker_image()
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (7.0, 32.0, 45.6)}
    img.info.update({"exif": exif.tobytes(), "xmp": b"<x:xmpmeta>secret</x:xmpmeta>", "comment": b"lokasi"})
    data = encode(img)
    assert has_metadata(data) == []
    assert b"secret" not in data and b"lokasi" not in data
    assert np.abs(np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))[40, 60].astype(int) - 128).max() <= 3


def test_jpeg_encoder_flattens_transparency_on_white():
    img = Image.new("RGBA", (20, 20), (255, 0, 0, 0))
    out = Image.open(io.BytesIO(encode_jpeg(img)))
    assert out.mode == "RGB" and min(out.getpixel((10, 10))) >= 250


def reject_code(data: bytes, **kw) -> str:
    """The refusal code; the upload check (check_upload) must refuse exactly as the full decode."""
    codes = []
    for fn in (open_upload, check_upload):
        with pytest.raises(UploadRejected) as info:
            fn(data, **kw)
        err = info.value
        assert err.message_id and err.message_en and err.message_id != err.message_en
        codes.append(err.code)
    assert codes[0] == codes[1]
    return codes[0]


def test_zero_byte_file_is_refused_as_empty():
    assert reject_code(b"") == "empty"


def test_file_over_the_byte_limit_is_refused(small_photo):
    data = synthetic.jpeg_bytes(small_photo.image)
    assert reject_code(data, max_bytes=len(data) - 1) == "too_large"


@pytest.mark.parametrize("data", [
    b"Halo, ini bukan foto. Harga keripik Rp 10.000\n" * 20,
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n",
    b"#!/bin/sh\nrm -rf / --no-preserve-root\n",
    b"<html><script>alert(1)</script></html>",
])
def test_non_images_renamed_to_jpg_are_refused(data):
    assert reject_code(data) == "not_image"


def test_truncated_jpeg_is_refused(small_photo):
    data = synthetic.jpeg_bytes(small_photo.image)
    assert reject_code(data[: len(data) * 2 // 3]) == "truncated"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` but carries almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("w", "h"), [(100_000, 100_000), (9_000, 9_000)])
def test_decompression_bomb_is_refused_from_its_header(w, h):
    assert reject_code(png_header_only(w, h)) == "too_many_pixels"


def test_pixel_limit_is_configurable(small_photo):
    assert reject_code(png_bytes(small_photo.image), max_pixels=100_000) == "too_many_pixels"


def frames(n: int) -> list[Image.Image]:
    return [Image.new("RGB", (40, 40), (i * 60 % 256, 100, 100)) for i in range(n)]


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_animated_images_are_refused(fmt):
    buf = io.BytesIO()
    first, *rest = frames(3)
    first.save(buf, fmt, save_all=True, append_images=rest, duration=100, loop=0)
    assert reject_code(buf.getvalue()) == "animated"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused_as_unsupported(fmt):
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 200, 10)).save(buf, fmt)
    assert reject_code(buf.getvalue()) == "unsupported"


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "PNG"), ("WEBP", "WEBP"), ("JPEG", "JPEG")])
def test_allowed_formats_are_recognised_by_content(fmt, name):
    buf = io.BytesIO()
    marker_image().save(buf, fmt, quality=95)
    loaded = open_upload(buf.getvalue())
    assert loaded.format == name and loaded.image.mode == "RGB" and red_corner(loaded.image) == "top-left"


def test_heic_round_trip():
    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    marker_image(128, 96).save(buf, "HEIF", quality=95)
    loaded = open_upload(buf.getvalue())
    assert loaded.format == "HEIF" and loaded.image.size == (128, 96)
    assert red_corner(loaded.image) == "top-left"


def test_transparent_png_keeps_its_alpha_and_palette_images_become_rgb():
    rgba = Image.new("RGBA", (30, 30), (0, 0, 255, 0))
    rgba.paste((0, 0, 255, 255), (10, 10, 20, 20))
    assert open_upload(png_bytes(rgba)).image.mode == "RGBA"
    assert open_upload(png_bytes(marker_image().convert("P"))).image.mode == "RGB"
    grey16 = Image.fromarray(np.full((20, 20), 40000, np.uint16))
    assert open_upload(png_bytes(grey16)).image.getpixel((5, 5))[0] == 40000 >> 8


# ---------------------------------------------------------------- the cheap upload check (issue 19)
@pytest.mark.parametrize("progressive", [False, True])
def test_upload_check_refuses_a_jpeg_cut_anywhere_as_the_full_decode_does(progressive):
    """check_upload decodes a JPEG at 1/8 scale: it must still see a file cut short near its end."""
    photo = synthetic.make_photo(11, size=(1200, 900), product="pouch", background="wood")
    buf = io.BytesIO()
    photo.image.save(buf, "JPEG", quality=90, progressive=progressive)
    data = buf.getvalue()
    for cut in (len(data) // 3, len(data) - 4000, len(data) - 300, len(data) - 2):
        assert reject_code(data[:cut]) == "truncated"
    assert check_upload(data).size == (1200, 900)


@pytest.mark.parametrize("orientation", [1, 3, 5, 6, 7, 8])
def test_upload_check_gives_the_size_and_format_the_full_decode_gives(orientation):
    data = synthetic.jpeg_bytes(marker_image(120, 80), orientation=orientation, gps=True)
    full, checked = open_upload(data), check_upload(data)
    assert (checked.format, checked.size) == (full.format, full.image.size)
    for other in (png_bytes(marker_image(120, 80)), encode_webp(marker_image(120, 80))):
        full, checked = open_upload(other), check_upload(other)
        assert (checked.format, checked.size) == (full.format, full.image.size)


def test_a_reduced_decode_for_the_preview_covers_the_asked_side_upright():
    """open_upload(reduce_to_px=...) decodes a JPEG at a DCT scale whose longer side still covers it."""
    photo = synthetic.make_photo(12, size=(1600, 1200), product="jar", background="paper")
    stored = synthetic.stored_pixels(photo.image, 6)
    data = synthetic.jpeg_bytes(stored, orientation=6)
    small = open_upload(data, reduce_to_px=700)
    assert small.image.size == (800, 600) and small.original_size == (1200, 1600)
    full = open_upload(data).image.resize((800, 600), Image.Resampling.BOX)
    assert np.abs(np.asarray(small.image).astype(int) - np.asarray(full).astype(int)).mean() < 2
