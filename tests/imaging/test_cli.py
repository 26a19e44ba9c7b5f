"""The clean-photo helper writes the three files the hub and the catalogue need."""
from __future__ import annotations

import json

from PIL import Image

from studio.imaging import synthetic
from studio.imaging.cli import clean_file


def test_clean_file_writes_cutout_mask_and_catalogue(tmp_path, small_photo):
    src = tmp_path / "foto produk.jpg"
    src.write_bytes(synthetic.jpeg_bytes(small_photo.image, orientation=8, gps=True))
    summary = clean_file(src, tmp_path / "out", size_px=600)
    json.dumps(summary)
    cut = Image.open(summary["files"]["cutout"])
    assert cut.mode == "RGBA" and cut.size == (360, 480)            # display orientation
    assert Image.open(summary["files"]["mask"]).mode == "L"
    cat = Image.open(summary["files"]["catalogue"])
    assert cat.size == (600, 600) and not cat.getexif()
    assert summary["format"] == "JPEG" and summary["steps"][1][0] == "segment"
