"""Images placed on labels as uploaded: the official halal logo (once, by an admin) and producer logos.

The file is stored byte for byte (never redrawn or recoloured); it is only decoded to check that it
is a real image and to know its size. Images are opened once per process and cached by media key
(keys are content-addressed, so a key always means the same pixels).
"""
from __future__ import annotations

import io
import threading
from collections import OrderedDict

from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import and_, or_, select

from .. import jobs
from ..auth.models import Role, User
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..imaging.io import UploadRejected, open_upload
from ..labels.logo import VECTOR_INFO_KEY, drawing_from_svg
from ..media import media
from ..products.models import Photo, Product
from ..products.photos import PhotoKind, PhotoStatus
from .models import AssetKind, StudioAsset

_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}
_CACHE: OrderedDict[str, Image.Image] = OrderedDict()
_CACHE_SIZE = 24
_LOCK = threading.Lock()


def _store(actor: User, kind: str, owner_id: int | None, data: bytes, filename: str, locale: str) -> StudioAsset:
    try:
        loaded = open_upload(data)
    except UploadRejected as e:
        msg = e.message_en if locale == "en" else e.message_id
        raise Invalid(msg, field="file") from e
    key = media().put_content("assets", data, _EXT.get(loaded.format, "bin"))
    owner = StudioAsset.owner_id.is_(None) if owner_id is None else StudioAsset.owner_id == owner_id
    for old in db.session.scalars(select(StudioAsset).where(StudioAsset.kind == kind, owner,
                                                            StudioAsset.active.is_(True))):
        old.active = False
    asset = StudioAsset(kind=kind, owner_id=owner_id, media_key=key, original_name=(filename or "")[:200],
                        width_px=loaded.image.width, height_px=loaded.image.height, uploaded_by_id=actor.id)
    db.session.add(asset)
    db.session.commit()
    return asset


#: the job that refreshes the stored findings of designs after a new official halal logo
HALAL_LOGO_REFRESH = "design.halal_logo"


def upload_halal_logo(actor: User, data: bytes, filename: str = "", *, locale: str = "id") -> StudioAsset:
    """Store the official Label Halal Indonesia image (admin only); it replaces the previous one.

    :raises Forbidden: not an admin. :raises Invalid: not a usable image (field ``file``).
    """
    if actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya admin yang boleh mengunggah logo halal resmi.")))
    asset = _store(actor, AssetKind.HALAL_LOGO, None, data, filename, locale)
    # the designs checked while there was no logo keep a stored "logo missing" blocker that their
    # pages and the wizard's steps read: refreshed in the background (designs/tasks.py)
    jobs.submit(HALAL_LOGO_REFRESH, {"asset_id": asset.id})
    return asset


def upload_producer_logo(actor: User, owner_id: int, data: bytes, filename: str = "", *,
                         locale: str = "id") -> StudioAsset:
    """Store a producer's own logo (the producer, or an admin for them).

    :raises Forbidden: anyone else. :raises Invalid: not a usable image (field ``file``).
    """
    if not (actor.id == owner_id or actor.role == Role.ADMIN):
        raise Forbidden(str(_l("Hanya pemilik usaha yang boleh mengganti logonya.")))
    return _store(actor, AssetKind.PRODUCER_LOGO, owner_id, data, filename, locale)


def store_made_logo(actor: User, owner_id: int, png: bytes, svg: bytes, spec: dict) -> StudioAsset:
    """Store a logo drawn by the logo maker (PNG for labels and pages, SVG beside it) as the
    owner's logo; it replaces the previous one (older rows stay for designs that used them).

    :raises Forbidden: not the owner (or an admin for her).
    """
    if not (actor.id == owner_id or actor.role == Role.ADMIN):
        raise Forbidden(str(_l("Hanya pemilik usaha yang boleh mengganti logonya.")))
    store = media()
    png_key = store.put_content("assets", png, "png")
    svg_key = store.put_content("assets", svg, "svg")
    with Image.open(io.BytesIO(png)) as im:
        width_px, height_px = im.size
    for old in db.session.scalars(select(StudioAsset).where(StudioAsset.kind == AssetKind.PRODUCER_LOGO,
                                                            StudioAsset.owner_id == owner_id,
                                                            StudioAsset.active.is_(True))):
        old.active = False
    asset = StudioAsset(kind=AssetKind.PRODUCER_LOGO, owner_id=owner_id, media_key=png_key, vector_key=svg_key,
                        spec=dict(spec), original_name="logo.svg", width_px=width_px, height_px=height_px,
                        uploaded_by_id=actor.id)
    db.session.add(asset)
    db.session.commit()
    return asset


def current_asset(kind: str, owner_id: int | None = None) -> StudioAsset | None:
    """The newest active asset of ``kind`` (studio-wide when ``owner_id`` is None); read once per
    request (:func:`studio.identity.request_memo`: a page asks for every preview and style it shows)."""
    from ..identity import request_memo

    def read() -> StudioAsset | None:
        owner = StudioAsset.owner_id.is_(None) if owner_id is None else StudioAsset.owner_id == owner_id
        return db.session.scalar(select(StudioAsset).where(StudioAsset.kind == kind, owner,
                                                           StudioAsset.active.is_(True))
                                 .order_by(StudioAsset.id.desc()))
    return request_memo(f"designs.current_asset.{kind}.{owner_id}", read)


def label_photo(product: Product) -> Photo | None:
    """The photo a label shows: the newest cleaned "contents" photo (the food itself) when there is
    one, else the main (pack) photo when it is cleaned. The catalogue always keeps the main photo.
    One query for both (each is a round trip to the database)."""
    wanted = and_(Photo.product_id == product.id, Photo.kind == PhotoKind.CONTENTS)
    if product.primary_photo_id:
        wanted = or_(wanted, Photo.id == product.primary_photo_id)
    ready = db.session.scalars(select(Photo).where(wanted, Photo.status == PhotoStatus.READY)
                               .order_by(Photo.id.desc())).all()
    contents = next((p for p in ready if p.product_id == product.id and p.kind == PhotoKind.CONTENTS), None)
    return contents or next((p for p in ready if p.id == product.primary_photo_id), None)


def photo_key(product: Product) -> str | None:
    """Media key of the product's label photo (:func:`label_photo`): its cut-out, or its cleaned copy."""
    photo = label_photo(product)
    if photo is None:
        return None
    return photo.cutout_key or photo.catalogue_key


def image_keys(product: Product) -> dict[str, str]:
    """Image slot -> media key for a product's label: ``photo``, ``logo``, ``halal_logo`` (read once
    per request: the editor composes the label for its preview, its findings and its advice)."""
    from ..identity import request_memo

    # kept across the design's own save (it writes none of these): the change shows what it saved
    return dict(request_memo(f"designs.image_keys.{product.id}", lambda: _read_image_keys(product),
                             depends_on=(Photo, StudioAsset, Product)))


def _read_image_keys(product: Product) -> dict[str, str]:
    keys: dict[str, str] = {}
    if (k := photo_key(product)):
        keys["photo"] = k
    # the owner's logo and the halal logo in one query: the newest active of each (as current_asset)
    rows = db.session.scalars(select(StudioAsset).where(StudioAsset.active.is_(True), or_(
        and_(StudioAsset.kind == AssetKind.PRODUCER_LOGO, StudioAsset.owner_id == product.owner_id),
        and_(StudioAsset.kind == AssetKind.HALAL_LOGO, StudioAsset.owner_id.is_(None))))
        .order_by(StudioAsset.id.desc())).all()
    if (logo := next((a for a in rows if a.kind == AssetKind.PRODUCER_LOGO), None)):
        keys["logo"] = logo.media_key
    if (halal := next((a for a in rows if a.kind == AssetKind.HALAL_LOGO), None)):
        keys["halal_logo"] = halal.media_key
    return keys


#: where a submitted version keeps its own copy of the label photo (content-addressed)
FROZEN_FOLDER = "versions"


def freeze_image_keys(keys: dict[str, str]) -> dict[str, str]:
    """``keys`` (a label's pictures, :func:`image_keys`) as a version keeps them: the photo copied to a
    content-addressed key under ``versions/`` (a photo's own files go when it is cleaned again or
    deleted), the logos as they are (assets are never overwritten)."""
    out = dict(keys)
    photo = out.get("photo")
    if photo and not photo.startswith(FROZEN_FOLDER + "/") and media().exists(photo):
        out["photo"] = media().put_content(FROZEN_FOLDER, media().read(photo), photo.rsplit(".", 1)[-1])
    return out


def same_pictures(frozen: dict[str, str] | None, current: dict[str, str]) -> bool:
    """Whether ``current`` pictures are the ones a version froze (:func:`freeze_image_keys`; the
    photo compared by content). A version from before pictures were frozen (None) is not compared."""
    if frozen is None:
        return True
    if set(frozen) != set(current):
        return False
    return all(key == frozen[slot] or (slot == "photo" and media().exists(key)
                                       and _frozen_name(key) == frozen[slot])
               for slot, key in current.items())


def _frozen_name(key: str) -> str:
    """The key :func:`freeze_image_keys` gives the file ``key`` (its content hash), cached per file."""
    import hashlib

    stat = media().path(key).stat()
    memo = (key, stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        hit = _FROZEN_NAMES.get(memo)
    if hit is None:
        digest = hashlib.sha256(media().read(key)).hexdigest()
        hit = f"{FROZEN_FOLDER}/{digest[:2]}/{digest}.{key.rsplit('.', 1)[-1]}"
        with _LOCK:
            _FROZEN_NAMES[memo] = hit
            while len(_FROZEN_NAMES) > 256:
                _FROZEN_NAMES.pop(next(iter(_FROZEN_NAMES)))
    return hit


_FROZEN_NAMES: dict[tuple, str] = {}


def open_image(key: str) -> Image.Image:
    """Decoded image of a media key (RGB/RGBA), cached per process."""
    with _LOCK:
        im = _CACHE.get(key)
        if im is not None:
            _CACHE.move_to_end(key)
            return im
    loaded = open_upload(media().read(key), max_bytes=200 * 1024 * 1024).image
    with _LOCK:
        _CACHE[key] = loaded
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return loaded


def _with_vector(key: str, image: Image.Image) -> Image.Image:
    """A logo made in the logo maker carries its vector drawing (read from the SVG stored beside
    the PNG) in the image's info, so the label painter prints paths, not pixels. Cached per key."""
    cache_key = f"{key}#vector"
    with _LOCK:
        hit = _CACHE.get(cache_key)
    if hit is not None:
        return hit
    svg_key = db.session.scalar(select(StudioAsset.vector_key).where(
        StudioAsset.media_key == key, StudioAsset.vector_key.is_not(None)).limit(1))
    drawing = drawing_from_svg(media().read(svg_key).decode()) if svg_key and media().exists(svg_key) else None
    out = image
    if drawing is not None:
        out = image.copy()
        out.info[VECTOR_INFO_KEY] = drawing
    with _LOCK:
        _CACHE[cache_key] = out
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out


def load_images(keys: dict[str, str]) -> dict[str, Image.Image]:
    """Open every image of ``keys``; a missing file is left out (compose reports it as missing).
    The producer's logo comes with its vector drawing when it was made in the logo maker."""
    out = {}
    for slot, key in keys.items():
        if media().exists(key):
            out[slot] = _with_vector(key, open_image(key)) if slot == "logo" else open_image(key)
    return out
