"""Looking a birth place up through the API: by name at a birth date, by code at a birth date,
communes before and after a merger, countries, the NIR's place first, and bad input."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


async def places(client, status=200, **params):
    response = await client.get("/v1/insee/places", params=params)
    assert response.status == status, await response.text()
    return await response.json(content_type=None)


async def place(client, code, status=200, **params):
    response = await client.get(f"/v1/insee/places/{code}", params=params)
    assert response.status == status, await response.text()
    return await response.json(content_type=None)


def codes(answer):
    return [(item["code"], item["name"]) for item in answer["items"]]


# Culoz (01138) and Béon (01039), Ain, merged into the commune nouvelle Culoz-Béon, which kept
# Culoz's code, on 1 January 2023.
async def test_a_commune_before_and_after_its_merger(client):
    before = await places(client, q="culoz", birth_date="2022-12-31")
    after = await places(client, q="culoz", birth_date="2023-01-01")
    assert codes(before) == [("01138", "Culoz")]
    assert codes(after) == [("01138", "Culoz-Béon")]
    assert before["items"][0] == {
        "code": "01138",
        "name": "Culoz",
        "kind": "commune",
        "department": "01",
        "valid_from": None,
        "valid_to": "2023-01-01",
        "approximate": True,
    }
    assert after["items"][0]["valid_from"] == "2023-01-01"
    assert after["items"][0]["valid_to"] is None
    assert after["birth_date"] == "2023-01-01"


async def test_the_merged_commune_s_code_is_valid_only_before_the_merger(client):
    beon = await place(client, "01039", birth_date="2022-12-31")
    assert (beon["name"], beon["valid_to"]) == ("Béon", "2023-01-01")
    assert ("01039", "Béon") in codes(await places(client, q="beon", birth_date="2022-06-01"))

    gone = await place(client, "01039", 404, birth_date="2023-01-01")
    assert gone["type"].endswith(":insee-place-unknown")
    assert "Béon" in gone["detail"]
    # Béon in the Yonne (89037) is still a commune: only the Ain one went.
    assert codes(await places(client, q="beon", birth_date="2023-06-01")) == [("89037", "Béon")]


async def test_a_code_without_a_date_is_its_latest_period(client):
    assert (await place(client, "01138"))["name"] == "Culoz-Béon"
    assert (await place(client, "01039"))["valid_to"] == "2023-01-01"


async def test_corsica_before_and_after_the_split(client):
    # Ajaccio: 20004 until Corsica was split on 1 January 1976, 2A004 since.
    assert (await place(client, "20004", birth_date="1960-01-01"))["name"] == "Ajaccio"
    await place(client, "2A004", 404, birth_date="1960-01-01")
    await place(client, "20004", 404, birth_date="1976-01-01")
    assert (await place(client, "2A004", birth_date="1976-01-01"))["department"] == "2A"
    assert codes(await places(client, q="ajaccio", birth_date="1975-06-01")) == [
        ("20004", "Ajaccio")
    ]


async def test_the_cnda_test_identities_codes_are_places(client):
    # ADRTROIS DOMINIQUE (born 1997 in 2A020, a code the COG never had) and ADRTROIS
    # TOUSSAINT (born 1960 in 2B020, before that code existed), as the CNDA publishes them.
    assert (await place(client, "2A020", birth_date="1997-02-26"))["kind"] == "test"
    assert (await place(client, "2B020", birth_date="1960-01-01"))["kind"] == "test"
    assert (await place(client, "2B020", birth_date="1980-03-02"))["name"] == "Aregno"


async def test_countries_and_the_unknown_place(client):
    italy = await places(client, q="ital", birth_date="1952-04-15")
    assert italy["items"][0] == {
        **italy["items"][0],
        "code": "99127",
        "name": "ITALIE",
        "kind": "pays",
        "department": None,
    }
    # A territory under its country's code.
    assert ("99132", "JERSEY") in codes(await places(client, q="jersey"))
    assert (await place(client, "99127", birth_date="1990-01-01"))["kind"] == "pays"
    unknown = await place(client, "99999", birth_date="1901-01-01")
    assert (unknown["kind"], unknown["department"]) == ("inconnu", None)


@pytest.mark.parametrize(
    "q",
    ["st etienne", "ST-ETIENNE", "Saint-Étienne", "saint etienne", "st  étienne", "st'etienne"],
)
async def test_accents_case_punctuation_and_st_are_folded(client, q):
    found = codes(await places(client, q=q, birth_date="1980-01-01", limit=3))
    assert found[0] == ("42218", "Saint-Étienne")


async def test_folding_of_sainte_articles_and_apostrophes(client):
    assert codes(await places(client, q="ste foy les lyon", birth_date="1990-01-01")) == [
        ("69202", "Sainte-Foy-lès-Lyon")
    ]
    assert codes(await places(client, q="beziers"))[0] == ("34032", "Béziers")
    with_article = codes(await places(client, q="L'Abergement-Clémenciat"))
    without = codes(await places(client, q="abergement clemenciat"))
    assert with_article == without == [("01001", "L'Abergement-Clémenciat")]


async def test_st_being_typed_finds_both_st_and_saint(client):
    found = [name for _, name in codes(await places(client, q="st", limit=100))]
    assert any(name.startswith("Saint-") for name in found)
    found = [name for _, name in codes(await places(client, q="stras", limit=5))]
    assert "Strasbourg" in found


async def test_the_nir_s_place_comes_first(client):
    # ADRUN ZOE's NIR: born in the Puy-de-Dôme (63), commune 220 — Mazoires.
    answer = await places(client, q="clermont", nir="275126322074974", birth_date="1975-12-31")
    assert answer["items"][0] == {**answer["items"][0], "code": "63220", "from_nir": True}
    assert answer["items"][1]["name"].startswith("Clermont")
    assert all("from_nir" not in item for item in answer["items"][1:])
    # Without q, the NIR's place alone; born abroad: 99 and the country.
    alone = await places(client, nir="152049912700103", birth_date="1952-04-15")
    assert codes(alone) == [("99127", "ITALIE")]
    # A NIR whose place was no code at that date offers nothing of its own.
    merged = await places(client, nir="123010103912341", birth_date="2023-06-01")
    assert merged["items"] == []
    before = await places(client, nir="123010103912341", birth_date="2022-06-01")
    assert codes(before) == [("01039", "Béon")]


async def test_limit(client):
    assert len((await places(client, q="saint", limit=7))["items"]) == 7
    assert len((await places(client, q="saint"))["items"]) == 20


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "culoz", "birth_date": "2023-02-30"}, "birth_date"),
        ({"q": "culoz", "birth_date": "yesterday"}, "birth_date"),
        ({"q": "culoz", "limit": "0"}, "limit"),
        ({"q": "culoz", "limit": "101"}, "limit"),
        ({"q": "culoz", "nir": "12345"}, "nir"),
        # Its key checks, but no NIR starts with 4: no place to read in it.
        ({"q": "culoz", "nir": "485059710512308"}, "nir"),
        ({"birth_date": "2020-01-01"}, "q"),
        ({"q": "x" * 101}, "q"),
    ],
)
async def test_bad_search_input_is_a_422_naming_the_field(client, params, field):
    response = await client.get("/v1/insee/places", params=params)
    assert response.status == 422, await response.text()
    assert response.content_type == PROBLEM
    problem = await response.json(content_type=None)
    assert field in {error["field"].strip("/") for error in problem["errors"]}


@pytest.mark.parametrize(
    ("code", "params", "field"),
    [
        ("01039", {"birth_date": "2023-13-01"}, "birth_date"),
        ("1A039", {}, "code"),
        ("0103", {}, "code"),
    ],
)
async def test_bad_lookup_input_is_a_422_naming_the_field(client, code, params, field):
    response = await client.get(f"/v1/insee/places/{code}", params=params)
    assert response.status == 422, await response.text()
    problem = await response.json(content_type=None)
    assert field in {error["field"].strip("/") for error in problem["errors"]}


async def test_a_code_that_never_was_is_a_404(client):
    problem = await place(client, "12999", 404)
    assert problem["type"].endswith(":insee-place-unknown")
