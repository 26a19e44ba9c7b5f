"""A fresh server process warms itself (gunicorn.conf.py post_worker_init -> studio.warm) so the first
editor open on it is not slow; the warm-up changes nothing a user sees."""
from __future__ import annotations

import gc
import logging
import weakref

from studio.warm import freeze_heap, warm_process


def test_warm_up_composes_a_label_and_leaves_the_editor_as_it_was(app, client, login, make_ready_product, caplog):
    product = make_ready_product()
    login(product.owner)
    assert client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "avery-l7160",
                                                             "style_id": "bersih"}).status_code == 302
    before = client.get(f"/produk/{product.id}/desain/pratinjau.png").data
    with caplog.at_level(logging.WARNING, logger="studio.warm"):
        seconds = warm_process(app)
    assert set(seconds) == {"templates", "code_version", "label", "fonts", "jobs_sender"} and not caplog.records, caplog.text
    page = client.get(f"/produk/{product.id}/desain")
    assert page.status_code == 200 and "Atur posisi" in page.get_data(as_text=True)
    assert client.get(f"/produk/{product.id}/desain/pratinjau.png").data == before


def test_warm_up_of_an_empty_studio_is_quiet(app, caplog):
    with caplog.at_level(logging.WARNING, logger="studio.warm"):
        assert set(warm_process(app)) == {"templates", "code_version", "label", "fonts", "jobs_sender"}
    assert not caplog.records


class _Node:
    pass


def test_freeze_heap_keeps_what_lives_and_frees_what_the_warm_up_left_behind():
    """gunicorn.conf.py freezes a warmed worker's heap (full collections stalled its pages); what is
    still in use is frozen, cyclic garbage from before is freed first, not kept for the process's life."""
    gc.disable()                        # no automatic collection frees it before freeze_heap does
    garbage = _Node()
    garbage.self = garbage              # a reference cycle nothing points to: only the collector frees it
    gone = weakref.ref(garbage)
    kept = {"kept": [1, 2, 3]}
    del garbage
    before = gc.get_freeze_count()
    try:
        assert freeze_heap() >= 0
        assert gone() is None
        assert gc.get_freeze_count() > before and kept["kept"] == [1, 2, 3]
    finally:
        gc.unfreeze()
        gc.enable()
