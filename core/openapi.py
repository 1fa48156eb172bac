"""The OpenAPI 3.1 document, built from the same operations and schemas the handlers validate."""

from __future__ import annotations

import re
from typing import Any

from aiguillage.hookspecs import Operation
from aiguillage.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA

_ROUTE_PARAM = re.compile(r"\{(\w+):[^}]*\}")
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def build_openapi(operations: list[Operation], version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        path = _ROUTE_PARAM.sub(r"{\1}", op.path)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Aiguillage",
            "version": version,
            "description": "One localhost API in front of the French national e-health services. "
            "Errors are RFC 9457 problem documents.",
        },
        "servers": [{"url": "http://127.0.0.1:7480"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Problem": PROBLEM_SCHEMA},
            "headers": {
                "X-Request-Id": {
                    "description": "The request's id, as sent or generated; marks its journal rows",
                    "schema": {"type": "string"},
                }
            },
        },
    }


def _operation(op: Operation) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": _operation_id(op),
        "summary": op.summary,
        "tags": list(op.tags or (op.plugin,)),
        "parameters": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required or p.location == "path",
                "description": p.description,
                "schema": p.schema,
            }
            for p in op.params
        ],
        "responses": {
            str(op.response_status): _success(op),
            "4XX": _problem("The request was refused; the problem says why."),
            "5XX": _problem("The daemon or a national service failed."),
        },
    }
    if op.scope:
        doc["x-scope"] = op.scope
    if op.request_schema is not None:
        content = {
            t: {"schema": op.request_schema if t == "application/json" else {}}
            for t in op.content_types
        }
        doc["requestBody"] = {"required": True, "content": content}
    return doc


def _success(op: Operation) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": op.summary,
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}},
    }
    if op.response_status != 204:
        response["content"] = {op.response_media_type: {"schema": op.response_schema or {}}}
    return response


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}


def _operation_id(op: Operation) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", op.path.removeprefix("/v1/")).strip("_")
    return f"{op.method.lower()}_{words}"
