"""Stored, replayable photo cleanups: a JSON list of ``[op_name, params]`` steps run over ``OPS``.

The original upload is kept untouched; the steps say exactly what was done, so a trainer can see
it and a later version can replay it. An unknown op name raises ``KeyError``: it is never skipped.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .compose import thumbnail
from .io import flatten
from .ops import OPS, Frame, mask_or_full

Step = tuple[str, dict]
Progress = Callable[[float, str], None]

DEFAULT_CLEANUP: list[Step] = [
    ("orient", {}),
    ("segment", {}),
    ("white_balance", {"strength": 1.0}),
    ("exposure", {"target": 0.85}),
    ("square", {"fill_ratio": 0.82, "background": "#ffffff"}),
    ("sharpen", {"amount": 0.4, "radius_px": 1.0}),
]

_WEIGHT = {"segment": 6.0, "correct_mask": 4.0, "square": 2.0}   # rough share of the run time


@dataclass(frozen=True)
class CleanupResult:
    """Everything a cleanup produces; ``steps_used`` is the JSON-ready list that made it."""

    catalogue: Image.Image              # RGB, size_px x size_px
    cutout: Image.Image                 # RGBA, full resolution, display orientation
    mask: Image.Image                   # L, full resolution, 255 = product
    thumbnails: dict[int, Image.Image]  # side px -> RGB square
    steps_used: list[list]


def normalise_steps(steps: Iterable[Sequence]) -> list[list]:
    """Check ``steps`` and return them as plain JSON data (``[[name, {params}], ...]``).

    :raises KeyError: for an op name that is not in ``OPS``.
    :raises ValueError: for a step that is not a (name, dict) pair or has non-JSON params.
    """
    out: list[list] = []
    for step in steps:
        if isinstance(step, (str, bytes)) or len(step) != 2:
            raise ValueError(f"a step is [op_name, params], got {step!r}")
        name, params = step
        if name not in OPS:
            raise KeyError(f"unknown cleanup step {name!r}; known: {sorted(OPS)}")
        if not isinstance(params, dict):
            raise ValueError(f"params of step {name!r} must be a dict, got {type(params).__name__}")
        try:
            out.append([name, json.loads(json.dumps(params))])
        except (TypeError, ValueError) as e:
            raise ValueError(f"params of step {name!r} are not plain JSON: {e}") from None
    return out


def run(frame: Frame, steps: Iterable[Sequence], *, progress: Progress | None = None) -> Frame:
    """Apply ``steps`` to ``frame`` in order and return the last frame.

    :raises KeyError: for an unknown op name (checked for all steps before any work starts).
    :raises TypeError: for a misspelt parameter (ops take keyword-only params).
    """
    plan = normalise_steps(steps)
    total = sum(_WEIGHT.get(name, 1.0) for name, _ in plan) or 1.0
    done = 0.0
    for name, params in plan:
        if progress:
            progress(done / total * 0.9, name)
        frame = OPS[name](frame, **params)
        done += _WEIGHT.get(name, 1.0)
    return frame


def start_frame(image: Image.Image, *, size_px: int = 1200) -> Frame:
    """A first frame from a decoded upload; a transparent PNG brings its alpha as the mask."""
    mask = None
    if image.mode in ("RGBA", "LA", "PA"):
        alpha = np.asarray(image.convert("RGBA").getchannel("A")).copy()
        if alpha.min() < 255:
            mask = alpha
    return Frame(image=flatten(image), mask=mask, size_px=size_px)


def run_cleanup(image: Image.Image, steps: Iterable[Sequence] = DEFAULT_CLEANUP, *, size_px: int = 1200,
                thumb_sizes: Sequence[int] = (600, 300, 150), progress: Progress | None = None) -> CleanupResult:
    """Run a cleanup and build every output: catalogue square, full-size cut-out, mask, thumbnails.

    ``size_px`` is the catalogue side in pixels. When the steps contain no ``square``, one with
    default settings is added at the end so a catalogue image always exists. ``progress`` is
    called with (fraction 0..1, step name).

    :raises KeyError: for an unknown op name.
    :raises ValueError: for malformed steps or parameters.
    """
    plan = normalise_steps(steps)
    frame = run(start_frame(image, size_px=size_px), plan, progress=progress)
    if frame.catalogue is None:
        frame = OPS["square"](frame)
    if progress:
        progress(0.92, "cutout")
    cutout = frame.extra.get("cutout")
    mask = mask_or_full(frame)
    thumbs = {int(s): thumbnail(frame.catalogue, int(s)) for s in thumb_sizes}
    if progress:
        progress(1.0, "done")
    return CleanupResult(catalogue=frame.catalogue, cutout=cutout, mask=Image.fromarray(mask, "L"),
                         thumbnails=thumbs, steps_used=plan)
