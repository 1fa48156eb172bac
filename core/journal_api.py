"""The journal over HTTP: EHRs record identity actions; admins and auditors read and export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from aiohttp import web

from aiguillage import journal as jr
from aiguillage.appkeys import JOURNAL
from aiguillage.hookspecs import Call, Operation, Param, hookimpl
from aiguillage.shapes import INS_SCHEMA, PARTIAL_TRAITS_SCHEMA
from aiguillage.times import TIME_PARAM, parse_time

JOURNAL_SCOPE = "journal"

#: Identity actions an EHR performs and must trace (Ségur "traces" of INS handling).
EHR_EVENTS = (
    "ins.view",
    "ins.identity_created",
    "ins.identity_changed",
    "ins.identity_qualified",
    "ins.identity_merged",
    "ins.identity_deleted",
)

RECORD_SCHEMA = {
    "type": "object",
    "required": ["event", "summary"],
    "additionalProperties": False,
    "properties": {
        "event": {"enum": list(EHR_EVENTS)},
        "summary": {"type": "string", "minLength": 1, "maxLength": 500},
        "outcome": {"type": "string", "maxLength": 50, "default": "ok"},
        "patient": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"ins": INS_SCHEMA, "traits": PARTIAL_TRAITS_SCHEMA},
        },
        "practitioner": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "maxLength": 30},
                "name": {"type": "string", "maxLength": 200},
            },
        },
        "before": {"type": "object", "description": "identity traits before a change"},
        "after": {"type": "object", "description": "identity traits after a change"},
    },
}

ROW_SCHEMA = {
    "type": "object",
    "required": ["seq", "time", "event", "outcome", "summary", "hash"],
    "properties": {
        "seq": {"type": "integer"},
        "time": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
        "client": {"type": ["string", "null"]},
        "practitioner_id": {"type": ["string", "null"]},
        "practitioner_name": {"type": ["string", "null"]},
        "patient_ins": {"type": ["string", "null"]},
        "patient_name": {"type": ["string", "null"]},
        "event": {"type": "string"},
        "outcome": {"type": "string"},
        "summary": {"type": "string"},
        "request": {"type": ["string", "null"]},
        "response": {"type": ["string", "null"]},
        "hash": {"type": "string"},
    },
}


def patient_name(traits: dict[str, Any]) -> str | None:
    names = [traits.get("birth_name"), " ".join(traits.get("first_names", [])) or None]
    return " ".join(n for n in names if n) or None


async def record(call: Call) -> web.Response:
    body = call.body
    patient = body.get("patient", {})
    practitioner = body.get("practitioner", {})
    details = {k: body[k] for k in ("before", "after") if k in body}
    if patient:
        details["patient"] = patient
    row = await call.app[JOURNAL].record(
        jr.Entry(
            event=body["event"],
            summary=body["summary"],
            outcome=body.get("outcome", "ok"),
            request_id=call.request_id,
            client=call.client.name,
            practitioner_id=practitioner.get("id"),
            practitioner_name=practitioner.get("name"),
            patient_ins=patient.get("ins", {}).get("matricule"),
            patient_name=patient_name(patient.get("traits", {})),
            request=details or None,
        )
    )
    return web.json_response(
        {"seq": row["seq"], "time": row["time"], "hash": row["hash"]}, status=201
    )


def _filter(call: Call, limit: int | None) -> jr.JournalFilter:
    p = call.params
    return jr.JournalFilter(
        since=_iso_param("from", p.get("from")),
        until=_iso_param("to", p.get("to")),
        event=p.get("event"),
        patient=p.get("patient"),
        outcome=p.get("outcome"),
        before_seq=p.get("cursor"),
        limit=limit,
        ascending=limit is None,
    )


def _iso_param(name: str, text: str | None) -> str | None:
    timestamp = parse_time(name, text)
    return None if timestamp is None else jr.iso(timestamp)


async def list_rows(call: Call) -> dict[str, Any]:
    limit = call.params.get("limit", 50)
    rows = list(jr.select(call.app[JOURNAL].reader, _filter(call, limit)))
    return {"rows": rows, "next_cursor": rows[-1]["seq"] if len(rows) == limit else None}


async def export(call: Call) -> web.Response:
    rows = jr.select(call.app[JOURNAL].reader, _filter(call, None))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    if call.params.get("format", "csv") == "xlsx":
        body, media, ext = jr.export_xlsx(rows), XLSX, "xlsx"
    else:
        body, media, ext = jr.export_csv(rows), "text/csv", "csv"
    return web.Response(
        body=body,
        content_type=media,
        charset="utf-8" if ext == "csv" else None,
        headers={"Content-Disposition": f'attachment; filename="aiguillage-journal-{stamp}.{ext}"'},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FILTERS = [
    Param("from", "query", TIME_PARAM, description="rows at or after"),
    Param("to", "query", TIME_PARAM, description="rows before"),
    Param(
        "event",
        "query",
        {"type": "string", "maxLength": 100},
        description="an event type, or a prefix such as 'ins'",
    ),
    Param(
        "patient",
        "query",
        {"type": "string", "minLength": 2, "maxLength": 100},
        description="an INS, or part of a patient's names",
    ),
    Param("outcome", "query", {"type": "string", "maxLength": 100}),
]

JOURNAL_OPERATIONS = [
    Operation(
        "POST",
        "/v1/journal",
        "Record an identity action the EHR performed",
        record,
        request_schema=RECORD_SCHEMA,
        response_status=201,
        tags=("journal",),
        response_schema={"type": "object", "required": ["seq", "time", "hash"]},
    ),
    Operation(
        "GET",
        "/v1/journal",
        "Read the journal (newest first), filtered and paged",
        list_rows,
        scope=JOURNAL_SCOPE,
        tags=("journal",),
        params=[
            *_FILTERS,
            Param("cursor", "query", {"type": "integer", "minimum": 1}),
            Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 1000}),
        ],
        response_schema={
            "type": "object",
            "required": ["rows", "next_cursor"],
            "properties": {
                "rows": {"type": "array", "items": ROW_SCHEMA},
                "next_cursor": {"type": ["integer", "null"]},
            },
        },
    ),
    Operation(
        "GET",
        "/v1/journal/export",
        "Export the journal as CSV or XLSX",
        export,
        scope=JOURNAL_SCOPE,
        tags=("journal",),
        response_media_type="text/csv",
        params=[*_FILTERS, Param("format", "query", {"enum": ["csv", "xlsx"]})],
    ),
]


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    for operation in JOURNAL_OPERATIONS:
        register(operation)
