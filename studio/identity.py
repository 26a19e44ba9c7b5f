"""Per-request reuse of what the database already answered, for the pages a training room opens
all the time.

1. Rows a request has loaded (or inserted) stay in the session's identity map until the request ends.
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
   A read that names the models it ``depends_on`` (a label's image keys: photos, assets, the
   product) survives a flush or a commit that wrote none of them: the label editor's change saves
   the design and then shows it, and asked the database for its photos and logos again each time.

3. :func:`commit_keeping_loaded`: a use-case whose caller goes on to show the rows it has just
   written commits without expiring their columns (SQLAlchemy's ``expire_on_commit``), so showing
   them does not load them again (the editor change reloaded its design and product after every
   save); relationships the transaction may have changed are still expired.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import Flask, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ONETOMANY

from .extensions import db

T = TypeVar("T")
_HELD = "studio.loaded_in_request"
_MEMO = "studio.request_memo"
_WRITTEN = "studio.written_in_transaction"     # model classes flushed since the last commit or rollback


class _ALL:
    """In ``_WRITTEN``: a statement wrote outside the unit of work (anything may have changed)."""


_listening = False


def _hold(session, instance) -> None:
    if has_request_context():
        session.info.setdefault(_HELD, []).append(instance)


def _forget_memo(session, *_args) -> None:
    session.info.pop(_MEMO, None)


def _forget_after_flush(session, _flush_context) -> None:
    """Forget the reads that may have changed: those without ``depends_on`` and those depending on
    a model the flush wrote (``session.new/dirty/deleted`` still hold what was flushed here)."""
    memo = session.info.get(_MEMO)
    if not memo:
        return
    written = {type(o) for o in (*session.new, *session.dirty, *session.deleted)}
    for key, (_value, deps) in list(memo.items()):
        if deps is None or any(issubclass(w, d) for w in written for d in deps):
            del memo[key]


def _forget_after_commit(session) -> None:
    """The reads with ``depends_on`` were checked at each flush of the transaction; the others go."""
    memo = session.info.get(_MEMO)
    if memo:
        for key in [k for k, (_v, deps) in memo.items() if deps is None]:
            del memo[key]


def _forget_on_bulk_write(state) -> None:
    """A statement writing without the unit of work (``update(...)``, ``delete(...)``): forget all."""
    if not state.is_select:
        _forget_memo(state.session)
        state.session.info.setdefault(_WRITTEN, set()).add(_ALL)


def request_memo(key: str, compute: Callable[[], T], depends_on: tuple[type, ...] | None = None) -> T:
    """``compute()``, once per request while the session has not written anything since
    (``depends_on``: only the writes of these models count). Rows kept with ``depends_on`` are
    expired by a plain commit and load again when read: keep plain values."""
    if not has_request_context():
        return compute()
    memo = db.session.info.setdefault(_MEMO, {})
    if key not in memo:
        memo[key] = (compute(), tuple(depends_on) if depends_on is not None else None)
    return memo[key][0]


def commit_keeping_loaded() -> None:
    """Commit ``db.session`` without reloading the rows it holds: their columns keep what was just
    written and nothing is loaded again to show it. Relationships that may have changed (those of a
    model written in the transaction, or leading to one: a new revision made current, a comment
    added to a version) are expired as a plain commit would, so they are read afresh when used (a
    many-to-one from the identity map, without a query). Values the database computes (server
    defaults, triggers) would not be seen: only for rows without any. A statement that wrote
    outside the unit of work, or a session outside a request (jobs, CLI: it may live on and read
    rows other processes change), gets a plain commit."""
    session = db.session()
    if not has_request_context():
        session.commit()
        return
    session.flush()             # records what this transaction wrote (after_flush)
    written = set(session.info.get(_WRITTEN, ()))
    if _ALL in written:
        session.commit()
        return
    before = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = before
    classes = tuple(written)
    for obj in list(session.identity_map.values()):
        state = inspect(obj)
        owner_written = isinstance(obj, classes)
        # a one-to-many collection changes only when rows of its target class were written (its
        # owner's columns do not decide what it holds): a decision, which writes the version, keeps
        # the version's comments loaded; a new comment expires them
        stale = [r.key for r in state.mapper.relationships
                 if r.key not in state.unloaded and (issubclass(r.mapper.class_, classes) or (
                     owner_written and r.direction is not ONETOMANY))]
        if stale:
            session.expire(obj, stale)


def _note_written(session, _flush_context) -> None:
    session.info.setdefault(_WRITTEN, set()).update(
        type(o) for o in (*session.new, *session.dirty, *session.deleted))


def _forget_written(session, *_args) -> None:
    session.info.pop(_WRITTEN, None)


def init_app(app: Flask) -> None:
    global _listening
    if not _listening:          # db.session's session class is shared by every app of the process
        event.listen(db.session, "loaded_as_persistent", _hold)
        # and rows it wrote: a new revision made current is shown after the commit without a SELECT
        event.listen(db.session, "pending_to_persistent", _hold)
        event.listen(db.session, "after_flush", _forget_after_flush)
        event.listen(db.session, "after_flush", _note_written)
        event.listen(db.session, "after_commit", _forget_after_commit)
        for name in ("after_commit", "after_rollback"):
            event.listen(db.session, name, _forget_written)
        event.listen(db.session, "do_orm_execute", _forget_on_bulk_write)
        for name in ("after_rollback", "after_soft_rollback"):
            event.listen(db.session, name, _forget_memo)
        _listening = True

    @app.teardown_request
    def _release(_exc=None):
        if db.session.registry.has():
            db.session.info.pop(_HELD, None)
            db.session.info.pop(_MEMO, None)
