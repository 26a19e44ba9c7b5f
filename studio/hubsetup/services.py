"""Use-cases for the hub's settings: the catalogue's public address (admin only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Role, User
from ..db import utcnow
from ..errors import Forbidden, Invalid
from ..extensions import db
from .. import site
from .models import PUBLIC_URL, HubSetting

MAX_URL = 200


def normalise_public_url(raw: str | None) -> str:
    """Trim spaces and trailing slashes: ``https://x.id/`` and ``https://x.id`` are the same address."""
    return (raw or "").strip().rstrip("/")


def set_public_url(actor: User | None, url: str | None, locale: str = "id") -> str:
    """Store the catalogue's public address for every app server and worker; return it normalised.

    ``actor`` None is the command line (the person at the hub computer).
    :raises Forbidden: when the actor is not an admin.
    :raises Invalid: (field ``public_url``) when a buyer's phone could not open the address.
    """
    if actor is not None and actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya admin yang boleh mengubah alamat publik katalog.")))
    value = normalise_public_url(url)
    if len(value) > MAX_URL:
        raise Invalid(str(_l("Alamat terlalu panjang (paling banyak %(n)d huruf): kode QR-nya jadi terlalu rapat.",
                              n=MAX_URL)), field="public_url")
    if any(ch.isspace() for ch in value):
        raise Invalid(str(_l("Alamat web tidak boleh berisi spasi.")), field="public_url")
    problem = site.public_url_problem(value)
    if problem is not None:
        raise Invalid(problem.text(locale), field="public_url")
    put_setting(actor, PUBLIC_URL, value)
    db.session.commit()
    site.forget_public_base_url()
    return value


def public_url_setting() -> HubSetting | None:
    """The stored setting (value, who, when), or None when only the configuration gives the address."""
    return db.session.get(HubSetting, PUBLIC_URL)


def get_setting(key: str, default: str = "") -> str:
    """One hub setting's value (``default`` when unset)."""
    row = db.session.get(HubSetting, key)
    return row.value if row is not None and row.value is not None else default


def get_settings(*keys: str) -> dict[str, str]:
    """Several hub settings in one query: ``{key: value}`` ("" for one that is unset)."""
    found = {row.key: row.value for row in db.session.scalars(select(HubSetting).where(HubSetting.key.in_(keys)))
             if row.value is not None}
    return {key: found.get(key, "") for key in keys}


def put_setting(actor: User | None, key: str, value: str) -> None:
    """Store one hub setting in the caller's transaction (the caller commits)."""
    row = db.session.get(HubSetting, key)
    if row is None:
        row = HubSetting(key=key)
        db.session.add(row)
    row.value = value
    row.updated_by_id = actor.id if actor is not None else None
    row.updated_at = utcnow()
