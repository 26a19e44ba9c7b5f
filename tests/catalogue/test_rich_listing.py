"""The public listing as a buyer reads it (issue 16): every picture (the pack mockup second), the
nutrition table, the halal logo and number, net quantity, price, best-before rule, the producer's shop
name and page and the order button; branded as the producer's shop, light and offline; in both
languages with numbers written the language's way. Read from the rendered HTML."""
from __future__ import annotations

import io
import re
from urllib.parse import unquote

from PIL import Image

from studio.extensions import db

NUTRITION = {"nutrition.serving_size_g": "25", "nutrition.urt": "1 genggam", "nutrition.fat": "20",
             "nutrition.sat_fat": "9", "nutrition.protein": "3", "nutrition.carb": "70", "nutrition.sugar": "4",
             "nutrition.sodium_mg": "400", "nutrition.source": "lab"}


def _jpeg(color, size=900) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _published(client, login, ready_product, *, pack=True, **overrides):
    """A halal P-IRT snack with nutrition, a second photo and (``pack``) a pouch design, published."""
    from studio.packs.services import start_pack_design
    from studio.media import media
    from studio.products.models import Photo

    product = ready_product(**NUTRITION, **overrides)
    thumbs = {str(s): media().put_content("derived", _jpeg((40, 90, 200), s), "jpg") for s in (600, 300, 150)}
    db.session.add(Photo(product_id=product.id, original_key=media().put_content("originals", _jpeg((1, 2, 3)), "jpg"),
                         status="ready", catalogue_key=media().put_content("derived", _jpeg((40, 90, 200)), "jpg"),
                         thumb_keys=thumbs))
    db.session.commit()
    if pack:
        start_pack_design(product.owner, product.id, "pouch-10x15")
    login(product.owner)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    client.post("/keluar")
    return product


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_listing_shows_everything_a_buyer_asks_for(client, login, ready_product):
    product = _published(client, login, ready_product)
    r = client.get(f"/p/{product.public_code}")
    html = r.get_data(as_text=True)
    text = _text(html)
    # every picture: the main photo, the pack mockup second, then the other photo
    main = re.search(r'<div class="pdp-photo">\s*<img src="([^"]+)"', html).group(1)
    gallery = re.findall(r'<li><a href="([^"]+)">\s*<img src="([^"]+)"[^>]*alt="([^"]+)"', html)
    assert len(gallery) == 2
    assert "dalam kemasannya" in gallery[0][2] and "foto 3" in gallery[1][2]
    for url in [main] + [u for g in gallery for u in g[:2]]:
        got = client.get(url)
        assert got.status_code == 200 and got.mimetype == "image/jpeg", url
    mockup = Image.open(io.BytesIO(client.get(gallery[0][0]).data))
    extra = Image.open(io.BytesIO(client.get(gallery[1][0]).data)).convert("RGB")
    assert mockup.size[0] >= 600 and extra.getpixel((10, 10))[2] > 150      # the blue second photo
    # price, order button, net quantity, permit, halal logo and number, best-before rule
    assert "Rp 15.000" in text and "Rp15.000" not in text
    wa = re.search(r'href="https://wa\.me/6281234500011\?text=([^"]+)"', html)
    assert wa and "Keripik Singkong Balado" in unquote(wa.group(1).replace("+", " "))
    assert "Isi bersih Berat Bersih 250 g" in text
    assert "P-IRT No. 2153517010012-29" in text
    halal = re.search(r'<img src="(/katalog/foto/\d+/halal)"[^>]*alt="Logo halal Indonesia"', html)
    assert halal and client.get(halal.group(1)).mimetype == "image/png"
    assert "Sertifikat halal ID35110000123450923" in text
    assert "Baik digunakan sebelum 120 hari setelah tanggal produksi" in text
    # the nutrition table (25 g serving of a 250 g pack; amounts per serving, Indonesian decimals)
    assert "Informasi Nilai Gizi" in text and "Takaran saji 25 g (1 genggam) · 10 sajian per kemasan" in text
    rows = dict((_text(a), _text(b)) for a, b in
                re.findall(r'<tr(?: class="indent")?><th scope="row">(.*?)</th><td>(.*?)</td>', html))
    assert rows["Lemak total"] == "5 g" and rows["Lemak jenuh"] == "2,5 g" and rows["Garam (Natrium)"] == "100 mg"
    assert rows["Energi total"].endswith("kkal")
    # the %AKG footnote word for word as the label prints it (spec §2.7: "2150", not "2.150")
    assert ("*Persen AKG berdasarkan kebutuhan energi 2150 kkal. Kebutuhan energi Anda mungkin lebih tinggi "
            "atau lebih rendah.") in text
    # branded as the producer's shop: its name links to its page; no studio brand, no login link
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert f'href="/katalog/produsen/{product.owner_id}"' in header and "UD Mbok Sri" in header
    assert "Studio Kemasan" not in html and "/masuk" not in html and ">Masuk<" not in html
    shop = client.get(f"/katalog/produsen/{product.owner_id}").get_data(as_text=True)
    assert "Studio Kemasan" not in shop and "/masuk" not in shop and f"/p/{product.public_code}" in shop
    # light and offline: no script, stylesheet or image from another site
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for url in re.findall(rf'<{tag}[^>]*\s{attr}="([^"]+)"', html):
            assert url.startswith("/"), f"<{tag}> loads {url}"
    assert len(r.data) < 40_000


def test_the_listing_in_english_writes_numbers_the_english_way(client, login, ready_product):
    product = _published(client, login, ready_product, pack=False, stock="1500")
    client.post("/bahasa", data={"lang": "en", "next": f"/p/{product.public_code}"})
    text = _text(client.get(f"/p/{product.public_code}").get_data(as_text=True))
    assert "IDR 15,000" in text and "Rp 15.000" not in text
    assert "Net contents 250 g" in text and "Stock 1,500" in text
    assert "Best before 120 days after the production date" in text
    assert "Nutrition facts" in text and "Saturated fat 2.5 g" in text and "Serving size 25 g" in text
    assert "Order on WhatsApp" in text and "Studio Kemasan" not in text
    home = _text(client.get("/katalog").get_data(as_text=True))
    assert "Chips/crackers (1)" in home and "Keripik (1)" not in home           # a category's name, not its key
    client.post("/bahasa", data={"lang": "id", "next": "/"})
    assert "Stok 1.500" in _text(client.get(f"/p/{product.public_code}").get_data(as_text=True))
    assert "Keripik/kerupuk (1)" in _text(client.get("/katalog").get_data(as_text=True))


def test_the_listing_owns_all_its_pictures(client, login, ready_product):
    """Publishing copies every picture and the halal logo; deleting the product's photos and pack later
    leaves the public page whole."""
    from studio.catalogue.models import Listing
    from studio.designs.models import Design, StudioAsset
    from studio.media import media
    from studio.products.models import Photo

    product = _published(client, login, ready_product)
    listing = db.session.scalar(db.select(Listing).where(Listing.product_id == product.id))
    snap = listing.snapshot
    keys = [snap["halal_logo_key"]] + [p["catalogue_key"] for p in snap["gallery"]] + \
        [k for p in snap["gallery"] for k in p["thumb_keys"].values()]
    assert len(snap["gallery"]) == 2 and all(k.startswith("listings/") for k in keys)
    for photo in db.session.scalars(db.select(Photo).where(Photo.product_id == product.id)):
        for key in [photo.catalogue_key, *photo.thumb_keys.values()]:     # the photos' own files are gone
            media().path(key).unlink(missing_ok=True)
    for asset in db.session.scalars(db.select(StudioAsset)):                # and the halal logo upload too
        media().path(asset.media_key).unlink(missing_ok=True)
        asset.active = False
    db.session.execute(db.delete(Design).where(Design.product_id == product.id, Design.kind != "label"))
    db.session.commit()
    html = client.get(f"/p/{product.public_code}").get_data(as_text=True)
    urls = re.findall(r'src="(/katalog/foto/[^"]+)"', html)
    assert len(urls) == 4                        # main, two gallery thumbnails, halal logo
    assert all(client.get(u).status_code == 200 for u in urls)
