"""Server cost of the hub's print submit by what the caches hold: CPU and wall ms per request.

    python bench/submitcost.py --seeded DIR [--rounds 3] [--out FILE]     # DIR made with pagecost.py --prepare

The submit re-checks the label at the printer's dots (content-hash cache ``checked-findings``) and
measures its stamping box for the batch code (cache ``stamp-boxes``); either one missing means the
label is composed (and for the findings its codes decoded) while the operator waits. For each
state below, each of the seed's approved labels is submitted once per round (a fresh job form
each time, as bench/web.py's operator does: the form page, never its picture), in a process built
like pagecost.py's (``app.py``, jobs "eager", except that the print PDF job itself is not run: it
is the job's work, not the page's):

- ``warm``: both checks in the cache and the label composed in this process before;
- ``other_process``: both in the cache, nothing composed in this process (another server worker);
- ``stamp_box_unknown``: the stamping box not measured yet (the label approved minutes ago);
- ``findings_unknown``: the label not checked at these dots today (a new day, a new printer);
- ``..._form_first``: the same, with the job form opened first (as the operator does).

Printed JSON: per state the median and max thread CPU ms and wall ms of the submits, and statuses.
Run it on two checkouts in the same minute to compare (copy this file into the other tree).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pagecost  # noqa: E402

STATES = ("warm", "other_process", "stamp_box_unknown", "stamp_box_unknown_form_first", "findings_unknown",
          "findings_unknown_form_first")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeded", required=True, help="a folder made with bench/pagecost.py --prepare")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out")
    ap.add_argument("--note", default="")
    args = ap.parse_args(argv)
    src = Path(args.seeded)
    seed = json.loads((src / "seed.json").read_text())
    work = Path(tempfile.mkdtemp(prefix="submitcost-"))
    try:
        shutil.copytree(src / "instance", work / "instance")
        shutil.copytree(src / "media", work / "media")
        for k in [k for k in os.environ if k.startswith(("STUDIO_", "FLASK_"))]:
            del os.environ[k]
        os.environ.update(pagecost.bench_env(work))
        os.chdir(ROOT)
        result = run(seed, work, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.update(commit=pagecost._commit(), note=args.note, loadavg=[round(x, 2) for x in os.getloadavg()])
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


def run(seed: dict, work: Path, rounds: int) -> dict:
    from app import app
    from studio import jobs
    from studio.designs import assets, prepare
    from studio.extensions import db
    from web_client import forms_of

    real_dispatch = jobs.dispatch

    def dispatch(job_id: int) -> None:       # every job but the print PDF itself
        if db.session.get(jobs.Job, job_id).kind != "print.render":
            real_dispatch(job_id)

    jobs.dispatch = dispatch
    hub = pagecost.logged_in_client(app, seed["hub"]["username"], seed["password"])
    cache_root = work / "media" / "cache"
    labels = seed["approved_versions"]

    def form(vid: int) -> dict:
        page = hub.get(f"/hub/cetak/{vid}")
        return dict([f for f in forms_of(page.data.decode()) if "/hub/cetak/" in f.action][0].fields)

    def forget(space: str | None) -> None:
        if space:
            shutil.rmtree(cache_root / space, ignore_errors=True)
        prepare._composed.clear()
        with assets._LOCK:
            assets._CACHE.clear()
        try:        # the job form's "already asked" hint of this process (newer code only)
            from studio.printing import services
            services._READY.clear()
        except (ImportError, AttributeError):
            pass

    for vid in labels:          # every label checked and measured once, in this code version
        hub.post(f"/hub/cetak/{vid}", data=form(vid))
    out: dict = {"labels": len(labels), "rounds": rounds, "states": {}}
    for state in STATES:
        space = {"stamp_box": "stamp-boxes", "findings_": "checked-findings"}
        forgotten = next((v for k, v in space.items() if state.startswith(k)), None)
        cpus, walls, statuses = [], [], set()
        for _ in range(rounds):
            for vid in labels:
                if state.endswith("form_first"):
                    forget(forgotten)
                    fields = form(vid)      # the form opened after the caches were emptied: it may prepare
                else:
                    fields = form(vid)      # the form opened before: the submit meets the emptied caches
                    if state != "warm":
                        forget(forgotten)
                c0, t0 = time.thread_time(), time.perf_counter()
                r = hub.post(f"/hub/cetak/{vid}", data=fields)
                walls.append((time.perf_counter() - t0) * 1000)
                cpus.append((time.thread_time() - c0) * 1000)
                statuses.add(r.status_code)
        out["states"][state] = {"cpu_median_ms": round(statistics.median(cpus), 1), "cpu_max_ms": round(max(cpus), 1),
                                "wall_median_ms": round(statistics.median(walls), 1),
                                "wall_max_ms": round(max(walls), 1), "n": len(cpus), "status": sorted(statuses)}
        print(state, out["states"][state], file=sys.stderr)
    return out


if __name__ == "__main__":
    sys.exit(main())
