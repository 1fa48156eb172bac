"""Outbox throughput, in one run:

(a) durable enqueue through the API (POST -> 202 after the commit is on disk),
(b) raw SQLite insert + commit of the same rows with the same durability (WAL, synchronous=FULL),
(c) delivery of the queued items to a local no-op receiver (concurrency 8),
(d) enqueue -> delivered latency at a steady rate.

    python bench/outbox.py [--rounds 5] [--items 2000] [--concurrency 32]

Targets (issue 3): (a) >= 2,000 items/s and a/b >= 0.15; (c) >= 1,000 items/s.
Rounds interleave a, b, c so machine drift hits every side alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from common import ROOT, serve_in_process, start, start_peer

LISTENING = "listening on http://127.0.0.1:"


# --- the receiver, run in its own process ------------------------------------------------------


def serve_receiver() -> None:
    received: dict[str, float] = {}
    released = asyncio.Event()
    released.set()

    async def item(request: web.Request) -> web.Response:
        body = await request.json()
        await released.wait()
        received.setdefault(body["id"], time.time())
        return web.json_response({"ok": True}, status=201)

    async def control(request: web.Request) -> web.Response:
        action = request.match_info["action"]
        if action == "hold":
            released.clear()
        elif action == "release":
            released.set()
        return web.json_response(
            {"received": len(received), "times": received if action == "times" else None}
        )

    app = web.Application()
    app.router.add_post("/items", item)
    app.router.add_get("/control/{action}", control)
    serve_in_process(app)


# --- helpers -----------------------------------------------------------------------------------


async def enqueue(
    session: aiohttp.ClientSession, url: str, count: int, concurrency: int, start: int
) -> tuple[float, dict[str, float]]:
    """POST ``count`` items from ``concurrency`` connections; returns seconds and 202 times."""
    accepted: dict[str, float] = {}
    numbers = iter(range(start, start + count))

    async def worker() -> None:
        for n in numbers:
            async with session.post(
                url, json={"n": n, "text": "x" * 200}, headers={"Idempotency-Key": f"b-{n}"}
            ) as r:
                if r.status != 202:
                    raise SystemExit(f"enqueue answered {r.status}: {await r.text()}")
                accepted[(await r.json())["external_id"]] = time.time()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, accepted


def raw_inserts(path: Path, count: int) -> float:
    """The floor: the same rows, one INSERT + COMMIT each, WAL and synchronous=FULL."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, plugin TEXT, "
        "kind TEXT, external_id TEXT, idempotency_key TEXT UNIQUE, payload TEXT, "
        "state TEXT, next_attempt_at REAL, created_at REAL, updated_at REAL)"
    )
    base = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    payload = json.dumps({"n": 0, "text": "x" * 200})
    started = time.perf_counter()
    for n in range(base, base + count):
        now = time.time()
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO items (plugin, kind, external_id, idempotency_key, payload, "
            "state, next_attempt_at, created_at, updated_at) VALUES "
            "('bench', 'bench.item', ?, ?, ?, 'queued', ?, ?, ?)",
            [f"bench-{n}", f"k-{n}", payload, now, now, now],
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


async def control(session: aiohttp.ClientSession, base: str, action: str) -> dict:
    async with session.get(f"{base}/control/{action}") as r:
        return await r.json()


async def wait_received(session: aiohttp.ClientSession, base: str, total: int) -> None:
    deadline = time.monotonic() + 300
    while (await control(session, base, "count"))["received"] < total:
        if time.monotonic() > deadline:
            raise SystemExit("deliveries stalled")
        await asyncio.sleep(0.01)


def line(name: str, rates: list[float]) -> str:
    return (
        f"{name:<34} {statistics.median(rates):>8.0f} items/s "
        f"(min {min(rates):.0f}, max {max(rates):.0f})"
    )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        receiver, receiver_port = start_peer(__file__, "--receiver")
        rbase = f"http://127.0.0.1:{receiver_port}"
        config = tmp_path / "bench.toml"
        config.write_text(
            f'[daemon]\nlog_level = "warning"\n[bench]\nendpoint = "{rbase}"\n'
            "[outbox.bench]\nconcurrency = 8\n"
        )
        env = {
            **os.environ,
            "AIGUILLAGE_EXTRA_PLUGINS": "noop_plugin",
            "PYTHONPATH": str(ROOT / "bench"),
        }
        daemon, daemon_url = start(
            ["serve", "--config", str(config), "--port", "0", "--data-dir", str(tmp_path / "data")],
            env=env,
        )
        token = (tmp_path / "data" / "token").read_text().strip()
        url = f"{daemon_url}/v1/bench/items"
        api, raw, delivery = [], [], []
        try:
            connector = aiohttp.TCPConnector(limit=args.concurrency)
            async with aiohttp.ClientSession(
                connector=connector, headers={"Authorization": f"Bearer {token}"}
            ) as session:
                await enqueue(session, url, 200, args.concurrency, start=10_000_000)  # warm-up
                await wait_received(session, rbase, 200)
                total = 200
                for i in range(args.rounds):
                    # (a) with the receiver holding its answers: the workers sit idle, so the
                    # API is measured alone.
                    await control(session, rbase, "hold")
                    seconds, _ = await enqueue(
                        session, url, args.items, args.concurrency, start=i * args.items
                    )
                    api.append(args.items / seconds)
                    raw.append(args.items / raw_inserts(tmp_path / "raw.db", args.items))
                    # (c) the backlog drains into the no-op receiver.
                    started = time.perf_counter()
                    await control(session, rbase, "release")
                    total += args.items
                    await wait_received(session, rbase, total)
                    delivery.append(args.items / (time.perf_counter() - started))
                    print(f"round {i + 1}/{args.rounds} done", file=sys.stderr)
                # (d) latency at a steady 500 items/s, well under both capacities.
                accepted: dict[str, float] = {}
                for _ in range(args.latency_seconds * 10):
                    tick = time.perf_counter()
                    _, batch = await enqueue(session, url, 50, 10, start=20_000_000 + len(accepted))
                    accepted.update(batch)
                    await asyncio.sleep(max(0.0, 0.1 - (time.perf_counter() - tick)))
                total += len(accepted)
                await wait_received(session, rbase, total)
                times = (await control(session, rbase, "times"))["times"]
                latencies = sorted((times[k] - t) * 1000 for k, t in accepted.items())
        finally:
            daemon.terminate()
            daemon.wait()
            receiver.terminate()
            receiver.wait()
    print(
        f"{args.rounds} interleaved rounds of {args.items} items; API at {args.concurrency} "
        f"connections; delivery concurrency 8"
    )
    print(line("(a) durable enqueue via API", api))
    print(line("(b) raw SQLite insert+commit", raw))
    print(line("(c) delivery to no-op receiver", delivery))
    ratio = statistics.median(api) / statistics.median(raw)
    print(f"ratio a/b: {ratio:.2f}  (targets: a >= 2000/s, a/b >= 0.15, c >= 1000/s)")
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[int(len(latencies) * 0.99)]
    print(
        f"(d) enqueue->delivered at 500 items/s ({len(latencies)} items): "
        f"p50 {p50:.1f} ms  p99 {p99:.1f} ms"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--receiver"]:
        serve_receiver()
        sys.exit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency-seconds", type=int, default=4)
    asyncio.run(main(parser.parse_args()))
