"""One-time login codes for the console: ``aiguillage console`` makes one, the page trades it
for an admin token through ``POST /v1/console/login``.

A code lives a few minutes and serves once. Only its SHA-256 is kept (a code carries 192 bits of
randomness, so an unsalted hash is enough), in ``console.db`` in the data dir: the command and
the daemon are two processes, and a single ``DELETE`` is what makes a code's use atomic
between them.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from aiguillage.store import open_database

DB = "console.db"
#: How long a login code may wait before it is used.
CODE_TTL_SECONDS = 300.0


def _create_codes(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE codes (hash TEXT PRIMARY KEY, expires_at REAL NOT NULL)")


MIGRATIONS = [_create_codes]


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _connect(data_dir: Path) -> sqlite3.Connection:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return open_database(data_dir / DB, "console", MIGRATIONS)


def issue(data_dir: Path, now: float | None = None, ttl: float = CODE_TTL_SECONDS) -> str:
    """A new login code, valid ``ttl`` seconds; expired codes are dropped on the way."""
    now = time.time() if now is None else now
    code = secrets.token_urlsafe(24)
    conn = _connect(data_dir)
    try:
        conn.execute("DELETE FROM codes WHERE expires_at <= ?", [now])
        conn.execute("INSERT INTO codes (hash, expires_at) VALUES (?, ?)", [_hash(code), now + ttl])
    finally:
        conn.close()
    return code


def redeem(data_dir: Path, code: str, now: float | None = None) -> bool:
    """Whether ``code`` was a live code; it is gone either way, so it never serves twice."""
    now = time.time() if now is None else now
    conn = _connect(data_dir)
    try:
        # One statement finds and removes it: two logins racing with one code cannot both win.
        taken = conn.execute(
            "DELETE FROM codes WHERE hash = ? AND expires_at > ?", [_hash(code), now]
        ).rowcount
        conn.execute("DELETE FROM codes WHERE expires_at <= ?", [now])
    finally:
        conn.close()
    return taken == 1
