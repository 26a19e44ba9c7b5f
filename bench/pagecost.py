"""Server cost of each page type bench/web.py hits, without any load: median ms and SQL statements.

    python bench/pagecost.py --seeded DIR [--n 20] [--out FILE] [--profile PAGE[,PAGE]] [--top 25]
    python bench/pagecost.py --prepare DIR            # once: studio init + bench/web_seed.py into DIR
    python bench/pagecost.py --prepare DIR --pg NAME  # the same on PostgreSQL: database NAME (scaled mode)

``--prepare`` makes a bench instance in DIR (``DIR/instance``, ``DIR/media``, ``DIR/seed.json``; the
same seed as bench/web.py: 30 producers, 5 trainers, 3 editors). A measuring run copies DIR to a
temp folder first (the saves it makes never change the seed), builds the app like gunicorn does
(``app.py``, jobs "eager" so nothing runs in the background), signs in one producer, trainer, hub
operator and editor with the Flask test client and requests each page ``--n`` times after two
warm-up requests. Printed JSON: per page the median CPU time of the request (this thread's, so
other processes on a busy machine count less), the median and p90 wall time (ms), the Python function calls of one request (cProfile:
a measure of work the machine's load does not move), the SQL statements it ran (counted at the cursor) and its status. ``--profile``
also prints cProfile's top functions (cumulative and own time) over the ``--n`` requests of those pages.

With ``--pg NAME`` the seed goes into a PostgreSQL database NAME (made afresh; the server of
scripts/scaled-stack.sh, role ``studio``) and a measuring run works on a copy of it
(``CREATE DATABASE … TEMPLATE NAME``, dropped afterwards). Each page then also reports its round
trips to the database per request: the statements plus the transaction commands psycopg sends on its
own (``BEGIN`` before the first statement of a transaction, ``COMMIT``, ``ROLLBACK``) and the pool's
connection checkouts.

Run it on two checkouts in the same minute to compare (copy this file into the other tree).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def bench_env(folder: Path) -> dict:
    return {"STUDIO_INSTANCE_PATH": str(folder / "instance"), "STUDIO_MEDIA_DIR": str(folder / "media"),
            "STUDIO_SECRET_KEY": "pagecost-secret", "STUDIO_DEMO_ON_FIRST_START": "false",
            "STUDIO_PUBLIC_BASE_URL": "https://katalog.bench-hub.example", "STUDIO_JOBS_MODE": "eager"}


def pg_url(name: str) -> str:
    return f"postgresql+psycopg://studio:studio@127.0.0.1/{name}"


def prepare(folder: Path, pg: str | None = None) -> None:
    (folder / "instance").mkdir(parents=True, exist_ok=True)
    (folder / "media").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDIO_", "FLASK_"))}
    env.update(bench_env(folder))
    if pg:
        from web_stack import psql

        psql("postgres", f"DROP DATABASE IF EXISTS {pg} WITH (FORCE)")
        psql("postgres", f"CREATE DATABASE {pg} OWNER studio")
        env["STUDIO_SQLALCHEMY_DATABASE_URI"] = pg_url(pg)
        (folder / "pg.json").write_text(json.dumps({"database": pg}))
    venv = ROOT / ".venv" / "bin"
    subprocess.run([str(venv / "flask"), "--app", "app", "studio", "init", "--no-demo"], cwd=ROOT, env=env, check=True)
    subprocess.run([str(venv / "python"), str(ROOT / "bench" / "web_seed.py"), "--producers", "30", "--trainers", "5",
                    "--approved", "5", "--editors", "3", "--out", str(folder / "seed.json")], cwd=ROOT, env=env,
                   check=True)


class Measure:
    """Counts SQL statements at the cursor (and on PostgreSQL the transaction commands psycopg sends
    itself, and the pool's checkouts) and times requests of the test client."""

    def __init__(self, app):
        from sqlalchemy import event

        from studio.extensions import db

        self.statements = 0
        self.sql_s = 0.0
        self.commands: dict[str, int] = {}
        self.texts: list[str] = []
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _t0(conn, *_a):
            conn.info["pagecost_t0"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _count(conn, _cursor, statement, *_a):
            self.statements += 1
            self.sql_s += time.perf_counter() - conn.info.pop("pagecost_t0", time.perf_counter())
            self.texts.append(statement)

        @event.listens_for(engine, "checkout")
        def _checkout(*_a):
            self.commands["checkout"] = self.commands.get("checkout", 0) + 1

        if engine.dialect.name == "postgresql":
            from psycopg import _connection_base

            real = _connection_base.BaseConnection._exec_command
            measure = self

            def _exec_command(conn, command, *a, **kw):    # BEGIN / COMMIT / ROLLBACK / SET …
                text = command if isinstance(command, (bytes, str)) else command.as_bytes(conn)
                word = (text.decode() if isinstance(text, bytes) else text).split(None, 1)[0].upper()
                measure.commands[word] = measure.commands.get(word, 0) + 1
                t0 = time.perf_counter()
                result = yield from real(conn, command, *a, **kw)
                measure.sql_s += time.perf_counter() - t0
                return result

            _connection_base.BaseConnection._exec_command = _exec_command

    def request(self, client, method: str, path: str, then=None, **kw):
        """``then(resp)``: a path to GET right after (timed with it: the preview the page shows)."""
        n0 = self.statements
        self.texts = []
        self.commands = {}
        self.sql_s = 0.0
        c0, t0 = time.thread_time(), time.perf_counter()
        resp = client.open(path, method=method, **kw)
        body = resp.get_data()
        url = then(resp) if then is not None else None
        if url:
            resp = client.get(url)
            body = resp.get_data()
        dt, cpu = time.perf_counter() - t0, time.thread_time() - c0
        return resp, body, dt, cpu, self.statements - n0


def csrf(html: bytes) -> str:
    from web_client import csrf_token

    return csrf_token(html.decode("utf-8", "replace"))


def logged_in_client(app, username: str, password: str):
    """A Flask test client signed in as ``username`` through the login form."""
    c = app.test_client()
    page = c.get("/masuk")
    r = c.post("/masuk", data={"csrf_token": csrf(page.data), "login": username, "password": password})
    assert r.status_code in (302, 303), (username, r.status_code)
    return c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prepare", help="make a seeded bench instance in this folder and stop")
    ap.add_argument("--seeded", help="a folder made with --prepare")
    ap.add_argument("--pg", help="with --prepare: seed this PostgreSQL database (made afresh) instead of SQLite")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--out")
    ap.add_argument("--profile", default="", help="page names to profile, comma separated ('all' for every page)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--note", default="")
    ap.add_argument("--pages", default="", help="only these pages (comma separated)")
    ap.add_argument("--statements", action="store_true", help="also list the SQL of each page's last request")
    args = ap.parse_args(argv)
    if args.prepare:
        prepare(Path(args.prepare), args.pg)
        return 0
    if not args.seeded:
        ap.error("--seeded DIR (made with --prepare) is needed")
    src = Path(args.seeded)
    seed = json.loads((src / "seed.json").read_text())
    work = Path(tempfile.mkdtemp(prefix="pagecost-"))
    pg = json.loads((src / "pg.json").read_text())["database"] if (src / "pg.json").exists() else None
    copy = f"{pg}_run_{os.getpid()}" if pg else None
    try:
        shutil.copytree(src / "instance", work / "instance")
        shutil.copytree(src / "media", work / "media")
        for k in [k for k in os.environ if k.startswith(("STUDIO_", "FLASK_"))]:
            del os.environ[k]
        os.environ.update(bench_env(work))
        if pg:
            from web_stack import psql

            psql("postgres", f"CREATE DATABASE {copy} OWNER studio TEMPLATE {pg}")
            os.environ["STUDIO_SQLALCHEMY_DATABASE_URI"] = pg_url(copy)
        os.chdir(ROOT)
        result = run(seed, args)
        result["database"] = "postgresql" if pg else "sqlite"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if copy:     # WITH (FORCE): the app's own pooled connections are still open
            psql("postgres", f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
    result["note"] = args.note
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


def run(seed: dict, args) -> dict:
    from sqlalchemy import text

    from app import app
    from studio.extensions import db

    m = Measure(app)
    producer = seed["producers"][-1]      # a submitted (not approved) one
    trainer = next(t for t in seed["trainers"] if t["username"] == producer["trainer"])
    editor = seed["editors"][0]
    approved = seed["approved_versions"][0]
    pid, eid = producer["product_id"], editor["product_id"]
    with app.app_context():
        photo_id = db.session.execute(text("SELECT id FROM photos WHERE product_id = :p ORDER BY id LIMIT 1"),
                                      {"p": pid}).scalar()

    def login(username: str):
        return logged_in_client(app, username, seed["password"])

    clients = {"producer": login(producer["username"]), "trainer": login(trainer["username"]),
               "hub": login(seed["hub"]["username"]), "editor": login(editor["username"]),
               "anonymous": app.test_client()}
    # the hub's print job page needs a job: one submit (rendered at once: jobs are "eager" here)
    hub = clients["hub"]
    form = hub.get(f"/hub/cetak/{approved}")
    from web_client import forms_of

    f = [f for f in forms_of(form.data.decode()) if "/hub/cetak/" in f.action][0]
    r = hub.post(f.action, data=dict(f.fields))
    job_id = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    data_form = clients["producer"].get(f"/produk/{pid}/data?bagian=jual")
    data_fields = [x for x in forms_of(data_form.data.decode()) if "bagian=jual" in x.action][0].fields
    editor_page = clients["editor"].get(f"/produk/{eid}/desain")
    editor_token = csrf(editor_page.data)
    stocks = ("a4-nup-2x2-94x134", "f4-nup-2x2-96x150")
    n_stock = [0]

    def stock_change():
        n_stock[0] += 1
        return {"data": {"csrf_token": editor_token, "action": "stock", "layout_id": stocks[n_stock[0] % 2]},
                "headers": {"Accept": "application/json"}}

    n_save = [0]

    def data_save():         # a new stock figure each time, as bench/web.py's producers type
        n_save[0] += 1
        fields = [(k, v) for k, v in data_fields if k != "stock"] + [("stock", str(10 + n_save[0] % 90)),
                                                                   ("aksi", "draf")]
        from werkzeug.datastructures import MultiDict

        return {"data": MultiDict(fields)}

    # review_decision: each request approves another waiting submission (as its own trainer): a
    # decision cannot be repeated on one version
    trainers = {t["username"]: login(t["username"]) for t in seed["trainers"]}
    waiting = [p for p in seed["producers"] if p["version_status"] == "submitted" and p is not producer]
    decisions = iter(waiting)
    with app.test_request_context():
        # as on a training day: each waiting label was checked when it was sent, today, by this
        # code (the seed's cache entries are keyed to the code that made them)
        from studio.designs.gates import recheck_version
        from studio.designs.models import DesignVersion

        for p in waiting[:args.n + 3]:
            recheck_version(db.session.get(DesignVersion, p["version_id"]))

    def decision():
        p = next(decisions)
        clients["decider"] = trainers[p["trainer"]]
        page = clients["decider"].get(f"/tinjauan/{p['version_id']}")
        form = [f for f in forms_of(page.data.decode()) if f.action.endswith("/putuskan")][0]
        return {"path": f"/tinjauan/{p['version_id']}/putuskan", "data": dict(form.fields)}

    review_token = csrf(clients["trainer"].get(f"/tinjauan/{producer['version_id']}").data)

    def comment():
        return {"data": {"csrf_token": review_token, "body": "Huruf komposisi terlalu kecil.", "x_mm": "",
                         "y_mm": ""}}

    def print_submit():     # a new job form each time (its request key); the render is the job's, not timed
        page = hub.get(f"/hub/cetak/{approved}")
        f = [f for f in forms_of(page.data.decode()) if "/hub/cetak/" in f.action][0]
        return {"data": dict(f.fields)}

    def print_submit_other_process():   # as print_submit, answered by a process that never composed this label
        from studio.designs import assets, prepare

        kws = print_submit()
        prepare._composed.clear()       # nor opened its images
        with assets._LOCK:
            assets._CACHE.clear()
        return kws

    # editor_style_change+preview: the style POST (JSON) and the preview it shows, each time a style
    # and stock this label was not drawn in before (as a producer trying styles: a cache miss); the
    # stock is set beforehand, not timed
    from itertools import product as combos

    all_styles = ["tradisional", "alami", "berani", "premium", "bersih", "foto", "tipografi", "warisan", "segar",
                  "kraft"]
    style_plan = iter([(lay, sty) for sty, lay in combos(all_styles[:5], stocks)])
    other_plan = iter([(lay, sty) for sty, lay in combos(all_styles[5:], stocks)])

    def style_change(plan=style_plan, other_process=False):
        lay, sty = next(plan)
        clients["editor"].post(f"/produk/{eid}/desain", data={"csrf_token": editor_token, "action": "stock",
                                                               "layout_id": lay}, headers={"Accept": "application/json"})

        # as served: one process (embedded) draws the preview on its GET; several (scaled) in the change
        app.config["EDITOR_PREVIEW_WITH_CHANGE"] = other_process

        def then(resp):
            if other_process:       # the preview GET answered by another server process (scaled: 3 workers)
                from studio.designs import prepare

                prepare._composed.clear()
            return (resp.get_json(silent=True) or {}).get("preview_url")
        return {"data": {"csrf_token": editor_token, "action": "style", "style_id": sty},
                "headers": {"Accept": "application/json"}, "then": then}

    pages = [  # (name, client, method, path, request kwargs or a function making them)
        ("login_form", "anonymous", "GET", "/masuk", None),
        ("producer_home", "producer", "GET", "/produk", None),
        ("product_overview", "producer", "GET", f"/produk/{pid}", None),
        ("product_data_form", "producer", "GET", f"/produk/{pid}/data?bagian=jual", None),
        ("product_data_save", "producer", "POST", f"/produk/{pid}/data?bagian=jual", data_save),
        ("photos_page", "producer", "GET", f"/produk/{pid}/foto", None),
        ("photo_status", "producer", "GET", f"/produk/{pid}/foto/{photo_id}/status", None),
        ("trainer_home", "trainer", "GET", "/pendamping", None),
        ("review_queue", "trainer", "GET", "/tinjauan", None),
        ("review_page", "trainer", "GET", f"/tinjauan/{producer['version_id']}", None),
        ("review_preview_png", "trainer", "GET", f"/tinjauan/versi/{producer['version_id']}/pratinjau.png", None),
        ("hub_home", "hub", "GET", "/hub/", None),
        ("print_job_form", "hub", "GET", f"/hub/cetak/{approved}", None),
        ("print_job_page", "hub", "GET", f"/hub/pekerjaan/{job_id}", None),
        ("print_job_status", "hub", "GET", f"/hub/pekerjaan/{job_id}/status.json", None),
        ("catalogue_home", "anonymous", "GET", "/katalog", None),
        ("editor_open", "editor", "GET", f"/produk/{eid}/desain", None),
        ("editor_preview_png", "editor", "GET", f"/produk/{eid}/desain/pratinjau.png", None),
        ("editor_stock_change", "editor", "POST", f"/produk/{eid}/desain", stock_change),
        ("review_comment", "trainer", "POST", f"/tinjauan/{producer['version_id']}/komentar", comment),
        ("print_job_submit", "hub", "POST", f"/hub/cetak/{approved}", print_submit),
        ("print_job_submit_other_process", "hub", "POST", f"/hub/cetak/{approved}", print_submit_other_process),
        ("review_decision", "decider", "POST", None, decision),
        ("editor_style_change+preview", "editor", "POST", f"/produk/{eid}/desain", style_change),
        ("editor_style_change+preview_other_process", "editor", "POST", f"/produk/{eid}/desain",
         lambda: style_change(other_plan, True)),
    ]
    wanted = set(filter(None, args.profile.split(",")))
    out: dict = {"commit": _commit(), "n": args.n, "pages": {}, "profiles": {}}
    only = set(filter(None, args.pages.split(",")))
    for name, who, method, path, kw in pages:
        if only and name not in only:
            continue
        times, cpus, counts, statuses, sql_ms, trips = [], [], [], set(), [], {}

        def kwargs_of():
            kws = dict(kw()) if callable(kw) else {}
            return kws.pop("path", path), kws

        if name.startswith("editor_style_change") and args.n + 3 > len(all_styles):
            print(f"{name}: only {len(all_styles)} new style and stock pairs for --n {args.n}", file=sys.stderr)
            continue
        if name == "review_decision" and len(waiting) < args.n + 3:
            print(f"review_decision: only {len(waiting)} waiting submissions for --n {args.n}", file=sys.stderr)
            continue
        no_job = _no_job_run() if name.startswith("print_job_submit") else None
        for _ in range(2):
            p_, kws = kwargs_of()
            m.request(clients[who], method, p_, **kws)
        prof = cProfile.Profile() if ("all" in wanted or name in wanted) else None
        for _ in range(args.n):
            p_, kws = kwargs_of()
            c = clients[who]
            if prof:
                prof.enable()
            resp, _body, dt, cpu, q = m.request(c, method, p_, **kws)
            if prof:
                prof.disable()
            times.append(dt * 1000)
            cpus.append(cpu * 1000)
            counts.append(q)
            sql_ms.append(m.sql_s * 1000)
            for word, k in m.commands.items():
                trips.setdefault(word, []).append(k)
            statuses.add(resp.status_code)
        times.sort()
        one = cProfile.Profile()        # Python function calls of one more request: a figure load does not move
        p_, kws = kwargs_of()
        one.enable()
        m.request(clients[who], method, p_, **kws)
        one.disable()
        if no_job:
            no_job()
        out["pages"][name] = {"cpu_median_ms": round(statistics.median(cpus), 1),
                              "median_ms": round(statistics.median(times), 1),
                              "p90_ms": round(times[int(0.9 * (len(times) - 1))], 1),
                              "py_calls": pstats.Stats(one).total_calls,
                              "sql": round(statistics.median(counts), 1), "sql_max": max(counts),
                              "sql_ms_median": round(statistics.median(sql_ms), 2),
                              "commands": {w: round(sum(v) / args.n, 2) for w, v in sorted(trips.items())},
                              "status": sorted(statuses)}
        out["pages"][name]["round_trips"] = round(statistics.mean(counts) + sum(
            v for w, v in out["pages"][name]["commands"].items() if w != "checkout"), 2)
        if args.statements:
            from studio.querystats import statement_shape

            out["pages"][name]["statements"] = [statement_shape(t)[:160] for t in m.texts]
        print(f"{name:22s} {out['pages'][name]}", file=sys.stderr)
        if prof:
            out["profiles"][name] = _top(prof, args.top)
            out["profile_own_time_by_package"] = out.get("profile_own_time_by_package", {})
            out["profile_own_time_by_package"][name] = _by_package(prof)
            print(out["profiles"][name], file=sys.stderr)
    return out


def _no_job_run():
    """Jobs dispatched by the measured requests are not run (the print render is the job's, in the
    background in every served mode); returns the undo."""
    from studio import jobs

    real = jobs.dispatch
    jobs.dispatch = lambda job_id: None

    def undo():
        jobs.dispatch = real
    return undo


def _top(prof: cProfile.Profile, n: int) -> str:
    """The project's own functions by cumulative time, then every function by own time."""
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(rf"^{ROOT}/(studio|templates)", n)
    st.strip_dirs().sort_stats("tottime").print_stats(n)
    return buf.getvalue()


def _by_package(prof: cProfile.Profile) -> dict:
    """Share (%) of the profiled own time per library (site-packages top folder), the project's
    modules (studio.*, templates) and the standard library."""
    totals: dict[str, float] = {}
    for (path, _line, _fn), (_cc, _nc, tt, _ct, _callers) in pstats.Stats(prof).stats.items():
        if "site-packages/" in path:
            key = path.split("site-packages/", 1)[1].split("/", 1)[0]
        elif path.startswith(str(ROOT)):
            rel = Path(path).relative_to(ROOT).parts
            key = "/".join(rel[:2]) if rel[0] == "studio" else rel[0]
        elif path.startswith("<template>") or path.endswith(".html"):
            key = "templates"
        else:
            key = "python" if path.startswith(("/usr", "~", "<")) else path
        totals[key] = totals.get(key, 0.0) + tt
    whole = sum(totals.values()) or 1.0
    return {k: round(100 * v / whole, 1) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])[:12]}


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
