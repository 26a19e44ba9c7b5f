"""Template families (issue 17) in the pure engine: each adapts to every stock in label_layouts/ and to
the panels of a label set, and on a thermal stock prints only pure black and white dots."""
from __future__ import annotations

import numpy as np

from labels_pdfglyphs import printer_dots
from studio.labels import STYLES, DesignOptions, compose, make_document, render_label_pdf

FAMILIES = [sid for sid, s in STYLES.items() if s.family]


def test_each_family_fits_every_stock_and_both_panels_of_a_set(layouts, fonts, values, photo):
    """On every stock shape and size, as a label of its own and as the front and back sticker of a
    set, a family cuts no text and shrinks no QR code that the classic style keeps (compose errors:
    a tiny back sticker cannot hold a whole ingredient list in any style); families differ in
    layout, not only in colour."""
    opts = DesignOptions(show_nutrition=False)
    bad = []
    shapes = {}
    for lay in layouts.values():
        panels = ("", "front", "back") if lay.shape == "rect" and not lay.thermal else ("",)
        for panel in panels:
            classic = compose(make_document("bersih", lay, opts, panel=panel), lay, values, fonts, {"photo": photo})
            allowed = {(p.code, p.tag) for p in classic.errors}
            for fam in FAMILIES:
                doc = make_document(fam, lay, opts, panel=panel)
                lab = compose(doc, lay, values, fonts, {"photo": photo})
                errors = [(p.code, p.tag) for p in lab.errors if (p.code, p.tag) not in allowed]
                if errors:
                    bad.append((fam, lay.id, panel, errors))
                if lay.id == "avery-l7160" and not panel:
                    shapes[fam] = tuple(sorted((i.tag, round(i.box.x_mm), round(i.box.w_mm))
                                               for i in doc.items if i.tag in ("pdp.name", "photo", "qr")))
    assert not bad, bad
    assert len(set(shapes.values())) >= 4, shapes     # name/photo/QR geometry: not one layout in six skins


def test_every_family_on_a_thermal_roll_is_pure_black_and_white_at_the_heads_dpi(layouts, fonts, values, photo):
    for layout_id in ("thermal-50x30", "thermal-100x150"):
        lay = layouts[layout_id]
        for fam in FAMILIES:
            lab = compose(make_document(fam, lay), lay, values, fonts, {"photo": photo})
            dots = printer_dots(render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False), lay.printer_dpi or 203)
            assert set(np.unique(dots).tolist()) <= {0, 255}, (fam, layout_id)
            assert (dots == 0).mean() > 0.02, (fam, layout_id)


def test_each_family_has_a_place_for_the_photo_and_the_logo(layouts):
    """With show_photo and show_logo on, every family places both on the sheet stocks (a photo-led
    family's picture first) and on a thermal roll label whose net quantity is one line."""
    from dataclasses import replace

    on = DesignOptions(show_photo=True, show_logo=True)
    for layout_id, caps in (("avery-l7160", (3.0, 4.0)), ("avery-l7163", (3.0, 4.0)), ("avery-l7165", (3.0, 4.0)),
                            ("thermal-50x30", (3.0,))):
        for fam in FAMILIES:
            for cap in caps:
                doc = make_document(fam, layouts[layout_id], replace(on, net_qty_cap_mm=cap))
                keys = {getattr(i, "image_key", None) for i in doc.items}
                assert {"photo", "logo"} <= keys, (fam, layout_id, cap, keys)


def test_a_small_single_sticker_holds_every_mandatory_item_when_they_fit(layouts, fonts, values):
    """A single sticker is the product's only label: when the information block fits at the legal
    sizes (``info_lengths``) every family prints it all on L7160 and on a 60 mm round label (read back
    from the PDF, nothing cut, no words over words), with the stamping box; a QR code only where it
    keeps its scannable minimum (it decodes). With a block too long for the sticker it stays a front
    label and asks for a back label (what is missing is the preflight's to report)."""
    import pypdfium2 as pdfium
    import zxingcpp
    from dataclasses import replace

    from labels_pdfglyphs import em_overlaps, em_words
    from studio.labels.arrange import info_lengths

    values.update(ingredients="Singkong (70%), minyak sawit, garam, <b>kacang tanah</b>",
                  storage="Simpan di tempat sejuk dan kering.", nutrition="")
    opts = DesignOptions(show_nutrition=False, show_photo=False, net_qty_cap_mm=3.0,
                         info_lengths=info_lengths(values, nutrition=False))
    must = ("2063517010012-29", "ID35110000123450923", "Singkong", "kacang", "alergen:", "sejuk", "sebelum:",
            "Plandaan", "250")
    bad = []
    for layout_id in ("avery-l7160", "round-60mm-a4", "avery-l7163"):
        lay = layouts[layout_id]
        for fam in FAMILIES:
            doc = make_document(fam, lay, opts)
            lab = compose(doc, lay, values, fonts, {})
            pdf = render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False)
            words = em_words(pdf)
            text = " ".join(w.text for w in words)
            missing = [m for m in must if m not in text]
            if missing or lab.errors or "needs_back_label" in doc.flags or not doc.find("expiry_box"):
                bad.append((fam, layout_id, missing, [(p.code, p.tag) for p in lab.errors]))
            if em_overlaps(words):
                bad.append((fam, layout_id, "overlap"))
            if doc.find("qr"):
                d = pdfium.PdfDocument(pdf)
                im = np.asarray(d[0].render(scale=300 / 72).to_pil().convert("L"))
                d.close()
                if [r.text for r in zxingcpp.read_barcodes(im)] != [values["url"]]:
                    bad.append((fam, layout_id, "qr"))
            elif layout_id == "avery-l7163":
                bad.append((fam, layout_id, "a wide sticker with room keeps the QR code"))
    assert not bad, bad
    long = make_document("segar", layouts["avery-l7160"], replace(opts, info_lengths=(30, 0, 900)))
    assert not long.find("ingredients") and not long.find("expiry_box")
    assert make_document("segar", layouts["thermal-50x30"], replace(opts, info_lengths=(30, 0, 900))).flags == \
        ("needs_back_label",)
