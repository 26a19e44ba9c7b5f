"""Pack catalogue: one TOML file per pack type in ``packs/``, each listing sizes (mm).

Validated at load like the label stock: an unknown or missing key, a non-positive length or an
impossible geometry raises :class:`PackError` naming the file and the size.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: pack type -> (kind of design, required keys, optional keys with defaults)
TYPES: dict[str, tuple[str, tuple[str, ...], dict[str, float]]] = {
    "pouch": ("pouch", ("width_mm", "height_mm", "gusset_mm"),
              {"top_seal_mm": 35.0, "side_seal_mm": 6.0, "label_gap_mm": 4.0}),
    "jar": ("wrap", ("diameter_mm", "height_mm", "label_height_mm"),
            {"overlap_mm": 6.0, "label_bottom_mm": 8.0}),
    "bottle": ("wrap", ("diameter_mm", "height_mm", "label_height_mm", "neck_diameter_mm", "shoulder_mm"),
               {"overlap_mm": 6.0, "label_bottom_mm": 15.0}),
    "header_bag": ("header", ("bag_width_mm", "bag_height_mm", "card_depth_mm"),
                   {"staple_zone_mm": 10.0, "hang_hole_mm": 6.0}),
    "box_tuck": ("box", ("length_mm", "width_mm", "depth_mm"),
                 {"board_mm": 0.4, "glue_flap_mm": 14.0, "tuck_mm": 0.0}),
    "box_tray": ("box", ("length_mm", "width_mm", "depth_mm", "lid_depth_mm"),
                 {"board_mm": 0.4, "clearance_mm": 1.0, "glue_flap_mm": 12.0}),
}
KINDS = ("wrap", "header", "box", "pouch")
_TEXT_KEYS = ("id", "name_id", "name_en")


class PackError(ValueError):
    """A pack definition is invalid; the message names the file (or source) and the size."""


@dataclass(frozen=True)
class Pack:
    """One pack size. ``dims`` holds every length of its type (mm), defaults filled in."""

    id: str
    type: str
    name_id: str
    name_en: str
    dims: dict[str, float] = field(default_factory=dict)
    type_name_id: str = ""
    type_name_en: str = ""
    source: str = ""

    @property
    def kind(self) -> str:
        """The design kind this pack needs: ``wrap`` | ``header`` | ``box`` | ``pouch``."""
        return TYPES[self.type][0]

    def name(self, locale: str) -> str:
        """The size's name in ``locale`` ("id" or "en")."""
        return self.name_en if locale == "en" and self.name_en else self.name_id


def _check(pack_type: str, dims: dict[str, float], fail) -> None:
    """Type-specific geometry: what cannot be made or would not fit."""
    d = dims
    if pack_type in ("jar", "bottle"):
        if d["label_height_mm"] + d["label_bottom_mm"] > d["height_mm"] - (d.get("shoulder_mm") or 0) + 1e-6 \
                and pack_type == "bottle":
            fail("label_height_mm + label_bottom_mm must stay below the shoulder "
                 f"(height_mm - shoulder_mm = {d['height_mm'] - d['shoulder_mm']:g})")
        if d["label_height_mm"] + d["label_bottom_mm"] > d["height_mm"] + 1e-6:
            fail(f"label_height_mm + label_bottom_mm ({d['label_height_mm'] + d['label_bottom_mm']:g}) "
                 f"is more than height_mm {d['height_mm']:g}")
        if d["overlap_mm"] > math.pi * d["diameter_mm"] / 4:
            fail("overlap_mm is more than a quarter of the circumference")
        if pack_type == "bottle" and d["neck_diameter_mm"] >= d["diameter_mm"]:
            fail("neck_diameter_mm must be smaller than diameter_mm")
    elif pack_type == "pouch":
        free = d["height_mm"] - d["top_seal_mm"] - d["gusset_mm"] - 2 * d["label_gap_mm"]
        if free < 30:
            fail(f"only {free:g} mm of face is left between the top seal and the gusset (need 30)")
        if d["width_mm"] - 2 * (d["side_seal_mm"] + d["label_gap_mm"]) < 30:
            fail("width_mm leaves less than 30 mm for the sticker between the side seals")
    elif pack_type == "header_bag":
        need = d["staple_zone_mm"] + d["hang_hole_mm"] + 15
        if d["card_depth_mm"] < need:
            fail(f"card_depth_mm {d['card_depth_mm']:g} leaves no room for text "
                 f"(staple zone + hang hole + 15 mm = {need:g})")
    elif pack_type in ("box_tuck", "box_tray"):
        if not 0.1 <= d["board_mm"] <= 3.0:
            fail(f"board_mm must be between 0.1 and 3, got {d['board_mm']:g}")
        if d["glue_flap_mm"] < 5:
            fail("glue_flap_mm must be at least 5")
        if pack_type == "box_tuck":
            if d["tuck_mm"] and d["tuck_mm"] > d["depth_mm"] / 2:
                fail("tuck_mm must be at most half of depth_mm")
            if d["glue_flap_mm"] > d["width_mm"]:
                fail("glue_flap_mm must not be wider than width_mm (it is glued inside a side)")
        else:
            if d["lid_depth_mm"] > d["depth_mm"] + 2 * d["board_mm"] + d["clearance_mm"]:
                fail("lid_depth_mm is deeper than the tray")
            if d["glue_flap_mm"] >= min(d["length_mm"], d["width_mm"]) / 2:
                fail("glue_flap_mm must be less than half the tray's shorter side")


def pack_from_dict(data: dict[str, Any], *, pack_type: str, defaults: dict[str, Any] | None = None,
                   type_name_id: str = "", type_name_en: str = "", source: str = "") -> Pack:
    """Build one validated :class:`Pack` from a size table (plus the file's ``[defaults]``).

    :raises PackError: unknown type or key, missing key, non-positive length, impossible geometry.
    """
    pid = str(data.get("id") or "")

    def fail(msg: str) -> None:
        raise PackError(f"pack {pid or '?'!r}: {msg}")

    if pack_type not in TYPES:
        raise PackError(f"unknown pack type {pack_type!r} (one of {', '.join(TYPES)})")
    if not pid or not all(c.isalnum() or c in "-_" for c in pid):
        fail("id must be letters, digits, '-' or '_'")
    _kind, required, optional = TYPES[pack_type]
    merged = {**optional, **(defaults or {}), **data}
    allowed = set(required) | set(optional) | set(_TEXT_KEYS)
    unknown = sorted(set(merged) - allowed)
    if unknown:
        fail(f"unknown key(s) for a {pack_type}: {', '.join(unknown)}")
    missing = [k for k in required if k not in merged]
    if missing:
        fail(f"missing key(s): {', '.join(missing)}")
    dims: dict[str, float] = {}
    for key in (*required, *optional):
        v = merged[key]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            fail(f"{key} must be a number, got {v!r}")
        if v < 0 or (key in required and v <= 0):
            fail(f"{key} must be {'positive' if key in required else 'zero or positive'}, got {v!r}")
        dims[key] = float(v)
    _check(pack_type, dims, fail)
    name_id = str(merged.get("name_id") or pid)
    return Pack(pid, pack_type, name_id, str(merged.get("name_en") or name_id), dims,
                type_name_id, type_name_en, source)


def pack_to_dict(pack: Pack) -> dict[str, Any]:
    """Flat JSON-serialisable copy (the snapshot a pack design keeps)."""
    return {"id": pack.id, "type": pack.type, "name_id": pack.name_id, "name_en": pack.name_en,
            "type_name_id": pack.type_name_id, "type_name_en": pack.type_name_en, **pack.dims}


def pack_from_snapshot(snap: dict[str, Any]) -> Pack:
    """Inverse of :func:`pack_to_dict`. :raises PackError: invalid snapshot."""
    data = {k: v for k, v in snap.items() if k not in ("type", "type_name_id", "type_name_en")}
    return pack_from_dict(data, pack_type=str(snap.get("type")), type_name_id=snap.get("type_name_id", ""),
                          type_name_en=snap.get("type_name_en", ""), source="snapshot")


def load_packs(directory: Path) -> dict[str, Pack]:
    """Every size of every ``*.toml`` in ``directory``, by pack id.

    :raises PackError: naming the file (and size) of the first problem, or a duplicate id.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise PackError(f"{directory}: not a directory")
    out: dict[str, Pack] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            unknown = sorted(set(data) - {"type", "name_id", "name_en", "defaults", "sizes"})
            if unknown:
                raise PackError(f"unknown key(s): {', '.join(unknown)}")
            sizes = data.get("sizes")
            if not isinstance(sizes, list) or not sizes:
                raise PackError("needs at least one [[sizes]] table")
            for size in sizes:
                pack = pack_from_dict(size, pack_type=str(data.get("type")), defaults=data.get("defaults") or {},
                                      type_name_id=str(data.get("name_id") or data.get("type")),
                                      type_name_en=str(data.get("name_en") or data.get("type")),
                                      source=path.name)
                if pack.id in out:
                    raise PackError(f"pack id {pack.id!r} already defined in {out[pack.id].source}")
                out[pack.id] = pack
        except tomllib.TOMLDecodeError as e:
            raise PackError(f"{path.name}: not valid TOML: {e}") from e
        except PackError as e:
            raise PackError(f"{path.name}: {e}") from e
    return out
