"""Mask quality measures used by the tests and the photo bench."""
from __future__ import annotations

import cv2
import numpy as np


def _binary(mask: np.ndarray) -> np.ndarray:
    m = np.asarray(mask)
    return m >= 128 if m.dtype == np.uint8 else m.astype(bool)


def iou(pred: np.ndarray, truth: np.ndarray) -> float:
    """Intersection over union of two masks (uint8 masks are cut at 128). 1.0 when both are empty."""
    p, t = _binary(pred), _binary(truth)
    union = np.count_nonzero(p | t)
    return 1.0 if union == 0 else np.count_nonzero(p & t) / union


def _outline(m: np.ndarray) -> np.ndarray:
    u8 = m.astype(np.uint8)
    return (u8 - cv2.erode(u8, np.ones((3, 3), np.uint8))).astype(bool)


def boundary_f(pred: np.ndarray, truth: np.ndarray, *, tolerance_px: float = 3.0) -> float:
    """Boundary F-score: share of outline pixels within ``tolerance_px`` of the other outline."""
    bp, bt = _outline(_binary(pred)), _outline(_binary(truth))
    if not bp.any() and not bt.any():
        return 1.0
    if not bp.any() or not bt.any():
        return 0.0
    dt_t = cv2.distanceTransform((~bt).astype(np.uint8), cv2.DIST_L2, 3)
    dt_p = cv2.distanceTransform((~bp).astype(np.uint8), cv2.DIST_L2, 3)
    precision = float((dt_t[bp] <= tolerance_px).mean())
    recall = float((dt_p[bt] <= tolerance_px).mean())
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def shadow_taken(pred: np.ndarray, shadow: np.ndarray) -> float:
    """Share of cast-shadow pixels that the mask calls product (0 when there is no shadow)."""
    s = _binary(shadow)
    n = np.count_nonzero(s)
    return 0.0 if n == 0 else np.count_nonzero(_binary(pred) & s) / n
