"""Brand colours from a photo's dominant colours: primary, accent and text, contrast checked.

Pure: takes '#RRGGBB' colours with their share of the product (the imaging engine finds them)
and returns a palette that a label style can use on a light paper: the primary carries headings
and bands (at least MIN_PRIMARY_CONTRAST on white, so white text on it reads too), the text ink
reads as body text (at least MIN_TEXT_CONTRAST), the accent is the most different other colour.
"""
from __future__ import annotations

import colorsys
from dataclasses import dataclass

from .colors import contrast_ratio, mix

PAPER = "#FFFFFF"
MIN_PRIMARY_CONTRAST = 3.0   # WCAG large text: headings and bands on paper, white on the band
MIN_TEXT_CONTRAST = 4.5      # WCAG body text
MIN_ACCENT_DISTANCE = 0.12   # hue/lightness distance (0..1) for an accent to look different


@dataclass(frozen=True)
class PhotoPalette:
    """Three label colours '#RRGGBB' plus the photo colours they came from (most common first)."""

    primary: str
    accent: str
    text: str
    source: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"primary": self.primary, "accent": self.accent, "text": self.text, "source": list(self.source)}


def _hls(c: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(int(c[1:3], 16) / 255, int(c[3:5], 16) / 255, int(c[5:7], 16) / 255)


def _colourfulness(c: str) -> float:
    """0 (grey, white, black) .. 1 (a clean strong colour)."""
    _h, light, sat = _hls(c)
    return sat * (1 - abs(2 * light - 1))


def _darken_until(c: str, minimum: float, paper: str = PAPER) -> str:
    """``c`` mixed towards black in small steps until it has ``minimum`` contrast on ``paper``."""
    t = 0.0
    out = c
    while contrast_ratio(out, paper) < minimum and t < 1.0:
        t = round(t + 0.05, 2)
        out = mix(c, "#000000", t)
    return out


def _distance(a: str, b: str) -> float:
    ha, la, _sa = _hls(a)
    hb, lb, _sb = _hls(b)
    dh = min(abs(ha - hb), 1 - abs(ha - hb))
    return max(dh * 2, abs(la - lb))


def palette_from_colours(colours: list[tuple[str, float]], paper: str = PAPER) -> PhotoPalette | None:
    """A label palette from ``colours`` = [('#RRGGBB', share 0..1), …] (most common first).

    The primary is the most common *colourful* colour (greys, white and black only when nothing
    else is there), darkened just enough for MIN_PRIMARY_CONTRAST on ``paper``; the accent is the
    most common remaining colour that differs visibly from it (or a light tint of the primary);
    the text is the primary deepened to MIN_TEXT_CONTRAST or more. None for an empty list.
    """
    if not colours:
        return None
    ranked = sorted(colours, key=lambda cs: -(cs[1] * (0.05 + _colourfulness(cs[0]))))
    base = ranked[0][0]
    primary = _darken_until(base, MIN_PRIMARY_CONTRAST, paper)
    accent = next((c for c, _share in sorted(colours, key=lambda cs: -cs[1])
                   if c != base and _distance(c, base) >= MIN_ACCENT_DISTANCE), None)
    if accent is None:
        accent = mix(primary, paper, 0.55)
    text = _darken_until(mix(primary, "#000000", 0.45), MIN_TEXT_CONTRAST + 2.5, paper)
    return PhotoPalette(primary=primary, accent=accent, text=text, source=tuple(c for c, _s in colours))
