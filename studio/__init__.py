"""Studio Kemasan: the app factory."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ROOT

if TYPE_CHECKING:   # importing a pure engine (studio.labels …) must not load Flask
    from flask import Flask


def _instance_secret(app: Flask) -> str:
    """A secret key generated into instance/ on first start, never committed. The file is created
    0600 before any byte is written (no moment where another local account could read it)."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:   # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _private_instance(path: str, umask: int) -> None:
    """Files the studio makes (database, its journal, media, secrets) are for its own account only:
    a restrictive umask from the start, and the instance folder 0700."""
    os.umask(umask)
    folder = Path(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        if folder.stat().st_uid == os.getuid():
            os.chmod(folder, 0o700)
    except (OSError, AttributeError):   # not ours to change, or no POSIX owners (Windows)
        pass


def create_app(test_config: dict | None = None) -> Flask:
    """Build the studio app. Tests pass ``test_config``; deployments use instance/config.py and
    ``FLASK_*``/``STUDIO_*`` environment variables."""
    from flask import Flask

    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_relative_config=True,
                instance_path=os.environ.get("STUDIO_INSTANCE_PATH") or str(ROOT / "instance"))
    app.config.from_object("studio.config.DefaultConfig")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)   # secrets and DB URL live in instance/
        app.config.from_prefixed_env("FLASK")
        app.config.from_prefixed_env("STUDIO")
    else:
        app.config.update(test_config)
    _private_instance(app.instance_path, app.config["FILE_UMASK"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "studio.sqlite3")
    if not app.config.get("MEDIA_DIR"):
        app.config["MEDIA_DIR"] = str(Path(app.instance_path) / "media")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations"))

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    from .urlids import DbIdConverter

    app.url_map.converters["int"] = DbIdConverter   # every <int:id> route: ids the database can hold
    _register_extensions(app)
    _load_engines(app)
    _register_blueprints(app)
    from .errors import register_error_handlers

    register_error_handlers(app)
    from .cli import register_commands

    register_commands(app)
    if app.config["JOBS_MODE"] == "local" and not app.testing:
        _start_local_jobs_on_first_request(app)
    elif app.config["JOBS_MODE"] == "celery":
        from .celery_app import configure

        configure(app)
    return app


def _start_local_jobs_on_first_request(app: Flask) -> None:
    """Serving processes (not CLI commands) resume crashed jobs and run the retry ticker."""
    import threading

    from . import jobs

    started = threading.Event()
    lock = threading.Lock()

    def start() -> None:
        """Idempotent; gunicorn.conf.py calls it when a worker starts (app.extensions key below), so
        the photo-cleanup process loads its model before anyone uploads."""
        with lock:
            if not started.is_set():
                started.set()
                jobs.resume_pending(app)
                jobs.start_ticker(app)

    app.extensions["studio.start_jobs"] = start

    @app.before_request
    def _start_jobs():
        if not started.is_set():
            start()


def _register_extensions(app: Flask) -> None:
    from . import i18n, security
    from .extensions import babel, csrf, db, login_manager, migrate
    from .media import MediaStore

    db.init_app(app)
    from . import identity

    identity.init_app(app)      # rows loaded in a request stay in its identity map until it ends
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        from . import pgreads

        with app.app_context():
            pgreads.install(db.engine)      # no BEGIN/ROLLBACK round trips for reads
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from sqlalchemy import event

        sync = str(app.config.get("SQLITE_SYNCHRONOUS") or "FULL").upper()
        if sync not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"SQLITE_SYNCHRONOUS must be NORMAL or FULL, not {sync!r}")
        with app.app_context():
            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(conn, _record):  # concurrent readers while a job writes
                cur = conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=10000")
                if ":memory:" not in app.config["SQLALCHEMY_DATABASE_URI"] and \
                        app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite://":
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.execute(f"PRAGMA synchronous={sync}")
                cur.close()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    security.init_app(app)
    if app.config.get("QUERY_STATS_DIR"):    # bench/web.py only: SQL statements per route
        from . import querystats

        querystats.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.extensions["studio.media"] = MediaStore(app.config["MEDIA_DIR"])
    from .media import register_sweep

    register_sweep()
    from .cache import init_template_cache, register_trim

    register_trim()
    init_template_cache(app)

    from .auth.access import init_session_check

    init_session_check(app, login_manager)

    # Import every model module so metadata (migrations, create_all) sees all tables.
    from . import jobs, job_child

    app.extensions[jobs.CHILD_MAIN] = job_child.main   # what a photo-cleanup child process runs
    from .catalogue import models as _c  # noqa: F401
    from .cohorts import models as _co  # noqa: F401
    from .designs import models as _d  # noqa: F401
    from .golive import models as _g  # noqa: F401
    from .hubsetup import models as _h  # noqa: F401
    from .printing import models as _pr  # noqa: F401
    from .products import models as _p  # noqa: F401

    # Job handlers live in ``<feature>/tasks.py`` and register themselves with ``jobs.handler``.
    from .cli import import_feature_modules

    import_feature_modules("tasks")


def _load_engines(app: Flask) -> None:
    """Label stock and fonts are loaded and validated once: a bad file stops the app here."""
    from .labels.fonts import FontRegistry
    from .labels.layouts import load_layouts
    from .packaging import load_packs

    app.extensions["studio.layouts"] = load_layouts(Path(app.config["LABEL_LAYOUTS_DIR"]))
    app.extensions["studio.fonts"] = FontRegistry(Path(app.config["FONTS_DIR"]))
    app.extensions["studio.packs"] = load_packs(Path(app.config["PACKS_DIR"]))


# Every blueprint of the app, in one list: (module, attribute). Nothing else registers a blueprint
# (tests/test_routes.py checks that the app's blueprints are exactly these). ``studio.wizard.routes``
# is the wizard blueprint with every step screen's routes attached.
BLUEPRINTS = (
    ("studio.auth.views", "bp"),
    ("studio.hubsetup.views", "bp"),
    ("studio.cohorts.views", "bp"),
    ("studio.packs.views", "bp"),
    ("studio.review.views", "bp"),
    ("studio.wizard.routes", "bp"),
    ("studio.printing.views", "bp"),
    ("studio.catalogue.views", "bp"),
    ("studio.catalogue.api", "bp"),
    ("studio.golive.views", "bp"),
)


def _register_blueprints(app: Flask) -> None:
    import importlib

    for module, attr in BLUEPRINTS:
        app.register_blueprint(getattr(importlib.import_module(module), attr))
    # The API publishes with the wizard's gates (catalogue may not import the wizard; the factory may).
    from .catalogue.publish import GATES_KEY
    from .wizard.services import PUBLISH_GATES

    app.extensions[GATES_KEY] = PUBLISH_GATES
