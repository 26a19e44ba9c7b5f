"""The plain-words scanner: what a person reads on a page (tags, scripts and styles removed, web
addresses left out) checked for internal keys, English words in the Indonesian interface, and
numbers written with a decimal point (Indonesian: "5,75 pt"). Used by tests/morning and the e2e journey."""
from __future__ import annotations

import html as htmllib
import re

#: internal keys: dotted record/document keys and snake_case identifiers
INTERNAL = re.compile(r"\b(?:listing|pdp|nutrition|per100|product|design|version|options?|qr)\.[a-z_]+\b"
                      r"|\b[a-z]+_[a-z_]+\b|\bper100\b")
#: English (or programming) words that must not appear in the Indonesian interface
ENGLISH = re.compile(r"\b(?:BLOCKER|WARNING|ERROR|INFO|background|foreground|None|null|True|False|"
                     r"undefined|Field|empty|Unknown|layout|style|preset|pairing)\b")
#: a number with a decimal point before a unit (Indonesian: comma)
POINT = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?!\d)\s?(?:pt|mm|cm|ppi|%|:1|g\b|kg\b|ml\b)")


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    text = htmllib.unescape(page)
    text = re.sub(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", " ", text)     # web addresses
    return " ".join(text.split())


def problems(url: str, page: str) -> list[str]:
    text = visible_text(page)
    out = []
    for name, rx in (("internal key", INTERNAL), ("English word", ENGLISH), ("decimal point", POINT)):
        for m in rx.finditer(text):
            out.append(f"{url}: {name} {m.group(0)!r} in …{text[max(0, m.start() - 60):m.end() + 40]}…")
    return out
