"""DMP sends: PDFs queued through the daemon's API and delivered to the DMP simulator, against
the same submissions made by the plugin's client directly, in the same run.

    python bench/dmp.py [--rounds 3] [--docs 1000] [--kb 200] [--concurrency 8]
                        [--paced-rate 50] [--paced-docs 500]

Three sides per round: the daemon (the EHR posts each PDF, base64 in JSON, then the outbox
delivers); the plugin's client called directly in a loop, one submission after the other (the
baseline issue 5 names); and the same client with --concurrency submissions at once, which
asks more of the daemon than the issue does. Prints documents/s of each side (median, min-max
over interleaved rounds) with the CPU each process spent per document, enqueue->delivered
p50/p99 through the daemon (documents arriving at --paced-rate, below capacity; and in the
rounds, where they all arrive at once and wait their turn), and the daemon's peak RSS.
Target (issue 5): daemon >= 0.8 x the direct client's documents/s, daemon RSS under 250 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from aiguillage import mtom
from aiguillage.ihe.cda import DocumentInfo, level1, new_oid, patient_of
from aiguillage.ihe.valuesets import lookup
from aiguillage.plugins.dmp import xades
from aiguillage.plugins.dmp.client import DmpClient
from aiguillage.plugins.dmp.metadata import DocumentEntry, Submission, provide_and_register
from aiguillage.security.credentials import client_context, load_credential
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Signer
from aiguillage.security.testpki import TEST_PRACTITIONER_ID, TEST_STRUCTURE_ID
from aiguillage.security.vihf import Software

from common import cpu_seconds, peak_rss_mb, plugin_config, start, start_simulator

PATIENT = {
    "ins": {"matricule": "277076322082910"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
    },
}


async def through_daemon(
    session: aiohttp.ClientSession,
    url: str,
    pdf: bytes,
    docs: int,
    concurrency: int,
    pace: float | None = None,
) -> tuple[float, list[float]]:
    """Post ``docs`` PDFs from ``concurrency`` connections — as fast as they go, or at ``pace``
    documents/s — and wait for every delivery; returns the seconds from the first post to the
    last delivery, and each document's enqueue->delivered milliseconds."""
    # The JSON is built once per run (only the title changes), so the load generator's own
    # encoding does not eat the CPU the daemon is measured on.
    head = json.dumps({"patient": PATIENT})[:-1].encode() + b', "document": {"pdf": "'
    head += base64.b64encode(pdf) + b'", "type_code": "11488-4", "title": "Bench '
    numbers = iter(range(docs))
    ids: list[int] = []

    async def worker() -> None:
        for n in numbers:
            if pace is not None:
                await asyncio.sleep(max(0.0, started + n / pace - time.time()))
            body = head + str(n).encode() + b'"}}'
            async with session.post(
                f"{url}/v1/dmp/documents", data=body, headers={"Content-Type": "application/json"}
            ) as r:
                if r.status != 202:
                    raise SystemExit(f"enqueue answered {r.status}: {await r.text()}")
                ids.append((await r.json())["id"])

    started = time.time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    # While the round runs, only cheap probes (one item each); the sent items are listed once,
    # at the end, so the harness's own reading does not load the daemon it measures.
    deadline = time.monotonic() + 600
    while await _any(session, url, "queued") or await _any(session, url, "sending"):
        if time.monotonic() > deadline:
            raise SystemExit("deliveries stalled")
        if failed := await _any(session, url, "failed"):
            raise SystemExit(f"a send failed: {failed['last_error']}")
        await asyncio.sleep(0.05)
    sent = await _sent_since(session, url, started)
    missing = set(ids) - {item["id"] for item in sent}
    if missing:
        raise SystemExit(f"{len(missing)} documents not sent, e.g. item {min(missing)}")
    latencies, last = [], started
    for item in sent:
        sent_at = dt.datetime.fromisoformat(item["sent_at"]).timestamp()
        created_at = dt.datetime.fromisoformat(item["created_at"]).timestamp()
        latencies.append((sent_at - created_at) * 1000)
        last = max(last, sent_at)
    # The round ends when the daemon recorded its last delivery, not when a probe noticed it.
    return last - started, latencies


async def _any(session: aiohttp.ClientSession, url: str, state: str) -> dict | None:
    async with session.get(f"{url}/v1/outbox?state={state}&limit=1") as r:
        items = (await r.json())["items"]
    return items[0] if items else None


async def _sent_since(session: aiohttp.ClientSession, url: str, since: float) -> list[dict]:
    start = dt.datetime.fromtimestamp(since, dt.UTC).isoformat()
    items: list[dict] = []
    cursor = None
    while True:
        query = {"state": "sent", "from": start, "limit": "500"}
        if cursor is not None:
            query["cursor"] = str(cursor)
        async with session.get(f"{url}/v1/outbox", params=query) as r:
            page = await r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def direct(
    client: DmpClient,
    signer_credential,
    practitioner: Practitioner,
    pdf: bytes,
    docs: int,
    concurrency: int,
) -> float:
    patient = patient_of(PATIENT)
    numbers = iter(range(docs))

    async def worker() -> None:
        for n in numbers:
            now = dt.datetime.now(dt.UTC)
            info = DocumentInfo(f"Direct {n}", "11488-4", created=now)
            cda = level1(base64.b64encode(pdf), info, patient, practitioner)
            signature = xades.sign({info.unique_id: cda}, signer_credential, now=now)
            submission = Submission(
                patient,
                practitioner,
                DocumentEntry(cda, info.unique_id, info.title, "11488-4", "pdf", now),
                signature,
                new_oid(),
                "1.2.250.1.999.1",
                lookup("dmp_content_type", practitioner.activity_sector),
            )
            body = provide_and_register(submission, ("d@b", "s@b"))
            await client.provide(
                body,
                [mtom.Part("d@b", "text/xml", cda), mtom.Part("s@b", "text/xml", signature)],
                practitioner,
                patient.ins,
                patient.ins_oid,
            )

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def main(args: argparse.Namespace) -> None:
    pdf = b"%PDF-1.4\n" + os.urandom(args.kb * 1024) + b"\n%%EOF\n"
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        simulator, sim_url, pki = start_simulator("dmp", tmp)
        config = tmp / "bench.toml"
        config.write_text(
            '[daemon]\nlog_level = "warning"\nmax_body_bytes = 1048576\n'
            "[insi]\nenabled = false\n[mssante]\nenabled = false\n[apcv]\nenabled = false\n"
            "[jfse]\nenabled = false\n"
            + plugin_config("dmp", sim_url, pki)
            + f"[outbox.dmp]\nconcurrency = {args.concurrency}\n"
        )
        daemon, url = start(
            ["serve", "--config", str(config), "--port", "0", "--data-dir", str(tmp / "daemon")]
        )
        token = (tmp / "daemon" / "token").read_text().strip()
        signature = load_credential(pki.p12("practitioner-signature"), pki.password)
        practitioner = Practitioner(
            TEST_PRACTITIONER_ID,
            family_name="LIBRE",
            given_name="MAX",
            structure_id=TEST_STRUCTURE_ID,
            structure_name="CABINET TEST",
            billing_id="991130972",
        )
        tls = client_context(
            load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle
        )
        daemon_side = "daemon API + outbox"
        loop_side = "direct client, a loop"
        concurrent_side = f"direct client, {args.concurrency} at once"
        rates: dict[str, list[float]] = {daemon_side: [], loop_side: [], concurrent_side: []}
        # CPU ms per document of each process (daemon, simulator, this one), per side.
        cpu = {side: [0.0, 0.0, 0.0] for side in rates}
        latencies: list[float] = []

        async def measured(side: str, seconds_of: Callable[[], Awaitable[float]]) -> None:
            pids = (daemon.pid, simulator.pid, os.getpid())
            before = [cpu_seconds(pid) for pid in pids]
            seconds = await seconds_of()
            for n, pid in enumerate(pids):
                cpu[side][n] += (cpu_seconds(pid) - before[n]) * 1000 / args.docs / args.rounds
            rates[side].append(args.docs / seconds)

        async def daemon_round() -> float:
            seconds, lat = await through_daemon(api, url, pdf, args.docs, args.concurrency)
            latencies.extend(lat)
            return seconds

        try:
            async with (
                aiohttp.ClientSession(
                    headers={"Authorization": f"Bearer {token}"},
                    connector=aiohttp.TCPConnector(limit=32),
                ) as api,
                aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(ssl=tls, limit=32)
                ) as dmp_session,
            ):
                client = DmpClient(
                    base_url=sim_url,
                    session=dmp_session,
                    signer=Signer(signature),
                    software=Software("1.2.250.1.999.1", "bench", "1", "NumAutorisation"),
                    timeout=60,
                )
                await through_daemon(api, url, pdf, 10, args.concurrency)  # warm-up
                await direct(client, signature, practitioner, pdf, 10, args.concurrency)
                for i in range(args.rounds):
                    await measured(daemon_side, daemon_round)
                    for side, at_once in ((loop_side, 1), (concurrent_side, args.concurrency)):
                        await measured(
                            side,
                            lambda at_once=at_once: direct(
                                client, signature, practitioner, pdf, args.docs, at_once
                            ),
                        )
                    print(f"round {i + 1}/{args.rounds} done", file=sys.stderr)
                # Latency below capacity: documents arriving at a steady pace, not all at once.
                _, paced = await through_daemon(
                    api, url, pdf, args.paced_docs, args.concurrency, pace=args.paced_rate
                )
            rss = peak_rss_mb(daemon.pid)
        finally:
            for process in (daemon, simulator):
                process.terminate()
                process.wait()
    print(
        f"{args.rounds} interleaved rounds of {args.docs} PDFs of {args.kb} KB; through the "
        f"daemon, {args.concurrency} API connections and {args.concurrency} deliveries at once"
    )
    for side, side_rates in rates.items():
        print(
            f"{side:<26} {statistics.median(side_rates):>7.1f} docs/s "
            f"(min {min(side_rates):.1f}, max {max(side_rates):.1f}); CPU ms/doc: "
            + ", ".join(
                f"{who} {ms:.1f}"
                for who, ms in zip(("daemon", "simulator", "bench"), cpu[side], strict=True)
            )
        )
    daemon_rate = statistics.median(rates[daemon_side])
    print(
        f"ratio daemon / {loop_side}: "
        f"{daemon_rate / statistics.median(rates[loop_side]):.2f} (the issue's target: >= 0.8)"
    )
    print(
        f"ratio daemon / {concurrent_side}: "
        f"{daemon_rate / statistics.median(rates[concurrent_side]):.2f} (stricter; no target)"
    )
    for label, values in (
        (f"at {args.paced_rate:g} docs/s ({args.paced_docs} documents)", paced),
        (f"in the rounds, {args.docs} documents posted at once", latencies),
    ):
        values.sort()
        print(
            f"enqueue->delivered {label}: p50 {values[len(values) // 2]:.0f} ms  "
            f"p99 {values[int(len(values) * 0.99)]:.0f} ms"
        )
    print(f"daemon peak RSS: {rss:.0f} MB (target < 250 MB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--paced-rate", type=float, default=50.0)
    parser.add_argument("--paced-docs", type=int, default=500)
    asyncio.run(main(parser.parse_args()))
