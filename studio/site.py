"""The hub's public address: the catalogue address printed inside every QR code (``/p/<code>`` is
appended), on shelf cards and in WhatsApp messages.

``public_base_url()`` is the one reader (app context); ``public_url_problem(url)`` is the pure rule
the print and publish gates apply: a buyer's phone must be able to open the address, so an unset,
loopback, link-local or malformed address blocks printing and publishing.
"""
from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlsplit

from flask import current_app

from .rules import Msg

#: host names that only ever mean "this machine"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "0.0.0.0"}

HOW_TO_FIX = Msg("Admin mengisi alamat publik katalog di halaman Pengaturan hub "
                 "(atau: flask --app app studio set-public-url https://…).",
                 "An admin sets the catalogue's public address on the hub settings page "
                 "(or: flask --app app studio set-public-url https://…).")


#: how long one process keeps the stored address before reading it again (seconds)
CACHE_TTL_S = 5.0
_CACHE_KEY = "studio.site.public_url"


def public_base_url() -> str:
    """The public address of the catalogue (no trailing slash): the one an admin stored for the hub
    (``hub_settings``), else the configuration's ``PUBLIC_BASE_URL`` (environment, instance/config.py).

    Called for every label that is composed, so the stored value is cached per app (in
    ``app.extensions``, not in ``g``: services and workers call this too) for ``CACHE_TTL_S``
    seconds: at most one small query per process every few seconds, none per label. Saving the
    setting clears this process's cache at once; other app servers and workers see the new address
    within ``CACHE_TTL_S``. The configuration fallback is read on every call (it is a dict lookup).
    """
    stored = _stored_public_url()
    text = stored if stored else current_app.config.get("PUBLIC_BASE_URL")
    return str(text or "").strip().rstrip("/")


def _stored_public_url() -> str | None:
    cached = current_app.extensions.get(_CACHE_KEY)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    from sqlalchemy import select

    from .extensions import db
    from .hubsetup.models import PUBLIC_URL, HubSetting

    with db.session.no_autoflush:
        value = db.session.execute(select(HubSetting.value).where(HubSetting.key == PUBLIC_URL)).scalar()
    current_app.extensions[_CACHE_KEY] = (value or None, now + CACHE_TTL_S)
    return value or None


def forget_public_base_url() -> None:
    """Drop this process's cached address (after the setting was saved)."""
    current_app.extensions.pop(_CACHE_KEY, None)


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
    if parts is not None and (parts.query or parts.fragment or text.endswith(("?", "#"))):
        return Msg(f"Alamat publik katalog “{text}” tidak boleh berisi “?” atau “#”: kode QR menambahkan "
                   "/p/… di belakangnya.",
                   f"The catalogue's public address “{text}” must not contain “?” or “#”: the QR code "
                   "adds /p/… after it.")
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
