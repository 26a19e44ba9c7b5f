"""Every blueprint, in one list for ``create_app``. Step modules attach routes to ``wizard.views.bp``."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from flask import Blueprint

from . import views

# Step screens: every module named step_*.py in this package registers its routes on views.bp.
STEP_MODULES = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("step_"))

# Blueprints of features that have pages of their own (module path, attribute).
FEATURE_BLUEPRINTS = (
    ("studio.printing.views", "bp"),
    ("studio.catalogue.views", "bp"),
    ("studio.catalogue.api", "bp"),
)


def blueprints() -> list[Blueprint]:
    for name in STEP_MODULES:
        importlib.import_module(f"{__package__}.{name}")
    bps = [views.bp]
    for module, attr in FEATURE_BLUEPRINTS:
        bps.append(getattr(importlib.import_module(module), attr))
    return bps
