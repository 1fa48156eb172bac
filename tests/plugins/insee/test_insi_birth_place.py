"""INSi search and verify refuse a birth place code that was no code at the birth date, before
any call to INSi; the published test identities' places all pass."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from aiguillage.plugin import birth_place_problem
from aiguillage.plugins import insi

IDENTITIES = tomllib.loads((Path(insi.__file__).parent / "identities.toml").read_text())
RUTH = {
    "birth_name": "NESSI",
    "first_names": ["RUTH", "ISABELLE"],
    "sex": "F",
    "birth_date": "1977-07-14",
    "birth_place": "63220",
}

# Béon (01039) merged into Culoz-Béon on 1 January 2023; Ajaccio was 20004 before 1976.
MERGED = {**RUTH, "birth_place": "01039", "birth_date": "2023-01-01"}
LUNAR = {**RUTH, "birth_place": "2A004", "birth_date": "1975-06-00"}


def calls(client) -> int:
    from aiguillage.appkeys import JOURNAL
    from aiguillage.journal import JournalFilter, select

    rows = select(client.app[JOURNAL].reader, JournalFilter(event="ins", limit=None))
    return len(list(rows))


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ins/search", {"traits": MERGED}),
        (
            "/v1/ins/verify",
            {
                "ins": {"matricule": "277076322082910"},
                "traits": MERGED,
            },
        ),
        ("/v1/ins/search", {"traits": {**RUTH, "birth_place": "12999"}}),
        ("/v1/ins/search", {"traits": LUNAR}),
    ],
)
async def test_a_place_code_invalid_at_the_birth_date_is_a_422_before_insi(client, path, body):
    response = await client.post(path, json=body)
    assert response.status == 422, await response.text()
    problem = await response.json(content_type=None)
    assert [error["field"] for error in problem["errors"]] == ["/traits/birth_place"]
    assert body["traits"]["birth_place"] in problem["detail"]
    assert calls(client) == 0


async def test_a_place_valid_at_the_birth_date_reaches_insi(client):
    # Béon before its merger: a real code then; INSi (the simulator) simply finds no one.
    body = {"traits": {**RUTH, "birth_place": "01039", "birth_date": "2022-05-01"}}
    response = await client.post("/v1/ins/search", json=body)
    assert response.status == 200, await response.text()
    assert (await response.json())["result"] == "not_found"


async def test_a_lunar_birth_date_is_checked_over_the_period_it_leaves_open(client):
    # Born some day of 1975: Ajaccio was 20004 then, and 2A004 on no day of it.
    ok = {"traits": {**RUTH, "birth_place": "20004", "birth_date": "1975-00-00"}}
    assert (await client.post("/v1/ins/search", json=ok)).status == 200
    bad = {"traits": {**RUTH, "birth_place": "2A004", "birth_date": "1975-00-00"}}
    assert (await client.post("/v1/ins/search", json=bad)).status == 422
    # Born some month of 1976 (day 00 left open), any of which 20004 was no longer valid in.
    late = {"traits": {**RUTH, "birth_place": "20004", "birth_date": "1976-03-00"}}
    assert (await client.post("/v1/ins/search", json=late)).status == 422
    # Born some day of December 1967 in Rillieux (69286 from the 31st, when it joined the
    # Rhône): valid on the last day of that month only.
    rhone = {"traits": {**RUTH, "birth_place": "69286", "birth_date": "1967-12-00"}}
    assert (await client.post("/v1/ins/search", json=rhone)).status == 200


@pytest.mark.parametrize(
    "person",
    [p for p in IDENTITIES["identity"] if p.get("birth_place")],
    ids=lambda p: f"{p['birth_name']}-{p['first_names'][0]}-{p['birth_place']}",
)
def test_every_test_identity_s_birth_place_is_valid_at_its_birth_date(person):
    import datetime as dt

    day = dt.date.fromisoformat(person["birth_date"])
    assert birth_place_problem(person["birth_place"], day) is None


async def test_switched_off_the_api_is_gone_and_insi_still_checks(
    aiohttp_client, settings, plugins, token
):
    from aiguillage.app import create_app

    settings.plugins["insee"].enabled = False
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    off = await client.get("/v1/insee/places", params={"q": "culoz"})
    assert off.status == 404
    assert (await off.json(content_type=None))["type"].endswith(":plugin-disabled")
    refused = await client.post("/v1/ins/search", json={"traits": MERGED})
    assert refused.status == 422
