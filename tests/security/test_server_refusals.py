"""Issue 21, messages: refusals made before a view runs — a request above the size limit, a form text
above Werkzeug's form limit, an over-long address, oversized headers — are worded by the studio (JSON
under /api/), under the test client, the dev server and gunicorn with the repo's gunicorn.conf.py.
What gunicorn refuses before the app sees the request (a NUL in a header) is asserted as what it is."""
from __future__ import annotations

import html
import io
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from studio.extensions import db
from studio.products.models import ProductRevision

ROOT = Path(__file__).resolve().parents[2]


def page(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def test_an_oversized_text_form_is_not_told_to_shrink_a_photo(app, login, client, create_user, create_product):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    app.config.update(MAX_CONTENT_LENGTH=200_000)
    # a plain (urlencoded) form above the request limit, and a multipart one above Werkzeug's form-text limit
    r1 = client.post(f"/produk/{product.id}/data?bagian=komposisi",
                     data={"ingredients": "Singkong " * 30_000, "aksi": "lanjut"})
    app.config.update(MAX_CONTENT_LENGTH=30 * 2**20, MAX_FORM_MEMORY_SIZE=50_000)
    r2 = client.post(f"/produk/{product.id}/data?bagian=komposisi",
                     data={"ingredients": "Singkong " * 10_000, "aksi": "lanjut"}, content_type="multipart/form-data")
    for r in (r1, r2):
        assert r.status_code == 413
        text = page(r)
        assert "Ada isian yang terlalu panjang untuk dikirim sekaligus. Persingkat teksnya" in text
        assert "Kecilkan foto" not in text and "Berkas terlalu besar" not in text
    assert db.session.scalar(db.select(db.func.count(ProductRevision.id))) == 0


def test_a_request_above_the_limit_names_its_real_size(app, login, client, create_user, create_product):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    app.config.update(MAX_CONTENT_LENGTH=2 * 2**20, UPLOAD_MAX_BYTES=1 * 2**20)
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(b"\xff\xd8\xff" + b"0" * (3 * 2**20)),
                                                                   "besar.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code == 413
    assert "Kiriman Anda 3,1 MB; berkas paling besar 1 MB. Kecilkan foto atau berkasnya" in page(r)


def test_an_upload_just_above_the_limit_is_not_called_equal_to_it(app, login, client, create_user, create_product):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    app.config.update(UPLOAD_MAX_BYTES=2**20)
    data = b"\xff\xd8\xff" + b"0" * (2**20 + 40_000)     # 1,04 MB: above the limit, read only up to it
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(data), "besar.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    assert "Berkas terlalu besar (1,1 MB). Batasnya 1 MB." in page(r)


def test_too_many_pixels_names_the_real_figure(login, client, create_user, create_product):
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    for (w, h), expected in (
            ((60_000, 60_000), "Ukuran foto terlalu besar (3.600 megapiksel). Batasnya 50 megapiksel."),
            ((7_100, 7_100), "Ukuran foto terlalu besar (50,5 megapiksel). Batasnya 50 megapiksel.")):
        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
        r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(png), "bom.png")},
                        content_type="multipart/form-data")
        assert r.status_code == 400 and expected in page(r) and "?" not in expected


def test_a_png_with_oversized_metadata_is_told_so_not_called_not_a_photo(login, client, create_user, create_product):
    import struct
    import zlib

    from PIL import Image

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 60, 40)).save(buf, "PNG")
    png = buf.getvalue()
    data = png[:33] + chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"x" * (8 * 2**20))) + png[33:]
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(data), "catatan.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    text = page(r)
    assert "membawa data tambahan (keterangan di dalam berkas) yang terlalu besar" in text
    assert "bukan foto" not in text


# -- real servers --------------------------------------------------------------------------------

REQUESTS = {
    "long_url": b"GET /katalog?q=" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "long_url_api": b"GET /api/v1/listings?q=" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "header_10k": b"GET /katalog HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10_240 + b"\r\nConnection: close\r\n\r\n",
    "header_20k_api": b"GET /api/v1/listings HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_480
                      + b"\r\nConnection: close\r\n\r\n",
    "nul_header": b"GET /katalog HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\nConnection: close\r\n\r\n",
}


def _raw(port: int, request: bytes) -> tuple[int, str, str]:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(request)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    ctype = next((ln.split(":", 1)[1].strip() for ln in lines[1:] if ln.lower().startswith("content-type:")), "")
    return int(lines[0].split()[1]), ctype, html.unescape(body.decode("utf-8", "replace"))


def _check_app_words(answers: dict) -> None:
    status, ctype, body = answers["long_url"]
    assert status == 414 and "text/html" in ctype and "Alamat halaman ini terlalu panjang" in body
    status, ctype, body = answers["long_url_api"]
    assert status == 414 and ctype == "application/json" and '"status":414' in body.replace(" ", "")
    status, _c, body = answers["header_10k"]
    assert status == 200 and "Katalog" in body            # 10 KB of headers is served normally
    status, ctype, body = answers["header_20k_api"]
    assert status == 431 and ctype == "application/json" and "Hapus cookie situs ini" in body


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "STUDIO_TEST_DB": f"sqlite:///{tmp_path / 'srv.sqlite3'}",
            "STUDIO_TEST_MEDIA": str(tmp_path / "media")}


def test_under_the_dev_server_the_app_words_every_refusal(env, monkeypatch):
    from werkzeug.serving import make_server

    for k in ("STUDIO_TEST_DB", "STUDIO_TEST_MEDIA"):
        monkeypatch.setenv(k, env[k])
    sys.modules.pop("tests.support.serve_app", None)
    from tests.support.serve_app import app

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answers = {name: _raw(server.server_port, req) for name, req in REQUESTS.items()}
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()
    _check_app_words(answers)
    assert answers["nul_header"][0] == 200     # the dev server passes it on; the app serves the page


def test_under_gunicorn_with_the_repo_config_the_app_words_what_reaches_it(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                             "tests.support.serve_app:app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        answers = {name: _raw(port, req) for name, req in REQUESTS.items()}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    _check_app_words(answers)
    # Refused by gunicorn's parser before any app code runs: its own page, not the studio's.
    status, _c, body = answers["nul_header"]
    assert status == 400 and "Invalid HTTP Header" in body
