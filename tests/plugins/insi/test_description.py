"""The INSi operations as the OpenAPI document describes them (issue 17): what a vendor's client
generator reads is checked on the live document, and against what the daemon really answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from aiguillage.plugins.insi.api import OPERATIONS
from aiguillage.plugins.insi.client import xsd_date
from aiguillage.plugins.insi.refusals import REFUSALS
from aiguillage.shapes import FORMATS

from .conftest import admin
from .test_search import PROBLEM, traits
from .test_verify import ruth_returned

OPERATION_IDS = {
    ("POST", "/v1/ins/search"): "searchIns",
    ("POST", "/v1/ins/verify"): "verifyIns",
    ("GET", "/v1/ins/history"): "listInsHistory",
    ("POST", "/v1/ins/status"): "getIdentityStatus",
}
#: The named shapes of each operation's body and answer.
SHAPES = {
    "searchIns": ("InsSearch", "InsSearchResult"),
    "verifyIns": ("InsVerify", "InsVerifyResult"),
    "listInsHistory": (None, "InsHistory"),
    "getIdentityStatus": ("IdentityStatusRequest", "IdentityStatusResult"),
}
#: Every shape the INSi operations name of their own.
NAMES = {
    "InsSearch",
    "InsSearchByTraits",
    "InsSearchByVitale",
    "CarteVitale",
    "InsSearchResult",
    "InsiIns",
    "InsiTraits",
    "InsiReport",
    "InsiCall",
    "InsVerify",
    "InsVerifyResult",
    "InsTraitDifference",
    "InsiIdentity",
    "InsHistory",
    "InsHistoryCall",
    "IdentityStatusRequest",
    "IdentityStatusPatient",
    "IdentityProof",
    "IdentityDocumentType",
    "InsiOutcome",
    "InsiJournalReference",
    "InsiEvidence",
    "IdentityStatusResult",
    "IdentityStatusMissing",
    "IdentityStatusInsi",
}
#: The request shapes of the identity status (``status.py``).
STATUS_REQUESTS = {
    "IdentityStatusRequest",
    "IdentityStatusPatient",
    "IdentityProof",
    "IdentityDocumentType",
    "InsiOutcome",
    "InsiJournalReference",
    "InsiEvidence",
}
#: The shapes of what the daemon answers.
ANSWERS = NAMES - {
    "InsSearch",
    "InsSearchByTraits",
    "InsSearchByVitale",
    "CarteVitale",
    "InsVerify",
    *STATUS_REQUESTS,
}
#: The shared shapes they use (``aiguillage.plugin``), described where they are written.
SHARED = {"Traits", "Ins", "Practitioner"}
REQUEST_ID = "ehr-4f1c2a"  # the examples'


async def openapi(client) -> dict[str, Any]:
    response = await client.get("/v1/openapi.json")
    assert response.status == 200
    return await response.json()


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The INSi operations of ``document``, by operationId."""
    return {
        op["operationId"]: op
        for path, methods in document["paths"].items()
        for method, op in methods.items()
        if (method.upper(), path) in OPERATION_IDS
    }


def named(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator of ``schema`` as the document gives it: its ``$ref`` resolved in the
    document's components, the daemon's formats checked."""
    return Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=FORMATS
    )


def walk(node: Any, where: str):
    """Every schema object below ``node``, with where it is."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from walk(value, f"{where}/{n}")


def success(op: dict[str, Any]) -> dict[str, Any]:
    return op["responses"]["200"]["content"]["application/json"]


def test_every_operation_has_its_readable_id_a_description_and_examples():
    assert {(op.method, op.path): op.operation_id for op in OPERATIONS} == OPERATION_IDS
    for op in OPERATIONS:
        assert op.description.strip() and op.response_examples, op.operation_id
        assert op.request_examples or op.request_schema is None, op.operation_id


async def test_bodies_and_answers_are_named_shapes(insi):
    document = await openapi(insi)
    ops = operations(document)
    assert set(ops) == set(SHAPES)
    for op_id, (body, answer) in SHAPES.items():
        if body:
            content = ops[op_id]["requestBody"]["content"]["application/json"]
            assert content["schema"] == ref(body), op_id
        assert success(ops[op_id])["schema"] == ref(answer), op_id
    # An answer may gain properties (changes are additive): a generated client must not
    # refuse one it does not know.
    for name in ANSWERS:
        for where, schema in walk(named(document, name), name):
            assert "additionalProperties" not in schema, where


async def test_every_shape_is_fully_described(insi):
    document = await openapi(insi)
    assert NAMES | SHARED <= set(document["components"]["schemas"])
    for name in NAMES:
        assert named(document, name).get("description"), name
        for where, schema in walk(named(document, name), name):
            kinds = schema.get("type", [])
            if schema.get("type") == "object" or "object" in kinds:
                assert schema.get("properties"), f"{where}: an object without properties"
            if schema.get("type") == "array" or "array" in kinds:
                assert "items" in schema, f"{where}: an array without items"
            if "required" in schema:
                assert set(schema["required"]) <= set(schema.get("properties", {})), where
            for key, prop in schema.get("properties", {}).items():
                assert "$ref" in prop or ("type" in prop or "anyOf" in prop), f"{where}/{key}"
                assert "$ref" in prop or prop.get("description"), f"{where}/{key}"


async def test_the_search_is_one_of_three_real_types(insi):
    document = await openapi(insi)
    assert named(document, "InsSearch")["oneOf"] == [
        ref("InsSearchByTraits"),
        ref("InsSearchByVitale"),
        ref("InsSearchByApcvSession"),
    ]
    by_session = named(document, "InsSearchByApcvSession")
    assert by_session["required"] == ["apcv_session"]
    assert set(by_session["properties"]) == {"apcv_session", "beneficiary", "practitioner"}
    for name, key, shape in (
        ("InsSearchByTraits", "traits", "Traits"),
        ("InsSearchByVitale", "vitale", "CarteVitale"),
    ):
        branch = named(document, name)
        assert branch["type"] == "object" and branch["additionalProperties"] is False
        assert branch["required"] == [key]
        assert branch["properties"] == {key: ref(shape), "practitioner": ref("Practitioner")}
    vitale = named(document, "CarteVitale")["properties"]
    assert (vitale["nir"]["format"], vitale["nir_od"]["format"]) == ("nir", "nir")
    assert vitale["birth_date"]["format"] == "birth-date"
    assert vitale["birth_name"]["format"] == "ins-name"
    verify = named(document, "InsVerify")["properties"]
    assert (verify["ins"], verify["traits"]) == (ref("Ins"), ref("Traits"))


async def test_answers_use_dates_and_times(insi):
    document = await openapi(insi)
    ins = named(document, "InsiIns")["properties"]
    assert (ins["start"]["format"], ins["end"]["format"]) == ("date", "date")
    assert named(document, "InsHistoryCall")["properties"]["time"]["format"] == "date-time"
    result = named(document, "InsSearchResult")["properties"]
    assert result["history"]["items"] == ref("InsiIns")
    assert result["calls"]["items"] == ref("InsiCall")
    assert named(document, "InsiCall")["properties"]["first_names"]["items"] == {"type": "string"}


async def test_the_examples_are_valid_against_their_schemas(insi):
    document = await openapi(insi)
    checked = 0
    for op_id, op in operations(document).items():
        contents = [op.get("requestBody", {}).get("content", {}), {"": success(op)}]
        for content in contents:
            for media in content.values():
                for name, example in media.get("examples", {}).items():
                    errors = list(
                        validator(document, media["schema"]).iter_errors(example["value"])
                    )
                    assert not errors, f"{op_id} example {name!r}: {errors[0]}"
                    checked += 1
    assert checked == 19


async def test_the_request_examples_are_what_the_daemon_answers_as_shown(insi):
    ops = operations(await openapi(insi))
    for op_id, path, answer in (
        ("searchIns", "/v1/ins/search", {"traits": "found", "carte Vitale": "by carte Vitale"}),
        ("verifyIns", "/v1/ins/verify", {"held identity": "match"}),
    ):
        requests = ops[op_id]["requestBody"]["content"]["application/json"]["examples"]
        answers = success(ops[op_id])["examples"]
        for name, example in requests.items():
            if "apcv_session" in example["value"]:
                continue  # names a session only a scan opens: tests/test_care_flow.py runs it
            response = await insi.post(
                path, json=example["value"], headers={"X-Request-Id": REQUEST_ID}
            )
            assert response.status == 200, (op_id, name, await response.text())
            if name in answer:
                got, shown = await response.json(), answers[answer[name]]["value"]
                for call in got["calls"] + shown["calls"]:
                    call["ms"] = 0  # the one thing that varies
                assert got == shown, (op_id, name)


def declared(op: dict[str, Any]) -> set[tuple[int, str]]:
    return {
        (int(status), t.rsplit(":", 1)[1])
        for status, response in op["responses"].items()
        for t in response.get("x-problem-types", [])
    }


async def test_the_insi_failures_are_declared_by_the_operations_that_call_it(insi):
    ops = operations(await openapi(insi))
    failures = {(status, slug) for status, slug, _ in REFUSALS.values()}
    failures |= {(503, "insi-fault"), (502, "insi-fault")}
    failures |= {(503, "insi-unavailable"), (504, "insi-timeout")}
    for op_id in ("searchIns", "verifyIns"):
        assert failures | {(422, "validation")} <= declared(ops[op_id]), op_id
    assert not {slug for _, slug in declared(ops["listInsHistory"])} & {
        slug for _, slug in failures
    }
    assert (422, "validation") in declared(ops["listInsHistory"])


@pytest.mark.parametrize(
    ("given", "served"),
    [
        ("2019-03-01", "2019-03-01"),
        ("2019-03-01+01:00", "2019-03-01"),
        ("2019-03-01Z", "2019-03-01"),
        ("", None),
        (None, None),
        ("01/03/2019", None),
    ],
)
def test_insi_dates_are_served_as_dates(given, served):
    assert xsd_date(given) == served


def with_history(start: str, end: str) -> bytes:
    """RUTH's answer with a former INS whose dates carry a time zone, as ``xsd:date`` allows."""
    former = (
        f"<INSHISTO><IdIndividu><NumIdentifiant>2770763220829</NumIdentifiant><Cle>10</Cle>"
        f"</IdIndividu><OID>1.2.250.1.213.1.4.8</OID><DateDeb>{start}</DateDeb>"
        f"<DateFin>{end}</DateFin></INSHISTO>"
    )
    return ruth_returned().replace(b"</INSACTIF>", f"</INSACTIF>{former}".encode())


async def test_served_dates_and_times_are_rfc_3339(insi, pki):
    await admin(insi, pki, "inject", data=with_history("2019-03-01+01:00", "2020-02-28Z"))
    answer = await (
        await insi.post("/v1/ins/search", json=traits("NESSI", ["RUTH"], "F", "1977-07-14"))
    ).json()
    (former,) = answer["history"]
    assert (former["start"], former["end"]) == ("2019-03-01", "2020-02-28")
    history = await (await insi.get("/v1/ins/history?ins=277076322082910")).json()
    (call,) = history["calls"]
    assert dt.datetime.fromisoformat(call["time"]).utcoffset() == dt.timedelta(0)
    assert call["time"][10] == "T" and call["time"].endswith("+00:00")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ins=277076322082911", "ins"),  # the key does not match
        ("ins=2770763220829 10", "ins"),
        ("ins=277076322082910&patient=x", "patient"),
        ("", "ins"),
    ],
)
async def test_history_refuses_a_bad_query(insi, query, field):
    response = await insi.get(f"/v1/ins/history?{query}")
    assert response.status == 422, await response.text()
    problem = await response.json(content_type=PROBLEM)
    assert {e["field"] for e in problem["errors"]} == {field}
