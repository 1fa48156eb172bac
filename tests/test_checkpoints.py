"""Checkpoints of the journal's head outside the journal: what the hash chain alone cannot show
(a tail deleted with the head moved back, a journal rewritten whole) ``journal verify`` names."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from aiohttp import web

from aiguillage import checkpoints
from aiguillage import journal as jr
from aiguillage.app import create_app
from aiguillage.appkeys import JOURNAL, SETTINGS
from aiguillage.config import Secret
from aiguillage.datadir import StartupError

from conftest import run_cli

VIEW = {"event": "ins.view", "summary": "INS displayed in the patient file"}


def data_dir_of(client) -> Path:
    return client.app[SETTINGS].daemon.data_dir


def lines(data_dir: Path) -> list[checkpoints.Checkpoint]:
    return checkpoints.read(data_dir / checkpoints.FILE).checkpoints


async def record(client, count: int = 1) -> None:
    for i in range(count):
        response = await client.post("/v1/journal", json={**VIEW, "summary": f"view {i}"})
        assert response.status == 201, await response.text()


async def verify(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = await asyncio.to_thread(
        run_cli, "journal", "verify", "--data-dir", str(data_dir), *args, env=env
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def fast_checkpoints(monkeypatch):
    monkeypatch.setattr(checkpoints, "INTERVAL", 0.1)


async def wait_for_checkpoint(data_dir: Path, seq: int) -> None:
    deadline = time.monotonic() + 5
    while not any(c.seq == seq for c in lines(data_dir)):
        assert time.monotonic() < deadline, lines(data_dir)
        await asyncio.sleep(0.05)


async def test_the_start_is_checkpointed_in_a_private_file(client):
    data_dir = data_dir_of(client)
    (first,) = lines(data_dir)
    assert (first.seq, first.kind, first.method) == (1, "head", checkpoints.HMAC_METHOD)
    assert first.hash == jr.head(client.app[JOURNAL].reader)[1]
    for name in (checkpoints.FILE, checkpoints.KEY_FILE):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600
    assert len((data_dir / checkpoints.KEY_FILE).read_bytes()) == 32


async def test_new_rows_are_checkpointed_within_the_interval(fast_checkpoints, client):
    data_dir = data_dir_of(client)
    await record(client, 3)
    await wait_for_checkpoint(data_dir, 4)
    last = lines(data_dir)[-1]
    assert (last.seq, last.hash) == jr.head(client.app[JOURNAL].reader)
    count = len(lines(data_dir))
    await asyncio.sleep(0.3)
    assert len(lines(data_dir)) == count  # nothing new, nothing written


async def test_shutdown_checkpoints_the_final_head(client):
    data_dir = data_dir_of(client)
    await record(client, 2)  # within the minute: not checkpointed yet
    assert lines(data_dir)[-1].seq == 1
    journal = client.app[JOURNAL]
    head = jr.head(journal.reader)
    await client.close()
    assert (lines(data_dir)[-1].seq, lines(data_dir)[-1].hash) == head


async def test_verify_names_a_tail_deleted_with_its_head_moved_back(client):
    """The issue's case: rows deleted from the end and the head row updated to match: the
    chain is intact, the checkpoint is not."""
    data_dir = data_dir_of(client)
    await record(client, 4)
    await client.close()  # the final head (row 5) is checkpointed
    with sqlite3.connect(data_dir / "journal.db") as db:
        db.execute("DELETE FROM journal WHERE seq > 2")
        db.execute(
            "UPDATE journal_head SET seq = 2, hash = (SELECT hash FROM journal WHERE seq = 2)"
        )
    code, out = await verify(data_dir)
    assert code == 1, out
    assert "journal BROKEN: journal.checkpoints line 2 (row 5)" in out
    assert "the journal ends at row 2" in out


async def test_verify_names_a_journal_rewritten_whole(client):
    """Every row rewritten and rechained from the genesis: only the checkpoint still knows."""
    data_dir = data_dir_of(client)
    await record(client, 2)
    await client.close()
    with sqlite3.connect(data_dir / "journal.db") as db:
        db.row_factory = sqlite3.Row
        prev = jr.GENESIS
        for row in db.execute("SELECT * FROM journal ORDER BY seq").fetchall():
            row = {**dict(row), "summary": "nothing to see"}
            row["hash"] = jr.chain_hash(prev, {**row, "prev_hash": prev})
            db.execute(
                "UPDATE journal SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                [row["summary"], prev, row["hash"], row["seq"]],
            )
            prev = row["hash"]
        db.execute("UPDATE journal_head SET hash = ?", [prev])
    code, out = await verify(data_dir)
    assert code == 1, out
    assert (
        "journal.checkpoints line 1 (row 1)" in out and "row 1 differs from its checkpoint" in out
    )


async def test_verify_names_a_deleted_journal(client):
    data_dir = data_dir_of(client)
    await client.close()
    (data_dir / "journal.db").unlink()
    code, out = await verify(data_dir)
    assert code == 1 and "journal.db is missing, but journal.checkpoints line 1" in out


async def test_verify_reports_a_checkpoint_that_does_not_verify(client):
    data_dir = data_dir_of(client)
    await record(client)
    await client.close()
    path = data_dir / checkpoints.FILE
    # A checkpoint line edited to match a rewritten journal, without the key.
    first, second = path.read_text().splitlines()
    forged = second.split(" ")
    forged[0] = "1"
    forged[1] = first.split(" ")[1]
    path.write_text(f"{first}\n{' '.join(forged)}\n")
    code, out = await verify(data_dir)
    assert code == 1, out
    assert "journal BROKEN: journal.checkpoints line 2 (row 1) does not verify: its HMAC" in out
    # Another key (the key file replaced) fails every line.
    (data_dir / checkpoints.KEY_FILE).write_bytes(b"k" * 32)
    code, out = await verify(data_dir)
    assert code == 1 and "line 1 (row 1) does not verify" in out


async def test_verify_accepts_an_intact_journal_and_its_checkpoints(client):
    data_dir = data_dir_of(client)
    await record(client, 3)
    await client.close()
    code, out = await verify(data_dir)
    assert code == 0, out
    assert "journal OK: 4 rows, chain intact; 2 checkpoints match (the last: row 4" in out


async def test_a_deleted_checkpoint_file_is_reported(client):
    data_dir = data_dir_of(client)
    await client.close()
    (data_dir / checkpoints.FILE).unlink()
    code, out = await verify(data_dir)
    assert code == 1 and "journal.checkpoints is missing or empty although checkpoint.key" in out


async def test_a_journal_older_than_its_checkpoint_stops_the_start(
    aiohttp_client, settings, plugins
):
    client = await aiohttp_client(create_app(settings, plugins))
    await record_direct(client, 2)
    await client.close()
    with sqlite3.connect(settings.daemon.data_dir / "journal.db") as db:
        db.execute("DELETE FROM journal WHERE seq > 1")
        db.execute("UPDATE journal_head SET seq = 1, hash = (SELECT hash FROM journal)")
    runner = web.AppRunner(create_app(settings, plugins))
    with pytest.raises(StartupError, match=r"the journal ends at row 1.*--accept-new-journal"):
        await runner.setup()
    await runner.cleanup()


async def record_direct(client, count: int) -> None:
    for i in range(count):
        await client.app[JOURNAL].record(jr.Entry("ins.view", f"view {i}"))


async def test_checkpoints_are_signed_with_the_structure_certificate(
    aiohttp_client, settings, plugins, pki, tmp_path
):
    structure = pki.p12("structure-auth")
    settings.plugins["insi"].options["auth_certificate"] = str(structure)
    settings.plugins["insi"].options["auth_certificate_password"] = Secret(pki.password, "test")
    client = await aiohttp_client(create_app(settings, plugins))
    await record_direct(client, 1)
    await client.close()
    data_dir = settings.daemon.data_dir
    signed = lines(data_dir)
    assert [c.method.split(":")[0] for c in signed] == [checkpoints.CERT_METHOD] * 2
    assert not (data_dir / checkpoints.KEY_FILE).exists()

    config = tmp_path / "structure.toml"
    config.write_text(
        f'[insi]\nauth_certificate = "{structure}"\n'
        'auth_certificate_password = { env = "AGL_TEST_STRUCTURE_PIN" }\n'
    )
    env = {"AGL_TEST_STRUCTURE_PIN": pki.password}
    code, out = await verify(data_dir, "--config", str(config), env=env)
    assert code == 0, out
    # Without the config, the certificate kept beside the checkpoints checks them.
    code, out = await verify(data_dir)
    assert code == 0, out
    # Without it either, the signatures cannot be checked: said apart from tampering.
    kept = (data_dir / checkpoints.CERTIFICATES_FILE).read_bytes()
    (data_dir / checkpoints.CERTIFICATES_FILE).unlink()
    code, out = await verify(data_dir)
    assert code == 3, out
    assert "journal NOT VERIFIED: journal.checkpoints line 1 (row 1) cannot be checked" in out
    assert "BROKEN" not in out
    (data_dir / checkpoints.CERTIFICATES_FILE).write_bytes(kept)
    # A line signed with a data-dir key after certificate-signed ones is a downgrade.
    downgraded = checkpoints.Checkpoints(
        data_dir, checkpoints.Signer(key=checkpoints.create_key(data_dir))
    )
    downgraded.last = None
    downgraded.write(*jr.head(jr.open_database(data_dir / "journal.db")))
    code, out = await verify(data_dir, "--config", str(config), env=env)
    assert code == 1 and "line 3 (row 2) is signed with checkpoint.key although" in out


def use_structure_certificate(settings, pki, name: str = "structure-auth", password=None) -> None:
    options = settings.plugins["insi"].options
    options["auth_certificate"] = str(pki.p12(name))
    options["auth_certificate_password"] = Secret(password or pki.password, "test")


async def run_daemon(aiohttp_client, settings, plugins, rows: int = 1) -> None:
    """Start the daemon in-process, add ``rows`` rows, stop it."""
    client = await aiohttp_client(create_app(settings, plugins))
    await record_direct(client, rows)
    await client.close()


async def start_fails(settings, plugins) -> str:
    runner = web.AppRunner(create_app(settings, plugins))
    try:
        with pytest.raises(StartupError) as caught:
            await runner.setup()
    finally:
        await runner.cleanup()
    return str(caught.value)


async def test_history_deleted_under_a_faked_purge_is_named(aiohttp_client, settings, plugins):
    """Every row but the head deleted and the chain re-anchored by hand, as a purge would: no
    purge is journaled, so the rows were deleted."""
    await run_daemon(aiohttp_client, settings, plugins, rows=20)
    data_dir = settings.daemon.data_dir
    with sqlite3.connect(data_dir / "journal.db") as db:
        (head,) = db.execute("SELECT seq FROM journal_head").fetchone()
        db.execute(
            "UPDATE journal_anchor SET seq = ?, "
            "prev_hash = (SELECT prev_hash FROM journal WHERE seq = ?)",
            [head, head],
        )
        db.execute("DELETE FROM journal WHERE seq < ?", [head])
    code, out = await verify(data_dir)
    assert code == 1, out
    assert f"the journal starts at row {head}, but no purge is journaled" in out
    # The checkpoints below the new start name it too, the chain's own check aside.
    with sqlite3.connect(data_dir / "journal.db") as db:
        report = checkpoints.check(
            db,
            data_dir,
            checkpoints.read(data_dir / checkpoints.FILE),
            checkpoints.verifier_for(data_dir, None),
        )
    assert "is gone: the journal starts at row" in report.problems[0], report.problems


async def test_checkpoints_purged_by_retention_still_verify(aiohttp_client, settings, plugins):
    client = await aiohttp_client(create_app(settings, plugins))
    await record_direct(client, 3)
    await client.app[JOURNAL].purge(time.time() + 1)  # every row so far
    await record_direct(client, 1)
    await client.close()
    data_dir = settings.daemon.data_dir
    code, out = await verify(data_dir)
    assert code == 0, out
    # Going further than the purge journaled (here: deleting the purge's own row) is no purge.
    with sqlite3.connect(data_dir / "journal.db") as db:
        (anchor,) = db.execute("SELECT seq FROM journal_anchor").fetchone()
        db.execute(
            "UPDATE journal_anchor SET seq = ?, "
            "prev_hash = (SELECT prev_hash FROM journal WHERE seq = ?)",
            [anchor + 1, anchor + 1],
        )
        db.execute("DELETE FROM journal WHERE seq = ?", [anchor])
    code, out = await verify(data_dir)
    assert code == 1 and f"rows 1 to {anchor} were deleted" in out, out


async def test_a_renewed_structure_certificate_keeps_the_old_lines_verifiable(
    aiohttp_client, settings, plugins, pki, tmp_path
):
    use_structure_certificate(settings, pki)
    await run_daemon(aiohttp_client, settings, plugins)
    data_dir = settings.daemon.data_dir
    use_structure_certificate(settings, pki, "insi-auto")  # renewed: another key
    await run_daemon(aiohttp_client, settings, plugins)  # starts
    await run_daemon(aiohttp_client, settings, plugins)  # and restarts
    fingerprints = {c.method for c in lines(data_dir)}
    assert len(fingerprints) == 2, fingerprints
    kept = data_dir / checkpoints.CERTIFICATES_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    text = kept.read_text()
    assert text.count("BEGIN CERTIFICATE") == 2 and "PRIVATE KEY" not in text
    config = tmp_path / "renewed.toml"
    config.write_text(
        f'[insi]\nauth_certificate = "{pki.p12("insi-auto")}"\n'
        'auth_certificate_password = { env = "AGL_TEST_STRUCTURE_PIN" }\n'
    )
    code, out = await verify(
        data_dir, "--config", str(config), env={"AGL_TEST_STRUCTURE_PIN": pki.password}
    )
    assert code == 0, out


async def test_a_structure_certificate_that_does_not_load_is_its_own_start_up_error(
    aiohttp_client, settings, plugins, pki
):
    use_structure_certificate(settings, pki)
    await run_daemon(aiohttp_client, settings, plugins)
    use_structure_certificate(settings, pki, password="wrong")
    line = await start_fails(settings, plugins)
    assert line.startswith("[insi] auth_certificate: "), line
    assert "wrong password" in line and "journal.checkpoints" not in line
    assert "\n" not in line


async def test_a_checkpoint_file_deleted_in_certificate_mode_stops_the_start(
    aiohttp_client, settings, plugins, pki
):
    use_structure_certificate(settings, pki)
    await run_daemon(aiohttp_client, settings, plugins, rows=4)
    data_dir = settings.daemon.data_dir
    with sqlite3.connect(data_dir / "journal.db") as db:
        db.execute("DELETE FROM journal WHERE seq > 2")
        db.execute(
            "UPDATE journal_head SET seq = 2, hash = (SELECT hash FROM journal WHERE seq = 2)"
        )
    (data_dir / checkpoints.FILE).unlink()
    line = await start_fails(settings, plugins)
    assert "journal.checkpoints: missing or empty although journal.certificates" in line
    # The kept certificates gone too: the journal's own record of its checkpoints says it.
    (data_dir / checkpoints.CERTIFICATES_FILE).unlink()
    line = await start_fails(settings, plugins)
    assert "missing or empty although journal.db records the checkpoint of row" in line
    code, out = await verify(data_dir)
    assert code == 1 and "journal.checkpoints is missing or empty" in out, out


async def test_a_checkpoint_file_cut_back_with_the_journal_stops_the_start(
    aiohttp_client, settings, plugins
):
    await run_daemon(aiohttp_client, settings, plugins, rows=3)
    data_dir = settings.daemon.data_dir
    path = data_dir / checkpoints.FILE
    first_run = path.read_text().splitlines()
    await run_daemon(aiohttp_client, settings, plugins, rows=10)
    # The second run's lines dropped, and the journal rolled back to the first run's end.
    path.write_text("\n".join(first_run) + "\n")
    last = checkpoints.read(path).checkpoints[-1]
    with sqlite3.connect(data_dir / "journal.db") as db:
        db.execute("DELETE FROM journal WHERE seq > ?", [last.seq])
        db.execute("UPDATE journal_head SET seq = ?, hash = ?", [last.seq, last.hash])
    line = await start_fails(settings, plugins)
    assert "lines were cut from the file" in line, line
    code, out = await verify(data_dir)
    assert code == 1 and "lines were cut from the file" in out, out


async def test_the_shutdown_checkpoint_is_taken_through_the_writer(client):
    """The final head is made durable by a write of its own, not taken on the word of the
    closing fold of the log, whose failure is not reported."""
    data_dir = data_dir_of(client)
    await record(client, 2)
    await client.close()
    last = lines(data_dir)[-1]
    with sqlite3.connect(data_dir / "journal.db") as db:
        mark = db.execute(
            "SELECT seq, hash, line_seq, line_hash FROM journal_checkpoint"
        ).fetchone()
    assert mark == (last.seq, last.hash, last.seq, last.hash)


async def test_doctor_reports_the_last_checkpoint_and_its_signer(client):
    from aiguillage.doctor import check_checkpoints

    check = check_checkpoints(client.app[SETTINGS])
    assert check.outcome == "ok", check
    assert "last: row 1 at" in check.detail
    assert "signed with HMAC-SHA256 under checkpoint.key" in check.detail
