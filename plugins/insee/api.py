"""The birth-place operations: search by name prefix at a birth date, and one code at a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiguillage.plugin import (
    MATRICULE,
    PLACE_CODE_PATTERN,
    Call,
    FieldError,
    Operation,
    Param,
    Problem,
    birth_places,
    nir_place,
    validation_problem,
)

SCOPE = "insee"
MAX_LIMIT = 100

PLACE_SCHEMA: dict[str, Any] = {
    "title": "BirthPlace",
    "type": "object",
    "description": "A birth place code over one period, with the name it had then.",
    "required": ["code", "name", "kind", "department", "valid_from", "valid_to", "approximate"],
    "additionalProperties": False,
    "properties": {
        "code": {
            "type": "string",
            "pattern": PLACE_CODE_PATTERN,
            "description": "the INSEE (COG) code the INS traits carry as birth_place",
        },
        "name": {"type": "string", "description": "its name over that period"},
        "kind": {
            "type": "string",
            "enum": ["commune", "arrondissement", "pays", "inconnu", "test"],
            "description": "a commune; a municipal arrondissement of Paris, Lyon or Marseille "
            "(births there are registered by arrondissement); a country or territory (99xxx); "
            "the unknown place (99999); a code the CNDA's published test identities carry "
            "that the COG lacks (see the plugin's README)",
        },
        "department": {
            "type": ["string", "null"],
            "description": "the department (2 characters, 2A/2B) or overseas department or "
            "collectivity (3 digits); null for a country or the unknown place",
        },
        "valid_from": {
            "type": ["string", "null"],
            "format": "date",
            "description": "first day the code named this place; null: no known start (valid "
            "since at least 1943)",
        },
        "valid_to": {
            "type": ["string", "null"],
            "format": "date",
            "description": "the day it stopped (exclusive: the date of the merger or change); "
            "null: still valid",
        },
        "approximate": {
            "type": "boolean",
            "description": "true when a bound was reconstructed from yearly states of the COG "
            "rather than read from a dated event: it is then the widest the data allows "
            "(see the plugin's README)",
        },
        "from_nir": {
            "type": "boolean",
            "description": "present and true on the place the NIR given designates",
        },
    },
}

PLACES_PAGE: dict[str, Any] = {
    "title": "BirthPlaces",
    "type": "object",
    "required": ["items", "count", "birth_date"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": PLACE_SCHEMA},
        "count": {"type": "integer", "minimum": 0},
        "birth_date": {
            "type": "string",
            "format": "date",
            "description": "the date the places are valid at (today when none was given)",
        },
    },
}

_BIRTH_DATE = Param(
    "birth_date",
    "query",
    {"type": "string", "format": "date", "examples": ["1975-12-31"]},
    description="the birth date, YYYY-MM-DD: places valid on that day (default: today)",
)

_EXAMPLE_PLACE = {
    "code": "01138",
    "name": "Culoz",
    "kind": "commune",
    "department": "01",
    "valid_from": None,
    "valid_to": "2023-01-01",
    "approximate": True,
}


def _day(call: Call) -> dt.date:
    value = call.params.get("birth_date")
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise validation_problem(
            [FieldError("/birth_date", f"{value!r} is not a date (YYYY-MM-DD)")]
        ) from None


async def search_places(call: Call) -> dict[str, Any]:
    p = call.params
    day = _day(call)
    q = (p.get("q") or "").strip()
    nir = p.get("nir")
    first: list[str] = []
    if nir:
        code = nir_place(nir)
        if code is None:
            raise validation_problem([FieldError("/nir", f"{nir!r} is not a NIR")])
        first.append(code)
    if not q and not first:
        raise validation_problem([FieldError("/q", "give q (a name prefix) or nir")])
    table = birth_places(call.config.data_dir)
    found = table.search(q, day, limit=p.get("limit", 20), first=first) if q else []
    if not q:
        place = table.lookup(first[0], day)
        found = [place] if place is not None else []
    items = [place.as_json() for place in found]
    for item in items:
        if item["code"] in first:
            item["from_nir"] = True
    return {"items": items, "count": len(items), "birth_date": day.isoformat()}


async def get_place(call: Call) -> dict[str, Any]:
    code = call.params["code"].upper()
    day = _day(call) if call.params.get("birth_date") else None
    table = birth_places(call.config.data_dir)
    place = table.lookup(code, day)
    if place is None:
        latest = table.lookup(code)
        detail = (
            f"{code} is not a birth place code"
            if latest is None
            else f"{code} ({latest.name}) was not a valid code on {day}"
        )
        raise Problem(404, "insee-place-unknown", "No such birth place at that date", detail)
    return place.as_json()


OPERATIONS = [
    Operation(
        "GET",
        "/v1/insee/places",
        "Search birth places by name at a birth date",
        search_places,
        scope=SCOPE,
        operation_id="searchBirthPlaces",
        description="""Communes, municipal arrondissements and countries whose name starts with
`q`, valid on `birth_date`: the code to put in the INS traits' `birth_place`. Accents, case,
hyphens, apostrophes and spaces are ignored, `ST`/`STE` read as `SAINT`/`SAINTE`, and a leading
article may be left out (`abergement` finds *L'Abergement-Clémenciat*). Ordered by name.

With `nir` (the patient's NIR or INS), the place its digits 6 to 10 designate (department and
commune, or `99` and the country) comes first, marked `from_nir`, when it is valid on
`birth_date`; `q` may then be left out. Data: INSEE's Code officiel géographique, see the
plugin's README for its date and limits.""",
        params=[
            Param(
                "q",
                "query",
                {"type": "string", "minLength": 1, "maxLength": 100, "examples": ["st etienne"]},
                description="the start of the place's name",
            ),
            _BIRTH_DATE,
            Param(
                "nir",
                "query",
                {**MATRICULE, "examples": ["275126322074974"]},
                description="the patient's NIR or INS, whose place comes first",
            ),
            Param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"at most this many (default 20, at most {MAX_LIMIT})",
            ),
        ],
        response_schema=PLACES_PAGE,
        response_examples={
            "Culoz before its merger with Béon": {
                "items": [_EXAMPLE_PLACE],
                "count": 1,
                "birth_date": "2020-05-01",
            }
        },
    ),
    Operation(
        "GET",
        "/v1/insee/places/{code}",
        "One birth place code at a birth date",
        get_place,
        scope=SCOPE,
        operation_id="getBirthPlace",
        description="""The place `code` designates on `birth_date` (without it: its latest
period), or 404 `insee-place-unknown` when the code is not a birth place code then — a commune
merged before that day, or one created after it. `99999` (unknown place) is valid at any
date.""",
        params=[
            Param(
                "code",
                "path",
                {"type": "string", "pattern": PLACE_CODE_PATTERN, "examples": ["63220"]},
                required=True,
                description="the INSEE code: a commune (2A/2B for Corsica), 99xxx a country",
            ),
            _BIRTH_DATE,
        ],
        response_schema=PLACE_SCHEMA,
        response_examples={"Culoz before 2023": _EXAMPLE_PLACE},
        errors={404: ("insee-place-unknown",)},
    ),
]
