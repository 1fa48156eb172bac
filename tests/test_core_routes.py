"""The core's own routes: health, plugins, the OpenAPI document and the event stream."""

from __future__ import annotations

import asyncio
import json

import pytest
from openapi_spec_validator import validate

from aiguillage.app import create_app
from aiguillage.appkeys import EVENTS, OPERATIONS
from aiguillage.config import Secret
from aiguillage.hookspecs import CONTRACT_VERSION

from conftest import BUILT_IN_PLUGINS

BUILT_IN = set(BUILT_IN_PLUGINS)


async def test_health_lists_enabled_plugins(client):
    body = await (await client.get("/v1/health")).json()
    assert body["contract"] == CONTRACT_VERSION
    assert set(body["plugins"]) == BUILT_IN | {"echo"}
    # Every plugin runs against its simulator, and says so.
    for name in BUILT_IN:
        assert body["plugins"][name]["status"] == "up", (name, body["plugins"][name])


async def test_health_probes_a_real_endpoint(
    aiohttp_client, aiohttp_server, settings, plugins, token
):
    from aiohttp import web

    peer = await aiohttp_server(web.Application())
    settings.plugins["jfse"].endpoint = f"http://127.0.0.1:{peer.port}/ws"
    settings.plugins["jfse"].options["editor_key"] = Secret("test", "the test")
    settings.plugins["insi"].endpoint = f"https://127.0.0.1:{peer.port}/lps"
    settings.plugins["mssante"].endpoint = "smtp://127.0.0.1:9"  # discard port: nothing there
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    body = await (
        await client.get("/v1/health", headers={"Authorization": f"Bearer {token}"})
    ).json()
    assert body["plugins"]["jfse"]["status"] == "up"
    assert body["plugins"]["jfse"]["latency_ms"] >= 0
    # A real endpoint with no certificates configured: INSi is down and says why.
    assert body["plugins"]["insi"]["status"] == "down"
    assert "needs signature_certificate" in body["plugins"]["insi"]["detail"]
    response = await client.post(
        "/v1/ins/search",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "traits": {
                "birth_name": "A",
                "first_names": ["B"],
                "sex": "F",
                "birth_date": "1970-01-01",
            }
        },
    )
    assert response.status == 503
    problem = await response.json(content_type="application/problem+json")
    assert "needs signature_certificate" in problem["detail"]
    # MSSanté likewise: operators require a client certificate.
    assert body["plugins"]["mssante"]["status"] == "down"
    assert "needs auth_certificate" in body["plugins"]["mssante"]["detail"]


async def test_plugins_lists_all_with_enabled_flag(aiohttp_client, settings, plugins, token):
    settings.plugins["jfse"].enabled = False
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    body = await (
        await client.get("/v1/plugins", headers={"Authorization": f"Bearer {token}"})
    ).json()
    by_name = {p["name"]: p for p in body["plugins"]}
    assert set(by_name) == BUILT_IN | {"echo"}
    assert by_name["jfse"]["enabled"] is False and by_name["jfse"]["health"] is None
    assert by_name["insi"]["api_prefixes"] == ["ins"]
    assert by_name["dmp"]["endpoint"] == "simulator"


async def test_openapi_is_valid_and_covers_every_operation(client):
    spec = await (await client.get("/v1/openapi.json")).json()
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    for op in client.app[OPERATIONS]:
        path = op.path
        assert op.method.lower() in spec["paths"][path], path
    item = spec["paths"]["/v1/echo/items"]["post"]
    assert item["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "name",
        "count",
    ]
    assert item["x-scope"] == "echo"
    params = spec["paths"]["/v1/echo/items/{id}"]["get"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in params if "$ref" not in p] == [
        ("id", "path", True),
        ("verbose", "query", False),
    ]
    # Headers are shared parameters: every operation takes X-Request-Id, the stream Last-Event-ID.
    assert {"$ref": "#/components/parameters/XRequestId"} in params
    events = spec["paths"]["/v1/events"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/LastEventID"} in events
    assert spec["components"]["parameters"]["LastEventID"]["in"] == "header"


async def read_events(response, count: int) -> list[dict]:
    """Parse ``count`` events from a text/event-stream response."""
    events, current = [], {}
    while len(events) < count:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\n")
        if not line:
            if "data" in current:
                events.append(current)
            current = {}
        elif not line.startswith(":") and ":" in line:
            key, _, value = line.partition(": ")
            current[key] = value
    return events


async def connected(response) -> None:
    """Read up to the stream's opening comment, written once the subscription is in place:
    what is published from then on reaches this stream."""
    async with asyncio.timeout(5):
        while (await response.content.readline()).rstrip(b"\n") != b": connected":
            pass


async def test_event_stream_delivers_and_replays(client):
    bus = client.app[EVENTS]
    response = await client.get("/v1/events")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    await connected(response)
    first = bus.publish("outbox.state", {"id": 1, "state": "sent"})
    bus.publish("outbox.state", {"id": 2, "state": "failed"})
    events = await read_events(response, 2)
    assert [json.loads(e["data"])["id"] for e in events] == [1, 2]
    assert events[0]["event"] == "outbox.state" and events[0]["id"] == str(first.id)
    response.close()

    # A client reconnecting with Last-Event-ID gets what it missed, and only that.
    replay = await client.get("/v1/events", headers={"Last-Event-ID": str(first.id)})
    (missed,) = await read_events(replay, 1)
    assert json.loads(missed["data"])["id"] == 2
    replay.close()


async def test_event_stream_hides_events_outside_the_apps_scopes(client, store):
    _, narrow = store.add("narrow", ["insi"])
    bus = client.app[EVENTS]
    response = await client.get("/v1/events", headers={"Authorization": f"Bearer {narrow}"})
    await connected(response)
    bus.publish("dmp.document", {"secret": True}, scope="dmp")
    bus.publish("ins.done", {"visible": True}, scope="insi")
    (event,) = await read_events(response, 1)
    assert json.loads(event["data"])["visible"] is True
    response.close()


async def test_health_changes_are_published(client):
    # The first health check at start-up publishes each plugin's state once.
    response = await client.get("/v1/events", headers={"Last-Event-ID": "0"})
    events = await read_events(response, len(BUILT_IN) + 1)
    plugins = {json.loads(e["data"])["plugin"] for e in events if e["event"] == "plugin.health"}
    assert plugins == BUILT_IN | {"echo"}
    response.close()


@pytest.mark.parametrize(
    ("url", "port"),
    [("smtp://127.0.0.1", 587), ("smtps://127.0.0.1", 465), ("imap://127.0.0.1", 143)],
)
async def test_an_endpoint_without_a_port_is_probed_on_its_scheme_s(url, port):
    # Submission, not relay: the daemon sends mail as a client does (RFC 6409).
    from aiguillage.health import probe_endpoint

    found = await probe_endpoint(url, wait=0.5)
    assert f"127.0.0.1:{port} " in found.detail
