"""Packaging engine (pure: no Flask, no database; uses studio.labels and studio.preflight).

Allowed studio imports: labels, preflight. (No framework or database: enforced by tests/test_boundaries.py.)

Stages: catalogue (pack sizes from ``packs/*.toml``) -> net (flat geometry: pieces, panels, cut
and fold lines) -> panels (one LabelDocument per panel from the label engine's templates,
composed by its compose) -> render (the print PDF: the label engine's painter on each face, cut
and fold lines as spot colours, tiling) -> mockup (the same PDF rasterised and wrapped onto a
3D-looking pack).
"""
from __future__ import annotations

from .boxes import tray_with_lid, tuck_end_box
from .catalogue import KINDS, TYPES, Pack, PackError, load_packs, pack_from_dict, pack_from_snapshot, pack_to_dict
from .check import pack_preflight
from .flat import header_card, pouch_stickers, wrap_label, wrap_width_mm
from .mockup import mockup_bytes, render_mockup
from .net import Net, Panel, Piece
from .panels import (LABEL_SETS, compose_panels, merged_label, panel_documents, panel_layout, pdp_panels,
                     set_documents, set_net)
from .render import PAPERS_MM, Tile, plan_tiles, render_pack_pdf


def pack_net(pack: Pack) -> Net:
    """The flat net of ``pack`` (wrap label, header card, pouch stickers or box dieline)."""
    d = pack.dims
    if pack.type in ("jar", "bottle"):
        return wrap_label(d["diameter_mm"], d["label_height_mm"], d["overlap_mm"], pack_id=pack.id)
    if pack.type == "header_bag":
        return header_card(d["bag_width_mm"], d["card_depth_mm"], staple_zone_mm=d["staple_zone_mm"],
                           hang_hole_mm=d["hang_hole_mm"], pack_id=pack.id)
    if pack.type == "pouch":
        return pouch_stickers(pack)
    if pack.type == "box_tuck":
        return tuck_end_box(pack)
    return tray_with_lid(pack)


__all__ = [
    "KINDS", "LABEL_SETS", "PAPERS_MM", "TYPES", "Net", "Pack", "PackError", "Panel", "Piece", "Tile",
    "compose_panels", "header_card", "load_packs", "merged_label", "mockup_bytes", "pack_from_dict",
    "pack_from_snapshot", "pack_net", "pack_preflight", "pack_to_dict", "panel_documents", "panel_layout",
    "pdp_panels", "plan_tiles", "pouch_stickers", "render_mockup", "render_pack_pdf", "set_documents",
    "set_net", "tray_with_lid", "tuck_end_box", "wrap_label", "wrap_width_mm",
]
