"""A full disk while serving: the request is refused with a problem that says so, nothing is
half done, and the same request goes through once space is back."""

from __future__ import annotations

import sqlite3

from aiguillage.appkeys import OUTBOX
from aiguillage.problems import storage_problem

PROBLEM = "application/problem+json"


async def _limit_outbox(client, extra_pages: int | None) -> None:
    """SQLite's page cap is a real full disk as SQLite sees it: SQLITE_FULL on the next write
    that needs a new page."""

    def cap(conn: sqlite3.Connection) -> None:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        limit = 2**31 - 2 if extra_pages is None else pages + extra_pages
        conn.execute(f"PRAGMA max_page_count = {limit}")

    await client.app[OUTBOX].write(cap)


async def test_a_full_disk_is_a_507_and_nothing_is_queued(relay):
    await _limit_outbox(relay, 0)
    headers = {"Idempotency-Key": "full-1"}
    response = await relay.post("/v1/relay/messages", json={"text": "x" * 10_000}, headers=headers)
    assert response.status == 507, await response.text()
    problem = await response.json(content_type=PROBLEM)
    assert problem["type"].endswith(":storage-full")
    assert "Traceback" not in problem["detail"] and response.headers["Retry-After"]
    assert (await (await relay.get("/v1/outbox")).json())["items"] == []

    await _limit_outbox(relay, None)
    again = await relay.post("/v1/relay/messages", json={"text": "x" * 10_000}, headers=headers)
    assert again.status == 202 and "Idempotent-Replayed" not in again.headers


def test_storage_errors_are_told_apart():
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"
    read_only = sqlite3.OperationalError("attempt to write a readonly database")
    read_only.sqlite_errorname = "SQLITE_READONLY"
    assert storage_problem(full).status == 507
    assert storage_problem(OSError(28, "No space left on device")).slug == "storage-full"
    assert storage_problem(read_only).status == 503
    assert storage_problem(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    assert storage_problem(ConnectionRefusedError(111, "refused")) is None
    assert storage_problem(PermissionError(13, "blocked connect")) is None
