"""The simulator's mail store: one Maildir per hosted address (its INBOX; other folders as
Maildir++ subfolders ``.Sent``…), with what IMAP needs on top of Maildir: a UID per message
that never changes and is never reused in a folder, and a UIDVALIDITY per folder (RFC 3501
§2.3.1.1), both kept in an SQLite index beside the Maildirs.

Messages are written by :mod:`mailbox` (``tmp/`` then ``new/``, synced to disk). Flags live in
the file names as Maildir defines them (``cur/<unique>:2,<letters>``), so the Maildirs remain
readable by any Maildir tool; a message that appears in a folder by another route gets the
next UID when the folder is next listed.
"""

from __future__ import annotations

import mailbox
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

INBOX = "INBOX"
SENT = "Sent"
#: IMAP system flags and their Maildir info letters (https://cr.yp.to/proto/maildir.html).
FLAG_LETTERS = {
    "\\Draft": "D",
    "\\Flagged": "F",
    "\\Answered": "R",
    "\\Seen": "S",
    "\\Deleted": "T",
}
LETTER_FLAGS = {letter: flag for flag, letter in FLAG_LETTERS.items()}
# The address is a directory name: nothing that could climb out of the store.
ADDRESS = re.compile(r"[a-z0-9][a-z0-9._+-]*@[a-z0-9][a-z0-9.-]*")
FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,63}")


class MissingFolder(LookupError):
    """The folder does not exist (IMAP answers ``NO [TRYCREATE]`` to an APPEND)."""


class BadName(ValueError):
    """An address or folder name the store refuses, with the reason."""


@dataclass(frozen=True)
class Stored:
    """One message of a folder as the index and the Maildir describe it now."""

    uid: int
    key: str
    flags: frozenset[str]
    size: int
    internaldate: float
    recent: bool  # still in ``new/``: no IMAP session has seen it yet
    path: Path


def canonical_folder(name: str) -> str:
    """The folder's name as stored: ``INBOX`` in any case is the inbox (RFC 3501 §5.1)."""
    if name.upper() == INBOX:
        return INBOX
    if not FOLDER.fullmatch(name):
        raise BadName(f"folder name {name!r}: letters, digits, space, '-' or '_' only")
    return name


def canonical_address(address: str) -> str:
    address = address.strip().lower()
    if not ADDRESS.fullmatch(address) or ".." in address:
        raise BadName(f"mailbox address {address!r} is not a plain e-mail address")
    return address


class Folder:
    """One Maildir folder of one address, with its UID index rows."""

    def __init__(
        self, store: Maildirs, address: str, name: str, path: Path, *, fresh: bool = False
    ) -> None:
        self.store = store
        self.address = address
        self.name = name
        self.path = path
        self.maildir = mailbox.Maildir(path, factory=None, create=True)
        row = store.db.execute(
            "SELECT uidvalidity FROM folders WHERE address = ? AND folder = ?", (address, name)
        ).fetchone()
        if row is None or fresh:
            self.uidvalidity = self._start_over()
        else:
            self.uidvalidity = row[0]

    def _start_over(self) -> int:
        """A new UIDVALIDITY, UIDs from 1 again: for a folder created (or created again after
        a DELETE, when the old UIDs must not be trusted any more, RFC 3501 §2.3.1.1)."""
        db = self.store.db
        last = db.execute("SELECT max(uidvalidity) FROM folders").fetchone()[0] or 0
        # Seconds since the epoch, as Dovecot does, and always above any given before.
        uidvalidity = max(int(time.time()), last + 1)
        with db:
            db.execute(
                "INSERT OR REPLACE INTO folders (address, folder, uidvalidity, uidnext)"
                " VALUES (?, ?, ?, 1)",
                (self.address, self.name, uidvalidity),
            )
            db.execute(
                "DELETE FROM uids WHERE address = ? AND folder = ?", (self.address, self.name)
            )
        return uidvalidity

    @property
    def uidnext(self) -> int:
        self.messages()  # a message dropped in by another route takes the next UID first
        return self._uidnext()

    def _uidnext(self) -> int:
        return self.store.db.execute(
            "SELECT uidnext FROM folders WHERE address = ? AND folder = ?",
            (self.address, self.name),
        ).fetchone()[0]

    def _scan(self) -> dict[str, tuple[Path, str, os.stat_result, bool]]:
        """What is on disk: key -> (path, info letters, stat, in new/)."""
        found = {}
        for sub in ("new", "cur"):
            with os.scandir(self.path / sub) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    key, _, info = entry.name.partition(":")
                    letters = info[2:] if info.startswith("2,") else ""
                    found[key] = (Path(entry.path), letters, entry.stat(), sub == "new")
        return found

    def messages(self) -> list[Stored]:
        """Every message, in UID order; files the index does not know get their UIDs now."""
        disk = self._scan()
        db = self.store.db
        known = dict(
            db.execute(
                "SELECT key, uid FROM uids WHERE address = ? AND folder = ?",
                (self.address, self.name),
            ).fetchall()
        )
        gone = [uid for key, uid in known.items() if key not in disk]
        fresh = sorted((k for k in disk if k not in known), key=lambda k: (disk[k][2].st_mtime, k))
        if gone or fresh:
            with db:
                db.executemany(
                    "DELETE FROM uids WHERE address = ? AND folder = ? AND uid = ?",
                    [(self.address, self.name, uid) for uid in gone],
                )
                for key in fresh:
                    known[key] = self._assign(key, disk[key][2].st_mtime)
        dates = dict(
            db.execute(
                "SELECT uid, internaldate FROM uids WHERE address = ? AND folder = ?",
                (self.address, self.name),
            ).fetchall()
        )
        listed = []
        for key, (path, letters, stat, recent) in disk.items():
            uid = known[key]
            flags = frozenset(LETTER_FLAGS[c] for c in letters if c in LETTER_FLAGS)
            listed.append(Stored(uid, key, flags, stat.st_size, dates[uid], recent, path))
        listed.sort(key=lambda s: s.uid)
        return listed

    def _assign(self, key: str, internaldate: float) -> int:
        """Give ``key`` the folder's next UID (inside the caller's transaction)."""
        db = self.store.db
        uid = self._uidnext()
        db.execute(
            "UPDATE folders SET uidnext = ? WHERE address = ? AND folder = ?",
            (uid + 1, self.address, self.name),
        )
        db.execute(
            "INSERT INTO uids (address, folder, uid, key, internaldate) VALUES (?,?,?,?,?)",
            (self.address, self.name, uid, key, internaldate),
        )
        return uid

    def get(self, uid: int) -> Stored | None:
        return next((m for m in self.messages() if m.uid == uid), None)

    def read(self, stored: Stored) -> bytes | None:
        """The message's bytes as delivered; ``None`` when it vanished meanwhile."""
        for _ in range(2):
            try:
                return stored.path.read_bytes()
            except FileNotFoundError:  # renamed by a flag change since it was listed
                stored = self.get(stored.uid)
                if stored is None:
                    return None
        return None

    def add(self, raw: bytes, flags: Iterable[str] = (), internaldate: float | None = None) -> int:
        """Store ``raw`` unchanged; its UID."""
        key = self.maildir.add(raw)
        with self.store.db:
            uid = self._assign(key, time.time() if internaldate is None else internaldate)
        flags = frozenset(flags)
        if flags:
            self.set_flags(self.get(uid), flags)
        self.store.changed(self.address, self.name)
        return uid

    def set_flags(self, stored: Stored | None, flags: frozenset[str]) -> frozenset[str] | None:
        """Replace a message's flags (renamed into ``cur/`` with its info letters); the flags
        now set, or ``None`` when the message is gone."""
        flags = frozenset(f for f in flags if f in FLAG_LETTERS)
        letters = "".join(sorted(FLAG_LETTERS[f] for f in flags))  # ASCII order, as Maildir says
        for _ in range(2):
            if stored is None:
                return None
            if flags == stored.flags and not stored.recent:
                return flags
            try:
                os.rename(stored.path, self.path / "cur" / f"{stored.key}:2,{letters}")
            except FileNotFoundError:  # renamed meanwhile: look again
                stored = self.get(stored.uid)
                continue
            if flags != stored.flags:
                self.store.changed(self.address, self.name)
            return flags
        return None

    def claim_recent(self) -> set[int]:
        """Move what is in ``new/`` to ``cur/`` (a session now knows it): the UIDs moved."""
        claimed = set()
        for stored in self.messages():
            if stored.recent:
                target = self.path / "cur" / f"{stored.key}:2,"
                try:
                    os.rename(stored.path, target)
                except FileNotFoundError:
                    continue
                claimed.add(stored.uid)
        return claimed

    def expunge(self, uids: Iterable[int]) -> list[int]:
        """Remove these messages for good; the UIDs removed (UIDs are never given again)."""
        wanted = set(uids)
        removed = []
        for stored in self.messages():
            if stored.uid in wanted:
                try:
                    stored.path.unlink()
                except FileNotFoundError:
                    continue
                removed.append(stored.uid)
        if removed:
            with self.store.db:
                self.store.db.executemany(
                    "DELETE FROM uids WHERE address = ? AND folder = ? AND uid = ?",
                    [(self.address, self.name, uid) for uid in removed],
                )
            self.store.changed(self.address, self.name)
        return removed


class Maildirs:
    """The Maildirs of every hosted address under ``root``, and who wants to hear of changes
    (IMAP sessions in IDLE)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(root / "uids.sqlite")
        self.db.execute("PRAGMA journal_mode = WAL")
        with self.db:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS folders (address TEXT NOT NULL, folder TEXT NOT NULL,"
                " uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL,"
                " PRIMARY KEY (address, folder))"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS uids (address TEXT NOT NULL, folder TEXT NOT NULL,"
                " uid INTEGER NOT NULL, key TEXT NOT NULL, internaldate REAL NOT NULL,"
                " PRIMARY KEY (address, folder, uid), UNIQUE (address, folder, key))"
            )
        self._listeners: dict[tuple[str, str], set[Callable[[], None]]] = {}

    def close(self) -> None:
        self.db.close()

    def _path(self, address: str, name: str) -> Path:
        base = self.root / address
        return base if name == INBOX else base / f".{name}"

    def ensure(self, address: str) -> None:
        """Create the address's INBOX and Sent folders when missing."""
        address = canonical_address(address)
        self.folder(address, INBOX, create=True)
        self.folder(address, SENT, create=True)

    def folder(self, address: str, name: str, *, create: bool = False) -> Folder:
        address = canonical_address(address)
        name = canonical_folder(name)
        path = self._path(address, name)
        if not (path / "cur").is_dir():
            if not create:
                raise MissingFolder(f"{address}: no folder {name!r}")
            if name != INBOX:
                self.folder(address, INBOX, create=True)
            mailbox.Maildir(path, factory=None, create=True)
            if name != INBOX:
                (path / "maildirfolder").touch()  # how Maildir++ marks a subfolder
            return Folder(self, address, name, path, fresh=True)
        return Folder(self, address, name, path)

    def delete(self, address: str, name: str) -> None:
        """Remove a folder and its messages (never the INBOX). Its index row stays, so that
        the folder created again gets a higher UIDVALIDITY."""
        address = canonical_address(address)
        name = canonical_folder(name)
        if name == INBOX:
            raise BadName("the INBOX cannot be deleted")
        path = self._path(address, name)
        if not (path / "cur").is_dir():
            raise MissingFolder(f"{address}: no folder {name!r}")
        shutil.rmtree(path)
        with self.db:
            self.db.execute("DELETE FROM uids WHERE address = ? AND folder = ?", (address, name))
        self.changed(address, name)

    def folders(self, address: str) -> list[str]:
        base = self.root / canonical_address(address)
        names = [INBOX] if (base / "cur").is_dir() else []
        if base.is_dir():
            names += sorted(
                p.name[1:]
                for p in base.iterdir()
                if p.name.startswith(".") and (p / "cur").is_dir()
            )
        return names

    def listen(self, address: str, name: str, callback: Callable[[], None]) -> None:
        key = (canonical_address(address), canonical_folder(name))
        self._listeners.setdefault(key, set()).add(callback)

    def unlisten(self, address: str, name: str, callback: Callable[[], None]) -> None:
        key = (canonical_address(address), canonical_folder(name))
        self._listeners.get(key, set()).discard(callback)

    def changed(self, address: str, name: str) -> None:
        for callback in list(self._listeners.get((address, name), ())):
            callback()
