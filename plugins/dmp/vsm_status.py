"""``GET /v1/dmp/patients/{ins}/vsm``: when the patient's VSM was last sent, read from the
outbox (the VSMs queued for the patient, their states) and the journal (which documents were
VSMs once the outbox has purged their payload), without calling the DMP."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

from aiguillage.plugin import MATRICULE, Call, Item, JournalFilter, Operation, Param, iso

from .documents import KIND

#: The wall clock the labels are computed against; a name of its own so tests can move it.
clock: Callable[[], float] = time.time

LABELS = {
    "sent_less_than_a_year": "VSM envoyé il y a moins d'un an",
    "sent_more_than_a_year": "VSM envoyé il y a plus d'un an : à mettre à jour",
    "never": "Aucun VSM envoyé",
}
#: Outbox items read per page while looking for the patient's VSMs.
PAGE = 200

_SEND: dict[str, Any] = {
    "title": "VsmSend",
    "type": "object",
    "description": "A VSM queued for the patient: its outbox item and where it stands.",
    "required": ["outbox_id", "state", "unique_id", "queued_at", "sent_at"],
    "properties": {
        "outbox_id": {"type": "integer", "description": "its outbox item (`/v1/outbox/{id}`)"},
        "state": {
            "type": "string",
            "description": "the item's outbox state (`OutboxState`: `queued`, `sending`, "
            "`sent`, `failed`, `dead`, `cancelled`)",
        },
        "unique_id": {"type": "string", "description": "the document's uniqueId"},
        "queued_at": {
            "type": "string",
            "format": "date-time",
            "description": "when the EHR asked for it",
        },
        "sent_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "when the DMP took it (`null` until it did)",
        },
    },
}
VSM_STATUS_ANSWER: dict[str, Any] = {
    "title": "VsmStatus",
    "type": "object",
    "description": "When the patient's VSM was last sent to the DMP.",
    "required": ["patient", "status", "label", "last_sent", "last"],
    "properties": {
        "patient": {"type": "string", "description": "the patient's INS"},
        "status": {
            "type": "string",
            "enum": list(LABELS),
            "description": "`sent_less_than_a_year`: the last VSM the DMP took was sent less "
            "than a year ago (same date next year not reached); `sent_more_than_a_year`; "
            "`never`: the DMP never took one from this daemon",
        },
        "label": {"type": "string", "description": "the status in French, for the screen"},
        "last_sent": {
            "anyOf": [_SEND, {"type": "null"}],
            "description": "the last VSM the DMP took; `null`: none",
        },
        "last": {
            "anyOf": [_SEND, {"type": "null"}],
            "description": "the last VSM queued, whatever its state (one still queued, or "
            "failed, shows here before `last_sent`); `null`: none",
        },
    },
}


def a_year_after(timestamp: float) -> float:
    """The same instant one calendar year later (29 February → 1 March)."""
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    try:
        later = moment.replace(year=moment.year + 1)
    except ValueError:
        later = moment.replace(year=moment.year + 1, month=3, day=1)
    return later.timestamp()


def _format_of(payload: dict[str, Any] | None) -> str | None:
    document = (payload or {}).get("document")
    return document.get("format") if isinstance(document, dict) else None


def _journaled_vsms(call: Call, ins: str) -> set[str]:
    """The uniqueIds of the patient's documents the journal shows sent as VSMs: the payload
    of a sent item is in its ``dmp.document.sent`` row after the outbox purged it."""
    assert call.daemon is not None
    found = set()
    for row in call.daemon.journal_rows(
        JournalFilter(event=f"{KIND}.sent", patient=ins, limit=None)
    ):
        try:
            payload = json.loads(row["request"] or "null")
        except ValueError:  # capped at the journal's size limit: not a VSM's small payload
            continue
        if isinstance(payload, dict) and _format_of(payload) == "vsm":
            found.add((payload.get("ids") or {}).get("document"))
    return found


def _send(item: Item) -> dict[str, Any]:
    return {
        "outbox_id": item.id,
        "state": item.state,
        "unique_id": item.external_id,
        "queued_at": iso(item.created_at),
        "sent_at": iso(item.sent_at) if item.sent_at is not None else None,
    }


async def vsm_status(call: Call) -> dict[str, Any]:
    assert call.daemon is not None
    ins = call.params["ins"]
    journaled: set[str] | None = None
    last = last_sent = None
    before = None
    while last_sent is None:
        items = call.daemon.patient_items("dmp", ins, before_id=before, limit=PAGE)
        for item in items:
            if item.kind != KIND:
                continue
            if item.payload is None:
                if journaled is None:
                    journaled = _journaled_vsms(call, ins)
                is_vsm = item.external_id in journaled
            else:
                is_vsm = _format_of(item.payload) == "vsm"
            if not is_vsm:
                continue
            last = last or item
            if item.state == "sent":
                last_sent = item
                break
        if len(items) < PAGE:
            break
        before = items[-1].id
    if last_sent is None or last_sent.sent_at is None:
        status = "never"
    elif clock() < a_year_after(last_sent.sent_at):
        status = "sent_less_than_a_year"
    else:
        status = "sent_more_than_a_year"
    return {
        "patient": ins,
        "status": status,
        "label": LABELS[status],
        "last_sent": _send(last_sent) if last_sent else None,
        "last": _send(last) if last else None,
    }


_EXAMPLE_SEND = {
    "outbox_id": 42,
    "state": "sent",
    "unique_id": "2.25.87702065079632945140677260122843742920",
    "queued_at": "2026-03-02T09:12:40.118000+00:00",
    "sent_at": "2026-03-02T09:12:41.503000+00:00",
}

OPERATION = Operation(
    "GET",
    "/v1/dmp/patients/{ins}/vsm",
    "When the patient's VSM was last sent (from the outbox, no DMP call)",
    vsm_status,
    scope="dmp",
    operation_id="getDmpVsmStatus",
    description="""When the patient's VSM (volet de synthèse médicale) was last sent to the
DMP by this daemon, for the EHR to show it: `status` is `sent_less_than_a_year`,
`sent_more_than_a_year` (one calendar year: the same date a year later) or `never`, with a
French `label`; `last_sent` is the last VSM the DMP took (outbox id, uniqueId, when queued and
sent) and `last` the last one queued, whatever its state (still queued, failed…).

Read from the outbox (every `dmp.document` item of the patient whose document is a VSM, built by
the daemon or the EHR's own) and, for items whose payload the outbox has purged, from their
`dmp.document.sent` journal rows: the DMP is not called, and a VSM another software sent is not
known.""",
    response_schema=VSM_STATUS_ANSWER,
    response_examples={
        "sent this year": {
            "patient": "277076322082910",
            "status": "sent_less_than_a_year",
            "label": LABELS["sent_less_than_a_year"],
            "last_sent": _EXAMPLE_SEND,
            "last": _EXAMPLE_SEND,
        },
        "never": {
            "patient": "277076322082910",
            "status": "never",
            "label": LABELS["never"],
            "last_sent": None,
            "last": None,
        },
    },
    params=[Param("ins", "path", MATRICULE, description="the patient's INS (NIR or NIA)")],
    # Nothing but a malformed INS can go wrong: no service is called.
    errors={422: ("validation",)},
)
