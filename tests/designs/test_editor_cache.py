"""The design editor's caches (issue 20): a cached preview is the same picture a fresh render gives
and still the label's PDF rasterised; whatever changes the label changes the key; the cache folder
stays under its bound; the stock advice is computed by a job while the page shows "checking"; the
same permissions as before."""
from __future__ import annotations

import io
import os
import time

import numpy as np
from designs_pdfread import raster
from PIL import Image

from studio import cache, jobs
from studio.designs import advisor
from studio.designs import render as design_render
from studio.designs import services as designs
from studio.designs.prepare import findings_key, prepare_design
from studio.labels import render_label_pdf


def _start(client, product, layout="avery-l7165", style="bersih"):
    r = client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": layout, "style_id": style})
    assert r.status_code == 302
    return designs.find_design(product)


def _cached_files(space: str) -> list:
    base = cache.root() / space
    return [p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")] if base.is_dir() else []


def test_a_cached_preview_is_the_fresh_render_and_the_pdf_rasterised(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    design = _start(client, product)
    first = client.get(f"/produk/{product.id}/desain/pratinjau.png").data
    assert len(_cached_files("previews")) == 1
    again = client.get(f"/produk/{product.id}/desain/pratinjau.png").data     # from the cache
    for p in _cached_files("previews"):
        p.unlink()
    fresh = design_render.render_preview_png(design)                           # rendered anew
    assert again == first == fresh
    # what the producer sees is the label's PDF rasterised (read back with pypdfium2 here)
    r = prepare_design(design)
    pdf = render_label_pdf(r.label, r.layout, bleed_mm=0.0, crop_marks=False, show_outline=True)
    seen = np.asarray(Image.open(io.BytesIO(again)).convert("L"), dtype=int)
    printed = np.asarray(raster(pdf, dpi=design_render.preview_dpi(r.layout)), dtype=int)
    assert seen.shape == printed.shape and np.abs(seen - printed).mean() < 0.5


def test_what_changes_the_label_changes_the_key(app, client, login, make_ready_product):
    from studio.products.services import add_revision

    product = make_ready_product()
    login(product.owner)
    design = _start(client, product)

    def keys():
        r = prepare_design(designs.find_design(product), compose_now=False)
        return design_render.preview_key(r, 150), findings_key(r)

    seen = [keys()]
    assert keys() == seen[0]                      # same inputs, same key
    for data in ({"action": "stock", "layout_id": "avery-l7160"}, {"action": "style", "style_id": "premium"},
                 {"action": "fields", "show_photo": "y", "show_qr": "y", "show_price": "y"}):
        r = client.post(f"/produk/{product.id}/desain", data=data, headers={"Accept": "application/json"})
        assert r.status_code == 200, r.get_json()
        seen.append(keys())
    # a changed product value (the price) on the design's data
    add_revision(product.owner, product, {**product.current_revision.data, "price_idr": 17500},
                 complete_label=True, percent=100)
    client.post(f"/produk/{product.id}/desain", data={"action": "refresh"}, headers={"Accept": "application/json"})
    seen.append(keys())
    previews, findings = [k[0] for k in seen], [k[1] for k in seen]
    assert len(set(previews)) == len(previews) and len(set(findings)) == len(findings)
    # a style thumbnail is another picture than the design's own preview
    r = prepare_design(designs.find_design(product), compose_now=False)
    assert design_render.preview_key(r, 110) != design_render.preview_key(r, 150)
    assert design is not None


def test_a_full_cache_folder_is_trimmed_least_recently_used_first(app):
    now = time.time()
    for i in range(10):
        cache.put_bytes("previews", f"{i:02d}" + "a" * 62, b"x" * 100_000)
        os.utime(cache.root() / "previews" / f"{i:02d}" / (f"{i:02d}" + "a" * 62), (now - 1000 + i, now - 1000 + i))
    assert cache.get_bytes("previews", "00" + "a" * 62) == b"x" * 100_000      # the oldest, used just now
    removed = cache.trim(limit=500_000)
    left = {p.name[:2] for p in _cached_files("previews")}
    total = sum(p.stat().st_size for p in _cached_files("previews"))
    assert removed == 6 and total <= 500_000 * cache.TRIM_TO
    assert left == {"00", "07", "08", "09"}               # the one just used stays, the oldest go
    assert cache.trim(limit=500_000) == 0                 # under the bound: nothing more
    assert cache.get_bytes("previews", "01" + "a" * 62) is None


def test_the_page_shows_checking_while_a_job_computes_the_advice(app, client, login, make_ready_product,
                                                                 monkeypatch):
    product = make_ready_product()
    login(product.owner)
    sent: list[int] = []
    monkeypatch.setitem(app.config, "JOBS_MODE", "local")
    monkeypatch.setattr(jobs, "dispatch", lambda job_id: sent.append(job_id))     # the pool, held back
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "Sedang memeriksa kertas" in html and "badge err advice-nofit" not in html
    assert 'name="layout_id" value="' in html and 'checked' not in html.split('name="layout_id"', 1)[1].split(">")[0]
    assert len(sent) == 1                                  # one job for this product and these choices
    r = client.get(f"/produk/{product.id}/desain/kertas", headers={"Accept": "application/json"})
    assert r.status_code == 202 and r.get_json() == {"ready": False} and len(sent) == 1   # not twice
    job = jobs.run_job(sent[0])
    assert job.status == "done", job.error
    r = client.get(f"/produk/{product.id}/desain/kertas", headers={"Accept": "application/json"})
    body = r.get_json()
    assert r.status_code == 200 and body["ready"] and "badge err advice-nofit" in body["html"]   # judged cards
    with app.test_request_context():
        assert [a.to_dict() for a in advisor.cached_advice(product)] == \
            [a.to_dict() for a in advisor.advise(product)]
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)      # now the page has it
    assert "Sedang memeriksa kertas" not in html and "badge err advice-nofit" in html
    assert f'value="{body["default_layout"]}" checked' in html
    # the same answer for every worker: it is read back from the disk cache
    advisor.clear_cache()
    assert len(_cached_files(advisor.DISK_SPACE)) == 0


def test_permissions_are_unchanged_with_the_caches(app, client, login, make_ready_product, cohort_with):
    cohort, trainer, (owner, other) = cohort_with(2)
    product = make_ready_product(owner)
    login(owner)
    _start(client, product)
    base = f"/produk/{product.id}/desain"
    assert client.get(base + "/pratinjau.png").status_code == 200      # now cached
    assert client.get(base + "/kertas").status_code == 200
    login(other)
    for path in (base + "/pratinjau.png", base + "/gaya/premium.png", base + "/kertas", base + "?saran=1"):
        assert client.get(path).status_code == 404, path
    client.post("/keluar")
    r = client.get(base + "/kertas")
    assert r.status_code == 302 and "/masuk" in r.headers["Location"]
    login(trainer)
    assert client.get(base + "/kertas").status_code == 200
    assert client.get(base + "/pratinjau.png").status_code == 200


def test_the_ticker_trims_and_removes_the_old_unbounded_preview_folder(app, monkeypatch):
    from studio.media import media

    media().put("previews/1/" + "b" * 40 + ".png", b"old")
    cache.put_bytes("previews", "c" * 64, b"new")
    monkeypatch.setattr(cache, "TICKER_TRIM_EVERY_S", 0.0)     # due now
    assert cache.trim_now_and_then() == 0                       # under its bound: the cache is kept
    assert not media().exists("previews/1/" + "b" * 40 + ".png")
    assert cache.get_bytes("previews", "c" * 64) == b"new"


def test_a_change_draws_its_preview_so_the_next_get_draws_nothing(app, client, login, make_ready_product,
                                                                  monkeypatch):
    """With several server processes (the scaled stack) the editor's change (JSON) leaves the new
    preview in the shared cache: the GET that follows (on any process) draws nothing, and shows the
    same picture a fresh render gives."""
    from studio.designs import prepare as design_prepare

    assert app.config.get("EDITOR_PREVIEW_WITH_CHANGE") is None       # default: on with Celery jobs only
    monkeypatch.setitem(app.config, "EDITOR_PREVIEW_WITH_CHANGE", True)
    product = make_ready_product()
    login(product.owner)
    _start(client, product)
    r = client.post(f"/produk/{product.id}/desain", data={"action": "style", "style_id": "premium"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.get_json()["ok"]
    design_prepare._composed.clear()            # another process: nothing composed in its memory

    def no_drawing(*_a, **_kw):
        raise AssertionError("the preview was drawn again")

    with monkeypatch.context() as m:
        m.setattr(design_render, "rasterise_png", no_drawing)
        m.setattr(design_prepare, "compose", no_drawing)
        shown = client.get(r.get_json()["preview_url"])
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    for p in _cached_files("previews"):
        p.unlink()
    assert shown.data == design_render.render_preview_png(designs.find_design(product))
    # a refused change draws nothing and says why
    r = client.post(f"/produk/{product.id}/desain", data={"action": "style", "style_id": "no-such-style"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 400 and not r.get_json()["ok"]
