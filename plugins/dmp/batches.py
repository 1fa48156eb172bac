"""VSM batches: an EHR sends the VSM of many patients at once (its ALD patients with a
qualified INS, say); each becomes one outbox item, and the batch remembers which."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

from aiguillage import outbox as ob
from aiguillage.events import EventBus

FINAL = ("sent", "failed", "dead", "cancelled")


class Batches:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS batch_items (batch_id TEXT NOT NULL, "
            "item_id INTEGER NOT NULL UNIQUE, patient TEXT NOT NULL, "
            "created_at REAL NOT NULL)"
        )
        self.db.execute("CREATE INDEX IF NOT EXISTS batch_items_batch ON batch_items (batch_id)")

    def close(self) -> None:
        self.db.close()

    def record(self, item_ids: list[tuple[int, str]]) -> str:
        batch_id = str(uuid.uuid4())
        now = time.time()
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO batch_items VALUES (?, ?, ?, ?)",
                [(batch_id, item_id, patient, now) for item_id, patient in item_ids],
            )
        # A replayed request finds its items already in a batch: answer that one.
        row = self.db.execute(
            "SELECT batch_id FROM batch_items WHERE item_id = ?", [item_ids[0][0]]
        ).fetchone()
        return row[0]

    def batch_of(self, item_id: int) -> str | None:
        row = self.db.execute(
            "SELECT batch_id FROM batch_items WHERE item_id = ?", [item_id]
        ).fetchone()
        return row[0] if row else None

    def summary(self, batch_id: str, outbox: ob.Outbox) -> dict[str, Any] | None:
        rows = self.db.execute(
            "SELECT item_id, patient FROM batch_items WHERE batch_id = ? ORDER BY item_id",
            [batch_id],
        ).fetchall()
        if not rows:
            return None
        counts: dict[str, int] = {}
        failures = []
        found = ob.states(outbox.reader, [item_id for item_id, _ in rows])
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


async def report_progress(batches: Batches, outbox: ob.Outbox, events: EventBus) -> None:
    """Publish ``dmp.batch`` on the event stream each time an item of a batch ends."""
    subscription, _ = events.subscribe()
    last_sent: dict[str, float] = {}
    try:
        while not events.closed:
            event = await subscription.get(15.0)
            if event is None or event.type != "outbox.item":
                if subscription.overflowed:  # too slow for a burst: listen again
                    subscription.close()
                    subscription, _ = events.subscribe()
                continue
            if event.data.get("state") not in FINAL:
                continue
            batch_id = batches.batch_of(event.data["id"])
            if batch_id is None:
                continue
            summary = batches.summary(batch_id, outbox)
            # At most one event a second per batch while it runs, and always the last one.
            now = time.monotonic()
            if not summary["done"] and now - last_sent.get(batch_id, 0.0) < 1.0:
                continue
            last_sent[batch_id] = now
            events.publish(
                "dmp.batch",
                {k: summary[k] for k in ("batch_id", "total", "counts", "done")},
                scope="dmp",
            )
    finally:
        subscription.close()


def start_reporting(batches: Batches, outbox: ob.Outbox, events: EventBus) -> asyncio.Task[None]:
    return asyncio.create_task(report_progress(batches, outbox, events))


async def stop_reporting(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
