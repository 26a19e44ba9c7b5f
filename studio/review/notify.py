"""The WhatsApp message a trainer sends a producer after a decision: a ``wa.me`` link with the text
filled in, which opens the producer's own review page (no outside service is needed)."""
from __future__ import annotations

from urllib.parse import quote

from ..auth.models import User
from ..designs.models import DesignVersion, VersionStatus
from ..products.models import Product
from ..rules import Msg
from ..site import public_base_url


def _digits(phone: str) -> str:
    """An Indonesian number as wa.me wants it: country code, digits only ("0812…" → "62812…")."""
    d = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if d.startswith("0"):
        d = "62" + d[1:]
    return d


def whatsapp_text(version: DesignVersion, product: Product, producer: User, notes: list[str], page_url: str) -> str:
    """The message, in the producer's language (Bahasa Indonesia unless she chose English)."""
    first = (producer.full_name or producer.username).split()[0]
    said = " ".join(n.strip() for n in notes if n.strip())
    if version.status == VersionStatus.APPROVED:
        msg = Msg(f"Halo {first}, label {product.name} versi {version.number} sudah disetujui. "
                  f"Label bisa dicetak di hub. Lihat di sini: {page_url}",
                  f"Hello {first}, the label of {product.name} version {version.number} is approved. "
                  f"It can be printed at the hub. See it here: {page_url}")
    elif version.status == VersionStatus.CHANGES_REQUESTED:
        msg = Msg(f"Halo {first}, label {product.name} versi {version.number} perlu perbaikan: {said} "
                  f"Buka di sini, perbaiki, lalu kirim lagi: {page_url}",
                  f"Hello {first}, the label of {product.name} version {version.number} needs changes: {said} "
                  f"Open it here, make the changes, then send it again: {page_url}")
    else:
        msg = Msg(f"Halo {first}, label {product.name} versi {version.number} sedang saya tinjau: {page_url}",
                  f"Hello {first}, I am reviewing the label of {product.name} version {version.number}: {page_url}")
    return msg.text("en" if (producer.locale or "id") == "en" else "id")


def whatsapp_link(version: DesignVersion, product: Product, producer: User, notes: list[str]) -> str:
    """``https://wa.me/<number>?text=…`` opening the producer's review page on the public address."""
    page_url = f"{public_base_url()}/produk/{product.id}/tinjauan"
    profile = producer.profile
    number = _digits((profile.whatsapp if profile is not None else "") or producer.phone or "")
    text = whatsapp_text(version, product, producer, notes, page_url)
    return f"https://wa.me/{number}?text={quote(text, safe='')}"
