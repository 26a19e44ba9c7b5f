"""Publishing a product: the catalogue builds the listing's snapshot itself and stores it.

Which gates a product must pass is not the catalogue's knowledge (they are the producer's wizard
steps, a later feature): :func:`publish` takes them as :class:`PublishGates` - a ``check`` that
refuses (raises a :class:`studio.errors.StudioError`) or returns the approved label version, and an
``after`` hook (the wizard refreshes its cached step). The producer's button passes
``wizard.services.PUBLISH_GATES``; the API (``catalogue/api.py``) uses the gates the app factory put
on the app (``app.extensions[GATES_KEY]``), the same object.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app

from ..auth.models import User
from ..extensions import db
from ..products.models import Photo, Product
from ..products.record import product_record, rule_settings
from ..products.services import get_own_product
from ..rules.labeltext import label_texts
from ..rules.product import to_jsonable
from .models import Listing
from .services import build_snapshot, create_listing, unpublish as unpublish_listing

GATES_KEY = "studio.publish_gates"


@dataclass(frozen=True)
class PublishGates:
    """``check(product, locale)``: raise when the product may not be published (the message in
    ``locale``), else return the approved label version (or None); ``after(product)``: called
    after a publish or unpublish."""

    check: Callable[[Product, str], Any]
    after: Callable[[Product], Any]


def app_gates() -> PublishGates:
    """The gates the app factory registered (the wizard's)."""
    return current_app.extensions[GATES_KEY]


def listing_snapshot(product: Product) -> tuple[Photo | None, dict]:
    """The product's primary photo and everything its listing shows, from its current revision."""
    revision = product.current_revision
    record = product_record(revision)
    profile = product.owner.profile
    texts = label_texts(record, profile.as_label_dict() if profile else {}, settings=rule_settings())
    photo = db.session.get(Photo, product.primary_photo_id) if product.primary_photo_id else None
    return photo, build_snapshot(product, revision, photo, profile, texts, to_jsonable(record), clean=record)


def publish(actor: User, product_id: int, gates: PublishGates, *, locale: str = "id") -> Listing:
    """Publish ``actor``'s product as a new immutable listing once ``gates`` let it through.

    :param locale: the language of a refusal ("id", "en").
    :raises NotFound: / :raises Forbidden: not the actor's product; whatever ``gates.check`` raises.
    """
    product = get_own_product(actor, product_id)
    version = gates.check(product, locale)
    photo, snapshot = listing_snapshot(product)
    listing = create_listing(actor, product, product.current_revision, version.id if version else None, photo,
                             snapshot)
    gates.after(product)
    return listing


def unpublish(actor: User, product_id: int, gates: PublishGates) -> Listing:
    """Take ``actor``'s product out of the catalogue. :raises NotFound: nothing is published."""
    product = get_own_product(actor, product_id)
    listing = unpublish_listing(actor, product)
    gates.after(product)
    return listing
