"""What every preflight check reads (the composed label, the record) and the findings collector."""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..labels import ComposedLabel, Region, SheetLayout
from ..rules import Msg
from .findings import MANDATORY_TAGS, RULES, LabelFinding, is_mandatory_tag
from .settings import PreflightSettings

__all__ = ["MANDATORY_TAGS", "Ctx", "gap_mm", "is_mandatory_tag"]


@dataclass
class Ctx:
    """One preflight run: inputs plus the findings collected so far."""

    label: ComposedLabel
    layout: SheetLayout
    clean: dict[str, Any]
    today: date
    settings: PreflightSettings
    expected_url: str | None = None
    regency_code: str | None = None
    halal_logo_uploaded: bool | None = None     # the hub has the official logo file (None: unknown)
    one_bit_dpi: int | None = None              # judge the 1-bit image a thermal printer gets
    data_errors: dict[str, Any] = field(default_factory=dict)   # fields given but invalid: Msg by field
    out: list[LabelFinding] = field(default_factory=list)

    # ----------------------------------------------------------- regions
    def regions(self, tag: str) -> list[Region]:
        """Every region carrying ``tag`` (compose numbers repeats ``tag#2``, ``tag#3``…)."""
        return [r for key, r in self.label.regions.items() if key == tag or key.startswith(tag + "#")]

    def region(self, tag: str) -> Region | None:
        """The first region with ``tag`` that shows some text (or any region with it)."""
        found = self.regions(tag)
        with_text = [r for r in found if r.text.strip()]
        return (with_text or found or [None])[0]

    def text(self, tag: str) -> str:
        """All text printed under ``tag`` (repeats joined by a space)."""
        return " ".join(r.text for r in self.regions(tag) if r.text.strip())

    def all_text(self) -> str:
        """Every text region of the label, joined (for keyword searches)."""
        return "\n".join(r.text for r in self.label.regions.values() if r.kind == "text" and r.text)

    def label_has_prim(self, tag: str) -> bool:
        """Something is drawn under ``tag`` (pictures made of shapes have no region)."""
        return any(getattr(p, "tag", "") == tag for p in self.label.primitives)

    def on_pdp(self, region: Region) -> bool:
        return region.panel in self.settings.pdp_panels

    @property
    def cls(self) -> str | None:
        value = self.clean.get("product_class")
        return str(value) if value is not None else None

    @property
    def food(self) -> bool:
        return self.cls in ("pangan_pirt", "pangan_bpom")

    @property
    def regulated(self) -> bool:
        return self.food or self.cls == "obat_tradisional"

    # ----------------------------------------------------------- output
    def add(self, rule_id: str, id_text: str, en_text: str, *, region: Region | None = None,
            tag: str | None = None, severity: str | None = None, field: str | None = None,
            box_mm: tuple[float, float, float, float] | None = None) -> None:
        """Record a finding at ``region`` (or ``tag``), severity from settings overrides."""
        default = severity or RULES[rule_id][0]
        sev = self.settings.severity(rule_id, default)
        if region is not None:
            tag, panel, box = region.tag, region.panel, box_mm or tuple(region.box_mm)
        else:
            panel, box = None, box_mm
        self.out.append(LabelFinding(rule_id, sev, Msg(comma_decimals(id_text), en_text), tag, panel,
                                     tuple(round(v, 2) for v in box) if box else None, field))


#: a measured number with a decimal point before its unit ("5.75 pt", "1.2 mm", "3.1:1"); a dot before
#: exactly three digits is an Indonesian thousands separator ("1.500 g") and is left alone
_POINT = re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?!\d)(?=\s?(?:mm|pt|ppi|cm|%|:1|g\b|ml\b))")


def comma_decimals(text: str) -> str:
    """The Indonesian message with decimal commas ("5.75 pt" → "5,75 pt")."""
    return _POINT.sub(r"\1,\2", text)


def gap_mm(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Shortest distance between two boxes (0 when they touch or overlap), in mm."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    dx = max(0.0, max(ax, bx) - min(ax + aw, bx + bw))
    dy = max(0.0, max(ay, by) - min(ay + ah, by + bh))
    return (dx * dx + dy * dy) ** 0.5
