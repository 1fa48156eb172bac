"""The INSi operations of the API: search, verify, and the history of a patient's calls."""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import (
    INS_SCHEMA,
    PRACTITIONER_SCHEMA,
    TRAITS_SCHEMA,
    Call,
    FieldError,
    JournalFilter,
    Operation,
    Param,
    Practitioner,
    Problem,
    validation_problem,
)

from .client import Exchange, InsiClient, InsiFault, InsiTimeout, Resultat
from .identity import (
    Checked,
    Traits,
    check_date,
    check_matricule,
    check_name,
    check_traits,
    compare,
    datamatrix,
)
from .refusals import problem as refusal

SCOPE = "insi"
CR_RESULTS = {"00": "found", "01": "not_found", "02": "several"}

VITALE_SCHEMA = {
    "type": "object",
    "required": ["nir", "birth_date"],
    "additionalProperties": False,
    "description": "the beneficiary as read from the carte Vitale or an ApCV session",
    "properties": {
        "nir": {"type": "string", "description": "NIR of the beneficiary, 13 + key"},
        "nir_od": {"type": "string", "description": "NIR of the ouvrant droit, 13 + key"},
        "birth_name": {"type": "string", "maxLength": 100},
        "birth_date": {"type": "string", "description": "YYYY-MM-DD, lunar dates accepted"},
        "rank": {"type": "integer", "minimum": 1, "maximum": 9},
    },
}

SEARCH_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "oneOf": [{"required": ["traits"]}, {"required": ["vitale"]}],
    "properties": {
        "traits": TRAITS_SCHEMA,
        "vitale": VITALE_SCHEMA,
        "practitioner": PRACTITIONER_SCHEMA,
    },
}

VERIFY_SCHEMA = {
    "type": "object",
    "required": ["ins", "traits"],
    "additionalProperties": False,
    "properties": {"ins": INS_SCHEMA, "traits": TRAITS_SCHEMA, "practitioner": PRACTITIONER_SCHEMA},
}

_INS_OUT = {
    "type": "object",
    "required": ["matricule", "oid", "kind"],
    "properties": {
        "matricule": {"type": "string"},
        "oid": {"type": "string"},
        "kind": {"enum": ["NIR", "NIA", "test", "unknown"]},
        "start": {"type": ["string", "null"]},
        "end": {"type": ["string", "null"]},
    },
}
_TRAITS_OUT = {
    "type": ["object", "null"],
    "properties": {
        k: {"type": ["string", "null"]}
        for k in ("birth_name", "first_name", "sex", "birth_date", "birth_place")
    }
    | {"first_names": {"type": "array", "items": {"type": "string"}}},
}
_CALLS = {
    "type": "array",
    "description": "each INSi call made for this request",
    "items": {
        "type": "object",
        "properties": {
            "operation": {"type": "string"},
            "first_names": {"type": "array"},
            "cr": {"type": ["string", "null"]},
            "error": {"type": ["string", "null"]},
            "ms": {"type": "number"},
        },
    },
}

SEARCH_ANSWER = {
    "type": "object",
    "required": ["result", "cr", "ins", "history", "traits", "datamatrix", "request_id"],
    "properties": {
        "result": {"enum": ["found", "not_found", "several"]},
        "cr": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "label": {"type": "string"}},
        },
        "ins": {"oneOf": [_INS_OUT, {"type": "null"}]},
        "history": {"type": "array", "items": _INS_OUT},
        "traits": _TRAITS_OUT,
        "datamatrix": {
            "type": ["string", "null"],
            "description": "INS DataMatrix payload; print it once qualified",
        },
        "disambiguate": {
            "type": "array",
            "items": {"type": "string"},
            "description": "traits to add when several identities match",
        },
        "request_id": {"type": "string"},
        "calls": _CALLS,
    },
}

VERIFY_ANSWER = {
    "type": "object",
    "required": ["match", "ins_match", "differences", "cr", "request_id"],
    "properties": {
        "match": {"type": "boolean", "description": "same INS and same traits: qualifiable"},
        "ins_match": {"type": "boolean"},
        "differences": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"trait": {"type": "string"}, "held": {}, "returned": {}},
            },
        },
        "cr": {"type": "object"},
        "returned": {"type": ["object", "null"]},
        "request_id": {"type": "string"},
        "calls": _CALLS,
    },
}

HISTORY_ANSWER = {
    "type": "object",
    "required": ["calls"],
    "properties": {
        "calls": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "time": {"type": "string"},
                    "type": {"type": "string"},
                    "outcome": {"type": "string"},
                    "request_summary": {"type": "string"},
                    "response_summary": {"type": "string"},
                    "practitioner": {"type": ["string", "null"]},
                    "request_id": {"type": ["string", "null"]},
                },
            },
        }
    },
}


def _client(call: Call) -> InsiClient:
    return call.service()


async def search(call: Call) -> dict[str, Any]:
    practitioner = call.practitioner
    client = _client(call)
    check = Checked()
    if "traits" in call.body:
        traits = check_traits(check, "/traits", call.body["traits"])
        _raise(check)
        # The platform rule: the first birth first name, then, on CR 01, all of them.
        exchanges = await _traced(
            call,
            client.search_traits(traits, traits.first_names[:1], practitioner),
            practitioner,
            "ins.search",
            _asked(traits, traits.first_names[:1]),
            traits,
        )
        if _cr(exchanges) == "01" and len(traits.first_names) > 1:
            exchanges += await _traced(
                call,
                client.search_traits(traits, traits.first_names, practitioner),
                practitioner,
                "ins.search",
                _asked(traits, traits.first_names),
                traits,
            )
    else:
        vitale = _checked_vitale(check, call.body["vitale"])
        _raise(check)
        traits = None
        exchanges = await _traced(
            call,
            client.search_vitale(vitale, practitioner),
            practitioner,
            "ins.search",
            f"carte Vitale search: NIR {vitale['nir']}, born {vitale['birth_date']}",
            None,
            patient=vitale["nir"],
        )
    result = _result(exchanges)
    answer = {
        "result": CR_RESULTS.get(result.cr, "not_found"),
        "cr": {"code": result.cr, "label": result.label},
        "ins": result.ins.to_json() if result.ins else None,
        "history": [h.to_json() for h in result.history],
        "traits": result.traits.to_json() if result.traits else None,
        "datamatrix": datamatrix(result.ins, result.traits)
        if result.ins and result.traits
        else None,
        "request_id": call.request_id,
        "calls": _calls(exchanges),
    }
    if result.cr == "02":
        answer["disambiguate"] = _disambiguate(traits)
    return answer


async def verify(call: Call) -> dict[str, Any]:
    practitioner = call.practitioner
    client = _client(call)
    check = Checked()
    held_ins = check_matricule(check, "/ins/matricule", call.body["ins"]["matricule"])
    held_oid = call.body["ins"].get("oid")
    traits = check_traits(check, "/traits", call.body["traits"])
    _raise(check)
    exchanges = await _traced(
        call,
        client.search_traits(traits, traits.first_names, practitioner),
        practitioner,
        "ins.verify",
        _asked(traits, traits.first_names),
        traits,
        patient=held_ins,
    )
    result = _result(exchanges)
    ins_match = bool(
        result.ins
        and result.ins.matricule == held_ins
        and (held_oid is None or result.ins.oid == held_oid)
    )
    differences = compare(traits, result.traits) if result.traits else []
    return {
        "match": result.cr == "00" and ins_match and not differences,
        "ins_match": ins_match,
        "differences": differences,
        "cr": {"code": result.cr, "label": result.label},
        "returned": {"ins": result.ins.to_json(), "traits": result.traits.to_json()}
        if result.ins and result.traits
        else None,
        "request_id": call.request_id,
        "calls": _calls(exchanges),
    }


async def history(call: Call) -> dict[str, Any]:
    ins, patient = call.params.get("ins"), call.params.get("patient")
    if not ins and not patient:
        raise validation_problem([FieldError("ins", "give ins= or patient=")])
    if ins:
        check = Checked()
        ins = check_matricule(check, "ins", ins)
        _raise(check)
    rows = call.daemon.journal_rows(
        JournalFilter(event="ins", patient=ins or patient, limit=call.params.get("limit", 100))
    )
    calls = []
    for row in rows:
        if row["event"] not in ("ins.search", "ins.verify"):
            continue
        request_summary, _, response_summary = row["summary"].partition(" → ")
        calls.append(
            {
                "time": row["time"],
                "type": row["event"],
                "outcome": row["outcome"],
                "request_summary": request_summary,
                "response_summary": response_summary,
                "practitioner": row["practitioner_name"],
                "request_id": row["request_id"],
            }
        )
    return {"calls": calls}


# --- helpers ------------------------------------------------------------------------------------


def _raise(check: Checked) -> None:
    if check.errors:
        raise validation_problem(check.errors)


def _checked_vitale(check: Checked, raw: dict) -> dict:
    vitale = {
        "nir": check_matricule(check, "/vitale/nir", raw["nir"]),
        "birth_date": check_date(check, "/vitale/birth_date", raw["birth_date"]),
    }
    if raw.get("nir_od"):
        vitale["nir_od"] = check_matricule(check, "/vitale/nir_od", raw["nir_od"])
    if raw.get("birth_name"):
        vitale["birth_name"] = check_name(check, "/vitale/birth_name", raw["birth_name"])
    if raw.get("rank"):
        vitale["rank"] = raw["rank"]
    return vitale


def _cr(exchanges: list[Exchange]) -> str | None:
    last = exchanges[-1]
    return last.result.cr if last.result else None


def _result(exchanges: list[Exchange]) -> Resultat:
    """The answer of the last call, or the problem its failure means for the EHR (for a fault,
    ``refusals.py``)."""
    last = exchanges[-1]
    if last.result is not None:
        return last.result
    error = last.error
    tries = f" after {last.attempt} tries" if last.attempt > 1 else ""
    if isinstance(error, InsiFault):
        raise refusal(error, tries)
    if isinstance(error, InsiTimeout):
        raise Problem(
            504, "insi-timeout", "INSi did not answer in time", f"{error}{tries}", service="insi"
        )
    raise Problem(503, "insi-unavailable", "INSi unavailable", f"{error}{tries}", service="insi")


def _calls(exchanges: list[Exchange]) -> list[dict[str, Any]]:
    return [
        {
            "operation": e.operation,
            "cr": e.result.cr if e.result else None,
            "error": (getattr(e.error, "code", "") or type(e.error).__name__) if e.error else None,
            "ms": round(e.seconds * 1000, 1),
        }
        for e in exchanges
    ]


def _disambiguate(traits: Traits | None) -> list[str]:
    if traits is None:
        return ["traits"]
    wanted = []
    if not traits.birth_place:
        wanted.append("birth_place")
    if len(traits.first_names) < 2:
        wanted.append("first_names (all birth first names)")
    return wanted or ["check the traits with the patient's identity document"]


async def _traced(
    call: Call,
    pending: Any,
    practitioner: Practitioner,
    event: str,
    asked: str,
    traits: Traits | None,
    patient: str | None = None,
) -> list[Exchange]:
    """Run the INSi call(s) and journal each exchange with what was sent and received.
    ``asked`` summarises the request; ``patient`` is the INS to trace when no answer names
    one."""
    exchanges = await pending
    for exchange in exchanges:
        result = exchange.result
        if result is not None:
            outcome = f"cr{result.cr}"
            answered = f"CR {result.cr} {result.label}"
            if result.ins:
                answered += f": INS {result.ins.matricule} ({result.ins.kind})"
        else:
            outcome = getattr(exchange.error, "code", "") or type(exchange.error).__name__
            answered = f"{outcome}: {exchange.error}"
        returned = result.ins if result else None
        await call.journal(
            event,
            f"{asked} → {answered}",
            outcome,
            practitioner=practitioner,
            patient_ins=returned.matricule if returned else patient,
            patient_name=_name(result.traits if result and result.traits else traits),
            request=exchange.request.decode(),
            response=exchange.response.decode(errors="replace") if exchange.response else None,
        )
    return exchanges


def _asked(traits: Traits, first_names: list[str]) -> str:
    place = f" {traits.birth_place}" if traits.birth_place else ""
    return (
        f"traits search: {traits.birth_name} {' '.join(first_names)} {traits.sex} "
        f"{traits.birth_date}{place}"
    )


def _name(traits: Traits | None) -> str | None:
    return f"{traits.birth_name} {' '.join(traits.first_names)}" if traits else None


OPERATIONS = [
    Operation(
        "POST",
        "/v1/ins/search",
        "Find a patient's INS by traits or carte Vitale",
        search,
        scope=SCOPE,
        request_schema=SEARCH_SCHEMA,
        response_schema=SEARCH_ANSWER,
    ),
    Operation(
        "POST",
        "/v1/ins/verify",
        "Check an INS the EHR holds against INSi",
        verify,
        scope=SCOPE,
        request_schema=VERIFY_SCHEMA,
        response_schema=VERIFY_ANSWER,
    ),
    Operation(
        "GET",
        "/v1/ins/history",
        "A patient's INSi calls, from the journal",
        history,
        scope=SCOPE,
        response_schema=HISTORY_ANSWER,
        params=[
            Param("ins", "query", {"type": "string"}, description="the patient's INS"),
            Param(
                "patient",
                "query",
                {"type": "string", "minLength": 2},
                description="part of the patient's names",
            ),
            Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 1000}),
        ],
    ),
]
