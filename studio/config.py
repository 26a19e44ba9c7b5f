"""Committed defaults. Secrets and the database URL live in ``instance/config.py`` or the environment."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class DefaultConfig:
    # Paths are computed here and nowhere else (STYLE.md E3).
    LABEL_LAYOUTS_DIR = str(ROOT / "label_layouts")
    FONTS_DIR = str(ROOT / "fonts")
    PACKS_DIR = str(ROOT / "packs")
    MEDIA_DIR = None  # default: <instance>/media, resolved in create_app
    SQLALCHEMY_DATABASE_URI = None  # default: sqlite:///<instance>/studio.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # SQLite (the embedded mode) runs in WAL mode. NORMAL: a commit is written to the WAL without
    # waiting for the disk (fsync at each checkpoint instead), so a save no longer holds the one write
    # lock through an fsync (2-10 ms each here; every other save, job progress and heartbeat waits
    # behind it). The database stays consistent after any crash; an OS crash or power cut can undo
    # the commits the OS has not written out yet (up to about half a minute; an application crash
    # cannot). "FULL": every commit is on disk before the page answers.
    SQLITE_SYNCHRONOUS = "NORMAL"

    # Uploads: 25 MB per file, bounded pixel count (decompression bombs).
    MAX_CONTENT_LENGTH = 30 * 1024 * 1024
    # An address or headers beyond these get the studio's own 414/431 page (gunicorn.conf.py lets them
    # reach the app; the dev server does too).
    MAX_URL_CHARS = 8192
    MAX_HEADER_BYTES = 16384
    UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    UPLOAD_MAX_PIXELS = 50_000_000
    PHOTO_SIZE_PX = 1200
    # Product photos: refused below this shorter side or beyond this long:short ratio (the cleanup can
    # only fail or give an empty catalogue image); a warning below PHOTO_WARN_SIDE_PX (enlarged, blurry).
    PHOTO_MIN_SIDE_PX = 200
    PHOTO_MAX_ASPECT = 6.0
    PHOTO_WARN_SIDE_PX = 600

    # Background work: "local" thread pool (embedded default), "celery", or "eager" (tests/CLI).
    JOBS_MODE = "local"
    # Photo cleanups run at once per process (heavy lane; Celery: the concurrency of a worker started
    # without --concurrency). None: automatic, one less than the cores (1 on a 2-core hub PC, so one
    # core stays free for pages), at most 4 (each 12 MP job peaks near 0.6 GB). More uploads queue.
    JOBS_WORKERS = None
    JOBS_NICE = 19  # Unix niceness of photo cleanup (its processes, and Celery workers): pages get the CPU first; 0: off
    # Linux: photo-cleanup processes (local heavy lane, the Celery photo worker) also run under SCHED_IDLE,
    # so they only get CPU time no page wants.
    JOBS_IDLE_SCHED = True
    # Local mode: photo cleanup runs in child processes (None: when serving; tests keep threads), so
    # page threads never wait on its GIL. A job whose child died is run again JOBS_CHILD_RETRIES times,
    # then failed with the reason (the photo says it could not be processed).
    JOBS_HEAVY_PROCESSES = None
    JOBS_CHILD_RETRIES = 1
    # One server process of an instance owns those child processes (gunicorn with several workers: the
    # others leave photo jobs queued in the database); its idle cleanup slots look there this often (s).
    JOBS_POLL_S = 1.0
    JOBS_LIGHT_WORKERS = 2  # print PDFs and BLONJO deliveries never wait behind photos
    JOBS_LEASE_S = 30  # a running job whose heartbeat is older than this is taken over
    CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"

    # bench/web.py sets this (STUDIO_QUERY_STATS_DIR) for the server it starts: SQL statements are then
    # counted and timed per route into that folder (studio/querystats.py). Never set at a hub.
    QUERY_STATS_DIR = None

    # Language: Bahasa Indonesia first.
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    # Files: everything the studio writes (database and its journal, media, the secret key) is
    # readable by its own account only; the instance folder is made 0700.
    FILE_UMASK = 0o077

    # HTTPS in production (see README, Configuration). Behind a reverse proxy that terminates TLS set
    # PROXY_COUNT to the number of proxies in front of the app (ProxyFix then trusts exactly that many
    # X-Forwarded-For/-Proto/-Host hops), SESSION_COOKIE_SECURE and REMEMBER_COOKIE_SECURE to True, and
    # HSTS_SECONDS to e.g. 31536000 once HTTPS works. Defaults suit the offline hub on plain HTTP.
    PROXY_COUNT = 0
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    HSTS_SECONDS = 0

    # Sessions and security.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a training day
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's scrypt (n=2^15, r=8, p=1)
    # Login limits slow guessing without locking anyone out: after LOGIN_MAX_FAILURES failures on an
    # account (every spelling of a phone number is one account) each further try waits 2, 4, 8 …
    # seconds, at most LOGIN_BACKOFF_MAX_S. The hub's one shared address gets a much higher allowance.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_IP = 100
    LOGIN_BACKOFF_MAX_S = 60
    # A second login to one account while the first one's password is being checked (a trainer on two
    # PCs) waits its turn this long at most, instead of being told to wait and try again.
    LOGIN_TURN_WAIT_S = 3.0
    LOGIN_WINDOW_MINUTES = 15   # failures older than this are forgotten
    LOGIN_LOG_DAYS = 30         # the login log keeps this many days
    # A session ends after a training day, at logout and when the password changes (auth.access.init_session_check).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)   # also the oldest signed cookie Flask accepts
    REMEMBER_COOKIE_DURATION = timedelta(hours=12)     # "remember me" is not offered; short if ever used

    # Public address used inside QR codes (``/p/<code>``). Set it to the hub's or BLONJO's address.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"

    # Demo data on the first start of the embedded default.
    DEMO_ON_FIRST_START = True

    # Uncertain legal facts (label-rules.md, marked ⚠) are settings: see studio.rules.settings.
    RULES: dict = {}
    # The stock advisor (studio/designs/advisor.py) proposes only stock the hub offers. STOCKS_ON_OFFER:
    # the stock ids the hub keeps or prints (None: every stock file and every stock measured at the
    # hub). A roll is proposed only when the hub has an active thermal printer profile (or none set up).
    STOCKS_ON_OFFER: list | None = None
    # Shapes of stock that suit a category's packs ("rect", "circle"; a category not listed: every
    # shape). The spec (label-stock.md, label-rules.md) names no shape per product kind: this is the
    # studio's own judgement. Round stickers go on jar lids and bottles and are common on snack pouches
    # too (keripik: the round sheet as a front + two backs set); a sachet or craft tag carries a
    # rectangular label.
    STOCK_SHAPES_BY_CATEGORY: dict = {"keripik": ["rect", "circle"], "minuman_serbuk": ["rect"],
                                      "kerajinan": ["rect"]}

    # Printing: only print products with P-IRT + halal where the law requires them (provincial practice).
    PRINT_REQUIRE_PERMITS = False

    # Backups (studio backup / restore; the daily one runs from the jobs ticker). BACKUP_DIR: a folder on
    # a USB disk, or set it with ``studio set-backup-dir``; None = no daily backup.
    BACKUP_DIR = None
    BACKUP_KEEP = 7
    BACKUP_EVERY_HOURS = 24

    # Delivery to BLONJO: None = the outbox waits.
    BLONJO_ENDPOINT = None
    BLONJO_SECRET = None
