"""One writer thread per SQLite database, with group commit.

Every write is a function ``fn(conn)`` run in the writer thread. The thread takes every job
waiting, runs each in its own savepoint (a failing job rolls back alone), commits them all at
once — one fsync for the group — and only then resolves each job's future. So a caller that
awaits ``run()`` knows its write is durable, and a burst of writers shares the cost of the sync
instead of queueing behind one fsync each. The event loop never waits on the disk: the one
write it runs itself (``run()``) is a small one that needs no fsync, with nothing ahead of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Job = tuple[
    Callable[[sqlite3.Connection], Any],
    "asyncio.Future[Any] | None",
    "asyncio.AbstractEventLoop | None",
    bool,
]
MAX_GROUP = 1000
#: How long a write waits for another process (a CLI command) to release the database.
BUSY_TIMEOUT_MS = 10000


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the settings every store uses.

    WAL lets readers work while the writer commits. ``synchronous = FULL`` makes each commit
    sync the WAL before it returns: in WAL mode ``NORMAL`` survives a crash of the process but
    can lose the last commits on a power cut, and an acknowledged send must survive both.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    else:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


#: Seconds between background checkpoints of the write-ahead log, while there are writes.
CHECKPOINT_INTERVAL = 1.0


class Writer:
    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        self.conn = conn
        self._synchronous_full = True  # what connect() set
        # Checkpoints copy the log back into the database. Left to the committing connection,
        # one commit in a few hundred pays for it; a thread of its own does it in passing.
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._path = conn.execute("PRAGMA database_list").fetchone()[2]
        self._written = threading.Event()
        self._stopping = threading.Event()
        # Held by whichever thread has a transaction open on ``conn``: the writer thread, or
        # the event loop running a non-durable write itself.
        self._busy = threading.Lock()
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name=f"{name}-writer", daemon=True)
        self._thread.start()
        self._checkpointer = threading.Thread(
            target=self._checkpoint, name=f"{name}-checkpoint", daemon=True
        )
        self._checkpointer.start()

    async def run(self, fn: Callable[[sqlite3.Connection], T], durable: bool = True) -> T:
        """Run ``fn(conn)`` in the writer thread; return once its transaction is committed.

        ``durable=False`` is for writes that may be lost on a power cut (never on a crash of
        the process) because redoing them is harmless — a delivery attempt's bookkeeping,
        say, where the receiver recognises a second delivery. Those commits skip the fsync,
        unless a durable write shares their group.

        Such a write, when no other is queued or under way, is run at once on the event loop:
        it costs a fraction of a millisecond, less than the two thread switches of handing it
        over, which a caller waiting on it (an answer waiting for its journal row) would pay.
        It never waits for a lock: if another process holds the database, it goes the usual
        way."""
        if not durable and self._jobs.empty() and self._busy.acquire(blocking=False):
            try:
                done, result = self._inline(fn)
            finally:
                self._busy.release()
            if done:
                return result  # type: ignore[return-value]
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((fn, future, loop, durable))
        return await future

    def _inline(self, fn: Callable[[sqlite3.Connection], T]) -> tuple[bool, T | None]:
        """``fn`` in a transaction of its own, on this thread; ``(False, None)`` without
        writing anything if the database is locked by another process."""
        conn = self.conn
        self._synchronous(full=False)
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False, None
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        self._written.set()
        return True, result

    def submit(self, fn: Callable[[sqlite3.Connection], Any]) -> None:
        """Queue a durable write without waiting for it (it commits in order with the other
        queued writes)."""
        self._jobs.put((fn, None, None, True))

    def close(self) -> None:
        """Finish the queued writes, then stop the threads and fold the log into the file."""
        self._jobs.put(None)
        self._thread.join()
        self._stopping.set()
        self._written.set()
        self._checkpointer.join()
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _checkpoint(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stopping.is_set():
                self._written.wait()
                self._written.clear()
                if self._stopping.wait(CHECKPOINT_INTERVAL):
                    break
                # PASSIVE never waits for, nor blocks, the writer or the readers.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def _work(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            group = [first]
            stop = False
            while len(group) < MAX_GROUP:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                group.append(job)
            self._commit(group)
            if stop:
                return

    def _commit(self, group: list[Job]) -> None:
        with self._busy:
            outcomes = self._transaction(group)
        self._written.set()
        for (_, future, loop, _), (result, error) in zip(group, outcomes, strict=True):
            if future is not None and loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(_settle, future, result, error)

    def _synchronous(self, full: bool) -> None:
        # In WAL mode NORMAL commits without syncing; the next FULL commit syncs the log up to
        # itself, so a durable write never depends on a lost earlier one.
        if full != self._synchronous_full:
            self.conn.execute(f"PRAGMA synchronous = {'FULL' if full else 'NORMAL'}")
            self._synchronous_full = full

    def _transaction(self, group: list[Job]) -> list[tuple[Any, BaseException | None]]:
        outcomes: list[tuple[Any, BaseException | None]] = []
        conn = self.conn
        try:
            self._synchronous(full=any(durable for *_, durable in group))
            conn.execute("BEGIN IMMEDIATE")
            for fn, *_ in group:
                conn.execute("SAVEPOINT job")
                try:
                    outcomes.append((fn(conn), None))
                except Exception as exc:
                    if not conn.in_transaction:
                        # SQLite undid the whole transaction itself (a full disk, an I/O
                        # error): the jobs before this one are lost too, so all of them fail
                        # with this error, not with "no such savepoint".
                        raise
                    conn.execute("ROLLBACK TO job")
                    outcomes.append((None, exc))
                conn.execute("RELEASE job")
            conn.execute("COMMIT")
        except Exception as exc:  # the commit itself failed: nothing of the group is durable
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            outcomes = [(None, exc)] * len(group)
        return outcomes


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
