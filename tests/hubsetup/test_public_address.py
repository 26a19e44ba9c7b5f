"""Setting up a hub: the catalogue's public address that every QR code opens (service, command,
admin page, first login, banners), read back from a printed sheet's QR code."""
from __future__ import annotations

import re

import pytest

from studio import site
from studio.errors import Forbidden, Invalid
from studio.hubsetup.models import PUBLIC_URL, HubSetting
from studio.hubsetup.services import set_public_url
from studio.extensions import db
from studio.preflight import blocking

# a realistic address: 40+ characters, so the QR symbol needs more modules than the default one
ADDRESS = "https://katalog.rumahpintar-plandaan.jombangkab.go.id/umkm"
# crisps must carry a nutrition panel: the product data a printable label needs
NUTRITION = {"allergens_confirmed": "kacang tanah", "nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam",
             "nutrition.fat": "24", "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62",
             "nutrition.sugar": "9", "nutrition.sodium_mg": "520", "nutrition.source": "umk_default_table"}


@pytest.fixture(autouse=True)
def fresh_hub(app):
    """A hub that has not been set up: the configuration still has the development default."""
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"


@pytest.mark.parametrize("bad", ["", "   ", "http://127.0.0.1:5000", "https://localhost/katalog",
                                 "http://169.254.10.1", "http://[::1]:8000", "katalog.desa.id",
                                 "ftp://katalog.desa.id", "https://katalog.desa.id/?x=1", "https://kat alog.id"])
def test_service_refuses_addresses_a_phone_cannot_open(app, create_user, bad):
    admin = create_user("admin")
    with pytest.raises(Invalid) as e:
        set_public_url(admin, bad)
    assert e.value.field == "public_url" and e.value.message
    assert db.session.get(HubSetting, PUBLIC_URL) is None
    assert site.public_base_url() == "http://127.0.0.1:5000"     # still the configuration's default


def test_service_stores_the_normalised_address_for_every_process(app, create_user):
    admin = create_user("admin")
    with pytest.raises(Forbidden):
        set_public_url(create_user("hub"), ADDRESS)
    site.public_base_url()                                        # warm this process's cache
    assert set_public_url(admin, f"  {ADDRESS}//  ") == ADDRESS
    row = db.session.get(HubSetting, PUBLIC_URL)
    assert (row.value, row.updated_by_id) == (ADDRESS, admin.id)
    assert site.public_base_url() == ADDRESS                      # the cache was dropped on save
    # another process (a worker) has its own cache: it reads the database once the cache expires
    app.extensions["studio.site.public_url"] = ("https://lama.example.id", 0.0)
    assert site.public_base_url() == ADDRESS


def test_command_sets_the_address_and_refuses_loopback(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["studio", "set-public-url", "http://localhost:5000"])
    assert r.exit_code != 0 and "HP pembeli" in r.output
    r = runner.invoke(args=["studio", "set-public-url", ADDRESS + "/"])
    assert r.exit_code == 0, r.output
    assert site.public_base_url() == ADDRESS and db.session.get(HubSetting, PUBLIC_URL).updated_by_id is None


def test_first_admin_login_asks_for_the_address_and_the_settings_page_works(app, client, create_user, login):
    admin = create_user("admin")
    r = client.post("/masuk", data={"login": admin.username, "password": "rahasia123"})
    r = client.get(r.headers["Location"])                         # the first page after login asks
    assert r.status_code == 302 and "/admin/pengaturan-hub?pertama=1" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Sebelum mulai" in page and "Lewati dulu" in page
    assert "memindai kode itu dengan HP" in page                 # what the address is, in plain words
    home = client.get("/admin").get_data(as_text=True)
    assert "Kode QR pada label belum bisa dibuka pembeli" in home and "/admin/pengaturan-hub" in home

    r = client.post("/admin/pengaturan-hub", data={"public_url": "http://127.0.0.1:5000/"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'value="http://127.0.0.1:5000/"' in html   # the input is kept
    assert re.search(r'class="errors" id="public_url-err"><li>[^<]*HP pembeli', html)
    r = client.post("/admin/pengaturan-hub", data={"public_url": ADDRESS})
    assert r.status_code == 302
    page = client.get("/admin/pengaturan-hub").get_data(as_text=True)
    assert f'value="{ADDRESS}"' in page and f"{ADDRESS}/p/" in page
    assert "belum bisa dibuka" not in client.get("/admin").get_data(as_text=True)

    client.post("/keluar")                                        # once set, login goes straight home
    r = client.post("/masuk", data={"login": admin.username, "password": "rahasia123"})
    assert r.headers["Location"].endswith("/")
    assert client.get(r.headers["Location"]).status_code != 302 or \
        "pengaturan-hub" not in client.get(r.headers["Location"]).headers.get("Location", "")


def test_settings_page_is_for_admins_only_and_needs_csrf(app, client, create_user, login):
    login(create_user("hub"))
    assert client.get("/admin/pengaturan-hub").status_code == 403
    assert client.post("/admin/pengaturan-hub", data={"public_url": ADDRESS}).status_code == 403
    assert db.session.get(HubSetting, PUBLIC_URL) is None
    login(create_user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    r = client.post("/admin/pengaturan-hub", data={"public_url": ADDRESS})
    assert r.status_code in (200, 400) and db.session.get(HubSetting, PUBLIC_URL) is None


def test_hub_home_warns_while_unset_and_shows_the_address_once_set(app, client, create_user, login):
    login(create_user("hub"))
    html = client.get("/hub/").get_data(as_text=True)
    assert "Kode QR pada label belum bisa dibuka pembeli" in html and "admin hub" in html
    set_public_url(create_user("admin"), ADDRESS)
    html = client.get("/hub/").get_data(as_text=True)
    assert "belum bisa dibuka" not in html and f"{ADDRESS}/p/…" in html


def test_printed_sheet_qr_opens_the_listing_at_the_decoded_path(app, client, login, ready_product, create_user):
    import pypdfium2 as pdfium
    import zxingcpp

    from studio.designs import services as designs
    from studio.designs import render as design_render

    set_public_url(create_user("admin"), ADDRESS)
    from studio.labels import layout_to_dict

    product = ready_product(**NUTRITION)       # approved and printed, ready to publish
    design = designs.find_design(product)      # the fixture's design has no stock snapshot and no options:
    design.layout_snapshot = layout_to_dict(designs.get_layouts()[design.layout_id])   # give it the ones a
    design.options = designs.default_options(product).to_dict()                       # producer's design gets
    # the complete food label (nutrition panel included) fits on the A4 2 x 2 sheet of 94 x 134 mm labels
    design = designs.start_design(product.owner, product.id, "a4-nup-2x2-94x134", "bersih")
    assert blocking(designs.design_findings(design)) == []
    pdf = design_render.render_design_pdf(design, "sheet", copies=1)
    doc = pdfium.PdfDocument(pdf)
    page = doc[0].render(scale=300 / 72).to_pil().convert("L")
    doc.close()
    found = [r.text for r in zxingcpp.read_barcodes(page, formats=zxingcpp.barcode_formats_from_str("QRCode"))]
    assert found == [f"{ADDRESS}/p/{product.public_code}"]
    path = found[0][len(ADDRESS):]
    assert client.get(path).status_code == 404                    # not published yet
    login(product.owner)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    client.post("/keluar")
    r = client.get(path)
    assert r.status_code == 200 and "Keripik Singkong Balado" in r.get_data(as_text=True)
