"""A plugin for the outbox benchmark: queues small items and POSTs each to a local receiver."""

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
    accept,
    hookimpl,
)


async def send(call: Call):
    return await accept(
        call, kind="bench.item", payload=call.body, external_id=f"bench-{uuid.uuid4()}"
    )


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="bench", version="1.0", title="Benchmark sink", outbox_kinds=("bench.item",)
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    register(
        Operation(
            "POST",
            "/v1/bench/items",
            "Queue an item",
            send,
            scope="bench",
            request_schema={"type": "object"},
            response_status=202,
            response_schema=ACCEPTED_SCHEMA,
        )
    )


@hookimpl
async def startup(config: PluginConfig) -> None:
    config.state["session"] = aiohttp.ClientSession()


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    await config.state.pop("session").close()


@hookimpl
async def deliver(item: Item, config: PluginConfig) -> Delivered:
    body = {"id": item.external_id, **item.payload}
    async with config.state["session"].post(f"{config.endpoint_url}/items", json=body) as r:
        if r.status != 201:
            raise DeliveryError(f"http-{r.status}", await r.text(), transient=r.status >= 500)
    return Delivered({"ok": True})
