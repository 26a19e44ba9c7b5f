"""The hub's public address: the catalogue address printed inside every QR code (``/p/<code>`` is
appended), on shelf cards and in WhatsApp messages.

``public_base_url()`` is the one reader (app context); ``public_url_problem(url)`` is the pure rule
the print and publish gates apply: a buyer's phone must be able to open the address, so an unset,
loopback, link-local or malformed address blocks printing and publishing.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app

from .rules import Msg

#: host names that only ever mean "this machine"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "0.0.0.0"}

HOW_TO_FIX = Msg("Admin mengisi alamat publik katalog di halaman Pengaturan hub "
                 "(atau: flask --app app studio set-public-url https://…).",
                 "An admin sets the catalogue's public address on the hub settings page "
                 "(or: flask --app app studio set-public-url https://…).")


def public_base_url() -> str:
    """The public address of the catalogue as configured now (no trailing slash)."""
    return str(current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")


def public_url_problem(url: str | None) -> Msg | None:
    """Why a QR code with ``url`` could not be opened by a buyer's phone, or None when it can.

    Refused: empty, not http(s), no host, a loopback address (127.x, ::1, localhost), a link-local
    address (169.254.x, fe80::) or the unspecified address. Private LAN addresses (192.168.x) are
    accepted: a hub may serve its catalogue on its own Wi-Fi.
    """
    text = (url or "").strip()
    if not text:
        return Msg("Alamat publik katalog belum diatur, jadi kode QR tidak bisa dibuka pembeli.",
                   "The catalogue's public address is not set, so buyers cannot open the QR code.")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        host, parts = "", None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        return Msg(f"Alamat publik katalog “{text}” bukan alamat web (https://…).",
                   f"The catalogue's public address “{text}” is not a web address (https://…).")
    local = host in _LOCAL_NAMES or host.endswith(".localhost")
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
        local = local or ip.is_loopback or ip.is_link_local or ip.is_unspecified
    except ValueError:
        pass
    if local:
        return Msg(f"Alamat publik katalog “{text}” hanya bisa dibuka di komputer hub, tidak di HP pembeli.",
                   f"The catalogue's public address “{text}” only opens on the hub computer, "
                   "not on a buyer's phone.")
    return None
