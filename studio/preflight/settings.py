"""Preflight thresholds. Uncertain facts (spec ⚠) are settings, never constants in the rules.

Legal facts shared with the data rules (x-height, BDKT heights, halal regex, severity overrides…)
live in :class:`studio.rules.RuleSettings`; this object adds what only the label check needs.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..rules import RuleSettings, Severity


@dataclass(frozen=True)
class PreflightSettings:
    """Label-geometry thresholds plus the shared :class:`RuleSettings` (``rules``)."""

    rules: RuleSettings = field(default_factory=RuleSettings)
    pdp_panels: tuple[str, ...] = ("front",)        # the principal display panel(s), spec §2.2
    contrast_min: float = 4.5                        # WCAG ratio for mandatory text (LEG-02)
    contrast_block_min: float = 3.0                  # mandatory text below this ratio blocks (LEG-02)
    contrast_percentile: float = 10.0                # under text on a photo/band: ratio reached by 90 %
    pixel_dpi: int = 150                             # raster for the background under text
    check_pixels: bool = True                        # False: compare colours only (no rasterising)
    one_bit_dpi: int | None = None                   # thermal printer dots per inch (PRINT-02), None = off
    halal_number_max_gap_mm: float = 15.0            # number within 15 mm of the logo (HALAL-03)
    allergen_stmt_max_gap_mm: float = 10.0           # statement next to the ingredient list (ALG-01)
    expiry_box_min_mm: tuple[float, float] = (15.0, 6.0)   # stamping box w × h (DATE-01)
    scan_dpi: int = 300                              # clean raster for QR/EAN decoding
    degraded_dpi: int = 150                          # camera capture of a cheap inkjet print
    degraded_printer_dpi: int = 300
    degraded_blur_mm: float = 0.05
    degraded_dot_gain: float = 0.15
    check_codes: bool = True                         # False skips rasterising (fast editor previews)
    check_data: bool = True                          # include the product-data rules (data_findings)
    severity_overrides: tuple[tuple[str, str], ...] = ()   # preflight-only overrides, win over rules'

    def severity(self, rule_id: str, default: str) -> str:
        """Configured severity for ``rule_id`` (own overrides, then the rules' overrides)."""
        own = dict(self.severity_overrides)
        if rule_id in own:
            return own[rule_id]
        return self.rules.severity(rule_id, default)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, rules: RuleSettings | None = None) -> PreflightSettings:
        """Build from app config (``PREFLIGHT`` dict; keys are field names, case-insensitive).

        :raises ValueError: on an unknown key or a bad severity, so a typo fails at startup.
        """
        names = {f.name for f in dataclasses.fields(cls)} - {"rules"}
        kwargs: dict[str, Any] = {"rules": rules or RuleSettings()}
        for raw_key, value in (data or {}).items():
            key = str(raw_key).lower()
            if key not in names:
                raise ValueError(f"unknown preflight setting: {raw_key!r}")
            if key == "pdp_panels":
                value = tuple(str(v) for v in value)
            elif key == "expiry_box_min_mm":
                value = (float(value[0]), float(value[1]))
            elif key == "severity_overrides":
                items = value.items() if isinstance(value, Mapping) else value
                value = tuple((str(k), str(v).upper()) for k, v in items)
                for rule_id, sev in value:
                    if sev not in Severity.__members__:
                        raise ValueError(f"severity for {rule_id} must be one of {list(Severity.__members__)}")
            elif key == "one_bit_dpi":
                value = int(value) if value else None
            elif key in ("check_codes", "check_data", "check_pixels"):
                value = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
            elif key in ("scan_dpi", "degraded_dpi", "degraded_printer_dpi", "pixel_dpi"):
                value = int(value)
            else:
                value = float(value)
            kwargs[key] = value
        return cls(**kwargs)


def as_preflight_settings(settings: PreflightSettings | RuleSettings | None) -> PreflightSettings:
    """Accept either settings object (a bare RuleSettings gets preflight defaults)."""
    if isinstance(settings, PreflightSettings):
        return settings
    return PreflightSettings(rules=settings or RuleSettings())
