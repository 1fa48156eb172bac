"""Client applications (the EHRs) and their bearer tokens.

A token is shown once, when the app is created; only its SHA-256 is stored. Tokens carry 256 bits
of randomness, so an unsalted hash is enough to make a stolen database useless.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from aiguillage.migrations import migrate
from aiguillage.store import create_private, private

TOKEN_PREFIX = "agl_"
#: Every service scope and ``journal``: what an EHR that does everything holds.
ALL_SCOPES = "*"
#: The practice admin's: every scope, plus the operations that change the daemon itself
#: (switching a service on or off). ``*`` does not grant it: an EHR holding every service
#: scope must not be able to reconfigure the daemon.
ADMIN_SCOPE = "admin"


@dataclass(frozen=True)
class ClientApp:
    name: str
    scopes: tuple[str, ...]
    origins: tuple[str, ...]
    created_at: float
    revoked_at: float | None = None
    #: When its token stops being accepted (a console session); ``None``: never.
    expires_at: float | None = None

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def has_scope(self, scope: str) -> bool:
        if ADMIN_SCOPE in self.scopes or scope in self.scopes:
            return True
        return ALL_SCOPES in self.scopes and scope != ADMIN_SCOPE


class ClientError(ValueError):
    """A bad name, scope or origin given to ``apps add``."""


def _create_apps(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE apps (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
        "scopes TEXT NOT NULL, origins TEXT NOT NULL, created_at REAL NOT NULL, revoked_at REAL)"
    )


def _add_expires_at(db: sqlite_utils.Database) -> None:
    # NULL for every app made before: those never expired, and still do not.
    db.execute("ALTER TABLE apps ADD COLUMN expires_at REAL")


MIGRATIONS = [_create_apps, _add_expires_at]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: An app name: ASCII only, so that no two names that look alike can both exist (a Cyrillic
#: "а" in "аpp", fullwidth letters, invisible characters); it starts with a letter or a digit so
#: that it never reads as a command-line option.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: ``scheme://authority`` and what follows (a path, a query...), to tell apart what is wrong.
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)", re.S)
#: ``host[:port]``, ASCII digits only for the port.
_AUTHORITY = re.compile(r"(?P<host>\[[^\]]*\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def check_name(name: str) -> str:
    """``name`` if it is a valid app name; a ``ClientError`` saying why otherwise."""
    if _NAME.fullmatch(name):
        return name
    readable = unicodedata.normalize("NFKC", name)
    if readable != name and _NAME.fullmatch(readable):
        raise ClientError(
            f"app name {name!r} is not plain ASCII (it reads as {readable!r}): "
            "use ASCII letters, digits, '-', '_' and '.'"
        )
    odd = next((c for c in name if not c.isascii() or not c.isprintable()), None)
    why = f" ({odd!r} is U+{ord(odd):04X}, {unicodedata.name(odd, 'unnamed')})" if odd else ""
    raise ClientError(
        f"app name {name!r}: 1 to 64 ASCII letters, digits, '-', '_' or '.', "
        f"starting with a letter or a digit{why}"
    )


def name_key(name: str) -> str:
    """What two app names must not share: to a reader, "my-ehr", "My_EHR" and "my.ehr" name
    the same app."""
    return re.sub(r"[._-]", "-", unicodedata.normalize("NFKC", name).casefold())


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, as browsers send it in the Origin header.

    Matching is exact, so only an origin a browser can send is accepted: no wildcard (``*``,
    ``http://*``, ``https://*.example.org``), no ``null`` (what sandboxed frames and local files
    send: any page can make one), no path, query or user, no non-ASCII host (browsers send the
    punycode form), no default port (browsers leave it out).
    """
    given = origin.strip()
    if "*" in given:
        raise ClientError(
            f"origin {origin!r}: wildcards are not supported; list each origin the app runs on, "
            "e.g. --origin https://ehr.example.org"
        )
    if given.lower() == "null":
        raise ClientError(
            "origin 'null' is refused: sandboxed frames and local files send it, so any page "
            "could claim it"
        )
    url = _URL.fullmatch(given)
    if url is None or url["scheme"].lower() not in _DEFAULT_PORTS or not url["authority"]:
        raise ClientError(f"origin {origin!r} must look like http://host[:port]")
    if url["rest"] not in ("", "/"):
        raise ClientError(f"origin {origin!r} must not have a path, query or fragment")
    if "@" in url["authority"]:
        raise ClientError(f"origin {origin!r} must not have a user")
    match = _AUTHORITY.fullmatch(url["authority"])
    if match is None:
        raise ClientError(f"origin {origin!r}: the port must be 1 to 65535, in ASCII digits")
    scheme = url["scheme"].lower()
    host = _origin_host(match["host"], origin)
    port = match["port"]
    if port is not None and not 0 < int(port) <= 65535:
        raise ClientError(f"origin {origin!r}: the port must be 1 to 65535")
    if port is None or int(port) == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{int(port)}"


def _origin_host(host: str, origin: str) -> str:
    if host.startswith("["):
        try:
            address = ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise ClientError(f"origin {origin!r}: {host} is not an IPv6 address") from None
        return f"[{address.compressed}]"
    if not host.isascii():
        try:
            ascii_form = host.encode("idna").decode()
        except UnicodeError:
            ascii_form = None
        hint = f" (its ASCII form is {ascii_form!r})" if ascii_form else ""
        raise ClientError(
            f"origin {origin!r}: the host must be written in ASCII, as browsers send it{hint}"
        )
    host = host.lower()
    labels = host.removesuffix(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ClientError(f"origin {origin!r}: {host!r} is not a host name")
    return host


class ClientStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = data_dir / "clients.db"
        create_private(path)
        conn = sqlite3.connect(path, isolation_level=None)
        private(path)  # an older file, or -wal/-shm files left readable by an earlier version
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode = WAL")
        migrate(self.db, "clients", MIGRATIONS)
        self._by_hash: dict[str, ClientApp] = {}
        self._origins: frozenset[str] = frozenset()
        self._active: frozenset[str] = frozenset()
        self._version: int | None = None
        #: The soonest expiry among the apps held in memory: past it, they are read again.
        self._next_expiry = float("inf")
        self._dirty = True  # this connection's own writes do not change data_version

    def close(self) -> None:
        self.db.conn.close()

    def add(
        self,
        name: str,
        scopes: list[str],
        origins: list[str] = (),
        known_scopes: set[str] = (),
        expires_at: float | None = None,
    ) -> tuple[ClientApp, str]:
        """Create an app; returns it and its token, which is never shown again. Past
        ``expires_at`` (a Unix time), the token is refused as if the app were revoked."""
        check_name(name)
        now = time.time()
        if expires_at is not None and expires_at <= now:
            raise ClientError("an app cannot expire before it is created")
        if not scopes:
            raise ClientError("give at least one --scope")
        unknown = [
            s
            for s in scopes
            if s not in (ALL_SCOPES, ADMIN_SCOPE) and known_scopes and s not in known_scopes
        ]
        if unknown:
            known = ", ".join(sorted({*known_scopes, ADMIN_SCOPE}))
            raise ClientError(f"unknown scope {unknown[0]!r} (known: {known}, *)")
        clean_origins = tuple(dict.fromkeys(normalize_origin(o) for o in origins))
        key = name_key(name)
        for (existing,) in self.db.execute("SELECT name FROM apps"):
            if name_key(existing) == key:
                raise ClientError(
                    f"an app named {existing!r} already exists; {name!r} would be mistaken for it"
                    if existing != name
                    else f"an app named {name!r} already exists"
                )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        app = ClientApp(
            name, tuple(dict.fromkeys(scopes)), clean_origins, now, expires_at=expires_at
        )
        try:
            self.db.execute(
                "INSERT INTO apps (name, token_hash, scopes, origins, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    name,
                    hash_token(token),
                    json.dumps(app.scopes),
                    json.dumps(app.origins),
                    app.created_at,
                    app.expires_at,
                ],
            )
        except sqlite3.IntegrityError:
            raise ClientError(f"an app named {name!r} already exists") from None
        self._dirty = True
        return app, token

    def list(self) -> list[ClientApp]:
        """Every app, revoked and expired ones included, oldest first."""
        return [self._app(row) for row in self.db.query("SELECT * FROM apps ORDER BY created_at")]

    def revoke(self, name: str) -> bool:
        cursor = self.db.execute(
            "UPDATE apps SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            [time.time(), name],
        )
        self._dirty = True
        return cursor.rowcount == 1

    def purge_expired(self, prefix: str, now: float | None = None) -> list[str]:
        """Delete the apps named ``prefix…`` whose expiry has passed (revoked before or not);
        returns their names. Their token is refused already: this only keeps the table small,
        the journal still names them."""
        now = time.time() if now is None else now
        # substr, not LIKE: "_" in a prefix would be a wildcard there.
        where = "expires_at IS NOT NULL AND expires_at <= ? AND substr(name, 1, ?) = ?"
        args = [now, len(prefix), prefix]
        names = [
            row[0]
            for row in self.db.execute(f"DELETE FROM apps WHERE {where} RETURNING name", args)
        ]
        self._dirty = True
        return names

    def by_token(self, token: str) -> ClientApp | None:
        """The active (neither revoked nor expired) app holding ``token``. Answers from memory
        while no other connection has written to the database and no app held has expired, so
        ``apps revoke`` in another process takes effect at once."""
        self._refresh()
        return self._by_hash.get(hash_token(token))

    def is_active(self, name: str) -> bool:
        """Whether the app ``name`` exists, is not revoked and has not expired, as of the last
        commit of any process: what a long-lived request (the event stream) asks again as it
        goes on."""
        self._refresh()
        return name in self._active

    def _refresh(self) -> None:
        # data_version changes whenever another connection commits to this database.
        version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
        now = time.time()
        if version != self._version or self._dirty or now >= self._next_expiry:
            rows = self.db.query(
                "SELECT * FROM apps WHERE revoked_at IS NULL "
                "AND (expires_at IS NULL OR expires_at > ?)",
                [now],
            )
            self._by_hash = {row["token_hash"]: self._app(row) for row in rows}
            self._origins = frozenset(o for app in self._by_hash.values() for o in app.origins)
            self._active = frozenset(app.name for app in self._by_hash.values())
            self._next_expiry = min(
                (a.expires_at for a in self._by_hash.values() if a.expires_at is not None),
                default=float("inf"),
            )
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
            expires_at=row["expires_at"],
        )
