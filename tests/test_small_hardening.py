"""Issue 11's smaller items: a revoked app's event stream ends, app names and origins that look
like something else are refused, and outbox retries keep their time when the wall clock jumps."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import pytest

from aiguillage import delivery, routes
from aiguillage.appkeys import EVENTS
from aiguillage.clients import ClientError, ClientStore

from conftest import run_cli


async def opened(response) -> None:
    """Read up to the stream's opening comment: from then on, what is published reaches it."""
    assert response.status == 200
    async with asyncio.timeout(5):
        while (await response.content.readline()).rstrip(b"\n") != b": connected":
            pass


async def next_data(response) -> dict:
    async with asyncio.timeout(5):
        while not (line := await response.content.readline()).startswith(b"data: "):
            assert line, "the stream ended"
    return json.loads(line[len(b"data: ") :])


# --- a revoked app's event stream ends -----------------------------------------------------------


async def test_revoking_an_app_ends_its_event_stream_before_the_next_event(client, store, settings):
    _, other = store.add("other-ehr", ["*"])
    revoked = await client.get("/v1/events")
    kept = await client.get("/v1/events", headers={"Authorization": f"Bearer {other}"})
    await opened(revoked)
    await opened(kept)

    # The way an admin does it: the CLI, in another process, writing clients.db.
    result = await asyncio.to_thread(
        run_cli, "apps", "revoke", "ehr", "--data-dir", str(settings.daemon.data_dir)
    )
    assert result.returncode == 0, result.stderr
    client.app[EVENTS].publish("outbox.item", {"id": 7, "secret": "for ehr's eyes"})

    rest = await asyncio.wait_for(revoked.content.read(), 5)  # the stream ends: EOF
    assert b"secret" not in rest and b"data:" not in rest
    assert (await next_data(kept))["id"] == 7  # another app's stream goes on
    # Reconnecting is refused.
    assert (await client.get("/v1/events")).status == 401
    kept.close()


async def test_a_quiet_stream_of_a_revoked_app_ends_within_seconds(
    client, store, settings, monkeypatch
):
    monkeypatch.setattr(routes, "REVOCATION_CHECK_SECONDS", 0.2)
    response = await client.get("/v1/events")
    await opened(response)
    # Another connection to clients.db, as the CLI has: no event will come to wake the stream.
    admin = ClientStore(settings.daemon.data_dir)
    assert admin.revoke("ehr")
    admin.close()
    started = time.monotonic()
    rest = await asyncio.wait_for(response.content.read(), 5)
    assert time.monotonic() - started < 2
    assert b"app revoked" in rest


async def test_a_stream_of_an_active_app_keeps_receiving(client, monkeypatch):
    monkeypatch.setattr(routes, "REVOCATION_CHECK_SECONDS", 0.05)
    response = await client.get("/v1/events")
    await opened(response)
    await asyncio.sleep(0.3)  # several checks find the app active
    client.app[EVENTS].publish("outbox.item", {"id": 1})
    assert (await next_data(response))["id"] == 1
    response.close()


# --- app names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "\u0430pp",  # Cyrillic а
        "\uff45\uff48\uff52",  # fullwidth ｅｈｒ
        "e\u200bhr",  # a zero-width space inside
        "ehr\u00a0",  # a no-break space after
        "\u00e9hr",  # é: a letter, but not ASCII
        "ehr\u0661",  # Arabic-Indic digit one
        "-ehr",  # would read as an option on the command line
        "",
        "a" * 65,
        "ehr/1",
    ],
)
def test_look_alike_and_odd_app_names_are_refused(store, name):
    with pytest.raises(ClientError, match="app name"):
        store.add(name, ["*"])
    assert store.list() == []


def test_fullwidth_name_says_what_it_reads_as(store):
    with pytest.raises(ClientError, match="reads as 'ehr'"):
        store.add("\uff45\uff48\uff52", ["*"])


@pytest.mark.parametrize("twin", ["EHR", "Cabinet_Ehr", "cabinet.ehr"])
def test_names_that_read_the_same_collide(store, twin):
    store.add("cabinet-ehr" if twin != "EHR" else "ehr", ["*"])
    with pytest.raises(ClientError, match="already exists"):
        store.add(twin, ["*"])


def test_plain_names_are_accepted(store):
    for name in ("ehr", "cabinet-ehr_2", "Logiciel.Cabinet", "7ehr"):
        app, token = store.add(name, ["*"])
        assert app.name == name and store.by_token(token) == app


def test_the_cli_says_why_a_name_is_refused(tmp_path):
    result = run_cli("apps", "add", "\u0430pp", "--scope", "*", "--data-dir", str(tmp_path))
    assert result.returncode != 0
    assert "U+0430" in result.stderr and "Traceback" not in result.stderr


# --- origins --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "why"),
    [
        ("*", "wildcard"),
        ("http://*", "wildcard"),
        ("http://*:3000", "wildcard"),
        ("https://*.example.org", "wildcard"),
        ("null", "null"),
        ("http://localhost:3000/app", "path"),
        ("http://localhost:3000?x=1", "query"),
        ("http://localhost:3000#top", "fragment"),
        ("http://user@localhost:3000", "user"),
        ("http://:secret@localhost", "user"),
        ("http://localhost:port", "port"),
        ("http://localhost:\uff13\uff10\uff10\uff10", "ASCII digits"),  # fullwidth 3000
        ("http://localhost:0", "port"),
        ("http://localhost:70000", "port"),
        ("http://\u0435hr.example", "xn--"),  # Cyrillic е: told its punycode form
        ("http://ehr\u200b.example", "ASCII"),
        ("http://ehr example", "not a host"),
        ("http://[::zz]", "IPv6"),
        ("ftp://ehr.example", "http://host"),
        ("file://", "http://host"),
        ("localhost:3000", "http://host"),
        ("\uff48\uff54\uff54\uff50://ehr.example", "http://host"),
    ],
)
def test_unsafe_or_impossible_origins_are_refused(store, origin, why):
    with pytest.raises(ClientError, match=why):
        store.add("web-ehr", ["*"], [origin])
    assert store.list() == []


@pytest.mark.parametrize(
    ("origin", "stored"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("HTTP://LocalHost:3000/", "http://localhost:3000"),
        ("https://ehr.example.org:443", "https://ehr.example.org"),  # browsers omit it
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://[0:0::1]:8080", "http://[::1]:8080"),
        ("https://xn--hr-hnc.example", "https://xn--hr-hnc.example"),
    ],
)
def test_origins_are_stored_as_browsers_send_them(store, origin, stored):
    app, _ = store.add("web-ehr", ["*"], [origin])
    assert app.origins == (stored,)
    assert store.origin_allowed(stored)


# --- outbox retries and a wall clock that jumps ---------------------------------------------------


async def send(relay, text: str) -> dict:
    response = await relay.post("/v1/relay/messages", json={"text": text})
    assert response.status == 202, await response.text()
    return await response.json()


async def state_of(relay, item_id: int) -> dict:
    response = await relay.get(f"/v1/outbox/{item_id}")
    assert response.status == 200
    return await response.json()


async def wait_for_item(relay, item_id: int, check, within: float) -> dict:
    deadline = time.monotonic() + within
    while not check(current := await state_of(relay, item_id)):
        assert time.monotonic() < deadline, f"item {item_id}: {current['state']}, {current['why']}"
        await asyncio.sleep(0.05)
    return current


def set_clock(monkeypatch, offset: float) -> None:
    """Set the daemon's wall clock ``offset`` seconds away from the real one."""
    monkeypatch.setattr(delivery, "wall_clock", lambda: time.time() + offset)


# A backoff of 1 to 2 s first, and up to two hours: a clock set back one hour is within it, so
# only seeing the jump (not the "further than any backoff" rule) keeps the retry on time.
@pytest.mark.policy(initial_delay=2.0, max_delay=7200.0, breaker_threshold=100)
async def test_a_clock_set_back_an_hour_does_not_stall_retries(relay, receiver, monkeypatch):
    receiver.fail_with = 503
    item_id = (await send(relay, "back"))["id"]
    failed = await wait_for_item(relay, item_id, lambda i: i["last_error"], within=5)
    assert failed["state"] == "queued"
    receiver.fail_with = None
    set_clock(monkeypatch, -3600)
    started = time.monotonic()
    await wait_for_item(relay, item_id, lambda i: i["state"] == "sent", within=6)
    assert time.monotonic() - started < 4  # its backoff (at most 2 s) and a round
    assert len(receiver.stored) == 1


@pytest.mark.policy(initial_delay=0.05, max_delay=0.1, breaker_threshold=1, breaker_cooldown=1.0)
async def test_a_clock_set_back_does_not_keep_the_breaker_open(relay, receiver, monkeypatch):
    receiver.fail_with = 503
    item_id = (await send(relay, "breaker"))["id"]
    await wait_for_item(relay, item_id, lambda i: i["last_error"], within=5)
    health = await (await relay.get("/v1/health")).json()
    assert health["outbox"]["relay"]["breaker"]["state"] != "closed"
    receiver.fail_with = None
    set_clock(monkeypatch, -3600)
    await wait_for_item(relay, item_id, lambda i: i["state"] == "sent", within=6)


@pytest.mark.policy(initial_delay=4.0, max_delay=600.0)
async def test_a_retry_planned_before_the_clock_went_back_while_stopped_is_due(
    relay, receiver, relay_settings
):
    """No running dispatcher saw the jump (the daemon was stopped): an item planned further
    ahead than any backoff is due now."""
    receiver.fail_with = 503
    item_id = (await send(relay, "restart"))["id"]
    await wait_for_item(relay, item_id, lambda i: i["last_error"], within=5)
    receiver.fail_with = None
    db = sqlite3.connect(relay_settings.daemon.data_dir / "outbox.db", isolation_level=None)
    db.execute(
        "UPDATE items SET next_attempt_at = ? WHERE id = ? AND state = 'queued'",
        [time.time() + 3600, item_id],
    )
    db.close()
    await wait_for_item(relay, item_id, lambda i: i["state"] == "sent", within=4)


@pytest.mark.policy(attempt_timeout=10.0)
async def test_a_clock_set_forward_does_not_send_an_item_under_way_twice(
    relay, receiver, monkeypatch
):
    receiver.latency = 2.5
    accepted = await send(relay, "forward")
    deadline = time.monotonic() + 5
    while not receiver.posts:
        assert time.monotonic() < deadline, "never delivered"
        await asyncio.sleep(0.02)
    set_clock(monkeypatch, +3600)  # far past the item's lease
    await wait_for_item(relay, accepted["id"], lambda i: i["state"] == "sent", within=8)
    assert receiver.posts[accepted["external_id"]] == 1
