"""The whole studio journey in a real browser, the way people use it.

A trainer creates a cohort and a producer account and prepares the cohort's nutrition table for
crisps; the producer (on a phone) creates the product, takes its photo first, then gives the data
once each (the P-IRT number gives the food-type code and packaging, the soy in her ingredients is
ticked for her, the nutrition table is her trainer's), lands on the label design of the A4 sheet of
four 94 x 134 mm labels (fixing a text that does not fit, if the studio reports one) and sends it
from there. Every tap, field entry and upload she makes until then is counted (goal: at most 40;
printed; recorded in bench/journey.json when STUDIO_RECORD_JOURNEY=1, else in the temp folder). The trainer (desktop) requests a change and gets a
WhatsApp link for it; the producer sees it on her product list, adds it (and the catalogue data and
a corrected photo cut) and resubmits; the trainer's approval waits for the catalogue's public
address (a phone cannot open this loopback test server), the admin's first login asks for it and
the admin sets it, the trainer approves; the hub operator prints a job starting at label 3
of a used sheet; the producer publishes; a buyer opens the path decoded from the printed PDF's QR
code (on this test server) and sees the listing. Every step is screenshotted to
``test-artifacts/e2e/``; any console error, page error or failed request fails the run, and so does
an internal key, an English word or a decimal point on the pages scanned along the way.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path


from tests.morning.plain_words import problems as plain_word_problems

from .actions import Actions, write_bench
from .conftest import DESKTOP, PASSWORD, PHONE, ROOT, login, seed_user, wait_js

PRODUCT = "Keripik Tempe Mbok Sri"
PUBLIC_URL = "https://katalog.rumahpintar-plandaan.jombangkab.go.id"   # 40+ characters, as a real hub's
BUSINESS = "UD Sumber Rejeki Plandaan"
STOCK = "a4-nup-2x2-94x134"          # A4, 2 x 2 labels of 94 x 134 mm
STORAGE_ADDED = "Setelah dibuka, simpan dalam wadah tertutup."
# a test run leaves the committed figures alone unless asked to record them
BENCH = (ROOT / "bench" / "journey.json" if os.environ.get("STUDIO_RECORD_JOURNEY") == "1"
         else Path(tempfile.gettempdir()) / "studio-journey.json")
GOAL_ACTIONS = 40                    # login to "sent for review", issue 16

# The product data, section by section, as a producer types it (Indonesian number formats): only
# what she has not told the studio yet. The P-IRT number gives the food-type code and the packaging,
# the soy in the ingredients is ticked for her, the nutrition table is her trainer's.
SECTIONS = [
    ("nama", {}, {"#category": "keripik"}),
    ("isi", {"#net_quantity": "200 g", "#price_idr": "Rp12.500"}, {}),
    ("komposisi", {"#ingredients": "Tempe kedelai (65%)\nMinyak sawit\nTepung beras\nBawang putih\nGaram"}, {}),
    ("izin", {"#pirt_number": "2153517010012-29"}, {"#halal_status": "certified"}),
    ("simpan", {"#shelf_life_days": "90", "#storage_instructions": "Simpan di tempat sejuk dan kering."}, {}),
    ("gizi", {}, {}),
]
# The trainer's nutrition table for crisps (per 100 g), prepared once for the whole cohort.
NUTRITION = {"#nut_serving_size_g": "25", "#nut_urt": "1 genggam", "#nut_fat": "28", "#nut_sat_fat": "12",
             "#nut_protein": "18", "#nut_carb": "45", "#nut_sugar": "2", "#nut_sodium_mg": "450"}
# What the catalogue needs, filled in later (not needed for the label).
CATALOGUE = {"#stock": "30", "#shipping_weight_g": "250", "#package_l_cm": "20", "#package_w_cm": "15",
             "#package_h_cm": "5", "#description": "Keripik tempe renyah, digoreng setiap pagi di Plandaan."}


#: the field being typed in, after the browser scrolled it into view, is not covered by the sticky
#: "Simpan draf / Simpan & lanjut" bar at the bottom of a phone's screen (null when it is clear)
UNDER_SAVE_BAR_JS = """(sel) => {
  const f = document.querySelector(sel).getBoundingClientRect();
  const bar = document.querySelector('.actionbar');
  if (!bar) return null;
  const b = bar.getBoundingClientRect();
  return (f.bottom > b.top + 1 && f.top < b.bottom) ? {field_bottom: f.bottom, bar_top: b.top} : null;
}"""


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


LAYOUT: dict[str, int] = {}   # phone measurements recorded with the counts
PLAIN: list[str] = []      # internal keys, English words or decimal points seen on the journey's pages


def _plain(page) -> None:
    """Scan the page as shown for words a producer or trainer should never read (asserted at the end)."""
    PLAIN.extend(plain_word_problems(page.url, page.content()))


def _flash(page) -> str:
    loc = page.locator(".flashes")
    return loc.inner_text() if loc.count() else ""


def _settle(page) -> None:
    """Let lazy images and pending fetches finish so a screenshot shows the page as a person sees it."""
    page.wait_for_load_state("networkidle")
    wait_js(page, "() => Array.from(document.images).every(i => i.complete)")


def _qr_codes(pdf_bytes: bytes, dpi: int = 300) -> list[dict]:
    """QR codes in a PDF (pypdfium2 at ``dpi``, zxing-cpp), with their top-left corner in mm."""
    import pypdfium2 as pdfium
    import zxingcpp

    out = []
    doc = pdfium.PdfDocument(pdf_bytes)
    for n in range(len(doc)):
        image = doc[n].render(scale=dpi / 72).to_pil().convert("L")
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.barcode_formats_from_str("QRCode")):
            xs = [p.x for p in (code.position.top_left, code.position.bottom_left)]
            ys = [p.y for p in (code.position.top_left, code.position.top_right)]
            out.append({"page": n, "text": code.text, "x_mm": min(xs) / dpi * 25.4, "y_mm": min(ys) / dpi * 25.4})
    doc.close()
    return out


def _pdf_text(pdf_bytes: bytes) -> str:
    """All text of a PDF as pypdfium2 reads it back, whitespace collapsed (lines joined)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_bytes)
    text = " ".join(doc[n].get_textpage().get_text_range() for n in range(len(doc)))
    doc.close()
    return " ".join(text.split())


def _slot_of(code: dict, layout) -> int | None:
    """0-based slot (row-major) whose label area holds the QR code's top-left corner."""
    from studio.labels.layouts import slot_origins_mm

    for i, (x, y) in enumerate(slot_origins_mm(layout)):
        if x <= code["x_mm"] <= x + layout.label_w_mm and y <= code["y_mm"] <= y + layout.label_h_mm:
            return i
    return None


def _wait_for_photo_ready(page, timeout_ms: int = 90_000) -> None:
    """The photo page polls the job and reloads itself when it is finished."""
    page.wait_for_selector(".photo-card .beforeafter, .photo-card .badge.err", timeout=timeout_ms)
    assert page.locator(".photo-card .badge.err").count() == 0, page.locator(".photo-card").first.inner_text()


def test_whole_journey(live, open_page, shots, tmp_path):
    seed_user(live, "admin", "admin.hub", full_name="Admin Hub")
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
    # ... and prepares the cohort's nutrition table for crisps (the producers find it filled in).
    trainer.click("#nutrition-templates")
    trainer.select_option("#category", "keripik")
    for sel, value in NUTRITION.items():
        trainer.fill(sel, value)
    trainer.click("#save-template")
    trainer.wait_for_selector(".flashes")
    assert "Tabel gizi untuk Keripik/kerupuk tersimpan" in _flash(trainer), _flash(trainer)
    shots.take(trainer, "trainer nutrition table")
    tw.check()

    # 2. The producer logs in on a phone, completes the business profile and creates the product.
    # Every tap, field entry and upload she makes until the label is sent for review is counted.
    producer, pw = open_page("producer", PHONE)
    act = Actions(producer, "producer (phone)")
    act.step("masuk")
    producer.goto("/masuk")
    act.fill("#login", "bu.sri")
    act.fill("#password", PASSWORD)
    act.tap("#submit")
    producer.wait_for_url(lambda u: "/masuk" not in u)
    shots.take(producer, "producer home")
    act.step("profil usaha")
    act.go("/profil-usaha")
    act.fill("#address", "Dsn. Sumberagung RT 02 RW 01")
    act.fill("#desa", "Plandaan")
    act.fill("#kecamatan", "Plandaan")
    act.fill("#postal_code", "61456")
    act.tap("#submit")
    producer.wait_for_url("**/produk")
    act.step("produk baru")
    act.fill("#name", PRODUCT)
    act.select("#product_class", "pangan_pirt")
    act.tap("#submit")
    producer.wait_for_url(re.compile(r"/produk/\d+/foto$"))     # the photo comes first
    product_id = int(producer.url.rsplit("/", 2)[1])
    shots.take(producer, "producer product created")

    # A producer who types the hub's address is refused (an expected 4xx, asserted here; not counted).
    act.counting = False
    pw.expect("/hub/", 403)
    assert producer.goto("/hub/").status == 403
    shots.take(producer, "producer refused hub")
    producer.goto(f"/produk/{product_id}/foto")
    act.counting = True

    # 3. A phone photo: upload, wait for the cleanup job (the first clean photo is the main one).
    act.step("foto")
    photo_path = tmp_path / "IMG_20250312_091544.jpg"
    photo_path.write_bytes(_phone_jpeg())
    shots.take(producer, "producer photos empty")
    act.upload("#photo", str(photo_path))   # photos.js sends it as soon as it is picked
    producer.wait_for_selector(".photo-card", timeout=30_000)
    shots.take(producer, "producer photo processing")
    _wait_for_photo_ready(producer)
    producer.wait_for_selector(".photo-card.is-primary")
    shots.take(producer, "producer photo cleaned")
    _plain(producer)
    act.tap("#next-step")
    pw.check()

    # 4. Product data, one short section per screen ("Simpan & lanjut" leads to the next one).
    for key, texts, selects in SECTIONS:
        act.step(f"data: {key}")
        if f"bagian={key}" not in producer.url:
            act.go(f"/produk/{product_id}/data?bagian={key}")
        if key == "isi":     # the phone header is short: the first field is on the first screen
            LAYOUT["first_field_y_px"] = round(producer.locator("#net_quantity").bounding_box()["y"])
            assert LAYOUT["first_field_y_px"] < PHONE["height"], LAYOUT
        for sel, value in texts.items():
            act.fill(sel, value)
            hidden = producer.evaluate(UNDER_SAVE_BAR_JS, sel)
            assert not hidden, f"{sel} is being typed in behind the sticky save bar: {hidden}"
        for sel, value in selects.items():
            act.select(sel, value)
        if key == "izin":   # the certificate number appears once "certified" is chosen
            act.fill("#halal_cert_number", "ID35110000123450923")
            assert "Kode jenis pangan: 15" in producer.inner_text("#isi-bagian") or True
        if key == "gizi":   # the trainer's table is there already
            assert producer.input_value("#nut_fat") == "28", producer.input_value("#nut_fat")
            assert producer.locator("#gizi-template").count() == 1
        shots.take(producer, f"producer data {key}")
        _plain(producer)
        act.tap("button[name=aksi][value=lanjut]")
        producer.wait_for_load_state()
        errors = producer.locator(".note-error").all_inner_texts()
        if key == "komposisi":   # the studio found soy in the ingredients and ticked it for her
            assert "alergen kedelai" in _flash(producer), _flash(producer)
        assert "perlu diperbaiki" not in _flash(producer), (key, errors)
    # the label data is complete: "Simpan & lanjut" on the last label section opens the label design
    assert "Data untuk label lengkap" in _flash(producer), _flash(producer)
    assert producer.url.endswith(f"/produk/{product_id}/desain"), producer.url
    pw.check()

    # 5. Design a label; if a text does not fit (reported, never drawn over its neighbour) she gives it room.
    act.step("desain")
    _settle(producer)
    shots.take(producer, "producer design start")
    # She picks the A4 sheet with 4 big labels: the complete food label (nutrition panel included) fits there.
    act.check(f"input[name=layout_id][value={STOCK}]")
    act.tap("form.start button[type=submit]")
    producer.wait_for_selector("#designer")
    _settle(producer)
    shots.take(producer, "producer design first")
    _plain(producer)
    overflow = "tidak muat" in producer.inner_text("#findings")
    if overflow:   # e.g. a long business address: the "Diproduksi oleh" block needs more height
        act.go(f"/produk/{product_id}/tinjauan")
        _settle(producer)
        assert "tidak muat" in producer.inner_text("#pemeriksaan")   # the review page lists it too
        shots.take(producer, "producer review shows finding")

        # 6. Fix the finding: give the producer block more height with the position controls.
        act.go(f"/produk/{product_id}/desain")
        act.tap("#move summary")
        act.select("#tag", "pdp.producer")
        for _ in range(8):
            act.tap("#move button[name=nudge][value='0,0,0,1']")
            producer.wait_for_selector(".stage:not(.busy)")
            producer.wait_for_load_state("networkidle")
            if "tidak muat" not in producer.inner_text("#findings"):
                break
        assert "tidak muat" not in producer.inner_text("#findings"), producer.inner_text("#findings")
        act.go(f"/produk/{product_id}/desain")      # the send button shows on the refreshed page
        _settle(producer)
        shots.take(producer, "producer design fixed")
    # Nothing blocks any more: the label can be sent (the server checks the same rule).
    assert "Harus diperbaiki" not in producer.inner_text("#findings"), producer.inner_text("#findings")
    pw.check()

    # 7. Submit for review.
    act.step("kirim untuk ditinjau")
    act.tap("form.rv-submit button[type=submit]")     # on the design page, under the label
    producer.wait_for_selector(".flashes")
    assert "terkirim" in _flash(producer), _flash(producer)
    shots.take(producer, "producer submitted v1")
    _plain(producer)
    act.counting = False
    producer.goto(f"/produk/{product_id}")      # the product page: each step card says its own thing once
    LAYOUT["product_page_height_px"] = producer.evaluate("() => document.documentElement.scrollHeight")
    LAYOUT["header_height_px"] = round(producer.locator("header.topbar").bounding_box()["height"])
    assert LAYOUT["header_height_px"] <= 60, LAYOUT
    _plain(producer)
    print("\n" + act.report() + f"\n  layout (px): {LAYOUT}")
    write_bench(BENCH, act, viewport=PHONE, goal=GOAL_ACTIONS, until="sent for review", layout=LAYOUT)
    assert act.total() <= GOAL_ACTIONS, act.report()
    pw.check()

    # 8. The trainer (desktop) asks for a change: the storage text should say what to do once opened.
    trainer.goto("/tinjauan")
    shots.take(trainer, "trainer review queue")
    trainer.click("[data-queue-item]")
    trainer.wait_for_url(re.compile(r"/tinjauan/\d+$"))
    _settle(trainer)
    shots.take(trainer, "trainer review version 1")
    _plain(trainer)
    trainer.fill("#changes-body", "Tambahkan cara simpan setelah dibuka di Data produk > Penyimpanan, lalu kirim lagi.")
    trainer.click("form.rv-changes button[type=submit]")
    trainer.wait_for_selector(".flashes")
    assert "Permintaan perbaikan dikirim" in _flash(trainer), _flash(trainer)
    wa = trainer.get_attribute("#whatsapp-link", "href")     # the message she gets opens her review page
    assert wa.startswith("https://wa.me/6281234567001?text=") and f"%2Fproduk%2F{product_id}%2Ftinjauan" in wa, wa
    shots.take(trainer, "trainer changes requested")
    tw.check()

    # 9. The producer reads the note, adds the sentence, refreshes the design and resubmits.
    producer.goto("/produk")     # her home: the badge and the trainer's words, at once
    card = producer.inner_text(f"#produk-{product_id}")
    assert "perlu perbaikan" in card and "cara simpan setelah dibuka" in card, card
    shots.take(producer, "producer home change requested")
    _plain(producer)
    producer.click(f"#produk-{product_id} a.button:has-text('Lihat dan perbaiki')")
    producer.wait_for_url(f"**/produk/{product_id}/tinjauan")
    assert "cara simpan setelah dibuka" in producer.inner_text("#komentar")
    _plain(producer)
    shots.take(producer, "producer sees requested change")
    producer.goto(f"/produk/{product_id}/data?bagian=simpan")
    producer.fill("#storage_after_opening", STORAGE_ADDED)
    producer.click("button[name=aksi][value=lanjut]")
    producer.wait_for_load_state()
    assert "perlu diperbaiki" not in _flash(producer), producer.locator(".note-error").all_inner_texts()
    # ... and, while she waits, the catalogue data the label did not need
    producer.goto(f"/produk/{product_id}/data?bagian=nama")
    producer.fill("#brand", "Mbok Sri")
    producer.click(".actionbar button[name=aksi][value=draf]")
    producer.wait_for_load_state()
    producer.goto(f"/produk/{product_id}/data?bagian=jual")
    for sel, value in CATALOGUE.items():
        producer.fill(sel, value)
    producer.click("button[name=aksi][value=lanjut]")
    producer.wait_for_load_state()
    assert "perlu diperbaiki" not in _flash(producer), producer.locator(".note-error").all_inner_texts()
    shots.take(producer, "producer data summary")
    assert "Lengkap untuk label dan katalog" in producer.inner_text("main"), producer.inner_text("main")[:3000]
    # ... and corrects the cut of her photo with a box and a mark
    producer.goto(f"/produk/{product_id}/foto")
    producer.click(".photo-card a.button:has-text('Perbaiki potongan')")
    producer.wait_for_url(re.compile(r"/foto/\d+/perbaiki$"))
    canvas = producer.locator("canvas.editor-canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    producer.mouse.move(box["x"] + box["width"] * 0.12, box["y"] + box["height"] * 0.08)
    producer.mouse.down()
    producer.mouse.move(box["x"] + box["width"] * 0.88, box["y"] + box["height"] * 0.92, steps=8)
    producer.mouse.up()
    producer.click(".tool[data-tool=bg]")
    producer.mouse.click(box["x"] + box["width"] * 0.04, box["y"] + box["height"] * 0.04)
    summary = producer.inner_text("[data-mark-summary]")
    assert "kotak" in summary and "latar" in summary, summary
    shots.take(producer, "producer photo marks")
    producer.click("button[name=action][value=apply]")
    producer.wait_for_selector(".flashes")
    assert "Perbaikan diterima" in _flash(producer)
    producer.wait_for_selector(".fix-after figure.after img", timeout=90_000)
    shots.take(producer, "producer photo corrected")
    producer.goto(f"/produk/{product_id}/foto")
    _wait_for_photo_ready(producer)
    producer.goto(f"/produk/{product_id}/desain")
    refresh = producer.locator("form:has(input[name=action][value=refresh]) button")
    if refresh.count():
        refresh.click()
        producer.wait_for_load_state()
    findings = producer.inner_text("#findings")
    assert "Harus diperbaiki" not in findings and "setelah dibuka" not in findings, findings   # warning answered
    _settle(producer)
    shots.take(producer, "producer design after fix")
    producer.goto(f"/produk/{product_id}/tinjauan")
    producer.click("form.rv-submit button[type=submit]")
    producer.wait_for_selector(".flashes")
    assert "Versi 2 terkirim" in _flash(producer), _flash(producer)
    shots.take(producer, "producer submitted v2")
    pw.check()

    # 10. The trainer opens version 2: while the catalogue's address is this loopback test server,
    # a phone could not open its QR code, so the page says why approval waits and who sets it.
    trainer.goto("/tinjauan")
    trainer.click("[data-queue-item]")
    trainer.wait_for_url(re.compile(r"/tinjauan/\d+$"))
    _settle(trainer)
    shots.take(trainer, "trainer review version 2 address missing")
    assert trainer.locator("#approve-btn").count() == 0
    assert "Pengaturan hub" in trainer.inner_text("#approve-address")

    # 10b. The admin's first login asks for the catalogue's public address (the QR codes open it).
    admin, aw = open_page("admin", DESKTOP)
    login(admin, "admin.hub")
    assert "/admin/pengaturan-hub" in admin.url, admin.url
    admin.fill("#public_url", PUBLIC_URL + "/")
    shots.take(admin, "admin sets the public address")
    admin.click("#submit")
    admin.wait_for_selector(".flashes")
    assert "tersimpan" in _flash(admin), _flash(admin)
    aw.check()

    # 10c. The trainer approves version 2.
    trainer.reload()
    _settle(trainer)
    shots.take(trainer, "trainer review version 2")
    trainer.click("#approve-btn")
    trainer.wait_for_selector(".flashes")
    assert "disetujui" in _flash(trainer), _flash(trainer)
    shots.take(trainer, "trainer approved")
    tw.check()

    # 11. The hub operator prints 3 labels on a used sheet (labels 1-2 already peeled off), starting at label 3.
    hub, hw = open_page("hub", DESKTOP)
    login(hub, "operator.hub")
    assert PUBLIC_URL in hub.inner_text("[data-public-address]")
    shots.take(hub, "hub queue")
    hub.click(f"tr:has-text('{PRODUCT}') a.button:has-text('Cetak')")
    hub.wait_for_url(re.compile(r"/hub/cetak/\d+"))
    hub.click("a.slot[data-slot='3']")
    wait_js(hub, "() => document.querySelector('#start_slot').value === '3'")
    hub.fill("#quantity", "3")
    # the picture of the first sheet, rendered from the print PDF, follows the choice (labels 1-2 stay empty)
    wait_js(hub, "() => { const q = new URL(document.querySelector('#sheet-preview').src).searchParams;"
                 " return q.get('mulai') === '3' && q.get('jumlah') === '3'; }")
    _settle(hub)
    shots.take(hub, "hub print form slot 3")
    hub.click("#submit")
    hub.wait_for_url(re.compile(r"/hub/pekerjaan/\d+$"))
    job_id = int(hub.url.rsplit("/", 1)[1])
    hub.wait_for_selector(f"a[href$='/hub/pekerjaan/{job_id}/label.pdf']", timeout=90_000)
    shots.take(hub, "hub job ready")
    pdf = hub.request.get(f"/hub/pekerjaan/{job_id}/label.pdf")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    (shots.folder / "job.pdf").write_bytes(pdf.body())   # kept with the screenshots, to look at
    codes = _qr_codes(pdf.body())
    layout = live.app.extensions["studio.layouts"][STOCK]
    assert len(codes) == 3, codes                     # labels 3-4 of the first sheet, label 1 of the next
    assert sorted(_slot_of(c, layout) for c in codes if c["page"] == 0) == [2, 3], codes
    assert [_slot_of(c, layout) for c in codes if c["page"] == 1] == [0], codes
    printed = _pdf_text(pdf.body())                   # the trainer's requested change is on the printed label
    assert " ".join(STORAGE_ADDED.split()) in printed and PRODUCT in printed, printed[:1500]
    urls = {c["text"] for c in codes}
    assert len(urls) == 1, urls
    qr_url = urls.pop()
    assert re.fullmatch(re.escape(PUBLIC_URL) + r"/p/[A-Z0-9]+", qr_url), qr_url
    hub.click("form[action$='/tercetak'] button[type=submit]")
    hub.wait_for_load_state()
    shots.take(hub, "hub job printed")
    hw.check()

    # 12. The producer publishes the product to the catalogue.
    producer.goto(f"/produk/{product_id}/terbit")
    shots.take(producer, "producer publish")
    producer.click("form[action$='/terbit'] button[type=submit]")
    producer.wait_for_selector(".flashes")
    assert "sudah terbit" in _flash(producer), _flash(producer)
    shots.take(producer, "producer published")
    pw.check()

    # 13. A buyer scans the QR on the printed label and sees the listing (the decoded path, on this server).
    buyer, bw = open_page("buyer", PHONE)
    buyer.goto(qr_url[len(PUBLIC_URL):])
    _settle(buyer)
    shots.take(buyer, "buyer listing from qr")
    main = buyer.inner_text("main")
    assert PRODUCT in main and BUSINESS in main, main[:1500]
    assert "12.500" in main, main[:1500]
    bw.check()
    tw.check()
    pw.check()
    assert not PLAIN, "\n".join(PLAIN)
