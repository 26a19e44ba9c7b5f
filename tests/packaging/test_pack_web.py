"""The Kemasan page: a producer designs a jar wrap label and a tuck-end box for kue kering, sees
the mockups and downloads print PDFs; another producer cannot see them."""
from __future__ import annotations

import io

from PIL import Image


def _start(client, product, pack_id):
    return client.post(f"/produk/{product.id}/kemasan", data={"action": "start", "pack_id": pack_id},
                       follow_redirects=True)


def test_producer_designs_jar_wrap_and_tuck_box_with_mockups_and_pdfs(client, login, kue_kering):
    product = kue_kering()
    login(product.owner)
    resp = _start(client, product, "jar-100x110")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Label keliling" in page and "Toples plastik" in page
    resp = _start(client, product, "box-tuck-100x50x140")
    assert resp.status_code == 200
    for kind in ("wrap", "box"):
        png = client.get(f"/produk/{product.id}/kemasan/{kind}/mockup.png")
        assert png.status_code == 200 and png.mimetype == "image/png"
        im = Image.open(io.BytesIO(png.data))
        assert im.width == im.height >= 600
        jpg = client.get(f"/produk/{product.id}/kemasan/{kind}/mockup.jpg?unduh=1")
        assert jpg.mimetype == "image/jpeg" and "attachment" in jpg.headers["Content-Disposition"]
        pdf = client.get(f"/produk/{product.id}/kemasan/{kind}/cetak.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        assert b"CutContour" in pdf.data
        net = client.get(f"/produk/{product.id}/kemasan/{kind}/jaring.png")
        assert net.status_code == 200
    a4 = client.get(f"/produk/{product.id}/kemasan/box/cetak.pdf?kertas=A4")
    assert a4.status_code == 200 and a4.data.count(b"/Type /Page\n") + a4.data.count(b"/Type /Page ") >= 1
    page = client.get(f"/produk/{product.id}/kemasan?jenis=box").get_data(as_text=True)
    assert "Kotak" in page and "mockup.png" in page


def test_another_producer_gets_404_on_the_pack(client, login, create_user, kue_kering):
    product = kue_kering()
    login(product.owner)
    _start(client, product, "jar-75x90")
    other = create_user("producer")
    login(other)
    assert client.get(f"/produk/{product.id}/kemasan").status_code == 404
    for url in ("mockup.png", "cetak.pdf", "jaring.png"):
        assert client.get(f"/produk/{product.id}/kemasan/wrap/{url}").status_code == 404
    assert client.post(f"/produk/{product.id}/kemasan", data={"action": "start", "pack_id": "jar-75x90"}
                       ).status_code == 404


def test_admin_adds_a_pack_size_and_a_bad_size_is_refused(client, login, create_user, kue_kering):
    admin = create_user("admin")
    login(admin)
    resp = client.post("/admin/kemasan", data={"name": "Toples Ø90", "pack_type": "jar", "diameter_mm": "90",
                                               "height_mm": "100", "label_height_mm": "60"}, follow_redirects=True)
    assert resp.status_code == 200 and "ukur-toples-90" in resp.get_data(as_text=True)
    bad = client.post("/admin/kemasan", data={"name": "Salah", "pack_type": "jar", "diameter_mm": "90",
                                              "height_mm": "50", "label_height_mm": "60"})
    assert "height_mm" in bad.get_data(as_text=True)
    product = kue_kering()
    login(product.owner)
    assert _start(client, product, "ukur-toples-90").status_code == 200
    assert client.get(f"/produk/{product.id}/kemasan/wrap/cetak.pdf").status_code == 200
    assert client.get("/admin/kemasan").status_code in (302, 403)


def test_render_pack_cli_writes_the_print_pdf(app, kue_kering, tmp_path):
    product = kue_kering()
    out = tmp_path / "box.pdf"
    result = app.test_cli_runner().invoke(args=["studio", "render-pack", "--product", str(product.id), "--pack",
                                                "box-tuck-100x50x140", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/CutContour" in data and b"/FoldLines" in data
    bad = app.test_cli_runner().invoke(args=["studio", "render-pack", "--product", str(product.id), "--pack",
                                             "no-such-pack", "--out", str(out)])
    assert bad.exit_code != 0 and "unknown pack" in bad.output
