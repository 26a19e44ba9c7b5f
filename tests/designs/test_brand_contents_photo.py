"""The food, not the pack: a "contents" photo is what the label shows; the catalogue keeps the pack photo."""
from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

from studio.designs import render as design_render
from studio.designs import services as designs
from studio.extensions import db
from studio.media import media
from studio.products.models import Photo

from brand_pdfimages import near, pdf_image_colours

GREEN = (40, 150, 60)      # the keripik on a plate (contents)
PACK = (196, 120, 48)      # make_ready_product's pouch colour


def _png(colour, size=(800, 600)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def _add_contents(product, colour=GREEN) -> Photo:
    key = media().put_content("test-cutouts", _png(colour), "png")
    photo = Photo(product_id=product.id, original_key=key, status="ready", cutout_key=key, catalogue_key=key,
                  kind="contents")
    db.session.add(photo)
    db.session.commit()
    return photo


def test_label_pdf_shows_the_contents_photo_when_there_is_one(app, make_ready_product):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    before = pdf_image_colours(design_render.render_design_pdf(design, "printshop"))
    assert any(near(c, PACK) for c in before), before
    assert not any(near(c, GREEN) for c in before)
    _add_contents(product)
    after = pdf_image_colours(design_render.render_design_pdf(design, "printshop"))
    assert any(near(c, GREEN) for c in after), after
    assert not any(near(c, PACK) for c in after), after


def test_catalogue_keeps_the_pack_photo(client, login, ready_product):
    product = ready_product()            # its pack photo is (200, 60, 40)
    key = media().put_content("test", _png(GREEN), "png")
    db.session.add(Photo(product_id=product.id, original_key=key, status="ready", kind="contents",
                         catalogue_key=media().put_content("derived", _png(GREEN), "png"), cutout_key=key))
    db.session.commit()
    login(product.owner)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    html = client.get(f"/p/{product.public_code}").get_data(as_text=True)
    img = re.search(r'<img src="(/katalog/foto/\d+/600\.jpg)"', html).group(1)
    shown = np.asarray(Image.open(io.BytesIO(client.get(img).data)).convert("RGB")).reshape(-1, 3).mean(axis=0)
    assert near(shown, (200, 60, 40)), shown


def test_contents_photo_upload_never_becomes_the_main_photo(client, login, create_user, create_product):
    owner = create_user("producer")
    product = create_product(owner, "Keripik Tempe")
    login(owner)
    jpeg = io.BytesIO()
    Image.new("RGB", (900, 700), GREEN).save(jpeg, "JPEG")
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(jpeg.getvalue()), "isi.jpg"),
                                                       "kind": "contents"}, content_type="multipart/form-data")
    assert r.status_code == 302
    photo = db.session.scalars(db.select(Photo).where(Photo.product_id == product.id)).one()
    assert photo.kind == "contents" and media().exists(photo.original_key)
    db.session.refresh(product)
    assert product.primary_photo_id is None
    page = client.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Foto isi (untuk label)" in page and "Jadikan foto utama" not in page
    r = client.post(f"/produk/{product.id}/foto/{photo.id}/utama", follow_redirects=True)
    assert "Foto utama (untuk katalog) harus foto kemasan" in r.get_data(as_text=True)
    db.session.refresh(product)
    assert product.primary_photo_id is None


def test_a_bad_contents_upload_says_why_and_saves_nothing(client, login, create_user, create_product, app):
    from pathlib import Path
    owner = create_user("producer")
    product = create_product(owner, "Keripik Tempe")
    login(owner)
    root = Path(app.config["MEDIA_DIR"])
    before = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(b"GIF89a not a photo"), "isi.jpg"),
                                                       "kind": "contents"}, content_type="multipart/form-data")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert re.search(r'id="isi-err"[^>]*>\s*<li>[^<]+', html), "the refusal shows on the contents card"
    assert db.session.scalar(db.select(db.func.count(Photo.id)).where(Photo.product_id == product.id)) == 0
    after = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    assert after == before
    tiny = io.BytesIO()
    Image.new("RGB", (40, 40), GREEN).save(tiny, "JPEG")
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(tiny.getvalue()), "kecil.jpg"),
                                                       "kind": "contents"}, content_type="multipart/form-data")
    assert r.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Photo.id)).where(Photo.product_id == product.id)) == 0


def test_another_producer_cannot_upload_a_contents_photo(client, login, create_user, create_product):
    owner = create_user("producer")
    product = create_product(owner, "Keripik Tempe")
    login(create_user("producer"))
    jpeg = io.BytesIO()
    Image.new("RGB", (900, 700), GREEN).save(jpeg, "JPEG")
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(jpeg.getvalue()), "isi.jpg"),
                                                       "kind": "contents"}, content_type="multipart/form-data")
    assert r.status_code in (403, 404)
    assert db.session.scalar(db.select(db.func.count(Photo.id)).where(Photo.product_id == product.id)) == 0


def test_contents_photo_card_speaks_english_when_chosen(client, login, create_user, create_product):
    owner = create_user("producer")
    product = create_product(owner, "Keripik Tempe")
    login(owner)
    with client.session_transaction() as s:
        s["lang"] = "en"
    html = client.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Contents photo (optional)" in html and "Send contents photo" in html
