"""PostgreSQL: reads outside a transaction, a transaction from the first write on.

psycopg opens a transaction before the first statement on a connection (a ``BEGIN`` round trip of
its own) and the pool ends it when the connection goes back (a ``ROLLBACK`` round trip), also when
the request only read. A page that runs five SELECTs waited for seven answers from the database.

Here a connection taken from the pool starts in psycopg's autocommit mode: a plain ``SELECT`` runs
as its own statement, with no ``BEGIN`` before it and nothing to roll back after it. The first
statement that is not a plain read (INSERT, UPDATE, DELETE, DDL, ``SELECT … FOR UPDATE/SHARE``, a
``WITH`` query, anything else) switches the connection back to transactions before it runs, so it
and everything after it on that connection, until the commit or rollback, is one transaction as
before (the session flushes, sees its own writes, commits or rolls back all of them).

Why this changes nothing a user can see: PostgreSQL's default isolation, READ COMMITTED, gives
each statement its own snapshot, inside a transaction or not, so reads before the first write see
what they saw before; the studio takes no row locks (it uses ``lock_version`` checks and unique
constraints) nor transaction-level isolation. SQLite is not touched.
"""
from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.engine import Engine

_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)


def is_plain_read(statement: str) -> bool:
    """A SELECT that takes no row locks (anything else opens a transaction first)."""
    return bool(_PLAIN_READ.match(statement)) and not _LOCKING.search(statement)


def install(engine: Engine) -> None:
    """Reads in autocommit, a transaction from the first write (PostgreSQL with psycopg only)."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "checkout")
    def _reads_in_autocommit(dbapi_connection, _record, _proxy):
        if dbapi_connection.info.transaction_status == TransactionStatus.IDLE:
            dbapi_connection.autocommit = True

    @event.listens_for(engine, "before_cursor_execute")
    def _transaction_before_write(conn, _cursor, statement, _parameters, _context, _executemany):
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection.autocommit and not is_plain_read(statement):
            dbapi_connection.autocommit = False     # this statement begins the transaction
