"""The hub operator ticks, on the stock page, the label stock the hub keeps or prints; the stock advisor
then judges and proposes only those to producers. Every save is a server rule (direct requests)."""
from __future__ import annotations

import re

from test_design_web import NUTRITION
from test_stock_advisor import _cards

from studio.designs import advisor
from studio.designs.stock import offer_list
from studio.extensions import db
from studio.hubsetup.models import STOCKS_ON_OFFER, HubSetting


def _ticked(html: str) -> set[str]:
    return set(re.findall(r'name="layout_ids" value="([^"]+)"[^>]*\bchecked\b', html))


def _stored(app):
    with app.app_context():
        row = db.session.get(HubSetting, STOCKS_ON_OFFER)
        return row.value if row is not None else None


def test_hub_ticks_the_stock_it_keeps_and_producers_are_proposed_only_those(app, client, login, create_user,
                                                                          make_ready_product):
    hub = create_user("hub")
    product = make_ready_product(**NUTRITION)
    login(hub)
    page = client.get("/stok-label").get_data(as_text=True)
    before = _ticked(page)
    assert "avery-l7160" in before and "tj-121" not in before       # default: every measured stock
    r = client.post("/stok-label/tersedia", data={"layout_ids": ["avery-l7160", "a4-nup-2x2-94x134"], "save": "1"})
    assert r.status_code == 302
    page = client.get("/stok-label").get_data(as_text=True)
    assert _ticked(page) == {"avery-l7160", "a4-nup-2x2-94x134"}
    assert "Daftar ini diatur di hub." in page
    with app.test_request_context():
        assert set(offer_list()) == {"avery-l7160", "a4-nup-2x2-94x134"}
        assert {l.id for l in advisor.stocks_to_judge(product)} == {"avery-l7160", "a4-nup-2x2-94x134"}
    # the producer's stock cards: only the ticked stock is judged (other cards say nothing)
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain?saran=1").get_data(as_text=True)
    cards = dict(_cards(html))
    judged = {lid for lid, text in cards.items() if "Muat semua isi wajib" in text or "Tidak muat" in text
              or "tidak muat" in text}
    assert judged and judged <= {"avery-l7160", "a4-nup-2x2-94x134"}
    assert "a4-nup-2x2-94x134" in judged
    # back to the default: every measured stock again
    login(hub)
    r = client.post("/stok-label/tersedia", data={"reset": "1"})
    assert r.status_code == 302 and not _stored(app)
    assert _ticked(client.get("/stok-label").get_data(as_text=True)) == before


def test_a_save_that_makes_no_sense_is_refused_with_the_ticks_kept(app, client, login, create_user):
    hub = create_user("hub")
    login(hub)
    r = client.post("/stok-label/tersedia", data={"save": "1"})                  # nothing ticked
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Centang paling sedikit satu stok" in html
    assert _stored(app) is None
    r = client.post("/stok-label/tersedia", data={"layout_ids": ["avery-l7160", "tidak-ada"], "save": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Stok ini tidak ada: tidak-ada" in html
    assert _ticked(html) == {"avery-l7160"}                # what the operator ticked comes back
    assert _stored(app) is None


def test_only_the_hub_and_admin_set_the_stock_on_offer(app, client, login, create_user):
    for role in ("producer", "trainer"):
        login(create_user(role, username=f"u-{role}"))
        r = client.post("/stok-label/tersedia", data={"layout_ids": ["avery-l7160"], "save": "1"})
        assert r.status_code == 403, role
    assert _stored(app) is None
    login(create_user("admin"))
    assert client.post("/stok-label/tersedia", data={"layout_ids": ["avery-l7160"], "save": "1"}).status_code == 302
    assert _stored(app) == '["avery-l7160"]'


def test_the_stock_page_in_english(app, client, login, create_user):
    login(create_user("hub"))
    client.post("/bahasa", data={"lang": "en"})
    r = client.post("/stok-label/tersedia", data={"save": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Tick at least one stock the hub has." in html and "At the hub" in html
