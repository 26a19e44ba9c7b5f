"""Logo maker, photo palette and style gallery on the design step, read back from pages, files and PDFs."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from PIL import Image

from studio.designs import render as design_render
from studio.designs import services as designs
from studio.designs.models import AssetKind, StudioAsset
from studio.extensions import db
from studio.labels import STYLES

from brand_pdfimages import near, pdf_image_colours, pdf_path_fills


def raster_colours(pdf: bytes) -> set[tuple[int, int, int]]:
    """Every colour of the label rasterised in colour (as the preview does)."""
    import numpy as np

    from studio.labels.preview import render_preview_image
    px = np.asarray(render_preview_image(pdf, dpi=100).convert("RGB")).reshape(-1, 3)
    return {tuple(int(v) for v in c) for c in np.unique(px, axis=0)}

CHOICE = "monogram.tegas.circle"


def _maker(client, product_id: int) -> str:
    r = client.get(f"/produk/{product_id}/logo")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _first_colour(html: str) -> str:
    return re.search(r'name="colour" value="(#[0-9A-F]{6})" checked', html).group(1)


def _make(client, product_id: int, **form):
    html = _maker(client, product_id)
    data = {"name": "Mbok Sri", "tagline": "", "colour": _first_colour(html), "choice": CHOICE, "action": "save"}
    data.update(form)
    return client.post(f"/produk/{product_id}/logo", data=data)


def _logos(owner_id: int) -> list[StudioAsset]:
    return list(db.session.scalars(db.select(StudioAsset).where(StudioAsset.kind == AssetKind.PRODUCER_LOGO,
                                                                StudioAsset.owner_id == owner_id)))


def test_maker_shows_every_choice_as_a_real_picture_of_her_brand(client, login, make_ready_product):
    product = make_ready_product()
    designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    login(product.owner)
    html = _maker(client, product.id)
    assert 'value="Mbok Sri"' in html                        # the brand name, ready
    pictures = re.findall(r'<input type="radio" name="choice" value="([a-z.]+)"[^>]*>\s*<span class="logo-pic"><svg', html)
    assert len(pictures) == 2 * 4 * 4 and CHOICE in pictures
    assert "Pakai logo ini" in html


def test_chosen_logo_is_saved_downloadable_and_printed_on_her_labels(client, login, make_ready_product):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    login(product.owner)
    html = _maker(client, product.id)
    colour = _first_colour(html)
    r = _make(client, product.id)
    assert r.status_code == 302 and r.location.endswith(f"/produk/{product.id}/desain#logo")
    [logo] = _logos(product.owner_id)
    assert logo.vector_key and logo.spec["shape"] == "circle" and logo.spec["colour"] == colour
    svg = client.get(f"/merek/logo/{logo.id}.svg?unduh=1")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "attachment" in svg.headers["Content-Disposition"]
    root = ET.fromstring(svg.data)
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}path") is not None
    png = Image.open(io.BytesIO(client.get(f"/merek/logo/{logo.id}.png").data))
    assert png.mode == "RGBA" and max(png.size) >= 1000
    db.session.refresh(design)
    assert design.options["show_logo"] is True
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    pdf = design_render.render_design_pdf(design, "printshop")
    assert rgb in pdf_path_fills(pdf)                            # the logo prints as vector paths…
    assert not any(near(c, rgb, 12) for c in pdf_image_colours(pdf))   # …not as a picture
    assert any(near(c, rgb, 12) for c in raster_colours(pdf))     # and it is visible on the label
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "sudah ada" in page


def test_logo_shows_on_her_shop_page(client, login, ready_product, create_product):
    product = ready_product()
    other = create_product(product.owner, "Rempeyek Kacang")   # made from another of her products: one logo
    login(product.owner)
    html = _maker(client, other.id)
    colour = _first_colour(html)
    assert _make(client, other.id).status_code == 302
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    client.post("/keluar")
    shop = client.get(f"/katalog/produsen/{product.owner_id}").get_data(as_text=True)
    src = re.search(r'<img class="shop-logo" src="([^"]+)"', shop).group(1)
    img = client.get(src)
    assert img.status_code == 200 and img.mimetype == "image/png"
    im = Image.open(io.BytesIO(img.data)).convert("RGBA")
    centre_left = im.getpixel((im.width // 10, im.height // 2))[:3]   # inside the disc, beside the letters
    assert near(centre_left, tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)), 12)


def test_bad_logo_input_says_why_keeps_the_input_and_saves_nothing(client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    r = _make(client, product.id, name="咖啡店")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "Huruf ini tidak ada di jenis huruf logo" in html and 'value="咖啡店"' in html
    r = _make(client, product.id, choice="monogram.tegas.bintang")
    assert r.status_code == 400 and "Pilihan logo tidak dikenal" in r.get_data(as_text=True)
    r = _make(client, product.id, colour="#123456")
    assert r.status_code == 400 and "Pilihan logo tidak dikenal" in r.get_data(as_text=True)
    r = _make(client, product.id, name="x" * 60)
    assert r.status_code == 400 and "terlalu panjang" in r.get_data(as_text=True)
    assert _logos(product.owner_id) == []


def test_another_producer_gets_404_or_403_on_every_new_route(client, login, make_ready_product, create_user):
    product = make_ready_product()
    designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    login(product.owner)
    assert _make(client, product.id).status_code == 302
    [logo] = _logos(product.owner_id)
    client.post("/keluar")
    login(create_user("producer"))
    assert client.get(f"/produk/{product.id}/logo").status_code in (403, 404)
    r = client.post(f"/produk/{product.id}/logo", data={"name": "Curang", "colour": "#B3261E", "choice": CHOICE,
                                                         "action": "save"})
    assert r.status_code in (403, 404)
    for fmt in ("svg", "png"):
        assert client.get(f"/merek/logo/{logo.id}.{fmt}").status_code == 404
    for style_id in STYLES:
        assert client.get(f"/produk/{product.id}/desain/gaya/{style_id}.png").status_code == 404
    r = client.post(f"/produk/{product.id}/desain", data={"action": "colours", "preset": "foto"})
    assert r.status_code in (403, 404)
    assert len(_logos(product.owner_id)) == 1
    # nobody signed in: the login page, never the file
    client.post("/keluar")
    assert client.get(f"/merek/logo/{logo.id}.svg").status_code in (302, 401)
    # the shop-page logo is public only while she has something in the catalogue
    assert client.get(f"/katalog/produsen/{product.owner_id}/logo.png").status_code == 404


def test_colours_from_the_photo_are_offered_and_applied(client, login, make_ready_product):
    from studio.designs.brand import photo_palette
    from studio.labels.colors import contrast_ratio

    product = make_ready_product()          # its cut-out: a brown pouch (196, 120, 48) with a cream disc
    design = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert 'name="preset" value="foto"' in html and "Dari foto produk" in html
    palette = photo_palette(product)
    r = client.post(f"/produk/{product.id}/desain", data={"action": "colours", "preset": "foto"})
    assert r.status_code == 302
    db.session.refresh(design)
    assert design.options["primary"] == palette.primary and design.options["text"] == palette.text
    assert contrast_ratio(palette.text, "#FFFFFF") >= 4.5 and contrast_ratio(palette.primary, "#FFFFFF") >= 3
    src = tuple(int(palette.source[0][i:i + 2], 16) for i in (1, 3, 5))
    assert near(src, (196, 120, 48), 12)


def test_gallery_shows_every_style_as_a_big_preview_of_this_product(client, login, make_ready_product):
    product = make_ready_product()
    designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    gallery = html.split('class="optgrid styles thumbs gallery"', 1)[1].split("</div>", 1)[0]
    urls = re.findall(r'<img class="thumb" src="([^"]+)"', gallery)
    shown = [s.id for s in STYLES.values() if s.family or s.id == "bersih"]   # families + the design's own
    assert len(urls) == len(shown) >= 7
    for style_id, url in zip(shown, urls):
        assert f"/gaya/{style_id}.png" in url
    pictures = [client.get(u.replace("&amp;", "&")).data for u in urls]
    im = Image.open(io.BytesIO(pictures[0]))
    assert max(im.size) >= 590          # sharp at the width of a phone
    print("gallery bytes", [len(p) for p in pictures])


def test_logo_maker_speaks_english_when_chosen(client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    with client.session_transaction() as s:
        s["lang"] = "en"
    html = _maker(client, product.id)
    assert "Use this logo" in html and "Make a logo" in html
    r = _make(client, product.id, name="咖啡店")
    assert r.status_code == 400 and "The logo typefaces have no letter for" in r.get_data(as_text=True)


def test_gallery_before_the_design_starts_shows_this_product_on_the_suggested_stock(client, login,
                                                                                     make_ready_product, create_user):
    product = make_ready_product()
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "Mulai desain" in html
    gallery = html.split('class="optgrid styles thumbs gallery"', 1)[1].split("</div>", 1)[0]
    urls = re.findall(r'<img class="thumb" src="([^"]+)"', gallery)
    families = [s for s in STYLES.values() if s.family]
    assert len(families) + 1 >= len(urls) >= len(families) >= 6      # + the category's classic style
    assert all("/desain/contoh/" in u for u in urls) and "/desain/contoh//" not in gallery
    assert len(re.findall(r'data-sample="[^"]*__LAYOUT__', gallery)) == len(urls)
    im = Image.open(io.BytesIO(client.get(urls[-1]).data))
    assert max(im.size) >= 590
    assert designs.find_design(product) is None                 # looking saves nothing
    assert client.get(f"/produk/{product.id}/desain/contoh/tidak-ada/bersih.png").status_code == 404
    client.post("/keluar")
    login(create_user("producer"))
    assert client.get(urls[0]).status_code == 404
