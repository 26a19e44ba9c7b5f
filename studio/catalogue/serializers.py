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
        },
        "photos": _photo_urls(listing),
        "published": listing.is_current,
        "published_at": listing.published_at.isoformat() if listing.published_at else None,
    }
