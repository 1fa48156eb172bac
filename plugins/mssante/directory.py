"""The public MSSanté directory, offline: the ANS extraction imported into SQLite, and searched.

The extraction (``Extraction_Correspondance_MSSante``, published daily by the ANS on
annuaire.sante.fr and data.gouv.fr) is a UTF-8 text file, ``|``-separated, with a header row and
31 columns, about 536,000 rows (90 MB), often delivered as a zip holding the one ``.txt``.

An import builds a whole new database beside the live one (``directory.db.importing``) and
renames it over ``directory.db`` once complete: readers see the old directory or the new one,
never a mix, and an import that fails or is interrupted leaves the old one as it was. The live
file is never written in place, only replaced — which is what lets readers open it immutable.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import operator
import os
import re
import sqlite3
import threading
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

DB_NAME = "directory.db"
#: Rows that fail are counted; the first few are reported with their line numbers.
REPORTED_BAD_ROWS = 10
MAX_LIMIT = 200
#: Rows per ``executemany``: big enough that the per-call overhead vanishes, small enough that
#: a batch's Python lists stay a few MB.
BATCH = 5000

#: The extraction's header, in order, as the ANS publishes it.
COLUMNS = (
    "Type de BAL",
    "Adresse BAL",
    "Type Identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Type identifiant structure",
    "Identification Structure",
    "Service de rattachement",
    "Civilité d'exercice",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Catégorie profession",
    "Libellé de catégorie profession",
    "Code Profession",
    "Libellé Profession",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Dématérialisation",
    "Raison Sociale structure BAL",
    "Enseigne commerciale structure BAL",
    "L2COMPLEMENTLOCALISATION structure BAL",
    "L3COMPLEMENTDISTRIBUTION structure BAL",
    "L4NUMEROVOIE structure BAL",
    "L4COMPLEMENTNUMEROVOIE structure BAL",
    "NL4TYPEVOIE structure BAL",
    "L4LIBELLEVOIE structure BAL",
    "L5LIEUDITMENTION structure BAL",
    "L6LIGNEACHEMINEMENT structure BAL",
    "Code postal structure BAL",
    "Département structure BAL",
    "Pays structure BAL",
)
#: The table's column for each of them, in the same order.
FIELDS = (
    "type",
    "address",
    "pp_id_type",
    "rpps",
    "pp_national_id",
    "structure_id_type",
    "structure_id",
    "service",
    "civility",
    "family",
    "given",
    "category_code",
    "category",
    "profession_code",
    "profession",
    "specialty_code",
    "specialty",
    "dematerialised",
    "structure_name",
    "structure_brand",
    "line_location",
    "line_distribution",
    "street_number",
    "street_number_ext",
    "street_type",
    "street",
    "line_place",
    "line_delivery",
    "postcode",
    "department",
    "country",
)
COLUMN_COUNT = len(COLUMNS)
_AT = {name: n for n, name in enumerate(FIELDS)}
#: What ``q`` searches: the names (a person's, or the structure's and its service's for an
#: organisational mailbox), the city and the profession.
SEARCHED = ("family", "given", "structure_name", "service", "city", "profession")
#: What the exact filters look up.
FILTERED = ("rpps", "postcode", "profession_code")
#: What FTS5 indexes: the searched columns, and the postcode and profession code, which their
#: filters find there: a few thousand terms with one row list each cost less to build than a
#: B-tree index (~1 s less each on the full directory).
_INDEXED = (*SEARCHED, "postcode", "profession_code")
#: The table's columns: the row as published (``line``, read back for the few rows a search
#: answers), and a column of its own for each value FTS5 indexes or a filter looks up.
_COLUMNS = ("line", *FILTERED, *(c for c in SEARCHED if c != "city"), "city")
#: The columns of a row taken as they are, in the order of ``_COLUMNS`` (the city is made).
_pick = operator.itemgetter(*(_AT[c] for c in _COLUMNS[1:-1]))
_ADDRESS, _DELIVERY, _POSTCODE = _AT["address"], _AT["line_delivery"], _AT["postcode"]

_SCHEMA = f"""
CREATE TABLE entries (id INTEGER PRIMARY KEY, {", ".join(f"{c} TEXT" for c in _COLUMNS)});
CREATE TABLE about (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE professions (code TEXT, label TEXT);
"""
# An external-content FTS5 table: the text lives once, in ``entries``. ``prefix='1 2 3'`` keeps
# ready-made indexes of every 1-, 2- and 3-letter prefix, so "du" is one index lookup instead
# of a merge of every term starting with those letters. The 1-letter one serves the word being
# typed after another ("le g"): on the full directory such a query takes ~8 ms of CPU without
# it, ~0.3 ms with it, and it costs no measurable build time. ``detail=column``: no token
# positions, which only phrase queries need (words are searched one by one); a tenth smaller.
# ``remove_diacritics 2`` lets "hebert" find "HÉBERT". A 64 MB hash (default 1 MB) lets the
# rebuild write a few large segments instead of merging many small ones: half its time.
_INDEXES = (
    f"""CREATE VIRTUAL TABLE entries_fts USING fts5(
        {", ".join(_INDEXED)}, content='entries', content_rowid='id',
        prefix='1 2 3', detail=column, tokenize='unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO entries_fts(entries_fts, rank) VALUES ('hashsize', 67108864)",
    "INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')",
    # An organisational mailbox has no RPPS: fewer entries to sort and store.
    "CREATE INDEX entries_rpps ON entries (rpps) WHERE rpps <> ''",
    # The few professions, so a label ("Médecin") finds its code without reading every row.
    "INSERT INTO professions SELECT DISTINCT profession_code, profession FROM entries"
    " WHERE profession_code <> ''",
)
_INSERT = f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


class DirectoryError(Exception):
    """The directory cannot do what was asked; the message says why, for a human."""


class NotImported(DirectoryError):
    """No directory has been imported yet into this data dir."""


class ImportRefused(DirectoryError):
    """The file is not an extraction that can be imported (or another import is running); the
    directory in place is unchanged."""


class ImportFailed(DirectoryError):
    """The import stopped part way (unreadable archive, full disk…); the directory in place is
    unchanged."""


@dataclass
class BadRow:
    line: int  # in the text file, the header being line 1
    reason: str


@dataclass
class ImportReport:
    rows: int
    bad: int
    seconds: float
    #: The first :data:`REPORTED_BAD_ROWS` bad rows.
    first_bad: list[BadRow] = field(default_factory=list)

    def line(self) -> str:
        return f"imported {self.rows} rows ({self.bad} bad) in {self.seconds:.1f} s"


#: ``progress(bytes_read, bytes_total)``, called every batch.
Progress = Callable[[int, int], None]


# --- import -------------------------------------------------------------------------------------


def import_extraction(
    source: Path, data_dir: Path, progress: Progress | None = None
) -> ImportReport:
    """Import ``source`` (the extraction's ``.txt``, or a ``.zip`` holding it) as the directory
    of ``data_dir``, replacing the one in place only once the new one is complete.

    Bad rows (wrong column count, no mailbox address, not UTF-8) are counted and skipped.
    Raises :class:`ImportRefused` for a file that is not an extraction and :class:`ImportFailed`
    when the import stops part way; the directory in place is unchanged in both cases."""
    started = time.perf_counter()
    target = data_dir / DB_NAME
    building = data_dir / f"{DB_NAME}.importing"
    with _import_lock(data_dir):
        # What a killed import left behind: only an import holding the lock writes it.
        building.unlink(missing_ok=True)
        try:
            with _open_extraction(source) as (stream, total):
                report = _build(building, source, stream, total, progress)
            _durable_replace(building, target)
        except BaseException:
            building.unlink(missing_ok=True)
            raise
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _import_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "directory.lock", "a") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportRefused("another directory import is running on this data dir") from None
        yield


@contextlib.contextmanager
def _open_extraction(source: Path) -> Iterator[tuple[IO[bytes], int]]:
    """The extraction's text as a binary stream read as it goes (never all in memory), and its
    size in bytes; a zip (told by its content, not its name) must hold one .txt or .csv."""
    try:
        if not zipfile.is_zipfile(source):
            with open(source, "rb", buffering=1 << 20) as f:
                yield f, os.fstat(f.fileno()).st_size
            return
        with zipfile.ZipFile(source) as archive:
            texts = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith((".txt", ".csv"))
            ]
            if len(texts) != 1:
                names = ", ".join(i.filename for i in archive.infolist()) or "nothing"
                raise ImportRefused(
                    f"{source}: the zip must hold one .txt or .csv extraction; it holds {names}"
                )
            # ZipExtFile reads lines in Python; a BufferedReader over it splits them in C.
            with archive.open(texts[0]) as member:
                yield io.BufferedReader(member, 1 << 20), texts[0].file_size  # type: ignore[arg-type]
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ImportFailed(f"{source}: the archive is damaged: {exc}") from None
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | IsADirectoryError | PermissionError):
            raise ImportRefused(f"{source}: cannot read: {exc.strerror}") from None
        raise ImportFailed(f"{source}: {exc.strerror or exc}") from None


def _build(
    path: Path, source: Path, stream: IO[bytes], total: int, progress: Progress | None
) -> ImportReport:
    # Bounded: a file that is not an extraction may have no line end at all.
    header = stream.readline(64 * 1024)
    _check_header(header)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        # Nothing reads this file until it is complete and renamed; if anything goes wrong it
        # is deleted. So no rollback journal (journal_mode=OFF), no fsync per commit
        # (synchronous=OFF): the only durability that matters is the file's before the rename,
        # which _durable_replace gives with one fsync. The live directory is another file and
        # is never at risk. A big page cache keeps the FTS build off the disk.
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "locking_mode = EXCLUSIVE",
            "temp_store = MEMORY",
            "cache_size = -262144",
        ):
            db.execute(f"PRAGMA {pragma}")
        db.executescript(_SCHEMA)
        db.execute("BEGIN")
        report = ImportReport(rows=0, bad=0, seconds=0.0)
        done = len(header)
        batch: list[tuple[str, ...]] = []
        # Plain executemany on prepared tuples: one C loop per batch over one prepared
        # statement. sqlite-utils' insert_all is ~3x slower here — it builds a dict per row,
        # then a new multi-row INSERT statement per chunk with column detection and type
        # conversion, all in Python. (Reading in a thread of its own gains nothing: SQLite lets
        # go of the GIL only for the few microseconds of each row's insert.)
        for number, raw in enumerate(stream, start=2):
            done += len(raw)
            row = _row(raw, number, report)
            if row is None:
                continue
            batch.append(row)
            if len(batch) == BATCH:
                db.executemany(_INSERT, batch)
                report.rows += len(batch)
                batch = []
                if progress is not None:
                    progress(done, total)
        db.executemany(_INSERT, batch)
        report.rows += len(batch)
        if progress is not None:
            progress(done, total)
        rows = report.rows
        if rows == 0:
            raise ImportRefused(f"{source}: no row could be imported ({report.bad} bad)")
        # Built after the rows, in one pass each: cheaper than keeping them up to date row by row.
        for statement in _INDEXES:
            db.execute(statement)
        about = {"source": source.name, "imported_at": time.time(), "rows": rows, "bad": report.bad}
        db.executemany("INSERT INTO about VALUES (?, ?)", about.items())
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        raise ImportFailed(f"{path}: {exc}") from None
    finally:
        db.close()
    return report


def _row(raw: bytes, number: int, report: ImportReport) -> tuple[str, ...] | None:
    """The values of ``_COLUMNS`` for one line, or ``None`` for a blank line or a bad row —
    counted in ``report``."""
    try:
        line = raw.decode().rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return _bad(report, number, f"not UTF-8 (byte {exc.start + 1} of the line)")
    fields = line.split("|")
    if len(fields) != COLUMN_COUNT:
        if len(fields) == COLUMN_COUNT + 1 and not fields[-1]:
            # A trailing "|", as the other annuaire.sante.fr extractions have.
            fields.pop()
            line = line[:-1]
        elif len(fields) == 1 and not line.strip():
            return None
        else:
            return _bad(report, number, f"{len(fields)} columns, expected {COLUMN_COUNT}")
    address = fields[_ADDRESS]
    if not address or address.isspace():
        return _bad(report, number, "no mailbox address (Adresse BAL is empty)")
    return (line, *_pick(fields), _city(fields[_DELIVERY], fields[_POSTCODE]))


def _bad(report: ImportReport, number: int, reason: str) -> None:
    report.bad += 1
    if len(report.first_bad) < REPORTED_BAD_ROWS:
        report.first_bad.append(BadRow(number, reason))
    return None


def _city(delivery: str, postcode: str) -> str:
    """The city of a delivery line such as ``75002 PARIS CEDEX 02``: ``PARIS``."""
    city = delivery[len(postcode) :] if postcode and delivery.startswith(postcode) else delivery
    cedex = city.find(" CEDEX")
    return (city[:cedex] if cedex >= 0 else city).strip()


def _folded(name: str) -> str:
    """A column name compared as a human reads it: no accents, case, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _check_header(header: bytes) -> None:
    refused = "line 1: not an MSSanté directory extraction"
    try:
        text = header.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(f"{refused}: the header is not UTF-8") from None
    if not text.strip():
        raise ImportRefused(f"{refused}: the file starts with an empty line, not the header")
    names = text.rstrip("\r\n").split("|")
    if len(names) == COLUMN_COUNT + 1 and not names[-1]:
        names.pop()
    if len(names) != COLUMN_COUNT:
        raise ImportRefused(
            f"{refused}: the header has {len(names)} '|'-separated columns, expected "
            f"{COLUMN_COUNT} ({COLUMNS[0]}|{COLUMNS[1]}|…)"
        )
    for n, (got, expected) in enumerate(zip(names, COLUMNS, strict=True), start=1):
        if _folded(got) != _folded(expected):
            raise ImportRefused(f"{refused}: column {n} is {got!r}, expected {expected!r}")


def _durable_replace(building: Path, target: Path) -> None:
    """Rename the complete database over the live one, on disk before and after: with
    synchronous=OFF nothing was flushed yet, and a rename that reached the disk before the
    data would leave a torn directory after a power cut."""
    with open(building, "rb") as f:
        os.fsync(f.fileno())
    os.replace(building, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# --- search -------------------------------------------------------------------------------------


def open_directory(path: Path) -> sqlite3.Connection:
    """A read-only connection to an imported directory file (``data_dir / DB_NAME``)."""
    if not path.is_file():
        raise NotImported(_NOT_IMPORTED)
    # immutable=1: the file is never written in place — an import renames a new file over it —
    # so no locks are needed, and this connection keeps reading the file it opened.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


_NOT_IMPORTED = (
    "the MSSanté directory has not been imported: run 'aiguillage directory import FILE' "
    "with the extraction from annuaire.sante.fr"
)


_WORD = re.compile(r"[^\W_]+")
#: An FTS5 column filter: the words of ``q`` are looked for in these columns only.
_SEARCHED_FILTER = "{" + " ".join(SEARCHED) + "}"


def match_expression(q: str) -> str | None:
    """An FTS5 query for the user's text: each word (letters and digits, as FTS5 splits them:
    "Jean-Pierre" is two) a quoted prefix of a word of the searched columns, all required. Only
    letters and digits reach FTS5, and quoted, so its syntax (``"*():^-+``, AND/OR/NOT/NEAR)
    is plain text. ``None`` when the text has no word."""
    words = _WORD.findall(unicodedata.normalize("NFC", q))
    if not words:
        return None
    prefixes = " ".join(f'"{word}"*' for word in words)
    return f"{_SEARCHED_FILTER}: ({prefixes})"


_SELECT = "SELECT e.line, e.city FROM "


def search(
    db: Directory | Path | sqlite3.Connection,
    q: str | None = None,
    rpps: str | None = None,
    postcode: str | None = None,
    profession: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Mailboxes of the directory: those whose names, city or profession start with each word of
    ``q`` (any order, accents and case ignored), with the exact ``rpps`` (Identifiant PP),
    ``postcode`` and ``profession`` (its code, ``"10"``, or its label, ``"Médecin"``, accents
    and case aside) given; at
    most ``limit``, in the extraction's order. ``db`` is a :class:`Directory` (what a daemon
    keeps), the directory file's path (opened for this search) or a connection from
    :func:`open_directory`. Raises :class:`NotImported`, and ``ValueError`` naming a bad
    criterion."""
    if isinstance(db, Directory):
        db = db.connection()
    elif isinstance(db, Path):
        with contextlib.closing(open_directory(db)) as opened:
            return search(opened, q, rpps, postcode, profession, limit)
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    for name, value in (("rpps", rpps), ("postcode", postcode), ("profession", profession)):
        if value is not None and not value.strip():
            # "" would find the rows that have none (an organisation has no RPPS).
            raise ValueError(f"{name} must not be empty")
    if postcode is not None and not _WORD.fullmatch(postcode):
        # One FTS5 term, and safe in its query.
        raise ValueError("postcode must be letters and digits only")
    matches = []
    if q is not None:
        match = match_expression(q)
        if match is None:
            return []
        matches.append(match)
    if postcode is not None:
        matches.append(f'{{postcode}}: "{postcode}"')
    if profession is not None:
        codes = _profession_codes(db, profession)
        if not codes:
            return []
        matches.append(f"{{profession_code}}: ({' OR '.join(codes)})")
    where: list[str] = []
    args: list[Any] = []
    if matches:
        sql = _SELECT + "entries_fts JOIN entries e ON e.id = entries_fts.rowid"
        where.append("entries_fts MATCH ?")
        args.append(" AND ".join(matches))
    else:
        sql = _SELECT + "entries e"
    if rpps is not None:
        # The second term lets SQLite use the index, which leaves out the empty RPPS.
        where.append("e.rpps = ? AND e.rpps <> ''")
        args.append(rpps)
    if where:
        sql += " WHERE " + " AND ".join(where)
    try:
        found = db.execute(sql + " LIMIT ?", [*args, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise NotImported(_NOT_IMPORTED) from None
        raise
    return [_entry(row) for row in found]


def _profession_codes(db: sqlite3.Connection, profession: str) -> list[str]:
    """The FTS5 terms of the profession codes ``profession`` names: itself, if it is a code;
    else the codes whose label it is, accents, case and punctuation aside."""
    try:
        known = db.execute("SELECT DISTINCT code, label FROM professions").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise NotImported(_NOT_IMPORTED) from None
        raise
    wanted = _folded(profession)
    codes = {code for code, label in known if profession == code or _folded(label) == wanted}
    return [f'"{code}"' for code in sorted(codes) if _WORD.fullmatch(code)]


def _entry(row: tuple[str, str]) -> dict[str, Any]:
    line, city = row
    v = dict(zip(FIELDS, (value or None for value in line.split("|")), strict=True))
    street = " ".join(
        p for p in (v["street_number"], v["street_number_ext"], v["street_type"], v["street"]) if p
    )
    lines = (
        v["line_location"],
        v["line_distribution"],
        street,
        v["line_place"],
        v["line_delivery"],
    )
    structure = None
    if v["structure_id"] or v["structure_name"]:
        structure = {
            "name": v["structure_name"],
            "id": v["structure_id"],
            "id_type": v["structure_id_type"],
            "service": v["service"],
        }
    return {
        "address": v["address"],
        "type": v["type"],
        "names": {"family": v["family"], "given": v["given"], "civility": v["civility"]},
        "rpps": v["rpps"],
        "profession": _coded(v["profession_code"], v["profession"]),
        "specialty": _coded(v["specialty_code"], v["specialty"]),
        "structure": structure,
        "address_lines": [line for line in lines if line],
        "postcode": v["postcode"],
        "city": city or None,
    }


def _coded(code: str | None, label: str | None) -> dict[str, str | None] | None:
    return {"code": code, "label": label} if code or label else None


class Directory:
    """The directory of a data dir, for a long-running reader (the daemon): one connection,
    reopened when an import has replaced the file."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DB_NAME
        self._db: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        with self._lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                self.close()
                raise NotImported(_NOT_IMPORTED) from None
            # The file we hold stays open, so its inode cannot be reused by the new one. The
            # old connection is dropped, not closed: a search in another thread may still be
            # reading it, and it closes when that search lets go of it.
            if self._db is None or self._file != (st.st_dev, st.st_ino):
                self._db = open_directory(self.path)
                self._file = (st.st_dev, st.st_ino)
            return self._db

    def search(self, **criteria: Any) -> list[dict[str, Any]]:
        """:func:`search` in this directory."""
        return search(self.connection(), **criteria)

    def about(self) -> dict[str, Any]:
        """What was imported: ``source`` (the file's name), ``imported_at`` (UNIX time),
        ``rows``, ``bad``."""
        return dict(self.connection().execute("SELECT key, value FROM about").fetchall())

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
            self._file = None
