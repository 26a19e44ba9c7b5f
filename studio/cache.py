"""Content-hash cache on disk, for pure work: label previews, design findings, the stock advice.

A value is stored under ``<media>/cache/<space>/<k[:2]>/<k>`` where ``k`` is the SHA-256 of EVERY
input of the work (:func:`key_of`), so equal keys mean identical output and any process that shares
the media folder (gunicorn workers and threads, Celery workers) may answer from it. It is never the
source of truth: deleting the folder only costs time.

- Writes are atomic (a temp file in the same folder, then ``os.replace``): a reader sees a whole
  file or none; two writers of one key write the same bytes and the last rename wins.
- Bounded: ``CONTENT_CACHE_MAX_MB`` (default 256). A hit touches the file (its mtime is the "last
  used" time); when the folder is over the bound, the least recently used files are removed until
  it is under ``TRIM_TO`` of it. A process checks the size after every ``TRIM_CHECK_EVERY`` writes
  and the jobs ticker checks it on every round.
- :func:`code_version` is part of every key: the studio's source, the bundled fonts and the
  versions of the libraries that draw (ReportLab, pypdfium2, Pillow), so a deploy that changes
  how a label looks never serves an old picture.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import current_app

FOLDER = "cache"               # in the media folder; regenerable, so backups leave it out
DEFAULT_MAX_MB = 256
TRIM_TO = 0.8                 # a trim leaves the folder at this fraction of the bound
TRIM_CHECK_EVERY = 50         # writes of one process between two size checks
_STUDIO = Path(__file__).resolve().parent
_LIBRARIES = ("reportlab", "pypdfium2", "pillow", "qrcode")

_lock = threading.Lock()
_writes = {"n": 0}
_versions: dict[str, str] = {}


def key_of(*parts: Any) -> str:
    """SHA-256 (hex) of ``parts`` as canonical JSON (dict keys sorted; other objects by ``str``)."""
    blob = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def code_version() -> str:
    """Hash of what draws and checks a label, besides the document: the studio's Python source,
    the fonts folder (``fonts.toml`` and each font's name and size) and the drawing libraries'
    versions. Computed once per process (and per fonts folder)."""
    fonts_dir = Path(current_app.config["FONTS_DIR"])
    hit = _versions.get(str(fonts_dir))
    if hit is not None:
        return hit
    h = hashlib.sha256()
    for path in sorted(_STUDIO.rglob("*.py")):
        h.update(str(path.relative_to(_STUDIO)).encode())
        h.update(path.read_bytes())
    if fonts_dir.is_dir():
        for path in sorted(fonts_dir.rglob("*")):
            if path.is_file():
                h.update(f"{path.relative_to(fonts_dir)}:{path.stat().st_size}".encode())
                if path.suffix == ".toml":
                    h.update(path.read_bytes())
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}=={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}==none".encode())
    version = h.hexdigest()[:16]
    _versions[str(fonts_dir)] = version
    return version


def root() -> Path:
    """The cache folder: ``cache/`` in the app's media folder (shared by every worker)."""
    return Path(current_app.extensions["studio.media"].root) / FOLDER


def _path(space: str, key: str) -> Path:
    if not key.isalnum() or not space.replace("-", "").isalnum():
        raise ValueError(f"bad cache key: {space}/{key}")
    return root() / space / key[:2] / key


def get_bytes(space: str, key: str) -> bytes | None:
    """The stored bytes of ``key`` in ``space``, or None. A hit counts as a use (for the trim)."""
    path = _path(space, key)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        os.utime(path)
    except OSError:            # removed by a trim meanwhile: the bytes read are still right
        pass
    return data


def exists(space: str, key: str) -> bool:
    """True when ``key`` is stored in ``space`` (a trim may still remove it before it is read: a
    caller that needs the value reads it with :func:`get_bytes`). Not counted as a use."""
    return _path(space, key).is_file()


def put_bytes(space: str, key: str, data: bytes) -> None:
    """Store ``data`` under ``key`` atomically (temp file + rename); trims now and then."""
    path = _path(space, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    with _lock:
        _writes["n"] += 1
        due = _writes["n"] % TRIM_CHECK_EVERY == 0
    if due:
        trim()


def get_json(space: str, key: str) -> Any | None:
    data = get_bytes(space, key)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def put_json(space: str, key: str, value: Any) -> None:
    put_bytes(space, key, json.dumps(value, separators=(",", ":")).encode())


def max_bytes() -> int:
    return int(float(current_app.config.get("CONTENT_CACHE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def trim(limit: int | None = None) -> int:
    """Remove the least recently used files until the cache is under ``TRIM_TO`` of ``limit``
    (default the configured bound) when it is over ``limit``. Returns how many were removed."""
    limit = max_bytes() if limit is None else limit
    base = root()
    if not base.is_dir():
        return 0
    files: list[tuple[float, int, str]] = []
    total = 0
    stale_tmp = time.time() - 3600
    for dirpath, _dirs, names in os.walk(base):
        for name in names:
            p = os.path.join(dirpath, name)
            try:
                st = os.stat(p)
            except FileNotFoundError:
                continue
            if name.startswith((".tmp-", ".pending-")):    # a writer that died mid-write, a claim
                if st.st_mtime < stale_tmp:
                    _unlink(p)
                continue
            files.append((st.st_mtime, st.st_size, p))
            total += st.st_size
    if total <= limit:
        return 0
    removed = 0
    goal = limit * TRIM_TO
    for _mtime, size, p in sorted(files):
        if total <= goal:
            break
        if _unlink(p):
            total -= size
            removed += 1
    return removed


def _unlink(p: str) -> bool:
    try:
        os.unlink(p)
        return True
    except FileNotFoundError:
        return False


TICKER_TRIM_EVERY_S = 300.0
_last_ticker_trim = {"t": 0.0}


def trim_now_and_then() -> int:
    """:func:`trim`, at most every ``TICKER_TRIM_EVERY_S`` seconds (the jobs ticker calls it often)."""
    now = time.monotonic()
    with _lock:
        if now - _last_ticker_trim["t"] < TICKER_TRIM_EVERY_S:
            return 0
        _last_ticker_trim["t"] = now
    legacy = Path(current_app.extensions["studio.media"].root) / "previews"
    if legacy.is_dir():         # the design previews' old, unbounded place (media ``previews/1/``)
        shutil.rmtree(legacy, ignore_errors=True)
    return trim()


def register_trim() -> None:
    """Let the jobs ticker keep the cache under its bound (called once by create_app)."""
    from .jobs import PERIODIC

    if trim_now_and_then not in PERIODIC:
        PERIODIC.append(trim_now_and_then)


def claim(space: str, key: str, ttl_s: float = 120.0) -> bool:
    """True for the one caller (across processes) that should start the work for ``key`` now:
    a marker file is created exclusively; a marker older than ``ttl_s`` (its worker died) is
    taken over. :func:`release` removes it when the work is done."""
    path = _path(space, key).with_name(".pending-" + key)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        return True
    except FileExistsError:
        try:
            if time.time() - path.stat().st_mtime < ttl_s:
                return False
            os.utime(path)          # stale: take it over
            return True
        except FileNotFoundError:
            return claim(space, key, ttl_s)


def pending(space: str, key: str, ttl_s: float = 120.0) -> bool:
    """Someone has claimed ``key`` (:func:`claim`) less than ``ttl_s`` seconds ago."""
    try:
        return time.time() - _path(space, key).with_name(".pending-" + key).stat().st_mtime < ttl_s
    except FileNotFoundError:
        return False


def release(space: str, key: str) -> None:
    """Remove the marker of :func:`claim` (the work is done, or failed and may be tried again)."""
    _unlink(str(_path(space, key).with_name(".pending-" + key)))


def init_template_cache(app) -> None:
    """Jinja's compiled templates on disk (``<media>/cache/jinja``): a new worker process loads
    them instead of parsing and compiling every template on its first pages (about 1 s for the
    design page on a loaded 2-core machine). ``TEMPLATE_BYTECODE_CACHE``: True/False; unset, on
    except under TESTING (tests count the files in media)."""
    wanted = app.config.get("TEMPLATE_BYTECODE_CACHE")
    if not (wanted if wanted is not None else not app.config.get("TESTING")):
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.extensions["studio.media"].root) / FOLDER / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))
