"""Schema migrations: each one whole or not at all, applied once, whoever else migrates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from aiguillage.migrations import Migration, migrate
from aiguillage.writer import connect


def database(path: Path) -> sqlite_utils.Database:
    # The stores' own connection settings: isolation_level=None, WAL.
    return sqlite_utils.Database(connect(path))


def tables(path: Path) -> set[str]:
    """The tables another process sees."""
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def recorded(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT store, name FROM _migrations ORDER BY store, name").fetchall()


def things(fail_half_way: bool = False) -> Migration:
    """The migration ``create_things``; broken, it raises after its first statements."""

    def create_things(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT)")
        db.execute("INSERT INTO things VALUES (1, 'first')")
        if fail_half_way:
            raise RuntimeError("half-way")

    return create_things


def test_a_migration_that_fails_half_way_leaves_nothing_and_runs_again(tmp_path):
    path = tmp_path / "store.db"
    db = database(path)
    with pytest.raises(RuntimeError, match="half-way"):
        migrate(db, "test", [things(fail_half_way=True)])
    assert not db.conn.in_transaction
    assert tables(path) == {"_migrations"}
    assert recorded(path) == []

    migrate(db, "test", [things()])  # fixed, under the same name
    assert tables(path) == {"_migrations", "things"}
    assert recorded(path) == [("test", "0001_create_things")]
    assert [tuple(r) for r in db.execute("SELECT label FROM things")] == [("first",)]
    db.conn.close()


def test_a_failing_migration_keeps_the_ones_before_it(tmp_path):
    path = tmp_path / "store.db"
    db = database(path)

    def add_colour(db: sqlite_utils.Database) -> None:
        db.execute("ALTER TABLE things ADD COLUMN colour TEXT")
        db.execute("UPDATE things SET colour = 'red'")
        db.execute("SELECT no_such_column FROM things")

    with pytest.raises(sqlite3.OperationalError, match="no_such_column"):
        migrate(db, "test", [things(), add_colour])
    assert recorded(path) == [("test", "0001_create_things")]
    assert [c.name for c in db["things"].columns] == ["id", "label"]
    db.conn.close()


def test_migrations_applied_once_are_not_run_again(tmp_path):
    path = tmp_path / "store.db"
    runs: list[str] = []

    def first(db: sqlite_utils.Database) -> None:
        runs.append("first")
        db.execute("CREATE TABLE IF NOT EXISTS one (id INTEGER PRIMARY KEY)")

    def second(db: sqlite_utils.Database) -> None:
        runs.append("second")
        db.execute("CREATE TABLE two (id INTEGER PRIMARY KEY)")

    db = database(path)
    migrate(db, "test", [first])
    migrate(db, "test", [first])
    db.conn.close()
    db = database(path)  # a restart
    migrate(db, "test", [first, second])
    migrate(db, "test", [first, second])
    # Another store keeps its own record, even for migrations of the same names.
    migrate(db, "other", [first])
    db.conn.close()
    assert runs == ["first", "second", "first"]
    assert recorded(path) == [
        ("other", "0001_first"),
        ("test", "0001_first"),
        ("test", "0002_second"),
    ]


def test_a_migration_another_process_applied_meanwhile_is_not_run_again(tmp_path):
    """Two processes open the store at once: both see the migration missing, the second one
    to take the write lock must find it recorded and leave it alone."""
    path = tmp_path / "store.db"
    db = database(path)
    migrate(db, "test", [])  # the _migrations table exists, nothing applied
    other = database(path)
    trouble: list[BaseException] = []

    def other_process_first(statement: str) -> None:
        # Runs as this connection is about to take the write lock, after it read what was
        # applied: the other process migrates in that moment.
        if statement == "BEGIN IMMEDIATE" and not recorded(path):
            try:
                migrate(other, "test", [things()])
            except BaseException as exc:  # a trace callback's errors would be swallowed
                trouble.append(exc)

    db.conn.set_trace_callback(other_process_first)
    migrate(db, "test", [things()])  # would fail on "table things already exists"
    db.conn.set_trace_callback(None)
    assert trouble == []
    assert recorded(path) == [("test", "0001_create_things")]
    assert db.execute("SELECT count(*) FROM things").fetchone()[0] == 1
    db.conn.close()
    other.conn.close()
