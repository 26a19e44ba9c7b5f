"""Fixtures for the photo step: a producer with a product, and phone-like photo files."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from studio.imaging.synthetic import jpeg_bytes, make_photo


@pytest.fixture
def owner(create_user):
    return create_user("producer")


@pytest.fixture
def product(owner, create_product):
    return create_product(owner, "Keripik Tempe")


@pytest.fixture
def as_owner(login, owner):
    return login(owner)


@pytest.fixture
def later(monkeypatch):
    """Keep cleanup jobs queued (as the local pool would while busy); the test runs them if it wants."""
    queued: list[int] = []
    monkeypatch.setattr("studio.products.photos.dispatch", queued.append)
    return queued


@pytest.fixture(scope="session")
def phone_jpeg() -> bytes:
    """A small phone-like JPEG: landscape pixels stored with EXIF orientation 6 and a GPS position."""
    photo = make_photo(3, size=(640, 480), product="jar", background="paper")
    return jpeg_bytes(photo.image, orientation=6, gps=True)


@pytest.fixture(scope="session")
def plain_jpeg() -> bytes:
    photo = make_photo(5, size=(480, 360), product="box", background="wood")
    return jpeg_bytes(photo.image)


def media_files(app) -> set[str]:
    """Every file under the media folder, relative (what a refused upload must not add to)."""
    root = Path(app.config["MEDIA_DIR"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def upload(client, product_id: int, data: bytes, filename: str = "foto.jpg"):
    return client.post(f"/produk/{product_id}/foto", data={"photo": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def open_bytes(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im
