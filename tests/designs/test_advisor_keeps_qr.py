"""Issue 17: the QR on the back panel where a set exists. A front + back pair whose back has no room
for the QR is not "clean" enough to be proposed before a three-sticker set that holds it (the QR is
not a legal item, so the pair still fits); and keripik (pouches carry round stickers too) is judged
on the 60 mm round sheet. Read back from the PDF the producer downloads for the proposed set: the QR
decodes to the product's address, nothing blocks, no words over words."""
from __future__ import annotations

import io

import pypdfium2 as pdfium

from studio.demo import DEMO_PASSWORD
from studio.designs import advisor
from studio.designs import services as designs
from studio.designs.values import label_values
from studio.site import public_base_url
from tests.designs.test_template_families import demo, overlapping_words, qr_texts  # noqa: F401

THREE = "front_back_back"


def _pages(pdf: bytes) -> list[bytes]:
    """Each page of ``pdf`` as a PDF of its own (a set's stickers may sit on separate pages)."""
    src = pdfium.PdfDocument(pdf)
    out = []
    try:
        for i in range(len(src)):
            one = pdfium.PdfDocument.new()
            one.import_pages(src, [i])
            buf = io.BytesIO()
            one.save(buf)
            one.close()
            out.append(buf.getvalue())
    finally:
        src.close()
    return out


def _severe(design) -> list:
    return [(f.get("rule_id"), f.get("tag")) for f in design.findings or []
            if str(f.get("severity")).upper() in ("BLOCKER", "ERROR")]


def test_the_set_proposed_on_a_small_stock_keeps_the_qr_and_it_scans(app, demo, client, login):
    keripik = next(p for p in demo if p.name.startswith("Keripik"))
    login(keripik.owner, DEMO_PASSWORD)
    # tipografi on the 50 x 30 roll: its pair fits but its back has no room for the QR; the keripik's
    # own family (no design yet) on the 60 mm round sheet
    for family, layout_id in (("tipografi", "thermal-50x30"), ("", "round-60mm-a4")):
        design = designs.start_design(keripik.owner, keripik.id, layout_id, family) if family else None
        with app.test_request_context():
            advice = advisor.advise(keripik, design)
        sets = [a for a in advice if a.layout_id == layout_id and a.is_set]
        assert sets, (layout_id, [a.layout_id for a in advice])       # round stock is judged for keripik
        best = sets[0]
        assert (best.label_set, best.fits, best.qr_missing) == (THREE, True, False), (layout_id, sets)
        for a in sets[1:]:                      # a pair that drops the QR comes after the set that keeps it
            if a.fits:
                assert a.qr_missing and advice.index(a) > advice.index(best), (layout_id, a)
        # started as proposed (the start form posts stock, set and family), the downloaded PDF
        r = client.post(f"/produk/{keripik.id}/desain", data={"action": "start", "layout_id": layout_id,
                                                               "label_set": best.label_set, "style_id": family})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
        design = designs.find_design(keripik)
        assert designs.set_id_of(design.document) == THREE and not _severe(design), (layout_id, _severe(design))
        pdf = client.get(f"/produk/{keripik.id}/desain/label.pdf").data
        with app.test_request_context():
            url = label_values(keripik, keripik.current_revision, public_base_url())["url"]
        codes = [c for page in _pages(pdf) for c in qr_texts(page)]
        assert codes == [url], (layout_id, codes, url)          # once, on back 2, and it scans
        assert not overlapping_words(pdf), (layout_id, overlapping_words(pdf)[:3])
