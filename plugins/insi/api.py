"""The INSi operations of the API: search, verify, and the history of a patient's calls."""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
from typing import Any

from aiguillage.plugin import (
    INS_SCHEMA,
    MATRICULE,
    PRACTITIONER_SCHEMA,
    TRAITS_SCHEMA,
    Call,
    FieldError,
    JournalFilter,
    Operation,
    Param,
    Practitioner,
    birth_place_problem,
    fold_name,
    merge_errors,
    validation_problem,
)

from . import examples
from .client import TRAITS_OPERATION, VITALE_OPERATION, Exchange, InsiClient, Resultat
from .identity import OID_KINDS, Traits, compare, datamatrix, insi_traits
from .refusals import declared, failure
from .status import OPERATION as STATUS_OPERATION

SCOPE = "insi"
CR_RESULTS = {"00": "found", "01": "not_found", "02": "several"}
#: Every problem a call to INSi can end in, by status (``refusals.py``).
INSI_ERRORS = declared()

# --- what the EHR sends -------------------------------------------------------------------------

_TRAIT = TRAITS_SCHEMA["properties"]

VITALE_SCHEMA: dict[str, Any] = {
    "title": "CarteVitale",
    "type": "object",
    "description": "The beneficiary as read from the carte Vitale or an ApCV session.",
    "required": ["nir", "birth_date"],
    "additionalProperties": False,
    "properties": {
        "nir": {**MATRICULE, "description": "the beneficiary's NIR: 13 characters and the key"},
        "nir_od": {
            **MATRICULE,
            "description": "the NIR of the ouvrant droit (the insured person the beneficiary's "
            "rights come from), when it is not the beneficiary's",
        },
        "birth_name": {
            "type": "string",
            "maxLength": 100,
            "format": "ins-name",
            "description": "the beneficiary's birth name, as the card holds it (empty: not sent)",
        },
        "birth_date": {
            **_TRAIT["birth_date"],
            "description": "the birth date the card holds, YYYY-MM-DD; lunar dates (day or "
            "month 00) accepted",
        },
        "rank": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9,
            "description": "the rank of birth (rang de naissance), telling apart twins who "
            "share a NIR and a birth date",
        },
    },
}

SEARCH_BY_TRAITS: dict[str, Any] = {
    "title": "InsSearchByTraits",
    "type": "object",
    "description": "A search by the patient's identity traits.",
    "required": ["traits"],
    "additionalProperties": False,
    "properties": {"traits": TRAITS_SCHEMA, "practitioner": PRACTITIONER_SCHEMA},
}
SEARCH_BY_VITALE: dict[str, Any] = {
    "title": "InsSearchByVitale",
    "type": "object",
    "description": "A search by what the carte Vitale (or an ApCV session) gives.",
    "required": ["vitale"],
    "additionalProperties": False,
    "properties": {"vitale": VITALE_SCHEMA, "practitioner": PRACTITIONER_SCHEMA},
}
SEARCH_BY_APCV: dict[str, Any] = {
    "title": "InsSearchByApcvSession",
    "type": "object",
    "description": "A carte Vitale search with a beneficiary of an open ApCV session "
    "(`POST /v1/apcv/sessions`): the daemon reads their card data from the session.",
    "required": ["apcv_session"],
    "additionalProperties": False,
    "properties": {
        "apcv_session": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "the `id` of the ApCV session",
        },
        "beneficiary": {
            "type": "integer",
            "minimum": 0,
            "maximum": 19,
            "default": 0,
            "description": "the beneficiary's position in the session's `beneficiaries` "
            "(0: the first)",
        },
        "practitioner": PRACTITIONER_SCHEMA,
    },
}
SEARCH_SCHEMA: dict[str, Any] = {
    "title": "InsSearch",
    "description": "An INS search: the object with `traits`, the one with `vitale`, or the one "
    "with `apcv_session`; `practitioner` says who acts when it is not the config's.",
    "oneOf": [SEARCH_BY_TRAITS, SEARCH_BY_VITALE, SEARCH_BY_APCV],
}

VERIFY_SCHEMA: dict[str, Any] = {
    "title": "InsVerify",
    "type": "object",
    "description": "An INS the EHR holds, with the traits it holds for the patient.",
    "required": ["ins", "traits"],
    "additionalProperties": False,
    "properties": {"ins": INS_SCHEMA, "traits": TRAITS_SCHEMA, "practitioner": PRACTITIONER_SCHEMA},
}

# --- what the daemon answers --------------------------------------------------------------------
# INSi's own words: not checked as a request is (a former INS may carry a key that fails mod 97,
# as a CNDA case does), and a lunar birth date is not a calendar date. No additionalProperties:
# false, so that a generated client keeps working when a property is added.

_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}

INSI_INS: dict[str, Any] = {
    "title": "InsiIns",
    "type": "object",
    "description": "An INS as INSi returned it.",
    "required": ["matricule", "oid", "kind"],
    "properties": {
        "matricule": {
            "type": "string",
            "description": "the INS: 13 characters (2A/2B allowed) and the 2-digit key",
            "examples": ["277076322082910"],
        },
        "oid": {
            "type": "string",
            "description": "its assigning authority: `1.2.250.1.213.1.4.8` NIR, "
            "`1.2.250.1.213.1.4.9` NIA, `.10` and `.11` test NIRs",
        },
        "kind": {
            "type": "string",
            "enum": [*dict.fromkeys(OID_KINDS.values()), "unknown"],
            "description": "what the OID says: `NIR`; `NIA` (a provisional number: the "
            "identity cannot be qualified on it); `test`; `unknown` for an OID not listed",
        },
        "start": {
            **_DATE_OR_NULL,
            "description": "first day of validity of a former INS (INSHISTO), when INSi gives it",
        },
        "end": {
            **_DATE_OR_NULL,
            "description": "last day of validity of a former INS (INSHISTO), when INSi gives it",
        },
    },
}

_INSI_TEXT = {"type": ["string", "null"]}
INSI_TRAITS: dict[str, Any] = {
    "title": "InsiTraits",
    "type": "object",
    "description": "The identity traits INSi returned (TIQ): the reference to qualify against.",
    "required": ["birth_name", "first_name", "first_names", "sex", "birth_date", "birth_place"],
    "properties": {
        "birth_name": {"type": "string", "description": "birth name"},
        "first_name": {"type": "string", "description": "the first birth first name"},
        "first_names": {
            "type": "array",
            "items": {"type": "string"},
            "description": "every birth first name, in order (INSi's ListePrenom)",
        },
        "sex": {"type": "string", "description": "`M` or `F`"},
        "birth_date": {
            "type": "string",
            "description": "YYYY-MM-DD as INSi holds it: a lunar date has day or month 00",
            "examples": ["1977-07-14"],
        },
        "birth_place": {
            **_INSI_TEXT,
            "description": "INSEE (COG) code of the birth place; `99999` when unknown",
        },
    },
}

CR_SCHEMA: dict[str, Any] = {
    "title": "InsiReport",
    "type": "object",
    "description": "INSi's compte rendu (CR) of the last call.",
    "required": ["code", "label"],
    "properties": {
        "code": {
            "type": "string",
            "description": "`00` one identity found, `01` none, `02` several",
            "examples": ["00"],
        },
        "label": {"type": "string", "description": "INSi's label of the code"},
    },
}

CALL_SCHEMA: dict[str, Any] = {
    "title": "InsiCall",
    "type": "object",
    "description": "One call made to INSi for this request (each try of a retried call is one).",
    "required": ["operation", "cr", "error", "ms"],
    "properties": {
        "operation": {
            "type": "string",
            "enum": [TRAITS_OPERATION, VITALE_OPERATION],
            "description": "the INSi operation called",
        },
        "first_names": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the first names a traits search sent (the first one, then on CR "
            "01 all of them); absent for a carte Vitale search",
        },
        "cr": {
            **_INSI_TEXT,
            "description": "the CR code answered; `null` when the call failed",
        },
        "error": {
            **_INSI_TEXT,
            "description": "why the call failed: the fault's `siram:Erreur` code, else the "
            "failure's kind (`InsiFault`, `InsiTimeout`, `InsiUnavailable`); `null` when it was "
            "answered",
        },
        "ms": {"type": "number", "description": "how long the call took, in milliseconds"},
    },
}
_CALLS: dict[str, Any] = {
    "type": "array",
    "items": CALL_SCHEMA,
    "description": "each call made to INSi for this request, in order",
}
_REQUEST_ID = {
    "type": "string",
    "description": "the request's id (`X-Request-Id`), which marks its journal rows",
}

SEARCH_ANSWER: dict[str, Any] = {
    "title": "InsSearchResult",
    "type": "object",
    "description": "What INSi answered to a search.",
    "required": ["result", "cr", "ins", "history", "traits", "datamatrix", "request_id", "calls"],
    "properties": {
        "result": {
            "type": "string",
            "enum": ["found", "not_found", "several"],
            "description": "`found` (CR 00): one identity; `not_found` (CR 01); `several` (CR "
            "02): more than one identity has these traits, see `disambiguate`",
        },
        "cr": CR_SCHEMA,
        "ins": {
            "anyOf": [INSI_INS, {"type": "null"}],
            "description": "the patient's active INS (INSACTIF); `null` unless found",
        },
        "history": {
            "type": "array",
            "items": INSI_INS,
            "description": "the patient's former INS (INSHISTO), as INSi lists them",
        },
        "traits": {
            "anyOf": [INSI_TRAITS, {"type": "null"}],
            "description": "the reference traits (TIQ); `null` unless found",
        },
        "datamatrix": {
            "type": ["string", "null"],
            "description": "the payload of the INS DataMatrix (ANS format); print it only once "
            "the identity is qualified. `null` unless found",
        },
        "disambiguate": {
            "type": "array",
            "items": {"type": "string"},
            "description": "for `several` only: the traits to add to tell the identities apart",
        },
        "request_id": _REQUEST_ID,
        "calls": _CALLS,
    },
}

DIFFERENCE_SCHEMA: dict[str, Any] = {
    "title": "InsTraitDifference",
    "type": "object",
    "description": "A trait the EHR holds that INSi returned otherwise.",
    "required": ["trait", "held", "returned"],
    "properties": {
        "trait": {
            "type": "string",
            "enum": ["birth_name", "first_names", "sex", "birth_date", "birth_place"],
            "description": "which trait (`first_names`: all of them, space-separated)",
        },
        "held": {
            "type": "string",
            "description": "the EHR's value, folded to INSi's alphabet",
        },
        "returned": {"type": ["string", "null"], "description": "INSi's value"},
    },
}

RETURNED_SCHEMA: dict[str, Any] = {
    "title": "InsiIdentity",
    "type": "object",
    "description": "The identity INSi returned: its INS and its traits.",
    "required": ["ins", "traits"],
    "properties": {"ins": INSI_INS, "traits": INSI_TRAITS},
}

VERIFY_ANSWER: dict[str, Any] = {
    "title": "InsVerifyResult",
    "type": "object",
    "description": "Whether INSi confirms the INS and the traits the EHR holds.",
    "required": ["match", "ins_match", "differences", "cr", "returned", "request_id", "calls"],
    "properties": {
        "match": {
            "type": "boolean",
            "description": "CR 00, the same INS (and OID, when given) and the same traits: the "
            "identity may be qualified",
        },
        "ins_match": {
            "type": "boolean",
            "description": "INSi returned the INS held (and its OID, when given)",
        },
        "differences": {
            "type": "array",
            "items": DIFFERENCE_SCHEMA,
            "description": "each trait that differs; empty when they all agree",
        },
        "cr": CR_SCHEMA,
        "returned": {
            "anyOf": [RETURNED_SCHEMA, {"type": "null"}],
            "description": "what INSi returned; `null` when it found no one",
        },
        "request_id": _REQUEST_ID,
        "calls": _CALLS,
    },
}

HISTORY_CALL: dict[str, Any] = {
    "title": "InsHistoryCall",
    "type": "object",
    "description": "One INSi call, as journaled.",
    "required": [
        "time",
        "type",
        "outcome",
        "request_summary",
        "response_summary",
        "practitioner",
        "request_id",
    ],
    "properties": {
        "time": {
            "type": "string",
            "format": "date-time",
            "description": "when the call ended (RFC 3339, UTC)",
        },
        "type": {
            "type": "string",
            "enum": ["ins.search", "ins.verify"],
            "description": "the journal event: a search or a verification",
        },
        "outcome": {
            "type": "string",
            "description": "`cr00`, `cr01`, `cr02`, or the failure: the fault's code "
            "(`insi_101`, `desir_1020`…), `InsiTimeout`, `InsiUnavailable`",
            "examples": ["cr00"],
        },
        "request_summary": {"type": "string", "description": "what was asked"},
        "response_summary": {"type": "string", "description": "what INSi answered"},
        "practitioner": {
            "type": ["string", "null"],
            "description": "who acted (given and family names)",
        },
        "request_id": {
            "type": ["string", "null"],
            "description": "the id of the API request that made the call",
        },
    },
}

HISTORY_ANSWER: dict[str, Any] = {
    "title": "InsHistory",
    "type": "object",
    "description": "A patient's INSi calls, newest first.",
    "required": ["calls"],
    "properties": {
        "calls": {
            "type": "array",
            "items": HISTORY_CALL,
            "description": "the calls, newest first",
        }
    },
}


def _client(call: Call) -> InsiClient:
    return call.service()


async def _check_birth_place(call: Call, raw: dict[str, Any]) -> None:
    """Refuse a birth place code that did not exist at the birth date (a commune merged
    before, or created after), before INSi answers it with a fault: INSEE's table, as
    ``/v1/insee/places/{code}`` serves it."""
    code = raw.get("birth_place")
    if not code:
        return
    days = _birth_days(raw["birth_date"])
    # In a thread: the first look (or the first after an import) loads the table, a second
    # or more that the daemon must not spend deaf to every other request.
    reasons = await asyncio.to_thread(
        lambda: [birth_place_problem(code, day, call.config.data_dir) for day in days]
    )
    if all(reasons):
        raise validation_problem([FieldError("/traits/birth_place", reasons[0])])


def _birth_days(value: str) -> list[dt.date]:
    """The days a birth date may stand for: itself, or for a lunar date (day or month 00) the
    first, middle and last day of the period it leaves open."""
    year, month, day = (int(part) for part in value.split("-"))
    if month and day:
        return [dt.date(year, month, day)]
    first = dt.date(year, month or 1, 1)
    last = dt.date(year, month or 12, calendar.monthrange(year, month or 12)[1])
    return [first, first + (last - first) / 2, last]


async def search(call: Call) -> dict[str, Any]:
    practitioner = call.practitioner
    client = _client(call)
    if "traits" in call.body:
        await _check_birth_place(call, call.body["traits"])
        traits = insi_traits(call.body["traits"])
        # The platform rule: the first birth first name, then, on CR 01, all of them.
        first = traits.first_names[:1]
        exchanges = await _traced(
            call,
            client.search_traits(traits, first, practitioner),
            practitioner,
            "ins.search",
            _asked(traits, first),
            traits,
        )
        calls = _calls(exchanges, first)
        if _cr(exchanges) == "01" and len(traits.first_names) > 1:
            again = await _traced(
                call,
                client.search_traits(traits, traits.first_names, practitioner),
                practitioner,
                "ins.search",
                _asked(traits, traits.first_names),
                traits,
            )
            exchanges += again
            calls += _calls(again, traits.first_names)
    else:
        vitale = _vitale(call.body.get("vitale") or await _session_card(call))
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
        calls = _calls(exchanges)
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
        "calls": calls,
    }
    if result.cr == "02":
        answer["disambiguate"] = _disambiguate(traits)
    return answer


async def verify(call: Call) -> dict[str, Any]:
    practitioner = call.practitioner
    client = _client(call)
    held_ins = call.body["ins"]["matricule"]
    held_oid = call.body["ins"].get("oid")
    await _check_birth_place(call, call.body["traits"])
    traits = insi_traits(call.body["traits"])
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
        "calls": _calls(exchanges, traits.first_names),
    }


async def history(call: Call) -> dict[str, Any]:
    ins, patient = call.params.get("ins"), call.params.get("patient")
    if not ins and not patient:
        raise validation_problem([FieldError("ins", "give ins= or patient=")])
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


async def _session_card(call: Call) -> dict[str, Any]:
    """The carte Vitale fields of an ApCV session's beneficiary, from the plugin that holds the
    session (through the daemon: this plugin does not know which one it is)."""
    assert call.daemon is not None
    index = call.body.get("beneficiary", 0)
    beneficiary = await call.daemon.resolve_beneficiary(call, call.body["apcv_session"], index)
    card = {k: beneficiary.get(k) for k in ("nir", "birth_name", "birth_date", "rank")}
    if beneficiary.get("nir_od") and beneficiary["nir_od"] != beneficiary["nir"]:
        card["nir_od"] = beneficiary["nir_od"]
    return card


def _vitale(raw: dict[str, Any]) -> dict[str, Any]:
    """The carte Vitale's fields as INSi takes them: the birth name folded, empty ones left
    out."""
    vitale = {k: v for k, v in raw.items() if v}
    if "birth_name" in vitale:
        vitale["birth_name"] = fold_name(vitale["birth_name"])
    return vitale


def _cr(exchanges: list[Exchange]) -> str | None:
    last = exchanges[-1]
    return last.result.cr if last.result else None


def _result(exchanges: list[Exchange]) -> Resultat:
    """The answer of the last call, or the problem its failure means for the EHR
    (``refusals.py``)."""
    last = exchanges[-1]
    if last.result is not None:
        return last.result
    tries = f" after {last.attempt} tries" if last.attempt > 1 else ""
    raise failure(last.error, tries)


def _calls(exchanges: list[Exchange], first_names: list[str] | None = None) -> list[dict]:
    """Each exchange as the answer's ``calls`` shows it; ``first_names``: those a traits search
    sent."""
    calls = []
    for e in exchanges:
        call: dict[str, Any] = {"operation": e.operation}
        if first_names is not None:
            call["first_names"] = list(first_names)
        calls.append(
            call
            | {
                "cr": e.result.cr if e.result else None,
                "error": (getattr(e.error, "code", "") or type(e.error).__name__)
                if e.error
                else None,
                "ms": round(e.seconds * 1000, 1),
            }
        )
    return calls


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


_CHECKED = """\
**Input is checked before any call** (a 422 names each field, and INSi is not called): the
NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
`GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
is a 422 naming `/traits/birth_place`.
"""

_FAILURES = """\
INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
INSi plugin's README ("Errors") says what each means.
"""

SEARCH_DESCRIPTION = f"""\
Finds a patient's INS (matricule, OID) and the reference identity traits, by the patient's
traits or by what the carte Vitale gives — typed in (`vitale`), or read from a beneficiary of an
open ApCV session (`apcv_session` and `beneficiary`, its position in the session's
`beneficiaries`): the daemon takes the card data from the plugin holding the session. A session
no plugin holds is a 422 naming `apcv_session`; an expired one a 410 `apcv-session-expired`.

**By traits**, the platform's rule is applied: a first call with the first birth first name,
then, on CR 01, a second one with all of them; `calls` lists each call and the first names it
sent.

{_CHECKED}
**The answer.** `result` is `found` (CR 00), `not_found` (CR 01) or `several` (CR 02:
`disambiguate` says which traits to add). When found: `ins`, the active INS (`kind` `NIA` is a
provisional number, on which the identity cannot be qualified); `history`, the former INS;
`traits`, the reference traits (TIQ); and `datamatrix`, the payload of the INS DataMatrix in
the ANS format: header `IS010000000000000000000000`, then `S1` matricule, `S2` OID, `S3` first
names, `S4` birth name, `S5` sex, `S6` date `JJ-MM-AAAA`, `S7` birth place, the variable fields
ending with GS (0x1D). Print it only once the identity is qualified.

A person INSi does not know is a 200 `not_found`, except on the qualification platform, whose
answer is a fault: 404 `insi-unknown-identity`.

{_FAILURES}
Every SOAP exchange is journaled (`ins.search`) with the envelope sent, the answer received,
the practitioner and the patient (`GET /v1/ins/history`)."""

VERIFY_DESCRIPTION = f"""\
Checks an INS the EHR holds against INSi before the identity is qualified: one traits search
with every birth first name, then a comparison. `match` is true only for CR 00 with the same
INS (and OID, when given) and the same traits; `differences` lists each trait that differs,
once folded to INSi's alphabet (the birth place only when the EHR gives one). CNDA TEST_3.05:
the same INS with another first name is `match: false`, `ins_match: true`.

{_CHECKED}
{_FAILURES}
Every SOAP exchange is journaled (`ins.verify`), as for a search."""

HISTORY_DESCRIPTION = """\
A patient's INSi calls, searches and verifications, newest first, from the journal: when, which,
the outcome, what was asked and answered, who acted and the API request that made it. Give `ins`
(the INS a call found or verified, or the NIR of a carte Vitale search) or `patient` (the
start of the names, birth name first, as INSi writes them; case ignored); without either, a
422. The XML exchanged is in the journal
rows themselves (`GET /v1/journal`)."""

OPERATIONS = [
    Operation(
        "POST",
        "/v1/ins/search",
        "Find a patient's INS by traits or carte Vitale",
        search,
        scope=SCOPE,
        request_schema=SEARCH_SCHEMA,
        response_schema=SEARCH_ANSWER,
        operation_id="searchIns",
        description=SEARCH_DESCRIPTION,
        errors=merge_errors(INSI_ERRORS, {410: ("apcv-session-expired",)}),
        request_examples=examples.SEARCH_REQUESTS,
        response_examples=examples.SEARCH_ANSWERS,
    ),
    Operation(
        "POST",
        "/v1/ins/verify",
        "Check an INS the EHR holds against INSi",
        verify,
        scope=SCOPE,
        request_schema=VERIFY_SCHEMA,
        response_schema=VERIFY_ANSWER,
        operation_id="verifyIns",
        description=VERIFY_DESCRIPTION,
        errors=INSI_ERRORS,
        request_examples=examples.VERIFY_REQUESTS,
        response_examples=examples.VERIFY_ANSWERS,
    ),
    STATUS_OPERATION,
    Operation(
        "GET",
        "/v1/ins/history",
        "A patient's INSi calls, from the journal",
        history,
        scope=SCOPE,
        response_schema=HISTORY_ANSWER,
        operation_id="listInsHistory",
        description=HISTORY_DESCRIPTION,
        response_examples=examples.HISTORY_ANSWERS,
        params=[
            Param(
                "ins",
                "query",
                {**MATRICULE, "description": "an INS or NIR: 15 characters"},
                description="the patient's INS: the one a call found, else the one verified "
                "or the NIR a carte Vitale search was made with",
            ),
            Param(
                "patient",
                "query",
                {"type": "string", "minLength": 2},
                description="the start of the patient's names (birth name first), as INSi "
                "writes them",
            ),
            Param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 1000},
                description="the most calls to list (default 100)",
            ),
        ],
    ),
]
