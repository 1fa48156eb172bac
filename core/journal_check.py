"""The journal's verification status, as the console shows it: the last walk of the hash chain
and its checkpoints, and the walk under way.

A walk of the whole journal reads every row (some 20 s at a million rows), so it runs in a
thread and the question is answered at once with the last result. Asking again walks only the
rows added since the last verified one, which must still be there with the same hash (else the
whole chain is walked, which names what changed). The whole journal, with the checkpoints and
their signatures, is walked again when it was last walked more than ``FULL_EVERY`` seconds
ago, or on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from aiguillage import checkpoints
from aiguillage import journal as jr
from aiguillage.writer import connect

#: Seconds after which asking walks the whole journal again, not just the rows added.
FULL_EVERY = 3600.0
#: Seconds an answer waits for the walk it started: the rows added since the last walk are
#: usually checked by then; a whole journal is not, and is answered as under way.
WAIT = 0.1

log = logging.getLogger("aiguillage.journal")


@dataclass
class Walk:
    whole: bool
    started_at: float
    rows_total: int
    rows_checked: int = 0


@dataclass
class Result:
    check: checkpoints.JournalCheck  # the chain as last walked, the checkpoints as last checked
    rows: int  # rows verified: the whole walk's and those walked since
    checked_at: float
    whole_at: float


class ChainCheck:
    """The verification status of the journal in ``data_dir``; ``verifier`` gives what the
    checkpoints' signatures are checked with at each walk of the whole journal."""

    def __init__(self, data_dir: Path, verifier: Callable[[], checkpoints.Verifier]) -> None:
        self.data_dir = data_dir
        self.verifier = verifier
        self.result: Result | None = None
        self.walk: Walk | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._process: asyncio.subprocess.Process | None = None

    async def status(self, whole: bool = False, wait: float = WAIT) -> dict[str, Any]:
        """Start a walk unless one runs, wait up to ``wait`` seconds for it, and answer. The
        walk covers the whole journal when ``whole``, when none did yet, or long ago; else the
        rows added since (none after a break: it stays reported until the next whole walk)."""
        if self._stopping:
            return self.answer()
        if self._task is None or self._task.done():
            last = self.result
            if whole or last is None or time.time() - last.whole_at > FULL_EVERY:
                self._task = asyncio.create_task(self._run(True))
            elif last.check.chain.ok:
                self._task = asyncio.create_task(self._run(False))
        if self._task is not None and not self._task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), wait)
        return self.answer()

    async def _run(self, whole: bool) -> None:
        try:
            last = self.result
            start = None
            if not whole and last is not None and last.check.chain.last_seq is not None:
                start = (last.check.chain.last_seq, last.check.chain.last_hash or "")
            head, anchor = await asyncio.to_thread(_ends, self.data_dir)
            first = start[0] + 1 if start else anchor
            walk = Walk(whole, time.time(), max(0, head - first + 1))
            self.walk = walk
            if whole:
                check = await self._walk_elsewhere(walk)
            else:
                check = await asyncio.to_thread(self._walk_here, start, walk)
            if check is None:
                return  # stopped
            now = time.time()
            if check.chain.resumed and last is not None:
                # The checkpoints as the last whole walk found them; the rows walked on top.
                check.report = last.check.report
                self.result = Result(check, last.rows + check.chain.rows, now, last.whole_at)
            else:
                self.result = Result(check, check.chain.rows, now, now)
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.error("journal verification failed: %s", exc)
        except Stopped:
            pass
        finally:
            self.walk = None

    def _walk_here(self, start: tuple[int, str] | None, walk: Walk) -> checkpoints.JournalCheck:
        """The rows added since the last walk: few, walked in a thread of the daemon."""

        def progress(rows: int) -> None:
            if self._stopping:
                raise Stopped
            walk.rows_checked = rows

        with contextlib.closing(connect(self.data_dir / "journal.db", readonly=True)) as conn:
            return checkpoints.verify_journal(conn, self.data_dir, None, start, progress)

    async def _walk_elsewhere(self, walk: Walk) -> checkpoints.JournalCheck | None:
        """The whole journal, walked by a process of its own: hashing a million rows holds the
        interpreter for tens of seconds, which the pages' requests would wait on in a thread.
        It reads the same files; what the signatures are checked with is handed to it
        (certificates only: public)."""
        verifier = self.verifier()
        order = {
            "data_dir": str(self.data_dir),
            "certificates": [
                c.public_bytes(serialization.Encoding.PEM).decode()
                for c in verifier.certificates.values()
            ],
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "aiguillage.journal_check",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        self._process = process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(order).encode())
        process.stdin.close()
        answer = None
        try:
            async for line in process.stdout:
                kind, _, data = line.decode().partition(" ")
                if kind == "progress":
                    walk.rows_checked = int(data)
                elif kind == "result":
                    answer = json.loads(data)
        finally:
            await process.wait()
            self._process = None
        if answer is None:
            if self._stopping:
                return None
            raise ValueError(f"the verifying process ended with status {process.returncode}")
        return _from_json(answer)

    def answer(self) -> dict[str, Any]:
        result, walk = self.result, self.walk
        running = None
        if walk is not None:
            running = {
                "whole_journal": walk.whole,
                "rows_checked": walk.rows_checked,
                "rows_total": walk.rows_total,
                "started_at": jr.iso(walk.started_at),
            }
        if result is None:
            return {
                "status": "unchecked",
                "rows_checked": 0,
                "last_seq": None,
                "first_bad_row": None,
                "reason": None,
                "checked_at": None,
                "whole_journal_at": None,
                "checkpoints_checked": None,
                "running": running,
            }
        check = result.check
        return {
            "status": check.status,
            "rows_checked": result.rows,
            "last_seq": check.chain.last_seq,
            "first_bad_row": check.chain.broken_at,
            "reason": check.reason,
            "checked_at": jr.iso(result.checked_at),
            "whole_journal_at": jr.iso(result.whole_at),
            "checkpoints_checked": None if check.report is None else check.report.checked,
            "running": running,
        }

    def stop(self) -> None:
        """At shutdown: the walk under way ends (its process at once, a thread's at its next
        10,000 rows), and none starts."""
        self._stopping = True
        if self._process is not None and self._process.returncode is None:
            self._process.kill()


class Stopped(Exception):
    """The daemon is stopping: the walk under way ends."""


def _ends(data_dir: Path) -> tuple[int, int]:
    """The journal's head and first row."""
    with contextlib.closing(connect(data_dir / "journal.db", readonly=True)) as conn:
        head, _ = jr.head(conn)
        (anchor,) = conn.execute("SELECT seq FROM journal_anchor").fetchone()
    return head, anchor


def _to_json(check: checkpoints.JournalCheck) -> dict[str, Any]:
    return {
        "chain": dataclasses.asdict(check.chain),
        "report": None if check.report is None else dataclasses.asdict(check.report),
    }


def _from_json(data: dict[str, Any]) -> checkpoints.JournalCheck:
    report = data["report"]
    if report is not None:
        last = report.pop("last")
        report = checkpoints.Report(
            **report, last=None if last is None else checkpoints.Checkpoint(**last)
        )
    return checkpoints.JournalCheck(jr.Verification(**data["chain"]), report)


def walk_whole(order: dict[str, Any], out: Any) -> None:
    """The verifying process: walk the journal of ``order["data_dir"]`` and its checkpoints
    (``order["certificates"]``, PEM, besides those the data dir keeps), writing ``progress N``
    lines, then ``result {json}``."""
    data_dir = Path(order["data_dir"])
    extra = [x509.load_pem_x509_certificate(pem.encode()) for pem in order["certificates"]]
    verifier = checkpoints.verifier_for(data_dir, None, extra)

    def progress(rows: int) -> None:
        out.write(f"progress {rows}\n")
        out.flush()

    with contextlib.closing(connect(data_dir / "journal.db", readonly=True)) as conn:
        check = checkpoints.verify_journal(conn, data_dir, verifier, None, progress)
    out.write(f"result {json.dumps(_to_json(check))}\n")
    out.flush()


if __name__ == "__main__":
    walk_whole(json.load(sys.stdin), sys.stdout)
