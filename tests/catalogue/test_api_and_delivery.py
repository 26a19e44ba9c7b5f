"""The /api/v1 contract, token-protected writes, the BLONJO outbox against a real HTTP server, the export."""
from __future__ import annotations

import csv
import io
from pathlib import Path


from studio import jobs
from studio.catalogue.models import OutboxEvent
from studio.catalogue.services import create_api_token
from studio.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def test_list_and_get_listing_follow_the_documented_contract(client, login, ready_product):
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    client.post("/keluar")
    r = client.get("/api/v1/listings?category=keripik&per_page=5")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 5
    item = body["items"][0]
    spec = (ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8")
    for key in item:  # every field the API returns is documented
        assert f"{key}:" in spec, f"{key} missing from docs/openapi.yaml"
    assert item["code"] == product.public_code and item["price"] == {"amount": 15000, "currency": "IDR"}
    assert item["url"].endswith(f"/p/{product.public_code}")
    one = client.get(f"/api/v1/listings/{product.public_code}")
    assert one.get_json()["name"] == "Keripik Singkong Balado"
    etag = one.headers["ETag"]
    assert client.get(f"/api/v1/listings/{product.public_code}", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/api/v1/listings/NOPE99").status_code == 404


def test_api_filters_by_producer_and_paginates(client, login, ready_product):
    products = [ready_product(name=f"Keripik {i}") for i in range(3)]
    for p in products:
        login(p.owner)
        client.post(f"/produk/{p.id}/terbit")
    page = client.get("/api/v1/listings?per_page=2&page=2").get_json()
    assert page["total"] == 3 and page["pages"] == 2 and len(page["items"]) == 1
    mine = client.get(f"/api/v1/listings?producer={products[0].owner_id}").get_json()
    assert [i["name"] for i in mine["items"]] == ["Keripik 0"]


def test_api_writes_need_a_token(client, ready_product, create_user):
    product = ready_product()
    assert client.post(f"/api/v1/products/{product.id}/publish").status_code == 401
    assert client.post(f"/api/v1/products/{product.id}/publish",
                       headers={"Authorization": "Bearer salah"}).status_code == 401
    token = create_api_token(create_user("admin"), "BLONJO pusat")
    r = client.post(f"/api/v1/products/{product.id}/publish", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201 and r.get_json()["published"] is True
    r = client.post(f"/api/v1/products/{product.id}/unpublish", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert client.get(f"/api/v1/listings/{product.public_code}").status_code == 410


def _drain(max_rounds: int = 10) -> None:
    for _ in range(max_rounds):
        if not jobs.dispatch_due():
            return


def test_publish_while_blonjo_is_down_delivers_exactly_once_when_it_is_back(client, login, ready_product, blonjo):
    blonjo.script = ["fail", "hang", "fail"]
    product = ready_product()
    login(product.owner)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    assert client.get(f"/p/{product.public_code}").status_code == 200  # published locally at once
    event = db.session.scalar(db.select(OutboxEvent))
    assert event.status == "pending" and event.attempts == 1
    _drain()
    db.session.refresh(event)
    assert event.status == "delivered" and event.attempts == 4
    assert list(blonjo.seen) == [event.idempotency_key]
    assert blonjo.seen[event.idempotency_key]["listing"]["code"] == product.public_code
    # running the delivery job again (e.g. a worker crashed after sending) sends nothing new
    jobs.run_job(jobs.submit("catalogue.deliver", {"event_id": event.id}).id)
    assert blonjo.deliveries == 1


def test_without_an_endpoint_the_outbox_waits(client, login, ready_product, app):
    app.config["BLONJO_ENDPOINT"] = None
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    event = db.session.scalar(db.select(OutboxEvent))
    assert event.status == "pending" and event.job_id is None and event.attempts == 0


def test_hub_sees_delivery_status_and_producers_cannot(client, login, ready_product, create_user):
    product = ready_product()
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    assert client.get("/katalog/kiriman").status_code == 403
    login(create_user("hub"))
    html = client.get("/katalog/kiriman").get_data(as_text=True)
    assert "<td>terbit di katalog</td>" in html and "menunggu" in html and "listing.published" not in html


def test_marketplace_export_neutralises_formulas(client, login, ready_product, create_user):
    product = ready_product(name="=HYPERLINK(\"http://x\")", description="@SUM(A1)")
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    login(create_user("admin"))
    r = client.get("/katalog/ekspor.csv")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert "Nama Produk" in header and "Harga (Rp)" in header and "Berat (gram)" in header
    assert row[header.index("Nama Produk")].startswith("'=")
    assert row[header.index("Deskripsi Produk")].startswith("'@")
    assert row[header.index("Harga (Rp)")] == "15000"
