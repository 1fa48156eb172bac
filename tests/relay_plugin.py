"""A plugin for the outbox tests: it queues messages and delivers them over HTTP to a receiver
(``tests/receiver.py``) that can be slow, fail, flap or go down."""

from __future__ import annotations

import uuid

import aiohttp

from aiguillage.hookspecs import Call, Operation, PluginConfig, PluginInfo, hookimpl
from aiguillage.outbox import DeliveryError, Item
from aiguillage.outbox_api import ACCEPTED_SCHEMA, accept

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
        practitioner={"id": "10000000001", "name": "Dr Test"},
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
            request_schema=MESSAGE_SCHEMA,
            response_status=202,
            response_schema=ACCEPTED_SCHEMA,
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
            return {"already_present": True}
        text = await r.text()
        if r.status >= 500:
            raise DeliveryError(f"http-{r.status}", text[:200], transient=True)
        raise DeliveryError(f"http-{r.status}", text[:200], transient=False)
