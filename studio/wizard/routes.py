"""The wizard blueprint with every step screen attached: importing this module imports each
``step_*.py`` module of the package, which adds its routes to ``wizard.views.bp``. ``create_app``
registers ``bp`` from here (its one list of blueprints)."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from . import views

# Step screens: every module named step_*.py in this package registers its routes on views.bp.
STEP_MODULES = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("step_"))

for _name in STEP_MODULES:
    importlib.import_module(f"{__package__}.{_name}")

bp = views.bp
