"""Pure photo-cleanup engine: safe upload decoding, product segmentation, replayable cleanups.

Allowed studio imports: none. (No framework or database: enforced by tests/test_boundaries.py.)

``segment`` is not re-exported here so ``studio.imaging.segment`` stays the module.
Imports only the standard library, Pillow (+ pillow-heif), numpy, OpenCV and onnxruntime.
"""
from __future__ import annotations

from .io import LoadedImage, UploadRejected, encode_jpeg, encode_png, encode_webp, open_upload
from .ops import OPS
from .pipeline import DEFAULT_CLEANUP, CleanupResult, run_cleanup
from .segment import grabcut_refine

__all__ = [
    "CleanupResult", "DEFAULT_CLEANUP", "LoadedImage", "OPS", "UploadRejected", "encode_jpeg",
    "encode_png", "encode_webp", "grabcut_refine", "open_upload", "run_cleanup",
]
