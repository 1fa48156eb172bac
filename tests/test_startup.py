"""Starting the daemon on a data dir that is not as it should be: one line naming the file and
the cause, exit 2, no traceback; what an admin may accept is accepted only when asked, and
journaled; whatever the daemon creates is private to its user."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aiguillage import checkpoints, datadir, store
from aiguillage import journal as jr
from aiguillage import outbox as ob
from aiguillage.clients import ClientStore

from conftest import ROOT, run_cli

STARTED = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")

#: INSi and DMP make a test PKI at their first start: left out where the test is elsewhere.
FAST = "[insi]\nenabled = false\n[dmp]\nenabled = false\n"


def config(tmp_path: Path, text: str = FAST) -> str:
    path = tmp_path / "aiguillage.toml"
    path.write_text(text)
    return str(path)


def start(data_dir: Path, *args: str, config_file: str | None = None) -> subprocess.Popen:
    """``aiguillage serve``, once it says it listens (the test stops it with ``stop``)."""
    command = [sys.executable, "-m", "aiguillage", "serve", "--port", "0"]
    command += ["--data-dir", str(data_dir), *args]
    if config_file:
        command += ["--config", config_file]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    if not STARTED.search(line):
        process.kill()
        pytest.fail(line + process.stderr.read())
    process.port = int(STARTED.search(line).group(1))  # type: ignore[attr-defined]
    return process


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    _, err = process.communicate(timeout=30)
    return err


def refused(result: subprocess.CompletedProcess) -> str:
    """The one line a refused start printed."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def serve(data_dir: Path, *args: str, config_file: str, **kwargs) -> subprocess.CompletedProcess:
    return run_cli(
        "serve",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--config",
        config_file,
        *args,
        **kwargs,
    )


@pytest.fixture
def ran(tmp_path: Path) -> tuple[Path, str]:
    """A data dir a daemon has run on and stopped: (data dir, config file)."""
    data_dir, conf = tmp_path / "data", config(tmp_path)
    stop(start(data_dir, config_file=conf))
    return data_dir, conf


def events(data_dir: Path) -> list[tuple[str, dict]]:
    with sqlite3.connect(data_dir / "journal.db") as db:
        rows = db.execute("SELECT event, request FROM journal ORDER BY seq").fetchall()
    return [(event, json.loads(request) if request else {}) for event, request in rows]


# --- the journal against its checkpoints -------------------------------------------------------


def test_a_deleted_journal_is_refused_then_accepted_and_journaled(ran):
    data_dir, conf = ran
    last = checkpoints.read(data_dir / checkpoints.FILE).last()
    (data_dir / "journal.db").unlink()
    line = refused(serve(data_dir, config_file=conf))
    assert line.startswith(f"aiguillage: {data_dir / 'journal.db'}: missing")
    assert "--accept-new-journal" in line

    stop(start(data_dir, "--accept-new-journal", config_file=conf))
    (accepted, request), *_ = events(data_dir)
    assert accepted == "journal.accepted"
    assert request["previous_checkpoint"]["seq"] == last.seq
    assert request["previous_checkpoint"]["hash"] == last.hash
    assert "missing" in request["cause"]
    # The acceptance starts a new series of checkpoints: rows 1 (accepted) and 2 (started).
    lines = checkpoints.read(data_dir / checkpoints.FILE).checkpoints
    assert [(c.kind, c.seq) for c in lines if c.kind == "accepted"] == [("accepted", 2)]
    # Accepted once: the next start goes through, and the journal verifies.
    stop(start(data_dir, config_file=conf))
    result = run_cli("journal", "verify", "--data-dir", str(data_dir), "--config", conf)
    assert result.returncode == 0, result.stderr


def test_a_journal_older_than_its_last_checkpoint_is_refused(ran):
    data_dir, conf = ran
    stop(start(data_dir, config_file=conf))  # a second start: rows 1 and 2, checkpointed
    with sqlite3.connect(data_dir / "journal.db") as db:
        # Cover one's tracks: the tail deleted, the head moved back onto the row left.
        db.execute("DELETE FROM journal WHERE seq > 1")
        db.execute("UPDATE journal_head SET seq = 1, hash = (SELECT hash FROM journal)")
    line = refused(serve(data_dir, config_file=conf))
    assert f"{data_dir / 'journal.db'}: the journal ends at row 1" in line
    assert "records row 2" in line


def test_a_journal_rewritten_up_to_its_checkpoint_is_refused(ran):
    data_dir, conf = ran
    with sqlite3.connect(data_dir / "journal.db") as db:
        # Row 1 rewritten and the whole chain recomputed: only the checkpoint knows.
        db.execute("UPDATE journal SET summary = 'nothing', hash = ? WHERE seq = 1", ["f" * 64])
        db.execute("UPDATE journal_head SET hash = ?", ["f" * 64])
    line = refused(serve(data_dir, config_file=conf))
    assert "row 1 differs from its checkpoint" in line


# --- stores gone missing -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["outbox.db", "clients.db"])
def test_a_store_missing_beside_the_journal_is_refused_then_accepted(ran, name):
    data_dir, conf = ran
    (data_dir / name).unlink()
    line = refused(serve(data_dir, config_file=conf))
    assert line.startswith(f"aiguillage: {data_dir / name}: missing beside journal.db")
    assert "--accept-missing-store" in line
    assert not (data_dir / name).exists()  # nothing was created by the refused start
    # The journal's own flag does not accept it.
    refused(serve(data_dir, "--accept-new-journal", config_file=conf))

    stop(start(data_dir, "--accept-missing-store", config_file=conf))
    accepted = [r for e, r in events(data_dir) if e == "store.accepted"]
    assert accepted == [
        {
            "file": name,
            "cause": "missing beside journal.db",
            "option": "--accept-missing-store",
        }
    ]


def queue_a_send(data_dir: Path) -> None:
    conn = ob.open_database(data_dir / "outbox.db")
    new = ob.NewItem("dmp", "document", {"title": "letter"}, "urn:oid:1.2.3")
    conn.execute("BEGIN IMMEDIATE")
    ob.enqueue(conn, new, time.time())
    conn.execute("COMMIT")
    conn.close()


def test_a_journal_missing_beside_the_outbox_is_refused(ran):
    data_dir, conf = ran
    queue_a_send(data_dir)
    for name in ("journal.db", checkpoints.FILE, checkpoints.KEY_FILE):
        (data_dir / name).unlink()
    line = refused(serve(data_dir, config_file=conf))
    assert line.startswith(
        f"aiguillage: {data_dir / 'journal.db'}: missing beside outbox.db, which holds sends"
    )


def test_a_journal_missing_beside_its_checkpoint_key_is_refused(ran):
    data_dir, conf = ran
    for name in ("journal.db", checkpoints.FILE):
        (data_dir / name).unlink()
    line = refused(serve(data_dir, config_file=conf))
    assert line.startswith(f"aiguillage: {data_dir / 'journal.db'}: missing beside checkpoint.key")


def test_an_empty_outbox_left_by_the_previous_release_commands_starts(tmp_path):
    """The previous release's ``aiguillage outbox list`` made an empty outbox.db in a fresh data
    dir: nothing was lost, nothing to refuse."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    ob.open_database(data_dir / "outbox.db").close()
    stop(start(data_dir, config_file=config(tmp_path)))
    assert (data_dir / "journal.db").exists()


def previous_release_data_dir(data_dir: Path) -> None:
    """The stores as the previous release left them after a run: its journal schema (the first
    migration; the checkpoint mark came later) with a start journaled, its outbox and client
    apps; no checkpoint file, no key."""
    data_dir.mkdir(mode=0o700)
    conn = store.open_database(data_dir / "journal.db", "journal", jr.MIGRATIONS[:1])
    conn.execute("BEGIN IMMEDIATE")
    started = jr.Entry("daemon.started", "aiguillage started", request={"config_sha256": "0"})
    jr.append(conn, started, time.time(), 1000)
    conn.execute("COMMIT")
    conn.close()
    ob.open_database(data_dir / "outbox.db").close()
    ClientStore(data_dir).close()


def test_a_data_dir_of_the_previous_release_starts_and_restarts(tmp_path):
    data_dir, conf = tmp_path / "data", config(tmp_path)
    previous_release_data_dir(data_dir)
    with sqlite3.connect(data_dir / "journal.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "journal_checkpoint" not in tables
    stop(start(data_dir, config_file=conf))
    stop(start(data_dir, config_file=conf))
    result = run_cli("journal", "verify", "--data-dir", str(data_dir), "--config", conf)
    assert result.returncode == 0, result.stderr


def test_starts_purged_by_retention_still_show_a_daemon_ran(ran):
    data_dir, _ = ran
    conn = jr.open_database(data_dir / "journal.db")
    conn.execute("BEGIN IMMEDIATE")
    jr.purge(conn, time.time() + 1, time.time(), 1000)  # the start rows go
    conn.execute("DELETE FROM journal_checkpoint")  # the anchor alone shows it
    conn.execute("COMMIT")
    conn.close()
    (data_dir / "outbox.db").unlink()
    (refusal,) = datadir.missing_stores(data_dir)
    assert refusal.path == data_dir / "outbox.db"
    assert refusal.cause.startswith("missing beside journal.db")


# --- start-up failures -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["journal.db", "outbox.db", "clients.db"])
def test_a_corrupt_database_is_one_line(ran, name):
    data_dir, conf = ran
    (data_dir / name).write_bytes(os.urandom(8192))
    line = refused(serve(data_dir, config_file=conf))
    assert line.startswith(f"aiguillage: {data_dir / name}: not a SQLite database")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_a_read_only_data_dir_is_one_line(ran):
    data_dir, conf = ran
    data_dir.chmod(0o500)
    try:
        line = refused(serve(data_dir, config_file=conf))
    finally:
        data_dir.chmod(0o700)
    assert line.startswith(f"aiguillage: {data_dir}: the data directory is not writable")


def _file_size_limit(limit: int):
    def apply() -> None:
        # Past the limit a write fails with EFBIG, as one fails with ENOSPC on a full disk
        # (SIGXFSZ ignored: it would kill the process instead). No tmpfs to fill here.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_at_first_start_is_one_line(tmp_path):
    data_dir = tmp_path / "data"
    line = refused(serve(data_dir, config_file=config(tmp_path), preexec_fn=_file_size_limit(2000)))
    assert line.startswith(f"aiguillage: {data_dir / 'clients.db'}: cannot open or write:")
    assert "disk I/O error" in line or "full" in line


def test_a_full_disk_when_the_journal_grows_is_one_line(ran):
    data_dir, conf = ran
    # The databases are there, each larger than what may still be written.
    line = refused(serve(data_dir, config_file=conf, preexec_fn=_file_size_limit(16384)))
    assert "journal.db" in line or "outbox.db" in line or "clients.db" in line
    assert "disk I/O error" in line or "full" in line or "too large" in line


# --- privacy of what the daemon creates ---------------------------------------------------------


def not_private(data_dir: Path) -> list[str]:
    found = []
    for path in [data_dir, *data_dir.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(data_dir.parent)} {mode:o}")
    return found


def test_everything_a_first_run_creates_is_private(tmp_path):
    data_dir = tmp_path / "data"
    # The default config: every plugin, the test PKIs and plugin databases made at start.
    process = start(data_dir)
    try:
        token = (data_dir / "token").read_text().strip()
        request = urllib.request.Request(
            f"http://127.0.0.1:{process.port}/v1/journal",
            data=json.dumps({"event": "ins.view", "summary": "viewed"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
        # Walked while the daemon runs: the -wal and -shm files exist only then.
        assert (data_dir / "journal.db-wal").exists()
        assert list(data_dir.glob("plugins/*/*.db")), "no plugin database to check"
        assert not_private(data_dir) == []
    finally:
        stop(process)
    assert not_private(data_dir) == []


def test_an_existing_data_dir_readable_by_others_is_fixed_with_a_warning(ran):
    data_dir, conf = ran
    (data_dir / "journal.db-wal").write_bytes(b"")  # as a crash would leave it
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    # Not the daemon's: the data dir may be a folder shared with other things.
    (data_dir / "shared").mkdir(mode=0o755)
    (data_dir / "shared" / "notes.txt").write_text("minutes")
    (data_dir / "shared" / "notes.txt").chmod(0o644)
    err = stop(start(data_dir, config_file=conf))
    assert sorted(not_private(data_dir)) == ["data/shared 755", "data/shared/notes.txt 644"]
    warnings = [line for line in err.splitlines() if "permissions removed" in line]
    assert len(warnings) == 1, warnings
    assert "WARNING" in warnings[0] and "journal.db-wal (644 -> 600)" in warnings[0]
    assert f"{data_dir} (755 -> 700)" in warnings[0]


@pytest.mark.parametrize("name", ["journal.db", "outbox.db", "clients.db"])
async def test_the_application_names_a_database_it_cannot_open(settings, plugins, name):
    """Started in-process, without the command's checks, the app still names the file."""
    from aiohttp import web

    from aiguillage.app import create_app
    from aiguillage.datadir import StartupError

    settings.daemon.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.daemon.data_dir / name).write_bytes(os.urandom(8192))
    runner = web.AppRunner(create_app(settings, plugins))
    with pytest.raises(StartupError) as caught:
        await runner.setup()
    await runner.cleanup()
    assert str(caught.value).startswith(f"{settings.daemon.data_dir / name}: ")
    assert "\n" not in str(caught.value)


async def test_the_stores_and_their_logs_are_private_without_a_umask(client):
    """In-process (the test's umask lets others read new files), the daemon's stores and the
    -wal/-shm files SQLite makes beside them are private from their first write."""
    from aiguillage.appkeys import SETTINGS

    assert (await client.post("/v1/journal", json={"event": "ins.view", "summary": "v"})).ok
    data_dir = client.app[SETTINGS].daemon.data_dir
    stores = [p for p in data_dir.glob("*.db*") if p.name.split(".db")[0] != ""]
    assert {p.name for p in stores} >= {"journal.db", "journal.db-wal", "outbox.db-wal"}
    assert {p.name: f"{stat.S_IMODE(p.stat().st_mode):o}" for p in stores} == {
        p.name: "600" for p in stores
    }
