"""The ApCV sessions the daemon holds: one per scanned QR code (or NFC tap), each the ApCV
context the service opened and the beneficiaries it gave, in a SQLite store of the plugin's.

A session is answered while its context lives; once past the context's end of validity it is
*expired* (410), once released (``DELETE``) or purged it is *gone* (404). A context is the
practitioner's who opened it (the service refuses it to anyone else), so the session keeps
who that was. Its rows hold patient data: they are deleted once the session ended more than
``RETENTION`` ago, at the plugin's start and on every write to the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiguillage.plugin import Practitioner, Problem, Store, iso

from .backend import Context

#: Seconds a session's rows are kept once it expired or was released: long enough for the
#: EHR to be told "expired" (410) rather than "unknown" (404) the rest of the day, short
#: enough that the beneficiaries' data does not pile up.
RETENTION = 24 * 3600.0
#: What a session id starts with: says what it is in a log or a journal row.
ID_PREFIX = "apcv_"


def _create_sessions(db: Any) -> None:
    db.execute(
        "CREATE TABLE sessions ("
        " id TEXT PRIMARY KEY,"
        " source TEXT NOT NULL,"  # qr | nfc
        " context_id TEXT NOT NULL,"
        " context_token TEXT NOT NULL,"
        " expires_at REAL NOT NULL,"  # the context's DateFinValidite, UNIX time
        " beneficiaries TEXT NOT NULL,"  # JSON list, each as BENEFICIARY_SCHEMA
        " created_at REAL NOT NULL,"
        " released_at REAL)"
    )
    # The purge looks for sessions that ended long ago.
    db.execute("CREATE INDEX sessions_expires_at ON sessions (expires_at)")


def _add_practitioner(db: Any) -> None:
    # Who opened the context (the Practitioner's fields, JSON): reading, releasing and signing
    # act as them. NULL in the rows written before: the config's practitioner then, who was
    # the only one that could open a session that went on working.
    db.execute("ALTER TABLE sessions ADD COLUMN practitioner TEXT")
    # The purge's other half: sessions released long ago.
    db.execute("CREATE INDEX sessions_released_at ON sessions (released_at)")


MIGRATIONS = [_create_sessions, _add_practitioner]


@dataclass(frozen=True)
class Session:
    id: str
    source: str
    context: Context
    beneficiaries: list[dict[str, Any]]
    created_at: float
    released_at: float | None
    #: Who opened the context; ``None`` for a session stored before it was kept (the
    #: operations then act as the config's practitioner).
    practitioner: Practitioner | None = None

    def expired(self, now: float) -> bool:
        return self.context.expires_at.timestamp() <= now

    def beneficiary(self, index: int) -> dict[str, Any] | None:
        return self.beneficiaries[index] if 0 <= index < len(self.beneficiaries) else None

    @property
    def patient_ins(self) -> str | None:
        """What tags the session's journal rows: the first beneficiary's INS, else NIR."""
        if not self.beneficiaries:
            return None
        first = self.beneficiaries[0]
        return (first.get("ins") or {}).get("matricule") or first["nir"]

    @property
    def patient_name(self) -> str | None:
        if not self.beneficiaries:
            return None
        first = self.beneficiaries[0]
        return f"{first['birth_name']} {first['first_name']}"

    def to_json(self) -> dict[str, Any]:
        """The session as the API answers it (``schemas.SESSION_SCHEMA``)."""
        return {
            "id": self.id,
            "source": self.source,
            "created_at": iso(self.created_at),
            "expires_at": iso(self.context.expires_at.timestamp()),
            "beneficiaries": self.beneficiaries,
        }


def new_id() -> str:
    """A session id no one can guess: it stands for a patient's carte Vitale."""
    return ID_PREFIX + secrets.token_urlsafe(18)


def _practitioner_json(practitioner: Practitioner | None) -> str | None:
    return None if practitioner is None else json.dumps(dataclasses.asdict(practitioner))


def _practitioner_of(text: str | None) -> Practitioner | None:
    if text is None:
        return None
    # Only the fields this version knows: a row written by another version still reads.
    known = {f.name for f in dataclasses.fields(Practitioner)}
    return Practitioner(**{k: v for k, v in json.loads(text).items() if k in known})


def _purge(conn: sqlite3.Connection, before: float) -> None:
    """Delete the sessions that ended (expired, or released) before ``before``: two ranges of
    an index each, cheap enough for every write."""
    conn.execute("DELETE FROM sessions WHERE expires_at < ? OR released_at < ?", [before, before])


def _insert(conn: sqlite3.Connection, session: Session, purge_before: float) -> None:
    _purge(conn, purge_before)
    conn.execute(
        "INSERT INTO sessions (id, source, context_id, context_token, expires_at, beneficiaries,"
        " created_at, released_at, practitioner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            session.id,
            session.source,
            session.context.id,
            session.context.token,
            session.context.expires_at.timestamp(),
            json.dumps(session.beneficiaries, ensure_ascii=False),
            session.created_at,
            session.released_at,
            _practitioner_json(session.practitioner),
        ],
    )


def _refresh(
    conn: sqlite3.Connection,
    session_id: str,
    context: Context,
    beneficiaries: str,
    purge_before: float,
) -> None:
    _purge(conn, purge_before)
    conn.execute(
        "UPDATE sessions SET context_id = ?, context_token = ?, expires_at = ?, beneficiaries = ?"
        " WHERE id = ? AND released_at IS NULL",
        [context.id, context.token, context.expires_at.timestamp(), beneficiaries, session_id],
    )


def _end(conn: sqlite3.Connection, session_id: str, now: float) -> None:
    _purge(conn, now - RETENTION)
    conn.execute(
        "UPDATE sessions SET expires_at = MIN(expires_at, ?) WHERE id = ?", [now, session_id]
    )


def _release(conn: sqlite3.Connection, session_id: str, now: float) -> bool:
    _purge(conn, now - RETENTION)
    done = conn.execute(
        "UPDATE sessions SET released_at = ? WHERE id = ? AND released_at IS NULL",
        [now, session_id],
    )
    return done.rowcount == 1


class SessionStore:
    """``sessions.db`` in the plugin's data dir."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path, "apcv.sessions", MIGRATIONS)

    def close(self) -> None:
        self.store.close()

    async def add(
        self,
        source: str,
        context: Context,
        beneficiaries: list[dict[str, Any]],
        now: float | None = None,
        *,
        practitioner: Practitioner | None = None,
    ) -> Session:
        """A new session of the context ``practitioner`` opened, on disk when this returns;
        sessions that ended more than ``RETENTION`` ago are deleted on the way (as on every
        write)."""
        now = time.time() if now is None else now
        session = Session(new_id(), source, context, beneficiaries, now, None, practitioner)
        await self.store.write(_insert, session, now - RETENTION)
        return session

    async def purge(self, now: float | None = None) -> None:
        """Delete the sessions that ended more than ``RETENTION`` ago (at startup: the store
        may have been left untouched since)."""
        await self.store.write(_purge, (time.time() if now is None else now) - RETENTION)

    def find(self, session_id: str) -> Session | None:
        """The session, released or not; ``None`` when there is none of that id."""
        row = self.store.reader.execute(
            "SELECT id, source, context_id, context_token, expires_at, beneficiaries, "
            "created_at, released_at, practitioner FROM sessions WHERE id = ?",
            [session_id],
        ).fetchone()
        if row is None:
            return None
        sid, source, context_id, token, expires_at, people, created_at, released_at, who = row
        context = Context(context_id, token, dt.datetime.fromtimestamp(expires_at, dt.UTC))
        return Session(
            sid,
            source,
            context,
            json.loads(people),
            created_at,
            released_at,
            _practitioner_of(who),
        )

    def held(self, session_id: str, now: float | None = None) -> Session:
        """The session if it can be used now; else the problem the EHR gets: 404 when it is
        unknown or released, 410 when its context expired."""
        session = self.find(session_id)
        if session is None or session.released_at is not None:
            raise not_found(session_id)
        if session.expired(time.time() if now is None else now):
            raise expired(session)
        return session

    async def refresh(
        self,
        session: Session,
        context: Context,
        beneficiaries: list[dict[str, Any]],
        now: float | None = None,
    ) -> Session:
        """Keep what the service gave on a later read (a renewed context, changed rights)."""
        text = json.dumps(beneficiaries, ensure_ascii=False)
        purge_before = (time.time() if now is None else now) - RETENTION
        await self.store.write(_refresh, session.id, context, text, purge_before)
        return dataclasses.replace(session, context=context, beneficiaries=beneficiaries)

    async def end(self, session_id: str, now: float) -> None:
        """The service says the context ended (expired, or unknown to it): the session is
        expired from ``now`` on, whatever its end of validity said."""
        await self.store.write(_end, session_id, now)

    async def release(self, session_id: str, now: float | None = None) -> bool:
        """Mark the session released; ``False`` when it was not held (unknown, or released
        already)."""
        return await self.store.write(_release, session_id, time.time() if now is None else now)


def not_found(session_id: str) -> Problem:
    return Problem(
        404,
        "apcv-session-not-found",
        "No such ApCV session",
        f"No ApCV session {session_id!r} is open: it was released, or never opened here.",
    )


def expired(session: Session, why: str = "", service_code: str | None = None) -> Problem:
    """410: the session's context ended (its end of validity passed, or the service says it
    ended: ``why``, with the service's own code)."""
    ended = iso(session.context.expires_at.timestamp())
    return Problem(
        410,
        "apcv-session-expired",
        "The ApCV session expired",
        f"{why or f'The ApCV context of session {session.id} ended at {ended}'}: scan the "
        "patient's QR code again (or have them tap their phone) to open a new session.",
        service="apcv" if service_code else None,
        service_code=service_code,
    )
