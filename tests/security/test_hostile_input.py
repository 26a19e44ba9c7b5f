"""Hostile input: markup shown as text everywhere, odd characters never a 500, uploads checked by
content and leaving nothing behind when refused, and a fuzz test over the product form and the API."""
from __future__ import annotations

import csv
import io
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from studio.extensions import db

from .conftest import RECORD, build_world, full_product, login_client, make_app, photo_jpeg

HOSTILE = 'Keripik <b>Pedas</b> <script>alert("xss")</script> & "Kita"'
FORMULA = '=HYPERLINK("http://jahat.example","klik")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The access-matrix world plus a published product whose name is markup and whose
    description starts like a spreadsheet formula."""
    tmp = tmp_path_factory.mktemp("hostile")
    app = make_app(tmp, csrf=False)
    with app.app_context():
        world = build_world(app)
        from studio.auth.services import get_by_id

        owner, trainer, hub = (get_by_id(world.user_ids[k]) for k in ("producer_a", "trainer_a", "hub_x"))
        ids = full_product(owner, trainer, hub, dict(RECORD, name=HOSTILE, description=FORMULA + " renyah"))
        db.session.remove()
    yield app, world, ids, tmp / "media"
    with app.app_context():
        db.engine.dispose()


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


RAW_MARKUP = re.compile(r"<script>alert|<b>Pedas</b>")


def test_markup_in_a_product_name_is_text_on_every_page(hostile):
    app, world, ids, _media = hostile
    pid, vid, jid, code = ids["product_id"], ids["version_id"], ids["job_id"], ids["code"]
    pages = {
        "producer_a": ["/produk", f"/produk/{pid}", f"/produk/{pid}/data", f"/produk/{pid}/data?bagian=nama",
                       f"/produk/{pid}/foto", f"/produk/{pid}/desain", f"/produk/{pid}/tinjauan",
                       f"/produk/{pid}/cetak", f"/produk/{pid}/terbit", f"/produk/{pid}/riwayat",
                       f"/produk/{pid}/kemasan"],
        "trainer_a": ["/pendamping", "/tinjauan", f"/tinjauan/{vid}"],
        "hub_x": ["/hub/", f"/hub/pekerjaan/{jid}", f"/hub/cetak/{vid}"],
        "anonymous": ["/katalog", f"/p/{code}", f"/katalog/produsen/{world.user_ids['producer_a']}",
                      "/katalog?q=Pedas"],
    }
    escaped = "&lt;script&gt;alert("
    for who, urls in pages.items():
        c = login_client(app, world.users.get(who))
        for url in urls:
            r = c.get(url)
            html = r.get_data(as_text=True)
            assert r.status_code == 200, (who, url, r.status_code)
            assert not RAW_MARKUP.search(html), (who, url, RAW_MARKUP.search(html).group(0))
            if url not in ("/tinjauan",):   # the queue is empty: the version is already approved
                assert escaped in html, (who, url, "the name is not shown (escaped) on this page")
    # JSON-LD on the public product page must not be able to close its <script> block
    html = login_client(app, None).get(f"/p/{code}").get_data(as_text=True)
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block, block[:200]
        assert json.loads(block)["name"].startswith("Keripik <b>Pedas</b>")


def test_markup_in_a_product_name_is_text_in_json_csv_and_pdf(hostile):
    app, world, ids, _media = hostile
    anon = login_client(app, None)
    r = anon.get(f"/api/v1/listings/{ids['code']}")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.get_json()["name"] == HOSTILE
    # CSV exports: the name is one plain cell; a cell that starts like a formula is neutralised
    trainer = login_client(app, world.users["trainer_a"])
    for url in ("/katalog/ekspor.csv", f"/pelatihan/{world.ids['cohort_id']}/ekspor.csv"):
        r = trainer.get(url)
        assert r.status_code == 200, url
        rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
        cells = [cell for row in rows for cell in row]
        assert HOSTILE in cells, (url, "the name is not one exact cell")
        assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not re.match(r"-?\d", c))], url
    # PDFs: the label, the approved version and the printed sheet carry the name as text
    producer = login_client(app, world.users["producer_a"])
    hub = login_client(app, world.users["hub_x"])
    for client, url in ((producer, f"/produk/{ids['product_id']}/desain/label.pdf"),
                        (producer, f"/tinjauan/versi/{ids['version_id']}/label.pdf"),
                        (hub, f"/hub/pekerjaan/{ids['job_id']}/label.pdf")):
        r = client.get(url)
        assert r.status_code == 200 and r.data[:5] == b"%PDF-", url
        text = re.sub(r"\s+", " ", _pdf_text(r.data))
        # literal text (the label engine may print < > as ‹ ›), never interpreted as markup
        assert re.search(r"[<‹]b[>›]Pedas[<‹]/b[>›]", text, re.I), (url, text[:300])
        assert re.search(r"[<‹]script[>›]alert", text, re.I), (url, text[:300])


ODD_TEXT = {
    "very long": "Keripik " + "sangat renyah " * 800,
    "null byte": "Keripik\x00Tempe",
    "rtl override": "Keripik \u202eepmeT\u202c Asli",
    "emoji": "Keripik Tempe 🌶️🔥 Pedas",
    "zero width": "Kerip\u200bik\ufeff",
    "control chars": "Keripik\x07\x1b[31mTempe",
    "combining marks": "Keripik T\u0336\u0337\u0338e\u0489\u0489mpe" + "\u0301" * 300,
}


@pytest.mark.parametrize("label", sorted(ODD_TEXT))
def test_odd_text_gets_a_message_or_is_shown_never_a_500(hostile, label):
    app, world, ids, _media = hostile
    value = ODD_TEXT[label]
    c = login_client(app, world.users["producer_b"])
    r = c.post("/produk/baru", data={"name": value, "product_class": "pangan_pirt"})
    assert r.status_code in (200, 302, 400), (label, r.status_code)
    if r.status_code == 302:
        page = c.get(r.headers["Location"])
        assert page.status_code == 200
        shown = page.get_data(as_text=True)
        if label in ("emoji", "rtl override"):
            assert value.split(" ", 1)[1][:6] in shown, (label, "text not shown back")
    else:
        assert "flash-error" in r.get_data(as_text=True) or "errors" in r.get_data(as_text=True), label
    # the same text in every field of the product form
    pid = ids["product_id"]
    a = login_client(app, world.users["producer_a"])
    for section, fields in (("nama", ("name", "brand", "variant")), ("komposisi", ("ingredients", "claims")),
                            ("jual", ("description", "price_idr", "sku")), ("izin", ("pirt_number",))):
        r = a.post(f"/produk/{pid}/data?bagian={section}", data={f: value for f in fields} | {"aksi": "draf"})
        assert r.status_code in (200, 302, 400), (label, section, r.status_code)
        page = a.get(f"/produk/{pid}/data?bagian={section}")
        assert page.status_code == 200, (label, section)
    assert a.get(f"/produk/{pid}/desain").status_code == 200
    assert a.get(f"/produk/{pid}/desain/label.pdf").status_code in (200, 404, 409)


# --- uploads ----------------------------------------------------------------------------------
def _png(w: int, h: int) -> bytes:
    """A valid PNG header and a tiny compressed body claiming ``w`` × ``h`` pixels (a bomb when huge)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = zlib.compress(b"\x00" * (w // 8 + 1) * min(h, 64), 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def _gif_animated() -> bytes:
    frames = [Image.new("P", (200, 200), i * 40) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


BAD_UPLOADS = {
    "script in a .png": ("foto.png", b"<script>alert(1)</script>\n<?php system($_GET['c']); ?>"),
    "pdf renamed .jpg": ("foto.jpg", _pdf()),
    "truncated jpeg": ("foto.jpg", photo_jpeg((800, 600))[:3000]),
    "decompression bomb": ("bom.png", _png(60_000, 60_000)),
    "zero bytes": ("kosong.jpg", b""),
    "animated gif": ("gerak.gif", _gif_animated()),
    "svg with script": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
}


def _files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()} if media.exists() else set()


def _counts(app) -> tuple[int, int]:
    from studio.designs.assets import StudioAsset
    from studio.products.models import Photo

    with app.app_context():
        out = (db.session.scalar(db.select(db.func.count(Photo.id))),
               db.session.scalar(db.select(db.func.count(StudioAsset.id))))
        db.session.remove()
    return out


@pytest.mark.parametrize("label", sorted(BAD_UPLOADS))
def test_bad_uploads_are_refused_by_content_and_leave_nothing(hostile, label):
    app, world, ids, media = hostile
    name, data = BAD_UPLOADS[label]
    c = login_client(app, world.users["producer_a"])
    pid = ids["product_id"]
    for url, field in ((f"/produk/{pid}/foto", "photo"), (f"/produk/{pid}/desain/logo", "file")):
        before_files, before_rows = _files(media), _counts(app)
        r = c.post(url, data={field: (io.BytesIO(data), name)}, content_type="multipart/form-data",
                   follow_redirects=True)
        assert r.status_code < 500, (label, url, r.status_code)
        html = r.get_data(as_text=True)
        assert re.search(r'class="(?:errors|flash flash-error)', html), (label, url, "no message shown")
        assert _counts(app) == before_rows, (label, url, "a row was saved for a refused file")
        assert _files(media) == before_files, (label, url, "a file was stored for a refused upload")


# --- fuzz ---------------------------------------------------------------------------------------
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400) | \
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "Rp-5", "9" * 40, "<b>", "'; DROP TABLE users;--",
                     "../../etc/passwd", "%00", "{{7*7}}", "\u202e", "🌶" * 50])
FORM_FIELDS = ["name", "brand", "variant", "category", "physical_state", "product_class", "net_quantity",
               "units_per_pack", "packaging_material", "ingredients", "allergens_confirmed", "pirt_number",
               "pirt_valid_until", "halal_status", "halal_cert_number", "shelf_life_days", "nut_fat",
               "nut_serving_size_g", "price_idr", "stock", "shipping_weight_g", "package_l_cm", "gtin", "pakai"]
SECTIONS = ["nama", "isi", "komposisi", "izin", "simpan", "gizi", "jual"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(section=st.sampled_from(SECTIONS), values=st.dictionaries(st.sampled_from(FORM_FIELDS), TEXT, max_size=8))
def test_fuzz_product_form_never_500(hostile, section, values):
    app, world, ids, _media = hostile
    c = _fuzz_client(app, world)
    r = c.post(f"/produk/{ids['product_id']}/data?bagian={section}", data=dict(values, aksi="lanjut"))
    assert r.status_code < 500, (section, values)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(path=st.sampled_from(["/api/v1/listings", "/api/v1/listings/{code}", "/katalog", "/api/v1/listings/{any}"]),
       params=st.dictionaries(st.sampled_from(["q", "page", "per_page", "category", "producer", "desa"]), TEXT,
                              max_size=4),
       code=TEXT)
def test_fuzz_api_never_500(hostile, path, params, code):
    app, world, ids, _media = hostile
    from urllib.parse import quote

    c = app.test_client()
    url = path.format(code=ids["code"], any=quote(code, safe="") or "x")
    r = c.get(url, query_string=params)
    assert r.status_code < 500, (url, params)
    if url.startswith("/api/"):
        assert r.mimetype == "application/json"
    r = c.post(f"/api/v1/products/{quote(code, safe='') or '0'}/publish",
               headers={"Authorization": "Bearer " + re.sub(r"[^\x20-\x7e]", "", code)[:200]})
    assert r.status_code in (401, 404, 405), r.status_code


_clients: dict[int, object] = {}


def _fuzz_client(app, world):
    """One logged-in client per app for all fuzz examples (logging in is the slow part)."""
    key = id(app)
    if key not in _clients:
        _clients.clear()
        _clients[key] = login_client(app, world.users["producer_a"])
    return _clients[key]
