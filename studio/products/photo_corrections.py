"""Producer corrections of a photo <-> the engine steps that replay them (pure data, no database).

Coordinates are pixels of the original photo in display orientation. The marks, the crop and the
rotation are placed right after segmentation, so every coordinate stays in the original's frame
however the result is turned afterwards.
"""
from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..imaging import DEFAULT_CLEANUP
from ..imaging.pipeline import normalise_steps

ROTATIONS = (0, 90, 180, 270)   # clockwise quarter turns offered to the producer
FILL_RANGE = (0.5, 0.95)
_MAX_MARK_POINTS = 4000
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _default_params(name: str) -> dict:
    return next((dict(p) for n, p in DEFAULT_CLEANUP if n == name), {})


def _num(value: Any, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise Invalid(str(_l("Tanda pada foto tidak terbaca. Coba tandai lagi.")), field=field) from None
    if not math.isfinite(v):
        raise Invalid(str(_l("Tanda pada foto tidak terbaca. Coba tandai lagi.")), field=field)
    return v


def _point(p: Any, w: int, h: int, field: str) -> list[float]:
    if not isinstance(p, (list, tuple)) or len(p) != 2:
        raise Invalid(str(_l("Tanda pada foto tidak terbaca. Coba tandai lagi.")), field=field)
    x, y = _num(p[0], field), _num(p[1], field)
    return [round(min(max(x, 0.0), w - 1.0), 1), round(min(max(y, 0.0), h - 1.0), 1)]


def _box(raw: Any, w: int, h: int, field: str) -> list[float] | None:
    if raw in (None, "", [], ()):
        return None
    if not isinstance(raw, (list, tuple)) or len(raw) != 4:
        raise Invalid(str(_l("Kotak pada foto tidak terbaca. Gambar kotaknya lagi.")), field=field)
    x0, y0 = _point(raw[:2], w + 1, h + 1, field)
    x1, y1 = _point(raw[2:], w + 1, h + 1, field)
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    if x1 - x0 < 0.02 * w or y1 - y0 < 0.02 * h:
        raise Invalid(str(_l("Kotaknya terlalu kecil. Tarik kotak yang melingkupi seluruh produk.")), field=field)
    return [x0, y0, x1, y1]


def _marks(raw: Any, w: int, h: int, field: str, budget: list[int]) -> list:
    if raw in (None, ""):
        return []
    if not isinstance(raw, (list, tuple)):
        raise Invalid(str(_l("Tanda pada foto tidak terbaca. Coba tandai lagi.")), field=field)
    out: list = []
    for mark in raw:
        is_tap = isinstance(mark, (list, tuple)) and len(mark) == 2 and not isinstance(mark[0], (list, tuple))
        pts = [mark] if is_tap else list(mark) if isinstance(mark, (list, tuple)) else [mark]
        budget[0] -= len(pts)
        if budget[0] < 0:
            raise Invalid(str(_l("Terlalu banyak tanda. Hapus tanda lalu tandai lebih sedikit.")), field=field)
        clean = [_point(p, w, h, field) for p in pts]
        if clean:
            out.append(clean[0] if is_tap or len(clean) == 1 else clean)
    return out


def clean_corrections(raw: dict, size: tuple[int, int]) -> dict:
    """Check and normalise a corrections dict for a photo of ``size`` (width, height) px.

    :raises Invalid: with ``field`` naming the bad correction.
    """
    if not isinstance(raw, dict):
        raise Invalid(str(_l("Perbaikan tidak terbaca. Coba lagi.")))
    w, h = max(1, int(size[0])), max(1, int(size[1]))
    square = _default_params("square")
    budget = [_MAX_MARK_POINTS]
    rotate = raw.get("rotate") or 0
    try:
        rotate = int(float(rotate)) % 360
    except (TypeError, ValueError):
        rotate = -1
    if rotate not in ROTATIONS:
        raise Invalid(str(_l("Pilih putaran 0, 90, 180 atau 270 derajat.")), field="rotate")
    background = str(raw.get("background") or square.get("background", "#ffffff")).strip().lower()
    if not _HEX.match(background):
        raise Invalid(str(_l("Pilih warna latar dari daftar.")), field="background")
    fill = _num(raw.get("fill_ratio") or square.get("fill_ratio", 0.82), "fill_ratio")
    if not FILL_RANGE[0] <= fill <= FILL_RANGE[1]:
        raise Invalid(str(_l("Ukuran produk harus antara 50 dan 95 persen.")), field="fill_ratio")
    return {
        "box": _box(raw.get("box"), w, h, "box"),
        "fg_points": _marks(raw.get("fg_points"), w, h, "fg_points", budget),
        "bg_points": _marks(raw.get("bg_points"), w, h, "bg_points", budget),
        "crop": _box(raw.get("crop"), w, h, "crop"),
        "rotate": rotate,
        "shadow": bool(raw.get("shadow")),
        "background": background,
        "fill_ratio": round(fill, 3),
    }


def steps_from_corrections(raw: dict, size: tuple[int, int]) -> list[list]:
    """The engine steps for ``raw`` corrections: the default cleanup with the producer's marks,
    crop and rotation after segmentation (so marks stay in original coordinates), a soft shadow
    before the square, and the square's background and fill.

    :raises Invalid: as :func:`clean_corrections`.
    """
    c = clean_corrections(raw, size)
    extra: list[list] = []
    if c["box"] or c["fg_points"] or c["bg_points"]:
        params: dict = {"fg_points": c["fg_points"], "bg_points": c["bg_points"]}
        if c["box"]:
            params["box"] = c["box"]
        extra.append(["correct_mask", params])
    if c["crop"]:
        extra.append(["crop", {"box": c["crop"]}])
    if c["rotate"]:
        extra.append(["rotate", {"degrees": (360 - c["rotate"]) % 360}])   # the engine turns counter-clockwise
    names = [n for n, _ in DEFAULT_CLEANUP]
    after = names.index("segment") + 1 if "segment" in names else (1 if names[:1] == ["orient"] else 0)
    steps: list[list] = [[n, dict(p)] for n, p in DEFAULT_CLEANUP[:after]] + extra
    for name, params in DEFAULT_CLEANUP[after:]:
        params = dict(params)
        if name == "square":
            if c["shadow"]:
                steps.append(["soft_shadow", {}])
            params.update(background=c["background"], fill_ratio=c["fill_ratio"])
        steps.append([name, params])
    return normalise_steps(steps)


def corrections_from_steps(steps: list) -> dict:
    """Read the producer's corrections back out of a stored steps list (for the correction page)."""
    square = _default_params("square")
    out: dict = {"box": None, "fg_points": [], "bg_points": [], "crop": None, "rotate": 0, "shadow": False,
                 "background": square.get("background", "#ffffff"), "fill_ratio": square.get("fill_ratio", 0.82)}
    for name, params in steps or []:
        if name == "correct_mask":
            out.update(box=params.get("box"), fg_points=list(params.get("fg_points") or []),
                       bg_points=list(params.get("bg_points") or []))
        elif name == "crop":
            out["crop"] = params.get("box")
        elif name == "rotate":
            out["rotate"] = int((360 - float(params.get("degrees", 0))) % 360)
        elif name == "soft_shadow":
            out["shadow"] = True
        elif name == "square":
            out["background"] = params.get("background", out["background"])
            out["fill_ratio"] = params.get("fill_ratio", out["fill_ratio"])
    return out
