"""FontRegistry: logical font names -> TTF files in ``fonts/``, registered with ReportLab once.

All text measurement in the engine goes through :meth:`FontRegistry.string_width_pt` (ReportLab's
``stringWidth`` of the embedded TTF), so wrapping on screen and on paper is identical.
"""
from __future__ import annotations

import struct
import threading
import unicodedata
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


class FontError(ValueError):
    """fonts.toml is invalid, a font file is missing, or a logical font name is unknown."""


@dataclass(frozen=True)
class FontMetrics:
    """Vertical metrics as fractions of the font size (multiply by size to get a length)."""

    ascent: float       # hhea ascender, positive
    descent: float      # hhea descender, positive (distance below the baseline)
    x_height: float     # OS/2 sxHeight
    cap_height: float   # OS/2 sCapHeight


@dataclass(frozen=True)
class FontPairing:
    """A heading font and a body font offered together in the designer."""

    id: str
    name_id: str
    name_en: str
    heading: str
    body: str


_LOCK = threading.RLock()
_REGISTERED: dict[str, Path] = {}     # ReportLab font name -> file; pdfmetrics is process-global


def _read_ttf_metrics(path: Path) -> FontMetrics:
    """Read unitsPerEm (head), ascender/descender (hhea) and sxHeight/sCapHeight (OS/2)."""
    data = path.read_bytes()
    num_tables = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(num_tables):
        tag, _check, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        tables[tag.decode("latin-1")] = (offset, length)
    head = tables["head"][0]
    upem = struct.unpack(">H", data[head + 18: head + 20])[0]
    hhea = tables["hhea"][0]
    ascender, descender = struct.unpack(">hh", data[hhea + 4: hhea + 8])
    x_height = cap_height = 0
    if "OS/2" in tables:
        os2 = tables["OS/2"][0]
        version = struct.unpack(">H", data[os2: os2 + 2])[0]
        if version >= 2:
            x_height, cap_height = struct.unpack(">hh", data[os2 + 86: os2 + 90])
    if not x_height:        # OS/2 v0/v1 fonts: use typical Latin proportions
        x_height = round(0.52 * upem)
    if not cap_height:
        cap_height = round(0.70 * upem)
    return FontMetrics(ascent=ascender / upem, descent=abs(descender) / upem,
                       x_height=x_height / upem, cap_height=cap_height / upem)


class FontRegistry:
    """Fonts bundled in ``fonts_dir`` as described by ``fonts_dir/fonts.toml``.

    :raises FontError: when fonts.toml is missing or invalid or names a missing file.
    """

    def __init__(self, fonts_dir: Path) -> None:
        self.fonts_dir = Path(fonts_dir)
        toml_path = self.fonts_dir / "fonts.toml"
        try:
            with toml_path.open("rb") as fh:
                cfg = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise FontError(f"{toml_path}: {e}") from e
        self._files: dict[str, Path] = {}
        self._rl: dict[str, str] = {}
        self._bold: dict[str, str] = {}
        self._family: dict[str, str] = {}
        for name, spec in cfg.get("fonts", {}).items():
            path = self.fonts_dir / spec["file"]
            if not path.is_file():
                raise FontError(f"{toml_path.name}: font {name!r}: file {spec['file']!r} not found")
            self._files[name] = path
            self._family[name] = spec.get("family", name)
            if "bold" in spec:
                self._bold[name] = spec["bold"]
        for name, bold in self._bold.items():
            if bold not in self._files:
                raise FontError(f"{toml_path.name}: font {name!r}: bold font {bold!r} is not defined")
        self.default = cfg.get("default", next(iter(self._files), ""))
        if self.default not in self._files:
            raise FontError(f"{toml_path.name}: default font {self.default!r} is not defined")
        self.pairings: list[FontPairing] = []
        for pid, p in cfg.get("pairings", {}).items():
            for role in ("heading", "body"):
                if p.get(role) not in self._files:
                    raise FontError(f"{toml_path.name}: pairing {pid!r}: unknown {role} font {p.get(role)!r}")
            self.pairings.append(FontPairing(pid, p.get("name_id", pid), p.get("name_en", pid),
                                             p["heading"], p["body"]))

    # ------------------------------------------------------------------ lookup
    @property
    def names(self) -> list[str]:
        """Logical font names, in fonts.toml order."""
        return list(self._files)

    def path(self, font: str) -> Path:
        """TTF file of a logical font. :raises FontError: unknown name."""
        try:
            return self._files[font]
        except KeyError:
            raise FontError(f"unknown font {font!r}; known: {', '.join(self._files)}") from None

    def family(self, font: str) -> str:
        """Family name shown to users (e.g. "Noto Sans")."""
        self.path(font)
        return self._family[font]

    def bold_of(self, font: str) -> str:
        """Logical name of the bold face of ``font`` (``font`` itself if it has none or is bold)."""
        self.path(font)
        return self._bold.get(font, font)

    def pairing(self, pairing_id: str) -> FontPairing:
        """The pairing with ``pairing_id``. :raises FontError: unknown id."""
        for p in self.pairings:
            if p.id == pairing_id:
                return p
        raise FontError(f"unknown font pairing {pairing_id!r}")

    # ---------------------------------------------------------- registration
    def rl_name(self, font: str) -> str:
        """Register ``font`` with ReportLab (once, thread-safe) and return its ReportLab name."""
        rl = self._rl.get(font)
        if rl is not None:
            return rl
        path = self.path(font)
        rl = "SK-" + path.stem
        with _LOCK:
            if rl not in _REGISTERED:
                pdfmetrics.registerFont(TTFont(rl, str(path)))
                _REGISTERED[rl] = path
        self._rl[font] = rl
        return rl

    def register_all(self) -> None:
        """Register every font in fonts.toml (lets a caller fail early on a broken file)."""
        for name in self._files:
            self.rl_name(name)

    # ----------------------------------------------------------- coverage
    def missing_chars(self, text: str, font: str) -> str:
        """The characters of ``text`` that ``font`` has no glyph for, each once, in reading order
        (spaces and invisible format/control characters are not drawn, so never missing). ReportLab
        draws a missing glyph as nothing: what this returns would silently vanish from the PDF."""
        cmap = self._cmap(font)
        out: list[str] = []
        for ch in text:
            if ch in out or ord(ch) in cmap or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            out.append(ch)
        return "".join(out)

    def undrawable_chars(self, text: str) -> str:
        """The characters of ``text`` that *no* bundled font can draw, each once, in reading order,
        after :func:`printable_text` (so math-bold letters count as the plain ones they print as).

        Javanese, Arabic/Pegon, Chinese and emoji are here: no bundled font has them, and ReportLab
        draws no complex script correctly anyway (it does not shape: Arabic letters would print
        unjoined, Javanese clusters in the wrong order, even with a font that has the glyphs).
        """
        covered = self._all_cmaps()
        out: list[str] = []
        for ch in printable_text(text):
            if ch in out or ord(ch) in covered or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            out.append(ch)
        return "".join(out)

    def _all_cmaps(self) -> frozenset[int]:
        if getattr(self, "_union", None) is None:
            self._union = frozenset().union(*(self._cmap(name).keys() for name in self._files))
        return self._union

    def _cmap(self, font: str):
        rl = self.rl_name(font)
        return pdfmetrics.getFont(rl).face.charToGlyph

    # ----------------------------------------------------------- measuring
    def string_width_pt(self, text: str, font: str, size_pt: float) -> float:
        """Advance width of ``text`` in points at ``size_pt``, from the embedded TTF's metrics."""
        return _unit_width(self.rl_name(font), text) * size_pt

    def metrics(self, font: str) -> FontMetrics:
        """Ascent, descent, x-height and cap-height ratios read from the TTF."""
        return _metrics_cached(self.path(font))


def printable_text(text: str) -> str:
    """Text as the label prints it: composed accents (NFC, so "e" + U+0301 is one "é" glyph), and
    mathematical bold/italic letters (U+1D400…U+1D7FF, pasted from "fancy text" sites) as the
    plain letters they stand for (NFKC of just those characters)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    if any("\U0001d400" <= ch <= "\U0001d7ff" for ch in text):
        text = "".join(unicodedata.normalize("NFKC", ch) if "\U0001d400" <= ch <= "\U0001d7ff" else ch
                       for ch in text)
    return text


@lru_cache(maxsize=65536)
def _unit_width(rl_name: str, text: str) -> float:
    return pdfmetrics.stringWidth(text, rl_name, 1.0)


@lru_cache(maxsize=64)
def _metrics_cached(path: Path) -> FontMetrics:
    return _read_ttf_metrics(path)
