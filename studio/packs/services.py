"""Use-cases for pack designs (wrap labels, header cards, boxes, pouch stickers).

A pack design is a :class:`Design` row with ``kind`` = the pack's kind, ``pack_id`` and a copy of
the pack's geometry (``pack_snapshot``), the style and options (by default those of the
product's label design, so the pack matches the label), and one document per panel
(``document = {"panels": {panel_id: LabelDocument.to_dict()}}``). Everything printed or shown
goes through the packaging engine, which reuses the label engine's compose and painter.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock
from ..auth.models import Role, User
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..labels import STYLES, ComposedLabel, DesignOptions, DocumentError, LabelDocument
from ..media import media
from ..packaging import (TYPES, Net, Pack, PackError, compose_panels, load_packs, mockup_bytes, pack_from_dict,
                         pack_from_snapshot, pack_net, pack_preflight, pack_to_dict, panel_documents,
                         render_mockup, render_pack_pdf)
from ..preflight import blocker_count, to_jsonable
from ..products.models import Product, ProductRevision
from ..products.services import get_own_product, get_product
from ..site import public_base_url
from ..designs import assets
from ..designs.models import CustomPack, Design
from ..designs.prepare import default_options, default_style
from ..designs.preflight import preflight_settings, register_other_kind_findings
from ..designs.services import find_design
from ..designs.values import label_values
from ..products.data import record_errors
from ..products.record import product_record

PACK_KINDS = ("wrap", "header", "box", "pouch")
MOCKUP_VERSION = "2"
PAPERS = ("A4", "F4", "A3")
OPTION_NAMES = tuple(f.name for f in fields(DesignOptions) if f.name != "overrides")


# ----------------------------------------------------------------------------- catalogue
def file_packs() -> dict[str, Pack]:
    """The validated files of ``packs/`` (loaded once per app; a bad file raises PackError)."""
    packs = current_app.extensions.get("studio.packs")
    if packs is None:
        packs = load_packs(Path(current_app.config["PACKS_DIR"]))
        current_app.extensions["studio.packs"] = packs
    return packs


def get_packs() -> dict[str, Pack]:
    """Every pack size on offer: the files plus sizes an admin added."""
    out = dict(file_packs())
    for row in db.session.scalars(select(CustomPack).order_by(CustomPack.id)):
        try:
            out[row.pack_id] = pack_from_dict({**row.values, "id": row.pack_id}, pack_type=row.pack_type,
                                              type_name_id=TYPE_NAMES.get(row.pack_type, ("", ""))[0],
                                              type_name_en=TYPE_NAMES.get(row.pack_type, ("", ""))[1],
                                              source="admin")
        except PackError:  # pragma: no cover - validated on save
            current_app.logger.warning("custom pack %s no longer valid", row.pack_id)
    return out


TYPE_NAMES = {"pouch": ("Standing pouch", "Stand-up pouch"), "jar": ("Toples", "Jar"),
              "bottle": ("Botol", "Bottle"), "header_bag": ("Plastik dengan kartu header", "Bag with header card"),
              "box_tuck": ("Kotak lipat (tutup selip)", "Folding box (reverse tuck end)"),
              "box_tray": ("Kotak nampan dengan tutup", "Tray box with lid")}


def get_pack(pack_id: str) -> Pack:
    """One pack size. :raises NotFound: unknown id (field ``pack_id``)."""
    pack = get_packs().get(pack_id)
    if pack is None:
        raise NotFound(str(_l("Ukuran kemasan ini tidak ada.")), field="pack_id")
    return pack


def add_custom_pack(actor: User, pack_type: str, name: str, values: dict[str, float]) -> Pack:
    """Save a pack size (admin only), validated like the files.

    :raises Forbidden: not an admin. :raises Invalid: unknown type, empty name or impossible size.
    """
    if actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya admin yang boleh menambah ukuran kemasan.")))
    if pack_type not in TYPES:
        raise Invalid(str(_l("Pilih jenis kemasan.")), field="pack_type")
    name = (name or "").strip()
    if not name:
        raise Invalid(str(_l("Isi nama ukuran kemasan.")), field="name")
    stem = "ukur-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "kemasan")
    taken, pack_id, n = set(get_packs()), stem, 2
    while pack_id in taken:
        pack_id, n = f"{stem}-{n}", n + 1
    _kind, required, optional = TYPES[pack_type]
    data = {k: v for k, v in values.items() if k in required or (k in optional and v is not None)}
    try:
        pack = pack_from_dict({**data, "id": pack_id, "name_id": name, "name_en": name}, pack_type=pack_type,
                              source="admin")
    except PackError as e:
        raise Invalid(str(_l("Ukuran tidak mungkin: %(why)s", why=str(e).split(": ", 1)[-1])),
                      field=next((k for k in (*required, *optional) if k in str(e)), None)) from e
    db.session.add(CustomPack(pack_id=pack_id, pack_type=pack_type, created_by_id=actor.id,
                              values={**data, "name_id": name, "name_en": name}))
    db.session.commit()
    return pack


# ----------------------------------------------------------------------------- designs
def find_pack_design(product: Product, kind: str) -> Design | None:
    """The product's working pack design of ``kind`` (caller checked access), or None."""
    return db.session.scalar(select(Design).where(Design.product_id == product.id, Design.kind == kind)
                             .order_by(Design.id.desc()))


def list_pack_designs(product: Product) -> list[Design]:
    """The product's pack designs, newest first."""
    return list(db.session.scalars(select(Design).where(Design.product_id == product.id,
                                                        Design.kind.in_(PACK_KINDS))
                                   .order_by(Design.updated_at.desc(), Design.id.desc())))


def get_pack_design(actor: User, product_id: int, kind: str) -> Design:
    """A pack design the actor may see. :raises NotFound: no product/design or not allowed."""
    product = get_product(actor, product_id)
    design = find_pack_design(product, kind) if kind in PACK_KINDS else None
    if design is None:
        raise NotFound(str(_l("Desain kemasan tidak ditemukan.")))
    return design


def pack_groups(locale: str) -> list[dict]:
    """Pack sizes grouped by type, in catalogue order, named in ``locale`` ("id" or "en")."""
    out: dict[str, dict] = {}
    for p in sorted(get_packs().values(), key=lambda p: (list(TYPES).index(p.type), p.id)):
        g = out.setdefault(p.type, {"type": p.type, "name": (p.type_name_en if locale == "en" else p.type_name_id)
                                    or TYPE_NAMES[p.type][locale == "en"], "packs": []})
        g["packs"].append({"id": p.id, "name": p.name(locale), "kind": p.kind})
    return list(out.values())


def _label_choices(product: Product) -> tuple[str, dict]:
    """Style and options of the product's label design (so the pack matches), or defaults."""
    label = find_design(product)
    if label is not None:
        return label.style_id, {k: v for k, v in (label.options or {}).items() if k != "overrides"}
    return default_style(product), default_options(product).to_dict()


def start_pack_design(actor: User, product_id: int, pack_id: str, style_id: str | None = None) -> Design:
    """Design the product's pack on ``pack_id`` (one working design per kind: choosing another
    size of the same kind moves the design onto it, keeping style and options).

    :raises NotFound: product or pack unknown; :raises Forbidden: not the owner;
    :raises Invalid: no product data yet, or unknown style (field ``style_id``).
    """
    product = get_own_product(actor, product_id)
    if product.current_revision_id is None:
        raise Invalid(str(_l("Isi data produk dulu sebelum mendesain kemasan.")))
    pack = get_pack(pack_id)
    label_style, label_opts = _label_choices(product)
    design = find_pack_design(product, pack.kind)
    if design is None:
        design = Design(product_id=product.id, kind=pack.kind, style_id=label_style, options=label_opts,
                        saved_overrides={}, created_by_id=actor.id, layout_id=pack.id, layout_snapshot={},
                        document={})
        db.session.add(design)
    if style_id:
        if style_id not in STYLES:
            raise Invalid(str(_l("Pilih salah satu gaya desain.")), field="style_id")
        design.style_id = style_id
    design.pack_id, design.layout_id = pack.id, pack.id
    design.pack_snapshot = pack_to_dict(pack)
    _regenerate(design, product)
    db.session.commit()
    return design


def update_pack_design(actor: User, product_id: int, kind: str, *, style_id: str | None = None,
                       options: dict[str, Any] | None = None) -> Design:
    """Change the style or options of a pack design and regenerate its panels.

    :raises NotFound/Forbidden: as for products; :raises Invalid: unknown style or option.
    """
    product = get_own_product(actor, product_id)
    design = find_pack_design(product, kind)
    if design is None:
        raise NotFound(str(_l("Desain kemasan tidak ditemukan.")))
    if style_id:
        if style_id not in STYLES:
            raise Invalid(str(_l("Pilih salah satu gaya desain.")), field="style_id")
        design.style_id = style_id
    if options:
        unknown = sorted(set(options) - set(OPTION_NAMES))
        if unknown:
            raise Invalid(str(_l("Pilihan tidak dikenal: %(names)s", names=", ".join(unknown))), field="options")
        design.options = {**(design.options or {}), **options}
    _regenerate(design, product)
    db.session.commit()
    return design


def _options(design: Design) -> DesignOptions:
    try:
        return DesignOptions.from_dict({k: v for k, v in (design.options or {}).items() if k != "overrides"})
    except (DocumentError, TypeError):
        return DesignOptions()


def _regenerate(design: Design, product: Product) -> None:
    """Rebuild every panel's document on the current data and store the pack preflight. Nothing
    is written here (the reads do not autoflush): the design is written once, at the caller's
    commit, so SQLite's one write lock is not held while the panels compose (issue #20)."""
    with db.session.no_autoflush:
        pack = pack_from_snapshot(design.pack_snapshot)
        net = pack_net(pack)
        docs = panel_documents(net, design.style_id, _options(design))
        design.document = {"panels": {pid: doc.to_dict() for pid, doc in docs.items()}}
        design.product_revision_id = product.current_revision_id
        r = prepare_pack(design)
        findings = findings_for(r, check_codes=False)
        design.findings = to_jsonable(findings)
        design.blocker_count = blocker_count(findings)


# ----------------------------------------------------------------------------- rendering
@dataclass
class PackRender:
    """Inputs and composed panels of one pack design."""

    design: Design
    product: Product
    pack: Pack
    net: Net
    values: dict[str, str]
    clean: dict[str, Any]
    image_keys: dict[str, str]
    composed: dict[str, ComposedLabel]
    data_errors: dict[str, Any] = field(default_factory=dict)   # fields given but invalid (record_errors)

    @property
    def background(self) -> str:
        return next(iter(self.composed.values())).background if self.composed else "#FFFFFF"

    def digest(self, *extra: Any) -> str:
        """Content hash of everything the output depends on."""
        blob = json.dumps([self.design.document, self.design.pack_snapshot, self.values, self.image_keys,
                           list(extra)], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def prepare_pack(design: Design) -> PackRender:
    """Compose every panel of ``design`` with the product's data and images."""
    product = db.session.get(Product, design.product_id)
    revision = db.session.get(ProductRevision, design.product_revision_id) if design.product_revision_id \
        else product.current_revision
    pack = pack_from_snapshot(design.pack_snapshot)
    net = pack_net(pack)
    docs = {pid: LabelDocument.from_dict(d) for pid, d in (design.document or {}).get("panels", {}).items()}
    values = label_values(product, revision, public_base_url())
    keys = assets.image_keys(product)
    composed = compose_panels(net, docs, values, current_app.extensions["studio.fonts"], assets.load_images(keys))
    return PackRender(design, product, pack, net, values, product_record(revision), keys, composed,
                      record_errors(revision))


def findings_for(r: PackRender, *, check_codes: bool = True):
    """The label preflight over the pack's panels (each finding names its panel)."""
    from dataclasses import replace

    settings = preflight_settings()
    if not check_codes:
        settings = replace(settings, check_codes=False)
    owner = db.session.get(User, r.product.owner_id)
    profile = owner.profile if owner is not None else None
    return pack_preflight(r.net, r.composed, r.clean, today=clock.today(), settings=settings,
                          expected_url=r.values.get("url") or None,
                          regency_code=profile.regency_code if profile and profile.regency_code else None,
                          data_errors=r.data_errors)


@register_other_kind_findings
def stored_findings_again(design: Design) -> list[dict] | None:
    """The pack preflight again on a pack design's stored panels (nothing rebuilt, nothing written),
    as stored on the design: designs.preflight.refresh_after_halal_logo asks for it after the official
    halal logo is uploaded. None for a label design."""
    if design.kind == "label" or not design.pack_snapshot:
        return None
    return to_jsonable(findings_for(prepare_pack(design), check_codes=False))


def _title(r: PackRender) -> str:
    return f"{r.product.name} – {r.pack.name_id}"


def render_pack_design_pdf(design: Design, paper: str | None = None) -> bytes:
    """The print PDF: actual size with 3 mm bleed, cut/fold spot colours (``paper=None``), or
    tiled on "A4" | "F4" | "A3". :raises Invalid: unknown paper."""
    if paper is not None and paper not in PAPERS:
        raise Invalid(str(_l("Kertas tidak dikenal.")), field="paper")
    r = prepare_pack(design)
    caption = f"{r.product.name} · {r.pack.name_id} · {r.net.width_mm:.1f} × {r.net.height_mm:.1f} mm"
    return render_pack_pdf(r.net, r.composed, background=r.background, paper=paper, title=_title(r),
                           caption=caption)


def _cached(key: str, make) -> bytes:
    store = media()
    if store.exists(key):
        return store.read(key)
    data = make()
    store.put(key, data)
    return data


def pack_net_png(design: Design, *, px_long: int = 1400) -> bytes:
    """The flat net with cut and fold lines, rasterised from the print PDF (cached)."""
    from ..labels import render_preview_png

    r = prepare_pack(design)
    dpi = max(40.0, min(200.0, px_long / (max(r.net.width_mm, r.net.height_mm) / 25.4)))
    key = f"packs/net/{MOCKUP_VERSION}/{r.digest('net', dpi)[:40]}.png"
    return _cached(key, lambda: render_preview_png(
        render_pack_pdf(r.net, r.composed, background=r.background, bleed_mm=3.0, title=_title(r)), dpi=dpi))


def pack_mockup(design: Design, *, fmt: str = "PNG", size_px: int = 1200) -> bytes:
    """The mockup (square PNG or JPEG) from the same PDF, cached by content."""
    fmt = "JPEG" if fmt.upper() in ("JPG", "JPEG") else "PNG"
    r = prepare_pack(design)
    key = f"packs/mockup/{MOCKUP_VERSION}/{r.digest('mockup', fmt, size_px)[:40]}.{fmt.lower()[:3]}"

    def make() -> bytes:
        art = render_pack_pdf(r.net, r.composed, background=r.background, bleed_mm=0.0, lines=False)
        return mockup_bytes(render_mockup(r.net, r.pack, art, size_px=size_px), fmt)
    return _cached(key, make)


def render_pack_for_cli(product_id: int, pack_id: str, paper: str | None = None) -> bytes:
    """Print PDF for ``pack_id`` from the product's pack design of that kind; when there is none
    (or it is on another size) the pack is made from the label design's style and options.

    :raises NotFound: product or pack unknown. :raises Invalid: no product data, unknown paper.
    """
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    if product.current_revision_id is None:
        raise Invalid("the product has no data yet")
    pack = get_pack(pack_id)
    design = find_pack_design(product, pack.kind)
    if design is None or design.pack_id != pack.id:
        style, opts = (design.style_id, design.options) if design is not None else _label_choices(product)
        design = Design(product_id=product.id, kind=pack.kind, style_id=style, options=opts, layout_id=pack.id,
                        layout_snapshot={}, pack_id=pack.id, pack_snapshot=pack_to_dict(pack), document={},
                        product_revision_id=product.current_revision_id)
        docs = panel_documents(pack_net(pack), style, _options(design))
        design.document = {"panels": {pid: d.to_dict() for pid, d in docs.items()}}
    return render_pack_design_pdf(design, paper)
