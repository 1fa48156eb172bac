"""The practice's MSSanté mail in SQLite: every message received (its raw bytes, what was read
from it, its read flag and receipt) and every message sent (its receipts).

A received message is stored once per ``(mailbox, UIDVALIDITY, UID)``: storing it again — the
poller fetched it a second time after a crash — changes nothing. UIDVALIDITY is per mailbox
(two mailboxes may share one), hence the mailbox in the key.

What ``store_received`` reads from ``parsed``, a JSON-able dict (other keys are kept as given):

- ``message_id``, ``sender``, ``subject``, ``receipt_to``, ``package_error``: strings or None;
  ``date``: ISO 8601 with its offset, or None;
- ``patient``: ``{"ins": {"matricule": …, "oid": …} | None, "traits": {…}}`` or None;
- ``documents`` and ``attachments``: lists of dicts; an entry's ``content`` (bytes) is kept
  apart, served by ``document(id, n)``, and replaced in the JSON by ``n`` (numbered from 0,
  documents first, then attachments) and ``size``; ``filename`` (or ``name``) and
  ``media_type`` name it; a document's ``flags`` (``contains_biology``, ``abnormal``,
  ``critical``) make the message's own flags: any document's;
- ``report``: not None when the message is itself a receipt (an MDN).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiguillage.plugin import Store

#: MDN dispositions that say the message arrived (RFC 8098 3.2.6.2); the others are errors.
POSITIVE = frozenset({"processed", "displayed", "dispatched"})
RECEIPT_STATES = ("none", "requested", "processed", "error")
FLAGS = ("contains_biology", "abnormal", "critical")


def _create_tables(db: Any) -> None:
    db.execute(
        """CREATE TABLE received (
            id INTEGER PRIMARY KEY,
            mailbox TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            received_at REAL NOT NULL,
            message_id TEXT,
            sender TEXT,
            subject TEXT,
            date REAL,
            raw BLOB NOT NULL,
            parsed TEXT,
            parse_error TEXT,
            patient_ins TEXT,
            unread INTEGER NOT NULL DEFAULT 1,
            critical INTEGER NOT NULL DEFAULT 0,
            abnormal INTEGER NOT NULL DEFAULT 0,
            contains_biology INTEGER NOT NULL DEFAULT 0,
            package_error TEXT,
            receipt_to TEXT,
            is_report INTEGER NOT NULL DEFAULT 0,
            ack_state TEXT CHECK (ack_state IN ('processed', 'error')),
            ack_code TEXT,
            ack_label TEXT,
            ack_message_id TEXT,
            acked_at REAL,
            UNIQUE (mailbox, uidvalidity, uid)
        )"""
    )
    db.execute("CREATE INDEX received_patient ON received (patient_ins, id)")
    db.execute("CREATE INDEX received_unread ON received (id) WHERE unread = 1")
    db.execute("CREATE INDEX received_critical ON received (id) WHERE critical = 1")
    db.execute("CREATE INDEX received_time ON received (received_at)")
    db.execute(
        """CREATE TABLE received_documents (
            received_id INTEGER NOT NULL REFERENCES received (id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            filename TEXT,
            media_type TEXT,
            content BLOB NOT NULL,
            PRIMARY KEY (received_id, n)
        )"""
    )
    # Messages the parser failed on, by attempt: one that always fails is kept unparsed
    # after a few, so that one bad message cannot stop the inbox.
    db.execute(
        """CREATE TABLE parse_failures (
            mailbox TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            PRIMARY KEY (mailbox, uidvalidity, uid)
        )"""
    )
    db.execute(
        """CREATE TABLE sent (
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL UNIQUE,
            item_id INTEGER,
            sender TEXT NOT NULL,
            recipients TEXT NOT NULL,
            patient_ins TEXT,
            subject TEXT,
            created_at REAL NOT NULL,
            receipt TEXT NOT NULL DEFAULT 'none'
                CHECK (receipt IN ('none', 'requested', 'processed', 'error')),
            receipt_code TEXT,
            receipt_label TEXT,
            receipt_at REAL
        )"""
    )
    db.execute("CREATE INDEX sent_item ON sent (item_id)")
    db.execute(
        """CREATE TABLE sent_receipts (
            sent_id INTEGER NOT NULL REFERENCES sent (id) ON DELETE CASCADE,
            recipient TEXT NOT NULL,
            disposition TEXT NOT NULL,
            code TEXT,
            label TEXT,
            at REAL NOT NULL,
            mdn_message_id TEXT,
            PRIMARY KEY (sent_id, recipient)
        )"""
    )


MIGRATIONS = [_create_tables]


@dataclass(frozen=True)
class Ack:
    state: str  # "processed" or "error"
    code: str | None
    label: str | None
    message_id: str | None  # the MDN sent
    at: float


@dataclass(frozen=True)
class ReceivedMessage:
    id: int
    mailbox: str
    uidvalidity: int
    uid: int
    received_at: float
    message_id: str | None
    sender: str | None
    subject: str | None
    date: float | None
    patient_ins: str | None
    unread: bool
    critical: bool
    abnormal: bool
    contains_biology: bool
    package_error: str | None
    parse_error: str | None
    receipt_to: str | None
    is_report: bool
    ack: Ack | None
    #: Whom the package is about, and how many documents it holds (from ``parsed``).
    patient: dict[str, Any] | None = None
    documents: int = 0
    parsed: dict[str, Any] | None = None  # with get_received() only


@dataclass(frozen=True)
class StoredDocument:
    n: int
    filename: str | None
    media_type: str | None
    content: bytes


@dataclass(frozen=True)
class Receipt:
    recipient: str
    disposition: str
    code: str | None
    label: str | None
    at: float
    mdn_message_id: str | None


@dataclass(frozen=True)
class SentMessage:
    id: int
    message_id: str
    item_id: int | None
    sender: str
    recipients: list[str]
    patient_ins: str | None
    subject: str | None
    created_at: float
    receipt: str  # none, requested, processed, error
    receipt_code: str | None
    receipt_label: str | None
    receipt_at: float | None
    receipts: list[Receipt] = field(default_factory=list)


def normalize_message_id(message_id: str) -> str:
    """``<id@host>`` however it was written (with or without brackets, spaces around)."""
    text = message_id.strip()
    if not text:
        raise ValueError("message_id: empty")
    return text if text.startswith("<") and text.endswith(">") else f"<{text.strip('<>')}>"


class MailStore:
    """``MailStore(config.data_dir / "mail.db")``; ``close()`` at shutdown."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path, "mssante.mail", MIGRATIONS)

    def close(self) -> None:
        self.store.close()

    # received

    def last_uid(self, mailbox: str, uidvalidity: int) -> int:
        """The highest UID stored for this mailbox and UIDVALIDITY; 0 when none."""
        row = self.store.reader.execute(
            "SELECT MAX(uid) FROM received WHERE mailbox = ? AND uidvalidity = ?",
            [mailbox, uidvalidity],
        ).fetchone()
        return row[0] or 0

    async def store_received(
        self,
        *,
        mailbox: str,
        uidvalidity: int,
        uid: int,
        raw: bytes,
        parsed: dict[str, Any] | None,
        parse_error: str | None = None,
        received_at: float | None = None,
    ) -> tuple[int, bool]:
        """Store one fetched message, durable when this returns: ``(id, new)``; ``new`` is
        False when it was already there (nothing changes then). ``parsed`` is None, with
        ``parse_error``, when it could not be read at all."""
        if parsed is None and not parse_error:
            raise ValueError("parsed: None needs a parse_error saying why")
        row, documents = _received_row(parsed, parse_error)
        row.update(
            mailbox=mailbox,
            uidvalidity=uidvalidity,
            uid=uid,
            raw=raw,
            received_at=time.time() if received_at is None else received_at,
        )
        return await self.store.write(_insert_received, row, documents)

    async def note_parse_failure(self, mailbox: str, uidvalidity: int, uid: int, error: str) -> int:
        """Count one more failed parse of this message; how many so far."""
        return await self.store.write(_note_failure, mailbox, uidvalidity, uid, error)

    def list_received(
        self,
        *,
        patient: str | None = None,
        unread: bool | None = None,
        critical: bool | None = None,
        from_: float | None = None,
        to: float | None = None,
        cursor: int | None = None,
        limit: int = 50,
        reports: bool = False,
    ) -> tuple[list[ReceivedMessage], int | None]:
        """Received messages, newest first, and the cursor of the next page (None on the last).
        ``patient`` is an INS matricule; ``from_``/``to`` bound the reception time (UNIX
        seconds, both included); receipts (MDNs) are left out unless ``reports``."""
        if limit < 1:
            raise ValueError("limit: must be at least 1")
        where, args = [], []
        if patient is not None:
            where.append("patient_ins = ?")
            args.append(patient)
        if unread is not None:
            where.append("unread = ?")
            args.append(int(unread))
        if critical is not None:
            where.append("critical = ?")
            args.append(int(critical))
        if from_ is not None:
            where.append("received_at >= ?")
            args.append(from_)
        if to is not None:
            where.append("received_at <= ?")
            args.append(to)
        if cursor is not None:
            where.append("id < ?")
            args.append(cursor)
        if not reports:
            where.append("is_report = 0")
        sql = f"SELECT {_SUMMARY} FROM received"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.store.reader.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit])
        found = [_received(row) for row in rows]
        return found, (found[-1].id if len(found) == limit else None)

    def get_received(self, id: int) -> ReceivedMessage | None:
        row = self.store.reader.execute(
            f"SELECT {_SUMMARY}, parsed FROM received WHERE id = ?", [id]
        ).fetchone()
        return None if row is None else _received(row)

    def raw(self, id: int) -> bytes | None:
        row = self.store.reader.execute("SELECT raw FROM received WHERE id = ?", [id]).fetchone()
        return None if row is None else bytes(row[0])

    def document(self, id: int, n: int) -> StoredDocument | None:
        row = self.store.reader.execute(
            "SELECT n, filename, media_type, content FROM received_documents "
            "WHERE received_id = ? AND n = ?",
            [id, n],
        ).fetchone()
        if row is None:
            return None
        return StoredDocument(row["n"], row["filename"], row["media_type"], bytes(row["content"]))

    async def mark_read(self, id: int, read: bool = True) -> bool:
        """Whether the message exists."""

        def update(conn: sqlite3.Connection) -> bool:
            done = conn.execute("UPDATE received SET unread = ? WHERE id = ?", [int(not read), id])
            return done.rowcount == 1

        return await self.store.write(update)

    async def mark_acked(
        self,
        id: int,
        disposition: str,
        *,
        code: str | None = None,
        label: str | None = None,
        mdn_message_id: str | None = None,
        at: float | None = None,
    ) -> bool:
        """Record the receipt sent for received message ``id``; whether it exists."""
        state = _receipt_state(disposition, code)
        at = time.time() if at is None else at

        def update(conn: sqlite3.Connection) -> bool:
            done = conn.execute(
                "UPDATE received SET ack_state = ?, ack_code = ?, ack_label = ?, "
                "ack_message_id = ?, acked_at = ? WHERE id = ?",
                [state, code, label, mdn_message_id, at, id],
            )
            return done.rowcount == 1

        return await self.store.write(update)

    # sent

    async def record_sent(
        self,
        *,
        message_id: str,
        item_id: int | None,
        sender: str,
        recipients: Sequence[str],
        patient_ins: str | None,
        subject: str | None,
        receipt_requested: bool,
        created_at: float | None = None,
    ) -> int:
        """Remember a message sent (or queued to be); its id. Recording the same Message-ID
        again returns the first record's id and changes nothing."""
        row = {
            "message_id": normalize_message_id(message_id),
            "item_id": item_id,
            "sender": sender,
            "recipients": json.dumps(list(recipients)),
            "patient_ins": patient_ins,
            "subject": subject,
            "created_at": time.time() if created_at is None else created_at,
            "receipt": "requested" if receipt_requested else "none",
        }
        return await self.store.write(_insert_sent, row)

    def get_sent(self, ref: int | str) -> SentMessage | None:
        """By id (an int) or Message-ID (a string)."""
        if isinstance(ref, str):
            where, arg = "message_id = ?", normalize_message_id(ref)
        else:
            where, arg = "id = ?", ref
        return _sent(self.store.reader, where, arg)

    def sent_for_item(self, item_id: int) -> SentMessage | None:
        """The message an outbox item sends."""
        return _sent(self.store.reader, "item_id = ?", item_id)

    async def record_mdn(
        self,
        original_message_id: str,
        *,
        disposition: str,
        code: str | None = None,
        label: str | None = None,
        at: float | None = None,
        final_recipient: str | None = None,
        mdn_message_id: str | None = None,
    ) -> SentMessage | None:
        """A receipt for a message sent: recorded per recipient (a second receipt from the
        same recipient replaces the first), and the message's receipt state becomes ``error``
        when any receipt is an error, ``processed`` once every recipient's is in. None when
        no message sent has that Message-ID."""
        key = normalize_message_id(original_message_id)
        _receipt_state(disposition, code)  # an empty disposition is refused here
        at = time.time() if at is None else at
        receipt = (disposition, code, label, at, final_recipient, mdn_message_id)
        sent_id = await self.store.write(_record_mdn, key, receipt)
        return None if sent_id is None else self.get_sent(sent_id)


# --- rows ----------------------------------------------------------------------------------

_SUMMARY = (
    "id, mailbox, uidvalidity, uid, received_at, message_id, sender, subject, date, "
    "patient_ins, unread, critical, abnormal, contains_biology, package_error, parse_error, "
    "receipt_to, is_report, ack_state, ack_code, ack_label, ack_message_id, acked_at, "
    # A listing shows them without loading each message's parsed data (bodies, headers).
    "json_extract(parsed, '$.patient') AS patient, "
    "COALESCE(json_array_length(parsed, '$.documents'), 0) AS documents"
)


def _received(row: sqlite3.Row) -> ReceivedMessage:
    ack = None
    if row["ack_state"] is not None:
        ack = Ack(
            row["ack_state"],
            row["ack_code"],
            row["ack_label"],
            row["ack_message_id"],
            row["acked_at"],
        )
    parsed = None
    if "parsed" in row.keys() and row["parsed"] is not None:
        parsed = json.loads(row["parsed"])
    return ReceivedMessage(
        id=row["id"],
        mailbox=row["mailbox"],
        uidvalidity=row["uidvalidity"],
        uid=row["uid"],
        received_at=row["received_at"],
        message_id=row["message_id"],
        sender=row["sender"],
        subject=row["subject"],
        date=row["date"],
        patient_ins=row["patient_ins"],
        unread=bool(row["unread"]),
        critical=bool(row["critical"]),
        abnormal=bool(row["abnormal"]),
        contains_biology=bool(row["contains_biology"]),
        package_error=row["package_error"],
        parse_error=row["parse_error"],
        receipt_to=row["receipt_to"],
        is_report=bool(row["is_report"]),
        ack=ack,
        patient=None if row["patient"] is None else json.loads(row["patient"]),
        documents=row["documents"],
        parsed=parsed,
    )


def _text(parsed: dict[str, Any], key: str) -> str | None:
    value = parsed.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"parsed/{key}: expected a string, got {type(value).__name__}")
    return value


def _timestamp(value: Any) -> float | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"parsed/date: expected an ISO 8601 string, got {type(value).__name__}")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"parsed/date: not an ISO 8601 time: {value!r}") from None
    if when.tzinfo is None:
        raise ValueError(f"parsed/date: {value!r} has no offset")
    return when.timestamp()


def _received_row(
    parsed: dict[str, Any] | None, parse_error: str | None
) -> tuple[dict[str, Any], list[tuple[int, str | None, str | None, bytes]]]:
    row: dict[str, Any] = {"parse_error": parse_error, "parsed": None}
    documents: list[tuple[int, str | None, str | None, bytes]] = []
    if parsed is None:
        return row, documents
    if not isinstance(parsed, dict):
        raise ValueError(f"parsed: expected a dict, got {type(parsed).__name__}")
    parsed = dict(parsed)
    flags = dict.fromkeys(FLAGS, False)
    for key in ("documents", "attachments"):
        entries = parsed.get(key) or []
        if not isinstance(entries, list):
            raise ValueError(f"parsed/{key}: expected a list")
        kept = []
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ValueError(f"parsed/{key}/{i}: expected a dict")
            entry = dict(entry)
            content = entry.pop("content", None)
            if content is not None:
                if not isinstance(content, bytes | bytearray):
                    raise ValueError(f"parsed/{key}/{i}/content: expected bytes")
                n = len(documents)
                name = entry.get("filename") or entry.get("name")
                documents.append((n, name, entry.get("media_type"), bytes(content)))
                entry.update(n=n, size=len(content))
            for flag in FLAGS:
                flags[flag] |= bool((entry.get("flags") or {}).get(flag))
            kept.append(entry)
        if key in parsed:
            parsed[key] = kept
    patient = parsed.get("patient") or {}
    ins = (patient.get("ins") or {}) if isinstance(patient, dict) else {}
    try:
        encoded = json.dumps(parsed, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"parsed: not JSON-able ({exc})") from None
    row.update(
        parsed=encoded,
        message_id=_text(parsed, "message_id"),
        sender=_text(parsed, "sender"),
        subject=_text(parsed, "subject"),
        date=_timestamp(parsed.get("date")),
        receipt_to=_text(parsed, "receipt_to"),
        package_error=_text(parsed, "package_error"),
        patient_ins=ins.get("matricule") if isinstance(ins, dict) else None,
        is_report=int(parsed.get("report") is not None),
        **{flag: int(value) for flag, value in flags.items()},
    )
    return row, documents


def _insert_received(
    conn: sqlite3.Connection,
    row: dict[str, Any],
    documents: list[tuple[int, str | None, str | None, bytes]],
) -> tuple[int, bool]:
    found = conn.execute(
        "SELECT id FROM received WHERE mailbox = ? AND uidvalidity = ? AND uid = ?",
        [row["mailbox"], row["uidvalidity"], row["uid"]],
    ).fetchone()
    if found is not None:
        return found[0], False
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    id = conn.execute(
        f"INSERT INTO received ({columns}) VALUES ({marks})", list(row.values())
    ).lastrowid
    conn.executemany(
        "INSERT INTO received_documents (received_id, n, filename, media_type, content) "
        "VALUES (?, ?, ?, ?, ?)",
        [(id, *document) for document in documents],
    )
    conn.execute(
        "DELETE FROM parse_failures WHERE mailbox = ? AND uidvalidity = ? AND uid = ?",
        [row["mailbox"], row["uidvalidity"], row["uid"]],
    )
    return id, True


def _note_failure(
    conn: sqlite3.Connection, mailbox: str, uidvalidity: int, uid: int, error: str
) -> int:
    return conn.execute(
        "INSERT INTO parse_failures VALUES (?, ?, ?, 1, ?) "
        "ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE SET "
        "attempts = attempts + 1, last_error = excluded.last_error RETURNING attempts",
        [mailbox, uidvalidity, uid, error],
    ).fetchone()[0]


def _insert_sent(conn: sqlite3.Connection, row: dict[str, Any]) -> int:
    found = conn.execute("SELECT id FROM sent WHERE message_id = ?", [row["message_id"]]).fetchone()
    if found is not None:
        return found[0]
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    return conn.execute(
        f"INSERT INTO sent ({columns}) VALUES ({marks})", list(row.values())
    ).lastrowid


def _receipt_state(disposition: str, code: str | None) -> str:
    kind = disposition.strip().lower()
    if not kind:
        raise ValueError("disposition: empty")
    return "processed" if kind in POSITIVE and not code else "error"


def _record_mdn(conn: sqlite3.Connection, message_id: str, receipt: tuple) -> int | None:
    disposition, code, label, at, final_recipient, mdn_message_id = receipt
    sent = conn.execute(
        "SELECT id, recipients, receipt FROM sent WHERE message_id = ?", [message_id]
    ).fetchone()
    if sent is None:
        return None
    recipient = (final_recipient or "").strip().lower() or f"(unnamed) {mdn_message_id or at}"
    conn.execute(
        "INSERT INTO sent_receipts VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (sent_id, recipient) DO UPDATE SET disposition = excluded.disposition, "
        "code = excluded.code, label = excluded.label, at = excluded.at, "
        "mdn_message_id = excluded.mdn_message_id",
        [sent["id"], recipient, disposition, code, label, at, mdn_message_id],
    )
    receipts = conn.execute(
        "SELECT recipient, disposition, code, label, at FROM sent_receipts WHERE sent_id = ? "
        "ORDER BY at",
        [sent["id"]],
    ).fetchall()
    errors = [r for r in receipts if _receipt_state(r["disposition"], r["code"]) == "error"]
    wanted = {r.strip().lower() for r in json.loads(sent["recipients"])}
    if errors:
        first = errors[0]
        values = ("error", first["code"], first["label"], first["at"])
    elif len(receipts) >= len(wanted):
        # Every recipient answered (a receipt naming no recipient counts as one of them).
        values = ("processed", None, None, at)
    else:
        values = (sent["receipt"] if sent["receipt"] != "none" else "requested", None, None, None)
    conn.execute(
        "UPDATE sent SET receipt = ?, receipt_code = ?, receipt_label = ?, receipt_at = ? "
        "WHERE id = ?",
        [*values, sent["id"]],
    )
    return sent["id"]


def _sent(reader: sqlite3.Connection, where: str, arg: Any) -> SentMessage | None:
    row = reader.execute(f"SELECT * FROM sent WHERE {where} ORDER BY id LIMIT 1", [arg]).fetchone()
    if row is None:
        return None
    receipts = [
        Receipt(
            r["recipient"], r["disposition"], r["code"], r["label"], r["at"], r["mdn_message_id"]
        )
        for r in reader.execute(
            "SELECT * FROM sent_receipts WHERE sent_id = ? ORDER BY at", [row["id"]]
        )
    ]
    return SentMessage(
        id=row["id"],
        message_id=row["message_id"],
        item_id=row["item_id"],
        sender=row["sender"],
        recipients=json.loads(row["recipients"]),
        patient_ins=row["patient_ins"],
        subject=row["subject"],
        created_at=row["created_at"],
        receipt=row["receipt"],
        receipt_code=row["receipt_code"],
        receipt_label=row["receipt_label"],
        receipt_at=row["receipt_at"],
        receipts=receipts,
    )
