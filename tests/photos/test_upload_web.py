"""Uploading photos through the wizard page: accepted formats, refused files, what is stored and served."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from studio.extensions import db
from studio.media import media
from studio.products.models import Photo

from .conftest import media_files, open_bytes, upload


def _photos(product_id: int) -> list[Photo]:
    return list(db.session.scalars(db.select(Photo).where(Photo.product_id == product_id)))


def test_photos_page_shows_the_big_button_and_tips(as_owner, product):
    html = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Ambil / pilih foto" in html
    assert 'accept="image/*' in html and 'capture="environment"' in html
    assert "Dekat jendela" in html and "Alas polos" in html and "Produk di tengah" in html
    assert "<script>" not in html and " style=" not in html   # CSP: no inline scripts or styles


def test_uploaded_phone_photo_is_cleaned_and_shown_before_and_after(app, as_owner, product, phone_jpeg):
    r = upload(as_owner, product.id, phone_jpeg, "IMG_0001.JPG")
    assert r.status_code == 302
    [photo] = _photos(product.id)
    assert photo.status == "ready"                     # eager jobs in tests
    assert photo.original_name == "IMG_0001.JPG" and photo.original_format == "JPEG"
    assert (photo.width_px, photo.height_px) == (480, 640)   # display orientation (EXIF 6 applied)
    assert media().read(photo.original_key) == phone_jpeg     # original kept byte-identical
    db.session.refresh(product)
    assert product.primary_photo_id == photo.id          # the first photo becomes the main one
    html = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Sebelum" in html and "Sesudah" in html and "Foto utama" in html
    assert f"/foto/{photo.id}/berkas/preview" in html and f"/foto/{photo.id}/berkas/thumb-600" in html


def test_heic_photo_from_an_iphone_is_accepted(app, as_owner, product):
    im = Image.new("RGB", (400, 300), (200, 60, 40))
    im.paste((250, 250, 245), (0, 0, 400, 80))
    buf = io.BytesIO()
    im.save(buf, "HEIF", quality=80)
    r = upload(as_owner, product.id, buf.getvalue(), "IMG_0002.HEIC")
    assert r.status_code == 302
    [photo] = _photos(product.id)
    assert photo.original_format == "HEIF" and photo.original_key.endswith(".heic")
    assert photo.status == "ready"
    preview = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/berkas/preview")
    assert preview.status_code == 200 and preview.mimetype == "image/jpeg"   # browsers cannot show HEIC


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 40), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


REFUSED = {
    "truncated_jpeg": (lambda jpg: jpg[: len(jpg) // 2], "rusak atau tidak lengkap"),
    "jpeg_cut_near_its_end": (lambda jpg: jpg[:-300], "rusak atau tidak lengkap"),   # the 1/8-scale check sees it
    "text_renamed": (lambda jpg: b"Ini bukan foto, ini catatan belanja.\n" * 40, "bukan foto"),
    "pdf_renamed": (lambda jpg: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2000, "bukan foto"),
    "bomb": (lambda jpg: _bomb_png(60_000, 60_000), "megapiksel"),
    "zero_byte": (lambda jpg: b"", ""),
    "animated_gif": (lambda jpg: _animated_gif(), "animasi"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_file_gets_a_clear_message_and_leaves_nothing(app, as_owner, product, plain_jpeg, case):
    make, words = REFUSED[case]
    before = media_files(app)
    r = upload(as_owner, product.id, make(plain_jpeg), "foto.jpg")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'class="errors"' in html
    if words:
        assert words in html
    assert _photos(product.id) == []
    assert media_files(app) == before


def test_oversize_file_is_refused_with_the_limit_in_the_message(app, as_owner, product, plain_jpeg):
    app.config["UPLOAD_MAX_BYTES"] = len(plain_jpeg) - 1
    before = media_files(app)
    r = upload(as_owner, product.id, plain_jpeg)
    assert r.status_code == 400
    assert "terlalu besar" in r.get_data(as_text=True)
    assert _photos(product.id) == [] and media_files(app) == before


def test_too_many_pixels_for_the_configured_limit_is_refused(app, as_owner, product, plain_jpeg):
    app.config["UPLOAD_MAX_PIXELS"] = 100_000          # the test photo has 172 800 pixels
    r = upload(as_owner, product.id, plain_jpeg)
    assert r.status_code == 400 and "megapiksel" in r.get_data(as_text=True)
    assert _photos(product.id) == []


def test_refusal_message_follows_the_users_language(app, client, owner, product, login):
    login(owner)
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    r = upload(client, product.id, b"not a photo at all" * 100)
    assert r.status_code == 400
    assert "This file is not a photo" in r.get_data(as_text=True)


def test_every_served_derivative_has_no_exif_or_gps_and_is_upright(app, as_owner, product, phone_jpeg):
    upload(as_owner, product.id, phone_jpeg)
    [photo] = _photos(product.id)
    base = f"/produk/{product.id}/foto/{photo.id}/berkas"
    for kind in ("preview", "catalogue", "cutout", "cutout-small", "cutout-frame", "mask", "thumb-600", "thumb-300", "thumb-150"):
        r = as_owner.get(f"{base}/{kind}")
        assert r.status_code == 200, kind
        assert r.headers["Cache-Control"].startswith("private")
        im = open_bytes(r.data)
        assert r.mimetype == Image.MIME[im.format], kind
        exif = im.getexif()
        assert 0x8825 not in exif and 0x0112 not in exif, f"{kind} keeps EXIF"
        assert "exif" not in im.info and b"GPS" not in r.data, kind
        if kind in ("preview", "cutout", "cutout-frame", "mask"):
            assert im.height > im.width, f"{kind} is not in display orientation"


def test_original_download_is_byte_identical(app, as_owner, product, phone_jpeg, later):
    upload(as_owner, product.id, phone_jpeg)
    [photo] = _photos(product.id)
    r = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/berkas/original")
    assert r.status_code == 200 and r.data == phone_jpeg
    assert "attachment" in r.headers["Content-Disposition"]
    assert as_owner.get(f"/produk/{product.id}/foto/{photo.id}/berkas/nonsense").status_code == 404


def test_upload_request_only_stores_and_queues_when_jobs_run_in_the_background(app, as_owner, product,
                                                                             plain_jpeg, monkeypatch):
    from studio import jobs

    sent = []
    monkeypatch.setattr("studio.products.photos.dispatch", lambda job_id: sent.append(job_id))
    upload(as_owner, product.id, plain_jpeg)
    [photo] = _photos(product.id)
    assert photo.status == "queued" and sent == [photo.job_id]
    assert photo.catalogue_key is None                 # nothing was cleaned inside the request
    status = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/status").get_json()
    assert status["finished"] is False and status["progress"] == 0 and status["message"]
    page = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert f'data-poll-url="/produk/{product.id}/foto/{photo.id}/status"' in page

    seen = []
    real = jobs.HANDLERS["photo.clean"]

    def spy(job, progress):
        def record(fraction, message=""):
            seen.append((fraction, message))
            progress(fraction, message)
        return real(job, record)

    monkeypatch.setitem(jobs.HANDLERS, "photo.clean", spy)
    jobs.run_job(photo.job_id)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] >= 0.88
    assert {"segment", "saving"} <= {m for _, m in seen}
    status = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/status").get_json()
    assert status == {"progress": 1.0, "message": "Selesai.", "finished": True, "status": "ready", "phase": "done",
                      "next_ms": 0}


def test_the_upload_script_gets_json_answers(app, as_owner, product, plain_jpeg, later):
    """photos.js sends with progress and asks for JSON: where to go next, or why the photo was refused."""
    ok = as_owner.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(plain_jpeg), "a.jpg")},
                       headers={"Accept": "application/json"}, content_type="multipart/form-data")
    [photo] = _photos(product.id)
    assert ok.status_code == 200 and ok.get_json() == {"url": f"/produk/{product.id}/foto#foto-{photo.id}"}
    bad = as_owner.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(b"teks" * 300), "b.jpg")},
                        headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert bad.status_code == 400 and "bukan foto" in bad.get_json()["errors"][0]
    page = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Foto diterima" in page          # the flash waits for the page the script opens next
