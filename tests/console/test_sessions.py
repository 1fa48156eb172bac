"""Console sessions are short-lived, over a real socket: a login's token expires, "Se
déconnecter" revokes the console app and nothing else, expired console apps are deleted, and a
clients store made before expiries existed upgrades in place."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import pytest
import sqlite_utils
from click.testing import CliRunner

from aiguillage import clients
from aiguillage.app import create_app
from aiguillage.cli import main
from aiguillage.clients import ClientError, ClientStore, hash_token
from aiguillage.console import codes
from aiguillage.console.login import SESSION_HOURS
from aiguillage.journal import iso
from aiguillage.migrations import migrate

PROBLEM = "urn:aiguillage:problem:"


@pytest.fixture
async def console(aiohttp_client, settings, plugins, store):
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.admin = store.add("practice-admin", ["admin"])[1]
    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(console, settings) -> dict:
    code = codes.issue(settings.daemon.data_dir)
    response = await console.post("/v1/console/login", json={"code": code})
    assert response.status == 200, await response.text()
    return await response.json()


async def status_of(console, token: str) -> tuple[int, dict]:
    response = await console.get("/v1/plugins", headers=bearer(token))
    return response.status, await response.json(content_type=None)


async def logout(console, token: str) -> tuple[int, dict]:
    response = await console.post("/v1/console/logout", headers=bearer(token))
    return response.status, await response.json(content_type=None)


def expire(data_dir, name: str, at: float) -> None:
    """Move an app's expiry, from another connection, as another process would."""
    conn = sqlite3.connect(data_dir / "clients.db", isolation_level=None)
    try:
        assert conn.execute("UPDATE apps SET expires_at = ? WHERE name = ?", [at, name]).rowcount
    finally:
        conn.close()


async def journal_rows(console, event: str) -> list[dict]:
    response = await console.get(
        "/v1/journal", params={"event": event}, headers=bearer(console.admin)
    )
    assert response.status == 200
    return (await response.json())["rows"]


async def test_a_console_login_lasts_a_working_day(console, settings, store):
    before = time.time()
    session = await login(console, settings)
    (app,) = [a for a in store.list() if a.name == session["app"]]
    assert before + SESSION_HOURS * 3600 <= app.expires_at <= time.time() + SESSION_HOURS * 3600
    assert session["expires_at"] == iso(app.expires_at)
    assert (await status_of(console, session["token"]))[0] == 200


async def test_an_expired_token_is_refused_like_a_revoked_one(console, settings, store):
    # Expiring while the daemon holds the app in memory, with no write anywhere to tell it.
    _, token = store.add("short-lived", ["admin"], expires_at=time.time() + 0.5)
    assert (await status_of(console, token))[0] == 200
    await asyncio.sleep(0.6)
    status, problem = await status_of(console, token)
    assert (status, problem["type"]) == (401, PROBLEM + "invalid-token")
    assert "expired" in problem["detail"]
    # A console session whose end is moved into the past by another process.
    session = await login(console, settings)
    expire(settings.daemon.data_dir, session["app"], time.time() - 1)
    status, problem = await status_of(console, session["token"])
    assert (status, problem["type"]) == (401, PROBLEM + "invalid-token")
    assert not store.is_active(session["app"])
    assert (await status_of(console, console.admin))[0] == 200


def test_an_app_cannot_be_made_already_expired(store):
    with pytest.raises(ClientError, match="expire"):
        store.add("late", ["admin"], expires_at=time.time() - 1)


async def test_logout_revokes_the_console_app_and_nothing_else(console, settings, store):
    session = await login(console, settings)
    other = await login(console, settings)
    status, answer = await logout(console, session["token"])
    assert (status, answer) == (200, {"app": session["app"], "revoked": True})
    status, problem = await status_of(console, session["token"])
    assert (status, problem["type"]) == (401, PROBLEM + "invalid-token")
    # Another console tab's session is its own.
    assert (await status_of(console, other["token"]))[0] == 200
    (row,) = await journal_rows(console, "console.logout")
    assert row["client"] == session["app"] and session["app"] in row["summary"]
    # Again with the dead token: refused before anything runs, nothing journaled twice.
    assert (await logout(console, session["token"]))[0] == 401
    assert len(await journal_rows(console, "console.logout")) == 1

    # A hand-made admin app, even one named like a console session, is left alone.
    named_alike = store.add("console-by-hand", ["admin"])[1]
    for token, name in ((console.admin, "practice-admin"), (named_alike, "console-by-hand")):
        status, problem = await logout(console, token)
        assert (status, problem["type"]) == (409, PROBLEM + "not-a-console-session")
        assert f"apps revoke {name}" in problem["detail"]
        assert (await status_of(console, token))[0] == 200
    # An EHR's token holds every service scope, not admin.
    ehr = store.add("ehr", ["*"])[1]
    status, problem = await logout(console, ehr)
    assert (status, problem["type"]) == (403, PROBLEM + "insufficient-scope")
    assert (await status_of(console, ehr))[0] == 200


async def test_a_login_deletes_the_expired_console_apps(console, settings, store):
    data_dir = settings.daemon.data_dir
    stale = (await login(console, settings))["app"]
    logged_out = await login(console, settings)
    assert (await logout(console, logged_out["token"]))[0] == 200
    live = (await login(console, settings))["app"]
    store.add("ehr-trial", ["dmp"], expires_at=time.time() + 60)
    store.add("console-by-hand", ["admin"])
    for name in (stale, logged_out["app"], "ehr-trial"):
        expire(data_dir, name, time.time() - 1)

    new = (await login(console, settings))["app"]
    names = {app.name for app in store.list()}
    assert stale not in names and logged_out["app"] not in names
    # Only console sessions are deleted; an expired app of another kind is shown as expired.
    assert {"practice-admin", "console-by-hand", "ehr-trial", live, new} <= names
    (row,) = [r for r in await journal_rows(console, "console.login") if r["client"] == new]
    purged = json.loads(row["request"])["purged_apps"]
    assert sorted(purged) == sorted([stale, logged_out["app"]])
    assert "2 expired console app(s) deleted" in row["summary"]

    listed = CliRunner().invoke(main, ["apps", "list", "--data-dir", str(data_dir)])
    assert listed.exit_code == 0, listed.output
    lines = {line.split("\t")[0]: line.split("\t") for line in listed.stdout.splitlines()}
    assert lines["ehr-trial"][1] == "expired" and lines["ehr-trial"][4].startswith("expires=")
    assert lines[new][1] == "active" and lines[new][4].startswith("expires=")
    assert lines["practice-admin"] == [
        "practice-admin",
        "active",
        "scopes=admin",
        "origins=-",
    ]


def test_a_clients_store_from_before_expiries_upgrades(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    conn = sqlite3.connect(data_dir / "clients.db", isolation_level=None)
    old = sqlite_utils.Database(conn)
    migrate(old, "clients", clients.MIGRATIONS[:1])  # the store as the previous release left it
    conn.execute(
        "INSERT INTO apps (name, token_hash, scopes, origins, created_at) "
        "VALUES ('cabinet-ehr', ?, '[\"dmp\"]', '[]', 1700000000.0)",
        [hash_token("agl_old-token")],
    )
    conn.close()

    store = ClientStore(data_dir)
    try:
        app = store.by_token("agl_old-token")
        assert app is not None and app.name == "cabinet-ehr" and app.expires_at is None
        applied = [
            row[0]
            for row in store.db.execute("SELECT name FROM _migrations WHERE store = 'clients'")
        ]
        assert applied == ["0001__create_apps", "0002__add_expires_at"]
        _, token = store.add("console-x", ["admin"], expires_at=time.time() + 60)
        assert store.by_token(token).expires_at is not None
    finally:
        store.close()
    ClientStore(data_dir).close()  # a second open applies nothing again
