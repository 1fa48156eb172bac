"""Send now, or in the background (issue 16): a send with ``?wait=`` (or the plugin's
``default_wait``) answers ``201`` with the delivery's outcome when it comes in time, ``202`` as
before when it does not. Over real sockets: the relay plugin's receiver (slow, refusing,
flapping), then the DMP and MSSanté simulators."""

from __future__ import annotations

import asyncio
import base64
import time

import pytest
from jsonschema import Draft202012Validator

from aiguillage import __version__
from aiguillage.app import collect_operations, create_app
from aiguillage.appkeys import EVENTS, OPERATIONS
from aiguillage.config import ConfigError, config_path, load_settings
from aiguillage.openapi import build_openapi
from aiguillage.plugin_manager import load_plugins
from aiguillage.send_wait import created_schema, is_send

from conftest import FAST_POLICY

PROBLEM = "application/problem+json"


async def post(client, query: str = "", text: str = "hello", **headers):
    return await client.post(f"/v1/relay/messages{query}", json={"text": text}, headers=headers)


async def outbox(client) -> list[dict]:
    return (await (await client.get("/v1/outbox")).json())["items"]


async def until(check, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "never happened"
        await asyncio.sleep(0.02)


def holds_to_its_schema(client, path: str, body: dict) -> None:
    """``body`` is what the document declares for the ``201`` of the send at ``path``."""
    (op,) = [o for o in client.app[OPERATIONS] if o.path == path and is_send(o)]
    errors = list(Draft202012Validator(created_schema(op)).iter_errors(body))
    assert not errors, errors[0]


# --- the relay's receiver -------------------------------------------------------------------


async def test_a_send_that_waits_gets_the_receivers_answer(relay, receiver):
    response = await post(relay, "?wait=10")
    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["state"] == "sent" and body["attempts"] == 1
    assert body["result"] == {"receipt": 1, "already_present": False}
    assert body["last_error"] is None
    assert response.headers["Location"] == body["location"] == f"/v1/outbox/{body['id']}"
    assert receiver.stored[body["external_id"]]["text"] == "hello"
    holds_to_its_schema(relay, "/v1/relay/messages", body)


async def test_a_slow_service_answers_202_and_delivers_in_the_background(relay, receiver):
    receiver.latency = 1.5
    started = time.monotonic()
    response = await post(relay, "?wait=0.3")
    assert response.status == 202 and time.monotonic() - started >= 0.3  # it did wait
    body = await response.json()
    assert body["external_id"] not in receiver.stored  # and did not wait for the delivery
    assert body["state"] == "queued" and body["location"] == f"/v1/outbox/{body['id']}"
    await until(lambda: body["external_id"] in receiver.stored)  # on, without the request


async def test_without_wait_a_send_answers_at_once(relay, receiver):
    receiver.latency = 1.0
    response = await post(relay)
    assert response.status == 202
    assert (await response.json())["external_id"] not in receiver.stored


async def test_a_refusal_within_the_wait_is_a_201_in_state_failed(relay, receiver):
    receiver.reject_texts.add("bad")
    response = await post(relay, "?wait=10", text="bad")
    assert response.status == 201
    body = await response.json()
    assert body["state"] == "failed" and body["result"] is None
    assert body["last_error"] == {
        "code": "http-422",
        "message": "text 'bad' refused",
        "transient": False,
    }
    holds_to_its_schema(relay, "/v1/relay/messages", body)


async def test_the_wait_spans_a_retry_after_a_transient_failure(relay, receiver):
    receiver.fail_with = 503
    waiting = asyncio.create_task(post(relay, "?wait=10"))
    await until(lambda: receiver.posts)
    receiver.fail_with = None
    response = await waiting
    assert response.status == 201
    body = await response.json()
    assert (body["state"], body["attempts"]) == ("sent", 2)


@pytest.mark.policy(max_attempts=2, initial_delay=0.01, max_delay=0.01)
async def test_running_out_of_attempts_within_the_wait_is_a_201_in_state_dead(relay, receiver):
    receiver.fail_with = 503
    response = await post(relay, "?wait=10")
    assert response.status == 201
    body = await response.json()
    assert (body["state"], body["attempts"]) == ("dead", 2)
    assert body["last_error"]["code"] == "http-503"


@pytest.mark.policy(default_wait=10)
async def test_the_plugins_default_wait_applies_when_the_request_says_none(relay, receiver):
    response = await post(relay)
    assert response.status == 201 and (await response.json())["state"] == "sent"
    receiver.latency = 1.0
    background = await post(relay, "?wait=0", text="later")
    assert background.status == 202


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?wait=61", "greater than the maximum of 60"),
        ("?wait=-1", "less than the minimum of 0"),
        ("?wait=soon", "is not of type 'number'"),
        ("?wait=1&wait=2", "given more than once"),
    ],
)
async def test_a_bad_wait_is_a_422_naming_it(relay, receiver, query, says):
    response = await post(relay, query)
    assert response.status == 422
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "wait" and says in error["message"]
    assert await outbox(relay) == []


async def test_a_replay_that_waits_answers_the_outcome_and_says_it_is_a_replay(relay, receiver):
    first = await post(relay, "?wait=10", **{"Idempotency-Key": "letter-7"})
    assert first.status == 201 and "Idempotent-Replayed" not in first.headers
    again = await post(relay, "?wait=10", **{"Idempotency-Key": "letter-7"})
    assert again.status == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert (await again.json())["id"] == (await first.json())["id"]
    background = await post(relay, **{"Idempotency-Key": "letter-7"})
    assert background.status == 202 and background.headers["Idempotent-Replayed"] == "true"
    assert (await background.json())["state"] == "queued"  # the first 202's body, as before
    assert len(receiver.stored) == 1 and len(await outbox(relay)) == 1


async def test_a_client_that_goes_away_while_waiting_does_not_stop_the_delivery(relay, receiver):
    receiver.latency = 0.8
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await post(relay, "?wait=20", text="gone")
    await until(lambda: receiver.stored)
    (item,) = await outbox(relay)
    assert item["state"] == "sent" and receiver.posts[item["external_id"]] == 1


async def test_a_daemon_that_stops_ends_the_waits_with_a_202(relay, receiver):
    receiver.latency = 5.0
    waiting = asyncio.create_task(post(relay, "?wait=30"))
    await until(lambda: receiver.posts)  # the delivery is under way, the request waiting
    relay.app[EVENTS].close()  # what the daemon's shutdown does first
    async with asyncio.timeout(3):  # not the delivery's 5 s, nor the wait's 30
        response = await waiting
    assert response.status == 202


def test_default_wait_is_read_from_the_config_and_capped(tmp_path):
    plugins = load_plugins()
    path = tmp_path / "aiguillage.toml"
    path.write_text("[outbox]\ndefault_wait = 5\n[outbox.dmp]\ndefault_wait = 0\n")
    outbox_settings = load_settings(path, plugins.infos).outbox
    assert outbox_settings.policy("mssante").default_wait == 5.0
    assert outbox_settings.policy("dmp").default_wait == 0.0
    path.write_text("[outbox.mssante]\ndefault_wait = 90\n")
    with pytest.raises(ConfigError, match=r"\[outbox.mssante\] default_wait: must be at most 60"):
        load_settings(path, plugins.infos)
    assert load_settings(None, plugins.infos).outbox.policy("dmp").default_wait == 0.0


def test_every_send_operation_declares_wait_and_its_201():
    plugins = load_plugins()
    operations = collect_operations(load_settings(config_path(None), plugins.infos), plugins)
    document = build_openapi(operations, __version__)
    sends = [op for op in operations if is_send(op)]
    assert {op.operation_id for op in sends} >= {
        "sendDmpDocument",
        "sendVsmBatch",
        "sendMssanteMessage",
        "ackMssanteInboxMessage",
        "createFseLots",
    }
    for op in sends:
        described = document["paths"][op.path][op.method.lower()]
        (wait,) = [p for p in described["parameters"] if p.get("name") == "wait"]
        assert wait["in"] == "query" and wait["schema"]["maximum"] == 60
        assert list(described["responses"])[:2] == ["201", "202"], op.operation_id
        assert "Location" in described["responses"]["201"]["headers"]
    others = [op for op in operations if not is_send(op)]
    for op in others:
        described = document["paths"][op.path][op.method.lower()]
        assert "wait" not in [p.get("name") for p in described["parameters"]], op.path


# --- the national services' simulators ------------------------------------------------------

RUTH = {
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
    },
}
NO_DMP = {**RUTH, "ins": {"matricule": "275126322074974"}}
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
DOCUMENT = {"pdf": PDF.decode(), "title": "Consultation", "type_code": "11488-4"}
VSM = {"problems": [{"label": "Diabète de type 2", "code": "E11"}]}


@pytest.fixture
async def daemon(aiohttp_client, settings, plugins, token):
    """A daemon with every built-in plugin against its simulator."""
    settings.outbox.policies["mssante"] = FAST_POLICY
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    return client


async def test_a_dmp_document_sent_now(daemon):
    response = await daemon.post(
        "/v1/dmp/documents?wait=30", json={"patient": RUTH, "document": DOCUMENT}
    )
    assert response.status == 201, await response.text()
    body = await response.json()
    assert (body["state"], body["kind"], body["result"]) == (
        "sent",
        "dmp.document",
        {"already_present": False},
    )
    holds_to_its_schema(daemon, "/v1/dmp/documents", body)
    listed = await (await daemon.get("/v1/dmp/patients/277076322082910/documents")).json()
    assert body["external_id"] in [d["unique_id"] for d in listed["documents"]]


async def test_a_dmp_refusal_within_the_wait(daemon):
    response = await daemon.post(
        "/v1/dmp/documents?wait=30", json={"patient": NO_DMP, "document": DOCUMENT}
    )
    assert response.status == 201
    body = await response.json()
    assert body["state"] == "failed" and body["last_error"]["code"] == "XDSUnknownPatientId"


async def test_a_vsm_batch_sent_now_reports_each_item(daemon):
    items = [{"patient": RUTH, "vsm": VSM}] * 2 + [{"patient": NO_DMP, "vsm": VSM}]
    response = await daemon.post("/v1/dmp/vsm/batch?wait=40", json={"items": items})
    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["items"] == 3 and response.headers["Location"] == body["location"]
    assert [i["state"] for i in body["outbox"]] == ["sent", "sent", "failed"]
    assert [i["patient"] for i in body["outbox"]] == [
        "277076322082910",
        "277076322082910",
        "275126322074974",
    ]
    holds_to_its_schema(daemon, "/v1/dmp/vsm/batch", body)
    summary = await (await daemon.get(body["location"])).json()
    assert summary["done"] and summary["counts"] == {"sent": 2, "failed": 1}


async def test_a_vsm_batch_in_the_background(daemon):
    items = [{"patient": RUTH, "vsm": VSM}]
    response = await daemon.post("/v1/dmp/vsm/batch", json={"items": items})
    assert response.status == 202 and "outbox" not in await response.json()


async def test_an_mssante_message_sent_now_and_an_unknown_recipient(daemon):
    letter = {
        "to": ["marie.martin@medecin.mssante.fr"],
        "patient": RUTH,
        "subject_label": "Compte rendu de consultation",
        "body": {"text": "Chère consœur, voici le compte rendu."},
        "documents": [DOCUMENT],
    }
    response = await daemon.post("/v1/mssante/messages?wait=30", json=letter)
    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["state"] == "sent" and body["result"]["sent_folder"] == "copied"
    refused = await daemon.post(
        "/v1/mssante/messages?wait=30", json={**letter, "to": ["personne@medecin.mssante.fr"]}
    )
    assert refused.status == 201
    failed = await refused.json()
    assert failed["state"] == "failed" and failed["last_error"]["code"] == "smtp-550"
