"""Fixtures for the pure label-engine tests: no app, no database."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from studio.labels import FontRegistry, load_layouts

ROOT = Path(__file__).resolve().parents[2]

VALUES = {
    "name": "Keripik Singkong Balado", "brand": "Mbok Sri", "variant": "Pedas manis",
    "net_qty": "Berat Bersih 250 g",
    "ingredients": "Singkong (70%), minyak sawit, cabai, bawang putih, garam, gula, <b>kacang tanah</b>",
    "allergen_stmt": "Mengandung alergen: kacang tanah.",
    "storage": "Simpan di tempat sejuk dan kering. Tutup rapat setelah dibuka.",
    "producer": "UD Mbok Sri, Dsn. Sumberagung, Ds. Pelabuhan, Kec. Plandaan, Jombang 61456, Indonesia",
    "permit": "P-IRT No. 2063517010012-29", "halal_number": "ID35110000123450923",
    "expiry": "Baik digunakan sebelum: lihat tutup kemasan", "price": "Rp15.000",
    "url": "http://127.0.0.1:5000/p/K7M2Q9", "gtin": "8991234567891",
    "nutrition": "Takaran saji 25 g\nEnergi total 130 kkal",
}


@pytest.fixture(scope="session")
def fonts() -> FontRegistry:
    return FontRegistry(ROOT / "fonts")


@pytest.fixture(scope="session")
def layouts():
    return load_layouts(ROOT / "label_layouts")


@pytest.fixture(scope="session")
def sample_values() -> dict[str, str]:
    """The realistic keripik product (read-only; use ``values`` to modify)."""
    return dict(VALUES)


@pytest.fixture
def values() -> dict[str, str]:
    return dict(VALUES)


@pytest.fixture(scope="session")
def photo() -> Image.Image:
    """A synthetic RGBA cut-out (a pile of chips) of 1200 x 1200 px."""
    rnd = random.Random(3)
    im = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    for _ in range(40):
        cx, cy = 600 + rnd.gauss(0, 190), 700 + rnd.gauss(0, 120)
        rx, ry = rnd.uniform(100, 170), rnd.uniform(60, 95)
        d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=(rnd.randint(200, 235), 90, 30, 255),
                  outline=(150, 50, 20, 255), width=4)
    return im
