"""Shared helpers of the benchmarks: start the daemon, load a URL, summarise rounds."""

from __future__ import annotations

import asyncio
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
_LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


def start_daemon(data_dir: Path, *extra: str) -> tuple[subprocess.Popen, int, str]:
    """``aiguillage serve`` on a free port; returns the process, its port and the token."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiguillage",
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    match = _LISTENING.search(process.stdout.readline())
    if not match:
        process.kill()
        raise SystemExit("the daemon did not start")
    return process, int(match.group(1)), (data_dir / "token").read_text().strip()


@dataclass
class Round:
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def load(url: str, headers: dict[str, str], total: int, concurrency: int) -> Round:
    """GET ``url`` ``total`` times from ``concurrency`` connections; every answer must be 200."""
    latencies: list[float] = []
    remaining = total
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                async with session.get(url) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"{url} answered {response.status}")
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), 300)
        return Round(total, time.perf_counter() - started, latencies)


def summary(name: str, rounds: list[Round]) -> str:
    rates = [r.rate for r in rounds]
    p50 = statistics.median(r.percentile(50) for r in rounds)
    p99 = statistics.median(r.percentile(99) for r in rounds)
    return (
        f"{name:<28} {statistics.median(rates):>9.0f} req/s "
        f"(min {min(rates):.0f}, max {max(rates):.0f})  p50 {p50:.2f} ms  p99 {p99:.2f} ms"
    )
