"""The data directory: private to its user, used by one daemon at a time, and checked before a
daemon starts on it.

A start-up that cannot go on says so in one line naming the file and the cause
(``StartupError``): a data dir that cannot be created or written, a database that is not one.
A data dir that lost one of its stores is refused too (``Refusal``), unless the admin accepts it
with the option the line names; the acceptance is journaled.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The daemon's own stores.
JOURNAL_DB = "journal.db"
OUTBOX_DB = "outbox.db"
CLIENTS_DB = "clients.db"
STORES = (JOURNAL_DB, OUTBOX_DB, CLIENTS_DB)
#: The journal's checkpoints, the HMAC key that signs them, the certificates that signed them.
CHECKPOINTS = "journal.checkpoints"
CHECKPOINT_KEY = "checkpoint.key"
KEPT_CERTIFICATES = "journal.certificates"
#: The ``default`` app's token, written at the first start.
TOKEN = "token"
LOCK = "daemon.lock"
#: The folder holding each plugin's own files.
PLUGINS = "plugins"
#: ``aiguillage serve`` options accepting what a start-up would otherwise refuse.
ACCEPT_NEW_JOURNAL = "--accept-new-journal"
ACCEPT_MISSING_STORE = "--accept-missing-store"
SQLITE_HEADER = b"SQLite format 3\x00"


class DataDirBusy(Exception):
    """Another daemon holds this data directory."""


class StartupError(Exception):
    """The daemon cannot start; the message is the one line the admin reads."""


@dataclass(frozen=True)
class Refusal:
    """Something a start-up refuses unless the admin accepts it with ``flag``; once accepted,
    it is journaled as ``event`` with ``details``."""

    path: Path
    cause: str
    flag: str
    event: str
    details: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.path}: {self.cause}; start with {self.flag} to accept it"


def lock(data_dir: Path) -> int:
    """Take the data directory's lock for this process's lifetime; returns the file descriptor.

    One daemon per data directory is what makes crash recovery simple: at start-up, any send
    left ``sending`` belongs to a process that is gone.
    """
    create(data_dir)
    fd = os.open(data_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DataDirBusy(f"another aiguillage daemon is using {data_dir}") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def unlock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def create(data_dir: Path) -> None:
    """Create the data dir (mode 700) if needed; a directory that cannot be created or written
    is a ``StartupError``."""
    try:
        if not data_dir.is_dir():
            for parent in reversed([data_dir, *data_dir.parents]):
                if not parent.exists():
                    parent.mkdir(mode=0o700)
    except OSError as exc:
        raise StartupError(f"{data_dir}: cannot create the data directory: {_cause(exc)}") from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StartupError(
            f"{data_dir}: the data directory is not writable by this user (read-only file "
            f"system or permissions)"
        )


def _cause(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def own_files(data_dir: Path) -> list[Path]:
    """What the daemon keeps in the data dir: the data dir itself, the stores and the files
    SQLite keeps beside them, the checkpoints, keys, token and lock, and the plugins' folder
    with everything in it. The data dir may be a folder shared with other things: those are
    left alone."""
    names = [CHECKPOINTS, CHECKPOINT_KEY, KEPT_CERTIFICATES, TOKEN, LOCK]
    for store in STORES:
        names += [store, *(store + suffix for suffix in ("-wal", "-shm", "-journal"))]
    paths = [data_dir, *(data_dir / name for name in names)]
    for root, _, files in os.walk(data_dir / PLUGINS):
        paths += [Path(root)] + [Path(root) / name for name in files]
    return paths


def make_private(data_dir: Path) -> list[str]:
    """Take group and other permissions away from the daemon's own files (``own_files``;
    symbolic links are left alone); returns what was changed, e.g.
    ``journal.db-wal (644 -> 600)``."""
    fixed = []
    for path in own_files(data_dir):
        try:
            st = path.lstat()
        except FileNotFoundError:  # not made yet, or gone meanwhile (a -shm file)
            continue
        if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid():
            continue
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077:
            path.chmod(mode & ~0o077)
            name = str(path.relative_to(data_dir)) if path != data_dir else str(data_dir)
            fixed.append(f"{name} ({mode:o} -> {mode & ~0o077:o})")
    return fixed


def check_databases(data_dir: Path) -> None:
    """Every SQLite database in the data dir opens: a file that is not one (garbage bytes, a
    truncated copy) or cannot be read is a ``StartupError`` naming it."""
    for path in sorted(data_dir.rglob("*.db")):
        if path.is_file():
            problem = database_problem(path)
            if problem is not None:
                raise StartupError(f"{path}: {problem}")


def database_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read: {_cause(exc)}"
    if not header:
        return None  # an empty file is an empty database
    if header != SQLITE_HEADER:
        return "not a SQLite database (corrupt or overwritten); restore it from a backup"
    try:
        with contextlib.closing(read_only(path)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:  # the file may be sound: the system said no
        return f"cannot be opened: {exc}{space_note(path)}"
    except sqlite3.Error as exc:
        return f"cannot be read as a database ({exc}); restore it from a backup"
    return None


def space_note(path: Path) -> str:
    try:
        fs = os.statvfs(path.parent)
    except OSError:
        return ""
    return " (the disk is full)" if fs.f_bavail * fs.f_frsize < 1_048_576 else ""


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that can neither write to ``path`` nor create it."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _daemon_ran(journal: Path) -> bool:
    """Whether a daemon has started with this journal (it then created all three stores): a
    start journaled, or traces of one that retention purged since (the chain re-anchored past
    row 1, a checkpoint recorded)."""
    try:
        with contextlib.closing(read_only(journal)) as conn:
            if conn.execute(
                "SELECT 1 FROM journal WHERE event = 'daemon.started' LIMIT 1"
            ).fetchone():
                return True
            if conn.execute("SELECT seq FROM journal_anchor").fetchone()[0] > 1:
                return True
            return _has_checkpoint_mark(conn)
    except sqlite3.Error:
        return False


def _has_checkpoint_mark(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("SELECT 1 FROM journal_checkpoint").fetchone() is not None
    except sqlite3.OperationalError:  # a journal from before checkpoints
        return False


def _has_items(outbox: Path) -> bool:
    """Whether the outbox holds any item (an outbox that cannot be read is taken as one that
    does: it is not for this check to call it empty)."""
    try:
        with contextlib.closing(read_only(outbox)) as conn:
            return conn.execute("SELECT 1 FROM items LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError as exc:
        return "no such table" not in str(exc)
    except sqlite3.Error:
        return True


def missing_stores(data_dir: Path) -> list[Refusal]:
    """Stores gone from a data dir a daemon has run on: the outbox or the client apps beside a
    journal that recorded a start, or the journal beside an outbox holding sends. A daemon
    would otherwise create them empty, and sends waiting, tokens or traces would vanish
    without a word. (An empty outbox alone is what the previous release's ``aiguillage outbox``
    commands left in a fresh data dir; a journal lost beside checkpoints is the checkpoints'
    own check, at start-up.)"""
    journal, outbox = data_dir / JOURNAL_DB, data_dir / OUTBOX_DB
    if not journal.exists():
        marks = [
            n for n in (CHECKPOINTS, CHECKPOINT_KEY, KEPT_CERTIFICATES) if (data_dir / n).exists()
        ]
        if marks:
            beside, why = marks[0], ""
        elif outbox.exists() and _has_items(outbox):
            beside, why = OUTBOX_DB, ", which holds sends"
        else:
            return []
        return [
            Refusal(
                journal,
                f"missing beside {beside}{why}: the journal was deleted or moved",
                ACCEPT_NEW_JOURNAL,
                "journal.accepted",
                {"file": JOURNAL_DB, "cause": f"missing beside {beside}"},
            )
        ]
    refusals = []
    if _daemon_ran(journal):
        what = {OUTBOX_DB: "the sends waiting", CLIENTS_DB: "the client apps and their tokens"}
        for name, holds in what.items():
            if not (data_dir / name).exists():
                refusals.append(
                    Refusal(
                        data_dir / name,
                        f"missing beside {JOURNAL_DB}, which records earlier starts: {holds} "
                        f"were deleted or moved",
                        ACCEPT_MISSING_STORE,
                        "store.accepted",
                        {"file": name, "cause": f"missing beside {JOURNAL_DB}"},
                    )
                )
    return refusals


def missing_store(data_dir: Path, name: str) -> Refusal | None:
    """The refusal a start would make about store ``name``, if any: what an admin command that
    would create the store must not paper over."""
    return next((r for r in missing_stores(data_dir) if r.path.name == name), None)
