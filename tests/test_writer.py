"""The group-commit writer: jobs commit together, each in its own savepoint; a small write that
needs no fsync, with nothing ahead of it, runs on the event loop without waiting for anyone."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from aiguillage.writer import BUSY_TIMEOUT_MS, Writer, connect


@pytest.fixture
def writer(tmp_path):
    conn = connect(tmp_path / "w.db")
    conn.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, thread TEXT)")
    writer = Writer(conn, "test")
    yield writer
    writer.close()
    conn.close()


def insert(n: int):
    def job(conn: sqlite3.Connection) -> str:
        if n < 0:
            raise ValueError("refused")
        conn.execute("INSERT INTO t VALUES (?, ?)", [n, threading.current_thread().name])
        return threading.current_thread().name

    return job


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT n, thread FROM t ORDER BY n").fetchall()


async def test_durable_jobs_commit_together_and_a_failing_one_alone_rolls_back(writer, tmp_path):
    results = await asyncio.gather(
        *(writer.run(insert(n)) for n in (1, 2, -1, 3)), return_exceptions=True
    )
    assert results[:2] == ["test-writer"] * 2 and results[3] == "test-writer"
    assert isinstance(results[2], ValueError)
    assert [n for n, _ in rows(tmp_path / "w.db")] == [1, 2, 3]


async def test_a_lone_non_durable_write_runs_on_the_loop(writer, tmp_path):
    assert await writer.run(insert(1), durable=False) == threading.current_thread().name
    with pytest.raises(ValueError, match="refused"):
        await writer.run(insert(-1), durable=False)
    assert await writer.run(insert(2)) == "test-writer"  # durable: the writer thread's fsync
    assert [n for n, _ in rows(tmp_path / "w.db")] == [1, 2]


async def test_a_database_locked_elsewhere_never_blocks_the_loop(writer, tmp_path):
    other = sqlite3.connect(tmp_path / "w.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    loop = asyncio.get_running_loop()
    before = loop.time()
    write = asyncio.create_task(writer.run(insert(1), durable=False))
    await asyncio.sleep(0)  # the write's first step: it must not wait for the lock here
    # Behaviour, not speed: waiting for the lock would hold the loop for the busy timeout.
    assert loop.time() - before < BUSY_TIMEOUT_MS / 1000 / 2
    assert not write.done()  # queued for the writer thread, which waits for the lock
    other.execute("COMMIT")
    assert await asyncio.wait_for(write, BUSY_TIMEOUT_MS / 1000) == "test-writer"
    other.close()
    assert rows(tmp_path / "w.db") == [(1, "test-writer")]


async def test_durable_jobs_queued_while_the_writer_is_busy_share_one_commit(writer, tmp_path):
    commits: list[str] = []
    writer.conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    busy, release = threading.Event(), threading.Event()

    def slow(conn: sqlite3.Connection) -> None:
        busy.set()
        release.wait(10)

    first = asyncio.ensure_future(writer.run(slow))
    assert await asyncio.to_thread(busy.wait, 10), "the writer never took the first job"
    jobs = [asyncio.ensure_future(writer.run(insert(n))) for n in range(1, 51)]
    # Each task queues its job in its first step, all scheduled before this callback: the
    # writer is released with all 50 waiting.
    asyncio.get_running_loop().call_soon(release.set)
    assert await asyncio.gather(*jobs) == ["test-writer"] * 50
    await first
    assert [n for n, _ in rows(tmp_path / "w.db")] == list(range(1, 51))
    # One commit for the slow job, one for the 50 that queued behind it.
    assert len(commits) == 2, f"{len(commits)} commits for 51 durable jobs"
