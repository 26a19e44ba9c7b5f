"""Photo-cleanup benchmark: speed, peak memory and mask quality on generated 12 MP photos.

    python bench/photos.py                 # 20 tuning + 20 held-out photos at 4000x3000, JSON
    python bench/photos.py --part tuning --count 10 --size 2000x1500 --quality-only
    python bench/photos.py --web-only --web 10      # upload to "ready" through a served app only

Photos are the generator's harder scenes (two products, empty and filled clear glass, clear
film, white in shade on white, dark on dark cloth, foil, cluttered edges, colour casts, small
far products; some EXIF-rotated, some HEIC) with exact masks, cached as uploads + PNG masks.
The TUNING part is what the pipeline may be tuned on; TUNING2 (seeds 3000.., wider colours, shadow
darkness and softness, light, film thickness/haze/tint) and TUNING3 (seeds 7000.., wider light, shadow and
foil variation, its own surfaces) are the checks a change tuned there must also pass; the HELD-OUT part (other
seeds, and surfaces tuning never sees) is only reported. PATTERNED (seeds 1200..) puts every class on a
checked cloth, mosaic tiles or a woven mat. Figures are given per part and per class. The pipeline runs in a child
process, so its peak resident memory (VmHWM, reset per photo where Linux allows it) is the
job's own. Goals: mean IoU >= 0.97, >= 90 % of photos at IoU >= 0.95, boundary F (3 px) >= 0.82,
shadow taken as product <= 1 %, segmentation <= 1.5 s median, all outputs <= 4 s, peak < 1 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.imaging import metrics, synthetic  # noqa: E402


def _vm(field: str) -> int:
    """A /proc/self/status field in MiB (0 where /proc is unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def generate(cache: Path, part: str, count: int, size: tuple[int, int]) -> list[dict]:
    """Write (or reuse) one part's photos: upload file (JPEG or HEIC, some EXIF-rotated), masks.

    The masks are in display orientation: what the upload shows once its EXIF tag is applied.
    """
    cache.mkdir(parents=True, exist_ok=True)
    items = []
    for plan in synthetic.scene_plan(part, count):
        ext = "heic" if plan["format"] == "HEIC" else "jpg"
        stem = f"{part}_{plan['seed']}_{plan['scene']}_o{plan['orientation'] or 1}_{size[0]}x{size[1]}"
        up, m, s = cache / f"{stem}.{ext}", cache / f"{stem}_mask.png", cache / f"{stem}_shadow.png"
        if not (up.exists() and m.exists() and s.exists()):
            photo = synthetic.make_scene(plan["seed"], plan["scene"], size=size, heldout=plan["heldout"],
                                         shadow_variant=plan.get("shadow_variant", False),
                                         vary=plan.get("vary", False), surface=plan.get("surface"))
            stored = synthetic.stored_pixels(photo.image, plan["orientation"])
            if plan["format"] == "HEIC":
                up.write_bytes(synthetic.heic_bytes(stored, orientation=plan["orientation"]))
            else:
                up.write_bytes(synthetic.jpeg_bytes(stored, orientation=plan["orientation"], quality=92, gps=True))
            Image.fromarray(photo.mask.astype(np.uint8) * 255).save(m)
            Image.fromarray(photo.shadow.astype(np.uint8) * 255).save(s)
        items.append({"name": stem, "part": part, "scene": plan["scene"], "file": str(up),
                      "mask": str(m), "shadow": str(s)})
    return items


def worker(items_path: Path, out_path: Path, views: str | None, quality_only: bool = False) -> None:
    """Child process: run the whole cleanup for each photo, time it, measure the masks."""
    from studio.imaging import segment
    from studio.imaging.io import encode_jpeg, encode_png, encode_webp, open_upload
    from studio.imaging.pipeline import DEFAULT_CLEANUP, run_cleanup

    segment.model_available()    # load the model once, as a long-running worker would
    items = json.loads(items_path.read_text())
    base_rss = _vm("VmRSS")
    results = []
    for item in items:
        data = Path(item["file"]).read_bytes()
        can_reset = _reset_peak()
        t0, c0 = time.perf_counter(), time.process_time()
        loaded = open_upload(data)
        t1, c1 = time.perf_counter(), time.process_time()
        mask = segment.segment(loaded.image)
        t2, c2 = time.perf_counter(), time.process_time()
        files: dict[str, bytes] = {}
        result = None
        if not quality_only:
            # the full job as a worker runs it: all steps (segmenting again), then every encoded file
            seen: list[float] = []
            result = run_cleanup(loaded.image, DEFAULT_CLEANUP, size_px=1200, progress=lambda f, _: seen.append(f))
            files = {"catalogue.jpg": encode_jpeg(result.catalogue), "cutout.png": encode_png(result.cutout),
                     "mask.png": encode_png(result.mask)}
            for side, im in result.thumbnails.items():
                files[f"thumb_{side}.webp"] = encode_webp(im)
        t3, c3 = time.perf_counter(), time.process_time()
        truth = np.asarray(Image.open(item["mask"])) > 127
        shadow = np.asarray(Image.open(item["shadow"])) > 127
        results.append({
            "name": item["name"], "part": item["part"], "scene": item["scene"],
            "decode_s": round(t1 - t0, 3), "segment_s": round(t2 - t1, 3),
            "all_outputs_s": None if quality_only else round((t1 - t0) + (t3 - t2), 3),
            "segment_cpu_s": round(c2 - c1, 3), "all_outputs_cpu_s": round((c1 - c0) + (c3 - c2), 3),
            "peak_rss_mib": _vm("VmHWM") if can_reset else None,
            "iou": round(metrics.iou(mask, truth), 4),
            "boundary_f_3px": round(metrics.boundary_f(mask, truth, tolerance_px=3), 4),
            "shadow_as_product": round(metrics.shadow_taken(mask, shadow), 4),
            "pipeline_mask_iou": None if result is None else round(metrics.iou(np.asarray(result.mask), truth), 4),
            "output_bytes": {k: len(v) for k, v in files.items()},
        })
        if views and result is not None:
            _save_view(Path(views), item["name"], loaded.image, result, mask, truth)
        del loaded, result, files, mask
    out_path.write_text(json.dumps({"results": results, "base_rss_mib": base_rss,
                                    "peak_rss_mib_whole_run": _vm("VmHWM")}))


def _save_view(folder: Path, name: str, photo: Image.Image, result, mask: np.ndarray, truth: np.ndarray) -> None:
    """Before / after sheet: photo, errors (magenta = extra, cyan = missed), cut-out on grey, catalogue."""
    folder.mkdir(parents=True, exist_ok=True)
    h = 600
    w = round(photo.width * h / photo.height)
    err = np.asarray(photo).copy()
    err[(mask >= 128) & ~truth] = (255, 0, 255)
    err[(mask < 128) & truth] = (0, 255, 255)
    grey = Image.new("RGBA", result.cutout.size, (128, 128, 128, 255))
    grey.alpha_composite(result.cutout)
    sheet = Image.new("RGB", (3 * w + h, h), "white")
    sheet.paste(photo.resize((w, h)), (0, 0))
    sheet.paste(Image.fromarray(err).resize((w, h)), (w, 0))
    sheet.paste(grey.convert("RGB").resize((w, h)), (2 * w, 0))
    sheet.paste(result.catalogue.resize((h, h)), (3 * w, 0))
    sheet.save(folder / f"{name}.png")


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3)


def _quality(res: list[dict]) -> dict:
    ious = [r["iou"] for r in res]
    return {
        "photos": len(res),
        "mean_iou": round(float(np.mean(ious)), 4),
        "share_iou_ge_0_95": round(float(np.mean([v >= 0.95 for v in ious])), 3),
        "mean_boundary_f_3px": round(float(np.mean([r["boundary_f_3px"] for r in res])), 4),
        "mean_shadow_as_product": round(float(np.mean([r["shadow_as_product"] for r in res])), 4),
    }


def _part_summary(res: list[dict]) -> dict:
    out = _quality(res)
    out["worst"] = sorted(((r["iou"], r["name"]) for r in res))[:3]
    out["per_class"] = {scene: _quality([r for r in res if r["scene"] == scene])
                        for scene in synthetic.SCENES if any(r["scene"] == scene for r in res)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20, help="photos per part (classes cycle)")
    ap.add_argument("--part", choices=("both", *synthetic.PARTS), default="both",
                    help="both = tuning + heldout; tuning2, tuning3 = the checks for changes tuned on tuning; "
                         "patterned = every class on a patterned cloth")
    ap.add_argument("--size", default="4000x3000")
    ap.add_argument("--quality-only", action="store_true", help="segment only (skip the full job and outputs)")
    ap.add_argument("--per-photo", action="store_true", help="print every photo's figures too")
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "studio-bench-photos"))
    ap.add_argument("--views", default=None, help="folder for before/after PNG sheets")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    add_web_arguments(ap)   # web upload-to-ready (section at the end of this file)
    args = ap.parse_args()
    if args.web_seed or args.web_only:
        web_main(args)
        return
    if args.worker:
        worker(Path(args.worker[0]), Path(args.worker[1]), args.views, args.quality_only)
        return
    size = tuple(int(v) for v in args.size.lower().split("x"))
    parts = ("tuning", "heldout") if args.part == "both" else (args.part,)
    t0 = time.perf_counter()
    items = [it for part in parts for it in generate(Path(args.cache), part, args.count, size)]
    gen_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        items_path, out_path = Path(tmp) / "items.json", Path(tmp) / "out.json"
        items_path.write_text(json.dumps(items))
        cmd = [sys.executable, __file__, "--worker", str(items_path), str(out_path)]
        if args.views:
            cmd += ["--views", args.views]
        if args.quality_only:
            cmd += ["--quality-only"]
        subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        child = json.loads(out_path.read_text())
    res = child["results"]
    peaks = [r["peak_rss_mib"] for r in res if r["peak_rss_mib"] is not None]
    timed = [r for r in res if r["all_outputs_s"] is not None]
    summary = {
        "photos": len(res), "size": list(size), "cpu_count": os.cpu_count(),
        "generate_s": round(gen_s, 1),
        "segment_s": {"median": _pct([r["segment_s"] for r in res], 50), "p90": _pct([r["segment_s"] for r in res], 90)},
        "all_outputs_s": None if not timed else {"median": _pct([r["all_outputs_s"] for r in timed], 50),
                                                 "p90": _pct([r["all_outputs_s"] for r in timed], 90)},
        "decode_s_median": _pct([r["decode_s"] for r in res], 50),
        "cpu_s_median": {"segment": _pct([r["segment_cpu_s"] for r in res], 50)},
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "peak_rss_mib": {"per_photo_max": max(peaks) if peaks else None,
                         "whole_run": child["peak_rss_mib_whole_run"], "idle_worker": child["base_rss_mib"]},
        "quality": {part: _part_summary([r for r in res if r["part"] == part]) for part in parts},
        "goals": {"mean_iou": 0.97, "share_iou_ge_0_95": 0.9, "boundary_f_3px": 0.82, "shadow_as_product": 0.01,
                  "segment_s_median": 1.5, "all_outputs_s": 4.0, "peak_rss_mib": 1024},
    }
    if args.per_photo:
        summary["per_photo"] = res
    if args.web:
        summary["web"] = run_web(args)
    print(json.dumps(summary, indent=1))



# ================================================================ web upload-to-ready (issue 19, speed)
# Kept apart from the quality part above (another branch edits that): main() only calls
# web_upload_to_ready() and adds its dict under "web". A real gunicorn serves a fresh instance
# (bench/web_stack.Stack: temp instance, own process group, cleaned up); a timed client on loopback
# logs in, uploads a 12 MP phone JPEG (EXIF-rotated, sensor grain, GPS) as photos.js does, reloads
# the page and polls the status URL on the page's own schedule (data-poll-schedule) until ready.

WEB_PASSWORD = "bench-foto-2026"


def web_seed(out: Path, products: int) -> None:
    """Child process (env of the bench instance): one producer with ``products`` products."""
    from studio import create_app
    from studio.auth.models import Role
    from studio.auth.services import NewUser, create_user
    from studio.products.services import create_product

    app = create_app()
    with app.app_context(), app.test_request_context():
        user = create_user(None, NewUser(username="bench.foto", full_name="Produsen Foto", role=Role.PRODUCER,
                                         password=WEB_PASSWORD, business_name="UD Foto"))
        ids = [create_product(user, f"Keripik Foto {i + 1}").id for i in range(products)]
    out.write_text(json.dumps({"username": "bench.foto", "product_ids": ids}))


def phone_jpeg(item: dict, cache: Path) -> bytes:
    """A phone-like upload from a generated photo: sensor grain, quality 95, its EXIF rotation and GPS
    kept (a 12 MP photo is then ~3 MB, as from a phone, not the generator's smooth 1.3 MB)."""
    path = cache / f"{item['name']}_phone.jpg"
    if path.exists():
        return path.read_bytes()
    src = Image.open(item["file"])
    orientation = src.getexif().get(0x0112)
    a = np.asarray(src.convert("RGB")).astype(np.int16)
    grain = np.random.default_rng(7).normal(0, 3.5, a.shape)
    img = Image.fromarray(np.clip(a + grain, 0, 255).astype(np.uint8))
    data = synthetic.jpeg_bytes(img, orientation=orientation, quality=95, gps=True)
    path.write_bytes(data)
    return data


class _WebClient:
    """One browser on loopback: cookies, CSRF token from the page, a fresh connection per request."""

    def __init__(self, port: int):
        import http.client

        self._http = http.client
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        from http.cookies import SimpleCookie

        h = {"Accept-Language": "id", "Connection": "close", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = self._http.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    c = SimpleCookie()
                    c.load(v)
                    self.cookies.update({n: m.value for n, m in c.items()})
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            conn.close()

    @staticmethod
    def csrf(html: bytes) -> str:
        import re

        m = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
        return m.group(1).decode() if m else ""

    def login(self, username: str, password: str) -> None:
        from urllib.parse import urlencode

        _, _, page = self.request("GET", "/masuk")
        body = urlencode({"csrf_token": self.csrf(page), "login": username, "password": password}).encode()
        status, _, _ = self.request("POST", "/masuk", body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"bench login answered {status}")

    def upload(self, path: str, token: str, data: bytes, filename: str):
        import secrets

        b = "----studiophoto" + secrets.token_hex(8)
        body = (f'--{b}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{b}\r\nContent-Disposition: form-data; name="photo"; filename="{filename}"\r\n'
                f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{b}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={b}",
                                                 "Accept": "application/json"})


def _poll_info(html: bytes, photo_id: int) -> tuple[str, list[float]]:
    """The status URL and poll delays (s) the page gives the busy card of ``photo_id``."""
    import re

    card = html.split(f'id="foto-{photo_id}"'.encode(), 1)[-1]
    url = re.search(rb'data-poll-url="([^"]+)"', card)
    sched = re.search(rb'data-poll-schedule="([^"]+)"', card)
    delays = [int(v) / 1000 for v in sched.group(1).split()] if sched else [0.8, 1.0]   # app.js before issue 19
    return (url.group(1).decode().replace("&amp;", "&") if url else ""), delays


def _job_times(db_path: Path, photo_ids: list[int]) -> dict[int, dict]:
    """Server-side times of each photo's (last) cleanup job from the bench instance's SQLite."""
    import sqlite3
    from datetime import datetime

    def t(v):
        return None if v is None else datetime.fromisoformat(str(v)).timestamp()

    out = {}
    with sqlite3.connect(db_path) as con:
        for pid in photo_ids:
            row = con.execute("SELECT j.created_at, j.started_at, j.finished_at, j.result FROM photos p JOIN jobs j "
                              "ON j.id = p.job_id WHERE p.id = ?", (pid,)).fetchone()
            if row:
                c, s, f = (t(v) for v in row[:3])
                out[pid] = {"queue_s": None if s is None else s - c, "job_s": None if f is None or s is None else f - s,
                            "job_stage_s": (json.loads(row[3] or "{}") or {}).get("seconds") or {}}
    return out


def _group_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every live process of process group ``pgid``:
    the server's own work per upload, a figure the machine's load changes far less than wall time."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:             # fields after the name: state ppid pgrp ...
            total += int(fields[11]) + int(fields[12])    # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def web_upload_to_ready(uploads: list[bytes], count: int, mode: str = "embedded") -> dict:
    """Upload ``count`` photos one after another through a served app; time each to "ready".

    Per upload: ``accept_s`` (POST until the JSON answer: content check, original saved, job queued),
    ``page_s`` (the photos page reloaded with the busy card), ``ready_s`` (upload start until the
    page's poll reads "finished"), ``shown_s`` (… until the reloaded page shows the result), and from
    the database the job's queue wait and run time. ``stages`` are the messages the page showed.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from web_stack import VENV_BIN, Stack   # noqa: E402  (bench/web_stack.py: processes and cleanup)

    per_product = 10
    load_before = os.getloadavg()
    runs: list[dict] = []
    with Stack(mode) as stack:
        if mode == "scaled":
            stack.start_services()
        env = dict(stack.env, STUDIO_JOBS_MODE="eager")
        subprocess.run([str(VENV_BIN / "flask"), "--app", "app", "studio", "init", "--no-demo"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=sys.stderr, timeout=600)
        seed_out = stack.tmp / "seed.json"
        subprocess.run([sys.executable, __file__, "--web-seed", str(seed_out), str(-(-count // per_product))],
                       cwd=ROOT, env=env, check=True, timeout=600)
        seed = json.loads(seed_out.read_text())
        stack.start_app(workers=1 if mode == "embedded" else 3, threads=8 if mode == "embedded" else 4,
                        jobs_mode="local" if mode == "embedded" else "celery")
        client = _WebClient(stack.port)
        client.login(seed["username"], WEB_PASSWORD)
        time.sleep(3)   # the local pool's warm-up (model load) belongs to the start, not to an upload
        cpu0 = sum(_group_cpu_s(p.pgid) for p in stack.procs)
        for n in range(count):
            page_path = f"/produk/{seed['product_ids'][n // per_product]}/foto"
            _, _, page = client.request("GET", page_path)
            token = client.csrf(page)
            t0 = time.perf_counter()
            status, _, body = client.upload(page_path, token, uploads[n % len(uploads)], f"IMG_{n:04d}.jpg")
            t_accept = time.perf_counter()
            if status != 200:
                raise RuntimeError(f"upload answered {status}: {body[:300]!r}")
            target = json.loads(body)["url"]
            photo_id = int(target.rsplit("#foto-", 1)[1])
            _, _, page = client.request("GET", target.split("#", 1)[0])
            t_page = time.perf_counter()
            url, delays = _poll_info(page, photo_id)
            stages, polls, finished, least = [], 0, not url, 0.0
            while not finished:   # as app.js: the schedule's wait, or the answer's next_ms when larger
                time.sleep(max(delays[min(polls, len(delays) - 1)], least))
                _, _, st = client.request("GET", url, headers={"Accept": "application/json"})
                polls += 1
                j = json.loads(st)
                if j.get("message") and (not stages or stages[-1] != j["message"]):
                    stages.append(j["message"])
                finished, least = bool(j.get("finished")), (j.get("next_ms") or 0) / 1000
                if time.perf_counter() - t0 > 300:
                    raise RuntimeError("photo not ready after 300 s")
            t_ready = time.perf_counter()
            _, _, final = client.request("GET", target.split("#", 1)[0])
            t_shown = time.perf_counter()
            if f'id="foto-{photo_id}"'.encode() not in final or b"badge err" in final.split(
                    f'id="foto-{photo_id}"'.encode(), 1)[1].split(b"</article>", 1)[0]:
                raise RuntimeError(f"photo {photo_id} did not end ready")
            runs.append({"photo_id": photo_id, "bytes": len(uploads[n % len(uploads)]),
                         "accept_s": t_accept - t0, "page_s": t_page - t_accept, "ready_s": t_ready - t0,
                         "shown_s": t_shown - t0, "polls": polls, "stages": stages})
        server_cpu_s = sum(_group_cpu_s(p.pgid) for p in stack.procs) - cpu0
        problems = stack.server_problems()
        if mode == "embedded":
            for pid, times in _job_times(stack.instance / "studio.sqlite3", [r["photo_id"] for r in runs]).items():
                next(r for r in runs if r["photo_id"] == pid).update(times)
    load_after = os.getloadavg()

    def stat(key: str) -> dict | None:
        vals = [r[key] for r in runs if r.get(key) is not None]
        return {"median": _pct(vals, 50), "p95": _pct(vals, 95), "max": round(max(vals), 3)} if vals else None

    return {
        "mode": mode, "uploads": len(runs), "photo_mb": round(float(np.mean([r["bytes"] for r in runs])) / 2**20, 2),
        "upload_to_ready_s": stat("ready_s"), "upload_to_shown_s": stat("shown_s"),
        "parts_s": {k: stat(k) for k in ("accept_s", "page_s", "queue_s", "job_s")},
        "job_stage_s_median": {k: _pct([r["job_stage_s"].get(k, 0.0) for r in runs if r.get("job_stage_s")], 50)
                               for k in dict.fromkeys(k for r in runs for k in r.get("job_stage_s") or {})},
        "server_cpu_s_per_upload": round(server_cpu_s / max(1, len(runs)), 2),
        "polls_median": float(np.median([r["polls"] for r in runs])),
        "stages_seen": max((r["stages"] for r in runs), key=len),
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "cpu_count": os.cpu_count(), "server_problems": problems,
        "goal_upload_to_ready_s_median_idle_2_core": 6.0,
    }


def add_web_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--web", type=int, default=5, metavar="N",
                    help="also time N uploads through a served app, upload to ready (0: skip)")
    ap.add_argument("--web-only", action="store_true", help="only the web upload-to-ready part")
    ap.add_argument("--web-mode", choices=("embedded", "scaled"), default="embedded",
                    help="embedded: gunicorn + local job pool on SQLite; scaled: PostgreSQL + Redis + Celery")
    ap.add_argument("--web-seed", nargs=2, help=argparse.SUPPRESS)


def run_web(args) -> dict:
    """Phone uploads from the generated rotated JPEGs (tuning part), then the timed uploads."""
    cache = Path(args.cache)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    items = [it for it in generate(cache, "tuning", 4, size) if it["file"].endswith(".jpg") and "_o1_" not in it["name"]]
    return web_upload_to_ready([phone_jpeg(it, cache) for it in items], max(1, args.web or 5), args.web_mode)


def web_main(args) -> None:
    if args.web_seed:
        web_seed(Path(args.web_seed[0]), int(args.web_seed[1]))
        return
    print(json.dumps({"web": run_web(args)}, indent=1))


if __name__ == "__main__":
    main()
