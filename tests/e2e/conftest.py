"""Browser tests: the real app served by werkzeug in a thread, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``CHROMIUM_PATH``
overrides it; ``scripts/test-system-deps.sh`` installs it in CI). The app runs with CSRF on, local
jobs (photo cleanup and print PDFs off the request thread), a temporary SQLite file and media folder.
Screenshots go to ``test-artifacts/e2e/`` with numbered names.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from studio import create_app, jobs
from studio.extensions import db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "rahasia-kuat-123"


@dataclass
class LiveApp:
    """The served app: ``url`` for the browser, ``app`` for seeding through the services."""

    app: object
    url: str
    tmp: Path

    @contextmanager
    def ctx(self):
        """An app context for service calls (closes its session afterwards)."""
        with self.app.app_context():
            try:
                yield
            finally:
                db.session.remove()


def _free_server(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    return srv, thread


def _official_halal_logo() -> None:
    import io

    from PIL import Image

    from studio.designs.models import AssetKind, StudioAsset
    from studio.media import media

    buf = io.BytesIO()
    Image.new("RGB", (300, 300), (30, 120, 60)).save(buf, "PNG")
    db.session.add(StudioAsset(kind=AssetKind.HALAL_LOGO, owner_id=None, width_px=300, height_px=300,
                               media_key=media().put_content("assets", buf.getvalue(), "png")))
    db.session.commit()
    db.session.remove()


@pytest.fixture(scope="session")
def live() -> LiveApp:
    """One real app for the browser session (the journey and the accessibility pages share it)."""
    tmp = Path(tempfile.mkdtemp(prefix="studio-e2e-"))
    app = create_app({
        "TESTING": False,                       # real error pages, local job pool started by the first request
        "SECRET_KEY": "e2e-" + os.urandom(8).hex(),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'studio.sqlite3'}",
        "MEDIA_DIR": str(tmp / "media"),
        "WTF_CSRF_ENABLED": True,
        "JOBS_MODE": "local",
        "JOBS_WORKERS": 2,
        "JOBS_IDLE_SCHED": False,               # photo cleanup in its child at nice 19: a busy CI machine
                                                # would starve an idle-class child for minutes
        "DEMO_ON_FIRST_START": False,
        "PASSWORD_HASH_METHOD": "scrypt:4096:8:1",  # the real scheme; a lower cost keeps logins quick
        "LOGIN_MAX_FAILURES_PER_IP": 1000,
    })
    with app.app_context():
        db.create_all()
    srv, thread = _free_server(app)
    url = f"http://127.0.0.1:{srv.server_port}"
    # the configured fallback is this loopback server: the journey's admin sets the real public
    # address (printing refuses a loopback one); the official halal logo is uploaded already
    app.config["PUBLIC_BASE_URL"] = url
    with app.app_context():
        _official_halal_logo()
    yield LiveApp(app=app, url=url, tmp=tmp)
    srv.shutdown()
    thread.join(5)
    jobs.stop_ticker()      # its next round would find the database below gone
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test-system-deps.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots():
    """Numbered screenshots under test-artifacts/e2e/ (the folder is emptied once per session)."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return Shots(ARTIFACTS)


class Shots:
    def __init__(self, folder: Path):
        self.folder = folder
        self.n = 0
        self.names: list[str] = []

    def take(self, page, name: str, full_page: bool = True) -> Path:
        self.n += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{self.n:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.names.append(path.name)
        return path


@dataclass
class Watch:
    """Everything that went wrong in one page: console errors, page errors, failed requests."""

    label: str
    problems: list[str] = field(default_factory=list)
    expected: list[tuple[str, int]] = field(default_factory=list)   # (url part, status) asserted by a test
    seen_expected: list[tuple[str, int]] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, msg) -> None:
        if msg.type == "error":
            text = msg.text
            # a 4xx the test asserted explicitly also shows up as a console "Failed to load resource"
            if "Failed to load resource" in text and any(str(s) in text for _u, s in self.seen_expected):
                return
            self.problems.append(f"console error: {text} @ {msg.location.get('url', '')}")

    def _failed(self, request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            return   # cancelled because the page navigated away (icon, image, poll): not an app fault
        self.problems.append(f"request failed: {request.method} {request.url} {failure}")

    def _response(self, response) -> None:
        if response.status < 400:
            return
        for part, status in self.expected:
            if part in response.url and response.status == status:
                self.seen_expected.append((part, status))
                return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def expect(self, url_part: str, status: int) -> None:
        """Allow one kind of 4xx that the test asserts itself."""
        self.expected.append((url_part, status))

    def check(self) -> None:
        assert not self.problems, f"{self.label}: " + "\n".join(self.problems)


@pytest.fixture
def open_page(browser, live):
    """``open_page(label, viewport)`` -> (page, watch): a fresh context (own cookies) per person."""
    made = []

    def make(label: str, viewport: dict | None = None):
        ctx = browser.new_context(base_url=live.url, viewport=viewport or DESKTOP, locale="id-ID",
                                  accept_downloads=True)
        ctx.set_default_timeout(20_000)
        page = ctx.new_page()
        watch = Watch(label)
        watch.attach(page)
        made.append((ctx, watch))
        return page, watch

    yield make
    for ctx, _watch in made:
        ctx.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the form and wait for the role's home page."""
    page.goto("/masuk")
    page.fill("#login", username)
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_url(lambda u: "/masuk" not in u)


def wait_js(page, expression: str, timeout_s: float = 20.0) -> None:
    """Poll a JS predicate with ``page.evaluate`` (``wait_for_function`` needs eval, which our CSP forbids)."""
    import time

    end = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


def seed_user(live: LiveApp, role: str, username: str, **kw):
    """Accounts whose creation is not the point of a test (admin, hub, a trainer)."""
    from studio.auth.services import NewUser, create_user

    with live.ctx():
        user = create_user(None, NewUser(username=username, full_name=kw.pop("full_name", username.title()),
                                         role=role, password=kw.pop("password", PASSWORD), **kw))
        return user.id
