"""Label editor benchmark: server time of the design step as a producer uses it (issue #20).

Seeds the demo data (the embedded default's: three producers, four products, photos cleaned) into a
temp folder once, then measures in a FRESH process (nothing cached in memory or on disk) through the
Flask test client, logged in as each demo producer:

* ``open_first``  - the design step before a design exists (the stock picker: the stock advisor runs)
* ``open``        - the editor page with a design + its preview PNG (what the producer waits for)
* ``stock``       - a stock change as design.js does it: POST (JSON) + page reload (another size) +
  the new preview
* ``style``       - a style change: POST (JSON) + the new preview
* ``thumbs``      - the style thumbnails the panel shows (all of them, one figure per page)
* ``advice_in_page`` - from the first ask of the stock advice (advice.js, when the stock cards show
  "checking") to the answer, computed by the jobs' local pool meanwhile (new code only)
* ``advisor``     - ``designs.advisor.advise`` alone (cold: caches emptied; warm: answered again)

"cold": the first time those inputs are seen (caches empty at start); "warm": the same change done
again later (going back to a stock or style already seen). Prints one JSON document with p50/p95
per action, the load average before and after, and the code measured.

    python bench/editor.py [--rounds 2] [--busy 0] [--code DIR] [--seed-dir DIR] [--out FILE]

``--code DIR`` measures another checkout (e.g. ``git archive HEAD | tar -x -C /tmp/base``) with the
same seed, so old and new can be paired in the same minute. ``--busy N`` keeps N processes
cleaning a 12 MP photo in a loop meanwhile (the training day's photo uploads).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.0
STOCKS = ["avery-l7160", "a4-nup-3x5-60x50", "avery-l7165"]     # sheet stocks a producer would try
STYLES_TRIED = ["premium", "berani", "alami"]


def _config(base: Path, code: Path, jobs_mode: str = "eager") -> dict:
    return {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base}/db.sqlite3",
            "MEDIA_DIR": str(base / "media"), "JOBS_MODE": jobs_mode, "DEMO_ON_FIRST_START": False,
            "WTF_CSRF_ENABLED": False, "TEMPLATE_BYTECODE_CACHE": True, "PUBLIC_BASE_URL": "https://katalog.rumahpintar-jombang.example/blonjo",
            "LABEL_LAYOUTS_DIR": str(code / "label_layouts"), "FONTS_DIR": str(code / "fonts")}


def seed(base: Path, code: Path) -> None:
    sys.path.insert(0, str(code))
    from studio import create_app, demo
    from studio.extensions import db

    app = create_app(_config(base, code))
    with app.app_context():
        db.create_all()
        demo.seed()
        _photos_for_all(app)


def _photos_for_all(app) -> None:
    """Give every demo product a cleaned photo (as the demo's first product has), so each can be designed."""
    from studio import jobs
    from studio.extensions import db
    from studio.imaging.synthetic import jpeg_bytes, make_photo
    from studio.products.models import Product
    from studio.products.photos import add_photo

    for product in db.session.query(Product).order_by(Product.id).all():
        if product.primary_photo_id:
            continue
        shot = make_photo(product.id, size=(1600, 1200), product="jar", background="wood")
        photo = add_photo(product.owner, product.id, jpeg_bytes(shot.image, orientation=1), "foto.jpg")
        if photo.job_id:
            jobs.run_job(photo.job_id)


def pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(q / 100 * (len(xs) - 1))))
    return round(xs[k], 3)


def summary(xs: list[float]) -> dict:
    return {"n": len(xs), "p50": pct(xs, 50), "p95": pct(xs, 95), "max": round(max(xs), 3) if xs else None}


def measure(base: Path, code: Path, rounds: int) -> dict:
    """Runs in a fresh process on a copy of the seeded folder."""
    sys.path.insert(0, str(code))
    from sqlalchemy import select

    from studio import create_app
    from studio.auth.models import User
    from studio.demo import DEMO_PASSWORD
    from studio.designs import advisor
    from studio.designs import services as designs
    from studio.extensions import db
    from studio.products.models import Product

    app = create_app(_config(base, code, "local"))      # the embedded default: jobs in a local pool
    times: dict[str, dict[str, list[float]]] = {}

    def rec(action: str, phase: str, dt: float) -> None:
        times.setdefault(action, {}).setdefault(phase, []).append(dt)

    with app.app_context():
        rows = db.session.execute(select(Product.id, User.username).join(User, User.id == Product.owner_id)
                                  .order_by(Product.id)).all()
    client = app.test_client()

    def get(url: str):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return r

    def post(url: str, data: dict):
        r = client.post(url, data=data, headers={"Accept": "application/json"})
        assert r.status_code == 200, (url, data, r.get_data(as_text=True)[:300])
        return r.get_json()

    def preview_of(html: str) -> str:
        return re.search(r'<img class="preview" src="([^"]+)"', html).group(1).replace("&amp;", "&")

    def thumbs_of(html: str) -> list[str]:
        return [u.replace("&amp;", "&") for u in re.findall(r'<img class="thumb"[^>]* src="([^"]+)"', html)]

    def wait_advice(pid: int, phase: str) -> None:
        """What advice.js does when the stock cards show "checking": ask until the answer is there
        (code without the endpoint computed the advice inside the page: nothing to wait for)."""
        t = time.perf_counter()
        while True:
            r = client.get(f"/produk/{pid}/desain/kertas", headers={"Accept": "application/json"})
            if r.status_code == 404:
                return
            if r.status_code == 200 and r.get_json().get("ready"):
                break
            time.sleep(0.1)
        rec("advice_in_page", phase, time.perf_counter() - t)

    def open_editor(url: str, phase: str) -> str:
        t = time.perf_counter()
        html = get(url).get_data(as_text=True)
        get(preview_of(html))
        rec("open", phase, time.perf_counter() - t)
        t = time.perf_counter()
        for u in thumbs_of(html):
            get(u)
        rec("thumbs", phase, time.perf_counter() - t)
        return html

    def change_stock(url: str, stock: str, phase: str) -> None:
        t = time.perf_counter()
        post(url, {"action": "stock", "layout_id": stock})
        html = get(url).get_data(as_text=True)          # design.js reloads: another size
        get(preview_of(html))
        rec("stock", phase, time.perf_counter() - t)

    def change_style(url: str, style: str, phase: str) -> None:
        t = time.perf_counter()
        body = post(url, {"action": "style", "style_id": style})
        get(body["preview_url"])
        rec("style", phase, time.perf_counter() - t)

    seen: set[tuple] = set()
    skipped: list[int] = []
    for pid, username in rows:
        if username != getattr(client, "_bench_user", None):
            client.post("/keluar")
            r = client.post("/masuk", data={"login": username, "password": DEMO_PASSWORD})
            assert r.status_code == 302, username
            client._bench_user = username
        url = f"/produk/{pid}/desain"
        with app.app_context():
            has_design = designs.find_design(db.session.get(Product, pid)) is not None
        if not has_design:
            t = time.perf_counter()
            html = get(url).get_data(as_text=True)
            dt = time.perf_counter() - t
            found = re.search(r'name="style_id" value="([^"]+)" checked', html)
            if found is None:       # not designable yet (data incomplete): not part of the editor bench
                skipped.append(pid)
                continue
            rec("open_first", "cold", dt)
            wait_advice(pid, "cold")         # the producer looks at the cards and the styles meanwhile
            style = found.group(1)
            r = client.post(url, data={"action": "start", "layout_id": "", "style_id": style})
            assert r.status_code == 302, r.get_data(as_text=True)[:300]
        open_editor(url, "cold")
        with app.app_context():
            first_style = designs.find_design(db.session.get(Product, pid)).style_id
        # a producer alternates: a stock, a style, another stock... and ends where the round began, so
        # round 2 repeats round 1 with the same inputs ("warm")
        steps = [x for pair in zip(STOCKS, STYLES_TRIED) for x in pair] + [first_style]
        for _round in range(rounds):
            style = first_style
            for step in steps:
                if step in STOCKS:
                    key = (pid, step, style)
                    wait_advice(pid, "warm" if (pid, "advice", style) in seen else "cold")   # the panel opened
                    seen.add((pid, "advice", style))
                    change_stock(url, step, "warm" if key in seen else "cold")
                else:
                    style = step
                    key = (pid, step)
                    change_style(url, step, "warm" if key in seen else "cold")
                seen.add(key)
            open_editor(url, "warm")
        # the advisor alone, for this product and its design
        with app.app_context(), app.test_request_context():
            product = db.session.get(Product, pid)
            design = designs.find_design(product)
            clear = getattr(advisor, "clear_cache")
            clear()
            t = time.perf_counter()
            advisor.advise(product, design)
            rec("advisor", "cold", time.perf_counter() - t)
            t = time.perf_counter()
            advisor.advise(product, design)
            rec("advisor", "warm", time.perf_counter() - t)
    out = {a: {ph: summary(xs) for ph, xs in phases.items()} for a, phases in times.items()}
    return {**out, "products": len(rows) - len(skipped), "skipped_products": skipped}


def _burn(code: Path, stop_file: Path) -> None:
    """One busy process: clean a 12 MP photo over and over (the training day's uploads)."""
    sys.path.insert(0, str(code))
    from studio.imaging.pipeline import DEFAULT_CLEANUP, run
    from studio.imaging.synthetic import make_photo

    shot = make_photo(1, size=(4000, 3000)).image
    while not stop_file.exists():
        run(shot, DEFAULT_CLEANUP)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except OSError:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--busy", type=int, default=0, help="background photo-cleanup processes")
    ap.add_argument("--code", default=str(ROOT), help="checkout to measure (default: this one)")
    ap.add_argument("--seed-dir", help="reuse (or create) the seeded folder here")
    ap.add_argument("--out", help="also write the JSON here")
    ap.add_argument("--_measure", help=argparse.SUPPRESS)
    ap.add_argument("--_seed", help=argparse.SUPPRESS)
    ap.add_argument("--_burn", help=argparse.SUPPRESS)
    args = ap.parse_args()
    code = Path(args.code).resolve()
    if args._seed:
        seed(Path(args._seed), code)
        return
    if args._measure:
        print(json.dumps(measure(Path(args._measure), code, args.rounds)))
        return
    if args._burn:
        _burn(code, Path(args._burn))
        return
    me = [sys.executable, str(Path(__file__).resolve()), "--code", str(code), "--rounds", str(args.rounds)]
    seeded = Path(args.seed_dir) if args.seed_dir else Path(tempfile.mkdtemp(prefix="bench-editor-seed-"))
    if not (seeded / "db.sqlite3").exists():
        seeded.mkdir(parents=True, exist_ok=True)
        subprocess.run(me + ["--_seed", str(seeded)], check=True)
    work = Path(tempfile.mkdtemp(prefix="bench-editor-run-"))
    shutil.copy2(seeded / "db.sqlite3", work / "db.sqlite3")
    shutil.copytree(seeded / "media", work / "media", ignore=shutil.ignore_patterns("cache", "previews"))
    stop = work / "stop"
    burners = [subprocess.Popen(me + ["--_burn", str(stop)]) for _ in range(args.busy)]
    try:
        if burners:
            time.sleep(3)
        before = _uptime()
        t = time.perf_counter()
        out = subprocess.run(me + ["--_measure", str(work)], stdout=subprocess.PIPE, text=True)
        if out.returncode:
            sys.exit(out.returncode)
        wall = time.perf_counter() - t
        after = _uptime()
    finally:
        stop.touch()
        for b in burners:
            b.wait(timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    products, skipped = result.pop("products"), result.pop("skipped_products")
    commit = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or None
    doc = {"bench": "editor", "code": str(code), "commit": commit, "rounds": args.rounds, "busy": args.busy,
           "cpus": os.cpu_count(), "uptime_before": before, "uptime_after": after, "wall_s": round(wall, 1),
           "goal_p95_s": GOAL_S, "products": products, "skipped_products": skipped, "actions": result,
           "ok": all((ph.get("p95") or 0) <= GOAL_S for a in ("open", "stock", "style")
                     for ph in result.get(a, {}).values())}
    text = json.dumps(doc, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
