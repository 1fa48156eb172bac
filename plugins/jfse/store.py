"""The practice's care sheets (FSE) and lots in SQLite, as the jFSE plugin keeps them.

An invoice is numbered once, before the engine first sees it: the engine keys on that number,
so pricing or securing it again is never a second invoice. A lot is numbered once, when it is
formed, for the same reason: transmitting it again is never a second lot.

States (``INVOICE_STATES``): ``draft`` → ``securing`` → ``secured`` → ``sent`` (its lot
transmitted) → ``accepted`` (ARL+) or ``rejected`` (ARL−) → ``paid`` or ``payment_rejected``;
``cancelled``. ``securing`` is the claim one request holds while the beneficiary signs and the
engine validates: a second request for the same draft finds it taken, and a failure puts it
back to ``draft`` (so does the next start, after a crash). A secured invoice belongs to a lot
(``lot_id``) from the moment the lot is queued; it can be cancelled only before. Lots
(``LOT_STATES``): ``queued`` → ``transmitted`` → ``accepted`` or ``rejected``; a rejected lot
transmitted again goes back to ``transmitted``.

Listing pages by ``(created_at, id)``, newest first: the cursor is the last row's pair, so a
page never repeats or skips a row, whatever is created meanwhile.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiguillage.plugin import Store

log = logging.getLogger("aiguillage.plugins.jfse")
INVOICE_STATES = (
    "draft",
    "securing",
    "secured",
    "sent",
    "accepted",
    "rejected",
    "paid",
    "payment_rejected",
    "cancelled",
)
LOT_STATES = ("queued", "transmitted", "accepted", "rejected")


def lottable(invoice: Invoice) -> bool:
    """Whether a new lot may take the invoice: secured and in no lot yet, or in a lot the
    insurer rejected (ARL−), once the cause is fixed. A secured invoice already in a lot is
    that lot's: a second lot taking it would leave the first one never sent."""
    return (invoice.state == "secured" and invoice.lot_id is None) or invoice.state == "rejected"


def _states(states: Sequence[str]) -> str:
    return ", ".join(f"'{s}'" for s in states)


def _create_tables(db: Any) -> None:
    db.execute(
        f"""CREATE TABLE invoices (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ({_states(INVOICE_STATES)})),
            date TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('apcv', 'vitale', 'manual')),
            apcv_session TEXT,
            apcv_index INTEGER,
            patient_ins TEXT,
            patient_name TEXT,
            draft TEXT NOT NULL,
            priced TEXT NOT NULL,
            secured TEXT,
            fse_number TEXT,
            destination TEXT,
            lot_id TEXT,
            reason TEXT,
            returns TEXT NOT NULL DEFAULT '[]',
            practitioner TEXT NOT NULL,
            client TEXT,
            request_id TEXT
        )"""
    )
    db.execute("CREATE INDEX invoices_page ON invoices (created_at, id)")
    db.execute("CREATE INDEX invoices_state ON invoices (state, created_at, id)")
    db.execute("CREATE INDEX invoices_date ON invoices (date)")
    db.execute("CREATE INDEX invoices_fse ON invoices (fse_number)")
    db.execute("CREATE INDEX invoices_lot ON invoices (lot_id)")
    db.execute(
        f"""CREATE TABLE lots (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            destination TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ({_states(LOT_STATES)})),
            invoices TEXT NOT NULL,
            fse_numbers TEXT NOT NULL,
            item_id INTEGER,
            request_key TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            transmitted_at INTEGER,
            acknowledged_at INTEGER,
            reason TEXT,
            rejected TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("CREATE INDEX lots_page ON lots (created_at, id)")
    db.execute("CREATE INDEX lots_state ON lots (state, created_at, id)")
    db.execute("CREATE INDEX lots_key ON lots (request_key)")
    # Numbers handed out (invoice, lot) and the position in the engine's stream of returns.
    db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")


def _create_owed(db: Any) -> None:
    # Journal rows owed for returns applied: written in the transaction that applies the
    # return, deleted once the journal has the row, so a crash between loses no row.
    db.execute(
        """CREATE TABLE journal_owed (
            sequence INTEGER PRIMARY KEY,
            invoice_id TEXT NOT NULL,
            notice TEXT NOT NULL,
            exchanges TEXT NOT NULL
        )"""
    )


MIGRATIONS = [_create_tables, _create_owed]


def now_us() -> int:
    """Now, in microseconds: times are integers so that a page cursor is exact."""
    return time.time_ns() // 1000


def seconds(us: int | None) -> float | None:
    return None if us is None else us / 1_000_000


class Conflict(Exception):
    """The invoice or lot is not in a state that allows the change (a 409 for the API)."""

    def __init__(self, message: str, ids: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.ids = tuple(ids)


@dataclass
class Invoice:
    id: str
    number: str
    state: str
    date: str
    created_at: int
    updated_at: int
    source: str
    apcv_session: str | None
    apcv_index: int | None
    patient_ins: str | None
    patient_name: str | None
    #: The invoice as asked: beneficiary, date, pathway, nature, exoneration, third-party
    #: payment, acts (the API's shapes).
    draft: dict[str, Any]
    #: What the engine computed: lines and amounts (decimal strings), messages.
    priced: dict[str, Any]
    #: ``{"fse_number", "mode", "degraded", "secured_at", "destination"}`` once secured.
    secured: dict[str, Any] | None
    fse_number: str | None
    destination: str | None
    lot_id: str | None
    reason: str | None
    returns: list[dict[str, Any]]
    #: The practitioner who bills (``Practitioner`` fields).
    practitioner: dict[str, Any]
    client: str | None
    request_id: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Invoice:
        return cls(
            id=row["id"],
            number=row["number"],
            state=row["state"],
            date=row["date"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            source=row["source"],
            apcv_session=row["apcv_session"],
            apcv_index=row["apcv_index"],
            patient_ins=row["patient_ins"],
            patient_name=row["patient_name"],
            draft=json.loads(row["draft"]),
            priced=json.loads(row["priced"]),
            secured=json.loads(row["secured"]) if row["secured"] else None,
            fse_number=row["fse_number"],
            destination=row["destination"],
            lot_id=row["lot_id"],
            reason=row["reason"],
            returns=json.loads(row["returns"]),
            practitioner=json.loads(row["practitioner"]),
            client=row["client"],
            request_id=row["request_id"],
        )

    def event(self) -> dict[str, Any]:
        """What ``fse.invoice`` on the event stream says of it."""
        return {
            "id": self.id,
            "number": self.number,
            "state": self.state,
            "fse_number": self.fse_number,
            "lot": self.lot_id,
            "reason": self.reason,
        }


@dataclass
class Lot:
    id: str
    number: str
    destination: str
    state: str
    invoices: list[str]
    fse_numbers: list[str]
    item_id: int | None
    created_at: int
    updated_at: int
    transmitted_at: int | None = None
    acknowledged_at: int | None = None
    reason: str | None = None
    rejected: list[str] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Lot:
        return cls(
            id=row["id"],
            number=row["number"],
            destination=row["destination"],
            state=row["state"],
            invoices=json.loads(row["invoices"]),
            fse_numbers=json.loads(row["fse_numbers"]),
            item_id=row["item_id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            transmitted_at=row["transmitted_at"],
            acknowledged_at=row["acknowledged_at"],
            reason=row["reason"],
            rejected=json.loads(row["rejected"]),
        )

    def event(self) -> dict[str, Any]:
        """What ``fse.lot`` on the event stream says of it."""
        return {
            "id": self.id,
            "number": self.number,
            "destination": self.destination,
            "state": self.state,
            "invoices": self.invoices,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class NewInvoice:
    """What ``create_invoice`` stores: an invoice the engine priced under ``number``."""

    number: str
    date: str
    source: str
    apcv_session: str | None
    apcv_index: int | None
    patient_ins: str | None
    patient_name: str | None
    draft: dict[str, Any]
    priced: dict[str, Any]
    practitioner: dict[str, Any]
    client: str | None
    request_id: str | None


@dataclass(frozen=True)
class OwedRow:
    """A journal row owed for a return applied (``journal_owed``)."""

    sequence: int
    invoice_id: str
    notice: dict[str, Any]
    exchanges: list[Any]


@dataclass(frozen=True)
class NewLot:
    """One lot to form: a destination and its invoices (ids, with their FSE numbers)."""

    destination: str
    invoices: tuple[str, ...]
    fse_numbers: tuple[str, ...]


def _next(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
        [name],
    ).fetchone()
    return row[0]


def _invoice(conn: sqlite3.Connection, invoice_id: str) -> Invoice | None:
    row = conn.execute("SELECT * FROM invoices WHERE id = ?", [invoice_id]).fetchone()
    return None if row is None else Invoice.from_row(row)


def _lot(conn: sqlite3.Connection, lot_id: str) -> Lot | None:
    row = conn.execute("SELECT * FROM lots WHERE id = ?", [lot_id]).fetchone()
    return None if row is None else Lot.from_row(row)


def _insert_invoice(conn: sqlite3.Connection, new: NewInvoice) -> Invoice:
    at = now_us()
    invoice_id = f"fse_{secrets.token_hex(8)}"
    conn.execute(
        "INSERT INTO invoices (id, number, state, date, created_at, updated_at, source, "
        "apcv_session, apcv_index, patient_ins, patient_name, draft, priced, practitioner, "
        "client, request_id) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            invoice_id,
            new.number,
            new.date,
            at,
            at,
            new.source,
            new.apcv_session,
            new.apcv_index,
            new.patient_ins,
            new.patient_name,
            json.dumps(new.draft, ensure_ascii=False),
            json.dumps(new.priced, ensure_ascii=False),
            json.dumps(new.practitioner, ensure_ascii=False),
            new.client,
            new.request_id,
        ],
    )
    found = _invoice(conn, invoice_id)
    assert found is not None
    return found


def _transition(
    conn: sqlite3.Connection,
    invoice_id: str,
    allowed: Sequence[str],
    state: str,
    changes: dict[str, Any],
    free_of_lot: bool,
) -> Invoice | None:
    invoice = _invoice(conn, invoice_id)
    if invoice is None:
        return None
    if invoice.state not in allowed or (free_of_lot and invoice.lot_id is not None):
        where = f" (in lot {invoice.lot_id})" if invoice.lot_id and free_of_lot else ""
        raise Conflict(f"invoice {invoice_id} is {invoice.state}{where}", [invoice_id])
    columns = {"state": state, "updated_at": now_us(), **changes}
    sets = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE invoices SET {sets} WHERE id = ?", [*columns.values(), invoice_id])
    return _invoice(conn, invoice_id)


def _delete_draft(conn: sqlite3.Connection, invoice_id: str) -> Invoice | None:
    invoice = _invoice(conn, invoice_id)
    if invoice is None:
        return None
    if invoice.state != "draft":
        raise Conflict(f"invoice {invoice_id} is {invoice.state}: only a draft is deleted")
    conn.execute("DELETE FROM invoices WHERE id = ?", [invoice_id])
    return invoice


def _form_lots(
    conn: sqlite3.Connection, lots: Sequence[NewLot], request_key: str | None
) -> list[Lot]:
    at = now_us()
    formed = []
    for new in lots:
        # Checked again here, in the transaction: another request may have taken one meanwhile.
        taken = [
            i for i in new.invoices if (found := _invoice(conn, i)) is None or not lottable(found)
        ]
        if taken:
            raise Conflict(f"no longer secured outside a lot: {', '.join(taken)}", taken)
        number = f"{_next(conn, 'lot'):09d}"
        lot_id = f"lot_{secrets.token_hex(8)}"
        conn.execute(
            "INSERT INTO lots (id, number, destination, state, invoices, fse_numbers, "
            "request_key, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)",
            [
                lot_id,
                number,
                new.destination,
                json.dumps(list(new.invoices)),
                json.dumps(list(new.fse_numbers)),
                request_key,
                at,
                at,
            ],
        )
        marks = ", ".join("?" for _ in new.invoices)
        # A rejected invoice put in a new lot is secured again, waiting for that lot.
        conn.execute(
            f"UPDATE invoices SET lot_id = ?, state = 'secured', reason = NULL, updated_at = ? "
            f"WHERE id IN ({marks})",
            [lot_id, at, *new.invoices],
        )
        lot = _lot(conn, lot_id)
        assert lot is not None
        formed.append(lot)
    return formed


def _undo_lots(conn: sqlite3.Connection, lot_ids: Sequence[str]) -> int:
    """Take back lots that never reached the outbox: their invoices are free again."""
    undone = 0
    for lot_id in lot_ids:
        lot = _lot(conn, lot_id)
        if lot is None or lot.item_id is not None:
            continue
        marks = ", ".join("?" for _ in lot.invoices)
        conn.execute(
            f"UPDATE invoices SET lot_id = NULL, updated_at = ? WHERE lot_id = ? "
            f"AND id IN ({marks})",
            [now_us(), lot_id, *lot.invoices],
        )
        conn.execute("DELETE FROM lots WHERE id = ?", [lot_id])
        undone += 1
    return undone


def _lot_update(
    conn: sqlite3.Connection,
    lot_id: str,
    state: str,
    lot_changes: dict[str, Any],
    invoice_state: str,
    reason: str | None,
) -> tuple[Lot, list[Invoice]]:
    """Move a lot and its invoices (those still in it) to their new states; the invoices whose
    state changed come back with the lot."""
    at = now_us()
    columns = {"state": state, "updated_at": at, **lot_changes}
    sets = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE lots SET {sets} WHERE id = ?", [*columns.values(), lot_id])
    changed = conn.execute(
        "UPDATE invoices SET state = ?, reason = ?, updated_at = ? "
        "WHERE lot_id = ? AND state != ? AND state NOT IN ('paid', 'payment_rejected') "
        "RETURNING id",
        [invoice_state, reason, at, lot_id, invoice_state],
    ).fetchall()
    lot = _lot(conn, lot_id)
    assert lot is not None
    invoices = [i for i in (_invoice(conn, row[0]) for row in changed) if i is not None]
    return lot, invoices


def _apply_return(
    conn: sqlite3.Connection, sequence: int, notice: dict[str, Any], exchanges: list[Any]
) -> Invoice | None:
    """Record one payment or rejection notice, the journal row it owes, and move past it, in
    one transaction: a crash never applies a notice twice nor skips one, nor loses its row."""
    done = conn.execute("SELECT value FROM counters WHERE name = 'returns'").fetchone()
    if done is not None and sequence <= done[0]:
        return None
    conn.execute(
        "INSERT INTO counters (name, value) VALUES ('returns', ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [sequence],
    )
    row = conn.execute(
        "SELECT * FROM invoices WHERE fse_number = ? ORDER BY created_at DESC LIMIT 1",
        [notice["fse_number"]],
    ).fetchone()
    if row is None:
        return None
    invoice = Invoice.from_row(row)
    returns = [*invoice.returns, {k: v for k, v in notice.items() if k != "fse_number"}]
    if notice["kind"] == "payment":
        # A rejection of one part stands even when the other part is paid.
        state = "payment_rejected" if invoice.state == "payment_rejected" else "paid"
        reason = invoice.reason
    else:
        state = "payment_rejected"
        reason = f"{notice['part'].upper()} {notice['code']}: {notice['label']}"
    conn.execute(
        "UPDATE invoices SET state = ?, reason = ?, returns = ?, updated_at = ? WHERE id = ?",
        [state, reason, json.dumps(returns, ensure_ascii=False), now_us(), invoice.id],
    )
    conn.execute(
        "INSERT INTO journal_owed (sequence, invoice_id, notice, exchanges) VALUES (?, ?, ?, ?)",
        [
            sequence,
            invoice.id,
            json.dumps(notice, ensure_ascii=False),
            json.dumps(exchanges, ensure_ascii=False),
        ],
    )
    return _invoice(conn, invoice.id)


def _recover(conn: sqlite3.Connection) -> int:
    """What a crash left half done, put right at start-up; how many lots were undone.

    - Lots still ``queued`` without their outbox item's id (the item was never queued, or its
      id never noted): undone, their invoices free for a new lot. A delivery of such a lot,
      if its item was queued after all, finds no lot and sends nothing.
    - A lot past ``queued`` went through a delivery, which notes its item's id before it
      transmits (``note_item``): one without is left as it is (its invoices were sent) and
      logged.
    - Invoices claimed for securing (``securing``) go back to ``draft``: securing them again
      is safe, the engine keys on their number.
    """
    orphans = [
        r[0] for r in conn.execute("SELECT id FROM lots WHERE item_id IS NULL AND state = 'queued'")
    ]
    unnoted = conn.execute(
        "SELECT id, state FROM lots WHERE item_id IS NULL AND state != 'queued'"
    ).fetchall()
    for row in unnoted:
        log.warning("jfse lot %s is %s but its outbox item is not noted: left as it is", *row)
    conn.execute(
        "UPDATE invoices SET state = 'draft', updated_at = ? WHERE state = 'securing'", [now_us()]
    )
    return _undo_lots(conn, orphans)


def _page(
    conn: sqlite3.Connection,
    table: str,
    where: list[str],
    args: list[Any],
    cursor: tuple[int, str] | None,
    limit: int,
) -> list[sqlite3.Row]:
    if cursor is not None:
        where = [*where, "(created_at, id) < (?, ?)"]
        args = [*args, *cursor]
    sql = f"SELECT * FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
    return conn.execute(sql, [*args, limit]).fetchall()


def cursor_of(created_at: int, row_id: str) -> str:
    return f"{created_at}.{row_id}"


def parse_cursor(text: str) -> tuple[int, str] | None:
    """``created_at.id`` as a page's ``next_cursor`` gives it; ``None`` when it is not one."""
    head, _, row_id = text.partition(".")
    if not head.isascii() or not head.isdigit() or len(head) > 18 or not row_id:
        return None
    return int(head), row_id


class FseStore:
    """``FseStore(config.data_dir / "fse.db")``: reads on the event loop, writes through the
    store's writer (each returns once on disk)."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path, "jfse", MIGRATIONS)

    def close(self) -> None:
        self.store.close()

    # --- invoices

    async def next_number(self) -> str:
        """A new invoice number, never handed out again (9 digits, as FSE numbers are)."""
        value = await self.store.write(_next, "invoice")
        return f"{value:09d}"

    async def create_invoice(self, new: NewInvoice) -> Invoice:
        return await self.store.write(_insert_invoice, new)

    def invoice(self, invoice_id: str) -> Invoice | None:
        return _invoice(self.store.reader, invoice_id)

    def invoices(self, ids: Iterable[str]) -> list[Invoice]:
        return [i for i in (self.invoice(x) for x in ids) if i is not None]

    async def transition(
        self,
        invoice_id: str,
        allowed: Sequence[str],
        state: str,
        free_of_lot: bool = False,
        **changes: Any,
    ) -> Invoice | None:
        """Move the invoice from one of ``allowed`` to ``state`` with ``changes`` (columns);
        ``None`` when there is no such invoice, ``Conflict`` when its state does not allow it
        (or, with ``free_of_lot``, when it is in a lot)."""
        return await self.store.write(_transition, invoice_id, allowed, state, changes, free_of_lot)

    async def delete_draft(self, invoice_id: str) -> Invoice | None:
        return await self.store.write(_delete_draft, invoice_id)

    def list_invoices(
        self,
        *,
        state: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cursor: tuple[int, str] | None = None,
        limit: int = 50,
    ) -> tuple[list[Invoice], str | None]:
        """Invoices newest first, by state and by date of care (both bounds included), and
        the cursor of the next page (``None`` on the last)."""
        where, args = [], []
        if state is not None:
            where.append("state = ?")
            args.append(state)
        if date_from is not None:
            where.append("date >= ?")
            args.append(date_from)
        if date_to is not None:
            where.append("date <= ?")
            args.append(date_to)
        rows = _page(self.store.reader, "invoices", where, args, cursor, limit)
        found = [Invoice.from_row(r) for r in rows]
        last = found[-1] if len(found) == limit else None
        return found, cursor_of(last.created_at, last.id) if last else None

    def waiting_for_a_lot(self) -> list[Invoice]:
        """Secured invoices in no lot, oldest first: what a lot takes by default."""
        rows = self.store.reader.execute(
            "SELECT * FROM invoices WHERE state = 'secured' AND lot_id IS NULL "
            "ORDER BY created_at, id"
        )
        return [Invoice.from_row(r) for r in rows]

    # --- lots

    async def form_lots(self, lots: Sequence[NewLot], request_key: str | None) -> list[Lot]:
        """Form the lots and put their invoices in them, all or none (``Conflict`` when one
        invoice was taken meanwhile)."""
        return await self.store.write(_form_lots, lots, request_key)

    def lots_of_request(self, request_key: str) -> list[Lot]:
        rows = self.store.reader.execute(
            "SELECT * FROM lots WHERE request_key = ? ORDER BY number", [request_key]
        )
        return [Lot.from_row(r) for r in rows]

    async def set_items(self, items: dict[str, int]) -> None:
        """Note each lot's outbox item (lot id → item id)."""

        def note(conn: sqlite3.Connection) -> None:
            for lot_id, item_id in items.items():
                conn.execute("UPDATE lots SET item_id = ? WHERE id = ?", [item_id, lot_id])

        await self.store.write(note)

    async def note_item(self, lot_id: str, item_id: int) -> Lot | None:
        """Note the lot's outbox item if it is not yet (a delivery may start before the
        request that queued it notes it); the lot as it is now."""

        def note(conn: sqlite3.Connection) -> Lot | None:
            conn.execute(
                "UPDATE lots SET item_id = ? WHERE id = ? AND item_id IS NULL", [item_id, lot_id]
            )
            return _lot(conn, lot_id)

        return await self.store.write(note)

    async def undo_lots(self, lot_ids: Sequence[str]) -> int:
        return await self.store.write(_undo_lots, lot_ids)

    async def recover(self) -> int:
        return await self.store.write(_recover)

    def lot(self, lot_id: str) -> Lot | None:
        return _lot(self.store.reader, lot_id)

    def list_lots(
        self,
        *,
        state: str | None = None,
        cursor: tuple[int, str] | None = None,
        limit: int = 50,
    ) -> tuple[list[Lot], str | None]:
        where, args = ([], []) if state is None else (["state = ?"], [state])
        rows = _page(self.store.reader, "lots", where, args, cursor, limit)
        found = [Lot.from_row(r) for r in rows]
        last = found[-1] if len(found) == limit else None
        return found, cursor_of(last.created_at, last.id) if last else None

    def lot_invoices(self, lot: Lot) -> list[Invoice]:
        """The lot's invoices that are still in it (one put in a newer lot has left it)."""
        return [i for i in self.invoices(lot.invoices) if i.lot_id == lot.id]

    async def lot_transmitted(self, lot_id: str) -> tuple[Lot, list[Invoice]]:
        return await self.store.write(
            _lot_update,
            lot_id,
            "transmitted",
            {"transmitted_at": now_us(), "reason": None, "rejected": "[]"},
            "sent",
            None,
        )

    async def lot_acknowledged(
        self,
        lot_id: str,
        accepted: bool,
        at: int,
        reason: str = "",
        rejected: Sequence[str] = (),
    ) -> tuple[Lot, list[Invoice]]:
        """The lot's ARL: positive (lot and invoices ``accepted``) or negative (``rejected``,
        with the reason kept on each)."""
        if accepted:
            return await self.store.write(
                _lot_update, lot_id, "accepted", {"acknowledged_at": at}, "accepted", None
            )
        changes = {"acknowledged_at": at, "reason": reason, "rejected": json.dumps(list(rejected))}
        return await self.store.write(_lot_update, lot_id, "rejected", changes, "rejected", reason)

    # --- returns

    def returns_after(self) -> int:
        """The last return applied (0: none yet)."""
        row = self.store.reader.execute(
            "SELECT value FROM counters WHERE name = 'returns'"
        ).fetchone()
        return 0 if row is None else row[0]

    async def apply_return(
        self, sequence: int, notice: dict[str, Any], exchanges: list[Any]
    ) -> Invoice | None:
        """Apply a return (``notice``: ``fse_number``, ``kind``, ``part``, ``amount``,
        ``payer``, ``code``, ``label``, ``at``) and keep the journal row it owes (with the
        ``exchanges`` that read it) until ``journaled``; the invoice it changed, or
        ``None``."""
        return await self.store.write(_apply_return, sequence, notice, exchanges)

    def journal_owed(self) -> list[OwedRow]:
        """The journal rows owed for returns applied, oldest first."""
        rows = self.store.reader.execute(
            "SELECT sequence, invoice_id, notice, exchanges FROM journal_owed ORDER BY sequence"
        ).fetchall()
        return [OwedRow(r[0], r[1], json.loads(r[2]), json.loads(r[3])) for r in rows]

    async def journaled(self, sequence: int) -> None:
        """The journal has the row owed for return ``sequence``."""

        def drop(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM journal_owed WHERE sequence = ?", [sequence])

        await self.store.write(drop)
