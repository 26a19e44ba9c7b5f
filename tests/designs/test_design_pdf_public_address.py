"""A producer's own PDFs (print shop, sheet) never carry a QR code a buyer's phone cannot open: while
the catalogue's public address is 127.0.0.1 they are refused with the reason, as the hub's print is.
Before, both downloads decoded to http://127.0.0.1:5000/p/… and the design page said nothing."""
from __future__ import annotations

from designs_pdfread import decode, raster


def test_design_pdfs_are_refused_while_the_qr_address_is_local(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "a4-nup-2x2-94x134",
                                                      "style_id": "bersih"})
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    for path in ("label.pdf", "lembar.pdf?copies=4"):
        r = client.get(f"/produk/{product.id}/desain/{path}")
        assert r.status_code == 302 and r.mimetype != "application/pdf", path
        page = client.get(r.headers["Location"]).get_data(as_text=True)
        assert "127.0.0.1" in page and "Pengaturan hub" in page, page[:500]
    app.config["PUBLIC_BASE_URL"] = "https://katalog.rumahpintar-jombang.example/blonjo"
    sheet = client.get(f"/produk/{product.id}/desain/lembar.pdf?copies=4")
    assert sheet.status_code == 200
    assert {c.text for c in decode(raster(sheet.data, dpi=200), "QRCode")} == {
        f"https://katalog.rumahpintar-jombang.example/blonjo/p/{product.public_code}"}
