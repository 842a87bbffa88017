"""Make SQLite usable under concurrent threads for the conformance services.

Every transaction takes the write lock up front (``BEGIN IMMEDIATE``) and
waits for it (``busy_timeout``), so two threads never both hold a read lock
and then deadlock when one of them tries to write ("database is locked").
Installed on the SQLAlchemy ``Engine`` class before any service builds an
engine; it only touches SQLite connections.
"""

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 60000


def _is_sqlite(dbapi_connection):
    return type(dbapi_connection).__module__.startswith("sqlite3")


def install():
    """Registers the listeners (idempotent)."""
    if getattr(install, "done", False):
        return
    install.done = True

    @event.listens_for(Engine, "connect")
    def _connect(dbapi_connection, _record):
        if not _is_sqlite(dbapi_connection):
            return
        # Let SQLAlchemy's "begin" event issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = %d" % BUSY_TIMEOUT_MS)
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    # oslo.db emits its own "BEGIN" for SQLite (and marks the connection with
    # info["in_transaction"]); whoever emits it, the statement is rewritten.
    @event.listens_for(Engine, "before_cursor_execute", retval=True)
    def _immediate(connection, cursor, statement, parameters, context, executemany):
        if connection.dialect.name == "sqlite" and statement.strip().upper() == "BEGIN":
            statement = "BEGIN IMMEDIATE"
        return statement, parameters

    @event.listens_for(Engine, "begin")
    def _begin(connection):
        if connection.dialect.name == "sqlite" and "in_transaction" not in connection.info:
            connection.exec_driver_sql("BEGIN")
            connection.info["in_transaction"] = True

    @event.listens_for(Engine, "commit")
    @event.listens_for(Engine, "rollback")
    def _end(connection):
        connection.info.pop("in_transaction", None)
