"""Client applications (the EHRs) and their bearer tokens.

A token is shown once, when the app is created; only its SHA-256 is stored. Tokens carry 256 bits
of randomness, so an unsalted hash is enough to make a stolen database useless.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from aiguillage.migrations import migrate

TOKEN_PREFIX = "agl_"
ALL_SCOPES = "*"


@dataclass(frozen=True)
class ClientApp:
    name: str
    scopes: tuple[str, ...]
    origins: tuple[str, ...]
    created_at: float
    revoked_at: float | None = None

    def has_scope(self, scope: str) -> bool:
        return ALL_SCOPES in self.scopes or scope in self.scopes


class ClientError(ValueError):
    """A bad name, scope or origin given to ``apps add``."""


def _create_apps(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE apps (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
        "scopes TEXT NOT NULL, origins TEXT NOT NULL, created_at REAL NOT NULL, revoked_at REAL)"
    )


MIGRATIONS = [_create_apps]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, as browsers send it in the Origin header."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ClientError(f"origin {origin!r} must look like http://host[:port]")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ClientError(f"origin {origin!r} must not have a path, query or user")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


class ClientStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = data_dir / "clients.db"
        conn = sqlite3.connect(path, isolation_level=None)
        path.chmod(0o600)  # SQLite gives its -wal and -shm files the same mode
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode = WAL")
        migrate(self.db, "clients", MIGRATIONS)
        self._by_hash: dict[str, ClientApp] = {}
        self._origins: frozenset[str] = frozenset()
        self._version: int | None = None
        self._dirty = True  # this connection's own writes do not change data_version

    def close(self) -> None:
        self.db.conn.close()

    def add(
        self, name: str, scopes: list[str], origins: list[str] = (), known_scopes: set[str] = ()
    ) -> tuple[ClientApp, str]:
        """Create an app; returns it and its token, which is never shown again."""
        if not name or not name.replace("-", "").replace("_", "").isalnum():
            raise ClientError(f"app name {name!r}: use letters, digits, '-' and '_'")
        if not scopes:
            raise ClientError("give at least one --scope")
        unknown = [s for s in scopes if s != ALL_SCOPES and known_scopes and s not in known_scopes]
        if unknown:
            raise ClientError(
                f"unknown scope {unknown[0]!r} (known: {', '.join(sorted(known_scopes))}, *)"
            )
        clean_origins = tuple(dict.fromkeys(normalize_origin(o) for o in origins))
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        app = ClientApp(name, tuple(dict.fromkeys(scopes)), clean_origins, time.time())
        try:
            self.db.execute(
                "INSERT INTO apps (name, token_hash, scopes, origins, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    name,
                    hash_token(token),
                    json.dumps(app.scopes),
                    json.dumps(app.origins),
                    app.created_at,
                ],
            )
        except sqlite3.IntegrityError:
            raise ClientError(f"an app named {name!r} already exists") from None
        self._dirty = True
        return app, token

    def list(self) -> list[ClientApp]:
        """Every app, revoked ones included, oldest first."""
        return [self._app(row) for row in self.db.query("SELECT * FROM apps ORDER BY created_at")]

    def revoke(self, name: str) -> bool:
        cursor = self.db.execute(
            "UPDATE apps SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            [time.time(), name],
        )
        self._dirty = True
        return cursor.rowcount == 1

    def by_token(self, token: str) -> ClientApp | None:
        """The active app holding ``token``. Answers from memory while no other connection has
        written to the database, so ``apps revoke`` in another process takes effect at once."""
        self._refresh()
        return self._by_hash.get(hash_token(token))

    def _refresh(self) -> None:
        # data_version changes whenever another connection commits to this database.
        version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version or self._dirty:
            rows = self.db.query("SELECT * FROM apps WHERE revoked_at IS NULL")
            self._by_hash = {row["token_hash"]: self._app(row) for row in rows}
            self._origins = frozenset(o for app in self._by_hash.values() for o in app.origins)
            self._version, self._dirty = version, False

    def origin_allowed(self, origin: str) -> bool:
        """Whether any active app accepts requests from this browser origin."""
        self._refresh()
        return origin in self._origins

    @staticmethod
    def _app(row: dict) -> ClientApp:
        return ClientApp(
            name=row["name"],
            scopes=tuple(json.loads(row["scopes"])),
            origins=tuple(json.loads(row["origins"])),
            created_at=row["created_at"],
            revoked_at=row["revoked_at"],
        )
