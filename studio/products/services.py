"""Use-cases for products: create, find with permission, save immutable data revisions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.models import Role, User
from ..cohorts.services import can_see_owner, trainer_producer_ids
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from .models import Product, ProductRevision, new_public_code
from .record import unchecked_fields

PRODUCT_CLASSES = ("pangan_pirt", "pangan_bpom", "obat_tradisional", "kerajinan", "lainnya")


def get_product(actor: User, product_id: int) -> Product:
    """A product the actor may see (owner, their trainer, admin).

    The hub operator is not among them: printing needs only approved versions, their PDFs and
    the name shown in the print queue (see ``printing.services``), never drafts, history,
    photos or working designs.

    :raises NotFound: otherwise — never reveals that another producer's product exists.
    """
    product = db.session.get(Product, product_id)
    if product is None or product.archived:
        raise NotFound(str(_l("Produk tidak ditemukan.")))
    if can_see_owner(actor, product.owner_id):
        return product
    raise NotFound(str(_l("Produk tidak ditemukan.")))


def get_own_product(actor: User, product_id: int) -> Product:
    """A product the actor may change: the owner (or an admin). Trainers and the hub only read.

    :raises NotFound: when the actor may not see it; :raises Forbidden: when they may only read it.
    """
    product = get_product(actor, product_id)
    if actor.role == Role.ADMIN or product.owner_id == actor.id:
        return product
    raise Forbidden(str(_l("Hanya pemilik produk yang boleh mengubahnya.")))


def list_products(actor: User, owner_id: int | None = None) -> list[Product]:
    """Products visible to the actor, newest first (the hub: none; it works from the print queue)."""
    q = select(Product).where(Product.archived.is_(False)).order_by(Product.updated_at.desc())
    if actor.role == Role.PRODUCER:
        q = q.where(Product.owner_id == actor.id)
    elif actor.role == Role.TRAINER:
        q = q.where(Product.owner_id.in_(trainer_producer_ids(actor) or {-1}))
    elif actor.role != Role.ADMIN:
        return []
    if owner_id is not None:
        q = q.where(Product.owner_id == owner_id)
    return list(db.session.scalars(q))


def unique_code() -> str:
    for _ in range(20):
        code = new_public_code()
        if not db.session.scalar(select(Product.id).where(Product.public_code == code)):
            return code
    raise RuntimeError("could not find a free public code")


def create_product(actor: User, name: str, product_class: str = "pangan_pirt",
                   owner: User | None = None) -> Product:
    """Start a product for ``actor`` (a producer), or for ``owner`` when a trainer/admin imports.

    :raises Invalid: on an empty name or an unknown product class.
    :raises Forbidden: when the actor may not create products for that owner.
    """
    owner = owner or actor
    if owner.role != Role.PRODUCER:
        raise Forbidden(str(_l("Produk dimiliki oleh akun produsen.")))
    if not can_see_owner(actor, owner.id):
        raise Forbidden(str(_l("Anda tidak boleh membuat produk untuk produsen ini.")))
    name = (name or "").strip()
    if not name:
        raise Invalid(str(_l("Isi nama produk.")), field="name")
    if len(name) > 120:
        raise Invalid(str(_l("Nama produk paling panjang 120 huruf.")), field="name")
    if product_class not in PRODUCT_CLASSES:
        raise Invalid(str(_l("Pilih jenis produk.")), field="product_class")
    product = Product(owner_id=owner.id, name=name, product_class=product_class, public_code=unique_code())
    db.session.add(product)
    db.session.commit()
    return product


def add_revision(actor: User, product: Product, data: dict, *, complete_label: bool = False,
                 complete_listing: bool = False, percent: int = 0, note: str = "",
                 commit: bool = True, raw: dict | None = None, errors: dict | None = None) -> ProductRevision:
    """Append an immutable revision and make it current. ``data`` is a checked record in its stored
    form (``products.data.check_product_data(raw).data``): it was validated once, here, and every
    reader decodes it without checking again (``products.record.product_record``). ``raw`` and
    ``errors``: the typed text and its problems, stored with the revision (one INSERT).

    :raises ValueError: ``data`` holds unchecked values (a programming error, not a user's input).
    """
    unchecked = unchecked_fields(data)
    if unchecked:
        raise ValueError(f"add_revision stores checked records only; unchecked fields: {', '.join(unchecked)}")
    number = (db.session.scalar(select(func.max(ProductRevision.number))
                                .where(ProductRevision.product_id == product.id)) or 0) + 1
    rev = ProductRevision(product_id=product.id, number=number, data=data, complete_label=complete_label,
                          complete_listing=complete_listing, percent_complete=percent, note=note[:200],
                          created_by_id=actor.id,
                          **{k: v for k, v in (("raw", raw), ("errors", errors)) if v is not None})
    db.session.add(rev)
    db.session.flush()
    # through the relationship (post_update): products gets one UPDATE. Setting the column while
    # the relationship is loaded made the ORM write the row twice (column change + post-update).
    product.current_revision = rev
    product.name = (data.get("name") or product.name)[:120]
    product.product_class = data.get("product_class") or product.product_class
    if commit:
        db.session.commit()
    else:
        db.session.flush()      # ``product.current_revision_id`` names the new revision right away
    return rev
