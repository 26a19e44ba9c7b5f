"""Issue 17: the QR on the back panel where a set exists. A front + back pair whose back has no room
for the QR is not "clean" enough to be proposed before a three-sticker set that holds it (the QR is
not a legal item, so the pair still fits); and keripik (pouches carry round stickers too) is judged
on the 60 mm round sheet. Read back from the PDF the producer downloads for the proposed set: the QR
decodes to the product's address, nothing blocks, no words over words."""
from __future__ import annotations

import io
import re

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


def _stock_cards(html: str) -> dict[str, str]:
    """Stock id -> the card's text, in the editor's stock form."""
    form = html.split('name="action" value="stock"', 1)[1].split("</form>", 1)[0]
    parts = re.split(r'<input type="radio" name="layout_id" value="', form)[1:]
    return {p.split('"', 1)[0]: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p)) for p in parts}


def test_a_card_whose_label_fits_without_the_qr_says_so(app, demo, client, login):
    """Kopi fits one small sticker with every legal item but no room for the QR: its card in the
    editor says so in plain words (the QR is not required); a card whose label holds the QR does not."""
    kopi = next(p for p in demo if p.name.startswith("Kopi"))
    # on L7160 in the family suggested for kopi (the demo's own design is in a classic style)
    design = designs.start_design(kopi.owner, kopi.id, "avery-l7160", designs.default_style(kopi))
    with app.test_request_context():
        advice = advisor.advise(kopi, design)
    shown = {}
    for a in advice:                    # the card's best single label and best set, as the page picks them
        shown.setdefault((a.layout_id, a.is_set), a)
    no_qr = {lid for (lid, _s), a in shown.items() if a.fits and a.qr_missing}
    with_qr = {lid for (lid, _s), a in shown.items() if a.fits and not a.qr_missing} - no_qr
    assert no_qr and with_qr, [(a.layout_id, a.label_set, a.fits, a.qr_missing) for a in advice]
    login(kopi.owner, DEMO_PASSWORD)
    cards = _stock_cards(client.get(f"/produk/{kopi.id}/desain?saran=1").get_data(as_text=True))
    for lid in no_qr:
        assert "Kode QR tidak muat" in cards[lid] and "(tidak wajib)" in cards[lid], (lid, cards[lid])
    for lid in with_qr:
        assert "Kode QR tidak muat" not in cards[lid], (lid, cards[lid])
