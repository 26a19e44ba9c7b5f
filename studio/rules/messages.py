"""Bilingual user-facing texts and the Finding record shared by every rule.

``Msg.id`` is the Bahasa Indonesia text (shown first), ``Msg.en`` the English one. The web layer
picks one with :meth:`Msg.text`. Every message says *what to fix*, in plain words.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Msg:
    """A message in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str
    en: str

    def text(self, locale: str) -> str:
        """Return the English text for an ``en*`` locale, the Indonesian text otherwise."""
        return self.en if (locale or "").lower().startswith("en") else self.id

    def __str__(self) -> str:
        return self.id


class Severity(StrEnum):
    """Preflight severities, most serious first (spec §5)."""

    BLOCKER = "BLOCKER"
    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"


SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}


@dataclass(frozen=True)
class Finding:
    """One rule result: ``rule_id`` from spec §5 (e.g. ``PERMIT-02``), severity, message, field."""

    rule_id: str
    severity: str
    msg: Msg
    field: str | None = None

    def with_severity(self, severity: str) -> Finding:
        """Return a copy with another severity (used for per-rule overrides)."""
        return Finding(self.rule_id, severity, self.msg, self.field)

    def to_dict(self) -> dict[str, str | None]:
        """JSON form: ``{"rule_id", "severity", "id", "en", "field"}``."""
        return {"rule_id": self.rule_id, "severity": str(self.severity), "id": self.msg.id,
                "en": self.msg.en, "field": self.field}

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        """Inverse of :meth:`to_dict`."""
        return cls(data["rule_id"], data["severity"], Msg(data["id"], data["en"]), data.get("field"))
