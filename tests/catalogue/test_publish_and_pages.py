"""Publishing, the public product page at /p/<code>, JSON-LD, unpublish and republish."""
from __future__ import annotations

import json
import re

from studio.catalogue.models import Listing, OutboxEvent
from studio.extensions import db


def _jsonld(html: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "no JSON-LD on the page"
    return json.loads(m.group(1))


def test_producer_publishes_and_buyer_sees_the_listing(client, login, ready_product):
    product = ready_product()
    login(product.owner)
    r = client.post(f"/produk/{product.id}/terbit")
    assert r.status_code == 302
    client.post("/keluar")
    page = client.get(f"/p/{product.public_code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Keripik Singkong Balado" in html and "Rp 15.000" in html
    assert "P-IRT No. 2153517010012-29" in html and "ID35110000123450923" in html
    assert "https://wa.me/6281234500011" in html
    assert "Berat Bersih 250 g" in html
    img = re.search(r'<img src="(/katalog/foto/\d+/600\.jpg)"', html).group(1)
    photo = client.get(img)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_product_page_has_schema_org_product_and_open_graph(client, login, ready_product):
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    html = client.get(f"/p/{product.public_code}").get_data(as_text=True)
    data = _jsonld(html)
    assert data["@type"] == "Product" and data["name"] == "Keripik Singkong Balado"
    assert data["offers"]["price"] == 15000 and data["offers"]["priceCurrency"] == "IDR"
    assert data["brand"]["name"] == "Mbok Sri"
    assert any(p["name"] == "Izin edar" for p in data["additionalProperty"])
    assert '<meta property="og:title"' in html and '<meta property="og:image"' in html


def test_markup_in_the_description_is_shown_as_text(client, login, ready_product):
    product = ready_product(description="Enak <script>alert(1)</script>")
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    html = client.get(f"/p/{product.public_code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unpublish_shows_no_longer_available_and_republish_keeps_the_url(client, login, ready_product):
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    url = f"/p/{product.public_code}"
    client.post(f"/produk/{product.id}/tarik")
    gone = client.get(url)
    assert gone.status_code == 410 and "sudah tidak tersedia" in gone.get_data(as_text=True)
    client.post(f"/produk/{product.id}/terbit")
    again = client.get(url)
    assert again.status_code == 200
    listings = db.session.scalars(db.select(Listing).where(Listing.product_id == product.id)).all()
    assert [x.number for x in listings] == [1, 2] and [x.is_current for x in listings] == [False, True]
    types = [e.event_type for e in db.session.scalars(db.select(OutboxEvent).order_by(OutboxEvent.id))]
    assert types == ["listing.published", "listing.unpublished", "listing.updated"]


def test_unknown_code_is_404(client):
    assert client.get("/p/XXXXXX").status_code == 404


def test_publish_rechecks_the_gates(client, login, create_user, create_product):
    owner = create_user("producer")
    product = create_product(owner, "Madu Hutan")
    login(owner)
    r = client.post(f"/produk/{product.id}/terbit", follow_redirects=True)
    assert "Lengkapi data produk dulu" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(Listing.id)) is None


def test_another_producer_cannot_publish_or_see_the_publish_page(client, login, ready_product, create_user):
    product = ready_product()
    login(create_user("producer"))
    assert client.get(f"/produk/{product.id}/terbit").status_code == 404
    assert client.post(f"/produk/{product.id}/terbit").status_code == 404
    assert db.session.scalar(db.select(Listing.id)) is None


def test_catalogue_home_search_and_producer_page(client, login, ready_product, create_user):
    a = ready_product()
    b = ready_product(name="Kopi Bubuk Robusta", category="kopi", brand="Wonosalam")
    for p in (a, b):
        login(p.owner)
        client.post(f"/produk/{p.id}/terbit")
    home = client.get("/katalog").get_data(as_text=True)
    assert "Keripik Singkong Balado" in home and "Kopi Bubuk Robusta" in home
    found = client.get("/katalog?q=kopi").get_data(as_text=True)
    assert "Kopi Bubuk Robusta" in found and "Keripik Singkong Balado" not in found
    kat = client.get("/katalog?kategori=keripik").get_data(as_text=True)
    assert "Keripik Singkong Balado" in kat and "Kopi Bubuk Robusta" not in kat
    prod_page = client.get(f"/katalog/produsen/{a.owner_id}").get_data(as_text=True)
    assert "Keripik Singkong Balado" in prod_page


def test_a_printed_label_is_published_while_the_producer_tries_another_stock(client, login, ready_product):
    """After the approved label is printed, her working design on another stock (blocking findings
    there) or a newer version waiting for the trainer does not hold back the listing the printed QR
    codes open. Before, publishing said 'Perbaiki dulu masalah yang menghalangi di desain label'."""
    from studio.designs.models import Design, DesignVersion

    product = ready_product()
    design = db.session.query(Design).filter_by(product_id=product.id).one()
    design.blocker_count = 4                       # e.g. switched to a 50 x 30 mm roll label
    db.session.add(DesignVersion(design_id=design.id, product_id=product.id, number=2, layout_id="avery-l7160",
                                 layout_snapshot={}, style_id="bersih", document={},
                                 product_revision_id=product.current_revision_id, status="submitted"))
    db.session.commit()
    login(product.owner)
    r = client.post(f"/produk/{product.id}/terbit")
    assert r.status_code == 302
    with client.session_transaction() as s:
        flashes = s.get("_flashes")
    assert flashes and flashes[0][0] == "success", flashes
    assert db.session.query(Listing).filter_by(product_id=product.id, is_current=True).count() == 1


def test_label_data_changed_after_approval_is_not_published_under_the_printed_qr(client, login, ready_product):
    """The audit's producer changed the net quantity (1,5 kg -> 2 kg) after her label was approved and
    printed; publishing made the page the printed QR opens say 'Berat Bersih 2 kg' under a label
    that says 1,5 kg. Now publishing names the changed label data and refuses; a catalogue-only
    change (price, stock, description) still publishes."""
    from studio.products.data import check_product_data
    from studio.products.services import add_revision
    from tests.conftest import READY_RECORD

    product = ready_product()

    def revise(**changes):
        data = check_product_data({**READY_RECORD, **changes}).data
        add_revision(product.owner, product, data, complete_label=True, complete_listing=True, percent=100)

    revise(net_quantity="300 g")
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    with client.session_transaction() as s:
        flashes = s.pop("_flashes", [])
    assert flashes and flashes[0][0] == "error" and "Berat bersih" in flashes[0][1], flashes
    assert db.session.query(Listing).filter_by(product_id=product.id).count() == 0

    revise(price_idr="Rp17.500")                       # back to the label's 250 g; only the price differs
    client.post(f"/produk/{product.id}/terbit")
    with client.session_transaction() as s:
        flashes = s.pop("_flashes", [])
    assert flashes and flashes[0][0] == "success", flashes
