"""What ``?wait=`` adds to every operation that queues a send: the parameter and the ``201``
answer, declared once here for all of them (the API's validation and its OpenAPI document both
read them). The wait itself is in ``outbox_api``, where sends are accepted.

A send operation is one that takes an ``Idempotency-Key`` and answers ``202 Accepted``: the
operations built on ``accept`` and ``accept_many``."""

from __future__ import annotations

import copy
from typing import Any

from aiguillage.config import MAX_WAIT_SECONDS
from aiguillage.hookspecs import Operation, Param

WAIT_PARAM = Param(
    "wait",
    "query",
    {"type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS, "examples": [20]},
    description=f"seconds to wait for the delivery's outcome, 0 to {MAX_WAIT_SECONDS:g}: `201` "
    "with it when it comes in time (sent, or refused for good), else `202` as without it; "
    "absent: the plugin's `default_wait` (`[outbox.<plugin>]`, 0 unless configured: in the "
    "background)",
)

#: The title of the single send's ``202`` body (``accept``): its ``201`` is :data:`OUTCOME`.
ACCEPTED_TITLE = "Accepted"
#: The title of a single send's ``201`` body.
OUTCOME = "SendOutcome"


def is_send(op: Operation) -> bool:
    """Whether ``op`` queues sends, and so takes ``wait``."""
    return op.response_status == 202 and "Idempotency-Key" in op.request_headers


def send_params(op: Operation) -> list[Param]:
    """``op``'s parameters, ``wait`` included when it queues sends."""
    if not is_send(op) or any(p.name == WAIT_PARAM.name for p in op.params):
        return list(op.params)
    return [*op.params, WAIT_PARAM]


def answers_item(op: Operation) -> bool:
    """Whether ``op``'s ``201`` is the outbox item itself (its ``202`` is ``Accepted``: one
    send); otherwise it is its ``202`` body with ``outbox``, the items (a batch)."""
    return (op.response_schema or {}).get("title") == ACCEPTED_TITLE


def created_schema(op: Operation) -> dict[str, Any]:
    """The schema of ``op``'s ``201`` answer."""
    # Imported here: the outbox's schemas live with its routes, whose module needs the API
    # module, which needs this one.
    from aiguillage.outbox_api import ITEM_SCHEMA, OUTCOME_SCHEMA

    if answers_item(op):
        return OUTCOME_SCHEMA
    base = copy.deepcopy(op.response_schema or {"type": "object"})
    title = base.get("title")
    if isinstance(title, str):
        base["title"] = title.removesuffix("Accepted") + "Outcome"
    base["description"] = (
        f"{base.get('description', '')} Every item's delivery ended within `wait`: `outbox` "
        "has them, in their final states."
    ).strip()
    base["required"] = [*base.get("required", []), "outbox"]
    base.setdefault("properties", {})["outbox"] = {
        "type": "array",
        "items": ITEM_SCHEMA,
        "description": "the outbox items queued, in the order of the request: `sent` (with "
        "the receiver's `result`), `failed` or `dead` (with `last_error`), or `cancelled`",
    }
    return base


def created_examples(op: Operation) -> dict[str, Any]:
    """Examples of ``op``'s ``201``, from its ``202`` ones: each as delivered."""
    from aiguillage.outbox_api import OUTCOME_EXAMPLE

    examples = {}
    for name, accepted in (op.response_examples or {"queued": {}}).items():
        if answers_item(op):
            item_id = accepted.get("id", OUTCOME_EXAMPLE["id"])
            examples[f"{name}, then sent"] = {
                **OUTCOME_EXAMPLE,
                **{k: v for k, v in accepted.items() if k in ("kind", "external_id")},
                "id": item_id,
                "plugin": op.plugin,
                "attachments": [],
                "location": f"/v1/outbox/{item_id}",
            }
        else:
            item = {**OUTCOME_EXAMPLE, "plugin": op.plugin, "attachments": []}
            item.pop("location")
            examples[f"{name}, then sent"] = {**accepted, "outbox": [item]}
    return examples


CREATED_SUMMARY = (
    "The delivery's outcome came within `wait`: sent, or failed for good (`state` says which)"
)
