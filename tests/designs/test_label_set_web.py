"""The design step offers "Label depan + belakang": the producer starts or switches to a set, sees
both stickers in the preview, and the review page shows both; a bad choice is refused plainly."""
from __future__ import annotations

import io
import re

from PIL import Image
from test_design_web import NUTRITION
from test_stock_advisor import _halal_logo

from studio.designs import services as designs
from studio.designs.models import DesignVersion
from studio.extensions import db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _preview(client, html: str) -> Image.Image:
    src = re.search(r'<img class="preview" src="([^"]+)"', html).group(1).replace("&amp;", "&")
    return Image.open(io.BytesIO(client.get(src).data))


def test_producer_starts_a_front_back_set_sees_both_stickers_and_switches_back(app, client, login, create_user,
                                                                            make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    login(product.owner)
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "Label depan + belakang" in page and 'name="label_set" value="front_back"' in page
    assert "Label depan + belakang: semua isi wajib muat" in _text(page)      # the advisor's pair on a small sheet
    r = client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "avery-l7160",
                                                          "label_set": "front_back", "style_id": "bersih"})
    assert r.status_code == 302
    design = designs.find_design(product)
    assert designs.set_id_of(design.document) == "front_back" and design.blocker_count == 0
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "kiri: depan, kanan: belakang" in page and "Jumlah set (depan + belakang)" in page
    im = _preview(client, page)
    assert im.width > 2 * im.height                 # both 63.5 x 38.1 mm stickers, side by side
    # back to one label: on this small sticker the label blocks again, and says so
    r = client.post(f"/produk/{product.id}/desain", data={"action": "label_set", "label_set": "single"})
    assert r.status_code == 302
    db.session.refresh(design)
    assert designs.set_id_of(design.document) is None and design.blocker_count > 0


def test_a_forged_set_choice_is_refused_in_plain_words_not_a_500(app, client, login, make_ready_product):
    product = make_ready_product(**NUTRITION)
    login(product.owner)
    client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "avery-l7165",
                                                      "style_id": "bersih"})
    r = client.post(f"/produk/{product.id}/desain", data={"action": "label_set", "label_set": "tiga"},
                    follow_redirects=True)
    assert r.status_code == 200 and "Pilih satu label, label depan + belakang, atau set tiga stiker." in _text(r.get_data(as_text=True))
    r = client.post(f"/produk/{product.id}/desain", data={"action": "label_set", "label_set": "tiga"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.get_json()["error"] == "Pilih satu label, label depan + belakang, atau set tiga stiker."
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    r = client.post(f"/produk/{product.id}/desain", data={"action": "label_set", "label_set": "tiga"},
                    headers={"Accept": "application/json"})
    assert r.get_json()["error"] == "Choose one label, a front + back pair, or a set of three stickers."
    assert "Front + back label" in client.get(f"/produk/{product.id}/desain").get_data(as_text=True)


def test_the_review_page_shows_both_stickers_of_a_submitted_set(app, client, login, create_user, make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    login(product.owner)
    client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "f4-nup-3x6-60x45",
                                                      "label_set": "front_back", "style_id": "bersih"})
    r = client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)
    assert r.status_code == 200
    version = db.session.query(DesignVersion).one()
    assert designs.set_id_of(version.document) == "front_back"
    login(create_user("admin"))
    page = client.get(f"/tinjauan/{version.id}").get_data(as_text=True)
    src = re.search(r'<img src="(/tinjauan/versi/\d+/pratinjau\.png)"', page).group(1)
    im = Image.open(io.BytesIO(client.get(src).data))
    assert im.width > 2 * im.height                 # front and back of 60 x 45 mm
    # the markers and comment pins use the picture's size: both stickers (60 + 4 + 60 mm wide)
    assert 'data-w-mm="124.0"' in page
    r = client.post(f"/tinjauan/{version.id}/komentar", data={"body": "Komposisi di belakang bagus.", "x_mm": "100",
                                                               "y_mm": "20"})
    assert r.status_code == 302


def test_the_gallery_before_the_design_starts_shows_a_sets_front_and_back(app, client, login, create_user,
                                                                          make_ready_product):
    """With "Label depan + belakang" chosen, each style's picture in the start gallery is the set:
    front and back side by side (the back with the set's QR code); one sticker otherwise. A forged
    set choice is a 404, not a 500."""
    import numpy as np
    import zxingcpp

    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    login(product.owner)
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    gallery = page.split('class="optgrid styles thumbs gallery"', 1)[1].split("</div>", 1)[0]
    assert "kiri: depan, kanan: belakang" in page.split('class="optgrid styles thumbs gallery"', 1)[0]
    samples = re.findall(r'data-sample="([^"]+)"', gallery)
    assert samples and all("__LAYOUT__" in u and "set=__SET__" in u for u in samples)
    base = samples[0].replace("&amp;", "&").replace("__LAYOUT__", "avery-l7160")
    one = Image.open(io.BytesIO(client.get(base.replace("__SET__", "single")).data))
    pair = Image.open(io.BytesIO(client.get(base.replace("__SET__", "front_back")).data)).convert("L")
    assert abs(one.width / one.height - 63.5 / 38.1) < 0.05
    assert pair.width / pair.height > 2 * 63.5 / 38.1         # two stickers side by side
    half = pair.width // 2
    codes = lambda im: [r.text for r in zxingcpp.read_barcodes(np.asarray(im))]  # noqa: E731
    assert codes(pair.crop((0, 0, half, pair.height))) == []          # the front: no QR
    assert len(codes(pair.crop((half, 0, pair.width, pair.height)))) == 1   # the back carries it
    assert client.get(base.replace("__SET__", "lipat-tiga")).status_code == 404
    assert designs.find_design(product) is None                 # looking saves nothing
