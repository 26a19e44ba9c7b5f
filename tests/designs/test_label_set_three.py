"""A set of three stickers (front + back 1 + back 2) for the products whose front + back pair does
not hold everything on a small stock: keripik and nastar (~340 characters of ingredients plus the
nutrition information) on a 50 x 30 mm roll label (no room on the pair's back for the 16 mm QR a
203 dpi printer needs) and on a 60 mm round sticker (~560 back characters do not fit one circle).

The information flows from back 1 (ingredients, allergens, storage) to back 2 (nutrition and the
QR). Read back from the PDFs: nothing blocks, no words over words, the principal-panel items on the
front, the QR on back 2 only and scannable, the thermal stickers pure black and white at 203 dpi;
the advisor proposes the set, and a roll job prints front, back 1, back 2 in order.

Lean: three sampled cells here; the whole matrix (every product x family x stock) is measured by
hand (see the commit messages)."""
from __future__ import annotations

import re
from datetime import date

import numpy as np
from sqlalchemy import select

from studio.labels import render_label_pdf
from tests.designs.test_template_families import _render, demo, overlapping_words, qr_texts  # noqa: F401
from tests.labels.labels_pdfglyphs import em_words, printer_dots

THREE = "front_back_back"
CELLS = (("Keripik Singkong Balado", "tipografi", "thermal-50x30"), ("Kue Kering Nastar", "termal", "thermal-50x30"),
         ("Kue Kering Nastar", "warisan", "round-60mm-a4"))
#: what a reader finds on each sticker (the principal-panel items on the front)
ON = {"front": ("Berat Bersih", "P-IRT", "Diproduksi", "Halal", "Baik digunakan"),
      "back": ("Komposisi", "Mengandung alergen", "Simpan"), "back2": ("Informasi Nilai Gizi",)}


def _words(pdf: bytes) -> str:
    return " ".join(w.text for w in em_words(pdf))


def _severe(findings) -> list:
    return [(f.rule_id, f.msg.en[:80]) for f in findings if str(f.severity).upper().endswith(("BLOCKER", "ERROR"))]


def test_three_stickers_hold_what_the_pair_cannot(app, demo):
    by_name = {p.name: p for p in demo}
    for name, family, layout_id in CELLS:
        _check_cell(app, by_name[name], family, layout_id)


def _check_cell(app, product, family: str, layout_id: str) -> None:
    cell = (product.name, family, layout_id)
    pair, lay, pair_findings = _render(app, product, family, layout_id, "front_back")
    pair_qr = [c for lab in pair.panels.values()
               for c in qr_texts(render_label_pdf(lab, lay, bleed_mm=0.0, crop_marks=False))]
    assert _severe(pair_findings) or pair_qr != [pair.values["url"]], (cell, "the pair holds everything")

    r, lay, findings = _render(app, product, family, layout_id, THREE)
    assert r.is_set and list(r.panels) == ["front", "back", "back2"]
    assert not _severe(findings), (cell, _severe(findings))
    for panel, lab in r.panels.items():
        pdf = render_label_pdf(lab, lay, bleed_mm=0.0, crop_marks=False)
        assert not overlapping_words(pdf), (cell, panel, overlapping_words(pdf)[:3])
        text = _words(pdf)
        assert all(w in text for w in ON[panel]), (cell, panel, text[:200])
        assert qr_texts(pdf) == ([r.values["url"]] if panel == "back2" else []), (cell, panel)
        if lay.thermal:             # the dots a 203 dpi head burns: black and white only
            dots = printer_dots(pdf, lay.printer_dpi or 203)
            assert set(np.unique(dots).tolist()) <= {0, 255}, (cell, panel)


def test_the_advisor_proposes_three_stickers_and_a_roll_prints_them_in_order(app, demo, create_user, client,
                                                                              login):
    """Keripik on a 50 x 30 mm roll: neither one label nor the pair holds everything, the set of
    three does; started from that advice, the producer's design is clean, and the roll job sends
    three pictures once and prints front, back 1, back 2 per pack, the batch in the front's box; the
    job page says how many stickers that is."""
    from studio.auth.models import User
    from studio.designs import advisor
    from studio.designs import services as designs
    from studio.extensions import db
    from studio.printing.render import render_job_zpl
    from studio.printing.services import create_print_job, save_printer
    from studio.review import services as review

    operator = create_user("hub")
    zebra = save_printer(operator, "Zebra GK420d", "thermal", 203)
    product = next(p for p in demo if p.name.startswith("Keripik"))
    with app.test_request_context():
        on_roll = [a for a in advisor.advise(product) if a.layout_id == "thermal-50x30"]
    assert {a.label_set: a.fits for a in on_roll} == {"single": False, "front_back": False, THREE: True}
    assert on_roll[0].label_set == THREE and on_roll[0].stickers == 3      # what fits comes first

    design = designs.start_design(product.owner, product.id, "thermal-50x30", "termal", label_set=THREE)
    assert designs.set_id_of(design.document) == THREE and design.blocker_count == 0, design.findings
    with app.test_request_context():       # submitted and approved as a producer and the hub do it
        version = review.submit_for_review(product.owner, design.id)
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        version = review.approve(admin, version.id, version.lock_version)
        job = create_print_job(operator, version.id, request_key="three-1", layout_id="thermal-50x30", copies=2,
                               batch_code="261203-01", production_date=date(2026, 12, 3), printer_id=zebra.id,
                               today=date(2026, 12, 3))
        zpl = render_job_zpl(job)
    stored = re.findall(r"~DG(R:\w+\.GRF),", zpl)
    assert len(stored) == 3 and len(set(stored)) == 3
    labels = re.findall(r"\^XA\^CI28.*?\^XZ", zpl)
    recalled = [re.search(r"\^XG(R:\w+\.GRF)", lab).group(1) for lab in labels if "^XG" in lab]
    assert recalled == stored * 2               # per pack: front, back 1, back 2
    assert [("261203-01" in lab) for lab in labels if "^XG" in lab] == [True, False, False] * 2
    login(operator)                 # the hub's job page counts sets and stickers
    html = client.get(f"/hub/pekerjaan/{job.id}").get_data(as_text=True)
    assert "2 set × 3 stiker = 6 stiker" in html


def test_the_producer_chooses_three_stickers_and_a_sheet_counts_sets_of_three(app, client, login, create_user,
                                                                               make_ready_product):
    """On A4 L7163 (2 x 7 stickers) a set of three fills 12 slots: the form proposes 4 sets a sheet,
    and the sheet PDF prints each sticker 4 times, the two slots left over empty."""
    from test_design_web import NUTRITION
    from test_stock_advisor import _halal_logo

    from studio.designs import services as designs
    from tests.printing.printing_helpers import page_texts

    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    login(product.owner)
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert 'name="label_set" value="front_back_back"' in page and "Label depan + 2 belakang" in page
    r = client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": "avery-l7163",
                                                          "label_set": THREE, "style_id": "segar"})
    assert r.status_code == 302
    design = designs.find_design(product)
    assert designs.set_id_of(design.document) == THREE and design.blocker_count == 0, design.findings
    page = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    assert "Jumlah set (3 stiker: depan + 2 belakang)" in page and "dari kiri: depan, belakang 1, belakang 2" in page
    assert re.search(r'id="copies"[^>]*value="4"', page) and re.search(r'id="first"[^>]*max="4"', page)
    pdf = client.get(f"/produk/{product.id}/desain/lembar.pdf?copies=4&first=1").data
    text = " ".join(page_texts(pdf)[0].split())
    assert len(page_texts(pdf)) == 1
    assert text.count("Berat Bersih") == 4 and text.count("Komposisi") == 4 and text.count("Informasi Nilai Gizi") == 4
