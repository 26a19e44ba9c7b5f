"""Found by the audit (direct POSTs skipping the page): a box position or a stock size of "nan"
answered 500 (WTForms' DecimalField reads Decimal("NaN"); NumberRange then compares it, and a
Decimal NaN raises InvalidOperation on "<"). Bad input never 500s: the form says what to type."""
from __future__ import annotations

from studio.designs import services as designs


def test_not_a_number_in_the_editor_and_the_stock_form_is_refused(app, client, login, make_ready_product,
                                                                   create_user):
    product = make_ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "avery-l7160",
                                                      "style_id": "bersih"})
    for typed in ("nan", "sNaN", "Infinity"):
        r = client.post(f"/produk/{product.id}/desain", data={"action": "move", "tag": "qr", "x_mm": typed,
                                                              "y_mm": "5", "w_mm": "", "h_mm": ""},
                        headers={"Accept": "application/json"})
        assert r.status_code == 400 and r.get_json()["error"], (typed, r.status_code)
        moved = (designs.find_design(product).options.get("overrides") or {}).get("qr") or {}
        assert all(v == v and abs(v) < 1e6 for v in moved.values()), moved      # nothing NaN stored
    login(create_user("hub"))
    r = client.post("/stok-label", data={"name": "Stiker NaN", "shape": "rect", "kind": "sheet", "paper_w_mm": "nan",
                                         "paper_h_mm": "280", "label_w_mm": "40", "label_h_mm": "40", "columns": "4",
                                         "rows": "6", "left_mm": "10", "top_mm": "10", "step_x_mm": "45",
                                         "step_y_mm": "44", "safe_margin_mm": "2"})
    assert r.status_code == 400 and 'value="nan"' in r.get_data(as_text=True)
