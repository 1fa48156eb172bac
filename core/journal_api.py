"""The journal over HTTP: EHRs record identity actions; admins and auditors read and export."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from aiguillage import checkpoints
from aiguillage import journal as jr
from aiguillage.appkeys import JOURNAL, SETTINGS
from aiguillage.hookspecs import Call, Operation, Param, hookimpl
from aiguillage.journal_check import ChainCheck
from aiguillage.shapes import INS_SCHEMA, PARTIAL_TRAITS_SCHEMA
from aiguillage.times import TIME_PARAM, parse_time
from aiguillage.writer import connect

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

_NULLABLE_TEXT = {"type": ["string", "null"]}

RECORD_SCHEMA: dict[str, Any] = {
    "title": "JournalEntry",
    "type": "object",
    "description": "An identity action the EHR performed, for the journal.",
    "required": ["event", "summary"],
    "additionalProperties": False,
    "properties": {
        "event": {
            "type": "string",
            "enum": list(EHR_EVENTS),
            "description": "what the EHR did with an identity (Ségur INS traces)",
        },
        "summary": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "what happened, in words",
        },
        "outcome": {
            "type": "string",
            "maxLength": 50,
            "default": "ok",
            "description": "how it ended: `ok` unless said",
        },
        "patient": {
            "title": "JournalPatient",
            "type": "object",
            "description": "The patient concerned: the INS and the traits, as far as known.",
            "additionalProperties": False,
            "properties": {"ins": INS_SCHEMA, "traits": PARTIAL_TRAITS_SCHEMA},
        },
        "practitioner": {
            "title": "JournalPractitioner",
            "type": "object",
            "description": "Who acted, as the EHR knows them.",
            "additionalProperties": False,
            "properties": {
                "id": {
                    "type": "string",
                    "maxLength": 30,
                    "description": "their national id (RPPS, ADELI) or the EHR's",
                },
                "name": {"type": "string", "maxLength": 200, "description": "their name"},
            },
        },
        "before": {
            "type": "object",
            "additionalProperties": True,
            "description": "the identity traits before a change",
        },
        "after": {
            "type": "object",
            "additionalProperties": True,
            "description": "the identity traits after a change",
        },
    },
}

_SEQ = {"type": "integer", "minimum": 1, "description": "the row's number in the journal"}
_TIME = {
    "type": "string",
    "format": "date-time",
    "description": "when it was recorded (UTC, to the microsecond)",
}
_HASH = {
    "type": "string",
    "pattern": "^[0-9a-f]{64}$",
    "description": "the row's SHA-256 chained to the previous row's (`aiguillage journal "
    "verify` checks the chain)",
}

RECEIPT_SCHEMA: dict[str, Any] = {
    "title": "JournalReceipt",
    "type": "object",
    "description": "The row an entry was recorded as, on disk.",
    "required": ["seq", "time", "hash"],
    "properties": {"seq": _SEQ, "time": _TIME, "hash": _HASH},
}

ROW_SCHEMA: dict[str, Any] = {
    "title": "JournalRow",
    "type": "object",
    "description": "One row of the journal.",
    "required": [*jr.COLUMNS, "hash"],
    "properties": {
        "seq": _SEQ,
        "time": _TIME,
        "request_id": {**_NULLABLE_TEXT, "description": "the X-Request-Id it belongs to"},
        "client": {**_NULLABLE_TEXT, "description": "the app whose request it is"},
        "practitioner_id": {**_NULLABLE_TEXT, "description": "who acted: national id"},
        "practitioner_name": {**_NULLABLE_TEXT, "description": "who acted: name"},
        "patient_ins": {**_NULLABLE_TEXT, "description": "the patient's INS (matricule)"},
        "patient_name": {**_NULLABLE_TEXT, "description": "the patient's names"},
        "event": {
            "type": "string",
            "description": "its type (`ins.search`, `dmp.document.sent`, `ins.view`…: "
            "docs/api.md lists the daemon's)",
        },
        "outcome": {
            "type": "string",
            "description": "how it ended: `ok`, `pending`, an error code…",
        },
        "summary": {"type": "string", "description": "what happened, in words"},
        "request": {
            **_NULLABLE_TEXT,
            "description": "what was sent (JSON or text), cut to `[journal] max_exchange_bytes`",
        },
        "response": {
            **_NULLABLE_TEXT,
            "description": "what came back (JSON or text), cut the same way",
        },
        "hash": _HASH,
    },
}

PAGE_SCHEMA: dict[str, Any] = {
    "title": "JournalPage",
    "type": "object",
    "description": "A page of journal rows, newest first.",
    "required": ["rows", "next_cursor"],
    "properties": {
        "rows": {"type": "array", "items": ROW_SCHEMA, "description": "the rows of the page"},
        "next_cursor": {
            "type": ["integer", "null"],
            "description": "pass as `cursor` for the next page; `null` on the last one",
        },
    },
}


def patient_name(traits: dict[str, Any]) -> str | None:
    names = [traits.get("birth_name"), " ".join(traits.get("first_names", [])) or None]
    return " ".join(n for n in names if n) or None


async def record(call: Call) -> dict[str, Any]:
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
    return {"seq": row["seq"], "time": row["time"], "hash": row["hash"]}


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


async def export(call: Call) -> web.StreamResponse:
    """The rows are read on a connection of the export's own, in a thread, a batch at a time:
    a large range neither holds the event loop nor sits whole in memory. The CSV goes out as
    it is read; a worksheet is a zip that can only be sent once complete."""
    f = _filter(call, None)
    path = call.app[JOURNAL].path
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    xlsx = call.params.get("format", "csv") == "xlsx"
    disposition = f'attachment; filename="aiguillage-journal-{stamp}.{"xlsx" if xlsx else "csv"}"'
    if xlsx:
        body = await asyncio.to_thread(_xlsx, path, f)
        return web.Response(
            body=body, content_type=XLSX, headers={"Content-Disposition": disposition}
        )
    conn = connect(path, readonly=True)
    try:
        chunks = jr.csv_chunks(jr.select(conn, f))
        first = await asyncio.to_thread(next, chunks)  # a bad filter fails before any byte
        response = web.StreamResponse(headers={"Content-Disposition": disposition})
        response.content_type, response.charset = "text/csv", "utf-8"
        await response.prepare(call.request)
        await response.write(first)
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            await response.write(chunk)
        await response.write_eof()
        return response
    finally:
        conn.close()


def _xlsx(path: Path, f: jr.JournalFilter) -> bytes:
    with contextlib.closing(connect(path, readonly=True)) as conn:
        return jr.export_xlsx(jr.select(conn, f))


async def verify_status(call: Call) -> dict[str, Any]:
    journal = call.app[JOURNAL]
    if journal.chain_check is None:
        journal.chain_check = ChainCheck(journal.path.parent, lambda: _verifier(call.app))
    return await journal.chain_check.status(whole=call.params.get("whole", False))


def _verifier(app: web.Application) -> checkpoints.Verifier:
    """What the checkpoints' signatures are checked with: the data dir's key, the certificates
    kept, the configured structure certificate (as ``aiguillage journal verify`` does)."""
    settings = app[SETTINGS]
    try:
        credential = checkpoints.structure_credential(settings)
    except checkpoints.CredentialError:
        credential = None  # the lines it signed are then reported as not verifiable here
    return checkpoints.verifier_for(settings.daemon.data_dir, credential)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FILTERS = [
    Param("from", "query", TIME_PARAM, description="rows at or after"),
    Param("to", "query", TIME_PARAM, description="rows before"),
    Param(
        "event",
        "query",
        {"type": "string", "maxLength": 100},
        description="an event type, or a prefix such as `ins`",
    ),
    Param(
        "patient",
        "query",
        {"type": "string", "minLength": 2, "maxLength": 100},
        description="an INS (15 characters), or the start of the patient's names (birth name "
        "first; case ignored)",
    ),
    Param("outcome", "query", {"type": "string", "maxLength": 100}, description="this outcome"),
]

#: NESSI RUTH ISABELLE, a published INSi test identity.
_ENTRY_EXAMPLE: dict[str, Any] = {
    "event": "ins.identity_qualified",
    "summary": "identity qualified after an INSi search and a check of her ID card",
    "patient": {
        "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
        "traits": {
            "birth_name": "NESSI",
            "first_names": ["RUTH", "ISABELLE"],
            "sex": "F",
            "birth_date": "1977-07-14",
            "birth_place": "63220",
        },
    },
    "practitioner": {"id": "10000000001", "name": "Dr Jeanne Martin"},
}
_RECEIPT_EXAMPLE: dict[str, Any] = {
    "seq": 1187,
    "time": "2026-12-02T15:07:37.123456+00:00",
    "hash": "3b9f1c0e5d7a2f84c6e1b0a9d8c7f6e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9",
}
_ROW_EXAMPLE: dict[str, Any] = {
    **_RECEIPT_EXAMPLE,
    "request_id": "ehr-4f1c2a",
    "client": "ehr",
    "practitioner_id": "10000000001",
    "practitioner_name": "Dr Jeanne Martin",
    "patient_ins": "277076322082910",
    "patient_name": "NESSI RUTH ISABELLE",
    "event": "ins.identity_qualified",
    "outcome": "ok",
    "summary": "identity qualified after an INSi search and a check of her ID card",
    "request": '{"patient": {"ins": {"matricule": "277076322082910"}}}',
    "response": None,
}

_WHEN = {"type": ["string", "null"], "format": "date-time"}
_ROW_OR_NULL = {"type": ["integer", "null"], "minimum": 1}

VERIFY_SCHEMA: dict[str, Any] = {
    "title": "JournalVerification",
    "type": "object",
    "description": "Whether the journal's hash chain and checkpoints hold, as last verified.",
    "required": [
        "status",
        "rows_checked",
        "last_seq",
        "first_bad_row",
        "reason",
        "checked_at",
        "whole_journal_at",
        "checkpoints_checked",
        "running",
    ],
    "additionalProperties": False,
    "properties": {
        "status": {
            "type": "string",
            "enum": ["ok", "broken", "not_verified", "unchecked"],
            "description": "`ok`: every row verified follows the chain and the checkpoints "
            "match; `broken`: a row was edited, deleted, reordered or added, or the "
            "checkpoints disagree (`reason` says which); `not_verified`: a checkpoint's "
            "signature cannot be checked here (its key or certificate is missing); "
            "`unchecked`: no walk has ended yet (see `running`)",
        },
        "rows_checked": {
            "type": "integer",
            "minimum": 0,
            "description": "rows verified: the last walk of the whole journal's, and those "
            "added since",
        },
        "last_seq": {
            **_ROW_OR_NULL,
            "minimum": 0,
            "description": "the last row verified (`null` when broken or unchecked)",
        },
        "first_bad_row": {**_ROW_OR_NULL, "description": "the first row where it breaks"},
        "reason": {
            "type": ["string", "null"],
            "description": "what is wrong, in words (`null` when `ok`)",
        },
        "checked_at": {**_WHEN, "description": "when the last walk ended"},
        "whole_journal_at": {
            **_WHEN,
            "description": "when the last walk of the whole journal and its checkpoints ended",
        },
        "checkpoints_checked": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "checkpoints of this journal found matching, signatures checked, "
            "at that walk",
        },
        "running": {
            "title": "JournalWalk",
            "type": ["object", "null"],
            "description": "the walk under way, if any",
            "required": ["whole_journal", "rows_checked", "rows_total", "started_at"],
            "additionalProperties": False,
            "properties": {
                "whole_journal": {
                    "type": "boolean",
                    "description": "the whole journal, or only the rows added since",
                },
                "rows_checked": {"type": "integer", "minimum": 0, "description": "so far"},
                "rows_total": {"type": "integer", "minimum": 0, "description": "to walk"},
                "started_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "when the walk began",
                },
            },
        },
    },
}

_VERIFIED_EXAMPLE: dict[str, Any] = {
    "status": "ok",
    "rows_checked": 1000012,
    "last_seq": 1000012,
    "first_bad_row": None,
    "reason": None,
    "checked_at": "2026-12-02T15:07:37.123456+00:00",
    "whole_journal_at": "2026-12-02T14:31:02.654321+00:00",
    "checkpoints_checked": 1342,
    "running": None,
}
_BROKEN_EXAMPLE: dict[str, Any] = {
    **_VERIFIED_EXAMPLE,
    "status": "broken",
    "rows_checked": 1187,
    "last_seq": None,
    "first_bad_row": 1187,
    "reason": "row 1187 was modified after it was written",
    "checkpoints_checked": None,
}
_RUNNING_EXAMPLE: dict[str, Any] = {
    **{k: None for k in _VERIFIED_EXAMPLE},
    "status": "unchecked",
    "rows_checked": 0,
    "running": {
        "whole_journal": True,
        "rows_checked": 420000,
        "rows_total": 1000012,
        "started_at": "2026-12-02T14:30:41.000000+00:00",
    },
}

JOURNAL_OPERATIONS = [
    Operation(
        "POST",
        "/v1/journal",
        "Record an identity action the EHR performed",
        record,
        operation_id="recordJournalEntry",
        description="""Journal an identity action the EHR performed itself (the Ségur traces
of INS handling): `event` says which, `summary` what happened; `patient` (the INS, the traits
as far as known), `practitioner` (`id`, `name`), `before` / `after` (the traits around a
change) and `outcome` (`ok` unless said) are optional. The row is tagged with the app and the
request id, chained to the previous one, and on disk before the `201` answers with its `seq`,
`time` and `hash`. Any app may record; reading needs the `journal` scope.""",
        request_schema=RECORD_SCHEMA,
        request_examples={"identity qualified": _ENTRY_EXAMPLE},
        response_status=201,
        response_schema=RECEIPT_SCHEMA,
        response_examples={"recorded": _RECEIPT_EXAMPLE},
        tags=("journal",),
    ),
    Operation(
        "GET",
        "/v1/journal",
        "Read the journal (newest first), filtered and paged",
        list_rows,
        scope=JOURNAL_SCOPE,
        operation_id="listJournal",
        description="""Journal rows, newest first, `limit` a page (50 unless said). Pass
`next_cursor` back as `cursor` for the next page; it is `null` on the last one. `event`
matches a type or a prefix (`ins` matches `ins.search`, `ins.verify`…), `patient` an INS
(15 characters: that INS) or else the start of the patient's names as journaled, birth name
first, case ignored (`dup` finds DUPONT JEAN; a word inside the names is not searched: that
would read every row); `from` and `to` bound the rows' time (a date alone is its midnight
UTC). Every filter is answered from an index: a page comes as fast at a million rows.""",
        tags=("journal",),
        params=[
            *_FILTERS,
            Param(
                "cursor",
                "query",
                {"type": "integer", "minimum": 1},
                description="the `next_cursor` of the previous page",
            ),
            Param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 1000},
                description="rows per page (default 50)",
            ),
        ],
        response_schema=PAGE_SCHEMA,
        response_examples={"a page": {"rows": [_ROW_EXAMPLE], "next_cursor": None}},
    ),
    Operation(
        "GET",
        "/v1/journal/export",
        "Export the journal as CSV or XLSX",
        export,
        scope=JOURNAL_SCOPE,
        operation_id="exportJournal",
        description="""The rows the same filters select, oldest first, as a file named in
`Content-Disposition`: CSV (`text/csv`, UTF-8 with a BOM so that Excel reads its accents) or,
with `format=xlsx`, a worksheet. A spreadsheet runs nothing from it: text starting with `=`,
`+`, `-`, `@`, a tab or a carriage return is prefixed with `'` in the CSV and is a text cell in
the worksheet, which writes control characters as `\\xNN`.""",
        tags=("journal",),
        response_media_type=("text/csv", XLSX),
        response_headers=("Content-Disposition",),
        params=[
            *_FILTERS,
            Param(
                "format",
                "query",
                {"type": "string", "enum": ["csv", "xlsx"], "examples": ["xlsx"]},
                description="`csv` (the default) or `xlsx`",
            ),
        ],
    ),
    Operation(
        "GET",
        "/v1/journal/verify",
        "Whether the journal's hash chain holds (the console's status)",
        verify_status,
        scope=JOURNAL_SCOPE,
        operation_id="verifyJournal",
        description="""The journal's verification status, at once: what `aiguillage journal
verify` checks (each row chained by SHA-256 to the one before, then the rows against the signed
checkpoints kept outside the journal) as last found. Asking starts a walk unless one runs, and
waits a tenth of a second for it: of the rows added since the last verified row (which must
still be there with the same hash), or of the whole journal and its checkpoints when none was
walked yet, the last was over an hour ago, or `whole=true` asks. A whole walk reads every row
(some twenty seconds at a million rows): until it ends the answer says so in `running`, with
its progress. A break stays reported until the next whole walk. `first_bad_row` and `reason`
name the first row where the chain breaks, as the command does.""",
        tags=("journal",),
        params=[
            Param(
                "whole",
                "query",
                {"type": "boolean", "examples": [True]},
                description="walk the whole journal and its checkpoints now (default `false`: "
                "only the rows added, unless the last whole walk is over an hour old)",
            ),
        ],
        response_schema=VERIFY_SCHEMA,
        response_examples={
            "verified": _VERIFIED_EXAMPLE,
            "a row edited": _BROKEN_EXAMPLE,
            "first walk under way": _RUNNING_EXAMPLE,
        },
    ),
]


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    for operation in JOURNAL_OPERATIONS:
        register(operation)
