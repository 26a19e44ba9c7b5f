"""Issue 21, class 11: tiny and extreme photos are refused at upload (or warned about), and a photo
that can only fail is not offered, nor accepted for, "Coba lagi"."""
from __future__ import annotations

import html
import io

import pytest
from PIL import Image

from studio.extensions import db
from studio.products.models import Photo

from .conftest import media_files, upload


def _png(w: int, h: int) -> bytes:
    im = Image.new("RGB", (w, h), (200, 60, 40))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _photos(product_id: int) -> list[Photo]:
    return list(db.session.scalars(db.select(Photo).where(Photo.product_id == product_id)))


@pytest.mark.parametrize("w,h,expected", [
    (1, 400, "Foto terlalu kecil (1 × 400 piksel). Sisi terpendek paling sedikit 200 piksel"),
    (10, 10, "Foto terlalu kecil (10 × 10 piksel)"),
    (3200, 20, "Foto terlalu kecil (3200 × 20 piksel)"),
    (3200, 250, "Foto terlalu panjang dan sempit (3200 × 250 piksel, 13:1). Paling panjang 6:1"),
    (1500, 220, "Foto terlalu panjang dan sempit (1500 × 220 piksel, 6,8:1)"),
])
def test_tiny_and_extreme_photos_are_refused_at_upload(app, as_owner, product, w, h, expected):
    before = media_files(app)
    r = upload(as_owner, product.id, _png(w, h), "aneh.png")
    assert r.status_code == 400
    assert expected in html.unescape(r.get_data(as_text=True))
    assert _photos(product.id) == [] and media_files(app) == before


def test_the_refusal_reaches_the_upload_script_as_json(app, as_owner, product):
    r = as_owner.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(_png(10, 10)), "kecil.png")},
                      content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert r.status_code == 400 and "Foto terlalu kecil (10 × 10 piksel)" in r.get_json()["errors"][0]


def test_a_small_but_usable_photo_is_accepted_with_a_warning(app, as_owner, product):
    r = upload(as_owner, product.id, _png(400, 300), "kecil.png")
    assert r.status_code == 302
    text = html.unescape(as_owner.get(r.headers["Location"]).get_data(as_text=True))
    assert "Foto ini kecil (400 × 300 piksel): di katalog bisa tampak buram" in text
    assert len(_photos(product.id)) == 1


def test_a_photo_that_can_only_fail_is_not_offered_coba_lagi(app, as_owner, product):
    app.config.update(PHOTO_MIN_SIDE_PX=1, PHOTO_MAX_ASPECT=1000.0)   # as stored before the check existed
    assert upload(as_owner, product.id, _png(1, 400), "garis.png").status_code == 302
    app.config.update(PHOTO_MIN_SIDE_PX=200, PHOTO_MAX_ASPECT=6.0)
    [photo] = _photos(product.id)
    photo.status = "failed"    # what the cleanup ends in for a 1-px strip
    db.session.commit()
    steps, job_id = list(photo.steps), photo.job_id
    text = html.unescape(as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True))
    assert "Foto terlalu kecil (1 × 400 piksel)" in text and "Hapus foto ini lalu kirim foto lain" in text
    assert "Coba lagi" not in text and "Perbaiki potongan" not in text
    # the server refuses the retry itself (a request that skips the page)
    r = as_owner.post(f"/produk/{product.id}/foto/{photo.id}/perbaiki", data={"action": "retry"})
    assert r.status_code == 400 and "Foto terlalu kecil (1 × 400 piksel)" in html.unescape(r.get_data(as_text=True))
    db.session.refresh(photo)
    assert photo.job_id == job_id and photo.steps == steps and photo.status == "failed"


# -- class 12: a HEIC holding two still images ------------------------------------------------


def _two_image_heic(primary_index: int) -> bytes:
    import pillow_heif

    first = Image.new("RGB", (640, 480), (200, 60, 40))
    second = Image.new("RGB", (480, 360), (20, 160, 40))
    heif = pillow_heif.from_pillow(first)
    heif.add_from_pillow(second)
    buf = io.BytesIO()
    heif.save(buf, quality=85, primary_index=primary_index)
    return buf.getvalue()


@pytest.mark.parametrize("primary_index,size,colour", [(0, (640, 480), (200, 60, 40)),
                                                       (1, (480, 360), (20, 160, 40))])
def test_a_heic_with_two_still_images_is_accepted_as_its_primary_image(app, as_owner, product,
                                                                       primary_index, size, colour):
    data = _two_image_heic(primary_index)
    assert data[8:12] == b"heic"   # a still-image collection, not an image sequence (msf1)
    r = upload(as_owner, product.id, data, "IMG_0003.HEIC")
    assert r.status_code == 302, html.unescape(r.get_data(as_text=True))[-600:]
    [photo] = _photos(product.id)
    assert photo.original_format == "HEIF" and (photo.width_px, photo.height_px) == size
    assert photo.status == "ready"
    preview = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/berkas/preview")
    im = Image.open(io.BytesIO(preview.get_data()))
    assert all(abs(a - b) < 24 for a, b in zip(im.convert("RGB").getpixel((5, 5)), colour))
