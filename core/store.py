"""A SQLite store as the daemon keeps each of its own (the outbox, the journal) and as a plugin
keeps one: schema by numbered migrations, writes through a group-commit writer thread, reads
that never wait for it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from aiguillage.migrations import Migration, migrate
from aiguillage.writer import Writer, connect

T = TypeVar("T")


def open_database(
    path: Path,
    name: str,
    migrations: Sequence[Migration],
    on_create: Callable[[sqlite3.Connection], None] | None = None,
) -> sqlite3.Connection:
    """A writable connection to ``path``, its migrations applied, the file private to the
    daemon's user. ``on_create`` runs first on a new file (pragmas that must precede tables)."""
    new = create_private(path)
    if new and on_create is not None:
        # Before ``connect``: turning WAL on writes the file's header, and what ``on_create``
        # sets there (auto_vacuum) no longer takes once it is written. Its WAL here writes the
        # header with those settings.
        first = sqlite3.connect(path, isolation_level=None)
        try:
            on_create(first)
            first.execute("PRAGMA journal_mode = WAL")
        finally:
            first.close()
    conn = connect(path)
    migrate(sqlite_utils.Database(conn), name, migrations)
    private(path)  # an older file, or -wal/-shm files left readable by an earlier version
    return conn


def create_private(path: Path) -> bool:
    """Create the database file ``path`` with mode 600 if it is not there; whether it was.
    Made private before SQLite opens it: its -wal and -shm files take the database's mode when
    they are created, so they are private from the first write."""
    if path.exists():
        return False
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return True


def private(path: Path) -> None:
    """Mode 600 for a database and the -wal and -shm files SQLite keeps beside it."""
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if each.stat().st_mode & 0o077:
                each.chmod(0o600)
        except FileNotFoundError:
            pass


class Store:
    """``Store(config.data_dir / "batches.db", "dmp.batches", [create_tables])``.

    Each migration is ``def name(db)`` taking a ``sqlite_utils.Database``; they run in order,
    each once, each in a transaction of its own. ``await store.write(fn, *args)`` runs
    ``fn(conn, *args)`` in one transaction and returns once it is on disk; ``store.reader`` is a
    read-only connection for the event loop."""

    def __init__(
        self,
        path: Path,
        name: str,
        migrations: Sequence[Migration],
        on_create: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        self.writer = Writer(open_database(path, name, migrations, on_create), name)
        self.reader = connect(path, readonly=True)

    async def write(self, fn: Callable[..., T], *args: Any, durable: bool = True) -> T:
        return await self.writer.run(lambda conn: fn(conn, *args), durable=durable)

    def close(self) -> None:
        self.writer.close()
        self.writer.conn.close()
        self.reader.close()
