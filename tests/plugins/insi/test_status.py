"""POST /v1/ins/status: an identity's RNIV status through the API, with INSi's outcome told
inline or read back from a journaled search or verification."""

from __future__ import annotations

import pytest

from .conftest import admin
from conftest import beside

RUTH_INS = {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"}
RUTH = {
    "birth_name": "NESSI",
    "first_names": ["RUTH", "ISABELLE"],
    "sex": "F",
    "birth_date": "1977-07-14",
    "birth_place": "63220",
}
GATIEN = {
    "birth_name": "HERMAN",
    "first_names": ["GATIEN"],
    "sex": "M",
    "birth_date": "1981-03-24",
    "birth_place": "63220",
}


async def status(client, body, expected=200):
    response = await client.post("/v1/ins/status", json=body)
    assert response.status == expected, await response.text()
    return await response.json(content_type=None)


async def last_row(client, event: str) -> dict:
    response = await client.get("/v1/journal", params={"event": event})
    assert response.status == 200
    return (await response.json())["rows"][0]


async def test_a_recovered_identity_checked_on_a_passport_is_qualified(insi):
    answer = await status(
        insi,
        {
            "patient": {"ins": RUTH_INS, "traits": RUTH, "identity_status": "RECUP"},
            "identity_proof": {"document": "passport"},
        },
    )
    assert answer == {
        **answer,
        "status": "QUAL",
        "label": "Identité qualifiée",
        "previous_status": "RECUP",
        "qualified": True,
        "rule": "qualified",
        "missing": [],
        "document_trust": "high",
        "insi": None,
    }
    row = await last_row(insi, "identity.status")
    assert row["patient_ins"] == RUTH_INS["matricule"]
    assert row["summary"] == "RECUP → QUAL (rule qualified)"


async def test_a_journaled_verification_qualifies_a_validated_identity(insi):
    verified = await insi.post("/v1/ins/verify", json={"ins": RUTH_INS, "traits": RUTH})
    assert (await verified.json())["match"] is True
    seq = (await last_row(insi, "ins.verify"))["seq"]
    answer = await status(
        insi,
        {
            "patient": {"ins": RUTH_INS, "traits": RUTH, "identity_status": "VALI"},
            "insi": {"journal_id": seq},
        },
    )
    assert (answer["status"], answer["rule"]) == ("QUAL", "qualified")
    assert answer["insi"] == {
        "outcome": "verified",
        "journal_id": seq,
        "ins": RUTH_INS["matricule"],
    }


async def test_a_journaled_search_recovers_a_new_identity(insi):
    found = await insi.post("/v1/ins/search", json={"traits": RUTH})
    assert (await found.json())["result"] == "found"
    seq = (await last_row(insi, "ins.search"))["seq"]
    answer = await status(insi, {"patient": {"traits": RUTH}, "insi": {"journal_id": seq}})
    assert (answer["status"], answer["insi"]["outcome"]) == ("RECUP", "found")
    assert [m["code"] for m in answer["missing"]] == ["identity_proof"]


async def test_a_verification_with_other_traits_downgrades(insi, pki):
    # CNDA TEST_3.05 cas 3: the same INS comes back with another first name.
    await admin(
        insi, pki, "inject", data=beside("specs/insi/examples/TEST_3.05_cas3.xml").read_bytes()
    )
    verified = await insi.post("/v1/ins/verify", json={"ins": RUTH_INS, "traits": RUTH})
    assert (await verified.json())["match"] is False
    seq = (await last_row(insi, "ins.verify"))["seq"]
    answer = await status(
        insi,
        {
            "patient": {"ins": RUTH_INS, "traits": RUTH, "identity_status": "QUAL"},
            "insi": {"journal_id": seq},
        },
    )
    assert (answer["status"], answer["rule"]) == ("VALI", "insi-downgrade")
    assert answer["insi"]["outcome"] == "differs"
    assert "autres traits" in answer["missing"][0]["label"]


async def test_an_insi_call_about_another_patient_is_refused(insi):
    await insi.post("/v1/ins/search", json={"traits": GATIEN})
    seq = (await last_row(insi, "ins.search"))["seq"]
    problem = await status(
        insi,
        {"patient": {"ins": RUTH_INS, "traits": RUTH}, "insi": {"journal_id": seq}},
        422,
    )
    assert problem["errors"][0]["field"] == "/insi/journal_id"
    assert "another patient" in problem["errors"][0]["message"]


async def test_a_journal_row_that_is_no_answered_insi_call_is_refused(insi):
    await status(insi, {"patient": {"traits": RUTH}})
    own = (await last_row(insi, "identity.status"))["seq"]
    cases = ((own, "not an INSi call"), (own + 1000, "no row"), (2**63 - 2, "no row"))
    for journal_id, words in cases:
        problem = await status(
            insi, {"patient": {"traits": RUTH}, "insi": {"journal_id": journal_id}}, 422
        )
        assert problem["errors"][0]["field"] == "/insi/journal_id"
        assert words in problem["errors"][0]["message"]


async def test_a_minor_with_the_family_book_and_a_parents_passport(insi):
    child = {**RUTH, "birth_date": "2015-05-02"}
    body = {
        "patient": {"ins": RUTH_INS, "traits": child},
        "identity_proof": {"document": "family_record_book", "parent_document": "passport"},
        "insi": {"outcome": "found"},
    }
    assert (await status(insi, body))["status"] == "QUAL"
    # Without the parent's document, the family book validates nothing.
    del body["identity_proof"]["parent_document"]
    answer = await status(insi, body)
    assert (answer["status"], answer["document_trust"]) == ("RECUP", "low")
    # The same book for an adult: not retained either.
    body["patient"]["traits"] = RUTH
    body["identity_proof"]["parent_document"] = "passport"
    assert (await status(insi, body))["status"] == "RECUP"


async def test_an_nia_is_never_qualified(insi):
    nia = {"matricule": "109076322088835", "oid": "1.2.250.1.213.1.4.9"}
    answer = await status(
        insi,
        {
            "patient": {"traits": RUTH},
            "identity_proof": {"document": "passport"},
            "insi": {"outcome": "found", "ins": nia},
        },
    )
    assert (answer["status"], answer["insi"]["outcome"]) == ("VALI", "nia")


async def test_attributes(insi):
    base = {
        "patient": {"ins": RUTH_INS, "traits": RUTH, "identity_status": "QUAL"},
        "identity_proof": {"document": "passport"},
        "insi": {"outcome": "verified"},
    }
    fictitious = await status(insi, {**base, "attributes": ["fictitious"]})
    assert (fictitious["status"], fictitious["qualifiable"]) == ("PROV", False)
    doubtful = await status(insi, {**base, "attributes": ["doubtful", "homonym"]})
    assert (doubtful["status"], doubtful["rule"]) == ("PROV", "doubtful")
    assert doubtful["missing"][0]["code"] == "doubt"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"identity_proof": {"document": "library_card"}}, "/identity_proof/document"),
        (
            {"identity_proof": {"document": "driving_licence", "trust": "high"}},
            "/identity_proof/trust",
        ),
        (
            {"identity_proof": {"document": "birth_certificate", "trust": "high"}},
            "/identity_proof/trust",
        ),
        ({"insi": {"outcome": "found"}, "patient": {"traits": RUTH}}, "/insi/ins"),
        (
            {"insi": {"outcome": "verified", "ins": {"matricule": "181036322045676"}}},
            "/insi/ins",
        ),
        ({"insi": {"outcome": "maybe"}}, "/insi"),
        ({"insi": {"journal_id": 0}}, "/insi"),
        ({"insi": {"journal_id": 2**63 - 1}}, "/insi"),
        ({"attributes": ["dubious"]}, "/attributes/0"),
        ({"attributes": ["homonym", "homonym"]}, "/attributes"),
        ({"patient": {"traits": RUTH, "identity_status": "OK"}}, "/patient/identity_status"),
        ({"patient": {"ins": RUTH_INS}}, "/patient"),
        (
            {"patient": {"traits": {**RUTH, "birth_date": "2999-01-01"}}},
            "/patient/traits/birth_date",
        ),
    ],
)
async def test_bad_input_names_the_field(insi, change, field):
    body = {"patient": {"ins": RUTH_INS, "traits": RUTH}, **change}
    problem = await status(insi, body, 422)
    assert problem["type"] == "urn:aiguillage:problem:validation"
    assert any(e["field"].startswith(field) for e in problem["errors"]), problem
