"""Listing rules (spec §6): what the marketplaces refuse, checked in one place for the product
form, the import and the catalogue export."""
from __future__ import annotations

from .messages import Finding, Msg, Severity
from .numbers import format_int_id
from .settings import DEFAULT_SETTINGS, RuleSettings


def description_finding(description: object, settings: RuleSettings = DEFAULT_SETTINGS) -> Finding | None:
    """LIST-01 when the listing description is longer than the marketplaces allow
    (``settings.listing_description_max_chars``, Tokopedia 2000 ⚠); None when it fits."""
    text = str(description or "")
    limit = settings.listing_description_max_chars
    if len(text) <= limit:
        return None
    n, lim = format_int_id(len(text)), format_int_id(limit)
    return Finding("LIST-01", settings.severity("LIST-01", Severity.WARNING), Msg(
        f"Deskripsi {n} huruf; marketplace hanya menerima {lim} huruf. Persingkat deskripsinya, "
        "kalau tidak bagian akhirnya terpotong atau ditolak.",
        f"The description has {n} characters; marketplaces accept only {lim}. Shorten it, or its "
        "end is cut off or refused."), "description")
