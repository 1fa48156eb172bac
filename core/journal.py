"""The journal: an append-only, hash-chained trace of every exchange with a national service and
of the identity actions an EHR reports (the "journal des traces" Ségur certification asks for).

Each row stores ``hash = SHA-256(prev_hash + canonical JSON of the row)``. ``journal_head``
holds the last (seq, hash) and ``journal_anchor`` the previous hash of the first kept row, so
``verify`` notices an edited, deleted, reordered or truncated row. A retention purge deletes old
rows, moves the anchor to the first kept row, and is itself journaled.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from aiguillage import store
from aiguillage.problems import printable

GENESIS = "0" * 64
#: Columns of a journal row, in export order.
COLUMNS = (
    "seq",
    "time",
    "request_id",
    "client",
    "practitioner_id",
    "practitioner_name",
    "patient_ins",
    "patient_name",
    "event",
    "outcome",
    "summary",
    "request",
    "response",
)


@dataclass
class Entry:
    """One thing to journal. ``request`` / ``response`` are what was exchanged (any JSON-able
    value or text); they are stored capped at ``[journal] max_exchange_bytes``."""

    event: str
    summary: str
    outcome: str = "ok"
    request_id: str | None = None
    client: str | None = None
    practitioner_id: str | None = None
    practitioner_name: str | None = None
    patient_ins: str | None = None
    patient_name: str | None = None
    request: Any = None
    response: Any = None


@dataclass
class Verification:
    ok: bool
    rows: int
    broken_at: int | None = None
    reason: str = ""
    #: The last row verified, when the chain holds: where a later walk may resume.
    last_seq: int | None = None
    last_hash: str | None = None
    #: Whether the walk resumed after the row it was given (else it walked the whole chain).
    resumed: bool = False


def _create_tables(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            request_id TEXT,
            client TEXT,
            practitioner_id TEXT,
            practitioner_name TEXT,
            patient_ins TEXT,
            patient_name TEXT,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            summary TEXT NOT NULL,
            request TEXT,
            response TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX journal_time ON journal (time)")
    db.execute("CREATE INDEX journal_patient ON journal (patient_ins)")
    db.execute("CREATE INDEX journal_event ON journal (event, seq)")
    db.execute(
        "CREATE TABLE journal_head (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "seq INTEGER NOT NULL, hash TEXT NOT NULL)"
    )
    db.execute("INSERT INTO journal_head VALUES (1, 0, ?)", [GENESIS])
    db.execute(
        "CREATE TABLE journal_anchor (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "seq INTEGER NOT NULL, prev_hash TEXT NOT NULL)"
    )
    db.execute("INSERT INTO journal_anchor VALUES (1, 1, ?)", [GENESIS])


def _create_checkpoint_mark(db: sqlite_utils.Database) -> None:
    # seq/hash: the head about to be checkpointed to journal.checkpoints. Updating it is the
    # durable write that makes every row up to that head survive a power cut before the
    # checkpoint line claims them. line_seq/line_hash: the last line that reached the file,
    # recorded only once it is synced: a file that lacks it was cut back (a mark of a line
    # never written would make that check cry wolf after a crash).
    db.execute(
        "CREATE TABLE journal_checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "seq INTEGER NOT NULL, hash TEXT NOT NULL, at REAL NOT NULL, "
        "line_seq INTEGER, line_hash TEXT)"
    )


def _index_filters(db: sqlite_utils.Database) -> None:
    # The console's filters, each answered from an index at a million rows: an outcome, and
    # the start of a patient's names (case-insensitive: the index's collation is the one the
    # range in ``select`` compares with). An index holds the row's seq after its key, so
    # ``WHERE outcome = ? ORDER BY seq DESC`` walks it in order with no sort.
    db.execute("CREATE INDEX journal_outcome ON journal (outcome)")
    db.execute("CREATE INDEX journal_patient_name ON journal (patient_name COLLATE NOCASE)")


MIGRATIONS = [_create_tables, _create_checkpoint_mark, _index_filters]


def iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(timespec="microseconds")


def canonical(row: dict[str, Any]) -> bytes:
    return json.dumps(
        {k: row[k] for k in COLUMNS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def chain_hash(prev_hash: str, row: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


def _exchange(value: Any, cap: int) -> str | None:
    if value is None:
        return None
    text = printable(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    data = text.encode()
    if len(data) <= cap:
        return text
    kept = data[:cap].decode(errors="ignore")
    return f"{kept}…[truncated: {len(data)} bytes in all]"


def append(conn: sqlite3.Connection, entry: Entry, now: float, cap: int) -> dict[str, Any]:
    """Add one row at the head of the chain (inside the caller's transaction)."""
    head = conn.execute("SELECT seq, hash FROM journal_head").fetchone()
    # A row that cannot be written is evidence lost: text UTF-8 cannot hold (an undecodable
    # header quoted in a refusal) is kept as escapes instead.
    fields = {
        k: printable(v) if isinstance(v, str) else v
        for k, v in asdict(entry).items()
        if k not in ("request", "response")  # _exchange makes those printable
    }
    row = {
        **fields,
        "seq": head["seq"] + 1,
        "time": iso(now),
        "request": _exchange(entry.request, cap),
        "response": _exchange(entry.response, cap),
    }
    row["prev_hash"] = head["hash"]
    row["hash"] = chain_hash(head["hash"], row)
    names = [*COLUMNS, "prev_hash", "hash"]
    conn.execute(
        f"INSERT INTO journal ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [row[n] for n in names],
    )
    conn.execute("UPDATE journal_head SET seq = ?, hash = ?", [row["seq"], row["hash"]])
    return row


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """The chain's head: the last row's seq and hash (0 and the genesis hash when empty)."""
    row = conn.execute("SELECT seq, hash FROM journal_head").fetchone()
    return row[0], row[1]


def mark_checkpoint(conn: sqlite3.Connection, now: float) -> tuple[int, str]:
    """Record the head about to be checkpointed (inside the caller's transaction)."""
    seq, hash_ = head(conn)
    conn.execute(
        "INSERT INTO journal_checkpoint (id, seq, hash, at) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at",
        [seq, hash_, now],
    )
    return seq, hash_


def mark_line_written(conn: sqlite3.Connection, seq: int, hash_: str) -> None:
    """Record that the checkpoint line of row ``seq`` is in the checkpoint file."""
    conn.execute("UPDATE journal_checkpoint SET line_seq = ?, line_hash = ?", [seq, hash_])


def line_written(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The last checkpoint line recorded as written to the file (``None``: none, or a journal
    from before checkpoints)."""
    try:
        row = conn.execute("SELECT line_seq, line_hash FROM journal_checkpoint").fetchone()
    except sqlite3.OperationalError:
        return None
    return (row[0], row[1]) if row and row[0] is not None else None


def purge_gap(conn: sqlite3.Connection) -> str | None:
    """Why the chain's first row is not row 1, when no retention purge explains it (``None``:
    it is row 1, or the last ``journal.purged`` row says the purge ended just before it).

    ``purge`` moves the anchor and journals the row it deleted up to in one transaction, and a
    later purge journals its own: so the last ``journal.purged`` row always names the anchor.
    Row times cannot tell the same thing: retention may have been longer or shorter when the
    purge ran, and clocks move."""
    (anchor,) = conn.execute("SELECT seq FROM journal_anchor").fetchone()
    if anchor <= 1:
        return None
    row = conn.execute(
        "SELECT request FROM journal WHERE event = 'journal.purged' ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    purged_to = json.loads(row[0]).get("last_deleted_seq") if row and row[0] else None
    if purged_to == anchor - 1:
        return None
    recorded = (
        f"the last purge journaled ends at row {purged_to}" if row else "no purge is journaled"
    )
    return (
        f"the journal starts at row {anchor}, but {recorded}: rows 1 to {anchor - 1} were deleted"
    )


def purge(conn: sqlite3.Connection, before: float, now: float, cap: int) -> int:
    """Delete rows older than ``before``, re-anchor the chain, and journal the purge."""
    cutoff = iso(before)
    last = conn.execute("SELECT max(seq) FROM journal WHERE time < ?", [cutoff]).fetchone()[0]
    if last is None:
        return 0
    deleted = conn.execute("DELETE FROM journal WHERE seq <= ?", [last]).rowcount
    first = conn.execute("SELECT seq, prev_hash FROM journal ORDER BY seq LIMIT 1").fetchone()
    if first is not None:
        conn.execute("UPDATE journal_anchor SET seq = ?, prev_hash = ?", list(first))
    else:  # everything went: the next row anchors on the head
        head = conn.execute("SELECT seq, hash FROM journal_head").fetchone()
        conn.execute(
            "UPDATE journal_anchor SET seq = ?, prev_hash = ?", [head["seq"] + 1, head["hash"]]
        )
    append(
        conn,
        Entry(
            event="journal.purged",
            summary=f"{deleted} rows older than {cutoff} deleted (retention); chain re-anchored",
            request={"before": cutoff, "deleted_rows": deleted, "last_deleted_seq": last},
        ),
        now,
        cap,
    )
    return deleted


def verify(
    conn: sqlite3.Connection,
    start: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Walk the chain; report the first row where it breaks.

    ``start`` is the (seq, hash) of a row an earlier walk verified: the walk then checks only
    the rows after it, once that row is still there with that hash (else it walks everything,
    which names what changed). ``progress`` is told the rows checked so far, every 10,000."""
    anchor = conn.execute("SELECT seq, prev_hash FROM journal_anchor").fetchone()
    head = conn.execute("SELECT seq, hash FROM journal_head").fetchone()
    gap = purge_gap(conn)
    if gap is not None:
        return Verification(False, 0, 1, gap)
    expected_seq, expected_prev = anchor["seq"], anchor["prev_hash"]
    resumed = start is not None and start[0] >= anchor["seq"] - 1 and _still(conn, start)
    if resumed and start is not None:
        expected_seq, expected_prev = start[0] + 1, start[1]
    count = 0
    last_seq, last_hash = expected_seq - 1, expected_prev
    rows = conn.execute("SELECT * FROM journal WHERE seq >= ? ORDER BY seq", [expected_seq])
    for row in rows:
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(count)
        seq = row["seq"]
        if seq != expected_seq:
            return Verification(
                False, count, expected_seq, f"row {expected_seq} is missing (next row is {seq})"
            )
        if row["prev_hash"] != expected_prev:
            if seq > anchor["seq"] and chain_hash(row["prev_hash"], dict(row)) == row["hash"]:
                # This row is intact but links to another hash than the previous row's: that
                # row was edited and its own hash recomputed to hide it.
                return Verification(
                    False,
                    count,
                    seq - 1,
                    f"row {seq - 1} was modified after it was written (its hash recomputed; "
                    f"row {seq} still links to the old one)",
                )
            return Verification(
                False, count, seq, f"row {seq} does not follow row {seq - 1} (deleted or reordered)"
            )
        if chain_hash(row["prev_hash"], dict(row)) != row["hash"]:
            return Verification(False, count, seq, f"row {seq} was modified after it was written")
        expected_seq, expected_prev = seq + 1, row["hash"]
        last_seq, last_hash = seq, row["hash"]
    if last_seq < head["seq"]:
        return Verification(
            False,
            count,
            last_seq + 1,
            f"rows {last_seq + 1} to {head['seq']} are missing (deleted)",
        )
    if last_seq > head["seq"]:
        return Verification(
            False,
            count,
            head["seq"] + 1,
            f"rows {head['seq'] + 1} to {last_seq} are past the chain's head (added)",
        )
    if last_hash != head["hash"]:  # the last row edited, its own hash recomputed
        return Verification(
            False,
            count,
            last_seq,
            f"row {last_seq} was modified after it was written (the head holds another hash)",
        )
    return Verification(True, count, last_seq=last_seq, last_hash=last_hash, resumed=resumed)


def _still(conn: sqlite3.Connection, mark: tuple[int, str]) -> bool:
    """Whether the row an earlier walk verified up to is still there with the same hash (the
    anchor stands for the last row a purge deleted)."""
    seq, hash_ = mark
    row = conn.execute("SELECT * FROM journal WHERE seq = ?", [seq]).fetchone()
    if row is not None:  # and still what was hashed: an edit since is found by a whole walk
        return bool(row["hash"] == hash_ == chain_hash(row["prev_hash"], dict(row)))
    anchor = conn.execute("SELECT seq, prev_hash FROM journal_anchor").fetchone()
    return bool(seq == anchor[0] - 1 and anchor[1] == hash_)


@dataclass
class JournalFilter:
    since: str | None = None  # ISO 8601, compared with the stored UTC time
    until: str | None = None
    event: str | None = None
    patient: str | None = None
    outcome: str | None = None
    before_seq: int | None = None
    limit: int | None = 50
    ascending: bool = False


#: An INS matricule (or NIR): 15 characters, the department may be 2A or 2B.
INS_RE = re.compile(r"\d{5}[\dAB]{2}\d{8}")
#: Above every character a name holds: the end of a prefix's range of names.
_PAST = "\U0010ffff"
#: Rows an export reads at a time.
EXPORT_PAGE = 1000
#: Beyond this many events under a prefix, one query with all of them, not a branch each.
MAX_BRANCHES = 100


def select(conn: sqlite3.Connection, f: JournalFilter) -> Iterator[dict[str, Any]]:
    """The rows ``f`` selects, newest first (oldest first with ``ascending``), ``f.limit`` of
    them; page on with ``before_seq``, the last seq seen.

    ``event`` is a type or a prefix (``ins`` matches ``ins`` and ``ins.search``…); ``patient``
    an INS (15 characters: that exact INS), else the start of the patient's names as journaled
    (birth name first), ignoring case. Each filter is answered from an index: a page costs a
    few index seeks, not a walk of the journal, at a million rows too."""
    events = events_under(conn, f.event) if f.event else None
    if events == []:
        return
    where, args = _conditions(conn, f)
    order = "" if f.ascending else " DESC"
    if f.limit is not None:
        for row in conn.execute(*_page(where, args, events, order, int(f.limit))):
            yield {k: row[k] for k in (*COLUMNS, "hash")}
        return
    # Every row (an export): page after page, each as cheap as a listing's, so the first rows
    # go out at once and nothing is sorted whole, however many there are.
    after: list[Any] = []
    while True:
        cursor = ["seq > ?" if f.ascending else "seq < ?"] if after else []
        page = conn.execute(*_page(where + cursor, args + after, events, order, EXPORT_PAGE))
        rows = page.fetchall()
        for row in rows:
            yield {k: row[k] for k in (*COLUMNS, "hash")}
        if len(rows) < EXPORT_PAGE:
            return
        after = [rows[-1]["seq"]]


def _conditions(conn: sqlite3.Connection, f: JournalFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if f.since or f.until:
        # The rows of a period lie between two seqs, found in the time index alone (it holds
        # each row's seq); the page then walks seqs between them, checking the time: exact
        # when the clock went back and rows are out of time order, and no sort of the period.
        bounds = ["time >= ?"] * bool(f.since) + ["time < ?"] * bool(f.until)
        values = [v for v in (f.since, f.until) if v]
        low, high = conn.execute(
            f"SELECT min(seq), max(seq) FROM journal WHERE {' AND '.join(bounds)}", values
        ).fetchone()
        where += ["seq BETWEEN ? AND ?", *(f"+{b}" for b in bounds)]
        args += [low or 0, high or 0, *values]
    if f.patient:
        if INS_RE.fullmatch(f.patient):
            where.append("patient_ins = ?")
            args.append(f.patient)
        else:
            where.append("patient_name >= ? COLLATE NOCASE AND patient_name < ? COLLATE NOCASE")
            args += [f.patient, f.patient + _PAST]
    if f.outcome:
        where.append("outcome = ?")
        args.append(f.outcome)
    if f.before_seq is not None:
        where.append("seq < ?")
        args.append(f.before_seq)
    return where, args


def _page(
    where: list[str], args: list[Any], events: list[str] | None, order: str, limit: int
) -> tuple[str, list[Any]]:
    """One page: the seqs first, from an index where one serves (no row is read that the page
    does not show), then those rows. An event prefix is one branch per event, each read in
    seq order from the (event, seq) index, merged: not every row of them sorted."""

    def seqs(extra: list[str], extra_args: list[Any]) -> tuple[str, list[Any]]:
        conditions = where + extra
        sql = "SELECT seq FROM journal" + (
            f" WHERE {' AND '.join(conditions)}" if conditions else ""
        )
        return f"{sql} ORDER BY seq{order} LIMIT {limit}", args + extra_args

    if events is None:
        inner, inner_args = seqs([], [])
    elif len(events) > MAX_BRANCHES:
        inner, inner_args = seqs(
            ["event IN (SELECT value FROM json_each(?))"], [json.dumps(events)]
        )
    else:
        branches = [seqs(["event = ?"], [event]) for event in events]
        inner = " UNION ALL ".join(f"SELECT seq FROM ({sql})" for sql, _ in branches)
        inner += f" ORDER BY seq{order} LIMIT {limit}"
        inner_args = [a for _, branch_args in branches for a in branch_args]
    return f"SELECT * FROM journal WHERE seq IN ({inner}) ORDER BY seq{order}", inner_args


def events_under(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """The events the journal holds that are ``prefix`` or start with ``prefix.``: one index
    seek each, however many rows they have."""
    found = []
    if conn.execute("SELECT 1 FROM journal WHERE event = ? LIMIT 1", [prefix]).fetchone():
        found.append(prefix)
    # "." sorts just before "/": the events under the prefix lie between "ins." and "ins/".
    low, high = prefix + ".", prefix + "/"
    while True:
        (event,) = conn.execute(
            "SELECT min(event) FROM journal WHERE event >= ? AND event < ?", [low, high]
        ).fetchone()
        if event is None:
            return found
        found.append(event)
        low = event + "\x00"  # the next event after this one


def export_csv(rows: Iterator[dict[str, Any]]) -> bytes:
    return b"".join(csv_chunks(rows))


def csv_chunks(rows: Iterator[dict[str, Any]], batch: int = 1000) -> Iterator[bytes]:
    """The CSV export in pieces of ``batch`` rows (the first with the header), each whole
    lines of UTF-8: written out as they come, an export of years stays small in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    # A BOM so Excel opens the UTF-8 file with its accents intact.
    out.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_inert(row[c]) for c in COLUMNS])
        if n % batch == 0:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()


def export_xlsx(rows: Iterator[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("journal")
    sheet.append(list(COLUMNS))
    for row in rows:
        # Cells hold at most 32,767 characters; longer exchanges stay whole in the CSV export.
        sheet.append([_cell(sheet, row[c]) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: What a spreadsheet takes as the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A CSV value a spreadsheet will not run: text starting like a formula gets a ``'``
    first, as OWASP advises (a summary an EHR wrote, ``=HYPERLINK(…)``, stays text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    # Control characters an EHR sent (a name, a summary) cannot go in a worksheet: written as
    # \xNN instead of failing the whole export. The CSV export keeps them as they are.
    value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    cell = WriteOnlyCell(sheet, value[:32_000] + "…" if len(value) > 32_000 else value)
    # Always a string cell: openpyxl would store text starting with "=" as a live formula.
    cell.data_type = "s"
    return cell


def open_database(path: Path) -> sqlite3.Connection:
    return store.open_database(path, "journal", MIGRATIONS)


class Journal(store.Store):
    """The journal of a running daemon: appends go through the group-commit writer."""

    def __init__(self, data_dir: Path, max_exchange_bytes: int) -> None:
        super().__init__(data_dir / "journal.db", "journal", MIGRATIONS)
        self.cap = max_exchange_bytes
        self.path = data_dir / "journal.db"
        #: The chain's verification status (``journal_check.ChainCheck``), made on first use.
        self.chain_check: Any = None

    def close(self) -> None:
        if self.chain_check is not None:
            self.chain_check.stop()
        super().close()

    async def record(self, entry: Entry, durable: bool = True) -> dict[str, Any]:
        """Append ``entry``; returns the row once committed. ``durable=False`` skips the sync
        to disk: the row then survives a crash of the daemon but not a power cut, unless a
        later durable write (any send, any EHR record) syncs it first."""
        return await self.writer.run(
            lambda conn: append(conn, entry, time.time(), self.cap), durable=durable
        )

    def record_nowait(self, entry: Entry) -> None:
        now = time.time()
        self.writer.submit(lambda conn: append(conn, entry, now, self.cap))

    async def purge(self, before: float) -> int:
        return await self.writer.run(lambda conn: purge(conn, before, time.time(), self.cap))

    def head(self) -> tuple[int, str]:
        """The head as committed so far (not necessarily synced to disk)."""
        return head(self.reader)

    async def durable_head(self) -> tuple[int, str]:
        """The head, once every row up to it is synced to disk: what a checkpoint may claim."""
        return await self.writer.run(lambda conn: mark_checkpoint(conn, time.time()))

    async def line_written(self, seq: int, hash_: str) -> None:
        """Record that the checkpoint of row ``seq`` is in the checkpoint file. Not synced: a
        record lost to a power cut only weakens the next check."""
        await self.writer.run(lambda conn: mark_line_written(conn, seq, hash_), durable=False)
