"""The declarative label document: what goes where, in mm from the label's top-left corner.

A document stores no editor state and no screen pixels. ``to_dict``/``from_dict`` give the JSON
shape stored with a design; ``from_dict`` rejects unknown keys and migrates older versions.
Text may hold ``${field}`` placeholders (see fields.py) and ``<b>…</b>`` bold spans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, Union

SCHEMA_VERSION = 1
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
ALIGNS = ("left", "center", "right")
VALIGNS = ("top", "middle", "bottom")
FITS = ("contain", "cover")
MOTIFS = ("tumpal", "kawung", "dots", "babi")


class DocumentError(ValueError):
    """A label document is malformed (unknown key, bad colour, unsupported version…)."""


def _check_color(value: str | None, what: str, *, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not _HEX.match(value):
        raise DocumentError(f"{what} must be a colour like '#1A2B3C', got {value!r}")


@dataclass(frozen=True)
class Box:
    """Item frame in millimetres; origin at the label's top-left corner, y grows downwards."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float

    def __post_init__(self) -> None:
        if self.w_mm < 0 or self.h_mm < 0:
            raise DocumentError(f"box size must not be negative: {self}")

    @property
    def right_mm(self) -> float:
        return self.x_mm + self.w_mm

    @property
    def bottom_mm(self) -> float:
        return self.y_mm + self.h_mm

    def inset(self, d_mm: float) -> Box:
        """The box shrunk by ``d_mm`` on every side (never below zero size)."""
        return Box(self.x_mm + d_mm, self.y_mm + d_mm,
                   max(0.0, self.w_mm - 2 * d_mm), max(0.0, self.h_mm - 2 * d_mm))

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x_mm, self.y_mm, self.w_mm, self.h_mm)


@dataclass(frozen=True)
class TextItem:
    """Text wrapped inside ``box``, shrunk from ``size_pt`` down to ``min_size_pt`` to fit."""

    box: Box
    text: str
    font: str = "body"              # a role of LabelDocument.fonts ("heading"/"body") or a FontRegistry name
    size_pt: float = 9.0
    min_size_pt: float = 6.0
    align: str = "left"
    valign: str = "top"
    color: str = "#000000"
    bold: bool = False
    line_height: float = 1.2        # baseline pitch as a multiple of the size
    uppercase: bool = False         # print the substituted text in capitals
    flow: str = ""                  # texts sharing a flow id stack top-down inside their joint frame
    min_cap_field: str = ""         # a value key holding the smallest capital height in mm (net quantity)
    tag: str = ""
    panel: str = "front"
    when: str = ""                  # a value key: drawn only when that value is not blank

    def __post_init__(self) -> None:
        _check_color(self.color, "text color", optional=False)
        if self.align not in ALIGNS:
            raise DocumentError(f"align must be one of {ALIGNS}, got {self.align!r}")
        if self.valign not in VALIGNS:
            raise DocumentError(f"valign must be one of {VALIGNS}, got {self.valign!r}")
        if not 0 < self.min_size_pt <= self.size_pt:
            raise DocumentError(f"need 0 < min_size_pt <= size_pt, got {self.min_size_pt}/{self.size_pt}")


@dataclass(frozen=True)
class ImageItem:
    """A picture from the ``images`` dict passed to compose, fitted into ``box``."""

    box: Box
    image_key: str
    fit: str = "contain"
    required: bool = True           # False: silently omitted when no image is supplied (halal logo)
    tag: str = "photo"
    panel: str = "front"

    def __post_init__(self) -> None:
        if self.fit not in FITS:
            raise DocumentError(f"fit must be one of {FITS}, got {self.fit!r}")


@dataclass(frozen=True)
class QRItem:
    """A QR code of the value ``values[data_field]``; the square symbol plus quiet zone fills ``box``."""

    box: Box
    data_field: str = "url"
    ec: str = "M"
    color: str = "#000000"
    tag: str = "qr"
    panel: str = "front"

    def __post_init__(self) -> None:
        _check_color(self.color, "QR color", optional=False)
        if self.ec not in ("M", "Q", "H"):
            raise DocumentError(f"QR error correction must be M, Q or H, got {self.ec!r}")


@dataclass(frozen=True)
class EANItem:
    """An EAN-13 barcode of ``values[data_field]`` with human-readable digits, inside ``box``."""

    box: Box
    data_field: str = "gtin"
    color: str = "#000000"
    tag: str = "ean"
    panel: str = "front"


@dataclass(frozen=True)
class RectItem:
    """A filled and/or stroked rectangle; ``bleed`` extends it past label edges it touches."""

    box: Box
    fill: str | None = None
    stroke: str | None = None
    stroke_w_mm: float = 0.25
    radius_mm: float = 0.0
    bleed: bool = False
    tag: str = "decor"
    panel: str = "front"
    when: str = ""                  # a value key: drawn only when that value is not blank

    def __post_init__(self) -> None:
        _check_color(self.fill, "fill")
        _check_color(self.stroke, "stroke")


@dataclass(frozen=True)
class EllipseItem:
    """A filled and/or stroked ellipse inscribed in ``box``."""

    box: Box
    fill: str | None = None
    stroke: str | None = None
    stroke_w_mm: float = 0.25
    tag: str = "decor"
    panel: str = "front"
    when: str = ""                  # a value key: drawn only when that value is not blank

    def __post_init__(self) -> None:
        _check_color(self.fill, "fill")
        _check_color(self.stroke, "stroke")


@dataclass(frozen=True)
class PatternItem:
    """A repeated decorative motif (tumpal triangles, kawung, dots) filling ``box``, or one drawn
    picture (``babi``: the pig of the pork warning sign)."""

    box: Box
    motif: str = "tumpal"
    color: str = "#000000"
    scale_mm: float = 4.0
    tag: str = "decor"
    panel: str = "front"
    when: str = ""                  # a value key: drawn only when that value is not blank

    def __post_init__(self) -> None:
        _check_color(self.color, "pattern color", optional=False)
        if self.motif not in MOTIFS:
            raise DocumentError(f"motif must be one of {MOTIFS}, got {self.motif!r}")
        if self.scale_mm <= 0:
            raise DocumentError("pattern scale_mm must be positive")


Item = Union[TextItem, ImageItem, QRItem, EANItem, RectItem, EllipseItem, PatternItem]
ITEM_TYPES: dict[str, type] = {"text": TextItem, "image": ImageItem, "qr": QRItem, "ean": EANItem,
                               "rect": RectItem, "ellipse": EllipseItem, "pattern": PatternItem}
_TYPE_NAMES = {cls: name for name, cls in ITEM_TYPES.items()}


@dataclass(frozen=True)
class LabelDocument:
    """A whole label design: items painted in order (first = bottom)."""

    layout_id: str
    items: tuple[Item, ...]
    background: str | None = "#FFFFFF"   # None: transparent (job overlays printed on top of a label)
    fonts: dict[str, str] = field(default_factory=lambda: {"heading": "sans-bold", "body": "sans"})
    clip_to_shape: bool = False     # clip everything to the die-cut shape (round labels)
    flags: tuple[str, ...] = ()     # e.g. "needs_back_label" (set by templates, reported by compose)
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        _check_color(self.background, "background")
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "flags", tuple(self.flags))

    def with_items(self, items: tuple[Item, ...]) -> LabelDocument:
        """A copy with ``items`` replaced."""
        return replace(self, items=tuple(items))

    def find(self, tag: str) -> list[Item]:
        """Items carrying ``tag``, in paint order."""
        return [it for it in self.items if it.tag == tag]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (the stored design)."""
        return {"schema_version": self.schema_version, "layout_id": self.layout_id,
                "background": self.background, "fonts": dict(self.fonts),
                "clip_to_shape": self.clip_to_shape, "flags": list(self.flags),
                "items": [item_to_dict(it) for it in self.items]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LabelDocument:
        """Rebuild a document, migrating older schema versions.

        :raises DocumentError: unknown keys, unknown item types, bad values, or a newer version.
        """
        if not isinstance(d, dict):
            raise DocumentError("a label document must be a JSON object")
        d = migrate(d)
        allowed = {"schema_version", "layout_id", "background", "fonts", "clip_to_shape", "flags", "items"}
        unknown = sorted(set(d) - allowed)
        if unknown:
            raise DocumentError(f"unknown document key(s): {', '.join(unknown)}")
        if "layout_id" not in d or "items" not in d:
            raise DocumentError("a label document needs layout_id and items")
        fonts_ = d.get("fonts", {"heading": "sans-bold", "body": "sans"})
        if not isinstance(fonts_, dict) or not all(isinstance(v, str) for v in fonts_.values()):
            raise DocumentError("fonts must map role names to font names")
        return cls(layout_id=str(d["layout_id"]), items=tuple(item_from_dict(x) for x in d["items"]),
                   background=d.get("background", "#FFFFFF"), fonts=dict(fonts_),
                   clip_to_shape=bool(d.get("clip_to_shape", False)),
                   flags=tuple(str(f) for f in d.get("flags", ())), schema_version=SCHEMA_VERSION)


def item_to_dict(item: Item) -> dict[str, Any]:
    """One item as a JSON-serialisable dict with a ``type`` key."""
    out: dict[str, Any] = {"type": _TYPE_NAMES[type(item)]}
    for f in fields(item):
        v = getattr(item, f.name)
        out[f.name] = {"x_mm": v.x_mm, "y_mm": v.y_mm, "w_mm": v.w_mm, "h_mm": v.h_mm} \
            if isinstance(v, Box) else v
    return out


def item_from_dict(d: dict[str, Any]) -> Item:
    """Inverse of :func:`item_to_dict`. :raises DocumentError: unknown type or key, bad values."""
    if not isinstance(d, dict) or d.get("type") not in ITEM_TYPES:
        raise DocumentError(f"unknown item type {d.get('type') if isinstance(d, dict) else d!r}")
    cls = ITEM_TYPES[d["type"]]
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(d) - names - {"type"})
    if unknown:
        raise DocumentError(f"{d['type']} item: unknown key(s): {', '.join(unknown)}")
    kwargs = {k: v for k, v in d.items() if k != "type"}
    box = kwargs.get("box")
    if not isinstance(box, dict) or set(box) != {"x_mm", "y_mm", "w_mm", "h_mm"}:
        raise DocumentError(f"{d['type']} item: box needs exactly x_mm, y_mm, w_mm, h_mm")
    try:
        kwargs["box"] = Box(**{k: float(v) for k, v in box.items()})
        return cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise DocumentError(f"{d['type']} item: {e}") from e


# Migrations: version N -> N+1 functions on the raw dict. Never guess an unknown version.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


def migrate(d: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored document dict up to SCHEMA_VERSION. :raises DocumentError: on newer versions."""
    version = d.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1:
        raise DocumentError(f"bad schema_version {version!r}")
    if version > SCHEMA_VERSION:
        raise DocumentError(f"document schema_version {version} is newer than this studio ({SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        d = MIGRATIONS[version](dict(d))
        version += 1
        d["schema_version"] = version
    return d
