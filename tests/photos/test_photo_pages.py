"""The correction page, the main-photo choice, permissions on pages and files, and the CLI command."""
from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from studio.extensions import db
from studio.imaging import DEFAULT_CLEANUP
from studio.media import media
from studio.products.models import Photo

from .conftest import open_bytes, upload


def _only_photo(product_id: int) -> Photo:
    return db.session.scalars(db.select(Photo).where(Photo.product_id == product_id)).one()


@pytest.fixture
def photo(as_owner, product, plain_jpeg):
    """A cleaned photo (the job ran eagerly)."""
    upload(as_owner, product.id, plain_jpeg, "box.jpg")
    return _only_photo(product.id)


@pytest.fixture
def queued_photo(as_owner, product, plain_jpeg, later):
    """A photo whose cleanup waits in the queue: enough for tests about steps, pages and access."""
    upload(as_owner, product.id, plain_jpeg, "box.jpg")
    return _only_photo(product.id)


def test_correction_page_posts_marks_and_options_and_keeps_them(as_owner, product, queued_photo):
    photo = queued_photo
    url = f"/produk/{product.id}/foto/{photo.id}/perbaiki"
    page = as_owner.get(url).get_data(as_text=True)
    assert "Kotak produk" in page and "Ini produk" in page and "Ini latar" in page and "Potong" in page
    assert f'data-width="{photo.width_px}" data-height="{photo.height_px}"' in page
    marks = {"box": [40, 30, 440, 330], "fg_points": [[240, 180]], "bg_points": [[[50, 40], [60, 45], [70, 50]]]}
    r = as_owner.post(url, data={"action": "apply", "marks": json.dumps(marks), "rotate": "0",
                                 "background": "#f5eee2", "fill_ratio": "0.92", "shadow": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith(url + "#hasil")
    db.session.refresh(photo)
    steps = dict(photo.steps)
    assert steps["correct_mask"]["box"] == [40, 30, 440, 330]
    assert steps["square"] == {**steps["square"], "background": "#f5eee2", "fill_ratio": 0.92}
    assert "soft_shadow" in steps
    again = as_owner.get(url).get_data(as_text=True)
    assert '"box": [40.0, 30.0, 440.0, 330.0]' in again           # the editor starts from the stored marks
    assert re.search(r'<input checked[^>]*value="#f5eee2"', again)


def test_back_to_automatic_drops_the_corrections(as_owner, product, queued_photo):
    photo = queued_photo
    url = f"/produk/{product.id}/foto/{photo.id}/perbaiki"
    as_owner.post(url, data={"action": "apply", "marks": "{}", "rotate": "180", "background": "#ffffff",
                             "fill_ratio": "0.82"})
    db.session.refresh(photo)
    assert "rotate" in dict(photo.steps)
    as_owner.post(url, data={"action": "auto"})
    db.session.refresh(photo)
    assert [n for n, _ in photo.steps] == [n for n, _ in DEFAULT_CLEANUP]


def test_unreadable_marks_show_a_message_and_change_nothing(as_owner, product, queued_photo):
    photo = queued_photo
    steps = list(photo.steps)
    r = as_owner.post(f"/produk/{product.id}/foto/{photo.id}/perbaiki",
                      data={"action": "apply", "marks": "{not json", "rotate": "0", "background": "#ffffff",
                            "fill_ratio": "0.82"})
    assert r.status_code == 400 and "tidak terbaca" in r.get_data(as_text=True)
    db.session.refresh(photo)
    assert photo.steps == steps


def test_choosing_the_main_photo_and_deleting_from_the_page(as_owner, product, queued_photo, phone_jpeg):
    photo = queued_photo
    upload(as_owner, product.id, phone_jpeg, "second.jpg")
    second = db.session.scalars(db.select(Photo).where(Photo.id != photo.id)).one()
    r = as_owner.post(f"/produk/{product.id}/foto/{second.id}/utama")
    assert r.status_code == 302
    db.session.refresh(product)
    assert product.primary_photo_id == second.id
    r = as_owner.post(f"/produk/{product.id}/foto/{second.id}/hapus", follow_redirects=True)
    assert "Foto sudah dihapus" in r.get_data(as_text=True)
    db.session.refresh(product)
    assert product.primary_photo_id == photo.id


PHOTO_URLS = ("/produk/{p}/foto/{f}/perbaiki", "/produk/{p}/foto/{f}/status",
              "/produk/{p}/foto/{f}/berkas/preview", "/produk/{p}/foto/{f}/berkas/catalogue",
              "/produk/{p}/foto/{f}/berkas/cutout", "/produk/{p}/foto/{f}/berkas/mask",
              "/produk/{p}/foto/{f}/berkas/thumb-150", "/produk/{p}/foto/{f}/berkas/original")


def test_another_producer_gets_404_on_the_photo_and_all_its_files(client, product, photo, create_user, login,
                                                                  create_product):
    # A cleaned photo, so every file exists and a 404 can only come from the permission check.
    other = create_user("producer")
    login(other)
    assert client.get(f"/produk/{product.id}/foto").status_code == 404
    for pattern in PHOTO_URLS:
        assert client.get(pattern.format(p=product.id, f=photo.id)).status_code == 404, pattern
    for action in ("utama", "hapus", "perbaiki"):
        assert client.post(f"/produk/{product.id}/foto/{photo.id}/{action}").status_code == 404, action
    # Their own product id with someone else's photo id is no way in either.
    mine = create_product(other, "Kopi Wonosalam")
    for pattern in PHOTO_URLS:
        assert client.get(pattern.format(p=mine.id, f=photo.id)).status_code == 404, pattern
    assert db.session.get(Photo, photo.id) is not None


def test_the_producers_trainer_can_look_but_not_change(client, create_user, login, cohort_with, create_product,
                                                       plain_jpeg):
    _cohort, trainer, [student] = cohort_with(1)
    product = create_product(student, "Tempe Mendoan")
    login(student)
    upload(client, product.id, plain_jpeg)
    photo = _only_photo(product.id)
    login(trainer)
    page = client.get(f"/produk/{product.id}/foto")
    assert page.status_code == 200 and "Ambil / pilih foto" not in page.get_data(as_text=True)
    for pattern in PHOTO_URLS[:-1]:
        assert client.get(pattern.format(p=product.id, f=photo.id)).status_code == 200, pattern
    assert client.get(PHOTO_URLS[-1].format(p=product.id, f=photo.id)).status_code == 404   # GPS stays private
    status = client.get(PHOTO_URLS[1].format(p=product.id, f=photo.id)).get_json()
    assert status["finished"] is True and status["progress"] == 1.0 and status["status"] == "ready"
    assert upload(client, product.id, plain_jpeg).status_code == 403
    assert client.post(f"/produk/{product.id}/foto/{photo.id}/perbaiki", data={"action": "auto"}).status_code == 403
    assert client.post(f"/produk/{product.id}/foto/{photo.id}/utama").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, product, queued_photo):
    photo = queued_photo
    client.post("/keluar")
    r = client.get(f"/produk/{product.id}/foto/{photo.id}/berkas/catalogue")
    assert r.status_code == 302 and "/masuk" in r.headers["Location"]


def test_a_large_phone_photo_is_cleaned(as_owner, product):
    """One realistic size: 12 MP, as a phone sends it (EXIF orientation 6)."""
    from studio.imaging.synthetic import jpeg_bytes, make_photo

    small = make_photo(8, size=(800, 600), product="pouch", background="cloth").image
    big = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    data = jpeg_bytes(big, orientation=6, gps=True, quality=85)
    assert upload(as_owner, product.id, data, "IMG_4000.JPG").status_code == 302
    photo = _only_photo(product.id)
    assert photo.status == "ready" and (photo.width_px, photo.height_px) == (3000, 4000)
    catalogue = open_bytes(media().read(photo.catalogue_key))
    assert catalogue.size == (1200, 1200)
    cutout = open_bytes(media().read(photo.cutout_key))
    assert cutout.mode == "RGBA" and cutout.size == (3000, 4000)


def test_clean_photo_command_writes_the_three_files(app, tmp_path, plain_jpeg):
    src = tmp_path / "in.jpg"
    src.write_bytes(plain_jpeg)
    out = tmp_path / "out"
    result = app.test_cli_runner().invoke(args=["studio", "clean-photo", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["format"] == "JPEG"
    assert Image.open(out / "cutout.png").mode == "RGBA"
    assert Image.open(out / "mask.png").size == Image.open(src).size
    assert Image.open(out / "catalogue.jpg").size == (1200, 1200)


def test_clean_photo_command_explains_a_refused_file(app, tmp_path):
    src = tmp_path / "catatan.jpg"
    src.write_bytes(b"bukan foto " * 200)
    result = app.test_cli_runner().invoke(args=["studio", "clean-photo", str(src), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and "bukan foto" in result.output
    assert not (tmp_path / "o").exists()


def test_the_page_works_without_javascript(as_owner, product, queued_photo):
    photo = queued_photo
    html = as_owner.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "Kirim foto" in html      # plain form upload
    assert 'class="button primary">Jadikan foto utama' not in html             # it is already the main one
    fix = as_owner.get(f"/produk/{product.id}/foto/{photo.id}/perbaiki").get_data(as_text=True)
    assert 'name="rotate"' in fix and 'name="background"' in fix and 'name="shadow"' in fix
