"""Each plugin's last success and failure (``GET /v1/plugins``) with a large journal.

Fills a journal with N rows (default 1,000,000), then measures, interleaved (A B A B…, 5 times):

- the look a ``GET /v1/plugins`` makes when nothing was added (A) against the cheapest query
  there is, the journal's last ``seq`` (B, the baseline);
- the look after 1,000 new rows (A) against reading those rows and nothing else (B);
- the first start's walk back over the whole journal, in steps between which the daemon
  serves requests (once: it runs once per data dir), with the longest pause of the event loop.

    python bench/plugin_outcomes.py [--rows N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from aiguillage.hookspecs import PluginInfo
from aiguillage.journal import open_database
from aiguillage.outcomes import Outcomes

INFOS = {
    "insi": PluginInfo("insi", "1", "INSi", api_prefixes=("ins",), success_outcomes=("ok", "cr00")),
    "dmp": PluginInfo("dmp", "1", "DMP", outbox_kinds=("dmp.document",)),
    "jfse": PluginInfo("jfse", "1", "jFSE", api_prefixes=("fse",)),  # never journaled
}
EVENTS = ("ins.search", "ins.verify", "dmp.document.sent", "security.rejected", "daemon.started")
INSERT = (
    "INSERT INTO journal (time, event, outcome, summary, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, '', '')"
)


def fill(conn, count: int, start: int = 0) -> None:
    rows = (
        (
            f"2026-12-0{1 + i % 9}T10:00:00.000000+00:00",
            random.choice(EVENTS),
            "ok" if i % 50 else "timeout",
            f"row {i}",
        )
        for i in range(start, start + count)
    )
    conn.execute("BEGIN")
    conn.executemany(INSERT, rows)
    conn.execute("COMMIT")


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def report(label: str, a: list[float], b: list[float], baseline: str) -> None:
    ma, mb = statistics.median(a), statistics.median(b)
    print(
        f"{label}: median {ma:.3f} ms (min {min(a):.3f}, max {max(a):.3f}); "
        f"{baseline}: median {mb:.3f} ms (min {min(b):.3f}, max {max(b):.3f}); "
        f"ratio {ma / mb:.1f}"
    )


async def walk(outcomes: Outcomes, conn) -> tuple[float, float]:
    longest = 0.0

    async def tick() -> None:
        nonlocal longest
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0)
            longest = max(longest, time.perf_counter() - before)

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    await outcomes.walk_back(conn)
    total = time.perf_counter() - started
    ticker.cancel()
    return total, longest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory(prefix="outcomes-") as folder:
        data = Path(folder)
        conn = open_database(data / "journal.db")
        started = time.perf_counter()
        fill(conn, rows)
        print(f"journal filled with {rows:,} rows in {time.perf_counter() - started:.1f} s")

        outcomes = Outcomes(data, INFOS)
        outcomes.open(conn)
        total, longest = asyncio.run(walk(outcomes, conn))
        print(
            f"first start, walk back over {rows:,} rows (a plugin never journaled): "
            f"{total:.1f} s in the background, longest event-loop pause {longest * 1000:.0f} ms"
        )

        idle, head = [], []
        for _ in range(5):
            idle.append(timed(lambda: outcomes.refresh(conn)))
            head.append(timed(lambda: conn.execute("SELECT max(seq) FROM journal").fetchone()))
        report("look, nothing new", idle, head, "baseline max(seq)")

        burst, plain = [], []
        for n in range(5):
            last = outcomes.seq
            fill(conn, 1000, rows + n * 1000)

            def read(last: int = last) -> None:
                conn.execute(
                    "SELECT seq, time, event, outcome, summary FROM journal WHERE seq > ?",
                    [last],
                ).fetchall()

            # Either may warm the cache for the other: each goes first every other time.
            if n % 2:
                burst.append(timed(lambda: outcomes.refresh(conn)))
                plain.append(timed(read))
            else:
                plain.append(timed(read))
                burst.append(timed(lambda: outcomes.refresh(conn)))
        report("look after 1,000 new rows", burst, plain, "baseline reading them")
        conn.close()


if __name__ == "__main__":
    main()
