"""Column profiles of the marketplaces' bulk-upload sheets (Tokopedia "Tambah Sekaligus", Shopee
"Mass Upload"), used by the XLSX export so a producer who also sells there re-types nothing.

NOT VERIFIED (spec §6, "Bulk-upload templates: not verified", from memory ⚠): the column names,
their order, the weight unit, the number of pictures and the title/description limits below are the
studio's best knowledge, not copied from the seller centres' current templates. They are therefore a
setting: ``MARKETPLACE_PROFILES`` in the app config replaces a profile (same shape) once someone has
downloaded the current template and checked it. The marketplace's category code is not known either:
``categories`` maps the studio's category to it (empty: the studio's category name is written and the
row's note says so).

A profile: ``sheet`` (sheet name), ``title_max``, ``description_max``, ``max_photos``,
``weight_unit`` ("g" or "kg"), ``categories`` {studio category: marketplace code}, ``columns``
[(header, field)]. Fields: see :data:`FIELDS`.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

DEFAULT_PROFILES: dict[str, dict] = {
    "tokopedia": {
        "sheet": "Tokopedia",
        "title_max": 70,            # ⚠ legacy limit [K]
        "description_max": 2000,    # [S34]
        "max_photos": 5,            # ⚠ legacy app constant [S34]
        "weight_unit": "g",         # grams, 1 – 500 000 [S34]
        "categories": {},
        "columns": [("Nama Produk", "title"), ("Deskripsi Produk", "description_full"),
                    ("Kategori", "category"), ("Berat (Gram)", "weight"), ("Minimum Pemesanan", "min_order"),
                    ("Etalase", "etalase"), ("Waktu Proses Preorder", "preorder"), ("Kondisi", "condition"),
                    *[(f"Gambar {i}", f"photo_{i}") for i in range(1, 6)], ("URL Video Produk", "video"),
                    ("SKU Name", "sku"), ("Status", "status"), ("Jumlah Stok", "stock"), ("Harga (Rp)", "price")],
    },
    "shopee": {
        "sheet": "Shopee",
        "title_max": 120,           # ⚠ seen in third-party code for another country [S36]
        "description_max": 3000,    # ⚠ [S36]
        "max_photos": 9,            # cover + 8 [S36] ⚠
        "weight_unit": "g",         # ⚠ the API takes kg; the mass-upload sheet's unit is not verified
        "categories": {},
        "columns": [("Kategori", "category"), ("Nama Produk", "title"), ("Deskripsi Produk", "description_full"),
                    ("SKU Induk", "sku"), ("Nama Variasi 1", "variation_name"), ("Varian untuk Variasi 1", "variant"),
                    ("Harga", "price"), ("Stok", "stock"), ("Kode Variasi", "sku"), ("Foto Sampul", "photo_1"),
                    *[(f"Foto Produk {i}", f"photo_{i + 1}") for i in range(1, 9)], ("Berat", "weight"),
                    ("Panjang", "length_cm"), ("Lebar", "width_cm"), ("Tinggi", "height_cm"),
                    ("Jasa Kirim", "shipping")],
    },
}

# columns every marketplace sheet ends with: facts buyers and seller centres ask for in food categories
# (izin edar ⚠[K]) that the templates above may not have a column for, and the studio's own notes
EXTRA_COLUMNS = [("Izin Edar (P-IRT/BPOM)", "permit"), ("Sertifikat Halal", "halal_certificate"),
                 ("GTIN/EAN", "gtin"), ("Isi Bersih", "net_quantity"), ("Kode BLONJO", "code"),
                 ("URL BLONJO", "url")]

FIELDS = ("title", "description_full", "category", "weight", "min_order", "etalase", "preorder", "condition",
          "video", "sku", "status", "stock", "price", "variation_name", "variant", "length_cm", "width_cm",
          "height_cm", "shipping", "permit", "halal_certificate", "gtin", "net_quantity", "code", "url",
          *[f"photo_{i}" for i in range(1, 10)])
TEXT_FIELDS = {"sku", "gtin", "code", "halal_certificate", "permit"}   # digits that must stay text


def profiles() -> dict[str, dict]:
    """The marketplace profiles in use: the defaults, each replaced by ``MARKETPLACE_PROFILES[name]``."""
    out = {name: dict(p) for name, p in DEFAULT_PROFILES.items()}
    for name, override in (current_app.config.get("MARKETPLACE_PROFILES") or {}).items():
        out[name] = {**out.get(name, {}), **override}
    return out


def _category_id(key: str) -> str:
    """The category's Indonesian name (the marketplace's shop is Indonesian, whatever the user's language)."""
    from flask_babel import force_locale

    from ..products.sections import CHOICES

    with force_locale("id"):
        label = dict(CHOICES["category"]).get(key)
        return str(label) if label and key else (key or "").replace("_", " ").capitalize()


def listing_title(d: dict, limit: int | None = None) -> str:
    """"Merek + nama jenis + varian + berat" (spec §4.8), without repeating the brand when the name has it."""
    parts = []
    brand, name = (d.get("brand") or "").strip(), (d.get("name") or "").strip()
    if brand and brand.lower() not in name.lower():
        parts.append(brand)
    parts.append(name)
    if d.get("variant") and d["variant"].lower() not in name.lower():
        parts.append(d["variant"])
    net = d.get("net") or {}
    if net.get("value"):
        parts.append(f"{net['value'].replace('.', ',')} {net['unit']}")
    return " ".join(p for p in parts if p)


def full_description(d: dict) -> str:
    """The description with the facts a marketplace listing should carry (spec §4.8: komposisi, berat,
    izin edar, halal, penyimpanan), so the seller centre's description needs no typing."""
    lines = [d.get("description") or d.get("name") or ""]
    facts = [("Isi bersih", d.get("net_quantity")), ("Komposisi", (d.get("ingredients") or "")
                                                      .removeprefix("Komposisi: ")),
             ("Alergen", d.get("allergens")), ("Izin edar", d.get("permit")),
             ("Sertifikat halal", d.get("halal_certificate")), ("Penyimpanan", d.get("storage"))]
    if d.get("shelf_life_days"):
        facts.append(("Baik digunakan sebelum", f"{d['shelf_life_days']} hari setelah tanggal produksi "
                                                "(tanggal tertera di kemasan)"))
    facts.append(("Produsen", ", ".join(x for x in (d["producer"].get("business_name"), d["producer"].get("desa"),
                                                     d["producer"].get("regency")) if x)))
    block = "\n".join(f"{k}: {v}" for k, v in facts if v)
    return "\n\n".join(x for x in (lines[0].strip(), block) if x)


def values_for(d: dict, profile: dict) -> dict:
    """Field -> cell value for one listing (API shape ``d``) under ``profile``: numbers stay numbers,
    codes stay text, an unknown value is None (an empty cell)."""
    dims = d.get("package_cm") or [None, None, None]
    weight = d.get("shipping_weight_g")
    if weight is not None and profile.get("weight_unit") == "kg":
        weight = round(weight / 1000, 3)
    images = [u for u in [(d.get("photos") or {}).get("catalogue"), *[g["catalogue"] for g in d.get("gallery") or []]]
              if u][:profile.get("max_photos", 9)]
    category = d.get("category") or ""
    out = {
        "title": listing_title(d), "description_full": full_description(d),
        "category": (profile.get("categories") or {}).get(category, category),
        "weight": weight, "min_order": d.get("min_order") or 1, "etalase": _category_id(category) or None,
        "preorder": None, "condition": "Baru", "video": None, "sku": d.get("sku") or None, "status": "Aktif",
        "stock": d.get("stock"), "price": d["price"]["amount"], "variation_name": "Varian" if d.get("variant") else None,
        "variant": d.get("variant") or None, "length_cm": dims[0], "width_cm": dims[1], "height_cm": dims[2],
        "shipping": None, "permit": d.get("permit") or None, "halal_certificate": d.get("halal_certificate") or None,
        "gtin": d.get("gtin") or None, "net_quantity": d.get("net_quantity") or None, "code": d.get("code"),
        "url": d.get("url"),
    }
    for i in range(1, 10):
        out[f"photo_{i}"] = images[i - 1] if i <= len(images) else None
    return out


def notes_for(d: dict, profile: dict) -> list[str]:
    """What the seller centre may refuse in this row, in the user's language (the cells themselves stay
    Indonesian: they go into an Indonesian marketplace)."""
    out = []
    title = listing_title(d)
    if len(title) > profile.get("title_max", 10_000):
        out.append(str(_l("Nama produk %(n)d huruf; batasnya %(max)d.", n=len(title), max=profile["title_max"])))
    desc = full_description(d)
    if len(desc) > profile.get("description_max", 10_000):
        out.append(str(_l("Deskripsi %(n)d huruf; batasnya %(max)d.", n=len(desc), max=profile["description_max"])))
    if d.get("category") and d["category"] not in (profile.get("categories") or {}):
        out.append(str(_l("Kode kategori marketplace belum dipetakan: pilih kategorinya di seller centre.")))
    if not d.get("photos"):
        out.append(str(_l("Belum ada foto.")))
    if not d.get("shipping_weight_g"):
        out.append(str(_l("Berat kirim belum diisi.")))
    return out
