"""The one exception type raised by the rule functions."""
from __future__ import annotations

from .messages import Msg


class RuleError(ValueError):
    """A value breaks a rule. Carries the field, a stable ``code``, a bilingual message and
    (when we can guess it) a ``suggestion``: the corrected value to offer the producer.

    Subclasses ``ValueError`` so generic validation code can catch it too.
    """

    def __init__(self, field: str | None, code: str, msg: Msg, suggestion: str | None = None) -> None:
        super().__init__(msg.id)
        self.field = field
        self.code = code
        self.msg = msg
        self.suggestion = suggestion

    def __repr__(self) -> str:
        return f"RuleError(field={self.field!r}, code={self.code!r}, suggestion={self.suggestion!r})"
