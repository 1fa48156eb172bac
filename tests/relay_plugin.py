"""A plugin for the outbox tests: it queues messages and delivers them over HTTP to a receiver
(``tests/receiver.py``) that can be slow, fail, flap or go down."""

from __future__ import annotations

import uuid

import aiohttp

from aiguillage.plugin import (
    ACCEPTED_SCHEMA,
    Call,
    Delivered,
    DeliveryError,
    Item,
    Operation,
    PluginConfig,
    PluginInfo,
    Practitioner,
    accept,
    hookimpl,
)

MESSAGE_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 10000},
        "patient": {"type": "string", "pattern": "^[0-9]{15}$"},
        "pdf": {"type": "string", "contentEncoding": "base64"},
    },
}


class ReceiverBusy(Exception):
    """The receiver asks to come back later (429). The core would call this unknown error
    permanent; ``classify_error`` says transient."""


class ReceiverGone(ConnectionError):
    """The receiver has no mailbox for the message (410), for good. The core would call this
    connection error transient; ``classify_error`` says permanent."""


async def send_message(call: Call):
    body = call.body
    attachments = []
    if "pdf" in body:
        import base64

        attachments.append(("application/pdf", "letter.pdf", base64.b64decode(body["pdf"])))
    return await accept(
        call,
        kind="relay.message",
        payload={"text": body["text"]},
        # Fixed now, so a re-delivery after a crash is recognised by the receiver.
        external_id=f"relay-{uuid.uuid4()}",
        attachments=attachments,
        patient=body.get("patient"),
        practitioner=Practitioner("10000000001", family_name="Test", given_name="Dr"),
    )


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="relay", version="1.0", title="Relay (tests)", outbox_kinds=("relay.message",)
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    register(
        Operation(
            "POST",
            "/v1/relay/messages",
            "Queue a message",
            send_message,
            scope="relay",
            operation_id="sendRelayMessage",
            description="Queue `text` (and a PDF) for the receiver; `202` once durable.",
            request_schema=MESSAGE_SCHEMA,
            request_headers=("Idempotency-Key",),
            request_examples={"text": {"text": "Bonjour", "patient": "277076322082910"}},
            response_status=202,
            response_schema=ACCEPTED_SCHEMA,
            response_headers=("Location", "Idempotent-Replayed"),
            response_examples={
                "queued": {
                    "id": 1,
                    "state": "queued",
                    "kind": "relay.message",
                    "external_id": "relay-0b7e3c52-8d0e-4a53-9a4f-2f1d3c6b7a10",
                    "location": "/v1/outbox/1",
                }
            },
        )
    )


@hookimpl
async def startup(config: PluginConfig) -> None:
    config.state["session"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    await config.state.pop("session").close()


@hookimpl
async def deliver(item: Item, config: PluginConfig) -> dict:
    body = {
        "id": item.external_id,
        "text": item.payload["text"],
        "attachments": [a.size for a in item.attachments],
    }
    async with config.state["session"].post(f"{config.endpoint_url}/messages", json=body) as r:
        if r.status == 201:
            return {"receipt": (await r.json())["receipt"]}
        if r.status == 409:  # the receiver already has this id: delivered before a crash
            return Delivered(already_present=True)
        if r.status == 429:
            raise ReceiverBusy("the receiver asks to come back later")
        if r.status == 410:
            raise ReceiverGone("the receiver has no mailbox for this message")
        text = await r.text()
        if r.status >= 500:
            raise DeliveryError(f"http-{r.status}", text[:200], transient=True)
        raise DeliveryError(f"http-{r.status}", text[:200], transient=False)


@hookimpl
def classify_error(error: BaseException, config: PluginConfig) -> str | None:
    if isinstance(error, ReceiverBusy):
        return "transient"
    if isinstance(error, ReceiverGone):
        return "permanent"
    return None
