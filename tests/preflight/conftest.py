"""Fixtures for the pure preflight tests (helpers live in preflight_helpers.py)."""
from __future__ import annotations

import pytest

from preflight_helpers import check


@pytest.fixture(scope="session")
def good_findings():
    """Findings of the reference label that satisfies every rule."""
    return check()
