"""The core's own operations as the live OpenAPI document describes them (issue 17): one named
outbox item shape, every time a ``date-time``, examples that hold, and the events a daemon
really emits match the schemas the event stream declares."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from test_core_routes import read_events
from test_outbox import send, wait_state

from aiguillage.appkeys import EVENTS
from aiguillage.routes import CORE_EVENT_TYPES
from aiguillage.shapes import FORMATS

#: The core's paths: what this file holds the description of.
CORE_PATHS = ("/v1/health", "/v1/plugins", "/v1/openapi.json", "/v1/events")
CORE_PREFIXES = ("/v1/outbox", "/v1/journal")
ITEM = {"$ref": "#/components/schemas/OutboxItem"}
#: The domain shapes the core shares with the plugins (core/shapes.py): their own tests
#: describe them.
SHARED = {"Ins", "InsOid", "Traits", "PartialTraits", "InsTraits", "Patient", "DocumentPatient"}


async def live(client) -> dict[str, Any]:
    response = await client.get("/v1/openapi.json")
    assert response.status == 200
    return await response.json()


def core_operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        if path in CORE_PATHS or path.startswith(CORE_PREFIXES):
            for method, operation in item.items():
                yield f"{method.upper()} {path}", operation


def success(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # A send also answers 201, its outcome, when it waits (?wait=): its own answer is the 202.
    status = [s for s in operation["responses"] if s.startswith("2")][-1]
    return status, operation["responses"][status]


def json_schema(operation: dict[str, Any]) -> dict[str, Any]:
    return success(operation)[1]["content"]["application/json"]["schema"]


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator of ``schema`` whose ``#/components/...`` references resolve in
    ``document``."""
    root = {"allOf": [schema], "components": document["components"]}
    return Draft202012Validator(root, format_checker=FORMATS)


def reachable(document: dict[str, Any], node: Any, seen: set[str] | None = None) -> Iterator[Any]:
    """Every schema node under ``node``, following references into the components once (but
    not into the shared domain shapes)."""
    seen = {f"#/components/schemas/{name}" for name in SHARED} if seen is None else seen
    if isinstance(node, list):
        for n in node:
            yield from reachable(document, n, seen)
        return
    if not isinstance(node, dict):
        return
    yield node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref not in seen:
        seen.add(ref)
        yield from reachable(document, document["components"]["schemas"][ref.rsplit("/")[-1]], seen)
    for key, value in node.items():
        if key not in ("examples", "example", "enum", "const", "default"):
            yield from reachable(document, value, seen)


async def test_the_outbox_answers_share_one_named_item(relay):
    document = await live(relay)
    paths = document["paths"]
    listed = document["components"]["schemas"]["OutboxList"]["properties"]["items"]
    assert json_schema(paths["/v1/outbox"]["get"]) == {"$ref": "#/components/schemas/OutboxList"}
    assert listed == {"type": "array", "items": ITEM, "description": listed["description"]}
    assert json_schema(paths["/v1/outbox/{id}/retry"]["post"]) == ITEM
    assert json_schema(paths["/v1/outbox/{id}"]["delete"]) == ITEM
    detail = json_schema(paths["/v1/outbox/{id}"]["get"])
    assert detail == {"$ref": "#/components/schemas/OutboxItemDetail"}
    assert document["components"]["schemas"]["OutboxItemDetail"]["allOf"][0] == ITEM
    # The state is one enum wherever it shows: the item, the filter, the event.
    state = {"$ref": "#/components/schemas/OutboxState"}
    assert document["components"]["schemas"]["OutboxItem"]["properties"]["state"] == state
    (filter_,) = [p for p in paths["/v1/outbox"]["get"]["parameters"] if p.get("name") == "state"]
    assert filter_["schema"] == state
    assert document["components"]["schemas"]["OutboxItemEvent"]["properties"]["state"] == state
    # What a plugin's send answers is the named Accepted, with its headers.
    accepted = paths["/v1/relay/messages"]["post"]
    status, answer = success(accepted)
    assert status == "202" and json_schema(accepted) == {"$ref": "#/components/schemas/Accepted"}
    assert set(answer["headers"]) == {"X-Request-Id", "Location", "Idempotent-Replayed"}


async def test_every_core_schema_is_typed_and_every_time_is_a_date_time(client):
    document = await live(client)
    times = []
    for name, operation in core_operations(document):
        assert operation.get("operationId") and operation.get("description"), name
        _, answer = success(operation)
        bodies = [answer, operation.get("requestBody", {})]
        schemas = [c["schema"] for body in bodies for c in body.get("content", {}).values()]
        for node in reachable(document, schemas):
            kinds = node.get("type", [])
            if "array" in (kinds if isinstance(kinds, list) else [kinds]):
                assert "items" in node, f"{name}: an array without items: {node}"
            if "required" in node:
                assert set(node["required"]) <= set(node.get("properties", {})), (name, node)
            for key, prop in node.get("properties", {}).items():
                assert "description" in prop or "$ref" in prop, f"{name}: {key} undescribed"
                if key in ("time", "at") or key.endswith("_at"):
                    times.append(key)
                    assert prop.get("format") == "date-time", f"{name}: {key} is {prop}"
    assert {"time", "at", "checked_at", "opened_at", "created_at", "sent_at"} <= set(times)


async def test_every_core_example_holds_against_its_schema(client):
    document = await live(client)
    checked = 0
    for name, operation in core_operations(document):
        bodies = [success(operation)[1], operation.get("requestBody", {})]
        for body in bodies:
            for media_type, content in body.get("content", {}).items():
                check = validator(document, content["schema"])
                for label, example in content.get("examples", {}).items():
                    errors = list(check.iter_errors(example["value"]))
                    assert not errors, f"{name} {media_type} example {label!r}: {errors[0]}"
                    checked += 1
        if "application/json" in success(operation)[1].get("content", {}):
            assert success(operation)[1]["content"]["application/json"].get("examples"), name
    assert checked >= 14


async def test_file_answers_name_their_media_types(client):
    document = await live(client)
    attachment = success(document["paths"]["/v1/outbox/{id}/attachments/{n}"]["get"])[1]
    export = success(document["paths"]["/v1/journal/export"]["get"])[1]
    assert {"text/xml", "application/pdf"} <= set(attachment["content"])
    assert set(export["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for answer in (attachment, export):
        assert "Content-Disposition" in answer["headers"]
        for content in answer["content"].values():
            assert content["schema"] == {"type": "string", "format": "binary"}
    # and the daemon sends what it declares
    for query in ("", "?format=xlsx"):
        got = await client.get(f"/v1/journal/export{query}")
        assert got.status == 200 and got.content_type in export["content"]


def offset_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    assert value.utcoffset() is not None, f"{text} has no offset"
    return value


async def test_health_serves_its_times_with_an_offset(relay, receiver):
    receiver.fail_with = 503
    for i in range(3):
        await send(relay, f"m{i}")
    deadline = time.monotonic() + 10
    while True:
        health = await (await relay.get("/v1/health")).json()
        breaker = health["outbox"]["relay"]["breaker"]
        if breaker["opened_at"] is not None:
            break
        assert time.monotonic() < deadline, "the breaker never opened"
        await asyncio.sleep(0.02)
    assert abs(offset_time(breaker["opened_at"]).timestamp() - time.time()) < 60
    checked = health["plugins"]["relay"]["checked_at"]
    assert abs(offset_time(checked).timestamp() - time.time()) < 60
    assert isinstance(health["uptime_s"], float | int)


@pytest.mark.policy(breaker_threshold=2, breaker_cooldown=0.1)
async def test_the_events_a_daemon_emits_match_the_described_ones(relay, receiver):
    """An outage and its recovery make every event type of the core: each ``data`` read off the
    stream holds against the document's ``Event``, and against the branch its type names."""
    document = await live(relay)
    schemas = document["components"]["schemas"]
    stream = success(document["paths"]["/v1/events"]["get"])[1]["content"]["text/event-stream"]
    # text to a generated client (a stream is no JSON value), its events' data an Event
    assert stream["schema"]["type"] == "string"
    assert stream["schema"]["contentSchema"] == {"$ref": "#/components/schemas/Event"}
    branches = {}
    for ref in schemas["Event"]["oneOf"]:
        branch = schemas[ref["$ref"].rsplit("/")[-1]]
        branches[branch["properties"]["type"].get("const", "*")] = branch
    assert set(branches) == {*CORE_EVENT_TYPES, "*"}

    receiver.fail_with = 503
    sent = [(await send(relay, f"m{i}"))["id"] for i in range(3)]
    deadline = time.monotonic() + 10
    while not [e for e in relay.app[EVENTS].subscribe(0)[1] if e.type == "outbox.failing"]:
        assert time.monotonic() < deadline, "the breaker never opened"
        await asyncio.sleep(0.02)
    receiver.fail_with = None
    for item_id in sent:
        await wait_state(relay, item_id, "sent")
    relay.app[EVENTS].publish("relay.note", {"text": "a plugin's own event"}, scope="relay")
    kept = len(relay.app[EVENTS].subscribe(0)[1])

    response = await relay.get("/v1/events", headers={"Last-Event-ID": "0"})
    events = await read_events(response, kept)
    response.close()
    whole = validator(document, {"$ref": "#/components/schemas/Event"})
    seen = set()
    for event in events:
        data = json.loads(event["data"])
        assert data["type"] == event["event"]
        errors = list(whole.iter_errors(data))
        assert not errors, f"{event['event']}: {errors[0].message}"
        branch = branches.get(data["type"], branches["*"])
        assert not list(validator(document, branch).iter_errors(data)), data
        offset_time(data["time"])
        seen.add(data["type"])
    # A plugin switched on or off (an admin's act, not an outage's): its event is checked
    # against this description in test_plugin_toggle.
    assert seen == {*CORE_EVENT_TYPES, "relay.note"} - {"plugin.switched"}
