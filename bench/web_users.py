"""The virtual users of bench/web.py: producers, trainers and the hub operator of a training day.

Each runs in its own thread with its own :class:`Browser` until ``stop_at`` (wall clock), with a
think time of ``think_s`` (uniform) between requests.
"""
from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass, field

from web_client import Browser, Sample, csrf_token, forms_of, images, links


@dataclass
class Plan:
    """What every virtual user needs to know."""

    port: int
    password: str
    stop_at: float                 # wall clock: no new request after this
    think_s: tuple[float, float]
    timeout_s: float
    ramp_s: float                  # users start spread over this many seconds
    seed: int = 1


@dataclass
class UploadRecord:
    """One photo upload as the producer saw it."""

    user: str
    product_id: int
    t_upload: float
    status: int | None
    photo_id: int | None = None
    finished_seen: bool = False
    last_status: str | None = None


@dataclass
class Shared:
    """What the users report back to the bench."""

    uploads: list[UploadRecord] = field(default_factory=list)
    print_jobs: list[int] = field(default_factory=list)
    decisions: int = 0
    comments: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class VirtualUser(threading.Thread):
    def __init__(self, name: str, plan: Plan, rec, shared: Shared, rng_seed: int):
        super().__init__(name=name, daemon=True)
        self.plan = plan
        self.rng = random.Random(rng_seed)
        self.b = Browser(name, plan.port, rec, plan.timeout_s, plan.stop_at)
        self.rec = rec
        self.shared = shared

    def alive(self) -> bool:
        return time.time() < self.plan.stop_at

    def think(self, lo: float | None = None, hi: float | None = None) -> bool:
        """Sleep a think time (cut short at the end of the run). False when the run is over."""
        a, b = self.plan.think_s
        delay = self.rng.uniform(lo if lo is not None else a, hi if hi is not None else b)
        time.sleep(max(0.0, min(delay, self.plan.stop_at - time.time())))
        return self.alive()

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.plan.ramp_s))
        try:
            self.scenario()
        except Exception as e:  # a bug in the scenario must show in the report, not kill the bench silently
            self.rec.note(f"{self.name}: scenario crashed: {type(e).__name__}: {e}")

    def scenario(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class Producer(VirtualUser):
    """Browses their product (home, overview, data form + a small save, photos page), uploads one
    12 MP photo at ``upload_at`` and then polls its cleanup status (as the page's script does)."""

    def __init__(self, name: str, plan: Plan, rec, shared: Shared, rng_seed: int, product_id: int,
                 photo: bytes, upload_at: float):
        super().__init__(name, plan, rec, shared, rng_seed)
        self.product_id = product_id
        self.photo = photo
        self.upload_at = upload_at
        self.upload: UploadRecord | None = None
        self.data_form = None
        self.last_poll = 0.0

    def scenario(self) -> None:
        self.b.login(self.name, self.plan.password)
        steps = [self.home, self.overview, self.data_form_get, self.data_save, self.photos]
        i = 0
        while self.think():
            if self.upload is None and time.time() >= self.upload_at:
                self.do_upload()
                continue
            if self.upload is not None and not self.upload.finished_seen and self.upload.photo_id \
                    and time.time() - self.last_poll >= 1.0 and self.rng.random() < 0.6:
                self.poll()
                continue
            steps[i % len(steps)]()
            i += 1

    base = property(lambda self: f"/produk/{self.product_id}")

    def home(self) -> None:
        self.b.get("/produk")

    def overview(self) -> None:
        self.b.get(self.base)

    def data_form_get(self) -> None:
        r = self.b.get(f"{self.base}/data?bagian=jual")
        forms = [f for f in forms_of(r.text) if "bagian=jual" in f.action] if r.status == 200 else []
        self.data_form = forms[0] if forms else None
        if r.status == 200 and not forms:
            self.rec.note(f"{self.name}: no data form on the 'jual' section")

    def data_save(self) -> None:
        if self.data_form is None:
            self.data_form_get()
            if self.data_form is None or not self.think():
                return
        fields = [(k, v) for k, v in self.data_form.fields if k != "stock"]
        fields += [("stock", str(self.rng.randint(10, 99))), ("aksi", "draf")]
        r = self.b.post_form(f"{self.base}/data?bagian=jual", fields)
        self.data_form = None
        if r.status == 302:
            page = self.b.follow(r)
            forms = [f for f in forms_of(page.text) if "bagian=jual" in f.action] if page.status == 200 else []
            self.data_form = forms[0] if forms else None

    def photos(self) -> None:
        r = self.b.get(f"{self.base}/foto")
        self.b.fetch_images(r)

    def do_upload(self) -> None:
        page = self.b.get(f"{self.base}/foto")
        if page.status != 200 or not self.think(0.3, 1.0):
            self.upload = UploadRecord(self.name, self.product_id, time.time(), page.status)
            return
        token = csrf_token(page.text)
        t = time.time()
        r = self.b.post_multipart(f"{self.base}/foto", [("csrf_token", token)],
                                  [("photo", f"IMG_{self.product_id:04d}.jpg", self.photo, "image/jpeg")])
        rec = UploadRecord(self.name, self.product_id, t, r.status)
        m = re.search(r"#foto-(\d+)", r.location or "")
        if r.status == 302 and m:
            rec.photo_id = int(m.group(1))
        elif r.status is not None:
            self.rec.note(f"{self.name}: upload answered {r.status} {r.location or r.text[:200]!r}")
        self.upload = rec
        with self.shared.lock:
            self.shared.uploads.append(rec)
        if r.status == 302:
            self.b.fetch_images(self.b.follow(r))
        self.last_poll = time.time()

    def poll(self) -> None:
        u = self.upload
        r = self.b.get(f"{self.base}/foto/{u.photo_id}/status")
        self.last_poll = time.time()
        if r.status == 200:
            try:
                j = json.loads(r.body)
            except ValueError:
                self.rec.note(f"{self.name}: photo status is not JSON")
                return
            u.last_status = j.get("status")
            if j.get("finished"):
                u.finished_seen = True
                if self.think(0.2, 0.5):     # app.js reloads the page when the job is finished
                    self.photos()


class Trainer(VirtualUser):
    """Works through the review queue: trainer board, queue, a submission (with its preview),
    a comment, and about half of the time a decision (approve or ask for changes)."""

    def scenario(self) -> None:
        self.b.login(self.name, self.plan.password)
        seen: list[str] = []
        while self.think():
            self.b.get("/pendamping")
            if not self.think():
                break
            q = self.b.get("/tinjauan")
            todo = links(q.text, r"^/tinjauan/\d+$") if q.status == 200 else []
            target = todo[0] if todo else (self.rng.choice(seen) if seen else None)
            if target is None or not self.think():
                continue
            page = self.b.get(target)
            if page.status != 200:
                continue
            if target not in seen:
                seen.append(target)
            self.b.fetch_images(page)
            while self.alive():
                if not self.think(1.0, 2.0):      # reading the label
                    return
                r = self.b.post_form(f"{target}/komentar", {"csrf_token": csrf_token(page.text), "body":
                                 self.rng.choice(["Huruf komposisi terlalu kecil.", "Nomor P-IRT sudah benar.",
                                                  "Tanggal kedaluwarsa beri kotak.", "Warna bagus, jelas dibaca."]),
                                                        "x_mm": "", "y_mm": ""})
                with self.shared.lock:
                    self.shared.comments += 1
                page = self.b.follow(r) if r.status in (302, 303) else self.b.get(target)
                decide = [f for f in forms_of(page.text) if f.action.endswith("/putuskan")] \
                    if page.status == 200 else []
                if not decide or self.rng.random() < 0.5 or not self.think():
                    break
                if self.rng.random() < 0.6:
                    form = decide[0]
                    fields = form.fields
                else:
                    form = decide[-1]
                    fields = [(k, v) for k, v in form.fields if k != "body"] + \
                        [("body", "Perbesar tulisan berat bersih, lalu kirim lagi.")]
                r = self.b.post_form(form.action, fields)
                with self.shared.lock:
                    self.shared.decisions += 1
                if r.status in (302, 303):
                    nxt = r.location or ""
                    page = self.b.follow(r)
                    if re.match(r"^/tinjauan/\d+$", nxt) and page.status == 200:
                        target = nxt
                        self.b.fetch_images(page)
                        continue
                break


class HubOperator(VirtualUser):
    """Prints approved labels: hub home, the new print job form, submit, the job page and its
    status until the PDF is ready, then the PDF."""

    def scenario(self) -> None:
        self.b.login(self.name, self.plan.password)
        while self.think():
            home = self.b.get("/hub/")
            printable = links(home.text, r"^/hub/cetak/\d+$") if home.status == 200 else []
            if not printable or not self.think():
                continue
            form_page = self.b.get(self.rng.choice(printable))
            forms = [f for f in forms_of(form_page.text) if "/hub/cetak/" in f.action] \
                if form_page.status == 200 else []
            if not forms or not self.think(2.0, 4.0):     # checking the sheet picture and dates
                continue
            r = self.b.post_form(forms[0].action, forms[0].fields)
            m = re.match(r"^/hub/pekerjaan/(\d+)$", r.location or "")
            if r.status != 302 or not m:
                self.rec.note(f"{self.name}: print job form answered {r.status} {r.location or ''}")
                continue
            job_id = int(m.group(1))
            with self.shared.lock:
                self.shared.print_jobs.append(job_id)
            self.b.follow(r)
            finished = False
            while not finished and self.think(0.8, 1.2):
                s = self.b.get(f"/hub/pekerjaan/{job_id}/status.json")
                try:
                    finished = s.status == 200 and bool(json.loads(s.body).get("finished"))
                except ValueError:
                    self.rec.note(f"{self.name}: print job status is not JSON")
            if finished and self.think():
                self.b.get(f"/hub/pekerjaan/{job_id}")
                self.b.get(f"/hub/pekerjaan/{job_id}/label.pdf")


class Editor(VirtualUser):
    """A producer in the label editor: opens it (page + its preview), changes the stock, changes the
    style, as design.js does (a POST answered in JSON, then the new preview image). Each action is
    recorded on its own (``editor_open``, ``editor_stock_change``, ``editor_style_change``) and with
    the preview the user then waits for (``… +preview``)."""

    STOCKS = ("a4-nup-2x2-94x134", "f4-nup-2x2-96x150")
    STYLES = ("tradisional", "alami", "berani", "premium", "bersih")

    def __init__(self, name: str, plan: Plan, rec, shared: Shared, rng_seed: int, product_id: int):
        super().__init__(name, plan, rec, shared, rng_seed)
        self.product_id = product_id
        self.n = 0

    def composite(self, page: str, parts) -> None:
        """One sample for an action plus the preview it shows (what the user waits for)."""
        parts = [p for p in parts if p is not None]
        if not parts:
            return
        errors = [p.error for p in parts if p.error]
        self.rec.add(Sample(self.name, "COMBINED", parts[0].path, page, "editor", parts[0].t_start,
                            sum(p.seconds for p in parts), parts[-1].status, errors[0] if errors else None))

    def timed(self, fn, *a, **kw):
        n0 = len(self.rec.samples)
        resp = fn(*a, **kw)
        return resp, [x for x in self.rec.samples[n0:] if x.user == self.name]

    def scenario(self) -> None:
        self.b.login(self.name, self.plan.password)
        base = f"/produk/{self.product_id}/desain"
        while self.think(1.0, 3.0):
            page, s_page = self.timed(self.b.get, base)
            if page.status != 200:
                continue
            preview = [src for src in images(page.text) if "/pratinjau.png" in src]
            s_prev = []
            if preview:
                _r, s_prev = self.timed(self.b.get, preview[0])
            self.b.fetch_images(page)          # the style thumbnails, once (browser cache)
            self.composite("editor_open+preview", s_page[:1] + s_prev[:1])
            token = csrf_token(page.text)
            for action, field, value in (("stock", "layout_id", self.STOCKS[(self.n + 1) % len(self.STOCKS)]),
                                         ("style", "style_id", self.STYLES[self.n % len(self.STYLES)])):
                if not self.think(1.5, 4.0):
                    return
                r, s_post = self.timed(self.b.post_form, base, {"csrf_token": token, "action": action, field: value},
                                       page=f"editor_{action}_change",
                                       extra_headers={"Accept": "application/json"})
                s_img = []
                if r.status == 200:
                    try:
                        url = json.loads(r.body).get("preview_url")
                    except ValueError:
                        url = None
                        self.rec.note(f"{self.name}: editor {action} change did not answer JSON")
                    if url:
                        _r, s_img = self.timed(self.b.get, url)
                else:
                    self.rec.note(f"{self.name}: editor {action} change answered {r.status} {r.text[:200]!r}")
                self.composite(f"editor_{action}_change+preview", s_post[:1] + s_img[:1])
            self.n += 1


def warm_up(port: int, seed: dict, threads: int, rec, timeout_s: float) -> None:
    """Before the measured load: ``threads`` parallel browsers each sign in as a producer, a trainer
    and the hub operator and GET every page type once (no changes), so each server process has
    compiled its templates and filled its caches, as on a hub PC that has been running for a while."""
    def tour(n: int) -> None:
        stop_at = time.time() + 600
        p = seed["producers"][n % len(seed["producers"])]
        b = Browser(f"warmup-{n}-producer", port, rec, timeout_s, stop_at, phase="warmup")
        b.login(p["username"], seed["password"])
        base = f"/produk/{p['product_id']}"
        for path in ("/produk", base, f"{base}/data?bagian=jual", f"{base}/foto"):
            b.get(path)
        t = seed["trainers"][n % len(seed["trainers"])]
        b = Browser(f"warmup-{n}-trainer", port, rec, timeout_s, stop_at, phase="warmup")
        b.login(t["username"], seed["password"])
        b.get("/pendamping")
        q = b.get("/tinjauan")
        for href in links(q.text, r"^/tinjauan/\d+$")[:1]:
            b.fetch_images(b.get(href))
        if seed.get("editors"):
            e = seed["editors"][n % len(seed["editors"])]
            b = Browser(f"warmup-{n}-editor", port, rec, timeout_s, stop_at, phase="warmup")
            b.login(e["username"], seed["password"])
            b.fetch_images(b.get(f"/produk/{e['product_id']}/desain"))
        b = Browser(f"warmup-{n}-hub", port, rec, timeout_s, stop_at, phase="warmup")
        b.login(seed["hub"]["username"], seed["password"])
        home = b.get("/hub/")
        for href in links(home.text, r"^/hub/cetak/\d+$")[:1]:
            b.get(href)

    ts = [threading.Thread(target=tour, args=(n,), daemon=True) for n in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=300)
