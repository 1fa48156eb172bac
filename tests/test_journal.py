"""The journal: EHR records, security rejections, filters, exports, tamper detection, retention."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import time

import pytest
from openpyxl import load_workbook

from aiguillage import journal as jr
from aiguillage.app import maintain
from aiguillage.appkeys import JOURNAL, SETTINGS

from conftest import run_cli

PROBLEM = "application/problem+json"
VIEW = {
    "event": "ins.view",
    "summary": "INS displayed in the patient file",
    "patient": {
        "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
        "traits": {
            "birth_name": "TCHITCHI",
            "first_names": ["CATARINA", "BELLA"],
            "sex": "F",
            "birth_date": "1977-07-14",
            "birth_place": "63220",
        },
    },
    "practitioner": {"id": "10000000001", "name": "Dr Martin"},
}
CHANGE = {
    "event": "ins.identity_changed",
    "summary": "birth name corrected",
    "patient": {"ins": {"matricule": "277076322082910"}},
    "before": {"birth_name": "TCHITCH"},
    "after": {"birth_name": "TCHITCHI"},
}


async def record(client, body: dict) -> dict:
    response = await client.post("/v1/journal", json=body)
    assert response.status == 201, await response.text()
    return await response.json()


async def rows(client, query: str = "") -> list[dict]:
    response = await client.get(f"/v1/journal?{query}")
    assert response.status == 200, await response.text()
    return (await response.json())["rows"]


def security_rows(client) -> list[dict]:
    return list(jr.select(client.app[JOURNAL].reader, jr.JournalFilter(event="security")))


async def test_ehr_records_identity_actions(client):
    first = await record(client, VIEW)
    second = await record(client, CHANGE)
    assert second["seq"] == first["seq"] + 1
    listed = await rows(client, "patient=277076322082910")
    assert [r["event"] for r in listed] == ["ins.identity_changed", "ins.view"]
    view = listed[1]
    assert view["patient_name"] == "TCHITCHI CATARINA BELLA"
    assert view["practitioner_name"] == "Dr Martin" and view["client"] == "ehr"
    assert '"before": {"birth_name": "TCHITCH"}' in listed[0]["request"]
    # A name is found by its start, case ignored (an index answers it; a word inside the names
    # is not searched: that would read every row).
    assert await rows(client, "patient=tchitchi%20c") == [view]
    assert await rows(client, "patient=catarina") == []
    assert [r["event"] for r in await rows(client, "event=ins")] == [
        "ins.identity_changed",
        "ins.view",
    ]
    assert await rows(client, "event=ins.view") == [view]
    assert await rows(client, "outcome=error") == []
    assert await rows(client, "to=2000-01-01") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VIEW, "event": "dmp.document.sent"}, "/event"),
        ({**VIEW, "summary": ""}, "/summary"),
        ({**VIEW, "patient": {"ins": {"matricule": "12"}}}, "/patient/ins/matricule"),
        ({**VIEW, "patient": {"traits": {"sex": "X"}}}, "/patient/traits/sex"),
        ({**VIEW, "extra": 1}, "/extra"),
    ],
)
async def test_record_bad_input(client, body, field):
    response = await client.post("/v1/journal", json=body)
    assert response.status == 422
    assert field in {e["field"] for e in (await response.json(content_type=PROBLEM))["errors"]}


async def test_reading_needs_the_journal_scope(client, store):
    token = store.add("insi-only", ["insi"])[1]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/v1/journal", json=VIEW, headers=headers)).status == 201
    assert (await client.get("/v1/journal", headers=headers)).status == 403
    assert (await client.get("/v1/journal/export", headers=headers)).status == 403
    reader = store.add("auditor", ["journal"])[1]
    assert (
        await client.get("/v1/journal", headers={"Authorization": f"Bearer {reader}"})
    ).status == 200


async def test_rejections_are_journaled(client):
    await client.get("/v1/health", headers={"Host": "evil.example"})
    await client.get("/v1/health", headers={"Authorization": "Bearer agl_stolen"})
    await client.get("/v1/health?ins=277076322082910", headers={"Origin": "http://evil.example"})
    deadline = time.monotonic() + 5
    while len(found := security_rows(client)) < 3:  # journaled without the answer waiting
        assert time.monotonic() < deadline, found
        await asyncio.sleep(0.02)
    outcomes = sorted(r["outcome"] for r in found)
    assert outcomes == ["invalid-token", "misdirected-request", "origin-not-allowed"]
    assert all(r["event"] == "security.rejected" for r in found)
    assert all("277076322082910" not in (r["request"] or "") for r in found)


async def test_exports_open_back(client):
    await record(client, VIEW)
    await record(client, CHANGE)
    response = await client.get("/v1/journal/export?format=csv&event=ins")
    assert response.status == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = (await response.read()).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["event"] for r in table] == ["ins.view", "ins.identity_changed"]
    assert table[0]["patient_name"] == "TCHITCHI CATARINA BELLA"

    response = await client.get("/v1/journal/export?format=xlsx&patient=277076322082910")
    assert response.content_type.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(await response.read()))
    sheet = book["journal"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == jr.COLUMNS
    assert [v[jr.COLUMNS.index("event")] for v in values[1:]] == [
        "ins.view",
        "ins.identity_changed",
    ]
    assert (await client.get("/v1/journal/export?format=pdf")).status == 422


async def test_a_control_character_an_ehr_sent_does_not_break_the_spreadsheet(client):
    await record(client, {**VIEW, "summary": "INS displayed\u0001 in the patient file"})
    response = await client.get("/v1/journal/export?format=xlsx&event=ins.view")
    assert response.status == 200
    sheet = load_workbook(io.BytesIO(await response.read()))["journal"]
    (row,) = list(sheet.iter_rows(values_only=True))[1:]
    assert row[jr.COLUMNS.index("summary")] == "INS displayed\\x01 in the patient file"
    response = await client.get("/v1/journal/export?format=csv&event=ins.view")
    assert "INS displayed\u0001 in" in (await response.read()).decode("utf-8-sig")


async def test_exchanges_are_capped(client):
    journal = client.app[JOURNAL]
    row = await journal.record(jr.Entry("ins.search", "big", request="x" * 300_000))
    assert len(row["request"].encode()) < 263_000
    assert row["request"].endswith("[truncated: 300000 bytes in all]")


def journal_db(client) -> sqlite3.Connection:
    return sqlite3.connect(client.app[SETTINGS].daemon.data_dir / "journal.db")


async def filled(client, count: int = 5) -> None:
    for i in range(count):
        await record(client, {**VIEW, "summary": f"view {i}"})


async def verify_cli(client) -> tuple[int, str]:
    result = await asyncio.to_thread(
        run_cli, "journal", "verify", "--data-dir", str(client.app[SETTINGS].daemon.data_dir)
    )
    return result.returncode, result.stdout + result.stderr


async def test_verify_accepts_an_intact_journal(client):
    await filled(client)
    code, out = await verify_cli(client)
    assert code == 0 and "journal OK: 6 rows" in out  # daemon.started + 5


async def test_verify_names_an_edited_row(client):
    await filled(client)
    with journal_db(client) as db:
        db.execute("UPDATE journal SET summary = 'nothing to see' WHERE seq = 3")
    code, out = await verify_cli(client)
    assert code == 1
    assert "journal BROKEN at row 3: row 3 was modified after it was written" in out


def forge(client, seq: int, **changes: str) -> None:
    """Edit row ``seq`` as someone covering their tracks would: its own hash recomputed with
    the journal's function, so the row alone looks intact."""
    with journal_db(client) as db:
        db.row_factory = sqlite3.Row
        row = dict(db.execute("SELECT * FROM journal WHERE seq = ?", [seq]).fetchone())
        row.update(changes)
        sets = ", ".join(f"{c} = ?" for c in changes)
        db.execute(
            f"UPDATE journal SET {sets}, hash = ? WHERE seq = ?",
            [*changes.values(), jr.chain_hash(row["prev_hash"], row), seq],
        )


async def test_verify_names_an_edited_row_whose_hash_was_recomputed(client):
    await filled(client)
    forge(client, 3, summary="nothing to see", patient_ins="180032B02040123")
    code, out = await verify_cli(client)
    # Row 3 alone checks out; the next row's link to it does not.
    assert code == 1
    assert "journal BROKEN at row 3: row 3 was modified after it was written" in out


async def test_verify_names_the_last_row_edited_with_its_hash_recomputed(client):
    await filled(client)
    forge(client, 6, summary="nothing to see")
    code, out = await verify_cli(client)
    # No next row links to it: the chain's head holds its true hash.
    assert code == 1
    assert "journal BROKEN at row 6: row 6 was modified after it was written" in out


async def test_verify_names_rows_added_past_the_head(client):
    await filled(client)
    with journal_db(client) as db:
        db.row_factory = sqlite3.Row
        last = dict(db.execute("SELECT * FROM journal WHERE seq = 6").fetchone())
        row = {**last, "seq": 7, "summary": "a forged view", "prev_hash": last["hash"]}
        row["hash"] = jr.chain_hash(row["prev_hash"], row)
        db.execute(f"INSERT INTO journal VALUES ({', '.join('?' * len(row))})", list(row.values()))
    code, out = await verify_cli(client)
    assert code == 1 and "journal BROKEN at row 7: rows 7 to 7 are past the chain's head" in out


async def test_verify_names_a_deleted_row(client):
    await filled(client)
    with journal_db(client) as db:
        db.execute("DELETE FROM journal WHERE seq = 2")
    code, out = await verify_cli(client)
    assert code == 1 and "at row 2: row 2 is missing" in out


async def test_verify_names_reordered_rows(client):
    await filled(client)
    with journal_db(client) as db:
        # Swap rows 2 and 4, keeping their own hashes: each row is intact, the order is not.
        cols = ", ".join(c for c in (*jr.COLUMNS[1:], "prev_hash", "hash"))
        two = db.execute(f"SELECT {cols} FROM journal WHERE seq = 2").fetchone()
        four = db.execute(f"SELECT {cols} FROM journal WHERE seq = 4").fetchone()
        sets = ", ".join(f"{c} = ?" for c in cols.split(", "))
        db.execute(f"UPDATE journal SET {sets} WHERE seq = 2", four)
        db.execute(f"UPDATE journal SET {sets} WHERE seq = 4", two)
    code, out = await verify_cli(client)
    assert code == 1 and "at row 2" in out


async def test_verify_notices_a_truncated_tail(client):
    await filled(client)
    with journal_db(client) as db:
        db.execute("DELETE FROM journal WHERE seq >= 4")
    code, out = await verify_cli(client)
    assert code == 1 and "rows 4 to 6 are missing" in out


async def test_retention_purge_reanchors_and_is_journaled(client):
    await filled(client, 3)
    done = await maintain(client.app, time.time() + 1096 * 86400)
    assert done["journal_rows_purged"] == 4  # daemon.started and the 3 views
    left = await rows(client)
    assert [r["event"] for r in left] == ["journal.purged"]
    assert "4 rows older than" in left[0]["summary"]
    await filled(client, 2)
    code, out = await verify_cli(client)
    assert code == 0 and "journal OK: 3 rows" in out


async def test_cli_export(client, tmp_path):
    await filled(client, 2)
    out = tmp_path / "journal.xlsx"
    result = await asyncio.to_thread(
        run_cli,
        "journal",
        "export",
        "--format",
        "xlsx",
        "-o",
        str(out),
        "--event",
        "ins.view",
        "--data-dir",
        str(client.app[SETTINGS].daemon.data_dir),
    )
    assert result.returncode == 0 and "2 rows written" in result.stdout
    sheet = load_workbook(out)["journal"]
    assert sheet.max_row == 3
    bad = await asyncio.to_thread(
        run_cli,
        "journal",
        "export",
        "-o",
        str(out),
        "--from",
        "yesterday",
        "--data-dir",
        str(client.app[SETTINGS].daemon.data_dir),
    )
    assert bad.returncode == 2 and "'yesterday' is not a valid date" in bad.stderr


async def test_start_and_config_change_are_journaled(aiohttp_client, settings, plugins, tmp_path):
    from aiguillage.app import create_app

    config = tmp_path / "a.toml"
    for text in ("[jfse]\nenabled = false\n", "[jfse]\nenabled = false\n", "[jfse]\n"):
        config.write_text(text)
        settings.source = config
        client = await aiohttp_client(create_app(settings, plugins))
        await client.close()
    conn = jr.open_database(settings.daemon.data_dir / "journal.db")
    events = [r["event"] for r in jr.select(conn, jr.JournalFilter(ascending=True, limit=None))]
    assert events == ["daemon.started", "daemon.started", "config.changed", "daemon.started"]
