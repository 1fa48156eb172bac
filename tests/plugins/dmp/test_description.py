"""The DMP operations as the OpenAPI document describes them (issue 17): what a vendor's client
generator reads is checked on the live document, and against what the daemon really answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from aiguillage.ihe.hl7v2 import code_of_cwe, institution_of_xon, person_of_xcn, rfc3339_of_dtm
from aiguillage.plugins.dmp.api import OPERATIONS
from aiguillage.plugins.dmp.refusals import REFUSALS
from aiguillage.shapes import FORMATS

from .test_dmp import PROBLEM, VSM, body, send, sent

OPERATION_IDS = {
    ("GET", "/v1/dmp/patients/{ins}"): "getDmpPatient",
    ("PUT", "/v1/dmp/patients/{ins}/authorization"): "setDmpAuthorization",
    ("GET", "/v1/dmp/patients/{ins}/documents"): "listDmpDocuments",
    ("POST", "/v1/dmp/documents"): "sendDmpDocument",
    ("GET", "/v1/dmp/documents/{unique_id}"): "getDmpDocument",
    ("POST", "/v1/dmp/documents/{unique_id}/status"): "setDmpDocumentStatus",
    ("POST", "/v1/dmp/vsm/batch"): "sendVsmBatch",
    ("GET", "/v1/dmp/batches/{batch_id}"): "getDmpBatch",
    ("GET", "/v1/dmp/patients/{ins}/vsm"): "getDmpVsmStatus",
}
#: The named shape of each answer.
ANSWERS = {
    "getDmpPatient": "DmpPatientStatus",
    "setDmpAuthorization": "DmpAuthorization",
    "listDmpDocuments": "DmpDocumentList",
    "setDmpDocumentStatus": "DmpDocumentStatus",
    "sendVsmBatch": "VsmBatchAccepted",
    "getDmpBatch": "DmpBatch",
    "getDmpVsmStatus": "VsmStatus",
}


async def openapi(dmp) -> dict[str, Any]:
    response = await dmp.get("/v1/openapi.json")
    assert response.status == 200
    return await response.json()


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The DMP's operations of ``document``, by operationId."""
    found = {}
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            if (method.upper(), path) in OPERATION_IDS:
                found[op["operationId"]] = op
    return found


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator of ``schema`` as the document gives it, its ``$ref`` resolved in it and the
    daemon's formats checked."""
    return Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=FORMATS
    )


def named(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def walk(node: Any, where: str = ""):
    """Every schema object below ``node``, with where it is."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from walk(value, f"{where}/{n}")


def test_every_operation_has_its_readable_id_a_description_and_errors():
    assert {(op.method, op.path): op.operation_id for op in OPERATIONS} == OPERATION_IDS
    for op in OPERATIONS:
        assert op.description.strip(), op.operation_id
        # A send's problems are the body's and the Idempotency-Key's, which the core declares.
        assert op.errors or "Idempotency-Key" in op.request_headers, op.operation_id


async def test_the_examples_are_valid_against_their_schemas(dmp):
    document = await openapi(dmp)
    ops = operations(document)
    assert set(ops) == set(OPERATION_IDS.values())
    checked = 0
    for op_id, op in ops.items():
        assert op.get("description"), op_id
        contents = [op.get("requestBody", {}).get("content", {})]
        contents += [r.get("content", {}) for s, r in op["responses"].items() if s < "400"]
        for content in contents:
            for media in content.values():
                for name, example in media.get("examples", {}).items():
                    errors = list(
                        validator(document, media["schema"]).iter_errors(example["value"])
                    )
                    assert not errors, f"{op_id} example {name!r}: {errors[0]}"
                    checked += 1
    assert checked >= 14


async def test_the_send_examples_are_accepted_by_the_daemon(dmp):
    ops = operations(await openapi(dmp))
    for op_id, url in (
        ("sendDmpDocument", "/v1/dmp/documents"),
        ("sendVsmBatch", "/v1/dmp/vsm/batch"),
    ):
        examples = ops[op_id]["requestBody"]["content"]["application/json"]["examples"]
        for name, example in examples.items():
            response = await dmp.post(url, json=example["value"])
            assert response.status == 202, (op_id, name, await response.text())


async def test_answers_are_named_and_fully_described(dmp):
    document = await openapi(dmp)
    ops = operations(document)
    for op_id, name in ANSWERS.items():
        # A send's 201 (?wait=) comes first: its own answer is the last 2xx, its 202.
        answer = [r for s, r in ops[op_id]["responses"].items() if s.startswith("2")][-1]
        assert answer["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{name}"
        }
    names = [
        *ANSWERS.values(),
        "DmpDocumentEntry",
        "DmpAuthor",
        "DmpDocument",
        "DmpDocumentSend",
        "VsmBatch",
    ]
    for name in names:
        for where, schema in walk(named(document, name), name):
            if schema.get("type") == "array" or "array" in schema.get("type", []):
                assert "items" in schema, f"{where}: an array without items"
            if "required" in schema:
                assert set(schema["required"]) <= set(schema.get("properties", {})), where
            if "properties" in schema:
                for key, prop in schema["properties"].items():
                    assert prop.get("description") or "$ref" in prop, f"{where}/{key}"


async def test_the_document_kinds_are_real_types(dmp):
    document = await openapi(dmp)
    send = named(document, "DmpDocumentSend")
    assert send["properties"]["patient"] == {"$ref": "#/components/schemas/DocumentPatient"}
    assert send["properties"]["document"] == {"$ref": "#/components/schemas/DmpDocument"}
    branches = named(document, "DmpDocument")["oneOf"]
    assert [b["$ref"].rsplit("/", 1)[1] for b in branches] == [
        "DmpPdfDocument",
        "DmpVsmDocument",
        "DmpCdaDocument",
    ]
    for branch in branches:
        schema = named(document, branch["$ref"].rsplit("/", 1)[1])
        assert schema["type"] == "object" and schema["title"]
        assert set(schema["required"]) <= set(schema["properties"])
        assert schema["additionalProperties"] is False
    assert named(document, "DmpPdfDocument")["properties"]["pdf"]["format"] == "byte"
    batch_item = named(document, "VsmBatchItem")["properties"]
    assert batch_item["patient"] == {"$ref": "#/components/schemas/DocumentPatient"}


async def test_times_are_date_time_and_the_file_answer_is_binary(dmp):
    document = await openapi(dmp)
    entry = named(document, "DmpDocumentEntry")["properties"]
    for key in ("created", "service_start", "service_stop"):
        assert entry[key]["format"] == "date-time", key
    assert entry["author"]["anyOf"][0] == {"$ref": "#/components/schemas/DmpAuthor"}
    read = operations(document)["getDmpDocument"]
    assert read["responses"]["200"]["content"] == {
        "text/xml": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    }


async def test_sends_declare_their_headers(dmp):
    ops = operations(await openapi(dmp))
    for op_id in ("sendDmpDocument", "sendVsmBatch"):
        params = [p.get("$ref", "") for p in ops[op_id]["parameters"]]
        assert "#/components/parameters/IdempotencyKey" in params, op_id
        headers = ops[op_id]["responses"]["202"]["headers"]
        assert {"Location", "Idempotent-Replayed"} <= set(headers), op_id


async def test_every_refusal_is_declared_by_the_operations_that_may_meet_it(dmp):
    ops = operations(await openapi(dmp))

    def declared(op_id: str, status: int) -> list[str]:
        response = ops[op_id]["responses"].get(str(status), {})
        return [t.rsplit(":", 1)[1] for t in response.get("x-problem-types", [])]

    for code, (status, slug, _) in REFUSALS.items():
        assert any(slug in declared(op_id, status) for op_id in ops), code
    for op_id in ("getDmpPatient", "listDmpDocuments", "getDmpDocument", "setDmpAuthorization"):
        assert "dmp-no-dmp" in declared(op_id, 404), op_id
        assert "dmp-access-denied" in declared(op_id, 403), op_id
        assert "dmp-closed" in declared(op_id, 409), op_id
        assert "dmp-error" in declared(op_id, 504), op_id
    assert "not-level1-pdf" in declared("getDmpDocument", 422)
    assert "dmp-update-refused" in declared("setDmpDocumentStatus", 409)
    for op_id in ("sendDmpDocument", "sendVsmBatch"):
        assert "idempotency-key-reused" in declared(op_id, 422)
        assert "bad-idempotency-key" in declared(op_id, 400)


async def test_a_listing_serves_times_and_authors_as_described(dmp):
    accepted = await send(dmp)
    before = dt.datetime.now(dt.UTC)
    await sent(dmp, accepted["id"])
    document = await openapi(dmp)
    response = await dmp.get("/v1/dmp/patients/277076322082910/documents")
    listing = await response.json()
    ref = operations(document)["listDmpDocuments"]["responses"]["200"]["content"]
    errors = list(validator(document, ref["application/json"]["schema"]).iter_errors(listing))
    assert not errors, errors[0]
    (entry,) = listing["documents"]
    created = dt.datetime.fromisoformat(entry["created"])
    assert created.utcoffset() == dt.timedelta(0)
    assert abs((created - before).total_seconds()) < 60
    assert entry["created_hl7"] == created.strftime("%Y%m%d%H%M%S")
    assert entry["service_start"] == entry["created"]
    assert entry["service_stop"] is None and entry["mime_type"] == "text/xml"
    author = entry["author"]
    assert (author["family"], author["given"], author["id_type"]) == ("LIBRE", "MAX", "IDNPS")
    assert author["oid"] == "1.2.250.1.71.4.2.1"
    assert author["xcn"].startswith(f"{author['id']}^LIBRE^MAX^")
    assert author["institution"]["id_type"] == "IDNST" and author["institution"]["name"]
    assert author["specialty"]["code"].startswith("G15_10/")


@pytest.mark.parametrize("birth_date", ["1936-13-45", "2090-01-01"])
@pytest.mark.parametrize("url", ["/v1/dmp/documents", "/v1/dmp/vsm/batch"])
async def test_an_impossible_birth_date_is_refused_as_an_ins_search_refuses_it(
    dmp, url, birth_date
):
    patient = body()["patient"]
    patient["traits"]["birth_date"] = birth_date
    request = (
        {"patient": patient, "document": body()["document"]}
        if url.endswith("documents")
        else {"items": [{"patient": patient, "vsm": VSM}]}
    )
    response = await dmp.post(url, json=request)
    assert response.status == 422, await response.text()
    errors = (await response.json(content_type=PROBLEM))["errors"]
    prefix = "" if url.endswith("documents") else "/items/0"
    assert {e["field"] for e in errors} == {f"{prefix}/patient/traits/birth_date"}
    # The shared check's own words, as /v1/ins/search says them.
    assert any(
        e["message"]
        in (f"{birth_date} is not a plausible birth date", f"{birth_date} is in the future")
        for e in errors
    ), errors
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []


@pytest.mark.parametrize(
    ("dtm", "rfc3339"),
    [
        ("20261202003959", "2026-12-02T00:39:59+00:00"),
        ("202612020039", "2026-12-02T00:39:00+00:00"),
        ("20261202", "2026-12-02T00:00:00+00:00"),
        ("2026", "2026-01-01T00:00:00+00:00"),
        ("20261302003959", None),  # no 13th month
        ("2026120200395", None),  # an odd digit
        ("", None),
    ],
)
def test_xds_times_become_rfc3339(dtm, rfc3339):
    assert rfc3339_of_dtm(dtm) == rfc3339


def test_authors_are_read_in_parts():
    # As the DMP kit's metadata writes them.
    assert person_of_xcn(
        "801234567890^DUPONT^JEAN^PIERRE^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS"
    ) == {
        "id": "801234567890",
        "id_type": "IDNPS",
        "oid": "1.2.250.1.71.4.2.1",
        "family": "DUPONT",
        "given": "JEAN PIERRE",
    }
    assert person_of_xcn("801234567890") == {
        "id": "801234567890",
        "id_type": None,
        "oid": None,
        "family": None,
        "given": None,
    }
    assert institution_of_xon(
        "Cabinet du Dr Dupont^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^31234567890"
    ) == {
        "name": "Cabinet du Dr Dupont",
        "id": "31234567890",
        "id_type": "IDNST",
        "oid": "1.2.250.1.71.4.2.2",
    }
    assert code_of_cwe("G15_10/SM26^Qualifié en médecine générale^1.2.250.1.213.1.1.4.5") == {
        "code": "G15_10/SM26",
        "display": "Qualifié en médecine générale",
        "system": "1.2.250.1.213.1.1.4.5",
    }
    assert code_of_cwe("SM26^Médecine générale^&1.2.250.1.71.1.2.7&ISO")["system"] == (
        "1.2.250.1.71.1.2.7"
    )
