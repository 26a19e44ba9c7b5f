"""Media storage behind a small interface.

The embedded default keeps files in a local folder (``instance/media``). Several app servers and
workers share it by mounting the same folder (NFS or a shared disk); see README "Skala besar".
Keys are relative paths such as ``originals/ab/abcd….jpg``. Files are written to a temporary name
and renamed, so a crash never leaves a half-written file under a real key, and originals are never
overwritten (content-addressed).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


class MediaStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """Absolute path of ``key``; refuses keys that escape the media folder."""
        p = (self.root / key).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"bad media key: {key!r}")
        return p

    def put(self, key: str, data: bytes) -> str:
        """Write ``data`` under ``key`` atomically (temp file + rename). Returns the key."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return key

    def put_content(self, folder: str, data: bytes, ext: str) -> str:
        """Store under a content-addressed key (``folder/ab/<sha256>.ext``); never overwrites."""
        digest = hashlib.sha256(data).hexdigest()
        key = f"{folder}/{digest[:2]}/{digest}.{ext.lstrip('.')}"
        if not self.exists(key):
            self.put(key, data)
        return key

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def exists(self, key: str | None) -> bool:
        return bool(key) and self.path(key).is_file()

    def sweep_temp(self, max_age_s: float = 3600.0) -> int:
        """Remove temporary files left by a process that died mid-write (they never carry a real
        key, so nothing refers to them). Returns how many were removed."""
        import time

        cutoff = time.time() - max_age_s
        removed = 0
        for tmp in self.root.rglob(".tmp-*"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
        return removed

    def delete(self, key: str) -> None:
        p = self.path(key)
        if p.is_file():
            p.unlink()


def media() -> MediaStore:
    """The app's media store (needs an application context)."""
    return current_app.extensions["studio.media"]


def _sweep_stale_temp_files() -> int:
    return media().sweep_temp(current_app.config.get("MEDIA_TEMP_MAX_AGE_S", 3600))


def register_sweep() -> None:
    """Let the jobs ticker clean up after crashed writers (called once by create_app)."""
    from .jobs import PERIODIC

    if _sweep_stale_temp_files not in PERIODIC:
        PERIODIC.append(_sweep_stale_temp_files)



def media_response(key: str, mimetype: str, *, immutable: bool = True, max_age_s: int = 31_536_000):
    """A stored file as the answer to a GET the caller has already allowed (permission checked):
    streamed from disk, with an ETag made from the media key (a content-addressed key names the
    same bytes for ever) so a browser's ``If-None-Match`` gets a 304 without the file being read,
    and ``Cache-Control: private`` (it needed a login: a shared proxy must never keep it; the
    browser may, ``immutable`` when the key is content-addressed)."""
    from flask import send_file

    resp = send_file(media().path(key), mimetype=mimetype, conditional=True, max_age=None,
                     etag=hashlib.sha256(key.encode()).hexdigest()[:32])
    resp.headers["Cache-Control"] = f"private, max-age={int(max_age_s)}" + (", immutable" if immutable else "")
    return resp
