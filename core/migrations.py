"""Numbered schema migrations for the SQLite stores, applied once and recorded in a table."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Sequence

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def migrate(db: sqlite_utils.Database, store: str, migrations: Sequence[Migration]) -> None:
    """Apply, in order, the migrations of ``store`` not yet recorded in ``_migrations``.

    Each migration runs in one transaction of its own with its ``_migrations`` row: one that
    fails half-way leaves the database as it was, and runs again, whole, next time. So a
    migration must not end the transaction itself (``db.execute`` and ``db.atomic()`` join
    it; ``with db.conn:`` would commit it). ``db.conn`` must not be in a transaction on entry.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations "
        "(store TEXT NOT NULL, name TEXT NOT NULL, applied_at REAL NOT NULL, "
        "PRIMARY KEY (store, name))"
    )
    # Read without a lock first: a store already up to date (every CLI command opens one)
    # then never waits for the daemon's writer.
    done = {row[0] for row in db.execute("SELECT name FROM _migrations WHERE store = ?", [store])}
    conn = db.conn
    for number, migration in enumerate(migrations, start=1):
        name = f"{number:04d}_{migration.__name__}"
        if name in done:
            continue
        # The connections are opened with isolation_level=None, where ``with conn:`` begins
        # nothing: each statement of the migration would commit on its own. IMMEDIATE takes
        # the write lock before the check below, so two processes cannot both apply it.
        conn.execute("BEGIN IMMEDIATE")
        try:
            applied = conn.execute(
                "SELECT 1 FROM _migrations WHERE store = ? AND name = ?", [store, name]
            ).fetchone()
            if applied is None:
                migration(db)
                conn.execute(
                    "INSERT INTO _migrations (store, name, applied_at) VALUES (?, ?, ?)",
                    [store, name, time.time()],
                )
            conn.execute("COMMIT")
        except BaseException:
            # The migration's own error, not a failed rollback, is what the caller must see.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
