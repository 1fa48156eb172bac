"""The OpenAPI 3.1 document, built from the same operations and schemas the handlers validate.

What a vendor's client generator needs is here and nowhere else: named schemas (a schema dict
with a ``title`` becomes ``#/components/schemas/<title>``, once, whichever operations use it),
readable operationIds, declared headers, every problem an operation can answer with its types,
and real media types for file answers."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from aiguillage.hookspecs import Operation
from aiguillage.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA, TYPE_PREFIX
from aiguillage.send_wait import (
    CREATED_SUMMARY,
    created_examples,
    created_schema,
    is_send,
    send_params,
)

_ROUTE_PARAM = re.compile(r"\{(\w+):[^}]*\}")
_COMPONENT_NAME = re.compile(r"[A-Za-z0-9._-]+")
#: The address ``aiguillage serve`` listens on unless told otherwise.
DEFAULT_PORT = 7480

#: Request headers an operation may read, by name: the parameter each is in the document.
REQUEST_HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {
        "description": "An id of the caller's for this request (1 to 128 letters, digits or "
        ". _ : @ -); generated when absent. It marks the request's journal rows and comes back "
        "on the answer.",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:@-]{1,128}$"},
    },
    "Idempotency-Key": {
        "description": "Makes the send safe to repeat: the same key with the same body answers "
        "the first send's outbox item again (`Idempotent-Replayed: true`) and queues nothing; "
        "with another body it is a 422 `idempotency-key-reused`. 1 to 255 printable ASCII "
        "characters, kept 30 days.",
        "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"},
    },
    "Last-Event-ID": {
        "description": "The id of the last event received: the stream resumes after it, from "
        "the events still kept.",
        "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"},
    },
}

#: Response headers a success answer may carry, by name.
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {
        "description": "The request's id, as sent or generated; marks its journal rows.",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "The outbox item (or batch) that follows the accepted send.",
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Idempotent-Replayed": {
        "description": "`true` when the answer is a replay of an earlier send with the same "
        "Idempotency-Key: nothing new was queued.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Content-Disposition": {
        "description": "The file's name, as an attachment.",
        "schema": {"type": "string"},
    },
}

#: Operations called without a bearer token, because a token is what they hand out (the console's
#: login code exchange): the guard lets them by, and their OpenAPI ``security`` is empty.
UNAUTHENTICATED: frozenset[tuple[str, str]] = frozenset({("POST", "/v1/console/login")})

#: What every operation may answer besides its own declared problems, by status: the guard, the
#: body checks, storage and the daemon's own failure (docs/api.md, "Errors").
COMMON_ERRORS: dict[int, tuple[str, ...]] = {
    400: ("bad-request-id",),
    401: ("unauthorized", "invalid-token"),
    403: ("insufficient-scope", "origin-not-allowed", "cross-site"),
    421: ("misdirected-request",),
    500: ("internal",),
    503: ("storage-read-only", "storage-error"),
    507: ("storage-full",),
}
#: Added for an operation with a request body.
BODY_ERRORS: dict[int, tuple[str, ...]] = {
    400: ("malformed-json",),
    413: ("body-too-large",),
    415: ("unsupported-media-type",),
    422: ("validation",),
}
#: Added for a POST or PUT without a JSON body of its own: a body is still checked for its media
#: type and size before the operation runs.
BODY_METHOD_ERRORS: dict[int, tuple[str, ...]] = {
    413: ("body-too-large",),
    415: ("unsupported-media-type",),
}
#: Added for an operation with parameters.
PARAM_ERRORS: dict[int, tuple[str, ...]] = {422: ("validation",)}
#: Added for an operation that takes an Idempotency-Key (``accept`` and ``accept_many`` check it).
IDEMPOTENCY_ERRORS: dict[int, tuple[str, ...]] = {
    400: ("bad-idempotency-key",),
    422: ("idempotency-key-reused",),
}
#: Added for a plugin's operation: the plugin is switched off, or did not start.
PLUGIN_ERRORS: dict[int, tuple[str, ...]] = {
    404: ("plugin-disabled",),
    503: ("plugin-unavailable",),
}
#: What a request that matches no operation may get.
ROUTING_ERRORS: dict[int, tuple[str, ...]] = {
    404: ("not-found", "plugin-disabled"),
    405: ("method-not-allowed",),
}


def merge_errors(*tables: dict[int, tuple[str, ...]]) -> dict[int, tuple[str, ...]]:
    """One ``errors`` table from several, by status: each type once, in the order met."""
    merged: dict[int, list[str]] = {}
    for table in tables:
        for status, slugs in table.items():
            merged.setdefault(status, [])
            merged[status] += [s for s in slugs if s not in merged[status]]
    return {status: tuple(merged[status]) for status in sorted(merged)}


#: What a request that matches no operation may get: the guard runs before routing.
UNMATCHED_ERRORS = merge_errors(COMMON_ERRORS, BODY_ERRORS, ROUTING_ERRORS)

_STATUS_TEXT = {
    400: "The request could not be read.",
    401: "No valid token.",
    403: "The app may not do this, or the request came from a foreign page.",
    404: "What the request names does not exist.",
    409: "The request conflicts with the current state.",
    413: "The body is too large.",
    415: "The body's media type is not one the operation takes.",
    421: "The request named a host the daemon does not serve.",
    422: "The request is not valid; `errors` names each field.",
    500: "The daemon failed; the log has the details under the request id.",
    502: "The national service refused or broke the exchange.",
    503: "The daemon or the national service cannot serve now.",
    504: "The national service did not answer in time.",
    507: "The daemon's disk is full.",
}


def declared_errors(op: Operation) -> dict[int, tuple[str, ...]]:
    """Every problem type ``op`` may answer, by status: the common ones and its own."""
    tables = [COMMON_ERRORS, op.errors]
    if op.request_schema is not None:
        tables.append(BODY_ERRORS)
    elif op.method in ("POST", "PUT"):
        tables.append(BODY_METHOD_ERRORS)
    if send_params(op):
        tables.append(PARAM_ERRORS)
    if "Idempotency-Key" in op.request_headers:
        tables.append(IDEMPOTENCY_ERRORS)
    if op.plugin != "core":
        tables.append(PLUGIN_ERRORS)
    return merge_errors(*tables)


def problem_types(operations: list[Operation]) -> list[str]:
    """Every problem type the daemon can answer with ``operations`` registered, sorted."""
    tables = [UNMATCHED_ERRORS, *(declared_errors(op) for op in operations)]
    return sorted({slug for table in tables for slugs in table.values() for slug in slugs})


def build_openapi(
    operations: list[Operation],
    version: str,
    origin: str | None = None,
    conflicts: list[str] | None = None,
) -> dict[str, Any]:
    """The document for ``operations``. ``origin`` is the address the document was asked
    from (``http://127.0.0.1:7480``); without it, ``servers`` has a ``{port}`` variable.
    ``conflicts`` receives the titles two different schemas share (each published once, the
    other inline)."""
    schemas = _Components()
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        path = _ROUTE_PARAM.sub(r"{\1}", op.path)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, schemas)
    schemas.add(PROBLEM_SCHEMA)
    slugs = problem_types(operations)
    schemas.named["ProblemType"] = {
        "title": "ProblemType",
        "type": "string",
        "description": "What went wrong, as a URN: docs/api.md lists each type.",
        "enum": [TYPE_PREFIX + slug for slug in slugs],
        # the member names generators give the enum: VALIDATION, not URNAIGUILLAGEPROBLEM…
        "x-enum-varnames": [slug.upper().replace("-", "_") for slug in slugs],
    }
    if conflicts is not None:
        conflicts += schemas.conflicts
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Aiguillage",
            "version": version,
            "description": "One localhost API in front of the French national e-health services. "
            "Errors are RFC 9457 problem documents.",
        },
        "servers": [_server(origin)],
        "security": [{"bearer": []}],
        "tags": [{"name": t} for t in sorted({t for op in operations for t in _tags(op)})],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An app's token, from `aiguillage apps add`.",
                }
            },
            "schemas": dict(sorted(schemas.named.items())),
            "parameters": {_param_name(n): _header_param(n) for n in REQUEST_HEADERS},
            "headers": copy.deepcopy(RESPONSE_HEADERS),
        },
    }


def with_origin(document: dict[str, Any], origin: str) -> dict[str, Any]:
    """``document`` as served from ``origin`` (``http://127.0.0.1:7480``): its ``servers`` is
    that address. The document itself is left as it is."""
    return {**document, "servers": [_server(origin)]}


def operation_id(op: Operation) -> str:
    if op.operation_id:
        return op.operation_id
    path = _ROUTE_PARAM.sub(r"{\1}", op.path)  # {id:\d+} → {id}: the regex is no word
    words = re.findall(r"[A-Za-z0-9]+", path.removeprefix("/v1/"))
    return op.method.lower() + "".join(w[:1].upper() + w[1:] for w in words)


def _server(origin: str | None) -> dict[str, Any]:
    if origin:
        return {"url": origin, "description": "this daemon"}
    return {
        "url": "http://127.0.0.1:{port}",
        "description": "the daemon on this machine",
        "variables": {"port": {"default": str(DEFAULT_PORT)}},
    }


def _tags(op: Operation) -> tuple[str, ...]:
    return op.tags or (op.plugin,)


def _operation(op: Operation, schemas: _Components) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": operation_id(op),
        "summary": op.summary,
        "tags": list(_tags(op)),
    }
    if op.description:
        doc["description"] = op.description
    doc["parameters"] = [
        {
            "name": p.name,
            "in": p.location,
            "required": p.required or p.location == "path",
            "description": p.description,
            "schema": schemas.add(p.schema),
        }
        for p in send_params(op)
    ] + [{"$ref": f"#/components/parameters/{_param_name(h)}"} for h in _request_headers(op)]
    if op.request_schema is not None:
        doc["requestBody"] = _request_body(op, schemas)
    doc["responses"] = {str(op.response_status): _success(op, schemas)}
    if is_send(op):  # ?wait=: the outcome when it comes in time
        doc["responses"] = {"201": _created(op, schemas), **doc["responses"]}
    for status, slugs in declared_errors(op).items():
        doc["responses"][str(status)] = _problem(status, slugs)
    if op.scope:
        doc["x-scope"] = op.scope
    if (op.method, op.path) in UNAUTHENTICATED:
        doc["security"] = []
    return doc


def _request_headers(op: Operation) -> tuple[str, ...]:
    return ("X-Request-Id", *op.request_headers)


def _request_body(op: Operation, schemas: _Components) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for media_type in op.content_types:
        if media_type == "application/json":
            entry: dict[str, Any] = {"schema": schemas.add(op.request_schema)}
            if op.request_examples:
                entry["examples"] = {k: {"value": v} for k, v in op.request_examples.items()}
        else:
            entry = {"schema": {"type": "string", "format": "binary"}}
        content[media_type] = entry
    return {"required": True, "content": content}


def _success(op: Operation, schemas: _Components) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": op.summary,
        "headers": {
            h: {"$ref": f"#/components/headers/{h}"} for h in ("X-Request-Id", *op.response_headers)
        },
    }
    if op.response_status == 204:
        return response
    content: dict[str, Any] = {}
    for media_type in op.media_types:
        if media_type == EVENT_STREAM and op.response_schema is not None:
            entry: dict[str, Any] = {"schema": _event_stream(schemas.add(op.response_schema))}
        elif op.response_schema is not None:
            entry = {"schema": schemas.add(op.response_schema)}
        else:
            entry = {"schema": {"type": "string", "format": "binary"}}
        if media_type == op.media_types[0] and op.response_examples:
            examples = op.response_examples
            if media_type == EVENT_STREAM:
                examples = {k: _sse(n, v) for n, (k, v) in enumerate(examples.items(), 1)}
            entry["examples"] = {k: {"value": v} for k, v in examples.items()}
        content[media_type] = entry
    response["content"] = content
    return response


def _created(op: Operation, schemas: _Components) -> dict[str, Any]:
    headers = ("X-Request-Id", *op.response_headers)
    return {
        "description": CREATED_SUMMARY,
        "headers": {h: {"$ref": f"#/components/headers/{h}"} for h in headers},
        "content": {
            "application/json": {
                "schema": schemas.add(created_schema(op)),
                "examples": {k: {"value": v} for k, v in created_examples(op).items()},
            }
        },
    }


EVENT_STREAM = "text/event-stream"


def _event_stream(event: dict[str, Any]) -> dict[str, Any]:
    # A stream is text to a client generator: typed as the event, a generated client would parse
    # the whole stream as one JSON value and fail. The events' shape stays in the document, as
    # the schema of the text's content, where a reader and a resolver find it.
    return {
        "type": "string",
        "description": "A stream of server-sent events (`id:`, `event:`, `data:` lines). Each "
        "event's `data` is one JSON object, described by `contentSchema`.",
        "contentMediaType": "application/json",
        "contentSchema": event,
    }


def _sse(number: int, data: Any) -> str:
    """An event as it goes over the wire: what a stream's example shows."""
    kind = data.get("type", "message") if isinstance(data, dict) else "message"
    return f"id: {number}\nevent: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _problem(status: int, slugs: tuple[str, ...]) -> dict[str, Any]:
    types = ", ".join(f"`{s}`" for s in slugs)
    return {
        "description": f"{_STATUS_TEXT.get(status, 'The request failed.')} Types: {types}.",
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "examples": {
                    slug: {"value": {"type": TYPE_PREFIX + slug, "title": slug, "status": status}}
                    for slug in slugs
                },
            }
        },
        "x-problem-types": [TYPE_PREFIX + s for s in slugs],
    }


def _param_name(header: str) -> str:
    return header.replace("-", "")


def _header_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, **copy.deepcopy(REQUEST_HEADERS[name])}


class _Components:
    """The named schemas found so far: each titled schema is replaced by a ``$ref`` to it. A
    second, different schema under a title already taken (a plugin that extends a shared shape
    and keeps its title) stays inline, untitled, and is listed in ``conflicts``: the document
    stays true, and the start-up log names the title to change."""

    def __init__(self) -> None:
        self.named: dict[str, dict[str, Any]] = {}
        self.conflicts: list[str] = []
        self._seen: dict[str, str] = {}

    def add(self, schema: Any) -> Any:
        return self._hoist(copy.deepcopy(schema))

    def _hoist(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self._hoist(n) for n in node]
        if not isinstance(node, dict):
            return node
        hoisted = {
            k: v if k in ("enum", "const", "examples", "default") else self._hoist(v)
            for k, v in node.items()
        }
        title = node.get("title")
        if not isinstance(title, str):
            return hoisted
        if not _COMPONENT_NAME.fullmatch(title):
            raise ValueError(f"schema title {title!r} is not a valid component name")
        text = json.dumps(hoisted, sort_keys=True)
        if self._seen.setdefault(title, text) != text:
            if title not in self.conflicts:
                self.conflicts.append(title)
            return {k: v for k, v in hoisted.items() if k != "title"}
        self.named[title] = hoisted
        return {"$ref": f"#/components/schemas/{title}"}
