"""The outbox: sends written to SQLite before the API answers, delivered by workers.

States::

    queued ──claim──▶ sending ──ok──▶ sent
      ▲                 │
      └──transient──────┤ (backoff with jitter; after max_attempts: dead)
                        └──permanent──▶ failed (a human acts: retry or cancel)
    queued / failed ──user──▶ cancelled        failed / dead ──user retry──▶ queued

The functions taking ``conn`` are the transitions; each runs inside one transaction (the
daemon's writer thread, or the CLI's own connection). Identifiers the receiver sees (XDS
uniqueId, Message-ID…) are fixed at enqueue time in ``external_id``, so re-delivering after a
crash cannot create a duplicate at the receiver.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from aiguillage import store
from aiguillage.config import OutboxPolicy

STATES = ("queued", "sending", "sent", "failed", "dead", "cancelled")
RETRYABLE = ("failed", "dead")
CANCELLABLE = ("queued", "failed")


class DeliveryError(Exception):
    """What a plugin raises when a delivery fails with a code of the service's.

    ``transient=True``: retry later (service down, timeout). ``False``: a human must act
    (metadata refused, unknown patient).
    """

    def __init__(self, code: str, message: str, transient: bool) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient


@dataclass(frozen=True)
class Delivered:
    """What ``deliver`` returns on success: what the receiver answered (JSON-able), and whether
    it said it already had the item (a delivery before a crash reached it: a success too)."""

    result: dict[str, Any] = field(default_factory=dict)
    already_present: bool = False


class OutboxConflict(Exception):
    """A transition that the item's state does not allow (e.g. retrying a sent item)."""


class IdempotencyMismatch(Exception):
    """An Idempotency-Key reused with a different request."""


@dataclass(frozen=True)
class Attachment:
    n: int
    content_type: str
    filename: str | None
    size: int
    sha256: str
    data: bytes | None = None  # None once purged, or when only metadata was read

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Attachment:
        data = row["data"] if "data" in row.keys() else None
        return cls(row["n"], row["content_type"], row["filename"], row["size"], row["sha256"], data)


@dataclass
class NewItem:
    plugin: str
    kind: str
    payload: dict[str, Any]
    external_id: str
    attachments: Sequence[tuple[str, str | None, bytes]] = ()  # (content type, filename, data)
    idempotency_key: str | None = None
    request_hash: str | None = None
    client: str | None = None
    request_id: str | None = None
    patient: str | None = None
    practitioner: dict[str, Any] | None = None
    answer: dict[str, Any] | None = None


@dataclass
class Item:
    id: int
    plugin: str
    kind: str
    state: str
    attempts: int
    external_id: str
    payload: dict[str, Any] | None
    client: str | None
    request_id: str | None
    patient: str | None
    practitioner: dict[str, Any] | None
    next_attempt_at: float
    last_error: dict[str, Any] | None
    result: Any
    created_at: float
    updated_at: float
    sent_at: float | None
    payload_purged_at: float | None
    answer: dict[str, Any] | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Item:
        error = None
        if row["last_error_code"] is not None:
            error = {
                "code": row["last_error_code"],
                "message": row["last_error_message"],
                "transient": bool(row["last_error_transient"]),
            }
        return cls(
            id=row["id"],
            plugin=row["plugin"],
            kind=row["kind"],
            state=row["state"],
            attempts=row["attempts"],
            external_id=row["external_id"],
            payload=_loads(row["payload"]),
            client=row["client"],
            request_id=row["request_id"],
            patient=row["patient"],
            practitioner=_loads(row["practitioner"]),
            next_attempt_at=row["next_attempt_at"],
            last_error=error,
            result=_loads(row["result"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            sent_at=row["sent_at"],
            payload_purged_at=row["payload_purged_at"],
            answer=_loads(row["answer"]),
        )


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# --- schema -------------------------------------------------------------------------------------


def _create_tables(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            plugin TEXT NOT NULL,
            kind TEXT NOT NULL,
            external_id TEXT NOT NULL,
            idempotency_key TEXT UNIQUE,
            request_hash TEXT,
            client TEXT,
            request_id TEXT,
            patient TEXT,
            practitioner TEXT,
            payload TEXT,
            answer TEXT,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL,
            lease_until REAL,
            last_error_code TEXT,
            last_error_message TEXT,
            last_error_transient INTEGER,
            result TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            sent_at REAL,
            payload_purged_at REAL
        )""")
    db.execute("CREATE INDEX items_due ON items (plugin, state, next_attempt_at)")
    db.execute("CREATE INDEX items_state ON items (state, id)")
    db.execute("CREATE INDEX items_patient ON items (patient)")
    db.execute("CREATE INDEX items_sent ON items (sent_at) WHERE payload_purged_at IS NULL")
    db.execute("""
        CREATE TABLE attachments (
            item_id INTEGER NOT NULL REFERENCES items (id),
            n INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            filename TEXT,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB,
            PRIMARY KEY (item_id, n)
        )""")
    db.execute("""
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items (id),
            action TEXT NOT NULL,
            at REAL NOT NULL,
            duration REAL,
            outcome TEXT NOT NULL,
            error_code TEXT,
            error_message TEXT,
            transient INTEGER,
            actor TEXT
        )""")
    db.execute("CREATE INDEX history_item ON history (item_id, id)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _index_filters(db: sqlite_utils.Database) -> None:
    # The console's filters, each answered from an index at a hundred thousand items (an index
    # holds the item's id after its key, so a page walks it in id order, no sort): a plugin's
    # items, a state's items of one plugin, and a period (``select`` turns it into ids).
    db.execute("CREATE INDEX items_plugin ON items (plugin)")
    db.execute("CREATE INDEX items_state_plugin ON items (state, plugin)")
    db.execute("CREATE INDEX items_created ON items (created_at)")


MIGRATIONS = [_create_tables, _index_filters]


def _incremental_vacuum(conn: sqlite3.Connection) -> None:
    # Must be set before the first table exists; lets `vacuum()` hand freed pages back.
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")


def open_database(path: Path) -> sqlite3.Connection:
    return store.open_database(path, "outbox", MIGRATIONS, on_create=_incremental_vacuum)


# --- transitions (each inside one transaction) --------------------------------------------------


def enqueue(conn: sqlite3.Connection, new: NewItem, now: float) -> tuple[Item, bool]:
    """Insert the item; returns it and whether it is a replay of an earlier identical request."""
    items, replayed = enqueue_many(conn, [new], now)
    return items[0], replayed


def _insert(conn: sqlite3.Connection, new: NewItem, now: float) -> Item:
    cursor = conn.execute(
        "INSERT INTO items (plugin, kind, external_id, idempotency_key, request_hash, client, "
        "request_id, patient, practitioner, payload, answer, state, next_attempt_at, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
        [
            new.plugin,
            new.kind,
            new.external_id,
            new.idempotency_key,
            new.request_hash,
            new.client,
            new.request_id,
            new.patient,
            _dumps(new.practitioner),
            _dumps(new.payload),
            _dumps(new.answer),
            now,
            now,
            now,
        ],
    )
    item = Item(
        id=cursor.lastrowid,
        plugin=new.plugin,
        kind=new.kind,
        state="queued",
        attempts=0,
        external_id=new.external_id,
        payload=new.payload,
        client=new.client,
        request_id=new.request_id,
        patient=new.patient,
        practitioner=new.practitioner,
        next_attempt_at=now,
        last_error=None,
        result=None,
        created_at=now,
        updated_at=now,
        sent_at=None,
        payload_purged_at=None,
        answer=new.answer,
    )
    for n, (content_type, filename, data) in enumerate(new.attachments):
        attachment = Attachment(
            n, content_type, filename, len(data), hashlib.sha256(data).hexdigest()
        )
        conn.execute(
            "INSERT INTO attachments (item_id, n, content_type, filename, size, sha256, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [item.id, n, content_type, filename, attachment.size, attachment.sha256, data],
        )
        item.attachments.append(attachment)
    return item


def enqueue_many(
    conn: sqlite3.Connection, news: Sequence[NewItem], now: float
) -> tuple[list[Item], bool]:
    """Insert all of ``news`` (in the caller's one transaction: all or none); or, when the first
    one's idempotency key was seen, return the items the earlier identical request queued and
    ``True``. Items of one request share its key's request hash; the first carries the key
    itself, so a single send and a batch cannot reuse one key for different bodies."""
    first = news[0]
    if first.idempotency_key is not None and _by_key(conn, first) is not None:
        rows = [_by_key(conn, new) for new in news]
        # The same body builds the same sends: a row missing or hashed otherwise is another
        # request that reused the key.
        if any(r is None or r["request_hash"] != first.request_hash for r in rows):
            raise IdempotencyMismatch(first.idempotency_key)
        return [Item.from_row(r) for r in rows], True
    # Not a replay: the first key is new, so are the others (they are derived from it).
    return [_insert(conn, new, now) for new in news], False


def _by_key(conn: sqlite3.Connection, new: NewItem) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM items WHERE idempotency_key = ?", [new.idempotency_key]
    ).fetchone()


def claim(
    conn: sqlite3.Connection,
    plugin: str,
    limit: int,
    now: float,
    lease: float,
    horizon: float = float("inf"),
) -> list[Item]:
    """Take up to ``limit`` due items (and any whose lease ran out) for delivery.

    An item planned more than ``horizon`` seconds ahead (the policy's longest backoff) was
    planned by a wall clock that has since been set back: no backoff is that long. It is due
    now, rather than an hour late when the clock went back an hour while the daemon was down
    (a running dispatcher also re-bases its plans when it sees the clock jump: ``rebase``).
    """
    # One branch per case, each a range of the (plugin, state, next_attempt_at) index: an OR
    # of them reads every item of the plugin, tens of milliseconds at 100,000 items, and the
    # dispatchers claim several times a second.
    rows = conn.execute(
        "UPDATE items SET state = 'sending', attempts = attempts + 1, lease_until = ?, "
        "updated_at = ? WHERE id IN (SELECT id FROM ("
        "SELECT id, next_attempt_at FROM items "
        "WHERE plugin = ? AND state = 'queued' AND next_attempt_at <= ? "
        "UNION ALL SELECT id, next_attempt_at FROM items "
        "WHERE plugin = ? AND state = 'queued' AND next_attempt_at > ? "
        "UNION ALL SELECT id, next_attempt_at FROM items "
        "WHERE plugin = ? AND state = 'sending' AND lease_until < ?"
        ") ORDER BY next_attempt_at, id LIMIT ?) RETURNING *",
        [now + lease, now, plugin, now, plugin, now + horizon + HORIZON_MARGIN, plugin, now, limit],
    ).fetchall()
    items = sorted((Item.from_row(r) for r in rows), key=lambda i: (i.next_attempt_at, i.id))
    for item in items:
        item.attachments = attachments(conn, item.id, with_data=True)
    return items


def mark_sent(
    conn: sqlite3.Connection, item_id: int, delivered: Delivered, started: float, now: float
) -> Item:
    # The item's result says whether the receiver already had it, whatever the plugin returned.
    result = {**delivered.result, "already_present": delivered.already_present}
    conn.execute(
        "UPDATE items SET state = 'sent', result = ?, sent_at = ?, updated_at = ?, "
        "lease_until = NULL WHERE id = ? AND state = 'sending'",
        [_dumps(result), now, now, item_id],
    )
    outcome = "already_present" if delivered.already_present else "sent"
    _history(conn, item_id, "attempt", started, now - started, outcome)
    return get(conn, item_id)


def mark_error(
    conn: sqlite3.Connection,
    item_id: int,
    error: DeliveryError,
    policy: OutboxPolicy,
    started: float,
    now: float,
) -> Item:
    """Back to ``queued`` with backoff, or ``dead`` / ``failed``: the item's next state."""
    attempts = conn.execute("SELECT attempts FROM items WHERE id = ?", [item_id]).fetchone()[0]
    if not error.transient:
        state, next_at = "failed", now
    elif attempts >= policy.max_attempts:
        state, next_at = "dead", now
    else:
        state, next_at = "queued", now + backoff(policy, attempts)
    conn.execute(
        "UPDATE items SET state = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?, "
        "last_error_code = ?, last_error_message = ?, last_error_transient = ? "
        "WHERE id = ? AND state = 'sending'",
        [state, next_at, now, error.code, error.message, int(error.transient), item_id],
    )
    _history(
        conn,
        item_id,
        "attempt",
        started,
        now - started,
        "transient_error" if error.transient else "permanent_error",
        error=error,
    )
    return get(conn, item_id)


def backoff(policy: OutboxPolicy, attempts: int) -> float:
    """Exponential backoff with "equal jitter": half the delay fixed, half random, so items that
    failed together do not all come back at the same instant."""
    delay = min(policy.max_delay, policy.initial_delay * policy.factor ** max(0, attempts - 1))
    return delay / 2 + random.uniform(0, delay / 2)


def retry(conn: sqlite3.Connection, item_id: int, actor: str, now: float) -> Item:
    item = get(conn, item_id)
    if item.state not in RETRYABLE:
        raise OutboxConflict(f"item {item_id} is {item.state}; only failed or dead items retry")
    # A fresh budget of attempts; the history keeps every earlier one.
    conn.execute(
        "UPDATE items SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ? "
        "WHERE id = ?",
        [now, now, item_id],
    )
    _history(conn, item_id, "retry", now, None, "queued", actor=actor)
    return get(conn, item_id)


def cancel(conn: sqlite3.Connection, item_id: int, actor: str, now: float) -> Item:
    item = get(conn, item_id)
    if item.state not in CANCELLABLE:
        raise OutboxConflict(f"item {item_id} is {item.state}; only queued or failed items cancel")
    conn.execute(
        "UPDATE items SET state = 'cancelled', updated_at = ? WHERE id = ?", [now, item_id]
    )
    _history(conn, item_id, "cancel", now, None, "cancelled", actor=actor)
    return get(conn, item_id)


def recover_interrupted(conn: sqlite3.Connection, now: float) -> list[int]:
    """After a crash, items left ``sending`` go back to the queue (their delivery may or may not
    have reached the receiver: the fixed external id makes the second try safe)."""
    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE state = 'sending'")]
    for item_id in ids:
        conn.execute(
            "UPDATE items SET state = 'queued', lease_until = NULL, next_attempt_at = ?, "
            "updated_at = ? WHERE id = ?",
            [now, now, item_id],
        )
        _history(
            conn,
            item_id,
            "attempt",
            now,
            None,
            "interrupted",
            error=DeliveryError("interrupted", "the daemon stopped during this attempt", True),
        )
    return ids


def purge_payloads(conn: sqlite3.Connection, sent_before: float, now: float) -> int:
    """Drop payloads and attachment bytes of items sent before ``sent_before``; metadata stays."""
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM items WHERE state = 'sent' AND sent_at < ? "
            "AND payload_purged_at IS NULL",
            [sent_before],
        )
    ]
    for item_id in ids:
        conn.execute(
            "UPDATE items SET payload = NULL, payload_purged_at = ? WHERE id = ?", [now, item_id]
        )
        conn.execute("UPDATE attachments SET data = NULL WHERE item_id = ?", [item_id])
    return len(ids)


def vacuum(conn: sqlite3.Connection, now: float) -> None:
    """Hand freed pages back to the file system (incremental, so it never blocks for long)."""
    # Python's sqlite3 steps a statement that returns no row once, and each step of this pragma
    # frees one page: so one statement per free page (about 10 µs each).
    (free,) = conn.execute("PRAGMA freelist_count").fetchone()
    for _ in range(free):
        conn.execute("PRAGMA incremental_vacuum(1)")
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('vacuumed_at', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [str(now)],
    )


def _history(
    conn: sqlite3.Connection,
    item_id: int,
    action: str,
    at: float,
    duration: float | None,
    outcome: str,
    error: DeliveryError | None = None,
    actor: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO history (item_id, action, at, duration, outcome, error_code, "
        "error_message, transient, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            item_id,
            action,
            at,
            duration,
            outcome,
            error.code if error else None,
            error.message if error else None,
            int(error.transient) if error else None,
            actor,
        ],
    )


# --- reads --------------------------------------------------------------------------------------


class NotFound(Exception):
    pass


def get(conn: sqlite3.Connection, item_id: int) -> Item:
    row = conn.execute("SELECT * FROM items WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise NotFound(item_id)
    item = Item.from_row(row)
    item.attachments = attachments(conn, item_id)
    return item


def attachments(
    conn: sqlite3.Connection, item_id: int, with_data: bool = False
) -> list[Attachment]:
    columns = "n, content_type, filename, size, sha256" + (", data" if with_data else "")
    return [
        Attachment.from_row(r)
        for r in conn.execute(
            f"SELECT {columns} FROM attachments WHERE item_id = ? ORDER BY n", [item_id]
        )
    ]


def attachment_data(conn: sqlite3.Connection, item_id: int, n: int) -> Attachment:
    row = conn.execute(
        "SELECT * FROM attachments WHERE item_id = ? AND n = ?", [item_id, n]
    ).fetchone()
    if row is None:
        raise NotFound((item_id, n))
    return Attachment.from_row(row)


def history(conn: sqlite3.Connection, item_id: int) -> list[dict[str, Any]]:
    return [
        {
            "action": r["action"],
            "at": r["at"],
            "duration_ms": None if r["duration"] is None else round(r["duration"] * 1000, 1),
            "outcome": r["outcome"],
            "error": None
            if r["error_code"] is None
            else {
                "code": r["error_code"],
                "message": r["error_message"],
                "transient": bool(r["transient"]),
            },
            "actor": r["actor"],
        }
        for r in conn.execute("SELECT * FROM history WHERE item_id = ? ORDER BY id", [item_id])
    ]


@dataclass
class ItemFilter:
    state: str | None = None
    plugins: Iterable[str] | None = None  # None: every plugin
    patient: str | None = None
    since: float | None = None
    until: float | None = None
    before_id: int | None = None
    limit: int = 50


def select(conn: sqlite3.Connection, f: ItemFilter) -> list[Item]:
    """Items matching ``f``, newest first (page on with ``before_id``). Each filter is answered
    from an index, so a page costs a few seeks however many items there are."""
    where, args = [], []
    if f.state:
        where.append("state = ?")
        args.append(f.state)
    plugins = None if f.plugins is None else list(f.plugins)
    if plugins == []:
        return []
    if f.patient:
        where.append("patient = ?")
        args.append(f.patient)
    if f.since is not None or f.until is not None:
        # A period's items lie between two ids, found in the created_at index alone (it holds
        # each item's id); the page walks the ids between them checking the time, which stays
        # exact if the clock went back, and sorts nothing.
        bounds = ["created_at >= ?"] * (f.since is not None) + ["created_at < ?"] * (
            f.until is not None
        )
        values = [v for v in (f.since, f.until) if v is not None]
        low, high = conn.execute(
            f"SELECT min(id), max(id) FROM items WHERE {' AND '.join(bounds)}", values
        ).fetchone()
        where += ["id BETWEEN ? AND ?", *(f"+{b}" for b in bounds)]
        args += [low or 0, high or 0, *values]
    if f.before_id is not None:
        where.append("id < ?")
        args.append(f.before_id)

    def ids(extra: list[str]) -> str:
        conditions = where + extra
        sql = "SELECT id FROM items" + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
        return f"{sql} ORDER BY id DESC LIMIT {int(f.limit)}"

    # The ids first, from an index where one serves: no item is read that the page won't show.
    # Several plugins (an app sees all of its scopes') are one branch each, read in id order
    # from a (plugin, id) or (state, plugin, id) index and merged: no sort of all their items.
    if plugins is None:
        inner, inner_args = ids([]), args
    elif f.patient:
        # A patient's items are few: read from the patient index, the plugins checked on them
        # ("+": a plugin index would read every item of the plugin instead).
        marks = ", ".join("?" * len(plugins))
        inner, inner_args = ids([f"+plugin IN ({marks})"]), [*args, *plugins]
    else:
        inner = " UNION ALL ".join(f"SELECT id FROM ({ids(['plugin = ?'])})" for _ in plugins)
        inner += f" ORDER BY id DESC LIMIT {int(f.limit)}"
        inner_args = [a for plugin in plugins for a in (*args, plugin)]
    rows = conn.execute(
        f"SELECT * FROM items WHERE id IN ({inner}) ORDER BY id DESC", inner_args
    ).fetchall()
    items = [Item.from_row(r) for r in rows]
    # The attachments' metadata of the whole page in one query, not one per item.
    by_id = {item.id: item for item in items}
    if by_id:
        marks = ", ".join("?" * len(by_id))
        for r in conn.execute(
            "SELECT item_id, n, content_type, filename, size, sha256 FROM attachments "
            f"WHERE item_id IN ({marks}) ORDER BY item_id, n",
            list(by_id),
        ):
            by_id[r["item_id"]].attachments.append(Attachment.from_row(r))
    return items


def next_due(conn: sqlite3.Connection, plugin: str) -> float | None:
    row = conn.execute(
        "SELECT min(next_attempt_at) FROM items WHERE plugin = ? AND state = 'queued'", [plugin]
    ).fetchone()
    return row[0]


#: Slack on ``claim``'s horizon for the rounding of ``now + backoff``.
HORIZON_MARGIN = 1.0


def rebase(conn: sqlite3.Connection, plugin: str, jump: float) -> None:
    """The wall clock jumped by ``jump`` seconds (negative: set back) while a dispatcher of
    ``plugin`` was running: move what it planned in wall time so it still falls due at the same
    real time (``next_attempt_at`` and ``lease_until`` are wall times, kept across restarts).

    Set back: queued items are moved back too, or their retries would stall for as long as the
    jump. Set forward: only the leases move, so that the items under way in this daemon are not
    taken a second time; planned retries are left as they are, because a forward jump cannot be
    told from a machine waking from sleep (the monotonic clock stops while the machine sleeps,
    on Linux at least), after which they really are due. A jump forward thus brings retries
    earlier, at most once each, at the pace the dispatcher's concurrency and circuit breaker
    allow: no more than a wake-up would.
    """
    if jump < 0:
        conn.execute(
            "UPDATE items SET next_attempt_at = next_attempt_at + ? "
            "WHERE plugin = ? AND state = 'queued'",
            [jump, plugin],
        )
    conn.execute(
        "UPDATE items SET lease_until = lease_until + ? WHERE plugin = ? AND state = 'sending'",
        [jump, plugin],
    )


def counts(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for row in conn.execute("SELECT plugin, state, count(*) FROM items GROUP BY plugin, state"):
        result.setdefault(row[0], {})[row[1]] = row[2]
    return result


# --- the daemon's handle ------------------------------------------------------------------------


class Outbox(store.Store):
    """The outbox of a running daemon: writes through the group-commit writer, reads on a
    connection of the event loop's (WAL readers never wait for the writer)."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            data_dir / "outbox.db", "outbox", MIGRATIONS, on_create=_incremental_vacuum
        )
        self._counts: dict[str, dict[str, int]] = {}
        self._counted_at = float("-inf")

    def counts(self, max_age: float = 1.0) -> dict[str, dict[str, int]]:
        """Items by plugin and state, recounted at most every ``max_age`` seconds: the health
        route is polled, and a count walks the whole table."""
        now = time.monotonic()
        if now - self._counted_at > max_age:
            self._counts = counts(self.reader)
            self._counted_at = now
        return self._counts


def states(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, tuple[str, Any]]:
    """State and last error of many items at once (batches ask for thousands)."""
    found: dict[int, tuple[str, Any]] = {}
    for start in range(0, len(item_ids), 500):
        chunk = list(item_ids[start : start + 500])
        rows = conn.execute(
            f"SELECT * FROM items WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        )
        for row in rows:
            item = Item.from_row(row)
            found[item.id] = (item.state, item.last_error)
    return found


def publish_state(events: Any, item: Item) -> None:
    """Tell the event stream an item's state (``outbox.item``), to apps with its plugin's
    scope."""
    events.publish(
        "outbox.item",
        {
            "id": item.id,
            "plugin": item.plugin,
            "kind": item.kind,
            "state": item.state,
            "attempts": item.attempts,
            "last_error": item.last_error,
        },
        scope=item.plugin,
    )
