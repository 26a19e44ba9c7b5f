"""Going live: the demo banner while a demo password opens an account, and "Hapus data demo" removing
the demo cohort with everything of its accounts while a real cohort stays exactly as it was."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from sqlalchemy import func, select

from studio.extensions import db
from tests.conftest import csrf_token

BANNER = "data-demo-banner"


def _media_files(app) -> dict[str, str]:
    root = Path(app.config["MEDIA_DIR"])
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")}


def _real_world(app, client, login, ready_product, cohort_with):
    """A real cohort: a producer with a product that has a cleaned photo, a design, a print job and a listing."""
    from studio.catalogue.models import Listing
    from studio.imaging.synthetic import jpeg_bytes, make_photo

    cohort, trainer, (producer,) = cohort_with(1)
    product = ready_product(owner=producer)
    login(producer)
    data = jpeg_bytes(make_photo(3, size=(400, 300), product="box", background="wood").image)
    assert client.post(f"/produk/{product.id}/foto", data={"photo": (io.BytesIO(data), "foto.jpg")},
                       content_type="multipart/form-data").status_code in (200, 302)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    assert db.session.scalar(select(func.count(Listing.id)).where(Listing.product_id == product.id)) == 1
    client.post("/keluar")
    return cohort, trainer, producer, product


def _rows(models_and_filters) -> dict:
    out = {}
    for name, model, where in models_and_filters:
        out[name] = sorted(db.session.scalars(select(model.id).where(where)))
    return out


def test_banner_while_demo_password_lives_and_removal_keeps_the_real_cohort(
        app, client, login, create_user, ready_product, cohort_with):
    from studio import demo
    from studio.auth.models import User
    from studio.catalogue.models import Listing
    from studio.cohorts.models import Cohort
    from studio.designs.models import Design, DesignVersion
    from studio.printing.models import PrintJob
    from studio.products.models import Photo, Product

    demo.seed()
    real_cohort, trainer, producer, product = _real_world(app, client, login, ready_product, cohort_with)
    admin = create_user("admin", username="kepala.hub")
    operator = create_user("hub", username="operator.hub")

    def real_rows():
        return _rows([
            ("cohort", Cohort, Cohort.id == real_cohort.id),
            ("users", User, User.id.in_([producer.id, trainer.id, admin.id, operator.id])),
            ("products", Product, Product.owner_id == producer.id),
            ("photos", Photo, Photo.product_id == product.id),
            ("designs", Design, Design.product_id == product.id),
            ("versions", DesignVersion, DesignVersion.product_id == product.id),
            ("print_jobs", PrintJob, PrintJob.product_id == product.id),
            ("listings", Listing, Listing.product_id == product.id),
        ])
    before = real_rows()
    assert all(before.values()), before
    files_before = _media_files(app)
    demo_ids = set(db.session.scalars(select(User.id).where(User.username.in_(["admin", "bu.sri", "pak.darto"]))))
    demo_products = set(db.session.scalars(select(Product.id).where(Product.owner_id.in_(demo_ids))))
    assert demo_products
    demo_photos = set(db.session.scalars(select(Photo.id).where(Photo.product_id.in_(demo_products))))
    assert any(k.startswith(f"derived/{p}/") for p in demo_photos for k in files_before)

    # the banner: on the hub's pages and the admin's, never on a producer's
    login(operator)
    page = client.get("/hub/").get_data(as_text=True)
    assert BANNER in page and "admin" in page and "Hapus data demo" not in page  # only the admin has the button
    login(producer)
    assert BANNER not in client.get("/produk").get_data(as_text=True)

    # a direct POST by anyone but an admin is refused, and nothing is removed
    for who in (operator, trainer, producer):
        login(who)
        assert client.post("/admin/hapus-data-demo").status_code == 403
    # the demo admin itself may not remove the demo (the hub would be left without a way in)
    r = client.post("/keluar")
    r = client.post("/masuk", data={"login": "admin", "password": demo.DEMO_PASSWORD})
    assert r.status_code == 302
    r = client.post("/admin/hapus-data-demo", follow_redirects=True)
    assert "akun admin Anda sendiri" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Product.id)).where(Product.id.in_(demo_products))) == len(demo_products)

    login(admin)
    page = client.get("/admin").get_data(as_text=True)
    assert BANNER in page and "Hapus data demo" in page
    r = client.post("/admin/hapus-data-demo", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Data demo sudah dihapus" in html and BANNER not in html

    db.session.expire_all()
    assert not db.session.scalar(select(func.count(User.id)).where(User.username.in_([p[0] for p in demo.PEOPLE])))
    assert not db.session.scalar(select(func.count(Cohort.id)).where(Cohort.name == "Pelatihan Desa Pelabuhan"))
    assert not db.session.scalar(select(func.count(Product.id)).where(Product.id.in_(demo_products)))
    assert real_rows() == before
    files_after = _media_files(app)
    real_files = {k: v for k, v in files_before.items() if k in files_after}
    assert len(files_after) < len(files_before)                    # the demo photos went
    for photo_id in demo_photos:                                    # with the files named after them
        assert not any(k.startswith(f"derived/{photo_id}/") for k in files_after)
    assert all(files_after[k] == v for k, v in real_files.items())
    # every file a real row names is still there, byte for byte: the real pages still show them
    for photo in db.session.scalars(select(Photo).where(Photo.product_id == product.id)):
        for key in [photo.original_key, photo.catalogue_key, *(photo.thumb_keys or {}).values()]:
            if key:
                assert key in files_after and files_after[key] == files_before[key]
    listing = db.session.scalars(select(Listing).where(Listing.product_id == product.id)).one()
    assert client.get(f"/p/{listing.public_code}").status_code == 200
    login(producer)
    assert client.get(f"/produk/{product.id}").status_code in (200, 302)


def test_a_demo_account_that_printed_real_labels_is_switched_off_not_deleted(
        app, client, login, create_user, ready_product):
    from studio import demo
    from studio.auth.models import User
    from studio.golive.demo_data import live_demo_accounts, remove_demo
    from studio.printing.models import PrintJob

    demo.seed()
    assert "operator" in live_demo_accounts()
    product = ready_product()
    demo_operator = db.session.scalar(select(User).where(User.username == "operator"))
    job = db.session.scalars(select(PrintJob).where(PrintJob.product_id == product.id)).one()
    job.created_by_id = demo_operator.id   # the hub used the demo operator for a real print
    db.session.commit()
    report = remove_demo(create_user("admin", username="kepala.hub"))
    assert report.kept_accounts == ["operator"] and "admin" in report.deleted_accounts
    db.session.expire_all()
    assert db.session.get(PrintJob, job.id).created_by_id == demo_operator.id
    assert not db.session.get(User, demo_operator.id).active
    assert live_demo_accounts() == []
    r = client.post("/masuk", data={"login": "operator", "password": demo.DEMO_PASSWORD})
    assert r.status_code != 302


def test_init_no_demo_starts_clean(tmp_path):
    from studio import create_app
    from studio.auth.models import User

    fresh = create_app({"TESTING": True, "SECRET_KEY": "t", "JOBS_MODE": "eager", "DEMO_ON_FIRST_START": True,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
                        "MEDIA_DIR": str(tmp_path / "media")})
    result = fresh.test_cli_runner().invoke(args=["studio", "init", "--no-demo"])
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        assert not db.session.scalar(select(func.count(User.id)))
        db.engine.dispose()


def test_the_button_needs_the_csrf_token(app, client, login, create_user):
    from studio.auth.models import User
    from studio.demo import DEMO_PASSWORD

    create_user("producer", username="bu.sri", password=DEMO_PASSWORD)
    admin = create_user("admin", username="kepala.hub")
    login(admin)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/admin/hapus-data-demo").status_code == 400   # no token: refused
        assert db.session.scalar(select(User.id).where(User.username == "bu.sri"))
        html = client.get("/admin").get_data(as_text=True)
        assert BANNER in html
        token = csrf_token(html)
        r = client.post("/admin/hapus-data-demo", data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert r.status_code == 302
    assert not db.session.scalar(select(User.id).where(User.username == "bu.sri"))
    assert BANNER not in client.get("/admin").get_data(as_text=True)
