"""The console's Envois and Journal pages at a practice's size after years: each API call they
make, timed against a data dir of 100,000 outbox items and 1,000,000 journal rows, and against
an empty one, in the same run.

    python bench/console.py [--outbox 100000] [--journal 1000000] [--requests 40] [--rounds 5]
                            [--data DIR]

The fill writes through the daemon's own code, not hand-made SQL: journal rows through
``journal.append`` (so the hash chain is valid and ``/v1/journal/verify`` walks a real one),
outbox items through ``outbox.enqueue`` and the delivery transitions (``mark_sent``,
``mark_error``, ``cancel``; the claim's one UPDATE is repeated for a single item), then
``purge_payloads`` and ``vacuum`` as the daemon's maintenance would. Dates spread over years
(journal within its 3-year retention, so the daemon purges nothing), five plugins' events, a
few thousand patients. The fill takes about two minutes; ``--data DIR`` keeps (or reuses) the
filled data dir. The whole-journal verification a console's first visit starts is waited for
(and timed) before the rounds; the listings are timed again during one at the end.

Both daemons run (default config: every plugin on its simulator) and rounds alternate
filled / empty. Target (issue 14): p99 < 300 ms for every call on the filled data dir.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import aiohttp

from aiguillage import journal as jr
from aiguillage import outbox as ob
from aiguillage.config import OutboxPolicy

from common import ROOT, start

TARGET_MS = 300.0
DAY = 86400.0
YEAR = 365 * DAY

BIRTH_NAMES = (
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL "
    "LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE "
    "ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER "
    "FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU "
    "GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN "
    "BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE "
    "RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD "
    "DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND NESSI"
).split()
FIRST_NAMES = (
    "MARIE JEAN PIERRE MICHEL ANNE CLAIRE LOUIS PAUL JULIE SOPHIE NICOLAS CAMILLE LEA HUGO "
    "EMMA LUCAS CHLOE THEO MANON NATHAN INES RUTH ISABELLE FRANCOISE ANDRE JACQUES MONIQUE"
).split()
PRACTITIONERS = [(f"1000000{n:04d}", f"Dr {name}") for n, name in enumerate(BIRTH_NAMES[:8])]
CLIENTS = ("ehr", "ehr", "ehr", "ehr-web", "agenda")

#: (event, weight, error outcomes it may have): the journal's mix over a practice's day.
EVENTS = [
    ("ins.search", 20, ("insi-unknown-identity", "insi-timeout")),
    ("ins.verify", 14, ("insi-unknown-identity",)),
    ("ins.view", 14, ()),
    ("ins.identity_created", 3, ()),
    ("ins.identity_qualified", 3, ()),
    ("ins.identity_changed", 1, ()),
    ("dmp.search", 7, ("dmp-access-denied", "dmp-no-dmp")),
    ("dmp.document.sent", 8, ("XDSRegistryMetadataError",)),
    ("dmp.document.read", 4, ("dmp-document-unknown",)),
    ("mssante.message.sent", 6, ("SMTPRecipientsRefused",)),
    ("mssante.message.received", 5, ()),
    ("apcv.session.opened", 4, ("apcv-qr-expired",)),
    ("fse.invoice.secured", 5, ("fse-refused",)),
    ("jfse.lot.sent", 2, ("jfse-unavailable",)),
    ("security.rejected", 1, ("origin-not-allowed",)),
]


def ins_of(n: int) -> str:
    """A well-formed INS matricule (NIR with its key) for patient ``n``."""
    sex = 1 + n % 2
    body = (
        f"{sex}{60 + n % 40:02d}{1 + n % 12:02d}{75 + n % 20:02d}{100 + n % 900:03d}{n % 1000:03d}"
    )
    return body + f"{97 - int(body) % 97:02d}"


def patients(count: int, rng: random.Random) -> list[tuple[str, str]]:
    return [
        (ins_of(n), f"{rng.choice(BIRTH_NAMES)} {rng.choice(FIRST_NAMES)}") for n in range(count)
    ]


def fill_journal(path: Path, rows: int, people: list[tuple[str, str]], now: float) -> None:
    rng = random.Random(14)
    conn = jr.open_database(path)
    conn.execute("PRAGMA synchronous = OFF")  # a bench fill: one sync at the end is enough
    weights = [w for _, w, _ in EVENTS]
    start = now - 2.9 * YEAR  # inside the default 3-year retention: the daemon purges nothing
    step = (now - DAY - start) / rows
    t = start
    cap = 262_144
    conn.execute("BEGIN")
    for n in range(rows):
        t += step * rng.uniform(0.2, 1.8)
        if n % 950 == 0:
            entry = jr.Entry(event="daemon.started", summary="daemon started (bench fill)")
        else:
            event, _, errors = rng.choices(EVENTS, weights)[0]
            ins, name = rng.choice(people)
            pid, pname = rng.choice(PRACTITIONERS)
            failed = errors and rng.random() < 0.06
            entry = jr.Entry(
                event=event,
                summary=f"{event} for {name}" + (" refused" if failed else ""),
                outcome=rng.choice(errors) if failed else "ok",
                request_id=f"{rng.getrandbits(48):012x}",
                client=rng.choice(CLIENTS),
                practitioner_id=pid,
                practitioner_name=pname,
                patient_ins=ins if rng.random() < 0.8 else None,
                patient_name=name,
                request={"patient": {"ins": ins, "traits": {"names": name}}, "n": n},
                response={"status": "ok" if not failed else "error", "items": [ins] * 3},
            )
        jr.append(conn, entry, t, cap)
        if n % 50_000 == 49_999:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            print(f"journal: {n + 1} rows", file=sys.stderr)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


#: (plugin, kind, weight)
KINDS = [("dmp", "dmp.document", 50), ("mssante", "mssante.message", 40),
         ("mssante", "mssante.receipt", 3), ("jfse", "jfse.lot", 7)]  # fmt: skip


def _claim_one(conn, item_id: int, now: float) -> None:
    """What ``outbox.claim`` does to the item it takes, for this one item."""
    conn.execute(
        "UPDATE items SET state = 'sending', attempts = attempts + 1, lease_until = ?, "
        "updated_at = ? WHERE id = ?",
        [now + 60, now, item_id],
    )


def fill_outbox(path: Path, count: int, people: list[tuple[str, str]], now: float) -> None:
    rng = random.Random(3)
    conn = ob.open_database(path)
    conn.execute("PRAGMA synchronous = OFF")
    policy = OutboxPolicy()
    start = now - 4 * YEAR
    step = (now - DAY - start) / count
    t = start
    small, large = b"%PDF-1.4\n" + bytes(2_000), b"%PDF-1.4\n" + rng.randbytes(20_000)
    conn.execute("BEGIN")
    for n in range(count):
        t += step * rng.uniform(0.2, 1.8)
        plugin, kind, _ = rng.choices(KINDS, [w for *_, w in KINDS])[0]
        ins, _ = rng.choice(people)
        pid, pname = rng.choice(PRACTITIONERS)
        pdf = large if now - t < 30 * DAY else small  # older payloads are purged below anyway
        new = ob.NewItem(
            plugin=plugin,
            kind=kind,
            payload={"title": f"Compte rendu {n}", "type_code": "11490-0", "patient": ins},
            external_id=f"2.25.{rng.getrandbits(64)}",
            attachments=[("application/pdf", f"cr-{n}.pdf", pdf)] if kind != "jfse.lot" else [],
            idempotency_key=f"bench-{n}",
            request_hash=f"{n:064x}",
            client=rng.choice(CLIENTS),
            request_id=f"{rng.getrandbits(48):012x}",
            patient=ins,
            practitioner={"id": pid, "name": pname},
            answer={"state": "queued", "kind": kind},
        )
        item, _ = ob.enqueue(conn, new, t)
        roll = rng.random()
        at = t + rng.uniform(0.5, 5)
        if roll < 0.03:  # refused: a human must act (some were retried and went, some cancelled)
            _claim_one(conn, item.id, at)
            ob.mark_error(
                conn, item.id, ob.DeliveryError("XDSRegistryMetadataError", "refused", False),
                policy, at, at + 0.3,
            )  # fmt: skip
            if rng.random() < 0.4:
                ob.cancel(conn, item.id, "console", at + 3600)
        elif roll < 0.04:  # ran out of attempts
            for attempt in range(policy.max_attempts):
                _claim_one(conn, item.id, at + attempt * 600)
                ob.mark_error(
                    conn, item.id, ob.DeliveryError("ConnectError", "unreachable", True),
                    policy, at + attempt * 600, at + attempt * 600 + 1,
                )  # fmt: skip
        else:
            if roll < 0.10:  # one transient failure first
                _claim_one(conn, item.id, at)
                ob.mark_error(
                    conn, item.id, ob.DeliveryError("TimeoutError", "no answer", True),
                    policy, at, at + 60,
                )  # fmt: skip
                at += 120
            _claim_one(conn, item.id, at)
            ob.mark_sent(conn, item.id, ob.Delivered({"id": new.external_id}), at, at + 0.4)
        if n % 10_000 == 9_999:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            print(f"outbox: {n + 1} items", file=sys.stderr)
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    ob.purge_payloads(conn, now - 30 * DAY, now)
    conn.execute("COMMIT")
    ob.vacuum(conn, now)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def add_app(data_dir: Path) -> str:
    """An app holding every scope, made with the CLI; its token."""
    done = subprocess.run(
        [sys.executable, "-m", "aiguillage", "apps", "add", "console-bench", "--scope", "*",
         "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def fill(data_dir: Path, items: int, rows: int) -> None:
    # The app first (the CLI makes the data dir, private): once a journal records starts, the
    # CLI refuses to create clients.db beside it.
    (data_dir / "bench-token").write_text(add_app(data_dir))
    now = time.time()
    people = patients(3000, random.Random(1))
    started = time.perf_counter()
    fill_outbox(data_dir / "outbox.db", items, people, now)
    fill_journal(data_dir / "journal.db", rows, people, now)
    print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)


# --- the calls the console makes -----------------------------------------------------------


def calls(data_dir: Path) -> dict[str, list[str]]:
    """Each call by name, with a few variants (other patients, dates, cursors) to rotate
    through, taken from the data dir itself so the filled side finds matches."""
    import sqlite3

    rng = random.Random(5)
    out = sqlite3.connect(data_dir / "outbox.db")
    jrn = sqlite3.connect(data_dir / "journal.db")
    ids = [r[0] for r in out.execute("SELECT id FROM items ORDER BY random() LIMIT 20")] or [1]
    item_patients = [r[0] for r in out.execute(
        "SELECT patient FROM items WHERE patient IS NOT NULL ORDER BY random() LIMIT 20")] or [
        ins_of(1)]  # fmt: skip
    top = out.execute("SELECT max(id) FROM items").fetchone()[0] or 1
    seqs = jrn.execute("SELECT max(seq) FROM journal").fetchone()[0] or 1
    row_people = [r for r in jrn.execute(
        "SELECT patient_ins, patient_name FROM journal WHERE seq IN "
        f"({','.join(str(rng.randint(1, seqs)) for _ in range(20))}) "
        "AND patient_ins IS NOT NULL")] or [(ins_of(1), "MARTIN MARIE")]  # fmt: skip
    out.close()
    jrn.close()
    year = int(time.strftime("%Y"))
    months = [f"{year - rng.randint(0, 2)}-{rng.randint(1, 12):02d}" for _ in range(10)]
    ranges = [f"from={m}-01&to={m}-28" for m in months]
    q = urllib.parse.quote
    return {
        "GET /v1/health": ["/v1/health"],
        "GET /v1/plugins": ["/v1/plugins"],
        "outbox: first page": ["/v1/outbox"],
        "outbox: state=failed": ["/v1/outbox?state=failed"],
        "outbox: state=sent": ["/v1/outbox?state=sent"],
        "outbox: plugin=jfse": ["/v1/outbox?plugin=jfse"],
        "outbox: by patient": [f"/v1/outbox?patient={p}" for p in item_patients],
        "outbox: one month": [f"/v1/outbox?{r}" for r in ranges],
        "outbox: failed+dmp+month": [f"/v1/outbox?state=failed&plugin=dmp&{r}" for r in ranges],
        "outbox: deep cursor": [f"/v1/outbox?cursor={rng.randint(1, top)}" for _ in range(10)],
        "outbox: failed, deep cursor": [
            f"/v1/outbox?state=failed&cursor={rng.randint(1, top)}" for _ in range(10)
        ],
        "outbox: item detail": [f"/v1/outbox/{i}" for i in ids],
        "journal: first page": ["/v1/journal"],
        "journal: event=ins (prefix)": ["/v1/journal?event=ins"],
        "journal: event=config.changed": ["/v1/journal?event=config.changed"],
        "journal: event=dmp.document.sent": ["/v1/journal?event=dmp.document.sent"],
        "journal: patient INS": [f"/v1/journal?patient={p}" for p, _ in row_people],
        "journal: patient name": [
            f"/v1/journal?patient={q(n.split()[0][:4])}" for _, n in row_people
        ],
        "journal: outcome=insi-timeout": ["/v1/journal?outcome=insi-timeout"],
        "journal: one month": [f"/v1/journal?{r}" for r in ranges],
        "journal: month+event+outcome": [
            f"/v1/journal?{r}&event=ins&outcome=insi-unknown-identity" for r in ranges
        ],
        "journal: deep cursor": [f"/v1/journal?cursor={rng.randint(1, seqs)}" for _ in range(10)],
        "journal: ins, deep cursor": [
            f"/v1/journal?event=ins&cursor={rng.randint(1, seqs)}" for _ in range(10)
        ],
        "journal: export CSV, 1 day": [f"/v1/journal/export?from={m}-10&to={m}-11" for m in months],
        "journal: export XLSX, patient": [
            f"/v1/journal/export?format=xlsx&patient={p}" for p, _ in row_people
        ],
        "journal: verify status": ["/v1/journal/verify"],
    }


async def one(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        # The empty data dir has no item to show: its detail call is a 404, timed all the same.
        if response.status != 200 and not (response.status == 404 and "/v1/outbox/" in url):
            raise SystemExit(f"{url} answered {response.status}: {await response.text()}")
    return time.perf_counter() - started


async def walk_pages(session: aiohttp.ClientSession, base: str, path: str, pages: int) -> float:
    """Follow ``next_cursor`` ``pages`` times; the slowest page's seconds."""
    worst, cursor = 0.0, None
    for _ in range(pages):
        sep = "&" if "?" in path else "?"
        url = base + path + (f"{sep}cursor={cursor}" if cursor else "")
        started = time.perf_counter()
        async with session.get(url) as response:
            body = await response.json()
        worst = max(worst, time.perf_counter() - started)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    return worst


async def whole_walk(session: aiohttp.ClientSession, base: str) -> str:
    """Ask for the journal's verification status and wait for the walk of the whole journal
    it starts (the first asking after a start); what it found, in how long."""
    started = time.perf_counter()
    while True:
        async with session.get(f"{base}/v1/journal/verify") as response:
            body = await response.json()
        if body["running"] is None and body["status"] != "unchecked":
            seconds = time.perf_counter() - started
            return f"{body['status']}, {body['rows_checked']} rows in {seconds:.1f} s"
        await asyncio.sleep(0.5)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def measure(sides: dict[str, tuple[str, str, dict]], args: argparse.Namespace) -> None:
    results: dict[str, dict[str, list[float]]] = {}
    sessions = {
        name: aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"})
        for name, (_, token, _) in sides.items()
    }
    walks: dict[str, str] = {}
    try:
        for name, (base, _, variants) in sides.items():  # warm-up, not counted
            walks[name] = await whole_walk(sessions[name], base)
            for urls in variants.values():
                await one(sessions[name], base + urls[0])
        for r in range(args.rounds):
            for name, (base, _, variants) in sides.items():
                for call, urls in variants.items():
                    times = results.setdefault(call, {}).setdefault(name, [])
                    for i in range(args.requests):
                        times.append(await one(sessions[name], base + urls[i % len(urls)]))
                for path in ("/v1/outbox", "/v1/journal", "/v1/journal?event=ins"):
                    call = f"{path.removeprefix('/v1/')}: 20 pages by cursor (slowest)"
                    times = results.setdefault(call, {}).setdefault(name, [])
                    times.append(await walk_pages(sessions[name], base, path, 20))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        # The hourly walk of the whole journal runs in the daemon beside the pages: the
        # listings again while it does.
        for name, (base, _, _) in sides.items():
            async with sessions[name].get(f"{base}/v1/journal/verify?whole=true") as response:
                await response.read()
            while True:
                for path in ("/v1/journal", "/v1/outbox", "/v1/journal?event=ins"):
                    call = f"{path.removeprefix('/v1/')} during a whole walk"
                    times = results.setdefault(call, {}).setdefault(name, [])
                    times.append(await one(sessions[name], base + path))
                async with sessions[name].get(f"{base}/v1/journal/verify") as response:
                    if (await response.json())["running"] is None:
                        break
    finally:
        for session in sessions.values():
            await session.close()
    print(
        f"{args.rounds} interleaved rounds x {args.requests} requests per call, one connection; "
        f"filled: {args.outbox} outbox items, {args.journal} journal rows"
    )
    print(f"{'call':<40} {'filled p50':>10} {'p99':>8}   {'empty p50':>9} {'p99':>8}  verdict")
    failures = 0
    for call, by_side in results.items():
        full, empty = by_side["filled"], by_side["empty"]
        ok = pct(full, 99) < TARGET_MS
        failures += not ok
        print(
            f"{call:<40} {pct(full, 50):>8.1f}ms {pct(full, 99):>6.1f}ms   "
            f"{pct(empty, 50):>7.1f}ms {pct(empty, 99):>6.1f}ms  {'PASS' if ok else 'FAIL'}"
        )
    for name, walk in walks.items():
        print(f"whole-journal verification, {name}: {walk}")
    print(f"target: p99 < {TARGET_MS:g} ms on the filled data dir: "
          f"{'PASS' if not failures else f'FAIL ({failures} calls)'}")  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(args.data) if args.data else Path(tmp) / "filled"
        empty = Path(tmp) / "empty"
        if not (full / "journal.db").exists():
            fill(full, args.outbox, args.journal)
        (empty / "bench-token").write_text(add_app(empty))
        procs = []
        sides = {}
        try:
            for name, data_dir in (("filled", full), ("empty", empty)):
                started = time.perf_counter()
                process, url = start(["serve", "--port", "0", "--data-dir", str(data_dir)])
                print(
                    f"{name}: daemon up in {time.perf_counter() - started:.1f} s", file=sys.stderr
                )
                procs.append(process)
                token = (data_dir / "bench-token").read_text().strip()
                sides[name] = (url, token, calls(data_dir))
            await measure(sides, args)
        finally:
            for process in procs:
                process.terminate()
                process.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outbox", type=int, default=100_000)
    parser.add_argument("--journal", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="per call and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", help="keep (or reuse) the filled data dir here")
    asyncio.run(main(parser.parse_args()))
