"""A buyer scans the QR code of a printed label before the producer has published the product
(labels are printed first: publishing needs a printed label). Found by the audit in Chromium: the
scan opened "404 Halaman tidak ditemukan. Alamat ini tidak ada atau sudah dipindah." for the jar
in the buyer's hand. Now the page names the product as its label does and says its page is coming;
a code that never reached a printed label (a draft, a typo) still says nothing more than 404."""
from __future__ import annotations

import re

from studio.extensions import db
from studio.printing.models import PrintJob


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_printed_label_scanned_before_publishing_names_the_product(client, ready_product, create_product):
    product = ready_product()
    r = client.get(f"/p/{product.public_code}")
    assert r.status_code == 404
    page = _text(r.get_data(as_text=True))
    assert "Keripik Singkong Balado" in page and "Pedas Manis" in page and "Berat Bersih 250 g" in page
    assert "belum terbit" in page and "UD Mbok Sri" in page
    assert "tidak ditemukan" not in page

    db.session.execute(db.delete(PrintJob))         # the same product before any label was printed
    db.session.commit()
    r = client.get(f"/p/{product.public_code}")
    assert r.status_code == 404 and "Keripik Singkong" not in r.get_data(as_text=True)
    assert client.get("/p/ZZZZZZ").status_code == 404
