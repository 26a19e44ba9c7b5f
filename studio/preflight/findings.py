"""Label preflight findings: rule, severity, where on the label, and what to do (both languages).

A :class:`LabelFinding` extends the data-level :class:`studio.rules.Finding` with a location
(``tag``, ``panel``, ``box_mm`` in mm from the label's top-left). Findings are stored as JSON on
designs and versions (:func:`to_jsonable` / :func:`from_jsonable`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..rules import RULES as DATA_RULES
from ..rules import Msg, Severity
from ..rules.messages import SEVERITY_ORDER

B, E, W, I = Severity.BLOCKER, Severity.ERROR, Severity.WARNING, Severity.INFO

#: Rules only a composed label can judge: rule id -> (default severity, title id, title en). They
#: extend the one rule table :data:`studio.rules.RULES` and never redefine one of its ids.
LABEL_RULES: dict[str, tuple[Severity, str, str]] = {
    "ALG-02": (E, "Pernyataan alat bersama", "Shared-equipment statement"),
    "NET-03": (E, "Tinggi huruf berat/isi bersih", "Net quantity character height"),
    "ADDR-01": (E, "Nama dan alamat produsen", "Producer name and address"),
    "HALAL-02": (E, "Logo halal", "Halal logo"),
    "DATE-02": (E, "Keterangan kedaluwarsa", "Best-before statement"),
    "DATE-03": (E, "Kedaluwarsa di bagian utama", "Best-before on the main panel"),
    "LEG-01": (W, "Tinggi huruf kecil (x-height)", "Smallest text x-height"),
    "LEG-02": (W, "Kontras teks", "Text contrast"),
    "PRINT-01": (W, "Resolusi gambar", "Image resolution"),
    "PRINT-02": (E, "Teks hilang di printer termal", "Text lost on the thermal printer"),
    "SAFE-01": (W, "Area aman", "Safe area"),
    "OVER-01": (E, "Teks tidak muat", "Text overflow"),
    "OVER-02": (E, "Teks bertumpuk", "Overlapping text"),
    "CODE-02": (E, "Kode QR", "QR code"),
    "DOC-01": (E, "Isian desain", "Design fields"),
    "TEXT-01": (E, "Huruf yang tidak bisa dicetak", "Characters that cannot be printed"),
}
_REDEFINED = sorted(set(LABEL_RULES) & set(DATA_RULES))
if _REDEFINED:      # pragma: no cover - a programming error, caught by the rule-table test too
    raise RuntimeError(f"label rules redefine rule ids of studio.rules: {_REDEFINED}")
#: THE rule table: every rule id once, with one default severity and one title in both languages.
RULES: dict[str, tuple[Severity, str, str]] = {**DATA_RULES, **LABEL_RULES}


#: compose problem code -> preflight rule id (the engine already judges these)
COMPOSE_RULES = {
    "text_overflow": "OVER-01", "outside_safe_area": "SAFE-01", "image_low_ppi": "PRINT-01",
    "qr_no_data": "CODE-02", "qr_too_long": "CODE-02", "qr_too_small": "CODE-02",
    "ean_invalid": "CODE-01", "ean_too_small": "CODE-01", "ean_no_room": "CODE-01", "glyph_missing": "TEXT-01",
}


#: Tags of the mandatory items (spec §2): the principal-panel items are every ``pdp.*`` tag; these
#: are the others. Compose numbers repeats ``tag#2``; :func:`is_mandatory_tag` strips that.
MANDATORY_TAGS = ("pdp.name", "pdp.net_qty", "pdp.producer", "pdp.permit", "pdp.halal", "pdp.expiry",
                  "ingredients", "allergen_stmt", "storage", "nutrition", "warning", "production",
                  "expiry_box")


def is_mandatory_tag(tag: str | None) -> bool:
    """Whether ``tag`` (e.g. ``pdp.name``, ``ingredients#2``) is a mandatory label item."""
    base = (tag or "").split("#", 1)[0]
    return base in MANDATORY_TAGS or base.startswith("pdp.")


def compose_blocks(code: str, tag: str) -> bool:
    """Compose errors that stop a label from going to review: a mandatory item (principal panel,
    ingredients, allergen statement, nutrition, storage, warnings, date code) whose text does not
    fit (part of it is cut off the label) or has characters no label font can draw, and a QR code below the scannable minimum."""
    return ((code in ("text_overflow", "glyph_missing") and is_mandatory_tag(tag))
            or code == "qr_too_small")


@dataclass(frozen=True)
class LabelFinding:
    """One preflight result: rule, severity, message (what to do), and where on the label."""

    rule_id: str
    severity: str
    msg: Msg
    tag: str | None = None
    panel: str | None = None
    box_mm: tuple[float, float, float, float] | None = None
    field: str | None = None            # product-data field, for findings that come from the data

    @property
    def title(self) -> Msg:
        """The rule's short title in both languages."""
        _sev, tid, ten = RULES.get(self.rule_id, (self.severity, self.rule_id, self.rule_id))
        return Msg(tid, ten)

    @property
    def is_blocker(self) -> bool:
        return self.severity == Severity.BLOCKER

    def with_severity(self, severity: str) -> LabelFinding:
        """A copy with another severity (per-rule overrides)."""
        return LabelFinding(self.rule_id, severity, self.msg, self.tag, self.panel, self.box_mm, self.field)

    def to_dict(self) -> dict[str, Any]:
        """JSON form stored on Design.findings / DesignVersion.findings (the same keys as the
        design service's compose problems: ``code``, ``severity``, ``message_id``, ``message_en``,
        ``tag``, ``box_mm``, plus ``rule_id``, ``panel``, ``field``)."""
        return {"source": "preflight", "rule_id": self.rule_id, "code": self.rule_id,
                "severity": str(self.severity), "message_id": self.msg.id, "message_en": self.msg.en,
                "tag": self.tag, "panel": self.panel,
                "box_mm": list(self.box_mm) if self.box_mm else None, "field": self.field}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LabelFinding:
        """Inverse of :meth:`to_dict`; also reads the design service's compose-problem dicts
        (lower-case severities, ``code`` = compose problem code)."""
        box = d.get("box_mm")
        rule_id = d.get("rule_id") or COMPOSE_RULES.get(str(d.get("code") or ""), "DOC-01")
        severity = str(d.get("severity") or "WARNING").upper()
        if severity not in Severity.__members__:
            severity = "WARNING"
        return cls(str(rule_id), severity,
                   Msg(str(d.get("message_id") or d.get("id") or ""), str(d.get("message_en") or d.get("en") or "")),
                   d.get("tag") or None, d.get("panel"), tuple(float(v) for v in box) if box else None,
                   d.get("field"))


# The public name the brief uses.
Finding = LabelFinding


def is_blocking(finding: LabelFinding | dict[str, Any]) -> bool:
    """THE blocking rule, the one every gate applies (send for review, approve, print queue, print
    job, publish) and the editor shows: a BLOCKER finding, or a compose error that
    :func:`compose_blocks` raises to one. Works on findings and on their stored JSON form."""
    if isinstance(finding, LabelFinding):
        return finding.is_blocker
    if not isinstance(finding, dict) or finding.get("overridden") or finding.get("override"):
        return False
    if str(finding.get("severity", "")).upper() == Severity.BLOCKER:
        return True
    return (finding.get("source") == "compose" and str(finding.get("severity", "")).lower() == "error"
            and compose_blocks(str(finding.get("code") or ""), str(finding.get("tag") or "")))


def blocking(findings: Iterable[LabelFinding | dict[str, Any]] | None) -> list:
    """The findings of ``findings`` that block (see :func:`is_blocking`)."""
    return [f for f in (findings or []) if is_blocking(f)]


def sort_findings(findings: Iterable[LabelFinding]) -> list[LabelFinding]:
    """Most serious first, then top-to-bottom on the label; exact duplicates removed."""
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.rule_id, f.tag, f.msg.id)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return sorted(out, key=lambda f: (SEVERITY_ORDER.get(Severity(f.severity), 9),
                                      f.box_mm[1] if f.box_mm else -1, f.box_mm[0] if f.box_mm else -1))


def to_jsonable(findings: Iterable[LabelFinding]) -> list[dict[str, Any]]:
    """Findings as a JSON list."""
    return [f.to_dict() for f in findings]


def from_jsonable(data: Iterable[dict[str, Any]] | None) -> list[LabelFinding]:
    """Findings read back from JSON (``None`` -> empty list)."""
    return [LabelFinding.from_dict(d) for d in (data or [])]


def count_by_severity(findings: Iterable[LabelFinding]) -> dict[str, int]:
    """``{"BLOCKER": n, "ERROR": n, "WARNING": n, "INFO": n}``."""
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[str(f.severity)] = out.get(str(f.severity), 0) + 1
    return out
