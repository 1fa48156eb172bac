"""DMP sends: PDFs queued through the daemon's API and delivered to the DMP simulator, against
the same submissions made by the plugin's client directly, in the same run.

    python bench/dmp.py [--rounds 5] [--docs 200] [--kb 200] [--concurrency 8]

Prints documents/s of each side (median, min-max over interleaved rounds), enqueue->delivered
p50/p99 through the daemon, and the daemon's peak RSS.
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
from pathlib import Path

import aiohttp

from aiguillage import mtom
from aiguillage.plugins.dmp import xades
from aiguillage.plugins.dmp.cda import DocumentInfo, Patient, level1, new_oid
from aiguillage.plugins.dmp.client import DmpClient
from aiguillage.plugins.dmp.metadata import DocumentEntry, Submission, provide_and_register
from aiguillage.security.credentials import client_context, load_credential
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Signer
from aiguillage.security.testpki import TEST_PRACTITIONER_ID, TEST_STRUCTURE_ID
from aiguillage.security.vihf import Software

from common import peak_rss_mb, plugin_config, start, start_simulator

PATIENT = {
    "ins": {"matricule": "277076322082910"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
    },
}


async def through_daemon(
    session: aiohttp.ClientSession, url: str, pdf: bytes, docs: int, concurrency: int
) -> tuple[float, list[float]]:
    # The JSON is built once per run (only the title changes), so the load generator's own
    # encoding does not eat the CPU the daemon is measured on.
    head = json.dumps({"patient": PATIENT})[:-1].encode() + b', "document": {"pdf": "'
    head += base64.b64encode(pdf) + b'", "type_code": "11488-4", "title": "Bench '
    numbers = iter(range(docs))
    ids: list[int] = []

    async def worker() -> None:
        for n in numbers:
            body = head + str(n).encode() + b'"}}'
            async with session.post(
                f"{url}/v1/dmp/documents", data=body, headers={"Content-Type": "application/json"}
            ) as r:
                if r.status != 202:
                    raise SystemExit(f"enqueue answered {r.status}: {await r.text()}")
                ids.append((await r.json())["id"])

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    latencies: list[float] = []
    pending = set(ids)
    deadline = time.monotonic() + 600
    while pending:
        if time.monotonic() > deadline:
            raise SystemExit("deliveries stalled")
        async with session.get(f"{url}/v1/outbox?state=sent&limit=500") as r:
            page = (await r.json())["items"]
        for item in page:
            if item["id"] in pending:
                pending.discard(item["id"])
                sent = dt.datetime.fromisoformat(item["sent_at"])
                created = dt.datetime.fromisoformat(item["created_at"])
                latencies.append((sent - created).total_seconds() * 1000)
        async with session.get(f"{url}/v1/outbox?state=failed&limit=1") as r:
            failed = (await r.json())["items"]
        if failed:
            raise SystemExit(f"a send failed: {failed[0]['last_error']}")
        await asyncio.sleep(0.05)
    return time.perf_counter() - started, latencies


async def direct(
    client: DmpClient,
    signer_credential,
    practitioner: Practitioner,
    pdf: bytes,
    docs: int,
    concurrency: int,
) -> float:
    patient = Patient(
        "277076322082910", "1.2.250.1.213.1.4.8", "NESSI", ["RUTH", "ISABELLE"], "F", "1977-07-14"
    )
    numbers = iter(range(docs))

    async def worker() -> None:
        for n in numbers:
            now = dt.datetime.now(dt.UTC)
            info = DocumentInfo(f"Direct {n}", "11488-4", created=now)
            cda = level1(pdf, info, patient, practitioner)
            signature = xades.sign({info.unique_id: cda}, signer_credential, now=now)
            submission = Submission(
                patient,
                practitioner,
                DocumentEntry(cda, info.unique_id, info.title, "11488-4", "pdf", now),
                signature,
                new_oid(),
                "1.2.250.1.999.1",
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
        daemon_rates, direct_rates, latencies = [], [], []
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
                    seconds, lat = await through_daemon(api, url, pdf, args.docs, args.concurrency)
                    daemon_rates.append(args.docs / seconds)
                    latencies += lat
                    seconds = await direct(
                        client, signature, practitioner, pdf, args.docs, args.concurrency
                    )
                    direct_rates.append(args.docs / seconds)
                    print(f"round {i + 1}/{args.rounds} done", file=sys.stderr)
            rss = peak_rss_mb(daemon.pid)
        finally:
            for process in (daemon, simulator):
                process.terminate()
                process.wait()
    latencies.sort()
    print(
        f"{args.rounds} interleaved rounds of {args.docs} PDFs of {args.kb} KB, "
        f"concurrency {args.concurrency} on both sides"
    )
    for name, rates in (("daemon API + outbox", daemon_rates), ("direct client", direct_rates)):
        print(
            f"{name:<22} {statistics.median(rates):>7.1f} docs/s "
            f"(min {min(rates):.1f}, max {max(rates):.1f})"
        )
    ratio = statistics.median(daemon_rates) / statistics.median(direct_rates)
    print(f"ratio daemon/direct: {ratio:.2f} (target >= 0.8)")
    print(
        f"enqueue->delivered through the daemon: p50 {latencies[len(latencies) // 2]:.0f} ms"
        f"  p99 {latencies[int(len(latencies) * 0.99)]:.0f} ms"
    )
    print(f"daemon peak RSS: {rss:.0f} MB (target < 250 MB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--kb", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
