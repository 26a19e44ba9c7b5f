"""Background work of the design step: the stock advice (``design.advise``) and the refresh of
stored findings after a new official halal logo (``design.halal_logo``).

The advice composes and checks the label on every stock (1-2 s, more under load); the design page
does not wait for it: it shows the stocks and "checking", starts this job once per content hash and
asks again until the answer is in the shared cache (:mod:`studio.cache`). Idempotent: a second run
finds the cached answer.
"""
from __future__ import annotations

from ..jobs import Job, handler
from .advisor import JOB_KIND, advise_in_background
from .assets import HALAL_LOGO_REFRESH
from .preflight import refresh_after_halal_logo


@handler(JOB_KIND)
def advise_job(job: Job, progress) -> dict:
    p = job.payload
    n = advise_in_background(int(p["product_id"]), p.get("design_id"), str(p.get("locale") or "id"), p.get("key"))
    return {"answers": n}


@handler(HALAL_LOGO_REFRESH)
def halal_logo_job(job: Job, progress) -> dict:
    return {"designs": refresh_after_halal_logo()}
