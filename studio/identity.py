"""Per-request reuse of what the database already answered, for the pages a training room opens
all the time.

1. Rows a request has loaded stay in the session's identity map until the request ends.
   SQLAlchemy's identity map holds objects weakly: a row a view or service loaded and let go (a
   permission check that loads the product and returns only a yes, a helper that reads a photo
   and drops it) is garbage-collected, and the next ``db.session.get`` of the same row in the same
   request asks the database again. Pages did that a lot (the photo poll read its photo and
   product twice, the label editor its photos and assets four times). Here the session keeps a
   plain list of what it loaded during a request, released when the request is torn down, so a
   second ``get`` is answered from memory, exactly as if the first caller had kept a reference.

2. :func:`request_memo`: a read computed once per request (the stock list with the hub's own
   stock, a trainer's producers). Forgotten as soon as the session writes anything (flush),
   commits or rolls back, and when the request ends; outside a request (jobs, CLI) it is not kept.

3. :func:`commit_keeping_loaded`: a commit after which the rows the request loaded and wrote are not
   read again. A commit normally expires every loaded object, so a page that shows what it just
   saved (a trainer's decision, then the WhatsApp link and the next submission) reloads the
   version, its product, the producer and the acting user one by one.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import Flask, has_request_context
from sqlalchemy import event

from .extensions import db

T = TypeVar("T")
_HELD = "studio.loaded_in_request"
_MEMO = "studio.request_memo"
_listening = False


def _hold(session, instance) -> None:
    if has_request_context():
        session.info.setdefault(_HELD, []).append(instance)


def _forget_memo(session, *_args) -> None:
    session.info.pop(_MEMO, None)


def request_memo(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per request while the session has not written anything since."""
    if not has_request_context():
        return compute()
    memo = db.session.info.setdefault(_MEMO, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def init_app(app: Flask) -> None:
    global _listening
    if not _listening:          # db.session's session class is shared by every app of the process
        event.listen(db.session, "loaded_as_persistent", _hold)
        for name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
            event.listen(db.session, name, _forget_memo)
        _listening = True

    @app.teardown_request
    def _release(_exc=None):
        if db.session.registry.has():
            db.session.info.pop(_HELD, None)
            db.session.info.pop(_MEMO, None)


def commit_keeping_loaded() -> None:
    """``db.session.commit()`` without expiring the loaded objects: what this session wrote is what
    the rows now hold, and what it only read was read in this request. For a service whose caller
    goes on to show the saved rows; the session is removed when the request ends, so nothing
    outlives it."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
