"""Each plugin's last success and last failure, as the journal tells them, without scanning it.

A journal row belongs to the plugin whose name, API prefix or outbox kind its event starts with
(``ins.search`` → insi, ``dmp.document.sent`` → dmp, ``fse.lot.create`` → jfse). A row whose
outcome is one of the plugin's ``success_outcomes`` (``ok`` by default) is a success, a
``pending`` row (a call about to be made) is neither, any other is a failure.

The rows are folded in once, in ``seq`` order: at each look, only the rows added since the last
one are read (a range of the primary key). What was folded is saved in the data dir
(``plugin-outcomes.json``) so that a restart reads only what came after. The first start with
an existing journal (no saved state) walks it backwards, in the background and in small steps
so that the daemon answers meanwhile, until every plugin has both answers: once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from aiguillage.files import replace_file
from aiguillage.hookspecs import PluginInfo
from aiguillage.times import iso

log = logging.getLogger("aiguillage")

FILE = "plugin-outcomes.json"
#: Rows read per query while folding: a look after a burst reads them in bounded steps.
CHUNK = 5000
#: Rows read per step of the walk back, between which the daemon serves requests.
WALK_CHUNK = 1000
#: Seconds between two saves of the folded state (a crash only costs re-reading those rows).
SAVE_INTERVAL = 60.0
KINDS = ("last_success", "last_failure")


class Outcomes:
    def __init__(self, data_dir: Path, infos: dict[str, PluginInfo]) -> None:
        self.path = data_dir / FILE
        self.owners: dict[str, str] = {}
        self.success: dict[str, frozenset[str]] = {}
        for name, info in infos.items():
            self.success[name] = frozenset(info.success_outcomes)
            for prefix in (name, *info.prefixes, *info.outbox_kinds):
                self.owners.setdefault(prefix, name)
        self.last: dict[str, dict[str, dict[str, Any] | None]] = {
            name: dict.fromkeys(KINDS) for name in infos
        }
        #: The last journal row folded in.
        self.seq = 0
        self._saved: tuple[int, float] = (0, 0.0)
        #: Where the walk back starts (``None``: none is needed, or it is done).
        self.walk_from: int | None = None
        self._owner_of: dict[str, str | None] = {}

    def owner(self, event: str) -> str | None:
        """The plugin a journal event belongs to (``None``: the core's)."""
        if event not in self._owner_of:  # a few dozen event names: each is worked out once
            parts = event.split(".")
            self._owner_of[event] = next(
                (
                    self.owners[".".join(parts[:n])]
                    for n in range(len(parts), 0, -1)
                    if ".".join(parts[:n]) in self.owners
                ),
                None,
            )
        return self._owner_of[event]

    def of(self, plugin: str) -> dict[str, dict[str, Any] | None]:
        """The plugin's last success and failure, with times as the API shows them."""
        last = self.last.get(plugin, dict.fromkeys(KINDS))
        return {k: {**v, "time": _api_time(v["time"])} if v else None for k, v in last.items()}

    def open(self, reader: sqlite3.Connection) -> None:
        """Take the saved state; when there is none (or it is of another journal: past the
        head), the rows from now on are folded in as they come and ``walk_back`` must run."""
        (head,) = reader.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()
        saved = self._read()
        if saved is not None and saved["seq"] <= head:
            self.seq = saved["seq"]
            for name, kinds in saved["plugins"].items():
                if name in self.last and isinstance(kinds, dict):
                    self.last[name] = {k: _outcome(kinds.get(k)) for k in KINDS}
            self._saved = (self.seq, time.monotonic())
            self.refresh(reader)
        else:
            self.seq = head
            self.walk_from = head + 1

    def refresh(self, reader: sqlite3.Connection) -> None:
        """Fold in the rows added since the last look."""
        while True:
            rows = reader.execute(
                "SELECT seq, time, event, outcome, summary FROM journal WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                [self.seq, CHUNK],
            ).fetchall()
            for row in rows:
                self._fold(row, overwrite=True)
            if rows:
                self.seq = rows[-1][0]
            if len(rows) < CHUNK:
                break
        due = time.monotonic() - self._saved[1] >= SAVE_INTERVAL
        if self.walk_from is None and self.seq != self._saved[0] and due:
            self.save()

    async def walk_back(self, reader: sqlite3.Connection) -> None:
        """Fold in the rows before the first start's head, newest first, until each plugin
        has both answers or the journal's start; what the rows folded since found first (they
        are newer) is kept. Saves the state once done."""
        if self.walk_from is None:
            return
        wanted = {
            (name, kind) for name in self.last for kind in KINDS if self.last[name][kind] is None
        }
        before = self.walk_from
        while wanted:
            try:
                rows = reader.execute(
                    "SELECT seq, time, event, outcome, summary FROM journal WHERE seq < ? "
                    "ORDER BY seq DESC LIMIT ?",
                    [before, WALK_CHUNK],
                ).fetchall()
            except sqlite3.Error as exc:  # the next start walks again
                log.warning("journal: last outcomes of the plugins not read back: %s", exc)
                return
            for row in rows:
                found = self._fold(row, overwrite=False)
                if found:
                    wanted.discard(found)
            if len(rows) < WALK_CHUNK:
                break
            before = rows[-1][0]
            await asyncio.sleep(0)  # let requests in between two steps
        self.walk_from = None
        self.save()

    def _fold(self, row: Any, overwrite: bool) -> tuple[str, str] | None:
        _, time_, event, outcome, summary = row
        name = self.owner(event)
        if name is None or outcome == "pending":
            return None
        kind = "last_success" if outcome in self.success[name] else "last_failure"
        if not overwrite and self.last[name][kind] is not None:
            return None
        self.last[name][kind] = {
            "time": time_,  # as the journal stores it; the API's form when shown
            "event": event,
            "outcome": outcome,
            "summary": summary,
        }
        return name, kind

    def save(self) -> None:
        """Write what was folded, atomically; a failure only costs a longer look next start."""
        data = json.dumps({"seq": self.seq, "plugins": self.last}, ensure_ascii=False)
        try:
            replace_file(self.path, data.encode())
        except OSError as exc:
            log.warning("%s: not saved: %s", self.path, exc.strerror or exc)
            return
        self._saved = (self.seq, time.monotonic())

    def _read(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable (%s); the journal is read again", self.path, exc)
            return None
        if not isinstance(data, dict) or not isinstance(data.get("seq"), int):
            return None
        if not isinstance(data.get("plugins"), dict):
            return None
        return data


OUTCOMES = web.AppKey("outcomes", Outcomes)


def _outcome(saved: Any) -> dict[str, Any] | None:
    fields = ("time", "event", "outcome", "summary")
    if isinstance(saved, dict) and all(isinstance(saved.get(f), str) for f in fields):
        return {f: saved[f] for f in fields}
    return None


def _api_time(stored: str) -> str:
    """A journal time (microseconds) as the API shows times (milliseconds)."""
    try:
        return iso(dt.datetime.fromisoformat(stored).timestamp()) or stored
    except ValueError:
        return stored
