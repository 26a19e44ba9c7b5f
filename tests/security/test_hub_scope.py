"""The hub operator sees only what printing needs (issue 23, point 5), and no GET changes state
(point 7: the reprint counter). Through HTTP, with the world of conftest.build_world."""
from __future__ import annotations

from studio.extensions import db

from .conftest import SECRET_BUSINESS, SECRET_PRODUCT, login_client


def _unapproved_version(app, world) -> int:
    """A second version of A's label, waiting for the trainer (as after the producer submits a change)."""
    from studio.designs.models import DesignVersion, VersionStatus

    with app.app_context():
        approved = db.session.get(DesignVersion, world.ids["version_id"])
        draft = DesignVersion(design_id=approved.design_id, product_id=approved.product_id, number=approved.number + 1,
                              layout_id=approved.layout_id, layout_snapshot=approved.layout_snapshot,
                              document=approved.document, options=approved.options, style_id=approved.style_id,
                              product_revision_id=approved.product_revision_id, preview_key=approved.preview_key,
                              pdf_key=approved.pdf_key, findings=approved.findings, status=VersionStatus.SUBMITTED,
                              submitted_by_id=approved.submitted_by_id)
        db.session.add(draft)
        db.session.commit()
        vid = draft.id
        db.session.remove()
    return vid


def test_the_hub_operator_gets_404_on_a_producers_drafts_but_still_prints(world_app):
    app, world = world_app
    pid, photo, vid, job = (world.ids[k] for k in ("product_id", "photo_id", "version_id", "job_id"))
    draft = _unapproved_version(app, world)
    hub = login_client(app, world.users["hub_x"])
    hidden = [f"/produk/{pid}", f"/produk/{pid}/data", f"/produk/{pid}/riwayat",
              f"/produk/{pid}/foto/{photo}/berkas/original", f"/produk/{pid}/foto/{photo}/berkas/mask",
              f"/produk/{pid}/desain", f"/produk/{pid}/desain/pratinjau.png", f"/aset/{world.ids['asset_id']}",
              f"/hub/cetak/{draft}", f"/hub/versi/{draft}/pratinjau.png", f"/hub/cetak/{draft}/lembar-1.png",
              f"/tinjauan/versi/{draft}/pratinjau.png", f"/tinjauan/versi/{draft}/label.pdf"]
    for url in hidden:
        r = hub.get(url)
        assert r.status_code == 404, (url, r.status_code)
        assert SECRET_PRODUCT not in r.get_data(as_text=True) and SECRET_BUSINESS not in r.get_data(as_text=True)
    # what printing needs still works: the queue (with the product's name), the approved version's
    # job form and picture, the job page and its PDF
    queue = hub.get("/hub/")
    assert queue.status_code == 200 and SECRET_PRODUCT in queue.get_data(as_text=True)
    assert f"/hub/cetak/{vid}" in queue.get_data(as_text=True)
    assert f"/hub/cetak/{draft}" not in queue.get_data(as_text=True)
    assert hub.get(f"/hub/cetak/{vid}").status_code == 200
    assert hub.get(f"/hub/versi/{vid}/pratinjau.png").mimetype == "image/png"
    assert hub.get(f"/hub/pekerjaan/{job}").status_code == 200
    pdf = hub.get(f"/hub/pekerjaan/{job}/label.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # the producer's trainer still reads what the hub may not
    trainer = login_client(app, world.users["trainer_a"])
    assert trainer.get(f"/produk/{pid}/riwayat").status_code == 200
    assert trainer.get(f"/tinjauan/versi/{draft}/pratinjau.png").status_code == 200


def test_a_reprint_is_counted_only_by_the_post_never_by_a_get(world_app):
    from studio.printing.models import PrintJob

    app, world = world_app
    job = world.ids["job_id"]
    hub = login_client(app, world.users["hub_x"])

    def reprints() -> int:
        with app.app_context():
            n = db.session.get(PrintJob, job).reprints or 0
            db.session.remove()
        return n

    hub.post(f"/hub/pekerjaan/{job}/tercetak")
    page = hub.get(f"/hub/pekerjaan/{job}").get_data(as_text=True)
    assert f'action="/hub/pekerjaan/{job}/cetak-ulang"' in page and "ulang=1" not in page
    before = reprints()
    for _ in range(2):    # an old bookmark, a link preview or a prefetch: a GET only serves the file
        r = hub.get(f"/hub/pekerjaan/{job}/label.pdf?ulang=1")
        assert r.status_code == 200 and r.data.startswith(b"%PDF")
    assert reprints() == before
    r = hub.post(f"/hub/pekerjaan/{job}/cetak-ulang")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/hub/pekerjaan/{job}/label.pdf")
    assert reprints() == before + 1
    assert "sudah diunduh ulang" in hub.get(f"/hub/pekerjaan/{job}").get_data(as_text=True)
    # a producer cannot count a reprint
    producer = login_client(app, world.users["producer_a"])
    assert producer.post(f"/hub/pekerjaan/{job}/cetak-ulang").status_code == 403
    assert reprints() == before + 1


def test_opening_the_review_page_changes_nothing_after_the_data_changed(world_app):
    """The producer's review page shows fresh findings for the current data, but a GET neither
    moves the working design onto the new data nor stores its findings (a POST does that)."""
    from studio.designs.models import Design
    from studio.products.data import save_product_data
    from studio.auth.models import User

    from .conftest import RECORD

    app, world = world_app
    pid, did = world.ids["product_id"], world.ids["design_id"]
    with app.app_context():
        owner = db.session.get(User, world.user_ids["producer_a"])
        save_product_data(owner, pid, dict(RECORD, storage_instructions="Simpan di tempat kering, jauh dari matahari."))
        before = db.session.get(Design, did)
        state = (before.product_revision_id, before.findings, before.blocker_count, before.updated_at)
        db.session.remove()
    page = login_client(app, world.users["producer_a"]).get(f"/produk/{pid}/tinjauan")
    assert page.status_code == 200
    with app.app_context():
        after = db.session.get(Design, did)
        assert (after.product_revision_id, after.findings, after.blocker_count, after.updated_at) == state
        db.session.remove()


def test_showing_a_products_progress_stores_nothing(world_app):
    """The progress bar and the trainer's board are computed on every GET; the cached step is not
    written (which also bumped the product's "last changed" time that orders the lists)."""
    from studio.products.models import Product

    app, world = world_app
    pid = world.ids["product_id"]
    with app.app_context():
        product = db.session.get(Product, pid)
        product.wizard_step = "product"            # a stale cache
        db.session.commit()
        state = (product.wizard_step, product.updated_at)
        db.session.remove()
    producer, trainer = (login_client(app, world.users[k]) for k in ("producer_a", "trainer_a"))
    for client, url in ((producer, "/produk"), (producer, f"/produk/{pid}"), (producer, f"/produk/{pid}/foto"),
                        (trainer, "/pendamping"), (trainer, f"/produk/{pid}/cetak")):
        assert client.get(url).status_code == 200, url
    with app.app_context():
        product = db.session.get(Product, pid)
        assert (product.wizard_step, product.updated_at) == state
        db.session.remove()
    board = trainer.get("/pendamping").get_data(as_text=True)
    assert board.count('class="cell now"') == 1     # where A's product really is, from the facts
