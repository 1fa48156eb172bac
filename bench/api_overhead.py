"""What the guard costs: authenticated ``GET /v1/health`` through every middleware, against a
bare aiohttp app answering the same JSON, loaded by the same client in the same run.

    python bench/api_overhead.py [--rounds 5] [--requests 5000] [--concurrency 10]

Target (issue 2): daemon >= 0.6 x the bare app's requests/s, daemon p99 < 5 ms at 10 connections.
Rounds alternate daemon / bare so machine drift hits both sides alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

import aiohttp
from aiohttp import web

from common import load, serve_in_process, start_daemon, start_peer, summary


def serve_bare(body_file: str) -> None:
    body = Path(body_file).read_bytes()

    async def health(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/v1/health", health)
    serve_in_process(app)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        daemon, port, token = start_daemon(Path(tmp) / "data")
        try:
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/v1/health"
                async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as r:
                    body = await r.read()
            (Path(tmp) / "body.json").write_bytes(body)
            bare, bare_port = start_peer(__file__, "--bare", str(Path(tmp) / "body.json"))
            try:
                sides = {
                    "daemon /v1/health (auth)": (
                        f"http://127.0.0.1:{port}/v1/health",
                        {"Authorization": f"Bearer {token}"},
                    ),
                    "bare aiohttp, same JSON": (f"http://127.0.0.1:{bare_port}/v1/health", {}),
                }
                for url, headers in sides.values():  # warm-up, not counted
                    await load(url, headers, 500, args.concurrency)
                rounds: dict[str, list] = {name: [] for name in sides}
                for i in range(args.rounds):
                    for name, (url, headers) in sides.items():
                        rounds[name].append(
                            await load(url, headers, args.requests, args.concurrency)
                        )
                    print(f"round {i + 1}/{args.rounds} done", file=sys.stderr)
            finally:
                bare.terminate()
                bare.wait()
        finally:
            daemon.terminate()
            daemon.wait()
    print(
        f"{args.rounds} interleaved rounds of {args.requests} requests, "
        f"{args.concurrency} connections, body {len(body)} bytes"
    )
    for name, side in rounds.items():
        print(summary(name, side))
    daemon_side, bare_side = rounds.values()
    ratio = statistics.median(r.rate for r in daemon_side) / statistics.median(
        r.rate for r in bare_side
    )
    p99 = statistics.median(r.percentile(99) for r in daemon_side)
    print(f"ratio daemon/bare (req/s medians): {ratio:.2f}  (target >= 0.60)")
    print(f"daemon p99: {p99:.2f} ms  (target < 5 ms)")
    print(json.dumps({"ratio": round(ratio, 3), "daemon_p99_ms": round(p99, 3)}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--bare":
        serve_bare(sys.argv[2])
        sys.exit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=10)
    asyncio.run(main(parser.parse_args()))
