"""The /api/v1 JSON contract for listings (docs/openapi.yaml). Add fields freely; never rename or remove one."""
from __future__ import annotations

from flask import current_app

from ..site import public_base_url
from .models import Listing


def _photo_urls(listing: Listing) -> dict:
    """Absolute photo URLs on the public address (the same in pages, the API, BLONJO and exports)."""
    photo = listing.snapshot.get("photo") or {}
    if not photo.get("catalogue_key"):
        return {}
    base = public_base_url()
    urls = current_app.url_map.bind("localhost")  # works inside and outside a request

    def u(size: str) -> str:
        return base + urls.build("catalogue.photo", {"listing_id": listing.id, "size": size})
    out = {"catalogue": u("catalogue")}
    for size in sorted((photo.get("thumb_keys") or {}), key=lambda s: -int(s)):
        out[size] = u(size)
    return out


def _picture_urls(listing: Listing) -> list[dict]:
    """Absolute URLs of every picture after the main photo (the pack mockup, the other photos)."""
    base = public_base_url()
    urls = current_app.url_map.bind("localhost")
    out = []
    for i, pic in enumerate(listing.snapshot.get("gallery") or [], start=1):
        if not pic.get("catalogue_key"):
            continue
        entry = {"kind": pic.get("kind", "photo"),
                 "catalogue": base + urls.build("catalogue.gallery_photo",
                                                {"listing_id": listing.id, "index": i, "size": "catalogue"})}
        for size in sorted((pic.get("thumb_keys") or {}), key=lambda s: -int(s)):
            entry[size] = base + urls.build("catalogue.gallery_photo", {"listing_id": listing.id, "index": i,
                                                                        "size": size})
        out.append(entry)
    return out


def _producer_url(producer_id) -> str | None:
    """The producer's shop page (all their listings) on the public address."""
    if producer_id is None:
        return None
    return public_base_url() + current_app.url_map.bind("localhost").build("catalogue.producer",
                                                                          {"producer_id": producer_id})


def _halal_logo_url(listing: Listing) -> str | None:
    if not listing.snapshot.get("halal_logo_key"):
        return None
    return public_base_url() + current_app.url_map.bind("localhost").build("catalogue.halal_logo",
                                                                          {"listing_id": listing.id})


def listing_to_dict(listing: Listing) -> dict:
    """API v1 shape of a listing."""
    s = listing.snapshot
    return {
        "code": listing.public_code,
        "url": s["url"],
        "version": listing.number,
        "name": s["name"],
        "brand": s.get("brand", ""),
        "variant": s.get("variant", ""),
        "category": s.get("category", ""),
        "description": s.get("description", ""),
        "price": {"amount": s.get("price_idr"), "currency": "IDR"},
        "stock": s.get("stock"),
        "min_order": s.get("min_order", 1),
        "net_quantity": s.get("net_quantity", ""),
        "ingredients": s.get("ingredients", "").replace("<b>", "").replace("</b>", ""),
        "allergens": s.get("allergens", ""),
        "storage": s.get("storage", ""),
        "permit": s.get("permit", ""),
        "halal_certificate": s.get("halal_number", ""),
        "gtin": s.get("gtin", ""),
        "sku": s.get("sku", ""),
        "shipping_weight_g": s.get("shipping_weight_g"),
        "package_cm": s.get("package_cm"),
        "producer": {
            "id": s["producer"].get("id"),
            "business_name": s["producer"].get("business_name", ""),
            "desa": s["producer"].get("desa", ""),
            "kecamatan": s["producer"].get("kecamatan", ""),
            "regency": s["producer"].get("regency", ""),
            "whatsapp": s["producer"].get("whatsapp", ""),
            "url": _producer_url(s["producer"].get("id")),
        },
        "photos": _photo_urls(listing),
        "gallery": _picture_urls(listing),
        "halal_logo": _halal_logo_url(listing),
        "shelf_life_days": s.get("shelf_life_days"),
        "net": s.get("net"),
        "nutrition": s.get("nutrition"),
        "published": listing.is_current,
        "published_at": listing.published_at.isoformat() if listing.published_at else None,
    }
