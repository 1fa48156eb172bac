"""The outbox through the API, delivering over real HTTP to a receiver that misbehaves."""

from __future__ import annotations

import asyncio
import base64
import itertools
import time

import pytest

from aiguillage import outbox as ob
from aiguillage.app import maintain
from aiguillage.appkeys import EVENTS, SETTINGS
from aiguillage.clients import ClientStore

from conftest import run_cli

PROBLEM = "application/problem+json"


async def send(client, text: str = "hello", key: str | None = None, **extra) -> dict:
    headers = {"Idempotency-Key": key} if key else {}
    response = await client.post(
        "/v1/relay/messages", json={"text": text, **extra}, headers=headers
    )
    assert response.status == 202, await response.text()
    body = await response.json()
    assert response.headers["Location"] == body["location"] == f"/v1/outbox/{body['id']}"
    return body


async def item(client, item_id: int) -> dict:
    response = await client.get(f"/v1/outbox/{item_id}")
    assert response.status == 200, await response.text()
    return await response.json()


async def wait_state(client, item_id: int, *states: str, within: float = 10) -> dict:
    deadline = time.monotonic() + within
    while True:
        current = await item(client, item_id)
        if current["state"] in states:
            return current
        if time.monotonic() > deadline:
            raise AssertionError(f"item {item_id} stuck in {current['state']}: {current['why']}")
        await asyncio.sleep(0.02)


async def wait_error(client, item_id: int, within: float = 10) -> dict:
    """The item once an attempt has failed (its ``last_error`` set)."""
    deadline = time.monotonic() + within
    while not (current := await item(client, item_id))["last_error"]:
        assert time.monotonic() < deadline, f"item {item_id} never failed: {current['why']}"
        await asyncio.sleep(0.02)
    return current


def events_of(client, type_: str) -> list[dict]:
    _, backlog = client.app[EVENTS].subscribe(0)
    return [e.data for e in backlog if e.type == type_]


async def test_send_is_delivered_once_and_traced(relay, receiver):
    accepted = await send(relay, "bonjour", patient="277076322082910")
    assert accepted["state"] == "queued" and accepted["external_id"].startswith("relay-")
    done = await wait_state(relay, accepted["id"], "sent")
    assert receiver.stored[accepted["external_id"]]["text"] == "bonjour"
    assert receiver.posts[accepted["external_id"]] == 1
    assert done["why"].startswith("delivered at")
    assert [h["outcome"] for h in done["history"]] == ["sent"]
    assert done["result"] == {"receipt": 1, "already_present": False}
    states = [e["state"] for e in events_of(relay, "outbox.item") if e["id"] == accepted["id"]]
    assert states == ["queued", "sending", "sent"]
    rows = (await (await relay.get("/v1/journal?event=relay.message")).json())["rows"]
    assert rows[0]["event"] == "relay.message.sent"
    assert rows[0]["patient_ins"] == "277076322082910"
    assert rows[0]["practitioner_name"] == "Dr Test"


async def test_a_sent_item_is_never_delivered_again(relay, receiver):
    first = await send(relay, "first")
    await wait_state(relay, first["id"], "sent")
    # The dispatcher claims again for the second: a round that would take the first too.
    second = await send(relay, "second")
    await wait_state(relay, second["id"], "sent")
    assert receiver.posts == {first["external_id"]: 1, second["external_id"]: 1}
    history = (await item(relay, first["id"]))["history"]
    assert [h["outcome"] for h in history] == ["sent"]


@pytest.mark.policy(breaker_threshold=100)
async def test_the_plugin_classifies_its_own_error_as_transient(relay, receiver):
    """The relay's ``ReceiverBusy`` is no network error: permanent for the core, were it not
    for the plugin's ``classify_error``."""
    receiver.fail_with = 429
    accepted = await send(relay, "later")
    waiting = await wait_error(relay, accepted["id"])
    assert waiting["last_error"] == {
        "code": "ReceiverBusy",
        "message": "the receiver asks to come back later",
        "transient": True,
    }
    assert waiting["state"] in ("queued", "sending")
    receiver.fail_with = None
    done = await wait_state(relay, accepted["id"], "sent")
    outcomes = [h["outcome"] for h in done["history"]]
    assert outcomes[-1] == "sent" and set(outcomes[:-1]) == {"transient_error"}


@pytest.mark.policy(breaker_threshold=100)
async def test_the_plugin_classifies_its_own_error_as_permanent(relay, receiver):
    """The relay's ``ReceiverGone`` is a ConnectionError: transient for the core, were it not
    for the plugin's ``classify_error``."""
    receiver.fail_with = 410
    accepted = await send(relay, "nobody there")
    failed = await wait_error(relay, accepted["id"])
    assert failed["last_error"] == {
        "code": "ReceiverGone",
        "message": "the receiver has no mailbox for this message",
        "transient": False,
    }
    assert failed["state"] == "failed" and failed["attempts"] == 1
    assert "permanent error ReceiverGone" in failed["why"]


async def test_idempotency_key_replays_the_first_answer(relay, receiver, store_for):
    first = await relay.post(
        "/v1/relay/messages", json={"text": "once"}, headers={"Idempotency-Key": "ehr-42"}
    )
    again = await relay.post(
        "/v1/relay/messages", json={"text": "once"}, headers={"Idempotency-Key": "ehr-42"}
    )
    assert again.status == 202 and again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await first.json()
    listed = (await (await relay.get("/v1/outbox")).json())["items"]
    assert len(listed) == 1

    other = await relay.post(
        "/v1/relay/messages", json={"text": "different"}, headers={"Idempotency-Key": "ehr-42"}
    )
    assert other.status == 422
    body = await other.json(content_type=PROBLEM)
    assert body["errors"][0]["field"] == "Idempotency-Key"

    # Keys belong to one client app: another app's identical key is another send.
    token = store_for(relay).add("other-ehr", ["relay"])[1]
    third = await relay.post(
        "/v1/relay/messages",
        json={"text": "once"},
        headers={"Idempotency-Key": "ehr-42", "Authorization": f"Bearer {token}"},
    )
    assert (await third.json())["id"] != (await first.json())["id"]


@pytest.fixture
def store_for():
    """Opens the client store of a running test app, to add apps to it."""
    stores = []

    def open_store(client):
        store = ClientStore(client.app[SETTINGS].daemon.data_dir)
        stores.append(store)
        return store

    yield open_store
    for store in stores:
        store.close()


async def test_bad_idempotency_key(relay):
    response = await relay.post(
        "/v1/relay/messages", json={"text": "x"}, headers={"Idempotency-Key": "with space"}
    )
    assert response.status == 400
    assert (await response.json(content_type=PROBLEM))["errors"][0]["field"] == "Idempotency-Key"


async def test_permanent_error_fails_then_retry_delivers(relay, receiver):
    receiver.reject_texts.add("bad")
    accepted = await send(relay, "bad")
    failed = await wait_state(relay, accepted["id"], "failed")
    assert failed["last_error"] == {
        "code": "http-422",
        "message": "text 'bad' refused",
        "transient": False,
    }
    assert "permanent error http-422" in failed["why"]
    assert failed["attempts"] == 1

    listed = await (await relay.get("/v1/outbox?state=failed")).json()
    assert [i["id"] for i in listed["items"]] == [accepted["id"]]

    receiver.reject_texts.clear()
    retried = await relay.post(f"/v1/outbox/{accepted['id']}/retry")
    assert retried.status == 200 and (await retried.json())["state"] in (
        "queued",
        "sending",
        "sent",
    )
    done = await wait_state(relay, accepted["id"], "sent")
    assert [h["action"] + ":" + h["outcome"] for h in done["history"]] == [
        "attempt:permanent_error",
        "retry:queued",
        "attempt:sent",
    ]
    assert done["history"][1]["actor"] == "app:ehr"
    events = [
        r["event"] for r in (await (await relay.get("/v1/journal?event=relay")).json())["rows"]
    ]
    assert events == ["relay.message.sent", "relay.message.failed"]


async def test_outage_backs_off_opens_breaker_once_then_recovers(relay, receiver):
    receiver.fail_with = 503
    ids = [(await send(relay, f"m{i}"))["id"] for i in range(6)]
    deadline = time.monotonic() + 10
    while not events_of(relay, "outbox.failing"):
        assert time.monotonic() < deadline, "the breaker never opened"
        await asyncio.sleep(0.02)
    health = await (await relay.get("/v1/health")).json()
    assert health["outbox"]["relay"]["breaker"]["state"] in ("open", "half_open")
    waiting = await item(relay, ids[0])
    assert waiting["state"] in ("queued", "sending")
    # Stays down across several probes: each failed probe opens the breaker again, anew.
    openings, deadline = set(), time.monotonic() + 10
    while len(openings) < 3:
        assert time.monotonic() < deadline, f"only {len(openings) - 1} probes in 10 s"
        health = await (await relay.get("/v1/health")).json()
        openings.add(health["outbox"]["relay"]["breaker"]["opened_at"])
        await asyncio.sleep(0.02)
    assert len(events_of(relay, "outbox.failing")) == 1
    assert not events_of(relay, "outbox.recovered")
    queued = await item(relay, ids[-1])
    assert queued["state"] in ("queued", "sending"), queued
    assert queued["attempts"] < 5, "the breaker should stop attempts while open"

    receiver.fail_with = None
    for item_id in ids:
        await wait_state(relay, item_id, "sent")
    assert len(receiver.stored) == 6
    assert len(events_of(relay, "outbox.failing")) == 1
    assert len(events_of(relay, "outbox.recovered")) == 1
    # Counts in /v1/health are at most a second old.
    deadline = time.monotonic() + 5
    while True:
        health = await (await relay.get("/v1/health")).json()
        if health["outbox"]["relay"]["items"] == {"sent": 6} or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert health["outbox"]["relay"]["breaker"]["state"] == "closed"
    assert health["outbox"]["relay"]["items"] == {"sent": 6}
    history = (await item(relay, ids[0]))["history"]
    assert {h["outcome"] for h in history[:-1]} == {"transient_error"}
    assert all(b["at"] > a["at"] for a, b in itertools.pairwise(history))


@pytest.mark.policy(initial_delay=0.01, max_delay=0.02, max_attempts=3, breaker_threshold=100)
async def test_out_of_attempts_is_dead(relay, receiver):
    receiver.fail_with = 502
    accepted = await send(relay, "doomed")
    dead = await wait_state(relay, accepted["id"], "dead")
    assert dead["attempts"] == 3 and "gave up after 3 attempts" in dead["why"]
    receiver.fail_with = None
    assert (await relay.post(f"/v1/outbox/{accepted['id']}/retry")).status == 200
    await wait_state(relay, accepted["id"], "sent")


@pytest.mark.policy(max_attempts=1000)
async def test_cancel(relay, receiver):
    receiver.fail_with = 503
    accepted = await send(relay, "to cancel")
    await wait_error(relay, accepted["id"])  # tried once, waiting for its next attempt
    deadline = time.monotonic() + 10
    while (response := await relay.delete(f"/v1/outbox/{accepted['id']}")).status == 409:
        # Caught mid-attempt: it is back in the queue a moment later.
        assert time.monotonic() < deadline, await response.text()
        await wait_state(relay, accepted["id"], "queued")
    assert response.status == 200
    cancelled = await item(relay, accepted["id"])
    assert cancelled["state"] == "cancelled" and "cancelled by app:ehr" in cancelled["why"]
    again = await relay.delete(f"/v1/outbox/{accepted['id']}")
    assert again.status == 409
    assert (await relay.post(f"/v1/outbox/{accepted['id']}/retry")).status == 409


async def test_attachment_kept_then_purged_with_metadata(relay, receiver):
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 40
    accepted = await send(relay, "with pdf", pdf=base64.b64encode(pdf).decode())
    done = await wait_state(relay, accepted["id"], "sent")
    assert done["attachments"][0]["size"] == len(pdf)
    assert receiver.stored[accepted["external_id"]]["attachments"] == [len(pdf)]
    download = await relay.get(done["attachments"][0]["url"])
    assert download.status == 200 and download.content_type == "application/pdf"
    assert await download.read() == pdf
    assert (await relay.get(f"/v1/outbox/{accepted['id']}/attachments/7")).status == 404

    done_counts = await maintain(relay.app, time.time() + 31 * 86400)
    assert done_counts["payloads_purged"] == 1
    purged = await item(relay, accepted["id"])
    assert purged["payload_purged"] and purged["state"] == "sent"
    assert purged["attachments"][0]["sha256"] == done["attachments"][0]["sha256"]
    gone = await relay.get(done["attachments"][0]["url"])
    assert gone.status == 410


async def test_list_filters_and_pages(relay, receiver):
    ids = []
    for i in range(5):
        extra = {"patient": "277076322082910"} if i % 2 else {}
        ids.append((await send(relay, f"p{i}", **extra))["id"])
    for item_id in ids:
        await wait_state(relay, item_id, "sent")
    page = await (await relay.get("/v1/outbox?limit=2")).json()
    assert [i["id"] for i in page["items"]] == ids[::-1][:2]
    rest = await (await relay.get(f"/v1/outbox?limit=10&cursor={page['next_cursor']}")).json()
    assert [i["id"] for i in rest["items"]] == ids[::-1][2:] and rest["next_cursor"] is None
    by_patient = await (await relay.get("/v1/outbox?patient=277076322082910")).json()
    assert {i["id"] for i in by_patient["items"]} == {ids[1], ids[3]}
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert len((await (await relay.get(f"/v1/outbox?from={today}")).json())["items"]) == 5
    assert (await (await relay.get("/v1/outbox?to=2000-01-01")).json())["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=lost", "state"),
        ("plugin=nope", "plugin"),
        ("from=2024-13-45", "from"),
        ("limit=0", "limit"),
        ("cursor=abc", "cursor"),
        ("colour=red", "colour"),
    ],
)
async def test_list_bad_input(relay, query, field):
    response = await relay.get(f"/v1/outbox?{query}")
    assert response.status == 422
    assert (await response.json(content_type=PROBLEM))["errors"][0]["field"] == field


async def test_unknown_item_and_bad_id(relay):
    assert (await relay.get("/v1/outbox/999")).status == 404
    assert (await relay.get("/v1/outbox/abc")).status == 422
    assert (await relay.post("/v1/outbox/999/retry")).status == 404


async def test_items_outside_the_apps_scopes(relay, receiver, store_for):
    accepted = await send(relay, "private")
    token = store_for(relay).add("insi-only", ["insi"])[1]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await relay.get(f"/v1/outbox/{accepted['id']}", headers=headers)).status == 403
    listed = await (await relay.get("/v1/outbox", headers=headers)).json()
    assert listed["items"] == []
    refused = await relay.post("/v1/relay/messages", json={"text": "x"}, headers=headers)
    assert refused.status == 403


@pytest.mark.policy(initial_delay=0.01, max_delay=0.02, attempt_timeout=0.1, breaker_threshold=100)
async def test_attempt_timeout_is_transient(relay, receiver):
    receiver.latency = 0.3
    accepted = await send(relay, "slow")
    current = await wait_error(relay, accepted["id"])
    assert current["last_error"]["code"] == "TimeoutError"
    assert current["last_error"]["transient"] is True
    receiver.latency = 0
    await wait_state(relay, accepted["id"], "sent")
    # The receiver may have stored the slow copy; the retry was then "already there".
    assert len(receiver.stored) == 1


async def cli(client, *args: str):
    data_dir = str(client.app[SETTINGS].daemon.data_dir)
    return await asyncio.to_thread(run_cli, "outbox", *args, "--data-dir", data_dir)


async def test_cli_list_show_retry_cancel(relay, receiver):
    receiver.reject_texts.update({"bad", "worse"})
    bad, worse = await send(relay, "bad"), await send(relay, "worse")
    await wait_state(relay, bad["id"], "failed")
    await wait_state(relay, worse["id"], "failed")

    listed = await cli(relay, "list", "--state", "failed")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert [int(line.split("\t")[0]) for line in lines] == [worse["id"], bad["id"]]
    assert "http-422: text 'worse' refused" in lines[0]

    shown = await cli(relay, "show", str(bad["id"]))
    assert "state: failed" in shown.stdout and "why: permanent error http-422" in shown.stdout
    assert "attempt -> permanent_error" in shown.stdout

    receiver.reject_texts.clear()
    retried = await cli(relay, "retry", str(bad["id"]))
    assert retried.returncode == 0 and "is now queued" in retried.stdout
    await wait_state(relay, bad["id"], "sent")  # the running daemon noticed the CLI's change
    assert (await cli(relay, "cancel", str(worse["id"]))).returncode == 0
    assert (await item(relay, worse["id"]))["state"] == "cancelled"

    refused = await cli(relay, "retry", str(bad["id"]))
    assert refused.returncode == 1 and "only failed or dead items retry" in refused.stderr
    missing = await cli(relay, "show", "999")
    assert missing.returncode == 1 and "no outbox item 999" in missing.stderr


async def test_the_dispatchers_stop_when_a_delivery_ends_as_the_daemon_stops(relay):
    """A dispatcher woken (a delivery ending) in the very step it is cancelled must stop all
    the same: asyncio.wait_for on Python 3.11 swallowed that cancellation, and the daemon's
    shutdown then waited for the dispatcher for ever."""
    from aiguillage.appkeys import DELIVERIES

    deliveries = relay.app[DELIVERIES]
    (task,) = [t for t in deliveries.tasks if t.get_name() == "outbox-relay"]
    deadline = time.monotonic() + 10
    while "Dispatcher._sleep" not in awaiting(task):  # idle: sleeping until woken
        assert time.monotonic() < deadline, awaiting(task)
        await asyncio.sleep(0.01)
    deliveries.wake("relay")
    async with asyncio.timeout(5):
        await deliveries.stop()
    assert all(task.done() for task in deliveries.tasks)


def awaiting(task: asyncio.Task) -> list[str]:
    """The chain of coroutines a task is suspended in, outermost first."""
    chain, coroutine = [], task.get_coro()
    while coroutine is not None and hasattr(coroutine, "cr_code"):
        chain.append(coroutine.cr_code.co_qualname)
        coroutine = coroutine.cr_await
    return chain


def test_purged_payloads_hand_their_space_back(tmp_path):
    """A new outbox is made with incremental auto-vacuum (set before WAL writes its header):
    once sent payloads are purged, ``vacuum`` shrinks the file instead of keeping free pages."""
    path = tmp_path / "outbox.db"
    conn = ob.open_database(path)
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # INCREMENTAL
    now = time.time()
    news = [
        ob.NewItem(
            "relay", "relay.message", {"n": n}, f"id-{n}", [("text/plain", None, b"x" * 200_000)]
        )
        for n in range(20)
    ]
    conn.execute("BEGIN")
    ob.enqueue_many(conn, news, now)
    for item in ob.claim(conn, "relay", 20, now, 60.0):
        ob.mark_sent(conn, item.id, ob.Delivered(), now, now)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    full = path.stat().st_size
    conn.execute("BEGIN")
    assert ob.purge_payloads(conn, now + 1, now + 1) == 20
    ob.vacuum(conn, now + 1)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert path.stat().st_size < full / 4, (full, path.stat().st_size)
    conn.close()
