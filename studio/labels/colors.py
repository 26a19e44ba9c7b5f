"""Colour helpers on '#RRGGBB' strings: luminance, contrast, mixing, readable ink on a background."""
from __future__ import annotations

DARK_INK = "#1C1917"
LIGHT_INK = "#FFFFFF"


def _rgb(c: str) -> tuple[int, int, int]:
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def luminance(hex_color: str) -> float:
    """WCAG relative luminance (0 black … 1 white)."""
    def ch(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = _rgb(hex_color)
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """Blend ``a`` towards ``b`` by ``t`` (0 = a, 1 = b)."""
    ra, ga, ba = _rgb(a)
    rb, gb, bb = _rgb(b)
    return "#{:02X}{:02X}{:02X}".format(round(ra + (rb - ra) * t), round(ga + (gb - ga) * t),
                                        round(ba + (bb - ba) * t))


def ink_on(background: str, dark: str = DARK_INK, light: str = LIGHT_INK) -> str:
    """Whichever of ``dark``/``light`` reads better on ``background``."""
    return dark if contrast_ratio(dark, background) >= contrast_ratio(light, background) else light


def readable(color: str, background: str, minimum: float = 4.5) -> str:
    """``color`` if it has ``minimum`` contrast on ``background``, else the best plain ink."""
    return color if contrast_ratio(color, background) >= minimum else ink_on(background)
