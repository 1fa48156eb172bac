"""The outbox and journal listings behind the console's Envois and Journal pages: each filter
selects what it says, pages follow each other with nothing twice and nothing skipped, every
filter is answered from an index, an older data dir gains the indexes, and the journal's
verification status reports a tampered row."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import random
import sqlite3
import time
from pathlib import Path

import pytest
import sqlite_utils

from aiguillage import journal as jr
from aiguillage import outbox as ob
from aiguillage.appkeys import JOURNAL, SETTINGS
from aiguillage.migrations import migrate
from aiguillage.writer import connect

DAY = 86400.0
T0 = 1_700_000_000.0  # 2023-11-14
EVENTS = ["ins", "ins.search", "ins.verify", "ins.search.retry", "insx.other", "dmp.search",
          "dmp.document.sent", "config.changed"]  # fmt: skip
PEOPLE = [("277076322082910", "NESSI RUTH ISABELLE"), ("180032B02040123", "DUPONT JEAN"),
          ("236066322083656", "TCHITCHI OLA"), (None, "Dupuis marie"), (None, None)]  # fmt: skip
OUTCOMES = ["ok", "ok", "ok", "insi-timeout", "dmp-access-denied"]


def fill_journal(conn: sqlite3.Connection, count: int = 400) -> None:
    """Rows of every event, patient and outcome, their times mostly rising, with the clock set
    back an hour twice (rows then out of time order, as after a clock change)."""
    rng = random.Random(7)
    t = T0
    conn.execute("BEGIN")
    for n in range(count):
        t += rng.uniform(0, DAY / 10)
        if n in (150, 300):
            t -= 3600 * 5
        ins, name = rng.choice(PEOPLE)
        entry = jr.Entry(
            event=rng.choice(EVENTS),
            summary=f"row {n}",
            outcome=rng.choice(OUTCOMES),
            patient_ins=ins,
            patient_name=name,
        )
        jr.append(conn, entry, t, 10_000)
    conn.execute("COMMIT")


def expected_rows(conn: sqlite3.Connection, f: jr.JournalFilter) -> list[int]:
    """What the filter means, computed the slow way over every row."""
    seqs = []
    for row in conn.execute("SELECT * FROM journal ORDER BY seq DESC"):
        if f.event and not (row["event"] == f.event or row["event"].startswith(f.event + ".")):
            continue
        if f.since and not row["time"] >= f.since:
            continue
        if f.until and not row["time"] < f.until:
            continue
        if f.outcome and row["outcome"] != f.outcome:
            continue
        if f.patient:
            if jr.INS_RE.fullmatch(f.patient):
                if row["patient_ins"] != f.patient:
                    continue
            elif not (row["patient_name"] or "").lower().startswith(f.patient.lower()):
                continue
        seqs.append(row["seq"])
    return seqs


@pytest.fixture
def journal_conn(tmp_path: Path) -> sqlite3.Connection:
    conn = jr.open_database(tmp_path / "journal.db")
    fill_journal(conn)
    yield conn
    conn.close()


JOURNAL_FILTERS = [
    jr.JournalFilter(),
    jr.JournalFilter(event="ins"),
    jr.JournalFilter(event="ins.search"),
    jr.JournalFilter(event="insx"),
    jr.JournalFilter(event="in"),
    jr.JournalFilter(event="dmp.document.sent"),
    jr.JournalFilter(event="nothing"),
    jr.JournalFilter(patient="277076322082910"),
    jr.JournalFilter(patient="180032B02040123"),
    jr.JournalFilter(patient="dup"),
    jr.JournalFilter(patient="DUPUIS M"),
    jr.JournalFilter(patient="ruth"),
    jr.JournalFilter(outcome="insi-timeout"),
    jr.JournalFilter(since=jr.iso(T0 + 5 * DAY), until=jr.iso(T0 + 9 * DAY)),
    jr.JournalFilter(since=jr.iso(T0 + 14 * DAY)),
    jr.JournalFilter(until=jr.iso(T0 + 16 * DAY)),
    jr.JournalFilter(since=jr.iso(T0 + 900 * DAY)),
    jr.JournalFilter(event="ins", outcome="ok", patient="nessi"),
    jr.JournalFilter(
        event="dmp",
        patient="180032B02040123",
        since=jr.iso(T0 + 3 * DAY),
        until=jr.iso(T0 + 30 * DAY),
    ),
]


@pytest.mark.parametrize("f", JOURNAL_FILTERS, ids=repr)
def test_each_journal_filter_selects_what_it_says_page_after_page(journal_conn, f):
    expected = expected_rows(journal_conn, f)
    seen, cursor = [], None
    for _ in range(100):
        page = jr.JournalFilter(**{**f.__dict__, "limit": 7, "before_seq": cursor})
        rows = list(jr.select(journal_conn, page))
        seen += [r["seq"] for r in rows]
        if len(rows) < 7:
            break
        cursor = rows[-1]["seq"]
    assert seen == expected  # in order, none twice, none skipped
    everything = jr.JournalFilter(**{**f.__dict__, "limit": None, "ascending": True})
    assert [r["seq"] for r in jr.select(journal_conn, everything)] == expected[::-1]


def test_the_time_filter_is_exact_when_the_clock_went_back(journal_conn):
    # The clock went back five hours after row 150: rows 151 and on are older than it for a
    # while. A period ending at row 150's time holds them, not row 150: not a run of seqs.
    (t150,) = journal_conn.execute("SELECT time FROM journal WHERE seq = 150").fetchone()
    f = jr.JournalFilter(until=t150, limit=None)
    got = [r["seq"] for r in jr.select(journal_conn, f)]
    assert got == expected_rows(journal_conn, f)
    assert 151 in got and 150 not in got and 149 in got


def test_an_event_prefix_lists_the_events_under_it(journal_conn):
    assert jr.events_under(journal_conn, "ins") == [
        "ins",
        "ins.search",
        "ins.search.retry",
        "ins.verify",
    ]
    assert jr.events_under(journal_conn, "ins.search") == ["ins.search", "ins.search.retry"]
    assert jr.events_under(journal_conn, "in") == []


def plan(conn: sqlite3.Connection, sql: str, args: list) -> list[str]:
    return [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)]


def costly(steps: list[str], table: str) -> list[str]:
    """The steps of a plan that read every row of ``table``, or sort rows read from it (a sort
    of seqs read from a covering index, or of a page's worth of merged branches, is cheap)."""
    found = [s for s in steps if s.startswith(f"SCAN {table}")]
    for before, step in itertools.pairwise(steps):
        if "TEMP B-TREE" in step and before.startswith("SEARCH") and "COVERING" not in before:
            found.append(f"{before} -> {step}")
    return found


@pytest.mark.parametrize("f", JOURNAL_FILTERS[1:], ids=repr)
def test_every_journal_filter_is_answered_from_an_index(journal_conn, f, monkeypatch):
    """No page reads the whole journal: no step of its plan scans the table (a full scan
    reads a million rows at a practice's size)."""
    seen: list[list[str]] = []
    execute = journal_conn.execute

    class Spy:
        def execute(self, sql, args=()):
            seen.append(plan(journal_conn, sql, args))
            return execute(sql, args)

    list(jr.select(Spy(), jr.JournalFilter(**{**f.__dict__, "limit": 50})))  # type: ignore[arg-type]
    assert [c for steps in seen for c in costly(steps, "journal")] == [], seen


# --- the outbox ---------------------------------------------------------------------------------

PLUGINS = ["dmp", "mssante", "jfse"]


def fill_outbox(conn: sqlite3.Connection, count: int = 300) -> None:
    rng = random.Random(3)
    t = T0
    conn.execute("BEGIN")
    for n in range(count):
        t += rng.uniform(0, DAY)
        if n == 120:
            t -= 3 * DAY  # the clock set back
        item, _ = ob.enqueue(
            conn,
            ob.NewItem(
                plugin=rng.choice(PLUGINS),
                kind="k",
                payload={"n": n},
                external_id=f"x-{n}",
                patient=rng.choice([p for p, _ in PEOPLE]),
            ),
            t,
        )
        state = rng.choice(["queued", "sent", "failed", "cancelled"])
        if state != "queued":
            conn.execute("UPDATE items SET state = ? WHERE id = ?", [state, item.id])
    conn.execute("COMMIT")


def expected_items(conn: sqlite3.Connection, f: ob.ItemFilter) -> list[int]:
    ids = []
    for row in conn.execute("SELECT * FROM items ORDER BY id DESC"):
        if f.state and row["state"] != f.state:
            continue
        if f.plugins is not None and row["plugin"] not in list(f.plugins):
            continue
        if f.patient and row["patient"] != f.patient:
            continue
        if f.since is not None and not row["created_at"] >= f.since:
            continue
        if f.until is not None and not row["created_at"] < f.until:
            continue
        ids.append(row["id"])
    return ids


@pytest.fixture
def outbox_conn(tmp_path: Path) -> sqlite3.Connection:
    conn = ob.open_database(tmp_path / "outbox.db")
    fill_outbox(conn)
    yield conn
    conn.close()


OUTBOX_FILTERS = [
    ob.ItemFilter(),
    ob.ItemFilter(plugins=PLUGINS),
    ob.ItemFilter(plugins=["dmp", "jfse"]),
    ob.ItemFilter(plugins=["jfse"]),
    ob.ItemFilter(plugins=[]),
    ob.ItemFilter(state="failed"),
    ob.ItemFilter(state="sent", plugins=["mssante"]),
    ob.ItemFilter(state="queued", plugins=PLUGINS),
    ob.ItemFilter(patient="277076322082910", plugins=PLUGINS),
    ob.ItemFilter(since=T0 + 50 * DAY, until=T0 + 90 * DAY),
    ob.ItemFilter(since=T0 + 100 * DAY, plugins=["dmp"], state="sent"),
    ob.ItemFilter(until=T0 + 40 * DAY, patient="180032B02040123"),
]


@pytest.mark.parametrize("f", OUTBOX_FILTERS, ids=repr)
def test_each_outbox_filter_selects_what_it_says_page_after_page(outbox_conn, f):
    expected = expected_items(outbox_conn, f)
    seen, cursor = [], None
    for _ in range(100):
        page = ob.ItemFilter(**{**f.__dict__, "limit": 9, "before_id": cursor})
        items = ob.select(outbox_conn, page)
        seen += [i.id for i in items]
        if len(items) < 9:
            break
        cursor = items[-1].id
    assert seen == expected


def test_the_outbox_period_is_exact_when_the_clock_went_back(outbox_conn):
    # The clock went back three days before item 121: items after it are older than item 120
    # for a while. A period ending at item 120's time holds them, not item 120.
    (t120,) = outbox_conn.execute("SELECT created_at FROM items WHERE id = 120").fetchone()
    f = ob.ItemFilter(until=t120, limit=1000)
    got = [i.id for i in ob.select(outbox_conn, f)]
    assert got == expected_items(outbox_conn, f)
    assert 121 in got and 120 not in got and 119 in got


@pytest.mark.parametrize("f", [f for f in OUTBOX_FILTERS[1:] if f.plugins != []], ids=repr)
def test_every_outbox_filter_is_answered_from_an_index(outbox_conn, f):
    seen: list[list[str]] = []
    execute = outbox_conn.execute

    class Spy:
        def execute(self, sql, args=()):
            seen.append(plan(outbox_conn, sql, args))
            return execute(sql, args)

    ob.select(Spy(), f)  # type: ignore[arg-type]
    assert [c for steps in seen for c in costly(steps, "items")] == [], seen


def test_a_claim_reads_only_the_due_items_from_an_index(outbox_conn):
    """The dispatchers claim several times a second: a claim that read every item of its
    plugin held the daemon tens of milliseconds each time at 100,000 items."""
    seen: list[list[str]] = []

    class Spy:
        def execute(self, sql, args=()):
            if sql.startswith("UPDATE"):
                seen.append(plan(outbox_conn, sql, args))
            return outbox_conn.execute(sql, args)

    outbox_conn.execute("BEGIN")
    claimed = ob.claim(Spy(), "dmp", 5, T0 + 1000 * DAY, 60.0)  # type: ignore[arg-type]
    outbox_conn.execute("ROLLBACK")
    assert [i.plugin for i in claimed] == ["dmp"] * 5
    assert seen and [c for steps in seen for c in costly(steps, "items")] == [], seen
    # Each search narrows to a state of the plugin: not every item of the plugin, filtered.
    searches = [s for s in seen[0] if s.startswith("SEARCH items USING") and "rowid" not in s]
    assert searches and all("state=?" in step for step in searches), seen


# --- an older data dir --------------------------------------------------------------------------


def test_an_older_data_dir_gains_the_indexes_and_keeps_its_rows(tmp_path):
    journal_path, outbox_path = tmp_path / "journal.db", tmp_path / "outbox.db"
    # The stores as the previous release left them: every migration but this release's.
    old_journal = connect(journal_path)
    migrate(sqlite_utils.Database(old_journal), "journal", jr.MIGRATIONS[:2])
    fill_journal(old_journal, 120)
    head = jr.head(old_journal)
    old_journal.close()
    old_outbox = connect(outbox_path)
    migrate(sqlite_utils.Database(old_outbox), "outbox", ob.MIGRATIONS[:1])
    fill_outbox(old_outbox, 80)
    old_outbox.close()

    journal = jr.open_database(journal_path)
    outbox = ob.open_database(outbox_path)
    indexes = {r[0] for r in journal.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"journal_outcome", "journal_patient_name"} <= indexes
    indexes = {r[0] for r in outbox.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"items_plugin", "items_state_plugin", "items_created"} <= indexes
    assert jr.head(journal) == head and jr.verify(journal).ok
    f = jr.JournalFilter(patient="dup", outcome="ok", limit=None)
    assert [r["seq"] for r in jr.select(journal, f)] == expected_rows(journal, f)
    assert len(ob.select(outbox, ob.ItemFilter(limit=1000))) == 80
    journal.close()
    outbox.close()


# --- over HTTP: the verification status, the export -------------------------------------------


async def verified(client, query: str = "") -> dict:
    """The status once the walk the request started has ended."""
    for _ in range(200):
        response = await client.get(f"/v1/journal/verify?{query}")
        assert response.status == 200, await response.text()
        body = await response.json()
        if body["running"] is None and body["status"] != "unchecked":
            return body
        query = ""  # the walk asked for is under way: wait for it, start no other
        await asyncio.sleep(0.05)
    raise AssertionError("the verification did not end")


async def record(client, n: int) -> None:
    ins = {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"}
    body = {"event": "ins.view", "summary": f"view {n}", "patient": {"ins": ins}}
    assert (await client.post("/v1/journal", json=body)).status == 201


def tamper(client, seq: int) -> None:
    path = client.app[SETTINGS].daemon.data_dir / "journal.db"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE journal SET summary = 'nothing to see' WHERE seq = ?", [seq])
    db.close()


async def test_the_verification_status_reports_a_tampered_row(client):
    for n in range(5):
        await record(client, n)
    first = await verified(client)
    head = client.app[JOURNAL].head()[0]
    assert first["status"] == "ok" and first["reason"] is None
    assert first["rows_checked"] == head == first["last_seq"]
    assert first["whole_journal_at"] <= first["checked_at"]  # rows added since walked after

    # Rows added since: only they are walked, on top of those verified.
    for n in range(3):
        await record(client, 10 + n)
    second = await verified(client)
    assert second["status"] == "ok" and second["last_seq"] == head + 3
    assert second["rows_checked"] == head + 3
    assert second["whole_journal_at"] == first["whole_journal_at"]

    tamper(client, 3)
    # The rows added since the last walk are fine: an older row is seen by a whole walk.
    assert (await verified(client))["status"] == "ok"
    broken = await verified(client, "whole=true")
    assert broken["status"] == "broken" and broken["first_bad_row"] == 3
    assert broken["reason"] == "row 3 was modified after it was written"
    assert broken["last_seq"] is None
    # It stays reported: asking again walks nothing until the next whole walk.
    await record(client, 99)
    assert (await verified(client))["first_bad_row"] == 3


async def test_the_verification_status_sees_the_last_verified_row_changed(client):
    await record(client, 1)
    first = await verified(client)
    tamper(client, first["last_seq"])
    await record(client, 2)
    again = await verified(client)  # the walk cannot resume there: it walks everything
    assert again["status"] == "broken" and again["first_bad_row"] == first["last_seq"]


async def test_the_verification_status_checks_the_checkpoints(client):
    await record(client, 1)
    await verified(client)
    # Checkpoints are signed with the data dir's key: without it they cannot be checked.
    data_dir = client.app[SETTINGS].daemon.data_dir
    (data_dir / "checkpoint.key").rename(data_dir / "checkpoint.key.away")
    status = await verified(client, "whole=true")
    assert status["status"] == "not_verified", status
    assert "checkpoint.key is missing" in status["reason"]


async def test_verification_needs_the_journal_scope(client, store):
    token = store.add("dmp-only", ["dmp"])[1]
    response = await client.get("/v1/journal/verify", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 403
    assert (await client.get("/v1/journal/verify?whole=maybe")).status == 422


async def test_a_large_export_streams_every_row_in_order(client):
    journal = client.app[JOURNAL]
    entries = [
        jr.Entry(event="ins.view", summary=f"=row {n}", patient_name="MARTIN") for n in range(2500)
    ]
    now = time.time()  # recent: the daemon's retention purge must leave them
    await journal.writer.run(
        lambda conn: [jr.append(conn, e, now + n / 1000, 100) for n, e in enumerate(entries)]
    )
    response = await client.get("/v1/journal/export?patient=mart")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers.get("Transfer-Encoding") == "chunked"
    text = (await response.read()).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["summary"] for r in rows] == [f"'=row {n}" for n in range(2500)]
    seqs = [int(r["seq"]) for r in rows]
    assert seqs == sorted(seqs)
