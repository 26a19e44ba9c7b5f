"""The whole studio journey in a real browser, the way people use it.

A trainer creates a cohort and a producer account; the producer (on a phone) fills in the product
data, uploads a phone photo and corrects the cut, designs a label, fixes a preflight finding and
submits; the trainer (desktop) requests a change; the producer fixes it and resubmits; the trainer
approves; the hub operator prints a job starting at slot 4; the producer publishes; a buyer opens the
URL decoded from the printed PDF's QR code and sees the listing. Every step is screenshotted to
``test-artifacts/e2e/`` and any console error, page error or failed request fails the run.
"""
from __future__ import annotations

import io
import re

import pytest

from .conftest import DESKTOP, PASSWORD, PHONE, login, seed_user

PRODUCT = "Keripik Tempe Mbok Sri"
BUSINESS = "UD Sumber Rejeki Plandaan"

# The product data, section by section, as a producer types it (Indonesian number formats).
SECTIONS = [
    ("nama", {"#brand": "Mbok Sri", "#variant": "Original"}, {"#category": "keripik"}),
    ("isi", {"#net_quantity": "200 g"}, {"#packaging_material": "plastik"}),
    ("komposisi", {"#ingredients": "Tempe kedelai (65%)\nMinyak sawit\nTepung beras\nBawang putih\nGaram"}, {}),
    ("izin", {"#pirt_number": "2153517010012-29"}, {"#pirt_food_code": "15", "#halal_status": "certified"}),
    ("simpan", {"#shelf_life_days": "90", "#storage_instructions": "Simpan di tempat sejuk dan kering."}, {}),
    ("jual", {"#price_idr": "Rp12.500", "#stock": "30", "#shipping_weight_g": "250",
              "#description": "Keripik tempe renyah, digoreng setiap pagi di Plandaan."}, {}),
]


def _phone_jpeg() -> bytes:
    """A realistic phone photo: a product on a paper background with a shadow, EXIF like a phone."""
    try:
        from studio.imaging.synthetic import jpeg_bytes, make_photo
    except ImportError:   # engine not present: a plain Pillow photo
        from PIL import Image, ImageDraw

        img = Image.new("RGB", (1600, 1200), (236, 232, 224))
        ImageDraw.Draw(img).rectangle((500, 250, 1100, 1000), fill=(180, 60, 40))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=90)
        return buf.getvalue()
    photo = make_photo(11, size=(1600, 1200), product="pouch", background="paper")
    return jpeg_bytes(photo.image, orientation=1)


def _flash(page) -> str:
    loc = page.locator(".flashes")
    return loc.inner_text() if loc.count() else ""


def _wait_for_photo_ready(page, timeout_ms: int = 90_000) -> None:
    """The photo page polls the job and reloads itself when it is finished."""
    page.wait_for_selector(".photo-card .beforeafter, .photo-card .badge.err", timeout=timeout_ms)
    assert page.locator(".photo-card .badge.err").count() == 0, page.locator(".photo-card").first.inner_text()


def test_whole_journey(live, open_page, shots, tmp_path):
    hub_id = seed_user(live, "hub", "operator.hub", full_name="Operator Hub")
    seed_user(live, "trainer", "bu.pendamping", full_name="Bu Pendamping")
    from studio.printing.printers import save_printer
    from studio.auth.services import get_by_id

    with live.ctx():
        save_printer(get_by_id(hub_id), "Epson L3210 hub", "inkjet", 300)

    # 1. The trainer creates a cohort and a producer account (desktop).
    trainer, tw = open_page("trainer", DESKTOP)
    login(trainer, "bu.pendamping")
    shots.take(trainer, "trainer home")
    trainer.goto("/pelatihan/baru")
    trainer.fill("#name", "Kelas Kemasan Plandaan 2025")
    trainer.fill("#desa", "Plandaan")
    trainer.fill("#kecamatan", "Plandaan")
    trainer.click("#submit")
    trainer.wait_for_url(re.compile(r"/pelatihan/\d+$"))
    cohort_url = trainer.url
    shots.take(trainer, "trainer cohort created")
    trainer.click("text=Buat akun produsen baru")
    trainer.fill("#full_name", "Sri Wahyuni")
    trainer.fill("#username", "bu.sri")
    trainer.fill("#phone", "0812 3456 7001")
    trainer.fill("#business_name", BUSINESS)
    trainer.fill("#password", PASSWORD)
    shots.take(trainer, "trainer new producer form")
    trainer.click("#submit")
    trainer.wait_for_url(cohort_url)
    assert "bu.sri" in trainer.inner_text("main")
    shots.take(trainer, "trainer cohort with producer")
    tw.check()

    # 2. The producer logs in on a phone, completes the business profile and creates the product.
    producer, pw = open_page("producer", PHONE)
    login(producer, "bu.sri")
    shots.take(producer, "producer home")
    producer.goto("/profil-usaha")
    producer.fill("#address", "Dsn. Sumberagung RT 02 RW 01")
    producer.fill("#desa", "Plandaan")
    producer.fill("#kecamatan", "Plandaan")
    producer.fill("#postal_code", "61456")
    producer.click("#submit")
    producer.wait_for_url("**/produk")
    producer.fill("#name", PRODUCT)
    producer.select_option("#product_class", "pangan_pirt")
    producer.click("#submit")
    producer.wait_for_url(re.compile(r"/produk/\d+$"))
    product_id = int(producer.url.rsplit("/", 1)[1])
    shots.take(producer, "producer product created")

    # 3. Product data, one short section per screen.
    for key, texts, selects in SECTIONS:
        producer.goto(f"/produk/{product_id}/data?bagian={key}")
        for sel, value in texts.items():
            producer.fill(sel, value)
        for sel, value in selects.items():
            producer.select_option(sel, value)
        if key == "izin":   # the certificate number appears once "certified" is chosen
            producer.fill("#halal_cert_number", "ID35110000123450923")
        if key == "komposisi":   # the allergen the studio detects in the ingredients must be confirmed
            for box in producer.locator("#f-allergens_confirmed li.found input[type=checkbox]").all():
                box.check()
        shots.take(producer, f"producer data {key}")
        producer.click("button[name=aksi][value=lanjut]")
        producer.wait_for_load_state()
        errors = producer.locator(".note-error").all_inner_texts()
        assert "perlu diperbaiki" not in _flash(producer), (key, errors)
    producer.goto(f"/produk/{product_id}/data")
    shots.take(producer, "producer data summary")
    assert "Lengkap untuk label" in producer.inner_text("main"), producer.inner_text("main")[:3000]
    pw.check()
