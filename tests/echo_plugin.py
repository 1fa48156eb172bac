"""A plugin for the tests: operations that exercise every guard and the error paths."""

from __future__ import annotations

from aiohttp import web

from aiguillage.hookspecs import Call, Operation, Param, PluginConfig, PluginInfo, hookimpl

ITEM_SCHEMA = {
    "type": "object",
    "required": ["name", "count"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "count": {"type": "integer", "minimum": 0},
        "when": {"type": "string", "format": "date"},
    },
}


async def create_item(call: Call) -> web.Response:
    return web.json_response({"received": call.body, "app": call.client.name}, status=201)


async def upload(call: Call) -> dict:
    return {"bytes": len(call.body), "content_type": call.request.content_type}


async def boom(call: Call) -> dict:
    raise RuntimeError("secret internals: patient 277076322082910")


async def get_item(call: Call) -> dict:
    return {"id": call.params["id"], "verbose": call.params.get("verbose", False)}


async def broken_schema(call: Call) -> dict:
    return {"unexpected": "shape"}


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(name="echo", version="1.0", title="Echo (tests)")


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    register(
        Operation(
            "POST",
            "/v1/echo/items",
            "Create an item",
            create_item,
            scope="echo",
            operation_id="createEchoItem",
            description="Answers the body it was sent, and the calling app.",
            request_schema=ITEM_SCHEMA,
            response_status=201,
            response_schema={"type": "object"},
        )
    )
    register(
        Operation(
            "POST",
            "/v1/echo/upload",
            "Upload a PDF",
            upload,
            scope="echo",
            operation_id="uploadEchoFile",
            description="Answers the size and media type of the body it was sent.",
            request_schema={"type": "string"},
            content_types=("application/json", "application/pdf"),
            max_body_bytes=4096,
            response_schema={"type": "object"},
        )
    )
    register(
        Operation(
            "GET",
            "/v1/echo/items/{id}",
            "Read an item",
            get_item,
            scope="echo",
            operation_id="getEchoItem",
            description="Answers its parameters.",
            params=[
                Param("id", "path", {"type": "string", "pattern": "^[a-z0-9]+$"}),
                Param("verbose", "query", {"type": "boolean"}),
            ],
            response_schema={"type": "object", "required": ["id"]},
        )
    )
    register(
        Operation(
            "GET",
            "/v1/echo/boom",
            "Fail",
            boom,
            scope="echo",
            operation_id="failEcho",
            description="Raises: the daemon's own failure, a 500.",
        )
    )
    register(
        Operation(
            "GET",
            "/v1/echo/broken",
            "Break its schema",
            broken_schema,
            scope="echo",
            operation_id="breakEchoSchema",
            description="Answers what its schema refuses: a 500 in the tests.",
            response_schema={"type": "object", "required": ["id"]},
        )
    )
