"""Moving or resizing the photo of a photo-led design in the editor (issue 17, found as a new user):
the opaque band the name sits on goes with the picture, the name stays on it and readable, and
nothing of the band or the white panel under the photo is left where the photo was. Read back from
the PDF a producer downloads (image bounds and word boxes from pypdfium2, pixels at 300 dpi)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from studio.designs import services as designs
from studio.labels import LabelDocument
from studio.labels.colors import contrast_ratio
from tests.labels.labels_pdfglyphs import MM_PER_PT, em_overlaps, em_words

DPI = 300
PX = DPI / 25.4
JSON = {"Accept": "application/json"}
NAME = ["Keripik", "Singkong", "Balado"]


def _read(pdf: bytes):
    """(picture boxes, words, RGB raster) of the print-shop PDF's label, in mm from the label's
    top-left corner (the TrimBox)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        h = page.get_height()
        tx0, _ty0, _tx1, ty1 = page.get_trimbox()
        ox, oy = tx0 * MM_PER_PT, (h - ty1) * MM_PER_PT
        boxes = []
        for obj in page.get_objects(max_depth=0):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM and pdfium_c.FPDFFormObj_CountObjects(obj.raw) or \
                    obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                left, bottom, right, top = obj.get_bounds()
                boxes.append((left * MM_PER_PT - ox, (h - top) * MM_PER_PT - oy,
                              right * MM_PER_PT - ox, (h - bottom) * MM_PER_PT - oy))
        im = np.asarray(page.render(scale=DPI / 72).to_pil().convert("RGB")).astype(int)
    finally:
        doc.close()
    words = [replace(w, x0=w.x0 - ox, x1=w.x1 - ox, y0=w.y0 - oy, y1=w.y1 - oy, baseline=w.baseline - oy)
             for w in em_words(pdf)]
    return boxes, words, im, (ox, oy)


def _crop(im, off, x0, y0, x1, y1):
    ox, oy = off
    return im[round((y0 + oy) * PX):round((y1 + oy) * PX), round((x0 + ox) * PX):round((x1 + ox) * PX)].reshape(-1, 3)


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(int(v) for v in rgb)


def _serious(design) -> set[tuple[str, str]]:
    return {(f.get("rule_id"), f.get("tag")) for f in design.findings or []
            if str(f.get("severity")).upper() in ("BLOCKER", "ERROR")}


def _name_words(words):
    first = [w.text for w in words].index("Keripik")
    name = words[first:first + 3]
    assert [w.text for w in name] == NAME
    return name


def test_a_moved_and_resized_photo_takes_its_name_band_along(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    url = f"/produk/{product.id}/desain"
    client.post(url, data={"action": "start", "layout_id": "avery-l7165", "style_id": "foto"})
    design = designs.find_design(product)
    start_doc, start_serious, start_preset = design.document, _serious(design), design.options["preset"]
    old = next(it.box for it in LabelDocument.from_dict(design.document).items if it.tag == "photo")
    assert old.w_mm > 90        # the picture across the label's width, the name on a band at its foot

    # the producer drags the photo into the right half and makes it narrower (what design.js posts)
    new = {"x_mm": 45.0, "y_mm": old.y_mm, "w_mm": 52.0, "h_mm": round(old.h_mm, 1)}
    r = client.post(url, data={"action": "move", "tag": "photo", **{k: str(v) for k, v in new.items()}},
                    headers=JSON)
    assert r.status_code == 200, r.get_json()
    design = designs.find_design(product)
    assert "photo.band" not in design.options["overrides"]        # the band is not a move of its own
    pdf = client.get(f"{url}/label.pdf").data
    boxes, words, im, off = _read(pdf)
    x0, y0, x1, y1 = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    assert abs(x0 - 45.0) < 0.2 and abs(x1 - 97.0) < 0.2, (x0, x1)

    # the name is printed on the moved picture, in its lower part
    name = _name_words(words)
    for w in name:
        assert x0 - 0.1 <= w.x0 and w.x1 <= x1 + 0.1 and (y0 + y1) / 2 <= w.y0 and w.y1 <= y1 + 0.1, w
    # on an opaque band of one colour that contrasts with the name's ink
    px = _crop(im, off, min(w.x0 for w in name), min(w.y0 for w in name), max(w.x1 for w in name),
               max(w.y1 for w in name))
    colours, counts = np.unique(px // 4, axis=0, return_counts=True)
    order = counts.argsort()[::-1]
    band = colours[order[0]] * 4 + 2
    ink = next(colours[i] * 4 + 2 for i in order[1:] if np.abs(colours[i] * 4 + 2 - band).sum() > 200)
    assert (np.abs(px - band).sum(axis=1) <= 12).mean() >= 0.45
    assert contrast_ratio(_hex(ink), _hex(band)) >= 4.5, (_hex(ink), _hex(band))

    # where the photo and its band were (left of the moved photo): the plain label colour only
    label_bg = np.array([int(design.document["background"][i:i + 2], 16) for i in (1, 3, 5)])
    left = _crop(im, off, old.x_mm + 0.3, old.y_mm + 0.3, 44.7, old.bottom_mm - 0.3)
    assert (np.abs(left - label_bg).sum(axis=1) <= 12).mean() >= 0.995
    assert not (np.abs(left - band).sum(axis=1) <= 12).any()       # no stray band
    assert not em_overlaps(words)
    # the move adds no blocker or error; the name passes its contrast check (LEG-02)
    assert _serious(design) <= start_serious, _serious(design) - start_serious
    assert not [f for f in design.findings if f.get("tag") in ("pdp.name", "variant", "brand")
                and str(f.get("severity")).upper() in ("BLOCKER", "ERROR")]

    # other editor commands still work on the moved photo: nudge the name, change colours
    r = client.post(url, data={"action": "move", "tag": "pdp.name", "nudge": "0,-1,0,0"}, headers=JSON)
    assert r.status_code == 200, r.get_json()
    r = client.post(url, data={"action": "colours", "preset": "laut"}, headers=JSON)
    assert r.status_code == 200, r.get_json()
    design = designs.find_design(product)
    assert set(design.options["overrides"]) == {"photo", "pdp.name"}
    doc = LabelDocument.from_dict(design.document)
    assert next(it.box for it in doc.items if it.tag == "photo").x_mm == 45.0
    bands = [it.box for it in doc.items if it.tag == "photo.band"]
    assert bands and all(b.x_mm >= 45.0 - 1e-6 for b in bands)     # the band and the brand tab went too

    # undo ("reset the positions"): the design as it started, band and all
    r = client.post(url, data={"action": "reset_moves"}, headers=JSON)
    assert r.status_code == 200, r.get_json()
    r = client.post(url, data={"action": "colours", "preset": start_preset}, headers=JSON)
    assert r.status_code == 200, r.get_json()
    design = designs.find_design(product)
    assert design.options["overrides"] == {} and design.document == start_doc


def test_a_stored_band_move_from_before_is_ignored_and_the_band_stays_on_the_photo(app, make_ready_product):
    """A design saved while the band was stored as a move of its own renders with the band on the photo."""
    with app.test_request_context():
        product = make_ready_product()
        d = designs.start_design(product.owner, product.id, "a4-nup-2x2-94x134", "foto")
        first = d.document
        photo = next(it.box for it in LabelDocument.from_dict(d.document).items if it.tag == "photo")
        stale = {"photo": {"x_mm": 20.0, "y_mm": photo.y_mm, "w_mm": 71.5, "h_mm": 36.0},
                 "photo.band": {"x_mm": 2.5, "y_mm": 60.0, "w_mm": 89.0, "h_mm": 10.0}}
        d.options = {**d.options, "overrides": stale}
        d = designs.update_design(product.owner, d.id, designs.DesignChanges())
        doc = LabelDocument.from_dict(d.document)
        P = next(it.box for it in doc.items if it.tag == "photo")
        assert (P.x_mm, P.w_mm, P.h_mm) == (20.0, 71.5, 36.0)
        band = next(it.box for it in doc.items if it.tag == "photo.band")
        name = next(it.box for it in doc.items if it.tag == "pdp.name")
        assert band.x_mm == P.x_mm and abs(band.bottom_mm - P.bottom_mm) < 1e-6 and band.w_mm == P.w_mm
        assert band.x_mm <= name.x_mm and name.right_mm <= band.right_mm and band.y_mm <= name.y_mm
        # the photo switched off and on again: no band without the photo, then back on the moved box
        d = designs.update_design(product.owner, d.id, designs.DesignChanges(options={"show_photo": False}))
        doc = LabelDocument.from_dict(d.document)
        assert not [it for it in doc.items if it.tag.startswith("photo") or getattr(it, "fill", None) == "#FFFFFF"]
        d = designs.update_design(product.owner, d.id, designs.DesignChanges(options={"show_photo": True}))
        doc = LabelDocument.from_dict(d.document)
        assert [it.box.x_mm for it in doc.items if it.tag.startswith("photo")] == [20.0, 20.0, 20.0]
        # a photo made too small for the name: the editor says the name does not fit (not a silent cut)
        d = designs.update_design(product.owner, d.id, designs.DesignChanges(
            move=("photo", {"x_mm": 70.0, "y_mm": 2.5, "w_mm": 10.0, "h_mm": 8.0})))
        assert any(f.get("tag") == "pdp.name" and str(f.get("severity")).upper() in ("BLOCKER", "ERROR")
                   for f in d.findings)
        d = designs.update_design(product.owner, d.id, designs.DesignChanges(reset_moves=True))
        assert d.document == first


def _band_around(im, off, words, near_mm: float = 0.3, far_mm: float = 0.6):
    """(band colour, ink colour, share of band colour round the words): the words' box and a ring
    from ``near_mm`` (clear of ascenders above the em box) to ``far_mm`` round it, read from the raster."""
    x0, y0 = min(w.x0 for w in words), min(w.y0 for w in words)
    x1, y1 = max(w.x1 for w in words), max(w.y1 for w in words)
    px = _crop(im, off, x0, y0, x1, y1)
    colours, counts = np.unique(px // 4, axis=0, return_counts=True)
    order = counts.argsort()[::-1]
    band = colours[order[0]] * 4 + 2
    ink = next(colours[i] * 4 + 2 for i in order[1:] if np.abs(colours[i] * 4 + 2 - band).sum() > 200)
    n, f = near_mm, far_mm
    ring = np.concatenate([_crop(im, off, x0 - f, y0 - f, x1 + f, y0 - n), _crop(im, off, x0 - f, y1 + n, x1 + f, y1 + f),
                           _crop(im, off, x0 - f, y0, x0 - n, y1), _crop(im, off, x1 + n, y0, x1 + f, y1)])
    return band, ink, (np.abs(ring - band).sum(axis=1) <= 12).mean()


def _start_photo_led(client, login, make_ready_product):
    """A ready product's photo-led design on L7165, started through the editor as its owner:
    ``(product, editor url, design, its serious findings, document items, the photo's box)``."""
    product = make_ready_product()
    login(product.owner)
    url = f"/produk/{product.id}/desain"
    client.post(url, data={"action": "start", "layout_id": "avery-l7165", "style_id": "foto"})
    design = designs.find_design(product)
    items = LabelDocument.from_dict(design.document).items
    photo = next(it.box for it in items if it.tag == "photo")
    return product, url, design, _serious(design), items, photo


def test_a_moved_or_resized_name_takes_its_band_and_variant_along(app, client, login, make_ready_product):
    """Moving only the product name (not the photo) of a photo-led design: the name's band and the
    variant on it go with the name, nothing of the band stays at the picture's foot. Read back from
    the downloaded PDF: name and variant on one flat band colour all round, contrast >= 4.5, no words
    over words, no new BLOCKER or ERROR."""
    product, url, design, start_serious, items, photo = _start_photo_led(client, login, make_ready_product)
    old_band = next(it.box for it in items if it.tag == "photo.band" and it.box.w_mm > 50)
    old_name = next(it.box for it in items if it.tag == "pdp.name")

    # 1: dragged up under the brand tab, same size (the variant stays at its right end);
    # 2: made narrower and moved right (no room at its right end: the variant goes under it)
    top = photo.y_mm + 5.5
    assert top + old_name.h_mm + 1.0 < old_band.y_mm, (photo, old_band)
    for new in ({"x_mm": old_name.x_mm, "y_mm": top, "w_mm": old_name.w_mm, "h_mm": old_name.h_mm},
                {"x_mm": 40.0, "y_mm": top, "w_mm": 50.0, "h_mm": old_name.h_mm}):
        r = client.post(url, data={"action": "move", "tag": "pdp.name", **{k: str(v) for k, v in new.items()}},
                        headers=JSON)
        assert r.status_code == 200, r.get_json()
        design = designs.find_design(product)
        assert set(design.options["overrides"]) == {"pdp.name"}     # the band is not a move of its own
        _pdf = client.get(f"{url}/label.pdf").data
        _boxes, words, im, off = _read(_pdf)
        name = _name_words(words)
        assert all(new["x_mm"] - 0.1 <= w.x0 and w.x1 <= new["x_mm"] + new["w_mm"] + 0.1
                   and new["y_mm"] - 0.1 <= w.y0 and w.y1 <= new["y_mm"] + new["h_mm"] + 0.1 for w in name), name
        variant = [w for w in words if w.text in ("Pedas", "Manis")]
        assert [w.text for w in variant] == ["Pedas", "Manis"]
        band, ink, ring = _band_around(im, off, name + variant)
        assert ring >= 0.97, ring                   # name and variant on the band, all round
        assert contrast_ratio(_hex(ink), _hex(band)) >= 4.5, (_hex(ink), _hex(band))
        # the picture's foot, where the band was (below the new band: name, variant line, padding):
        # no band there any more, the picture shows
        foot_top = max(old_band.y_mm, new["y_mm"] + new["h_mm"] + 4.0) + 0.5
        foot = _crop(im, off, photo.x_mm + 0.5, foot_top, photo.right_mm - 0.5, old_band.bottom_mm - 0.5)
        assert (np.abs(foot - band).sum(axis=1) <= 12).mean() < 0.02
        assert not em_overlaps(words)
        assert _serious(design) <= start_serious, _serious(design) - start_serious
        assert not [f for f in design.findings if f.get("tag") in ("pdp.name", "variant")
                    and str(f.get("severity")).upper() in ("BLOCKER", "ERROR")]
    # the second move put the variant under the name
    assert min(w.y0 for w in variant) >= max(w.y1 for w in name) - 0.2


def test_a_variant_moved_alone_takes_a_piece_of_the_band_along(app, client, login, make_ready_product):
    """Moving only the variant of a photo-led design (up onto the picture), then the name too: the
    variant keeps the band colour all round wherever it goes, the name keeps its own band, nothing of
    the variant stays where it was. Read back from the downloaded PDF: band colour all round each,
    contrast >= 4.5, no words over words, no new BLOCKER or ERROR."""
    product, url, design, start_serious, items, photo = _start_photo_led(client, login, make_ready_product)
    old_var = next(it.box for it in items if it.tag == "variant")
    old_name = next(it.box for it in items if it.tag == "pdp.name")
    # 1: the variant dragged up onto the picture's right half, same size; 2: then the name dragged up
    # under the brand tab and made narrower, left of the variant
    var = {"x_mm": photo.x_mm + 48.0, "y_mm": photo.y_mm + 4.5, "w_mm": old_var.w_mm, "h_mm": old_var.h_mm}
    name = {"x_mm": old_name.x_mm, "y_mm": photo.y_mm + 5.5, "w_mm": 40.0, "h_mm": old_name.h_mm}
    assert var["y_mm"] + var["h_mm"] + 2 * 0.9 < old_name.y_mm - 0.9                 # clear of the old band
    assert name["x_mm"] + name["w_mm"] + 2 * 0.9 < var["x_mm"] and var["x_mm"] + var["w_mm"] < photo.right_mm
    for tag, new in (("variant", var), ("pdp.name", name)):
        r = client.post(url, data={"action": "move", "tag": tag, **{k: str(v) for k, v in new.items()}},
                        headers=JSON)
        assert r.status_code == 200, r.get_json()
        design = designs.find_design(product)
        assert "photo.band" not in design.options["overrides"]      # the band is not a move of its own
        _boxes, words, im, off = _read(client.get(f"{url}/label.pdf").data)
        variant = [w for w in words if w.text in ("Pedas", "Manis")]
        assert [w.text for w in variant] == ["Pedas", "Manis"]      # once: none left at its old place
        assert all(var["x_mm"] - 0.1 <= w.x0 and w.x1 <= var["x_mm"] + var["w_mm"] + 0.1
                   and var["y_mm"] - 0.1 <= w.y0 and w.y1 <= var["y_mm"] + var["h_mm"] + 0.1 for w in variant)
        for group in (variant, _name_words(words)):
            band, ink, ring = _band_around(im, off, group)
            assert ring >= 0.97, (tag, [w.text for w in group], ring)       # on the band, all round
            assert contrast_ratio(_hex(ink), _hex(band)) >= 4.5, (_hex(ink), _hex(band))
        assert not em_overlaps(words)
        assert _serious(design) <= start_serious, _serious(design) - start_serious
        assert not [f for f in design.findings if f.get("tag") in ("pdp.name", "variant")
                    and str(f.get("severity")).upper() in ("BLOCKER", "ERROR")]
    # the name's band went with the name: the picture's foot shows no band any more
    foot = _crop(im, off, photo.x_mm + 0.5, name["y_mm"] + name["h_mm"] + 1.5, photo.right_mm - 0.5,
                 photo.bottom_mm - 0.5)
    assert (np.abs(foot - band).sum(axis=1) <= 12).mean() < 0.02
