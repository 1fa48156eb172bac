"""Shared helpers of the benchmarks: start the daemon, load a URL, summarise rounds."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from aiguillage.security.testpki import TestPki

ROOT = Path(__file__).resolve().parent.parent


def start(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``python -m aiguillage <args>`` (``serve`` or ``simulate``), once it says where it
    listens; returns the process and that URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "aiguillage", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        raise SystemExit(f"did not start: {line}")
    return process, line.split("listening on ")[1].split(";")[0].strip()


def start_simulator(plugin: str, tmp: Path) -> tuple[subprocess.Popen, str, TestPki]:
    """``aiguillage simulate <plugin>`` with its data under ``tmp/sim``; returns the process,
    its URL and the test PKI it made (whose certificates the daemon then presents)."""
    process, url = start(["simulate", plugin, "--data-dir", str(tmp / "sim")])
    pki_dir = tmp / "sim" / "plugins" / plugin / "test-pki"
    return process, url, TestPki(pki_dir, (pki_dir / "password.txt").read_text())


def plugin_config(plugin: str, url: str, pki: TestPki) -> str:
    """The TOML section pointing ``plugin`` at ``url`` with the test PKI's certificates."""
    return (
        f'[{plugin}]\nendpoint = "{url}"\nserver_ca = "{pki.ca_bundle}"\n'
        f'auth_certificate = "{pki.p12("structure-auth")}"\n'
        f'auth_certificate_password = {{ file = "{pki.password_file}" }}\n'
        f'signature_certificate = "{pki.p12("practitioner-signature")}"\n'
        f'signature_certificate_password = {{ file = "{pki.password_file}" }}\n'
    )


def start_daemon(data_dir: Path, *extra: str) -> tuple[subprocess.Popen, int, str]:
    """``aiguillage serve`` on a free port; returns the process, its port and the token."""
    process, url = start(["serve", "--port", "0", "--data-dir", str(data_dir), *extra])
    return process, int(url.rsplit(":", 1)[1]), (data_dir / "token").read_text().strip()


def serve_in_process(app: web.Application) -> None:
    """Run ``app`` on a free port of 127.0.0.1 in this process (a bench's own peer); the first
    line printed says where, as :func:`start_peer` expects."""
    web.run_app(
        app, host="127.0.0.1", port=0, access_log=None, print=lambda text: print(text, flush=True)
    )


def start_peer(script: str, *args: str) -> tuple[subprocess.Popen, int]:
    """Run ``script`` (which calls :func:`serve_in_process`) in its own process; returns the
    process and its port."""
    process = subprocess.Popen(
        [sys.executable, script, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()  # "======== Running on http://127.0.0.1:PORT ========"
    return process, int(line.split(":")[-1].split()[0])


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (Linux; NaN elsewhere)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far, every thread counted (Linux;
    NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
