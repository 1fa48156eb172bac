"""Crash safety, the user's story: an EHR sends 300 messages, the daemon is killed with SIGKILL
in the middle, restarted, and every message reaches the receiver exactly once."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path

import aiohttp

from conftest import ROOT

COUNT = 300
LISTENING = re.compile(rb"listening on http://127\.0\.0\.1:(\d+)")


async def start_daemon(config: Path, data_dir: Path) -> tuple[asyncio.subprocess.Process, str]:
    env = {
        **os.environ,
        "AIGUILLAGE_EXTRA_PLUGINS": "relay_plugin",
        "PYTHONPATH": str(ROOT / "tests"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "aiguillage",
        "serve",
        "--config",
        str(config),
        "--data-dir",
        str(data_dir),
        "--port",
        "0",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    line = await asyncio.wait_for(process.stdout.readline(), 30)
    match = LISTENING.search(line)
    assert match, line
    return process, f"http://127.0.0.1:{int(match.group(1))}"


async def test_kill_9_mid_batch_loses_and_duplicates_nothing(receiver, tmp_path):
    config = tmp_path / "aiguillage.toml"
    config.write_text(
        f'[relay]\nendpoint = "http://127.0.0.1:{receiver.server.port}"\n'
        "[outbox.relay]\ninitial_delay = 0.05\nmax_delay = 0.5\nconcurrency = 4\n"
        "max_attempts = 20\n"
    )
    data_dir = tmp_path / "data"
    receiver.latency = 0.01  # deliveries slower than enqueues: the kill lands mid-batch
    daemon, url = await start_daemon(config, data_dir)
    token = (data_dir / "token").read_text().strip()
    acked: dict[int, int] = {}  # message number -> outbox id, for every 202 received

    async def enqueue(session: aiohttp.ClientSession, base: str, numbers: list[int]) -> None:
        for n in numbers:
            try:
                async with session.post(
                    f"{base}/v1/relay/messages",
                    json={"text": f"msg {n}"},
                    headers={"Idempotency-Key": f"msg-{n}"},
                ) as r:
                    if r.status == 202:
                        acked[n] = (await r.json())["id"]
            except aiohttp.ClientError:
                return  # the daemon is gone; the EHR will resend what was not acknowledged

    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        senders = [
            asyncio.create_task(enqueue(session, url, list(range(i, COUNT, 4)))) for i in range(4)
        ]
        deadline = time.monotonic() + 60
        while len(receiver.stored) < 60:
            assert time.monotonic() < deadline, "deliveries never started"
            await asyncio.sleep(0.005)
        daemon.send_signal(signal.SIGKILL)
        await daemon.wait()
        await asyncio.gather(*senders)
    delivered_before_kill = len(receiver.stored)
    assert delivered_before_kill < COUNT, "the kill came too late to test anything"
    acked_before_kill = dict(acked)
    print(f"killed with {delivered_before_kill} delivered, {len(acked)} acknowledged")

    daemon, url = await start_daemon(config, data_dir)
    try:
        async with aiohttp.ClientSession(headers=headers) as session:
            # The EHR resends every message with its key: acknowledged ones are replays.
            await enqueue(session, url, list(range(COUNT)))
            for n, item_id in acked_before_kill.items():
                assert acked[n] == item_id, "a replayed key must answer the first id"
            deadline = time.monotonic() + 60
            while len(receiver.stored) < COUNT:
                assert time.monotonic() < deadline, f"only {len(receiver.stored)} delivered"
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # anything still coming would be a duplicate
            async with session.get(f"{url}/v1/outbox?limit=500") as r:
                items = (await r.json())["items"]
    finally:
        daemon.terminate()
        await daemon.wait()

    assert len(items) == COUNT, "one outbox item per message, no more"
    assert {i["state"] for i in items} == {"sent"}
    assert {i["external_id"] for i in items} == set(receiver.stored)
    assert sorted(m["text"] for m in receiver.stored.values()) == sorted(
        f"msg {n}" for n in range(COUNT)
    )
    # Sends interrupted by the kill were delivered again and recognised as already there.
    resent = [i for i, c in receiver.posts.items() if c > 1]
    print(f"{len(resent)} interrupted sends were delivered again")
    assert all(receiver.stored[i] for i in resent)
