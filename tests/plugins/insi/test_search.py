"""INS search through the daemon API, against the simulator, for every published test
identity and every way a search can go."""

from __future__ import annotations

import pytest

from aiguillage.appkeys import JOURNAL
from aiguillage.journal import JournalFilter, select
from aiguillage.xml import parse

from .conftest import admin

PROBLEM = "application/problem+json"
NIR, NIA = "1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9"
RECSANS = "http://www.cnamts.fr/INSiRecSans"  # the traits search's namespace (its WSDL)


BORN = {"birth_date": "1977-07-14"}


def traits(birth_name, first_names, sex, birth_date, birth_place=None):
    t = {"birth_name": birth_name, "first_names": first_names, "sex": sex, "birth_date": birth_date}
    if birth_place:
        t["birth_place"] = birth_place
    return {"traits": t}


async def search(client, body, status=200):
    response = await client.post("/v1/ins/search", json=body)
    assert response.status == status, await response.text()
    return await response.json(content_type=None)


def journal(client, event="ins"):
    return list(
        select(client.app[JOURNAL].reader, JournalFilter(event=event, limit=None, ascending=True))
    )


@pytest.mark.parametrize(
    ("person", "matricule", "oid", "history"),
    [
        (("ADRUN", ["ZOE"], "F", "1975-12-31"), "275126322074974", NIR, []),
        (("ADRTROIS", ["DOMINIQUE"], "F", "1997-02-26"), "297022A02077878", NIR, []),
        (("ADRTROIS", ["TOUSSAINT"], "M", "1960-01-01"), "160012B02077713", NIR, []),
        (("CORSE", ["ANTHONY"], "M", "1980-03-02"), "180032B02040123", NIR, ["180032B02040123"]),
        (
            ("ECETINSI", ["PIERRE-ALAIN", "MURIEL", "FLORIANT"], "M", "2009-07-14"),
            "109076322083489",
            NIR,
            ["209076322083439", "209066322012355"],
        ),
        (
            ("HERMAN", ["GATIEN"], "M", "1981-03-24"),
            "181036322045676",
            NIR,
            ["181036322045676", "281036322045610"],
        ),
        (("TCHITCHI", ["CATARINA"], "F", "1936-06-21"), "236066322083656", NIR, []),
        (("NESSI", ["MICHELANGELO"], "M", "2010-08-07"), "110086322083060", NIR, []),
        (("NESSI", ["RUTH", "ISABELLE"], "F", "1977-07-14"), "277076322082910", NIR, []),
        (("PROVISOIRE", ["MATRICULE"], "M", "2009-07-01"), "109076322088835", NIA, []),
    ],
)
async def test_published_identities_are_found(insi, person, matricule, oid, history):
    answer = await search(insi, traits(*person))
    assert answer["result"] == "found" and answer["cr"] == {"code": "00", "label": "OK"}
    assert answer["ins"] == {
        "matricule": matricule,
        "oid": oid,
        "kind": "NIA" if oid == NIA else "NIR",
    }
    assert [h["matricule"] for h in answer["history"]] == history
    assert answer["traits"]["birth_name"] == person[0]
    assert answer["traits"]["first_name"] == person[1][0]
    assert answer["datamatrix"].startswith(f"IS010000000000000000000000S1{matricule}S2{oid}\x1d")
    assert len(answer["calls"]) == 1


async def test_tchitchi_with_ola_is_not_found(insi):
    answer = await search(insi, traits("TCHITCHI", ["OLA"], "F", "1936-06-21"))
    assert answer["result"] == "not_found" and answer["cr"]["code"] == "01"
    assert answer["ins"] is None and answer["datamatrix"] is None


async def test_houilles_is_never_found(insi):
    answer = await search(insi, traits("HOUILLES", ["PIERRE"], "M", "1993-01-27"))
    assert answer["result"] == "not_found"


async def test_second_call_with_all_first_names(insi):
    answer = await search(insi, traits("LAMBERT", ["MARIE", "CLAIRE"], "F", "1985-05-12"))
    assert answer["result"] == "found" and answer["ins"]["matricule"] == "285056311300135"
    assert [c["cr"] for c in answer["calls"]] == ["01", "00"]
    sent = [row["request"] for row in journal(insi)]
    assert "<ns0:Prenom>MARIE</ns0:Prenom>" in sent[0]
    assert "<ns0:Prenom>MARIE CLAIRE</ns0:Prenom>" in sent[1]


def asked_first_names(client) -> list[str]:
    """The first names of each traits search sent, read from the request XML journaled, as
    the simulator reads them (every ``Prenom`` of the body, joined)."""
    asked = []
    for row in journal(client, "ins.search"):
        body = parse(row["request"].encode()).find(f".//{{{RECSANS}}}RECSANSVITALE")
        asked.append(" ".join(p.text for p in body.findall(f"{{{RECSANS}}}Prenom")))
    return asked


@pytest.mark.parametrize(
    ("person", "crs", "asked"),
    [
        # Found with the first first name: no second call.
        (("NESSI", ["RUTH", "ISABELLE"], "F", "1977-07-14"), ["00"], ["RUTH"]),
        # CR 01 with one first name: there is no other list to try.
        (("TCHITCHI", ["OLA"], "F", "1936-06-21"), ["01"], ["OLA"]),
        # CR 01 with several: once more with all of them, found or not.
        (
            ("LAMBERT", ["MARIE", "CLAIRE"], "F", "1985-05-12"),
            ["01", "00"],
            ["MARIE", "MARIE CLAIRE"],
        ),
        (("TCHITCHI", ["OLA", "BELLA"], "F", "1936-06-21"), ["01", "01"], ["OLA", "OLA BELLA"]),
        # CR 02: several people have these traits; more first names is not what INSi asks.
        (("DE VINCI", ["LEONARDO", "PIERO"], "M", "1952-04-15"), ["02"], ["LEONARDO"]),
    ],
    ids=["cr00", "cr01 one name", "cr01 then 00", "cr01 then 01", "cr02"],
)
async def test_a_second_call_with_all_first_names_only_after_cr_01(insi, pki, person, crs, asked):
    before = (await admin(insi, pki, "state"))["calls"]
    answer = await search(insi, traits(*person))
    # The simulator's own count, the journaled requests and the answer agree.
    assert (await admin(insi, pki, "state"))["calls"] - before == len(crs)
    assert asked_first_names(insi) == asked
    assert [c["cr"] for c in answer["calls"]] == crs
    assert answer["cr"]["code"] == crs[-1]


async def test_several_identities_say_what_would_disambiguate(insi):
    answer = await search(insi, traits("DE VINCI", ["LEONARDO"], "M", "1952-04-15"))
    assert answer["result"] == "several" and answer["cr"]["code"] == "02"
    assert "birth_place" in answer["disambiguate"]
    one = await search(insi, traits("DE VINCI", ["LEONARDO"], "M", "1952-04-15", "75056"))
    assert one["result"] == "found" and one["ins"]["kind"] == "test"


async def test_names_are_folded_to_the_insi_alphabet(insi):
    answer = await search(insi, traits("Tchitchi", ["Catarína"], "F", "1936-06-21"))
    assert answer["ins"]["matricule"] == "236066322083656"
    # What is sent, not only what the simulator (which folds too) makes of it.
    (row,) = journal(insi)
    assert "<ns0:NomNaissance>TCHITCHI</ns0:NomNaissance>" in row["request"]
    assert "<ns0:Prenom>CATARINA</ns0:Prenom>" in row["request"]
    assert answer["calls"][0]["first_names"] == ["CATARINA"]


async def test_first_names_given_in_one_string_are_several(insi):
    answer = await search(insi, traits("Lambert", ["Marie Claire"], "F", "1985-05-12"))
    assert [c["first_names"] for c in answer["calls"]] == [["MARIE"], ["MARIE", "CLAIRE"]]
    assert answer["result"] == "found"


async def test_carte_vitale_search_finds_the_same_people(insi):
    answer = await search(
        insi,
        {
            "vitale": {
                "nir": "277076322082910",
                "birth_date": "1977-07-14",
                "birth_name": "Nessi",
                "rank": 1,
            }
        },
    )
    assert answer["result"] == "found"
    assert answer["traits"]["first_names"] == ["RUTH", "ISABELLE"]
    corse = await search(insi, {"vitale": {"nir": "180032B02040123", "birth_date": "1980-03-02"}})
    assert corse["ins"]["matricule"] == "180032B02040123"
    wrong_date = await search(
        insi, {"vitale": {"nir": "277076322082910", "birth_date": "1977-07-15"}}
    )
    assert wrong_date["result"] == "not_found"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (traits("TCHITCHI", ["CATARINA"], "X", "1936-06-21"), {"/traits/sex"}),
        (traits("TCH1TCHI", ["CATARINA"], "F", "1936-06-21"), {"/traits/birth_name"}),
        (traits("TCHITCHI", ["CATA_RINA"], "F", "1936-06-21"), {"/traits/first_names/0"}),
        (traits("TCHITCHI", ["CATARINA"], "F", "21/06/1936"), {"/traits/birth_date"}),
        (traits("TCHITCHI", ["CATARINA"], "F", "2999-01-01"), {"/traits/birth_date"}),
        (traits("TCHITCHI", ["CATARINA"], "F", "1936-13-01"), {"/traits/birth_date"}),
        (traits("TCHITCHI", ["CATARINA"], "F", "1936-06-21", "6322"), {"/traits/birth_place"}),
        (traits("TCHITCHI", [], "F", "1936-06-21"), {"/traits/first_names"}),
        ({"vitale": {"nir": "277076322082911", "birth_date": "1977-07-14"}}, {"/vitale/nir"}),
        ({"vitale": {"nir": "27707632208", "birth_date": "1977-07-14"}}, {"/vitale/nir"}),
        (
            {"vitale": {"nir": "277076322082910", "nir_od": "277076322082911", **BORN}},
            {"/vitale/nir_od"},
        ),
        (
            {"vitale": {"nir": "277076322082910", "birth_date": "2999-07-14"}},
            {"/vitale/birth_date"},
        ),
        ({"vitale": {"nir": "277076322082910", "birth_date": "1977-7-14"}}, {"/vitale/birth_date"}),
        (
            {"vitale": {"nir": "277076322082910", "birth_name": "N3SSI", **BORN}},
            {"/vitale/birth_name"},
        ),
        ({"vitale": {"nir": "277076322082910", "rank": 0, **BORN}}, {"/vitale/rank"}),
        (
            {"traits": {"birth_name": "NESSI", "first_names": ["RUTH"], "sex": "F"}},
            {"/traits/birth_date"},
        ),
        (
            {**traits("TCH1TCHI", ["CATA_RINA"], "F", "1936-06-21")},
            {"/traits/birth_name", "/traits/first_names/0"},
        ),
        ({**traits("NESSI", ["RUTH"], "F", "1977-07-14"), "kind": "x"}, {"/kind"}),
        ({}, {"/"}),
        (
            {
                **traits("A", ["B"], "F", "1936-06-21"),
                "vitale": {"nir": "277076322082910", "birth_date": "1977-07-14"},
            },
            {"/"},
        ),
    ],
)
async def test_bad_input_is_refused_before_any_call(insi, body, fields):
    response = await insi.post("/v1/ins/search", json=body)
    assert response.status == 422, await response.text()
    problem = await response.json(content_type=PROBLEM)
    assert {e["field"] for e in problem["errors"]} == fields
    assert journal(insi) == []


async def test_lunar_birth_date_accepted(insi):
    answer = await search(insi, traits("INCONNU", ["JEAN"], "M", "1950-00-00"))
    assert answer["result"] == "not_found"


async def test_every_call_is_journaled_with_what_was_exchanged(insi):
    body = {
        **traits("NESSI", ["RUTH"], "F", "1977-07-14"),
        "practitioner": {
            "national_id": "10101010101",
            "given_name": "ANNE",
            "family_name": "MARTIN",
        },
    }
    await search(insi, body)
    (row,) = journal(insi)
    assert row["event"] == "ins.search" and row["outcome"] == "cr00"
    assert row["patient_ins"] == "277076322082910"
    assert row["practitioner_id"] == "10101010101" and row["practitioner_name"] == "ANNE MARTIN"
    assert "RECSANSVITALE" in row["request"] and "saml2:Assertion" in row["request"]
    assert '<saml2:NameID NameQualifier="CPS">10101010101</saml2:NameID>' in row["request"]
    assert "INSiResultat" in row["response"]
    assert row["summary"].startswith("traits search: NESSI RUTH F 1977-07-14 → CR 00")


async def test_history_of_a_patient(insi):
    await search(insi, traits("TCHITCHI", ["OLA"], "F", "1936-06-21"))
    await search(insi, traits("TCHITCHI", ["CATARINA"], "F", "1936-06-21"))
    by_ins = await (await insi.get("/v1/ins/history?ins=236066322083656")).json()
    assert [c["outcome"] for c in by_ins["calls"]] == ["cr00"]
    assert by_ins["calls"][0]["practitioner"] == "MAX LIBRE"
    assert "INS 236066322083656" in by_ins["calls"][0]["response_summary"]
    by_name = await (await insi.get("/v1/ins/history?patient=tchitchi")).json()
    assert [c["outcome"] for c in by_name["calls"]] == ["cr00", "cr01"]
    assert (await insi.get("/v1/ins/history")).status == 422
    assert (await insi.get("/v1/ins/history?ins=123")).status == 422


async def test_openapi_lists_the_insi_operations(insi):
    spec = await (await insi.get("/v1/openapi.json")).json()
    assert {"/v1/ins/search", "/v1/ins/verify", "/v1/ins/history"} <= set(spec["paths"])
    assert spec["paths"]["/v1/ins/search"]["post"]["x-scope"] == "insi"


async def test_search_needs_the_insi_scope(insi, store):
    token = store.add("dmp-only", ["dmp"])[1]
    response = await insi.post(
        "/v1/ins/search",
        json=traits("A", ["B"], "F", "1936-06-21"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 403


async def test_simulator_counts_no_call_for_bad_input(insi, pki):
    before = (await admin(insi, pki, "state"))["calls"]
    await insi.post("/v1/ins/search", json=traits("T", ["C"], "F", "nope"))
    assert (await admin(insi, pki, "state"))["calls"] == before
