"""The design step in the browser's shoes: pages, JSON updates, downloads, permissions, CLI."""
from __future__ import annotations

import io
import json
import re

from designs_pdfread import decode, raster

from studio.designs import services as designs


def _start(client, product, layout="avery-l7160", style="bersih"):
    return client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": layout,
                                                            "style_id": style})


def test_producer_designs_on_two_stocks_and_downloads_both_pdfs(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    page = client.get(f"/produk/{product.id}/desain")
    assert page.status_code == 200 and "Mulai desain" in page.get_data(as_text=True)
    assert "belum diukur" in page.get_data(as_text=True)          # Tom & Jerry stock is flagged
    r = _start(client, product)
    assert r.status_code == 302
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "desain/pratinjau.png?v=" in html and "Atur posisi" in html
    png = client.get(f"/produk/{product.id}/desain/pratinjau.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    first_pdf = client.get(f"/produk/{product.id}/desain/label.pdf")
    assert first_pdf.headers["Content-Disposition"].startswith("attachment")
    # second stock, through the JSON path design.js uses
    r = client.post(f"/produk/{product.id}/desain", data={"action": "stock", "layout_id": "avery-l7165"},
                    headers={"Accept": "application/json"})
    body = r.get_json()
    assert r.status_code == 200 and body["ok"] and body["label_w_mm"] == 99.1
    assert "findings" in body and "findings_html" in body and body["elements"]
    second_pdf = client.get(f"/produk/{product.id}/desain/label.pdf").data
    assert second_pdf != first_pdf.data
    sheet = client.get(f"/produk/{product.id}/desain/lembar.pdf?copies=3&first=2")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    url = f"{app.config['PUBLIC_BASE_URL']}/p/{product.public_code}"
    assert [r.text for r in decode(raster(sheet.data, dpi=200), "QRCode")] == [url] * 3


def test_each_change_updates_the_preview(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    _start(client, product)
    before = client.get(f"/produk/{product.id}/desain/pratinjau.png").data
    for data in ({"action": "colours", "preset": "laut"}, {"action": "fonts", "pairing": "elegan"},
                 {"action": "style", "style_id": "premium"},
                 {"action": "fields", "show_photo": "y", "show_qr": "y", "show_price": "y"},
                 {"action": "move", "tag": "pdp.name", "nudge": "1,0,0,0"}):
        r = client.post(f"/produk/{product.id}/desain", data=data, headers={"Accept": "application/json"})
        assert r.status_code == 200, (data, r.get_json())
        after = client.get(r.get_json()["preview_url"]).data
        assert after != before, data
        before = after
    design = designs.find_design(product)
    assert design.style_id == "premium" and design.options["pairing"] == "elegan"
    assert design.options["show_price"] is True and design.options["show_ean"] is False
    assert "pdp.name" in design.options["overrides"]


def test_design_works_without_javascript(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    _start(client, product)
    r = client.post(f"/produk/{product.id}/desain", data={"action": "move", "tag": "qr", "x_mm": "5",
                                                          "y_mm": "5", "w_mm": "", "h_mm": ""})
    assert r.status_code == 302 and r.headers["Location"].endswith("#move")
    assert designs.find_design(product).options["overrides"]["qr"]["x_mm"] >= 2.0
    r = client.post(f"/produk/{product.id}/desain", data={"action": "style", "style_id": "nope"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.get_json()["error"]


def test_other_producer_gets_404_and_the_trainer_may_look(app, client, login, make_ready_product, cohort_with):
    cohort, trainer, (owner, other) = cohort_with(2)
    product = make_ready_product(owner)
    login(owner)
    _start(client, product)
    base = f"/produk/{product.id}/desain"
    login(other)
    for path in (base, base + "/pratinjau.png", base + "/label.pdf", base + "/lembar.pdf?copies=2",
                 base + "/gaya/premium.png"):
        assert client.get(path).status_code == 404, path
    assert client.post(base, data={"action": "style", "style_id": "berani"}).status_code == 404
    login(trainer)
    assert client.get(base + "/pratinjau.png").status_code == 200
    assert "Hanya pemilik" in client.get(base).get_data(as_text=True)
    assert client.post(base, data={"action": "style", "style_id": "berani"}).status_code == 403


def test_admin_uploads_halal_logo_and_hub_adds_stock(app, client, login, create_user):
    from PIL import Image
    admin, hub, producer = create_user("admin"), create_user("hub"), create_user("producer")
    buf = io.BytesIO()
    Image.new("RGB", (400, 400), (103, 0, 117)).save(buf, "PNG")
    login(producer)
    assert client.get("/admin/logo-halal").status_code == 403
    assert client.get("/stok-label").status_code == 403
    login(admin)
    r = client.post("/admin/logo-halal", data={"file": (io.BytesIO(buf.getvalue()), "halal.png"), "confirm": "y"},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    assert "Logo yang dipakai sekarang" in client.get("/admin/logo-halal").get_data(as_text=True)
    login(hub)
    r = client.post("/stok-label", data={"name": "Stiker Pasar 40 x 40", "shape": "circle", "kind": "sheet",
                                         "paper_w_mm": "200", "paper_h_mm": "280", "label_w_mm": "40",
                                         "label_h_mm": "40", "columns": "4", "rows": "6", "left_mm": "10",
                                         "top_mm": "10", "step_x_mm": "45", "step_y_mm": "44",
                                         "safe_margin_mm": "2"})
    assert r.status_code == 302
    assert "Stiker Pasar 40 x 40" in client.get("/stok-label").get_data(as_text=True)
    r = client.post("/stok-label", data={"name": "Salah", "shape": "rect", "kind": "sheet", "paper_w_mm": "100",
                                         "paper_h_mm": "100", "label_w_mm": "60", "label_h_mm": "30",
                                         "columns": "2", "rows": "2", "step_x_mm": "50", "step_y_mm": "32"})
    assert r.status_code == 400 and "Ukuran tidak mungkin" in r.get_data(as_text=True)


# crisps carry a nutrition panel; with it the complete label fits the A4 2 x 2 sheet of 94 x 134 mm labels
NUTRITION = {"allergens_confirmed": "kacang tanah", "nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam",
             "nutrition.fat": "24", "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62",
             "nutrition.sugar": "9", "nutrition.sodium_mg": "520", "nutrition.source": "umk_default_table"}


def test_cli_lists_layouts_and_renders_a_sheet(app, make_ready_product, create_user, tmp_path):
    from PIL import Image

    from studio.designs import assets

    runner = app.test_cli_runner()
    out = runner.invoke(args=["studio", "layouts", "--json"])
    assert out.exit_code == 0, out.output
    stocks = {s["id"]: s for s in json.loads(out.output)}
    assert stocks["avery-l7160"]["slots_per_page"] == 21 and stocks["tj-103"]["verified"] is False
    assert stocks["a4-nup-2x2-94x134"]["slots_per_page"] == 4
    assert "BELUM DIUKUR" in runner.invoke(args=["studio", "layouts"]).output
    logo = io.BytesIO()
    Image.new("RGB", (300, 300), (30, 120, 60)).save(logo, "PNG")
    assets.upload_halal_logo(create_user("admin"), logo.getvalue(), "halal.png")   # the product is halal
    product = make_ready_product(**NUTRITION)
    designs.start_design(product.owner, product.id, "a4-nup-2x2-94x134", "bersih")
    target = tmp_path / "sheet.pdf"
    out = runner.invoke(args=["studio", "render-sheet", "--product", str(product.id), "--layout",
                              "a4-nup-2x2-94x134", "--copies", "5", "--out", str(target), "--first-slot", "3"])
    assert out.exit_code == 0, out.output
    import pypdfium2 as pdfium
    assert len(pdfium.PdfDocument(target.read_bytes())) == 2     # 1 + 4 labels
    # re-laid out on a small sheet the complete label does not fit: refused with the findings, nothing written
    small = tmp_path / "small.pdf"
    out = runner.invoke(args=["studio", "render-sheet", "--product", str(product.id), "--layout", "avery-l7160",
                              "--copies", "21", "--out", str(small)])
    assert out.exit_code != 0 and "BLOCKER" in out.output and "Avery L7160" in out.output, out.output
    assert not small.exists()
    out = runner.invoke(args=["studio", "render-sheet", "--product", "9999", "--copies", "1", "--out",
                              str(tmp_path / "x.pdf")])
    assert out.exit_code != 0


def test_problems_are_shown_plainly_and_block_the_next_step(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    _start(client, product, layout="avery-l7165")
    client.post(f"/produk/{product.id}/desain", data={"action": "move", "tag": "qr", "w_mm": "7", "h_mm": "7"})
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "Kode QR hanya" in html and re.search(r"minimal 1\d(,\d)? mm", html)   # 10 mm or the module floor (decimal comma)
    assert designs.find_design(product).blocker_count >= 1
