"""Publishing: immutable listing snapshots, the public catalogue, and the BLONJO outbox.

``create_listing`` is called by ``catalogue.publish`` after the gates it was given let the product through.
The outbox row is written in the same transaction as the listing, so a crash between "published
here" and "told BLONJO" cannot lose the event; delivery happens later through the jobs seam.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta, timezone

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..auth import services as auth_services
from ..auth.models import ProducerProfile, Role, User
from ..db import utcnow
from ..designs.assets import current_asset
from ..designs.models import AssetKind, StudioAsset
from ..errors import Forbidden, Invalid, NotFound, StudioError
from ..extensions import db
from ..media import media
from ..products.models import Photo, Product, ProductRevision
from ..site import public_base_url
from .models import ApiToken, Listing, OutboxEvent


class Gone(StudioError):
    """The listing existed but was unpublished."""

    status = 410


def _public_url(code: str) -> str:
    return public_base_url() + f"/p/{code}"


def build_snapshot(product: Product, revision: ProductRevision, photo: Photo | None,
                   profile: ProducerProfile | None, texts: dict, record: dict, clean: dict | None = None) -> dict:
    """Everything a listing shows, frozen at publish time (plain JSON).

    The listing owns copies of all its pictures: the main photo, the product's other ready photos and
    the pack mockup (``gallery``), and the official halal logo it showed. ``clean`` (the normalised
    product record) gives the nutrition table and the net quantity as numbers; without it they are
    left out (the page then shows the label's net quantity sentence).
    """
    prof = profile
    snapshot = {
        "code": product.public_code,
        "url": _public_url(product.public_code),
        "name": record.get("name") or product.name,
        "brand": record.get("brand", ""),
        "variant": record.get("variant", ""),
        "category": str(record.get("category") or ""),
        "description": record.get("description", ""),
        "price_idr": record.get("price_idr"),
        "stock": record.get("stock"),
        "min_order": record.get("min_order") or 1,
        "net_quantity": texts.get("net_qty", ""),
        "ingredients": texts.get("ingredients", ""),
        "allergens": texts.get("allergen_stmt", ""),
        "storage": texts.get("storage", ""),
        "permit": texts.get("permit", ""),
        "halal_number": texts.get("halal_number", ""),
        "gtin": record.get("gtin", ""),
        "sku": record.get("sku", ""),
        "shipping_weight_g": record.get("shipping_weight_g"),
        "package_cm": [record.get("package_l_cm"), record.get("package_w_cm"), record.get("package_h_cm")],
        "producer": {
            "id": product.owner_id,
            "business_name": prof.business_name if prof else "",
            "desa": prof.desa if prof else "",
            "kecamatan": prof.kecamatan if prof else "",
            "regency": prof.regency if prof else "",
            "whatsapp": prof.whatsapp if prof else "",
        },
        "photo": own_photo_files(photo),
        "revision": revision.number,
    }
    snapshot["gallery"] = gallery_files(product, photo)
    snapshot["halal_logo_key"] = own_halal_logo() if snapshot["halal_number"] else None
    snapshot["shelf_life_days"] = _int_or_none(record.get("shelf_life_days"))
    snapshot["net"] = _net_amount(record.get("net_quantity"))
    snapshot["nutrition"] = nutrition_snapshot(clean) if clean is not None else None
    return snapshot


def _int_or_none(v) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _net_amount(nq) -> dict | None:
    """``{"value": "250", "unit": "g"}`` for a weight or volume (JSON form of the NetQuantity), else None."""
    if not isinstance(nq, dict) or nq.get("unit") not in ("g", "kg", "ml", "L", "l"):
        return None
    value = str(nq.get("value") or "").replace(",", ".")
    return {"value": value, "unit": nq["unit"]} if value else None


def nutrition_snapshot(clean: dict) -> dict | None:
    """The ING table as numbers (formatted per language on the page): per serving or per pack, each
    row's key, amount, unit, %AKG and indent; None when the product has no nutrition data."""
    from ..products.data import rule_settings
    from ..rules.labeltext import nutrition_panel
    from ..rules.errors import RuleError

    try:
        facts = nutrition_panel(clean, rule_settings())
    except (RuleError, ValueError, TypeError, ArithmeticError):
        return None
    if facts is None:
        return None
    nut = clean.get("nutrition") or {}
    return {
        "per_pack": facts.per_pack,
        "serving_g": str(nut.get("serving_size_g") or ""),
        "servings": str(facts.servings_per_pack),
        "urt": str(nut.get("urt") or ""),
        "energy_ref_kcal": int(rule_settings().alg_value("energy_kcal")),
        "rows": [{"key": r.key, "amount": str(r.amount_value), "unit": r.amount.rsplit(" ", 1)[-1],
                  "akg": r.akg.rstrip("%"), "indent": r.indent} for r in facts.rows],
    }


def gallery_files(product: Product, primary: Photo | None) -> list[dict]:
    """The listing's other pictures, copied like the main photo: the product's other ready photos,
    then the pack mockup (the newest pack design) as a picture of the finished pack. At most
    ``LISTING_MAX_PHOTOS`` - 1 (Shopee takes 9 pictures ⚠, a setting). A mockup that cannot be made
    is left out (the listing is still published)."""
    limit = max(0, int(current_app.config.get("LISTING_MAX_PHOTOS", 9)) - 1)
    out: list[dict] = []
    others = db.session.scalars(select(Photo).where(Photo.product_id == product.id, Photo.status == "ready")
                                .order_by(Photo.id))
    for p in others:
        if primary is not None and p.id == primary.id:
            continue
        files = own_photo_files(p)
        if files["catalogue_key"]:
            out.append({**files, "kind": "photo"})
    mockup = own_mockup_files(product)
    if mockup is not None:
        out.insert(0, mockup)            # the pack mockup is the second picture
    return out[:limit]


MOCKUP_THUMBS = (600, 300, 150)


def own_mockup_files(product: Product) -> dict | None:
    """The mockup of the product's newest pack design, as a JPEG and thumbnails the listing owns."""
    import io
    import logging

    from PIL import Image

    from ..packs.services import list_pack_designs, pack_mockup

    designs = list_pack_designs(product)
    if not designs:
        return None
    try:
        data = pack_mockup(designs[0], fmt="JPEG")
        im = Image.open(io.BytesIO(data)).convert("RGB")
    except Exception:   # noqa: BLE001 - a pack that cannot be drawn must not stop publishing
        logging.getLogger(__name__).exception("pack mockup for product %s", product.id)
        return None
    store = media()
    thumbs = {}
    for size in MOCKUP_THUMBS:
        small = im.copy()
        small.thumbnail((size, size))
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=85)
        thumbs[str(size)] = store.put_content(LISTING_MEDIA, buf.getvalue(), "jpg")
    return {"catalogue_key": store.put_content(LISTING_MEDIA, data, "jpg"), "thumb_keys": thumbs,
            "kind": "mockup", "pack_design_id": designs[0].id}


def own_halal_logo() -> str | None:
    """A copy of the official halal logo in use, owned by the listing (None when none is uploaded)."""
    from ..designs.assets import current_asset
    from ..designs.models import AssetKind

    asset = current_asset(AssetKind.HALAL_LOGO)
    store = media()
    if asset is None or not store.exists(asset.media_key):
        return None
    return store.put_content(LISTING_MEDIA, store.read(asset.media_key), asset.media_key.rsplit(".", 1)[-1])


LISTING_MEDIA = "listings"   # folder of the pictures listings own (content-addressed, never deleted)


def own_photo_files(photo: Photo | None) -> dict:
    """Copy the photo's catalogue image and thumbnails to content-addressed keys the listing owns.

    A later correction or deletion of the product's photo removes the photo's own derived files; the
    listing's copies stay, so the public page, the API, the BLONJO payload and the export keep working.
    The same picture published twice is stored once. A file not made yet is left out.
    Snapshot shape: ``{"catalogue_key", "thumb_keys": {width: key}, "source_photo_id"}``. Listings
    published before this (keys under the photo's ``derived/`` folder, no ``source_photo_id``) are
    read the same way.
    """
    if photo is None:
        return {"catalogue_key": None, "thumb_keys": {}}
    store = media()

    def own(key: str | None) -> str | None:
        if not store.exists(key):
            return None
        return store.put_content(LISTING_MEDIA, store.read(key), key.rsplit(".", 1)[-1])
    thumbs = {size: own(key) for size, key in (photo.thumb_keys or {}).items()}
    return {"catalogue_key": own(photo.catalogue_key), "thumb_keys": {s: k for s, k in thumbs.items() if k},
            "source_photo_id": photo.id}


def owns_its_photo(snapshot: dict) -> bool:
    """True when the snapshot's photo files (main photo, gallery, halal logo) are the listing's own
    copies (or it has no photo)."""
    keys = [snapshot.get("halal_logo_key")]
    for photo in [snapshot.get("photo") or {}, *(snapshot.get("gallery") or [])]:
        keys += [photo.get("catalogue_key"), *(photo.get("thumb_keys") or {}).values()]
    return all(k.startswith(LISTING_MEDIA + "/") for k in keys if k)


def adopt_listing_photos() -> int:
    """Give listings published before listings owned their pictures their own copies.

    Such a snapshot points at the photo's derived files, which a correction or deletion of the photo
    removes. The files that still exist are copied to listing keys and the snapshot's photo keys are
    switched to them: the same bytes at the same public URLs. Idempotent; run by ``studio init`` and
    ``studio adopt-listing-photos``. Returns how many listings were changed.
    """
    store = media()
    changed = 0
    for listing in db.session.scalars(select(Listing).order_by(Listing.id)):
        snapshot = listing.snapshot or {}
        if owns_its_photo(snapshot):
            continue
        photo = snapshot.get("photo") or {}

        def own(key: str | None) -> str | None:
            if key and key.startswith(LISTING_MEDIA + "/"):
                return key
            return store.put_content(LISTING_MEDIA, store.read(key), key.rsplit(".", 1)[-1]) \
                if store.exists(key) else None
        thumbs = {size: own(key) for size, key in (photo.get("thumb_keys") or {}).items()}
        listing.snapshot = {**snapshot, "photo": {**photo, "catalogue_key": own(photo.get("catalogue_key")),
                                                  "thumb_keys": {s: k for s, k in thumbs.items() if k}}}
        changed += 1
    db.session.commit()
    return changed


def create_listing(actor: User, product: Product, revision: ProductRevision, design_version_id: int | None,
                   photo: Photo | None, snapshot: dict) -> Listing:
    """Store a new current listing (the previous one stops being current) and its outbox event.

    The caller has checked permissions and gates. One commit.
    """
    previous = db.session.scalars(select(Listing).where(Listing.product_id == product.id,
                                                        Listing.is_current.is_(True))).all()
    number = (db.session.scalar(select(func.max(Listing.number)).where(Listing.product_id == product.id)) or 0) + 1
    for old in previous:
        old.is_current = False
    listing = Listing(product_id=product.id, public_code=product.public_code, number=number, snapshot=snapshot,
                      product_revision_id=revision.id, design_version_id=design_version_id,
                      photo_id=photo.id if photo else None, category=snapshot.get("category", "")[:40],
                      desa=(snapshot["producer"].get("desa") or "")[:60], producer_id=product.owner_id,
                      is_current=True, published_by_id=actor.id)
    db.session.add(listing)
    db.session.flush()
    event_type = "listing.updated" if number > 1 else "listing.published"
    _outbox(event_type, product.id, listing.id, {"listing": listing_payload(listing)})
    db.session.commit()
    deliver_pending_soon()
    return listing


def unpublish(actor: User, product: Product) -> Listing:
    """Hide the product's listing; /p/<code> then says it is no longer available.

    :raises NotFound: when nothing is published.
    """
    listing = db.session.scalar(select(Listing).where(Listing.product_id == product.id, Listing.is_current.is_(True)))
    if listing is None:
        raise NotFound(str(_l("Produk ini belum terbit.")))
    listing.is_current = False
    listing.unpublished_at = utcnow()
    _outbox("listing.unpublished", product.id, listing.id, {"code": listing.public_code,
                                                            "unpublished_at": listing.unpublished_at.isoformat()})
    db.session.commit()
    deliver_pending_soon()
    return listing


def _outbox(event_type: str, product_id: int, listing_id: int | None, payload: dict) -> OutboxEvent:
    event = OutboxEvent(event_type=event_type, product_id=product_id, listing_id=listing_id,
                        payload={"type": event_type, **payload}, idempotency_key=uuid.uuid4().hex)
    event.payload["idempotency_key"] = event.idempotency_key
    db.session.add(event)
    return event


def deliver_pending_soon() -> int:
    """Queue delivery of pending outbox events when an endpoint and its secret are configured (else they
    wait: an event is never sent unsigned)."""
    if not current_app.config.get("BLONJO_ENDPOINT") or not current_app.config.get("BLONJO_SECRET"):
        return 0
    from .. import jobs

    pending = db.session.scalars(select(OutboxEvent.id).where(OutboxEvent.status == "pending",
                                                              OutboxEvent.job_id.is_(None))).all()
    for event_id in pending:
        # delivery retries with backoff for as long as BLONJO is offline
        job = jobs.submit("catalogue.deliver", {"event_id": event_id}, commit=False, max_attempts=10_000)
        db.session.flush()
        db.session.get(OutboxEvent, event_id).job_id = job.id
        db.session.commit()
        jobs.dispatch(job.id)
    return len(pending)


def listing_payload(listing: Listing) -> dict:
    """The JSON sent to BLONJO and served by the API (see catalogue/serializers.py)."""
    from .serializers import listing_to_dict

    return listing_to_dict(listing)


def get_current_by_code(code: str) -> Listing:
    """The current listing for a public code.

    :raises Gone: when it was unpublished; :raises NotFound: when it never existed.
    """
    code = (code or "").upper()[:12]
    listing = db.session.scalar(select(Listing).where(Listing.public_code == code, Listing.is_current.is_(True)))
    if listing is not None:
        return listing
    if db.session.scalar(select(Listing.id).where(Listing.public_code == code).limit(1)):
        raise Gone(str(_l("Produk ini sudah tidak tersedia.")))
    raise NotFound(str(_l("Produk tidak ditemukan.")))


@dataclass(frozen=True)
class PrintedLabel:
    """What a printed label says, for the buyer who scans its QR code before the product is in
    the catalogue: the same words as the label (its approved version's product data)."""

    brand: str
    name: str
    variant: str
    net_qty: str
    producer: str


def printed_label_by_code(code: str) -> PrintedLabel | None:
    """The label last printed under the public ``code`` (a job whose PDF was made), or None when
    no label with this code left the hub: labels are printed before the product is published, so
    its QR code is scanned before there is a listing. Only a printed label is answered (its words
    are on the shelf already); a draft's code says nothing more than an unknown one."""
    from ..designs.models import DesignVersion
    from ..designs.values import label_values
    from ..printing.models import PrintJob

    code = (code or "").upper()[:12]
    row = db.session.execute(
        select(Product, DesignVersion.product_revision_id)
        .join(PrintJob, PrintJob.product_id == Product.id)
        .join(DesignVersion, DesignVersion.id == PrintJob.design_version_id)
        .where(Product.public_code == code, PrintJob.status.in_(("ready", "printed")))
        .order_by(PrintJob.id.desc()).limit(1)).first()
    if row is None:
        return None
    product, revision_id = row
    revision = db.session.get(ProductRevision, revision_id) if revision_id else None
    values = label_values(product, revision, public_base_url())
    owner = db.session.get(User, product.owner_id)
    profile = owner.profile if owner is not None else None
    producer = (profile.business_name if profile is not None else "") or (owner.full_name if owner else "")
    return PrintedLabel(values.get("brand", ""), values.get("name", ""), values.get("variant", ""),
                        values.get("net_qty", ""), producer)


def get_current_listing(listing_id: int) -> Listing:
    """A listing that is published now. :raises NotFound: otherwise."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_current:
        raise NotFound()
    return listing


def get_listing_for_owner(actor: User, product: Product) -> Listing | None:
    return db.session.scalar(select(Listing).where(Listing.product_id == product.id, Listing.is_current.is_(True)))


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search(q: str = "", category: str = "", producer_id: int | None = None, desa: str = "",
           page: int = 1, per_page: int = 24) -> Page:
    """Current listings, newest first, filtered (text search over name/brand/producer)."""
    page = max(1, page)
    per_page = max(1, min(100, per_page))
    stmt = select(Listing).where(Listing.is_current.is_(True))
    if category:
        stmt = stmt.where(Listing.category == category)
    if producer_id:
        stmt = stmt.where(Listing.producer_id == producer_id)
    if desa:
        stmt = stmt.where(func.lower(Listing.desa) == desa.lower())
    items = list(db.session.scalars(stmt.order_by(Listing.published_at.desc(), Listing.id.desc())))
    if q:
        words = [w for w in q.lower().split() if w][:8]

        def hit(listing: Listing) -> bool:
            s = listing.snapshot
            hay = " ".join([s.get("name", ""), s.get("brand", ""), s.get("variant", ""), s.get("category", ""),
                            s["producer"].get("business_name", ""), s["producer"].get("desa", "")]).lower()
            return all(w in hay for w in words)
        items = [x for x in items if hit(x)]
    total = len(items)
    start = (page - 1) * per_page
    return Page(items=items[start:start + per_page], total=total, page=page, per_page=per_page)


def categories() -> list[tuple[str, int]]:
    rows = db.session.execute(select(Listing.category, func.count(Listing.id)).where(Listing.is_current.is_(True))
                              .group_by(Listing.category).order_by(Listing.category)).all()
    return [(c, n) for c, n in rows if c]


def producer_listings(producer_id: int) -> tuple[User, list[Listing]]:
    user = db.session.get(User, producer_id)
    if user is None or user.role != Role.PRODUCER:
        raise NotFound(str(_l("Produsen tidak ditemukan.")))
    items = list(db.session.scalars(select(Listing).where(Listing.producer_id == producer_id,
                                                          Listing.is_current.is_(True))
                                    .order_by(Listing.published_at.desc())))
    if not items:
        raise NotFound(str(_l("Produsen tidak ditemukan.")))
    return user, items


def shop_logo(producer_id: int) -> StudioAsset | None:
    """The producer's logo in use (uploaded or made in the logo maker), shown on her shop page."""
    return current_asset(AssetKind.PRODUCER_LOGO, producer_id)


def last_modified():
    return db.session.scalar(select(func.max(func.coalesce(Listing.unpublished_at, Listing.published_at))))


# --- API tokens -----------------------------------------------------------------------------

API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 365


def create_api_token(actor: User, name: str, scope: str = "publish", days: int = API_TOKEN_DEFAULT_DAYS) -> str:
    """Make a token for another system, owned by ``actor`` (an admin) and acting as them within
    ``scope`` ("read" or "publish") for ``days`` days; only its hash is stored. Returns it once.

    :raises Forbidden: for everyone but admins.
    :raises Invalid: on an unknown scope, an empty name or a lifetime outside 1 … 365 days.
    """
    if actor.role != Role.ADMIN or not actor.active:
        raise Forbidden()
    if scope not in ApiToken.SCOPES:
        raise Invalid(str(_l("Pilih izin token: baca atau terbitkan.")), field="scope")
    if not (name or "").strip():
        raise Invalid(str(_l("Isi nama token, misalnya nama sistem yang memakainya.")), field="name")
    if not isinstance(days, int) or not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise Invalid(str(_l("Masa berlaku 1 sampai %(n)d hari.", n=API_TOKEN_MAX_DAYS)), field="days")
    token = secrets.token_urlsafe(32)
    row = ApiToken(name=name.strip()[:80], token_hash=hashlib.sha256(token.encode()).hexdigest(),
                   created_by_id=actor.id, scope=scope, expires_at=utcnow() + timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    auth_services.audit(actor, "api_token_create", actor, f"token {row.id} {scope} {days}d")
    db.session.commit()
    return token


def list_api_tokens(actor: User) -> list[ApiToken]:
    if actor.role != Role.ADMIN:
        raise Forbidden()
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def revoke_api_token(actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token (an admin, or the CLI with ``actor`` None); logged.

    :raises NotFound: when there is no such token.
    """
    if actor is not None and actor.role != Role.ADMIN:
        raise Forbidden()
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(str(_l("Token tidak ditemukan.")))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        auth_services.audit(actor, "api_token_revoke", row.owner, f"token {row.id}")
        db.session.commit()
    return row


API_TOKEN_ROTATE_GRACE_HOURS = 24


def rotate_api_token(actor: User | None, token_id: int, *, grace_hours: int = API_TOKEN_ROTATE_GRACE_HOURS,
                     days: int | None = None) -> tuple[ApiToken, str]:
    """Replace a token by a new one with the same name, scope and owner (an admin, or the CLI with
    ``actor`` None). The old token keeps working for ``grace_hours`` (0: stops now) so the other
    system can switch over; the new one lives ``days`` days (default: as long as the old one was
    made for). Logged. Returns ``(new row, new token)``; the token is shown once.

    :raises Forbidden: for everyone but admins.
    :raises NotFound: when there is no such token.
    :raises Invalid: when the token is revoked or expired (make a new one instead), its owner is no
        longer an active admin, or ``grace_hours`` is outside 0 … 168.
    """
    if actor is not None and (actor.role != Role.ADMIN or not actor.active):
        raise Forbidden()
    old = db.session.get(ApiToken, token_id)
    if old is None:
        raise NotFound(str(_l("Token tidak ditemukan.")))
    state = api_token_state(old)
    if state != "active":
        raise Invalid(str(_l("Token ini sudah tidak aktif (%(state)s). Buat token baru saja.",
                             state=state)), field="token")
    if not isinstance(grace_hours, int) or not 0 <= grace_hours <= 168:
        raise Invalid(str(_l("Masa peralihan 0 sampai 168 jam.")), field="grace_hours")
    if days is None:
        made_for = (old.expires_at - old.created_at) if old.expires_at and old.created_at else None
        days = max(1, min(API_TOKEN_MAX_DAYS, round(made_for.total_seconds() / 86400))) if made_for \
            else API_TOKEN_DEFAULT_DAYS
    if not isinstance(days, int) or not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise Invalid(str(_l("Masa berlaku 1 sampai %(n)d hari.", n=API_TOKEN_MAX_DAYS)), field="days")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    new = ApiToken(name=old.name, token_hash=hashlib.sha256(token.encode()).hexdigest(),
                   created_by_id=old.created_by_id, scope=old.scope, expires_at=now + timedelta(days=days))
    db.session.add(new)
    old_end = old.expires_at if old.expires_at and old.expires_at.tzinfo else \
        (old.expires_at.replace(tzinfo=timezone.utc) if old.expires_at else None)
    cutoff = now + timedelta(hours=grace_hours)
    if grace_hours == 0:
        old.revoked_at = now
    elif old_end is None or cutoff < old_end:
        old.expires_at = cutoff
    db.session.flush()
    auth_services.audit(actor, "api_token_rotate", old.owner,
                        f"token {old.id} -> {new.id} {new.scope} {days}d; old valid {grace_hours}h more")
    db.session.commit()
    return new, token


def log_token_write(token_id: int, method: str, path: str, status: int, detail: str = "") -> None:
    """Record one write made with an API token: which token (and so which admin), what, and how it
    ended (also refusals). Its own transaction: a failed write's rollback does not take the log along."""
    db.session.rollback()
    row = db.session.get(ApiToken, token_id)
    owner = row.owner if row is not None else None
    name = row.name if row is not None else "?"
    auth_services.audit(owner, "api_write", owner,
                        f"token {token_id} ({name}): {method} {path[:200]} -> {status}"
                        + (f": {detail[:300]}" if detail else ""))
    db.session.commit()


def api_token_state(row: ApiToken, now=None) -> str:
    """"active", "revoked", "expired" or "owner_inactive"."""
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    expires = row.expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=timezone.utc)
    if expires is not None and expires <= now:
        return "expired"
    if row.owner is None or not row.owner.active or row.owner.role != Role.ADMIN:
        return "owner_inactive"
    return "active"


def check_api_token(token: str | None, scope: str = "publish") -> ApiToken | None:
    """The live token for this bearer value and scope ("publish" includes "read"), or None.
    A use is recorded (last use, count)."""
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if row is None or api_token_state(row) != "active":
        return None
    if scope == "publish" and row.scope != "publish":
        return None
    db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(
        last_used_at=utcnow(), use_count=ApiToken.use_count + 1))
    db.session.commit()
    return row


def outbox_status(product_id: int | None = None, limit: int = 50) -> list[OutboxEvent]:
    stmt = select(OutboxEvent).order_by(OutboxEvent.id.desc()).limit(limit)
    if product_id is not None:
        stmt = stmt.where(OutboxEvent.product_id == product_id)
    return list(db.session.scalars(stmt))


def listing_pictures(snapshot: dict) -> list[dict]:
    """Every picture of a listing, main photo first (index 0), then its gallery (mockup, other photos)."""
    main = snapshot.get("photo") or {}
    out = [main] if main.get("catalogue_key") else []
    return out + [g for g in (snapshot.get("gallery") or []) if g.get("catalogue_key")]


def listing_photo_key(listing_id: int, size: str, index: int = 0) -> str:
    """The media key of a published picture ("catalogue" or a thumbnail width); ``index`` 0 is the
    main photo, 1… the gallery (an old listing without a main photo has no gallery).

    :raises NotFound: for unpublished listings or missing sizes.
    """
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_current:
        raise NotFound()
    if index:
        gallery = listing.snapshot.get("gallery") or []
        if not 1 <= index <= len(gallery):
            raise NotFound()
        photo = gallery[index - 1]
    else:
        photo = listing.snapshot.get("photo") or {}
    key = photo.get("catalogue_key") if size == "catalogue" else (photo.get("thumb_keys") or {}).get(size)
    if not key:
        raise NotFound()
    return key
