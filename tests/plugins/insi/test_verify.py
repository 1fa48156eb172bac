"""Verifying an INS before qualifying an identity, and reading every CNDA response file."""

from __future__ import annotations

import pytest

from aiguillage.plugins.insi.client import parse_resultat
from aiguillage.xml import parse

import conftest
from .conftest import admin
from conftest import beside

RUTH = {
    "birth_name": "NESSI",
    "first_names": ["RUTH", "ISABELLE"],
    "sex": "F",
    "birth_date": "1977-07-14",
    "birth_place": "63220",
}


def example(name: str) -> bytes:
    """One of the CNDA test responses."""
    return beside(f"specs/insi/examples/{name}").read_bytes()


async def verify(client, body, status=200):
    response = await client.post("/v1/ins/verify", json=body)
    assert response.status == status, await response.text()
    return await response.json(content_type=None)


async def test_matching_ins_and_traits(insi):
    answer = await verify(
        insi,
        {"ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"}, "traits": RUTH},
    )
    assert answer == {**answer, "match": True, "ins_match": True, "differences": []}
    assert len(answer["calls"]) == 1


async def test_returned_traits_that_differ_are_reported(insi, pki):
    # CNDA TEST_3.05 cas 3: the same INS comes back with first name NATHALIE.
    await admin(insi, pki, "inject", data=example("TEST_3.05_cas3.xml"))
    answer = await verify(insi, {"ins": {"matricule": "277076322082910"}, "traits": RUTH})
    assert answer["match"] is False and answer["ins_match"] is True
    assert answer["differences"] == [
        {"trait": "first_names", "held": "RUTH ISABELLE", "returned": "NATHALIE"}
    ]


@pytest.fixture
def without_specs(monkeypatch, tmp_path):
    """No specification files beside the project, as in a bare clone: a test using this runs
    all the same (were it to reach for one, it would be skipped, or fail in CI)."""
    monkeypatch.setattr(conftest, "BESIDE", tmp_path / "no-specs")


def ruth_returned(**traits: str) -> bytes:
    """INSi's answer for RUTH's INS, with the traits given instead of hers: written here, so
    the tests need none of the CNDA response files."""
    t = {
        "birth_name": "NESSI",
        "first_names": "RUTH ISABELLE",
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
        **traits,
    }
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>
<RESULTAT xmlns="http://www.cnamts.fr/INSiResultat">
  <CR><CodeCR>00</CodeCR><LibelleCR>OK</LibelleCR></CR>
  <INDIVIDU>
    <INSACTIF>
      <IdIndividu><NumIdentifiant>2770763220829</NumIdentifiant><Cle>10</Cle></IdIndividu>
      <OID>1.2.250.1.213.1.4.8</OID>
    </INSACTIF>
    <TIQ>
      <NomNaissance>{t["birth_name"]}</NomNaissance>
      <Prenom>{t["first_names"].split()[0]}</Prenom>
      <ListePrenom>{t["first_names"]}</ListePrenom>
      <Sexe>{t["sex"]}</Sexe>
      <DateNaissance>{t["birth_date"]}</DateNaissance>
      <LieuNaissance>{t["birth_place"]}</LieuNaissance>
    </TIQ>
  </INDIVIDU>
</RESULTAT></soap:Body></soap:Envelope>""".encode()


@pytest.mark.parametrize(
    ("returned", "differences"),
    [
        ({"birth_name": "NESSY"}, [("birth_name", "NESSI", "NESSY")]),
        ({"first_names": "NATHALIE"}, [("first_names", "RUTH ISABELLE", "NATHALIE")]),
        ({"first_names": "RUTH"}, [("first_names", "RUTH ISABELLE", "RUTH")]),
        ({"sex": "M"}, [("sex", "F", "M")]),
        ({"birth_date": "1977-07-04"}, [("birth_date", "1977-07-14", "1977-07-04")]),
        ({"birth_place": "63113"}, [("birth_place", "63220", "63113")]),
        (
            {"birth_name": "NESSY", "birth_date": "1977-07-04"},
            [("birth_name", "NESSI", "NESSY"), ("birth_date", "1977-07-14", "1977-07-04")],
        ),
    ],
    ids=["birth name", "first names", "a first name less", "sex", "birth date", "place", "two"],
)
async def test_each_differing_trait_is_reported(insi, pki, without_specs, returned, differences):
    await admin(insi, pki, "inject", data=ruth_returned(**returned))
    answer = await verify(insi, {"ins": {"matricule": "277076322082910"}, "traits": RUTH})
    assert answer["match"] is False and answer["ins_match"] is True
    assert answer["differences"] == [
        {"trait": trait, "held": held, "returned": got} for trait, held, got in differences
    ]


async def test_a_first_name_the_ehr_lacks_is_a_difference(insi, without_specs):
    # The simulator finds RUTH by her first first name and returns both of hers.
    answer = await verify(
        insi,
        {"ins": {"matricule": "277076322082910"}, "traits": {**RUTH, "first_names": ["RUTH"]}},
    )
    assert answer["match"] is False and answer["ins_match"] is True
    assert answer["differences"] == [
        {"trait": "first_names", "held": "RUTH", "returned": "RUTH ISABELLE"}
    ]


async def test_another_ins_is_reported(insi):
    answer = await verify(insi, {"ins": {"matricule": "275126322074974"}, "traits": RUTH})
    assert answer["match"] is False and answer["ins_match"] is False
    assert answer["returned"]["ins"]["matricule"] == "277076322082910"


async def test_unknown_person(insi):
    answer = await verify(
        insi,
        {"ins": {"matricule": "275126322074974"}, "traits": {**RUTH, "birth_date": "1977-07-15"}},
    )
    assert answer["match"] is False and answer["cr"]["code"] == "01"
    assert answer["returned"] is None


@pytest.mark.parametrize(
    ("ins", "field"),
    [
        ({"matricule": "277076322082911"}, "/ins/matricule"),
        ({"matricule": "2770763220829"}, "/ins/matricule"),
        ({"matricule": "277076322082910", "oid": "1.2.3"}, "/ins/oid"),
    ],
)
async def test_bad_held_ins(insi, ins, field):
    response = await insi.post("/v1/ins/verify", json={"ins": ins, "traits": RUTH})
    assert response.status == 422
    body = await response.json(content_type="application/problem+json")
    assert field in {e["field"] for e in body["errors"]}


async def test_verification_is_journaled(insi):
    await verify(insi, {"ins": {"matricule": "277076322082910"}, "traits": RUTH})
    history = await (await insi.get("/v1/ins/history?ins=277076322082910")).json()
    assert [c["type"] for c in history["calls"]] == ["ins.verify"]


# --- the CNDA response files -------------------------------------------------------------------

EXPECTED = {
    "REP_CR01.xml": ("01", None, None, 0),
    "TEST_1.10.xml": ("00", "109076322083489", "NIA", 0),
    "TEST_2.04_cas2.xml": ("00", "109076322083489", "NIR", 2),
    "TEST_2.05.xml": ("00", "109076322088835", "NIA", 0),
    "TEST_2.08_cas1.xml": ("00", "180032B02040123", "NIR", 1),
    "TEST_2.08_cas2.xml": ("00", "181036322045676", "NIR", 2),
    "TEST_3.05_cas3.xml": ("00", "277076322082910", "NIR", 0),
}


def test_every_cnda_example_is_covered():
    assert {p.name for p in beside("specs/insi/examples").glob("*.xml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_client_reads_every_cnda_response(name):
    cr, matricule, kind, history = EXPECTED[name]
    result = parse_resultat(parse(example(name)))
    assert result.cr == cr
    assert (result.ins.matricule if result.ins else None) == matricule
    assert (result.ins.kind if result.ins else None) == kind
    assert len(result.history) == history
    if result.traits:
        assert result.traits.birth_name and result.traits.first_names
        assert all(h.matricule and len(h.matricule) == 15 for h in result.history)


def test_history_dates_are_read_whatever_their_order():
    # TEST_2.04 cas 2 puts DateDeb/DateFin before IdIndividu, out of the schema's order.
    result = parse_resultat(parse(example("TEST_2.04_cas2.xml")))
    assert (result.history[0].matricule, result.history[0].start, result.history[0].end) == (
        "209076322083439",
        "2019-03-01",
        "2019-02-28",
    )
