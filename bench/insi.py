"""INSi traits search, four ways, against the same simulator, in one run:

(a) through the daemon: an aiohttp client calling POST /v1/ins/search (validation, zeep
    serialisation, signed assertion, TLS, journal write, answer), --concurrency connections;
(b) a bare synchronous zeep client straight to the simulator (same headers and assertion);
(c) the floor: a pre-built envelope POSTed with aiohttp, nothing else;
(d) as (a), one call in flight, like the synchronous client (b): latency like for like.

    python bench/insi.py [--rounds 5] [--calls 1000] [--concurrency 10]

Target (issue 4): (a) calls/s >= (b) calls/s, and (d) p99 <= 1.5 x (b) p99.
Rounds interleave a, b, c, d so machine drift hits every side alike. calls/s is the median over
the rounds; p50 and p99 are taken over every call of a side, all rounds together.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import ssl
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import requests
from lxml import etree
from zeep import Client

from aiguillage.plugins.insi.client import (
    ACTIONS,
    CTXBAM,
    CTXLPS,
    TRAITS_OPERATION,
    WSA,
    WSDL,
    WSSE,
    LocalTransport,
)
from aiguillage.security.credentials import client_context, load_credential
from aiguillage.security.saml import Attribute, Signer, build_assertion
from aiguillage.security.testpki import TestPki

from common import Round, plugin_config, start, start_simulator

TRAITS = {"birth_name": "NESSI", "first_names": ["RUTH"], "sex": "F", "birth_date": "1977-07-14"}


def headers(assertion: etree._Element) -> list[etree._Element]:
    """What INSi requires in the SOAP header, built per call as a bare integration would."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def el(ns: str, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        element = etree.Element(f"{{{ns}}}{name}", **attrs)
        element.text = text
        return element

    bam = el(CTXBAM, "ContexteBAM", Version="01_02")
    for name, text in (("Id", str(uuid.uuid4())), ("Temps", stamp), ("Emetteur", "899900063480")):
        bam.append(el(CTXBAM, name, text))
    bam.append(el(CTXBAM, "COUVERTURE"))
    lps = el(CTXLPS, "ContexteLPS", Version="01_00")
    for name, text in (("Id", str(uuid.uuid4())), ("Temps", stamp), ("Emetteur", "899900063480")):
        lps.append(el(CTXLPS, name, text))
    software = etree.SubElement(lps, f"{{{CTXLPS}}}LPS")
    software.append(el(CTXLPS, "IDAM", "NumAutorisation", R="4"))
    for name, text in (("Version", "1"), ("Instance", "bench"), ("Nom", "bench")):
        software.append(el(CTXLPS, name, text))
    security = el(WSSE, "Security")
    security.append(assertion)
    return [
        bam,
        el(WSA, "MessageID", f"urn:uuid:{uuid.uuid4()}"),
        el(WSA, "Action", ACTIONS[TRAITS_OPERATION]),
        lps,
        security,
    ]


def bare_zeep(url: str, pki: TestPki, assertion: etree._Element, calls: int, tmp: Path) -> Round:
    credential = load_credential(pki.p12("structure-auth"), pki.password)
    pem = tmp / "bare-client.pem"  # requests loads client certificates from files only
    pem.write_bytes(credential.pem_chain() + credential.pem_key())
    pem.chmod(0o600)
    session = requests.Session()
    session.cert = str(pem)
    session.verify = str(pki.ca_bundle)
    session.trust_env = False  # else REQUESTS_CA_BUNDLE in the environment overrides verify
    transport = LocalTransport(session=session)
    client = Client(str(WSDL), transport=transport)
    service = client.create_service("{http://www.cnamts.fr/webservice}ICIRServiceBinding", url)
    latencies = []
    started = time.perf_counter()
    for _ in range(calls):
        t = time.perf_counter()
        result = service.rechercherInsAvecTraitsIdentite(
            NomNaissance="NESSI",
            Prenom=["RUTH"],
            Sexe="F",
            DateNaissance="1977-07-14",
            _soapheaders=headers(assertion),
        )
        assert result["CR"]["CodeCR"] == "00", result
        latencies.append(time.perf_counter() - t)
    return Round(calls, time.perf_counter() - started, latencies)


async def load(
    session: aiohttp.ClientSession, url: str, calls: int, concurrency: int, **request
) -> Round:
    latencies = []
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t = time.perf_counter()
            async with session.post(url, **request) as r:
                body = await r.read()
                if r.status != 200 or b"00" not in body:
                    raise SystemExit(f"{url} answered {r.status}: {body[:300]!r}")
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Round(calls, time.perf_counter() - started, latencies)


def summary(name: str, rounds: list[Round]) -> tuple[float, float]:
    """Median calls/s over the rounds; p50 and p99 over every call of every round (a p99 of
    one round's thousand calls is its tenth-slowest call: too few to compare tails)."""
    rates = [r.rate for r in rounds]
    every = Round(0, 0.0, [t for r in rounds for t in r.latencies])
    p50, p99 = every.percentile(50), every.percentile(99)
    print(
        f"{name:<40} {statistics.median(rates):>7.0f} calls/s (min {min(rates):.0f}, "
        f"max {max(rates):.0f})  p50 {p50:.2f} ms  p99 {p99:.2f} ms"
    )
    return statistics.median(rates), p99


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        simulator, sim_url, pki = start_simulator("insi", tmp)
        config = tmp / "bench.toml"
        config.write_text('[daemon]\nlog_level = "warning"\n' + plugin_config("insi", sim_url, pki))
        daemon, daemon_url = start(
            ["serve", "--config", str(config), "--port", "0", "--data-dir", str(tmp / "daemon")]
        )
        token = (tmp / "daemon" / "token").read_text().strip()
        signer = Signer(load_credential(pki.p12("practitioner-signature"), pki.password))
        assertion = signer.sign(
            build_assertion(
                issuer=signer.issuer,
                name_id="899900063480",
                name_qualifier="CPS",
                attributes=[Attribute("identifiantFacturation", ("991130972",))],
                now=dt.datetime.now(dt.UTC),
                validity=dt.timedelta(hours=1),
            )
        )
        envelope = etree.Element("{http://www.w3.org/2003/05/soap-envelope}Envelope")
        raw_client = Client(str(WSDL), transport=LocalTransport())
        envelope = raw_client.create_message(
            raw_client.service,
            TRAITS_OPERATION,
            NomNaissance="NESSI",
            Prenom=["RUTH"],
            Sexe="F",
            DateNaissance="1977-07-14",
            _soapheaders=headers(assertion),
        )
        prebuilt = etree.tostring(envelope)
        tls: ssl.SSLContext = client_context(
            load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle
        )
        sides: dict[str, list[Round]] = {"daemon": [], "zeep": [], "raw": [], "one": []}
        try:
            connector = aiohttp.TCPConnector(limit=args.concurrency, ssl=tls)
            async with aiohttp.ClientSession(connector=connector) as session:
                api = f"{daemon_url}/v1/ins/search"
                auth = {"Authorization": f"Bearer {token}"}
                raw = {
                    "data": prebuilt,
                    "headers": {"Content-Type": "application/soap+xml; charset=utf-8"},
                }
                await load(
                    session, api, 100, args.concurrency, json={"traits": TRAITS}, headers=auth
                )  # warm-up
                await asyncio.to_thread(bare_zeep, sim_url, pki, assertion, 50, tmp)
                for i in range(args.rounds):
                    sides["daemon"].append(
                        await load(
                            session,
                            api,
                            args.calls,
                            args.concurrency,
                            json={"traits": TRAITS},
                            headers=auth,
                        )
                    )
                    sides["zeep"].append(
                        await asyncio.to_thread(bare_zeep, sim_url, pki, assertion, args.calls, tmp)
                    )
                    sides["raw"].append(
                        await load(session, sim_url, args.calls, args.concurrency, **raw)
                    )
                    # One call in flight, as the sync zeep client has: latency like for like.
                    search = {"json": {"traits": TRAITS}, "headers": auth}
                    sides["one"].append(await load(session, api, args.calls, 1, **search))
                    print(f"round {i + 1}/{args.rounds} done", file=sys.stderr)
        finally:
            for process in (daemon, simulator):
                process.terminate()
                process.wait()
    print(
        f"{args.rounds} interleaved rounds of {args.calls} traits searches "
        f"(NESSI RUTH, CR 00); aiohttp sides at {args.concurrency} connections, zeep sync"
    )
    daemon_rate, daemon_p99 = summary("(a) daemon API (aiohttp client)", sides["daemon"])
    zeep_rate, zeep_p99 = summary("(b) bare zeep client -> simulator", sides["zeep"])
    raw_rate, _ = summary("(c) raw POST, pre-built envelope", sides["raw"])
    _, one_p99 = summary("(d) daemon API, one call in flight", sides["one"])
    print(
        f"ratio a/b calls/s: {daemon_rate / zeep_rate:.2f} (target >= 1.0); "
        f"a/c: {daemon_rate / raw_rate:.2f}"
    )
    print(
        f"p99 with one call in flight, d/b: {one_p99 / zeep_p99:.2f} (target <= 1.5); "
        f"a/b at {args.concurrency} connections: {daemon_p99 / zeep_p99:.2f} (queueing)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    asyncio.run(main(parser.parse_args()))
