"""The outbox over HTTP: ``accept`` for plugins that queue a send, and the ``/v1/outbox`` routes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from aiguillage import outbox as ob
from aiguillage.api import BODY, json_response
from aiguillage.appkeys import DELIVERIES, EVENTS, OUTBOX, PLUGINS
from aiguillage.hookspecs import Call, Operation, Param, hookimpl
from aiguillage.problems import FieldError, Problem
from aiguillage.security.practitioner import Practitioner
from aiguillage.times import TIME_PARAM, iso, parse_time

IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


@dataclass
class Send:
    """One send to queue. ``external_id`` is the identifier the receiver sees (XDS uniqueId,
    Message-ID): fixed now, never at delivery, so that the receiver recognises a re-delivery
    after a crash. ``attachments`` are ``(content type, filename or None, bytes)``; ``deliver``
    gets them back as ``item.attachments``. ``patient`` (an INS) and ``practitioner`` tag the
    item for the outbox listing and the journal."""

    payload: dict[str, Any]
    external_id: str
    attachments: Sequence[tuple[str, str | None, bytes]] = ()
    patient: str | None = None
    practitioner: Practitioner | None = None


@dataclass
class Accepted:
    """What :func:`accept_many` queued: the outbox items, in the order of the sends, and
    whether the request was a replay of an earlier one with the same Idempotency-Key."""

    items: list[ob.Item]
    replayed: bool

    def response(self, answer: dict[str, Any], location: str) -> web.Response:
        """The ``202 Accepted`` answer: ``answer`` as the body, ``Location``, and
        ``Idempotent-Replayed: true`` on a replay."""
        headers = {"Location": location}
        if self.replayed:
            headers["Idempotent-Replayed"] = "true"
        return json_response(answer, status=202, headers=headers)


async def accept(
    call: Call,
    *,
    kind: str,
    payload: dict[str, Any],
    external_id: str,
    attachments: Sequence[tuple[str, str | None, bytes]] = (),
    patient: str | None = None,
    practitioner: Practitioner | None = None,
) -> web.Response:
    """Queue one send and answer ``202 Accepted`` once it is durable, with ``Location`` naming
    the outbox item and a body of :data:`ACCEPTED_SCHEMA`. See :func:`accept_many`."""
    send = Send(payload, external_id, attachments, patient, practitioner)
    accepted = await _accept(call, kind, [send], SINGLE_SENDS)
    item = accepted.items[0]
    location = f"/v1/outbox/{item.id}"
    return accepted.response({**item.answer, "id": item.id, "location": location}, location)


async def accept_many(call: Call, kind: str, sends: Sequence[Send]) -> Accepted:
    """Queue ``sends`` as outbox items of ``kind``, all durable (or none) before it returns;
    each is announced on the event stream (``outbox.item``) and handed to the plugin's
    ``deliver``. ``Idempotency-Key`` is honoured for the request as a whole: the same key with
    the same body gives back what the first request queued (``replayed``); with another body,
    422. A 400 for a malformed key. Batches have keys of their own: a single send and a batch
    may use the same key for two different requests."""
    return await _accept(call, kind, sends, BATCHES)


async def _accept(call: Call, kind: str, sends: Sequence[Send], space: str) -> Accepted:
    app = call.app
    plugin = next((n for n, i in app[PLUGINS].infos.items() if kind in i.outbox_kinds), None)
    if plugin is None:
        raise RuntimeError(f"no plugin declares outbox kind {kind!r}")
    if not sends:
        raise ValueError("accept_many needs at least one send")
    key = call.request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise Problem(
            400,
            "bad-idempotency-key",
            "Invalid Idempotency-Key",
            errors=[FieldError("Idempotency-Key", "1 to 255 printable ASCII characters")],
        )
    # Only a key's replays are compared; hashing every body would cost a pass over it.
    body_hash = ob.request_hash(call.request.get(BODY, b"")) if key else None
    news = [
        ob.NewItem(
            plugin=plugin,
            kind=kind,
            payload=send.payload,
            external_id=send.external_id,
            attachments=send.attachments,
            # Keys are per client app: two EHRs may pick the same key without colliding.
            idempotency_key=_item_key(space, call.client.name, key, n) if key else None,
            request_hash=body_hash,
            client=call.client.name,
            request_id=call.request_id,
            patient=send.patient,
            practitioner=_who(send.practitioner),
            answer={"state": "queued", "kind": kind, "external_id": send.external_id},
        )
        for n, send in enumerate(sends)
    ]
    try:
        items, replayed = await app[OUTBOX].write(ob.enqueue_many, news, time.time())
    except ob.IdempotencyMismatch:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was first used with a different request body.",
            errors=[FieldError("Idempotency-Key", "already used with a different body")],
        ) from None
    if not replayed:
        for item in items:
            ob.publish_state(app[EVENTS], item)
        app[DELIVERIES].wake(plugin)
    return Accepted(items, replayed)


#: Key spaces. A single send's key is stored as it was before batches had a space of their
#: own, so a send retried across that upgrade is still recognised as a replay.
SINGLE_SENDS = ""
BATCHES = "\x1e"  # no client name or key holds a control character


def _item_key(space: str, client: str, key: str, n: int) -> str:
    # \x1f cannot occur in a key (printable ASCII) nor in an app's name: no two keys collide.
    item = f"{space}{client}\x1f{key}"
    return item if n == 0 else f"{item}\x1f{n}"


def _who(practitioner: Practitioner | None) -> dict[str, str] | None:
    if practitioner is None:
        return None
    return {"id": practitioner.national_id, "name": practitioner.display_name}


ACCEPTED_SCHEMA = {
    "type": "object",
    "required": ["id", "state", "kind", "external_id", "location"],
    "properties": {
        "id": {"type": "integer"},
        "state": {"const": "queued"},
        "kind": {"type": "string"},
        "external_id": {"type": "string", "description": "the identifier the receiver sees"},
        "location": {"type": "string"},
    },
}

_ERROR = {
    "type": ["object", "null"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "transient": {"type": "boolean"},
    },
}

ITEM_SCHEMA = {
    "type": "object",
    "required": ["id", "plugin", "kind", "state", "attempts", "external_id", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "plugin": {"type": "string"},
        "kind": {"type": "string"},
        "state": {"enum": list(ob.STATES)},
        "attempts": {"type": "integer"},
        "external_id": {"type": "string"},
        "client": {"type": ["string", "null"]},
        "request_id": {"type": ["string", "null"]},
        "patient": {"type": ["string", "null"]},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        "next_attempt_at": {"type": ["string", "null"]},
        "sent_at": {"type": ["string", "null"]},
        "last_error": _ERROR,
        "result": {},
        "payload_purged": {"type": "boolean"},
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "n": {"type": "integer"},
                    "content_type": {"type": "string"},
                    "filename": {"type": ["string", "null"]},
                    "size": {"type": "integer"},
                    "sha256": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
    },
}

ITEM_DETAIL_SCHEMA = {
    **ITEM_SCHEMA,
    "required": [*ITEM_SCHEMA["required"], "why", "history"],
    "properties": {
        **ITEM_SCHEMA["properties"],
        "why": {"type": "string", "description": "why the item is in its state, in words"},
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["action", "at", "outcome"],
                "properties": {
                    "action": {"enum": ["attempt", "retry", "cancel"]},
                    "at": {"type": "string"},
                    "duration_ms": {"type": ["number", "null"]},
                    "outcome": {"type": "string"},
                    "error": _ERROR,
                    "actor": {"type": ["string", "null"]},
                },
            },
        },
    },
}

LIST_SCHEMA = {
    "type": "object",
    "required": ["items", "next_cursor"],
    "properties": {
        "items": {"type": "array", "items": ITEM_SCHEMA},
        "next_cursor": {
            "type": ["integer", "null"],
            "description": "pass as cursor= for the next page",
        },
    },
}


def item_json(item: ob.Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "plugin": item.plugin,
        "kind": item.kind,
        "state": item.state,
        "attempts": item.attempts,
        "external_id": item.external_id,
        "client": item.client,
        "request_id": item.request_id,
        "patient": item.patient,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "next_attempt_at": iso(item.next_attempt_at) if item.state == "queued" else None,
        "sent_at": iso(item.sent_at),
        "last_error": item.last_error,
        "result": item.result,
        "payload_purged": item.payload_purged_at is not None,
        "attachments": [
            {
                "n": a.n,
                "content_type": a.content_type,
                "filename": a.filename,
                "size": a.size,
                "sha256": a.sha256,
                "url": f"/v1/outbox/{item.id}/attachments/{a.n}",
            }
            for a in item.attachments
        ],
    }


def why(
    item: ob.Item,
    history: list[dict[str, Any]],
    breaker: dict[str, Any] | None,
    unavailable: str | None = None,
) -> str:
    error = item.last_error
    last = f"{error['code']}: {error['message']}" if error else ""
    if item.state == "queued" and unavailable is not None:
        return (
            f"the {item.plugin} plugin is unavailable ({unavailable}); its sends wait here "
            f"until it starts: fix the cause and restart the daemon"
        )
    if item.state == "queued":
        if breaker and breaker["state"] != "closed":
            return (
                f"deliveries to {item.plugin} are paused after "
                f"{breaker['consecutive_failures']} consecutive transient failures; "
                f"they resume when a probe succeeds" + (f" (last error {last})" if last else "")
            )
        if not error:
            return "waiting for a free worker"
        return (
            f"attempt {item.attempts + 1} is due at {iso(item.next_attempt_at)} after "
            f"{item.attempts} failed attempt(s); last error {last}"
        )
    if item.state == "sending":
        return f"being delivered (attempt {item.attempts})"
    if item.state == "sent":
        already = bool(history) and history[-1]["outcome"] == "already_present"
        return f"delivered at {iso(item.sent_at)}" + (
            " (the receiver already had it)" if already else ""
        )
    if item.state == "failed":
        return (
            f"permanent error {last}: a human must act — fix the cause, then "
            f"POST /v1/outbox/{item.id}/retry, or DELETE /v1/outbox/{item.id}"
        )
    if item.state == "dead":
        return (
            f"gave up after {item.attempts} attempts; last error {last}; "
            f"POST /v1/outbox/{item.id}/retry to try again"
        )
    actor = next((h["actor"] for h in reversed(history) if h["action"] == "cancel"), None)
    return f"cancelled by {actor or 'a user'} at {iso(item.updated_at)}"


def _item_in_scope(call: Call) -> ob.Item:
    try:
        item = ob.get(call.app[OUTBOX].reader, call.params["id"])
    except ob.NotFound:
        raise Problem(
            404, "not-found", "No such outbox item", f"There is no outbox item {call.params['id']}."
        ) from None
    if not call.client.has_scope(item.plugin):
        raise Problem(
            403,
            "insufficient-scope",
            "Missing scope",
            f"App {call.client.name!r} lacks the {item.plugin!r} scope of this item.",
        )
    return item


async def list_items(call: Call) -> dict[str, Any]:
    p = call.params
    names = call.app[PLUGINS].names()
    visible = [n for n in names if call.client.has_scope(n)]
    if p.get("plugin"):
        if p["plugin"] not in names:
            raise Problem(
                422,
                "validation",
                "The request is not valid",
                errors=[FieldError("plugin", f"no plugin named {p['plugin']!r}")],
            )
        visible = [n for n in visible if n == p["plugin"]]
    f = ob.ItemFilter(
        state=p.get("state"),
        plugins=visible,
        patient=p.get("patient"),
        since=parse_time("from", p.get("from")),
        until=parse_time("to", p.get("to")),
        before_id=p.get("cursor"),
        limit=p.get("limit", 50),
    )
    items = ob.select(call.app[OUTBOX].reader, f)
    next_cursor = items[-1].id if len(items) == f.limit else None
    return {"items": [item_json(i) for i in items], "next_cursor": next_cursor}


async def get_item(call: Call) -> dict[str, Any]:
    item = _item_in_scope(call)
    history = ob.history(call.app[OUTBOX].reader, item.id)
    dispatcher = call.app[DELIVERIES].dispatchers.get(item.plugin)
    breaker = dispatcher.breaker.describe() if dispatcher else None
    unavailable = dispatcher.config.unavailable if dispatcher else None
    for h in history:
        h["at"] = iso(h["at"])
    explained = why(item, history, breaker, unavailable)
    return {**item_json(item), "why": explained, "history": history}


async def retry_item(call: Call) -> dict[str, Any]:
    item = _item_in_scope(call)
    done = await _transition(call, ob.retry, item)
    call.app[DELIVERIES].wake(item.plugin)
    return item_json(done)


async def cancel_item(call: Call) -> dict[str, Any]:
    item = _item_in_scope(call)
    return item_json(await _transition(call, ob.cancel, item))


async def _transition(call: Call, fn: Any, item: ob.Item) -> ob.Item:
    try:
        done = await call.app[OUTBOX].write(fn, item.id, f"app:{call.client.name}", time.time())
    except ob.OutboxConflict as exc:
        raise Problem(409, "outbox-conflict", "Not possible in this state", str(exc)) from None
    ob.publish_state(call.app[EVENTS], done)
    return done


async def get_attachment(call: Call) -> web.Response:
    item = _item_in_scope(call)
    try:
        attachment = ob.attachment_data(call.app[OUTBOX].reader, item.id, call.params["n"])
    except ob.NotFound:
        raise Problem(
            404,
            "not-found",
            "No such attachment",
            f"Outbox item {item.id} has {len(item.attachments)} attachment(s), numbered from 0.",
        ) from None
    if attachment.data is None:
        raise Problem(
            410,
            "payload-purged",
            "Attachment purged",
            f"Item {item.id} was sent; its attachments were purged after the "
            f"retention period ([outbox] payload_retention_days).",
        )
    headers = {}
    if attachment.filename:
        safe = re.sub(r"[^A-Za-z0-9._ -]", "_", attachment.filename)
        headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    return web.Response(body=attachment.data, content_type=attachment.content_type, headers=headers)


_ID = Param("id", "path", {"type": "integer", "minimum": 1}, description="outbox item id")

OUTBOX_OPERATIONS = [
    Operation(
        "GET",
        "/v1/outbox",
        "List outbox items (newest first), filtered and paged",
        list_items,
        response_schema=LIST_SCHEMA,
        tags=("outbox",),
        params=[
            Param("state", "query", {"enum": list(ob.STATES)}),
            Param("plugin", "query", {"type": "string"}),
            Param("patient", "query", {"type": "string"}, description="patient INS"),
            Param("from", "query", TIME_PARAM, description="created at or after"),
            Param("to", "query", TIME_PARAM, description="created before"),
            Param("cursor", "query", {"type": "integer", "minimum": 1}),
            Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 500}),
        ],
    ),
    Operation(
        "GET",
        "/v1/outbox/{id}",
        "One outbox item, why it is in its state, its history",
        get_item,
        response_schema=ITEM_DETAIL_SCHEMA,
        tags=("outbox",),
        params=[_ID],
    ),
    Operation(
        "POST",
        "/v1/outbox/{id}/retry",
        "Queue a failed or dead item again",
        retry_item,
        response_schema=ITEM_SCHEMA,
        tags=("outbox",),
        params=[_ID],
    ),
    Operation(
        "DELETE",
        "/v1/outbox/{id}",
        "Cancel a queued or failed item",
        cancel_item,
        response_schema=ITEM_SCHEMA,
        tags=("outbox",),
        params=[_ID],
    ),
    Operation(
        "GET",
        "/v1/outbox/{id}/attachments/{n}",
        "An attachment as sent (e.g. the PDF)",
        get_attachment,
        response_media_type="application/octet-stream",
        tags=("outbox",),
        params=[_ID, Param("n", "path", {"type": "integer", "minimum": 0})],
    ),
]


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    for operation in OUTBOX_OPERATIONS:
        register(operation)
