"""Numbered schema migrations for the SQLite stores, applied once and recorded in a table."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def migrate(db: sqlite_utils.Database, store: str, migrations: Sequence[Migration]) -> None:
    """Apply, in order, the migrations of ``store`` not yet recorded in ``_migrations``."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations "
        "(store TEXT NOT NULL, name TEXT NOT NULL, applied_at REAL NOT NULL, "
        "PRIMARY KEY (store, name))"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations WHERE store = ?", [store])}
    for number, migration in enumerate(migrations, start=1):
        name = f"{number:04d}_{migration.__name__}"
        if name in done:
            continue
        with db.conn:
            migration(db)
            db.execute(
                "INSERT INTO _migrations (store, name, applied_at) VALUES (?, ?, ?)",
                [store, name, time.time()],
            )
