"""The going-live checklist and the hub's identity (name and district), kept as hub settings."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Role, User
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..hubsetup.services import get_setting, get_settings, put_setting  # noqa: F401 (golive callers use setup.get_setting)
from .. import site
from .demo_data import DEMO_USERNAMES, demo_present, live_demo_accounts

HUB_NAME = "hub_name"
HUB_DISTRICT = "hub_district"
BACKUP_DIR = "backup_dir"
LAST_BACKUP_AT = "last_backup_at"
LAST_BACKUP_FILE = "last_backup_file"
LAST_BACKUP_ERROR = "last_backup_error"


def set_hub_identity(actor: User | None, name: str | None, district: str | None) -> tuple[str, str]:
    """The hub's name and kecamatan, shown on the checklist and in backups' manifests.

    :raises Forbidden: when the actor is not an admin (None is the command line).
    :raises Invalid: (field ``name``/``district``) when empty or too long.
    """
    if actor is not None and actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya admin yang boleh mengubah pengaturan hub.")))
    name, district = (name or "").strip(), (district or "").strip()
    if not name:
        raise Invalid(str(_l("Isi nama hub, misalnya Rumah Pintar Pelabuhan.")), field="name")
    if len(name) > 100:
        raise Invalid(str(_l("Nama hub terlalu panjang (paling banyak 100 huruf).")), field="name")
    if not district:
        raise Invalid(str(_l("Isi kecamatan hub, misalnya Plandaan.")), field="district")
    if len(district) > 60:
        raise Invalid(str(_l("Nama kecamatan terlalu panjang (paling banyak 60 huruf).")), field="district")
    put_setting(actor, HUB_NAME, name)
    put_setting(actor, HUB_DISTRICT, district)
    db.session.commit()
    return name, district


def real_admins() -> list[User]:
    """Active admin accounts that are not demo accounts."""
    return list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True),
                                                      User.username.not_in(DEMO_USERNAMES))))


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    detail: str
    endpoint: str | None      # the page where it is done (None: a command at the hub PC)
    command: str


def checklist() -> list[Step]:
    """What a hub does before it runs for real, and which of it is done (read from the database)."""
    from ..designs.assets import current_asset
    from ..designs.models import AssetKind
    from ..printing.services import active_printers

    name, district = get_setting(HUB_NAME), get_setting(HUB_DISTRICT)
    url = site.public_base_url()
    url_ok = site.public_url_problem(url) is None
    admins = real_admins()
    live = live_demo_accounts()
    printers = active_printers()
    logo = current_asset(AssetKind.HALAL_LOGO)
    last_backup = get_setting(LAST_BACKUP_AT)
    backup_dir = get_setting(BACKUP_DIR)
    return [
        Step("identity", str(_l("Nama hub dan kecamatan")), bool(name and district),
             f"{name} · {district}" if name and district else str(_l("belum diisi")),
             "golive.checklist", 'flask --app app studio set-hub --name "…" --district "…"'),
        Step("public_url", str(_l("Alamat publik katalog (isi kode QR)")), url_ok,
             url if url_ok else str(_l("belum bisa dibuka dari HP pembeli")),
             "hubsetup.settings", "flask --app app studio set-public-url https://…"),
        Step("admin", str(_l("Akun admin sendiri, dengan kata sandi sendiri")), bool(admins),
             ", ".join(a.username for a in admins) or str(_l("belum ada (hanya akun demo)")),
             "auth.new_user", "flask --app app studio create-user --role admin --username … --name …"),
        Step("demo", str(_l("Data demo dihapus")), not live and not demo_present(),
             str(_l("akun demo yang masih terbuka: %(a)s", a=", ".join(live))) if live
             else (str(_l("masih ada data demo")) if demo_present() else str(_l("tidak ada data demo"))),
             None, "flask --app app studio remove-demo"),
        Step("halal_logo", str(_l("Logo halal resmi diunggah")), logo is not None,
             str(_l("sudah diunggah")) if logo else str(_l("belum diunggah")),
             "wizard.halal_logo", ""),
        Step("printers", str(_l("Printer dan kalibrasi")), bool(printers),
             ", ".join(p.name for p in printers) or str(_l("belum ada printer aktif")),
             "hub.printers", ""),
        Step("backup", str(_l("Cadangan harian ke folder/diska USB")), bool(backup_dir and last_backup),
             (str(_l("folder %(d)s", d=backup_dir)) if backup_dir else str(_l("folder cadangan belum diatur"))),
             None, "flask --app app studio set-backup-dir /media/usb/cadangan-studio"),
    ]
