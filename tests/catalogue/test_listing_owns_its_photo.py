"""A published listing owns its pictures: correcting or deleting the product's photo afterwards never
breaks the catalogue page, its image, the BLONJO payload or the marketplace export (issue 18)."""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

from studio.catalogue.models import Listing, OutboxEvent
from studio.extensions import db
from studio.imaging.synthetic import jpeg_bytes, make_photo
from studio.media import media
from studio.products.models import Photo


def _path(url: str) -> str:
    """The path of an absolute public URL on this app (the test client answers for the public
    address, which may carry a path prefix of its own, e.g. https://host/blonjo)."""
    from studio import site

    prefix = urlsplit(site.public_base_url()).path.rstrip("/")
    path = urlsplit(url).path
    return path[len(prefix):] if prefix and path.startswith(prefix + "/") else path


def _published_with_a_real_photo(client, login, ready_product):
    """A product whose main photo was uploaded and cleaned for real, then published."""
    product = ready_product()
    login(product.owner)
    data = jpeg_bytes(make_photo(5, size=(480, 360), product="box", background="wood").image)
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(data), "foto.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code in (200, 302)
    photo = db.session.scalars(db.select(Photo).where(Photo.product_id == product.id)
                               .order_by(Photo.id.desc())).first()
    db.session.refresh(photo)
    assert photo.status == "ready" and photo.cutout_key  # the cleanup ran (eager jobs)
    assert client.post(f"/produk/{product.id}/foto/{photo.id}/utama").status_code == 302
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    listing = db.session.scalars(db.select(Listing).where(Listing.product_id == product.id,
                                                          Listing.is_current.is_(True))).one()
    return product, photo, listing


def _public_photo_urls(client, product) -> dict[str, str]:
    """Every photo URL the outside world was given: page, API, BLONJO payload, CSV export."""
    html = client.get(f"/p/{product.public_code}").get_data(as_text=True)
    urls = {"page": re.search(r'<img src="(/katalog/foto/\d+/600\.jpg)"', html).group(1)}
    api = client.get(f"/api/v1/listings/{product.public_code}").get_json()
    urls["api"] = _path(api["photos"]["catalogue"])
    event = db.session.scalars(db.select(OutboxEvent).where(OutboxEvent.product_id == product.id)
                               .order_by(OutboxEvent.id.desc())).first()
    for size, url in event.payload["listing"]["photos"].items():
        urls[f"blonjo-{size}"] = _path(url)
    return urls


def _export_photo_url(client, login, create_user) -> str:
    login(create_user("hub"))
    rows = list(csv.reader(io.StringIO(client.get("/katalog/ekspor.csv").get_data(as_text=True).lstrip("\ufeff"))))
    return _path(rows[1][rows[0].index("Foto Utama")])


def test_correcting_the_photo_after_publishing_keeps_the_catalogue_image(client, login, ready_product, create_user):
    product, photo, _listing = _published_with_a_real_photo(client, login, ready_product)
    urls = _public_photo_urls(client, product)
    before = {name: client.get(url) for name, url in urls.items()}
    assert all(r.status_code == 200 for r in before.values()), {n: r.status_code for n, r in before.items()}
    old_catalogue = photo.catalogue_key

    r = client.post(f"/produk/{product.id}/foto/{photo.id}/perbaiki",
                    data={"action": "apply", "rotate": "90", "background": "#ffffff", "fill_ratio": "0.82",
                          "marks": "{}"})
    assert r.status_code == 302
    db.session.refresh(photo)
    assert photo.status == "ready" and photo.catalogue_key != old_catalogue  # the correction really ran
    assert not media().exists(old_catalogue)  # ... and removed the superseded files

    for name, url in urls.items():
        after = client.get(url)
        assert after.status_code == 200, f"{name} photo {url} answers {after.status_code} after the correction"
        assert after.data == before[name].data, f"{name} photo changed after the correction"
    export_url = _export_photo_url(client, login, create_user)
    assert client.get(export_url).status_code == 200


def test_deleting_the_photo_of_a_published_product_is_allowed_and_the_listing_keeps_its_copy(
        client, login, ready_product, create_user):
    product, photo, _listing = _published_with_a_real_photo(client, login, ready_product)
    urls = _public_photo_urls(client, product)
    before = {name: client.get(url).data for name, url in urls.items()}

    r = client.post(f"/produk/{product.id}/foto/{photo.id}/hapus")
    assert r.status_code == 302, f"deleting the photo answered {r.status_code}"
    assert db.session.get(Photo, photo.id) is None

    client.post("/keluar")
    assert client.get(f"/p/{product.public_code}").status_code == 200
    for name, url in urls.items():
        after = client.get(url)
        assert after.status_code == 200, f"{name} photo {url} answers {after.status_code} after the delete"
        assert after.data == before[name]
    assert client.get(_export_photo_url(client, login, create_user)).status_code == 200


def test_a_listing_published_before_listings_owned_their_photos_still_shows_it(app, client, login, ready_product):
    """Old snapshots point at the photo's own derived files: they are still read and served."""
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    listing = db.session.scalars(db.select(Listing).where(Listing.product_id == product.id)).one()
    photo = db.session.get(Photo, product.primary_photo_id)
    listing.snapshot = {**listing.snapshot, "photo": {"catalogue_key": photo.catalogue_key,
                                                      "thumb_keys": dict(photo.thumb_keys)}}
    db.session.commit()
    client.post("/keluar")
    data = client.get(f"/api/v1/listings/{product.public_code}").get_json()
    assert set(data["photos"]) == {"catalogue", "600", "300", "150"}
    got = client.get(_path(data["photos"]["catalogue"]))
    assert got.status_code == 200 and got.data == media().read(photo.catalogue_key)

    # studio init (or adopt-listing-photos) gives it its own copies: same bytes at the same URLs,
    # even after the photo's own files are gone
    result = app.test_cli_runner().invoke(args=["studio", "adopt-listing-photos"])
    assert result.exit_code == 0 and "1 produk" in result.output
    for key in [photo.catalogue_key, *photo.thumb_keys.values()]:
        media().delete(key)
    again = client.get(f"/api/v1/listings/{product.public_code}").get_json()
    assert again["photos"] == data["photos"]
    for url in data["photos"].values():
        assert client.get(_path(url)).status_code == 200
    assert client.get(_path(data["photos"]["catalogue"])).data == got.data
    assert app.test_cli_runner().invoke(args=["studio", "adopt-listing-photos"]).output.startswith(
        "Foto katalog disalin untuk 0 ")
