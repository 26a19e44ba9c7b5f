"""A small browser-like HTTP client for bench/web.py: one cookie jar per virtual user, forms
scraped from pages (CSRF token included), redirects followed like a browser, every request timed.

Standard library only (http.client). Loopback only: the client refuses any host but 127.0.0.1.
"""
from __future__ import annotations

import http.client
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

LOOPBACK = "127.0.0.1"

# (method, path regex) -> (page type, kind). Kinds: page (HTML, form posts), poll (JSON status),
# upload (the 12 MP photo), asset (images, PDFs), login (sign-in, once per user at the start).
ROUTES: list[tuple[str, re.Pattern, str, str]] = [
    (m, re.compile(p), t, k) for m, p, t, k in [
        ("GET", r"^/masuk$", "login_form", "login"),
        ("POST", r"^/masuk$", "login_post", "login"),
        ("GET", r"^/$", "root_redirect", "login"),
        ("GET", r"^/pelatihan/?$", "trainer_cohorts", "page"),
        ("GET", r"^/produk$", "producer_home", "page"),
        ("GET", r"^/produk/\d+$", "product_overview", "page"),
        ("GET", r"^/produk/\d+/data$", "product_data_form", "page"),
        ("POST", r"^/produk/\d+/data$", "product_data_save", "page"),
        ("GET", r"^/produk/\d+/foto$", "photos_page", "page"),
        ("POST", r"^/produk/\d+/foto$", "photo_upload", "upload"),
        ("GET", r"^/produk/\d+/foto/\d+/status$", "photo_status", "poll"),
        ("GET", r"^/produk/\d+/foto/\d+/berkas/", "photo_image", "asset"),
        ("GET", r"^/pendamping$", "trainer_home", "page"),
        ("GET", r"^/tinjauan$", "review_queue", "page"),
        ("GET", r"^/tinjauan/\d+$", "review_page", "page"),
        ("POST", r"^/tinjauan/\d+/komentar$", "review_comment", "page"),
        ("POST", r"^/tinjauan/\d+/putuskan$", "review_decision", "page"),
        ("GET", r"^/tinjauan/versi/\d+/pratinjau\.png$", "review_preview_png", "asset"),
        ("GET", r"^/hub/?$", "hub_home", "page"),
        ("GET", r"^/hub/cetak/\d+$", "print_job_form", "page"),
        ("POST", r"^/hub/cetak/\d+$", "print_job_submit", "page"),
        ("GET", r"^/hub/pekerjaan/\d+$", "print_job_page", "page"),
        ("GET", r"^/hub/pekerjaan/\d+/status\.json$", "print_job_status", "poll"),
        ("GET", r"^/hub/pekerjaan/\d+/label\.pdf$", "print_job_pdf", "asset"),
        # the label editor (Editor users): open, the preview the page shows, and its two changes
        # (POST /produk/<id>/desain with action=stock / action=style, typed by the caller)
        ("GET", r"^/produk/\d+/desain$", "editor_open", "editor"),
        ("POST", r"^/produk/\d+/desain$", "editor_change", "editor"),
        ("GET", r"^/produk/\d+/desain/pratinjau\.png$", "editor_preview_png", "asset"),
        ("GET", r"^/produk/\d+/desain/gaya/[\w-]+\.png$", "editor_style_thumb_png", "asset"),
    ]
]


def classify(method: str, path: str) -> tuple[str, str]:
    """(page type, kind) of a request; unknown paths are ``other`` pages."""
    bare = urlsplit(path).path
    for m, rx, page, kind in ROUTES:
        if m == method and rx.search(bare):
            return page, kind
    return f"other {method} {bare}", "page"


@dataclass
class Sample:
    """One timed request."""

    user: str
    method: str
    path: str
    page: str
    kind: str
    t_start: float          # wall clock (time.time()), comparable with the job rows' timestamps
    seconds: float
    status: int | None      # None: no response (exception or timeout)
    error: str | None       # None when the request did what a browser expects
    expected: bool = False  # a non-2xx/3xx status the scenario expects (not an error)
    nbytes: int = 0


class Recorder:
    """Thread-safe list of samples."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []
        self.notes: list[str] = []

    def add(self, s: Sample) -> None:
        with self._lock:
            self.samples.append(s)

    def note(self, text: str) -> None:
        with self._lock:
            if len(self.notes) < 200:
                self.notes.append(text)


@dataclass
class Response:
    status: int | None
    headers: dict[str, str]
    body: bytes
    path: str
    error: str | None = None

    @property
    def location(self) -> str | None:
        loc = self.headers.get("location")
        if not loc:
            return None
        parts = urlsplit(urljoin(f"http://{LOOPBACK}{self.path}", loc))
        query = f"?{parts.query}" if parts.query else ""
        return parts.path + query + (f"#{parts.fragment}" if parts.fragment else "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        return dict(self.fields)


class _FormParser(HTMLParser):
    """Collect every <form> with the values a browser would send (no buttons, checked boxes only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(),
                              a.get("enctype", "application/x-www-form-urlencoded"))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select[1].append((value if value is not None else "".join(text).strip(), selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [v for v, sel in options if sel] or [v for v, _ in options[:1]]
            if chosen:
                self._form.fields.append((name, chosen[0]))
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    """Every form of a page."""
    p = _FormParser()
    p.feed(html)
    return p.forms


_HREF = re.compile(r'href="(/[^"#]*)"')
_IMG = re.compile(r'<img[^>]+src="(/[^"]+)"')


def links(html: str, pattern: str) -> list[str]:
    """Same-site links whose path matches ``pattern``, in page order, without duplicates."""
    rx = re.compile(pattern)
    seen: list[str] = []
    for href in _HREF.findall(html):
        href = href.replace("&amp;", "&")
        if rx.search(href) and href not in seen:
            seen.append(href)
    return seen


def images(html: str) -> list[str]:
    """Same-site image URLs served by the app (not /static), in page order."""
    out = []
    for src in _IMG.findall(html):
        src = src.replace("&amp;", "&")
        if not src.startswith("/static/") and src not in out:
            out.append(src)
    return out


class Browser:
    """One virtual user: cookie jar, fresh loopback connection per request (Connection: close),
    redirects followed, images fetched once (as a browser cache would)."""

    def __init__(self, name: str, port: int, recorder: Recorder, timeout_s: float, stop_at: float,
                 phase: str | None = None):
        self.name = name
        self.phase = phase          # sent as X-Bench-Phase (the server's SQL figures keep the warm-up apart)
        self.port = port
        self.rec = recorder
        self.timeout_s = timeout_s
        self.stop_at = stop_at
        self.cookies: dict[str, str] = {}
        self.cached: set[str] = set()

    # -- plumbing
    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _store_cookies(self, raw_headers: list[tuple[str, str]]) -> None:
        for k, v in raw_headers:
            if k.lower() != "set-cookie":
                continue
            c = SimpleCookie()
            try:
                c.load(v)
            except Exception:  # an odd cookie is the server's problem, keep going
                continue
            for name, morsel in c.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None,
                *, expect: tuple[int, ...] = (), page: str | None = None,
                extra_headers: dict[str, str] | None = None) -> Response:
        """Send one request and time it from connect to the last body byte (``page``: the page type
        to record instead of the one the path gives)."""
        page_of_path, kind = classify(method, path)
        page = page or page_of_path
        headers = {"Host": f"{LOOPBACK}:{self.port}", "Connection": "close", "User-Agent": "studio-bench/1",
                   "Accept-Language": "id", **(extra_headers or {})}
        if self.phase:
            headers["X-Bench-Phase"] = self.phase
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        if content_type:
            headers["Content-Type"] = content_type
        t_wall, t0 = time.time(), time.perf_counter()
        status, error, resp_headers, data = None, None, {}, b""
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=self.timeout_s)
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            status = r.status
            raw = r.getheaders()
            resp_headers = {k.lower(): v for k, v in raw}
            self._store_cookies(raw)
        except (socket.timeout, TimeoutError):
            error = "timeout"
        except (OSError, http.client.HTTPException) as e:
            error = f"exception {type(e).__name__}: {e}"[:200]
        finally:
            conn.close()
        seconds = time.perf_counter() - t0
        expected = status in expect
        if error is None and status is not None and not (200 <= status < 400) and not expected:
            error = f"HTTP {status}"
        if error is None and status in (301, 302, 303) and "/masuk" in resp_headers.get("location", "") \
                and not path.startswith("/masuk"):
            error = "redirected to login (session lost)"
        self.rec.add(Sample(self.name, method, path, page, kind, t_wall, seconds, status, error, expected, len(data)))
        return Response(status, resp_headers, data, path, error)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post_form(self, path: str, fields: list[tuple[str, str]] | dict[str, str], **kw) -> Response:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        return self.request("POST", path, urlencode(items).encode(), "application/x-www-form-urlencoded", **kw)

    def post_multipart(self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, str, bytes, str]],
                       **kw) -> Response:
        boundary = "----studiobench" + secrets.token_hex(12)
        parts: list[bytes] = []
        for name, value in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, filename, data, mime in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {mime}\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}", **kw)

    def follow(self, resp: Response, max_hops: int = 5) -> Response:
        """Follow redirects like a browser (GET the Location, fragment dropped)."""
        hops = 0
        while resp.status in (301, 302, 303) and resp.location and hops < max_hops:
            resp = self.get(resp.location.split("#", 1)[0])
            hops += 1
        return resp

    def fetch_images(self, resp: Response) -> None:
        """GET the page's app-served images not fetched before (browser cache)."""
        if resp.status != 200 or "html" not in resp.headers.get("content-type", ""):
            return
        for src in images(resp.text):
            if src in self.cached or time.time() >= self.stop_at:
                continue
            r = self.get(src)
            if r.status == 200:
                self.cached.add(src)

    # -- flows
    def login(self, username: str, password: str) -> Response:
        page = self.get("/masuk")
        token = csrf_token(page.text)
        resp = self.post_form("/masuk", {"csrf_token": token, "login": username, "password": password})
        if resp.status != 302:
            self.rec.note(f"{self.name}: login answered {resp.status}")
        return self.follow(resp)


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The first CSRF token on a page ("" when there is none)."""
    m = _CSRF.search(html)
    return m.group(1) if m else ""
