"""Fixtures for the pure imaging engine tests: small generated photos, no app, no database."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from studio.imaging import synthetic


@pytest.fixture(scope="session")
def small_photo() -> synthetic.SyntheticPhoto:
    """A 480x360 jar on paper with a cast shadow."""
    return synthetic.make_photo(101, size=(480, 360), product="jar", background="paper")


@pytest.fixture(scope="session")
def red_disc_on_green() -> Image.Image:
    """A plain red disc on a green cloth-like surface: every edge pixel's true colours are known."""
    h, w = 360, 480
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot(xx - 240, yy - 185)
    cover = np.clip(130 - r, 0, 1)[..., None]          # 1 px anti-aliased edge
    green = np.array([40, 170, 60], np.float32)
    red = np.array([210, 30, 30], np.float32)
    rng = np.random.default_rng(3)
    img = green * (1 - cover) + red * cover + rng.normal(0, 2, (h, w, 3))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")

