"""What to render: the inputs ``prepare_design`` reads, as one plain value.

A working design and a frozen (submitted, approved) version carry the same fields; printing and
review render a version as it was frozen, the design pages render the working copy. Both become a
:class:`RenderSource` through one of the two constructors below, so nothing dresses a version up as
a design.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Design, DesignVersion


@dataclass(frozen=True)
class RenderSource:
    product_id: int
    layout_id: str
    layout_snapshot: dict
    style_id: str
    options: dict
    document: dict
    product_revision_id: int | None
    # element moves the producer saved per other stock (working designs only; a version has none)
    saved_overrides: dict = field(default_factory=dict)
    # a frozen version's pictures (slot -> media key); None: the product's current pictures
    image_keys: dict | None = None


def source_of_design(design: Design) -> RenderSource:
    """The working design as it is now (its other-stock moves included)."""
    return RenderSource(design.product_id, design.layout_id, design.layout_snapshot, design.style_id,
                        design.options or {}, design.document, design.product_revision_id,
                        design.saved_overrides or {})


def source_of_version(version: DesignVersion) -> RenderSource:
    """Exactly what a submitted version froze: document, stock snapshot, options, data revision and
    pictures (versions from before pictures were frozen use the product's current ones)."""
    return RenderSource(version.product_id, version.layout_id, version.layout_snapshot, version.style_id,
                        version.options or {}, version.document, version.product_revision_id,
                        image_keys=dict(version.image_keys) if version.image_keys is not None else None)
