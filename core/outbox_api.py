"""The outbox over HTTP: ``accept`` for plugins that queue a send, and the ``/v1/outbox`` routes.

A send answers ``202 Accepted`` once it is durable; with ``?wait=`` (or the plugin's
``default_wait``) it first waits that long for the delivery's outcome, heard on the event bus,
and answers ``201`` with it when it comes in time."""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from aiguillage import outbox as ob
from aiguillage.api import BODY, FINISH, json_response, operation_of
from aiguillage.appkeys import DELIVERIES, EVENTS, OUTBOX, PLUGINS, SETTINGS
from aiguillage.events import CLOSED, Event
from aiguillage.hookspecs import Call, Operation, Param, hookimpl
from aiguillage.problems import FieldError, Problem
from aiguillage.security.practitioner import Practitioner
from aiguillage.send_wait import answers_item
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
    #: The request, and until when (monotonic) its answer may wait for the items' outcome.
    call: Call | None = field(default=None, repr=False)
    deadline: float = 0.0

    def response(self, answer: dict[str, Any], location: str) -> web.Response:
        """The ``202 Accepted`` answer: ``answer`` as the body, ``Location``, and
        ``Idempotent-Replayed: true`` on a replay. When the request waits (``?wait=``), the
        API turns it into ``201`` with the items' outcome if every one ends in time."""
        headers = {"Location": location}
        if self.replayed:
            headers["Idempotent-Replayed"] = "true"
        if self.call is not None and self.deadline > time.monotonic():
            self.call.request[FINISH] = functools.partial(self._settle, answer, headers)
        return json_response(answer, status=202, headers=headers)

    async def _settle(
        self, answer: dict[str, Any], headers: dict[str, str], accepted: web.StreamResponse
    ) -> web.StreamResponse:
        assert self.call is not None
        items = await outcome(self.call.app, [i.id for i in self.items], self.deadline)
        if items is None:
            return accepted
        op = operation_of(self.call.request)
        if op is not None and answers_item(op):
            body = {**item_json(items[0]), "location": headers["Location"]}
        else:
            body = {**answer, "outbox": [item_json(i) for i in items]}
        return json_response(body, status=201, headers=headers)


#: States an item leaves only by a human's retry: the outcome a waiting send answers with.
ENDED = frozenset({"sent", "failed", "dead", "cancelled"})


async def outcome(app: web.Application, ids: list[int], deadline: float) -> list[ob.Item] | None:
    """The items, once every one has ``ENDED``; ``None`` if one has not by ``deadline``
    (monotonic). Listens to the items' state events rather than polling; the deliveries go on
    whatever happens to the waiting request (a client that goes away cancels only the wait)."""
    pending = set(ids)
    ended = asyncio.Event()

    def heard(event: Event) -> None:
        if event.type == CLOSED:  # the daemon stops: answer what is known now
            ended.set()
            return
        if event.type != "outbox.item" or event.data.get("state") not in ENDED:
            return
        pending.discard(event.data.get("id"))
        if not pending:
            ended.set()

    stop = app[EVENTS].listen(heard)
    try:
        # Read once listening: an end reached before is in the database, one after is heard.
        states = ob.states(app[OUTBOX].reader, ids)
        pending.difference_update(i for i, (state, _) in states.items() if state in ENDED)
        if pending:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                await ended.wait()
    except TimeoutError:
        return None
    finally:
        stop()
    items = [ob.get(app[OUTBOX].reader, i) for i in ids]
    # A human may have retried one in the meantime: then its outcome is not known after all.
    return items if all(i.state in ENDED for i in items) else None


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
    return Accepted(items, replayed, call, time.monotonic() + _wait(call, plugin))


def _wait(call: Call, plugin: str) -> float:
    """How long the request may wait for its sends' outcome: ``?wait=``, else the plugin's
    ``default_wait``; nothing when no delivery can happen meanwhile."""
    dispatcher = call.app[DELIVERIES].dispatchers.get(plugin)
    if dispatcher is None or dispatcher.config.unavailable is not None:
        return 0.0
    wait = call.params.get("wait")
    if wait is None:
        return call.app[SETTINGS].outbox.policy(plugin).default_wait
    return float(wait)


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


#: The media types attachments have today; a plugin may attach others, sent as they are.
ATTACHMENT_MEDIA_TYPES = ("text/xml", "application/pdf", "application/octet-stream")

_DATE_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}

OUTBOX_STATE_SCHEMA: dict[str, Any] = {
    "title": "OutboxState",
    "type": "string",
    "enum": list(ob.STATES),
    "description": "Where an outbox item is: `queued` (waiting for its next attempt), `sending` "
    "(an attempt is under way), `sent` (the receiver has it), `failed` (a permanent error: a "
    "human must retry or cancel it), `dead` (gave up after its last attempt), `cancelled`.",
}

DELIVERY_ERROR_SCHEMA: dict[str, Any] = {
    "title": "DeliveryError",
    "type": "object",
    "description": "Why a delivery attempt failed.",
    "required": ["code", "message", "transient"],
    "properties": {
        "code": {
            "type": "string",
            "description": "the receiver's error code (`XDSRegistryError`, `http-503`…) or the "
            "daemon's (`timeout`, `interrupted`…)",
        },
        "message": {"type": "string", "description": "what went wrong, in words"},
        "transient": {
            "type": "boolean",
            "description": "`true`: the outbox tries again later; `false`: a human must act",
        },
    },
}

ACCEPTED_SCHEMA: dict[str, Any] = {
    "title": "Accepted",
    "type": "object",
    "description": "A send queued in the outbox, durably: follow it at `location`.",
    "required": ["id", "state", "kind", "external_id", "location"],
    "properties": {
        "id": {"type": "integer", "minimum": 1, "description": "the outbox item's id"},
        "state": {
            "type": "string",
            "const": "queued",
            "description": "always `queued` in this answer; the item's state changes later",
        },
        "kind": {"type": "string", "description": "what is sent, e.g. `dmp.document`"},
        "external_id": {
            "type": "string",
            "description": "the identifier the receiver sees (an XDS uniqueId, a Message-ID), "
            "fixed now",
        },
        "location": {
            "type": "string",
            "format": "uri-reference",
            "description": "the outbox item, `/v1/outbox/{id}` (also the `Location` header)",
        },
    },
}

_ATTACHMENT_SCHEMA: dict[str, Any] = {
    "title": "OutboxAttachment",
    "type": "object",
    "description": "A file an outbox item sends (the CDA of a DMP send…).",
    "required": ["n", "content_type", "filename", "size", "sha256", "url"],
    "properties": {
        "n": {"type": "integer", "minimum": 0, "description": "its number in the item, from 0"},
        "content_type": {
            "type": "string",
            "description": "its media type (`text/xml`, `application/pdf`…), which `url` answers "
            "with",
        },
        "filename": {"type": ["string", "null"], "description": "its file name, if it has one"},
        "size": {"type": "integer", "minimum": 0, "description": "its size in bytes"},
        "sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "the SHA-256 of its bytes, in hexadecimal",
        },
        "url": {
            "type": "string",
            "format": "uri-reference",
            "description": "where to read it: `/v1/outbox/{id}/attachments/{n}` (410 once purged)",
        },
    },
}

_RESULT_SCHEMA: dict[str, Any] = {
    "title": "DeliveryResult",
    "type": "object",
    "description": "What the receiver answered, as the delivering plugin reports it (a DMP "
    "send's `entry_uuid`…).",
    "properties": {
        "already_present": {
            "type": "boolean",
            "description": "the receiver already had the item (an earlier attempt reached it): "
            "a success",
        }
    },
    "additionalProperties": True,
}

ITEM_SCHEMA: dict[str, Any] = {
    "title": "OutboxItem",
    "type": "object",
    "description": "A send the daemon delivers for a plugin, and where it is.",
    "required": [
        "id",
        "plugin",
        "kind",
        "state",
        "attempts",
        "external_id",
        "client",
        "request_id",
        "patient",
        "created_at",
        "updated_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "result",
        "payload_purged",
        "attachments",
    ],
    "properties": {
        "id": {"type": "integer", "minimum": 1, "description": "the item's id"},
        "plugin": {"type": "string", "description": "the plugin that delivers it"},
        "kind": {"type": "string", "description": "what is sent, e.g. `dmp.document`"},
        "state": OUTBOX_STATE_SCHEMA,
        "attempts": {
            "type": "integer",
            "minimum": 0,
            "description": "delivery attempts since it was queued (or last retried)",
        },
        "external_id": {
            "type": "string",
            "description": "the identifier the receiver sees (an XDS uniqueId, a Message-ID)",
        },
        "client": {"type": ["string", "null"], "description": "the app that queued it"},
        "request_id": {
            "type": ["string", "null"],
            "description": "the X-Request-Id of the request that queued it",
        },
        "patient": {
            "type": ["string", "null"],
            "description": "the INS (matricule) of the patient the send is about",
        },
        "created_at": {**_DATE_TIME, "description": "when it was queued"},
        "updated_at": {**_DATE_TIME, "description": "when its state last changed"},
        "next_attempt_at": {
            **_NULLABLE_DATE_TIME,
            "description": "when its next attempt is due; `null` unless `queued`",
        },
        "sent_at": {**_NULLABLE_DATE_TIME, "description": "when the receiver took it"},
        "last_error": {
            "anyOf": [DELIVERY_ERROR_SCHEMA, {"type": "null"}],
            "description": "why the last attempt failed; `null` if none did",
        },
        "result": {
            "anyOf": [_RESULT_SCHEMA, {"type": "null"}],
            "description": "what the receiver answered; `null` until `sent`",
        },
        "payload_purged": {
            "type": "boolean",
            "description": "its payload and attachments were purged after the retention period "
            "(`[outbox] payload_retention_days`); the metadata stays",
        },
        "attachments": {
            "type": "array",
            "items": _ATTACHMENT_SCHEMA,
            "description": "the files it sends, in order",
        },
    },
}

_HISTORY_SCHEMA: dict[str, Any] = {
    "title": "OutboxHistoryEntry",
    "type": "object",
    "description": "One thing that happened to an outbox item: an attempt, a retry, a cancel.",
    "required": ["action", "at", "duration_ms", "outcome", "error", "actor"],
    "properties": {
        "action": {
            "type": "string",
            "enum": ["attempt", "retry", "cancel"],
            "description": "a delivery attempt, or a user's retry or cancel",
        },
        "at": {**_DATE_TIME, "description": "when it started"},
        "duration_ms": {
            "type": ["number", "null"],
            "minimum": 0,
            "description": "how long an attempt took; `null` for a retry, a cancel or an "
            "attempt the daemon's stop interrupted",
        },
        "outcome": {
            "type": "string",
            "enum": [
                "sent",
                "already_present",
                "transient_error",
                "permanent_error",
                "interrupted",
                "queued",
                "cancelled",
            ],
            "description": "an attempt's outcome (`sent`, `already_present`: the receiver had "
            "it, `transient_error`, `permanent_error`, `interrupted`: the daemon stopped "
            "during it), or the state a retry (`queued`) or a cancel (`cancelled`) left",
        },
        "error": {
            "anyOf": [DELIVERY_ERROR_SCHEMA, {"type": "null"}],
            "description": "why the attempt failed; `null` if it did not",
        },
        "actor": {
            "type": ["string", "null"],
            "description": "who retried or cancelled (`app:<name>`, `cli:<user>`); `null` for "
            "an attempt",
        },
    },
}

OUTCOME_SCHEMA: dict[str, Any] = {
    "title": "SendOutcome",
    "description": "A send whose delivery ended within `wait`: its outbox item, `sent` (with "
    "the receiver's `result`), `failed` (refused for good: a human must act, `last_error` says "
    "why) or `dead` (gave up after its attempts), or `cancelled`; `location` is the item.",
    "allOf": [
        ITEM_SCHEMA,
        {
            "type": "object",
            "required": ["location"],
            "properties": {
                "location": {
                    "type": "string",
                    "format": "uri-reference",
                    "description": "the outbox item, `/v1/outbox/{id}` (also the `Location` "
                    "header)",
                }
            },
        },
    ],
}

ITEM_DETAIL_SCHEMA: dict[str, Any] = {
    "title": "OutboxItemDetail",
    "description": "An outbox item, why it is in its state and everything that happened to it.",
    "allOf": [
        ITEM_SCHEMA,
        {
            "type": "object",
            "required": ["why", "history"],
            "properties": {
                "why": {
                    "type": "string",
                    "description": "why the item is in its state, in words: the next attempt "
                    "and the last error, a paused circuit breaker, what a human must do…",
                },
                "history": {
                    "type": "array",
                    "items": _HISTORY_SCHEMA,
                    "description": "every attempt, retry and cancel, oldest first",
                },
            },
        },
    ],
}

LIST_SCHEMA: dict[str, Any] = {
    "title": "OutboxList",
    "type": "object",
    "description": "A page of outbox items, newest first.",
    "required": ["items", "next_cursor"],
    "properties": {
        "items": {"type": "array", "items": ITEM_SCHEMA, "description": "the items of the page"},
        "next_cursor": {
            "type": ["integer", "null"],
            "description": "pass as `cursor` for the next page; `null` on the last one",
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


_ID = Param(
    "id",
    "path",
    {"type": "integer", "minimum": 1, "examples": [42]},
    description="the outbox item's id",
)

#: The examples below: a PDF sent to NESSI RUTH's DMP (a published INSi test identity).
_ITEM_EXAMPLE: dict[str, Any] = {
    "id": 42,
    "plugin": "dmp",
    "kind": "dmp.document",
    "state": "sent",
    "attempts": 1,
    "external_id": "2.25.87702065079632945140677260122843742920",
    "client": "ehr",
    "request_id": "ehr-4f1c2a",
    "patient": "277076322082910",
    "created_at": "2026-12-02T15:07:37.123+00:00",
    "updated_at": "2026-12-02T15:07:38.502+00:00",
    "next_attempt_at": None,
    "sent_at": "2026-12-02T15:07:38.502+00:00",
    "last_error": None,
    "result": {"already_present": False},
    "payload_purged": False,
    "attachments": [
        {
            "n": 0,
            "content_type": "text/xml",
            "filename": "document.xml",
            "size": 18342,
            "sha256": "9f2c4c1b2a6e0d8e4f7a3b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "url": "/v1/outbox/42/attachments/0",
        }
    ],
}
#: A send's ``201`` once sent (``?wait=``).
OUTCOME_EXAMPLE: dict[str, Any] = {**_ITEM_EXAMPLE, "location": "/v1/outbox/42"}
_FAILED_EXAMPLE: dict[str, Any] = {
    **_ITEM_EXAMPLE,
    "id": 43,
    "state": "failed",
    "updated_at": "2026-12-02T15:09:12.040+00:00",
    "sent_at": None,
    "result": None,
    "last_error": {
        "code": "XDSRegistryMetadataError",
        "message": "the DMP refused the document's metadata: classCode unknown",
        "transient": False,
    },
    "attachments": [{**_ITEM_EXAMPLE["attachments"][0], "url": "/v1/outbox/43/attachments/0"}],
}
_QUEUED_EXAMPLE: dict[str, Any] = {
    **_FAILED_EXAMPLE,
    "state": "queued",
    "attempts": 0,
    "updated_at": "2026-12-02T15:21:05.310+00:00",
    "next_attempt_at": "2026-12-02T15:21:05.310+00:00",
}
_CANCELLED_EXAMPLE: dict[str, Any] = {
    **_FAILED_EXAMPLE,
    "state": "cancelled",
    "updated_at": "2026-12-02T15:22:47.918+00:00",
}
_DETAIL_EXAMPLE: dict[str, Any] = {
    **_ITEM_EXAMPLE,
    "why": "delivered at 2026-12-02T15:07:38.502+00:00",
    "history": [
        {
            "action": "attempt",
            "at": "2026-12-02T15:07:37.140+00:00",
            "duration_ms": 1362.4,
            "outcome": "sent",
            "error": None,
            "actor": None,
        }
    ],
}

_NOT_FOUND = {404: ("not-found",)}
_CONFLICT = {404: ("not-found",), 409: ("outbox-conflict",)}

OUTBOX_OPERATIONS = [
    Operation(
        "GET",
        "/v1/outbox",
        "List outbox items (newest first), filtered and paged",
        list_items,
        operation_id="listOutboxItems",
        description="""The outbox items of the plugins the app has the scope of, newest first,
`limit` a page (50 unless said). Pass `next_cursor` back as `cursor` for the next page; it is
`null` on the last one. `from` and `to` bound when the items were queued (a date alone is its
midnight UTC). An unknown `plugin` is a 422.""",
        response_schema=LIST_SCHEMA,
        response_examples={"a page": {"items": [_ITEM_EXAMPLE], "next_cursor": None}},
        tags=("outbox",),
        params=[
            Param("state", "query", OUTBOX_STATE_SCHEMA, description="only items in this state"),
            Param(
                "plugin",
                "query",
                {"type": "string"},
                description="only the items this plugin delivers",
            ),
            Param("patient", "query", {"type": "string"}, description="only this patient's (INS)"),
            Param("from", "query", TIME_PARAM, description="queued at or after"),
            Param("to", "query", TIME_PARAM, description="queued before"),
            Param(
                "cursor",
                "query",
                {"type": "integer", "minimum": 1},
                description="the `next_cursor` of the previous page",
            ),
            Param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 500},
                description="items per page (default 50)",
            ),
        ],
    ),
    Operation(
        "GET",
        "/v1/outbox/{id}",
        "One outbox item, why it is in its state, its history",
        get_item,
        operation_id="getOutboxItem",
        description="""The item, with `why` (its state in words: when the next attempt is due
and the last error, a paused circuit breaker, a plugin that did not start, what a human must
do) and `history` (every attempt with its start, duration, outcome and error; every retry and
cancel, and by whom). Poll it after a `202 Accepted` until `sent`, `failed` or `dead`, or
follow `outbox.item` on `GET /v1/events`.""",
        response_schema=ITEM_DETAIL_SCHEMA,
        response_examples={"sent": _DETAIL_EXAMPLE},
        errors=_NOT_FOUND,
        tags=("outbox",),
        params=[_ID],
    ),
    Operation(
        "POST",
        "/v1/outbox/{id}/retry",
        "Queue a failed or dead item again",
        retry_item,
        operation_id="retryOutboxItem",
        description="""A `failed` or `dead` item goes back to `queued` with a fresh budget of
attempts, due now; its history keeps the earlier ones. Fix the cause first (`last_error`
says it). An item in any other state is a 409 `outbox-conflict`.""",
        response_schema=ITEM_SCHEMA,
        response_examples={"queued again": _QUEUED_EXAMPLE},
        errors=_CONFLICT,
        tags=("outbox",),
        params=[_ID],
    ),
    Operation(
        "DELETE",
        "/v1/outbox/{id}",
        "Cancel a queued or failed item",
        cancel_item,
        operation_id="cancelOutboxItem",
        description="""A `queued` or `failed` item is `cancelled`: it will not be sent. An item
being sent, sent, dead or already cancelled is a 409 `outbox-conflict`. The item stays listed,
with who cancelled it in its history.""",
        response_schema=ITEM_SCHEMA,
        response_examples={"cancelled": _CANCELLED_EXAMPLE},
        errors=_CONFLICT,
        tags=("outbox",),
        params=[_ID],
    ),
    Operation(
        "GET",
        "/v1/outbox/{id}/attachments/{n}",
        "An attachment as sent (e.g. the CDA)",
        get_attachment,
        operation_id="getOutboxAttachment",
        description="""The bytes of the item's attachment `n` (from 0) as they are sent, with
the attachment's own media type (its `content_type` in the item: `text/xml` for the CDA of a
DMP send, `application/pdf`…) and, when it has a file name, `Content-Disposition`. Once the
item is sent and its payload purged (`payload_purged`), a 410 `payload-purged`.""",
        response_media_type=ATTACHMENT_MEDIA_TYPES,
        response_headers=("Content-Disposition",),
        errors={404: ("not-found",), 410: ("payload-purged",)},
        tags=("outbox",),
        params=[
            _ID,
            Param(
                "n",
                "path",
                {"type": "integer", "minimum": 0, "examples": [0]},
                description="the attachment's number in the item, from 0",
            ),
        ],
    ),
]


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    for operation in OUTBOX_OPERATIONS:
        register(operation)
