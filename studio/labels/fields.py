"""``${field}`` substitution and the one inline markup the engine knows: ``<b>…</b>``.

Everything else is literal text: a product called ``<script>`` prints as those characters.
Unknown field names are reported and left visible in the text, never blanked.
Values of fields in ``MARKUP_FIELDS`` (the ingredient list with bold allergens, the producer line with its bold heading) may carry
``<b>`` themselves; any other value is inserted literally.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]*)(?:\|([a-z_]+))?\}")
STAMPED_REFERENCE = "lihat kemasan"
_BOLD_TAG = re.compile(r"<(/?)b>", re.I)
MARKUP_FIELDS = frozenset({"ingredients", "allergen_stmt", "producer"})  # rules escape their user text


@dataclass(frozen=True)
class Span:
    """A run of text with one weight."""

    text: str
    bold: bool = False


def parse_markup(text: str, *, bold: bool = False) -> list[Span]:
    """Split ``text`` into spans at ``<b>``/``</b>``; unmatched closing tags stay literal."""
    spans: list[Span] = []
    depth = 0
    pos = 0
    for m in _BOLD_TAG.finditer(text):
        closing = m.group(1) == "/"
        if closing and depth == 0:
            continue                        # stray </b>: literal text
        if m.start() > pos:
            spans.append(Span(text[pos:m.start()], bold or depth > 0))
        depth += -1 if closing else 1
        pos = m.end()
    if pos < len(text):
        spans.append(Span(text[pos:], bold or depth > 0))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and out[-1].bold == s.bold:
            out[-1] = Span(out[-1].text + s.text, s.bold)
        else:
            out.append(s)
    return out


def _above_stamp_box(value: str) -> str:
    """The expiry line printed right above the reserved stamping box points at that box, not at
    "the pack" (the date is stamped or overprinted in the box just below)."""
    if value.rstrip(". ").endswith(STAMPED_REFERENCE):
        return value.rstrip(". ")[: -len(STAMPED_REFERENCE)] + "lihat kotak di bawah"
    return value


def _run_in(value: str) -> str:
    """A text of several lines set as one paragraph (the nutrition footnote run in after the last
    row on a back sticker with no line to spare): same words, same order."""
    return " ".join(line.strip() for line in value.splitlines() if line.strip())


#: ``${field|filter}``: a small fixed set of wording filters the templates may apply to a value
FILTERS = {"above_stamp_box": _above_stamp_box, "run_in": _run_in}


def substitute(text: str, values: dict[str, str]) -> tuple[list[Span], list[str], list[str]]:
    """Resolve markup and placeholders in a template text.

    :returns: (spans, unknown field names, known-but-empty field names). Unknown placeholders stay
        in the text as written so a proofreader sees them.
    """
    unknown: list[str] = []
    empty: list[str] = []
    out: list[Span] = []
    for span in parse_markup(text):
        pos = 0
        for m in PLACEHOLDER.finditer(span.text):
            if m.start() > pos:
                out.append(Span(span.text[pos:m.start()], span.bold))
            name = m.group(1)
            if name not in values or values[name] is None:
                unknown.append(name)
                out.append(Span(m.group(0), span.bold))
            else:
                value = str(values[name])
                if m.group(2) in FILTERS:
                    value = FILTERS[m.group(2)](value)
                if not value.strip():
                    empty.append(name)
                if name in MARKUP_FIELDS:
                    out.extend(parse_markup(value, bold=span.bold))
                else:
                    out.append(Span(value, span.bold))
            pos = m.end()
        if pos < len(span.text):
            out.append(Span(span.text[pos:], span.bold))
    return _merge(out), unknown, empty


def plain_text(spans: list[Span]) -> str:
    """The spans' text without markup."""
    return "".join(s.text for s in spans)
