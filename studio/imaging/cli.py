"""Clean one photo file into a folder (the pure helper behind ``flask studio clean-photo``)."""
from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from .io import encode_jpeg, encode_png, open_upload
from .pipeline import DEFAULT_CLEANUP, run_cleanup


def clean_file(input_path: Path, out_dir: Path, *, size_px: int = 1200,
               steps: Sequence = DEFAULT_CLEANUP) -> dict:
    """Clean ``input_path`` and write ``cutout.png`` (RGBA, full size), ``mask.png`` and
    ``catalogue.jpg`` (``size_px`` square) into ``out_dir``; return a JSON-ready summary.

    :raises UploadRejected: when the file is not an acceptable photo.
    :raises OSError: when the file cannot be read or the folder cannot be written.
    """
    input_path, out_dir = Path(input_path), Path(out_dir)
    started = time.perf_counter()
    loaded = open_upload(input_path.read_bytes())
    result = run_cleanup(loaded.image, steps, size_px=size_px, thumb_sizes=())
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "cutout": out_dir / "cutout.png",
        "mask": out_dir / "mask.png",
        "catalogue": out_dir / "catalogue.jpg",
    }
    files["cutout"].write_bytes(encode_png(result.cutout))
    files["mask"].write_bytes(encode_png(result.mask))
    files["catalogue"].write_bytes(encode_jpeg(result.catalogue))
    mask_box = result.mask.getbbox()
    return {
        "input": str(input_path),
        "format": loaded.format,
        "original_size": list(loaded.original_size),
        "display_size": list(loaded.image.size),
        "product_box": list(mask_box) if mask_box else None,
        "files": {k: str(v) for k, v in files.items()},
        "steps": result.steps_used,
        "seconds": round(time.perf_counter() - started, 3),
    }
