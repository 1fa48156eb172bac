"""VSM batches: an EHR sends the VSM of many patients at once (its ALD patients with a
qualified INS, say); each becomes one outbox item, and the batch remembers which."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Any

from aiguillage.plugin import Daemon, Store, new_uuid

FINAL = ("sent", "failed", "dead", "cancelled")


def _create_batch_items(db: Any) -> None:
    # The table a batch store held before it had migrations: kept as it was.
    db.execute(
        "CREATE TABLE IF NOT EXISTS batch_items (batch_id TEXT NOT NULL, "
        "item_id INTEGER NOT NULL UNIQUE, patient TEXT NOT NULL, created_at REAL NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS batch_items_batch ON batch_items (batch_id)")


MIGRATIONS = [_create_batch_items]


def _record(conn: sqlite3.Connection, item_ids: list[tuple[int, str]], now: float) -> str:
    # A replayed request finds its items already in a batch: that batch is the answer.
    row = conn.execute(
        "SELECT batch_id FROM batch_items WHERE item_id = ?", [item_ids[0][0]]
    ).fetchone()
    if row is not None:
        return row[0]
    batch_id = str(new_uuid())
    conn.executemany(
        "INSERT INTO batch_items VALUES (?, ?, ?, ?)",
        [(batch_id, item_id, patient, now) for item_id, patient in item_ids],
    )
    return batch_id


class Batches:
    def __init__(self, path: Path) -> None:
        self.store = Store(path, "dmp.batches", MIGRATIONS)

    def close(self) -> None:
        self.store.close()

    async def record(self, item_ids: list[tuple[int, str]]) -> str:
        """The batch of these ``(outbox item id, patient INS)``: a new one, durable when this
        returns, or the one they already form."""
        return await self.store.write(_record, item_ids, time.time())

    def batch_of(self, item_id: int) -> str | None:
        row = self.store.reader.execute(
            "SELECT batch_id FROM batch_items WHERE item_id = ?", [item_id]
        ).fetchone()
        return row[0] if row else None

    def summary(self, batch_id: str, daemon: Daemon) -> dict[str, Any] | None:
        rows = self.store.reader.execute(
            "SELECT item_id, patient FROM batch_items WHERE batch_id = ? ORDER BY item_id",
            [batch_id],
        ).fetchall()
        if not rows:
            return None
        counts: dict[str, int] = {}
        failures = []
        found = daemon.item_states([item_id for item_id, _ in rows])
        for item_id, patient in rows:
            state, error = found.get(item_id, ("unknown", None))
            counts[state] = counts.get(state, 0) + 1
            if state in ("failed", "dead"):
                failures.append(
                    {"item_id": item_id, "patient": patient, "state": state, "error": error}
                )
        done = sum(counts.get(s, 0) for s in FINAL)
        return {
            "batch_id": batch_id,
            "total": len(rows),
            "counts": counts,
            "done": done == len(rows),
            "failures": failures,
        }


async def report_progress(batches: Batches, daemon: Daemon) -> None:
    """Publish ``dmp.batch`` on the event stream each time an item of a batch ends."""
    subscription = daemon.subscribe()
    last_sent: dict[str, float] = {}
    try:
        while not daemon.stopping:
            event = await subscription.get(15.0)
            if event is None or event.type != "outbox.item":
                if subscription.overflowed:  # too slow for a burst: listen again
                    subscription.close()
                    subscription = daemon.subscribe()
                continue
            if event.data.get("state") not in FINAL:
                continue
            batch_id = batches.batch_of(event.data["id"])
            if batch_id is None:
                continue
            summary = batches.summary(batch_id, daemon)
            # At most one event a second per batch while it runs, and always the last one.
            now = time.monotonic()
            if not summary["done"] and now - last_sent.get(batch_id, 0.0) < 1.0:
                continue
            last_sent[batch_id] = now
            publish_progress(summary, daemon)
    finally:
        subscription.close()


def publish_progress(summary: dict[str, Any], daemon: Daemon) -> None:
    daemon.publish(
        "dmp.batch",
        {k: summary[k] for k in ("batch_id", "total", "counts", "done")},
        scope="dmp",
    )


def start_reporting(batches: Batches, daemon: Daemon) -> asyncio.Task[None]:
    return asyncio.create_task(report_progress(batches, daemon))


async def stop_reporting(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
