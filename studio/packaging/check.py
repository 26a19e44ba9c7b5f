"""The label preflight over a whole pack: every panel's regions judged together, with the
principal display panel(s) of this pack as the preflight's ``pdp_panels``."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ..labels import ComposedLabel
from ..preflight import LabelFinding, PreflightSettings, run_preflight
from ..preflight.settings import as_preflight_settings
from .net import Net
from .panels import merged_label, pdp_panels


#: tags the principal display panel carries (besides every ``pdp.*`` tag)
FRONT_TAGS = frozenset({"brand", "variant", "photo", "logo", "price", "halal_logo"})


def home_panel(net: Net, tag: str) -> str | None:
    """The panel an item belongs on by its role: principal-panel items on the first ``front``
    panel, the rest on the first ``back`` panel (else the front). None for a net without them."""
    base = tag.split("#")[0]
    front = next((p.id for p in net.panels if p.role == "front"), None)
    back = next((p.id for p in net.panels if p.role == "back"), None)
    if base.startswith("pdp.") or base in FRONT_TAGS:
        return front or back
    return back or front


def pack_preflight(net: Net, composed: dict[str, ComposedLabel], clean_record: dict[str, Any] | None, *,
                   today: date, settings: PreflightSettings | None = None, expected_url: str | None = None,
                   regency_code: str | None = None, **run_options: Any) -> list[LabelFinding]:
    """Run the label preflight (``studio.preflight.run_preflight``) on the pack's panels.

    The panels are merged, upright, into one composed label whose regions keep their panel id,
    and the pack's ``front`` panels are the principal display panel; so the law's placement
    rules (name, net quantity, producer, permit, halal, expiry on the PDP) are judged per panel
    and every finding names the panel it is on (``finding.panel``). Box coordinates in findings
    are moved back into their panel's own coordinates. ``run_options`` go to ``run_preflight``
    (``include_compose_problems``, ``halal_logo_uploaded``, ``one_bit_dpi``).
    """
    label, layout, offsets = merged_label(net, composed)
    s = as_preflight_settings(settings)
    s = replace(s, pdp_panels=pdp_panels(net) or s.pdp_panels)
    found = run_preflight(label, layout, clean_record, today=today, settings=s, expected_url=expected_url,
                          regency_code=regency_code, **run_options)
    out = []
    for f in found:
        if f.panel is None and f.tag:       # an item missing from every panel: the panel it belongs on
            f = replace(f, panel=home_panel(net, f.tag))
        if f.panel in offsets and f.box_mm:
            dx, dy = offsets[f.panel]
            x, y, w, h = f.box_mm
            f = replace(f, box_mm=(round(x - dx, 2), round(y - dy, 2), w, h))
        out.append(f)
    return out
