"""Positioned output of compose(): what the painter draws, in absolute mm from the label top-left.

Painters only read these; nothing here is measured again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class TextLine:
    """One run of text in one font on one baseline (a wrapped line may hold several runs)."""

    x_mm: float
    baseline_y_mm: float
    text: str
    font: str               # ReportLab font name of a registered TTF
    size_pt: float
    color: str
    tag: str = ""
    panel: str = "front"


@dataclass(frozen=True)
class Rect:
    """Rectangle; ``bleed`` rects are pushed out past the label edges they touch by the render bleed."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    fill: str | None = None
    stroke: str | None = None
    stroke_w_mm: float = 0.25
    radius_mm: float = 0.0
    bleed: bool = False
    tag: str = ""
    panel: str = "front"


@dataclass(frozen=True)
class Ellipse:
    """Ellipse inscribed in the given frame."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    fill: str | None = None
    stroke: str | None = None
    stroke_w_mm: float = 0.25
    tag: str = ""
    panel: str = "front"


@dataclass(frozen=True)
class Polygons:
    """Many filled closed polygons in one colour (decorative motifs), points in mm."""

    polygons: tuple[tuple[tuple[float, float], ...], ...]
    fill: str
    tag: str = ""
    panel: str = "front"


@dataclass(frozen=True)
class Picture:
    """A raster image placed at (x, y, w, h) mm; ``key`` identifies the pixels (content hash)."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    image: Any = field(compare=False, hash=False, repr=False)   # PIL.Image.Image, already downsampled
    key: str = ""
    tag: str = ""
    panel: str = "front"


@dataclass(frozen=True)
class QRModules:
    """QR symbol: (x, y) is the top-left of the quiet zone; size_mm includes the quiet zone."""

    x_mm: float
    y_mm: float
    size_mm: float
    matrix: tuple[tuple[bool, ...], ...]    # dark modules, without quiet zone
    quiet_modules: int = 4
    color: str = "#000000"
    tag: str = "qr"
    panel: str = "front"

    @property
    def module_mm(self) -> float:
        return self.size_mm / (len(self.matrix) + 2 * self.quiet_modules)


@dataclass(frozen=True)
class EANBars:
    """EAN-13 bars: each bar is (x offset mm, width mm, height mm) from (x_mm, y_mm)."""

    x_mm: float
    y_mm: float
    bars: tuple[tuple[float, float, float], ...]
    color: str = "#000000"
    tag: str = "ean"
    panel: str = "front"


Primitive = Union[TextLine, Rect, Ellipse, Polygons, Picture, QRModules, EANBars]

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class Problem:
    """Something a producer or trainer must know about a composed label (both languages)."""

    code: str
    severity: str               # "info" | "warning" | "error"
    message_id: str
    message_en: str
    tag: str = ""
    box_mm: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Region:
    """Where a tagged item ended up, with what a preflight needs to judge it."""

    tag: str
    kind: str                   # "text" | "image" | "qr" | "ean" | "shape"
    box_mm: tuple[float, float, float, float]
    panel: str = "front"
    text: str = ""
    size_pt: float | None = None        # text: size actually used after shrinking
    min_size_pt: float | None = None
    x_height_mm: float | None = None
    cap_height_mm: float | None = None
    color: str | None = None
    background: str | None = None
    lines: int = 0
    overflow: bool = False
    module_mm: float | None = None      # QR/EAN module width
    ppi: float | None = None            # image effective resolution at placed size


@dataclass(frozen=True)
class ComposedLabel:
    """The result of compose(): positioned primitives plus problems and tagged regions."""

    width_mm: float
    height_mm: float
    shape: str
    corner_radius_mm: float
    primitives: tuple[Primitive, ...]
    problems: tuple[Problem, ...]
    regions: dict[str, Region]
    default_font: str           # ReportLab name of a registered TTF (canvas initialFontName)
    background: str = "#FFFFFF"
    clip_to_shape: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
