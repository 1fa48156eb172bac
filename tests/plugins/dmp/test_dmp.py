"""The DMP through the daemon API, against the simulator: patient status, sending a PDF through
the outbox, listing and reading it back, the DMP's refusals, and the official examples."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import time

import pytest
from lxml import etree

from aiguillage.app import create_app
from aiguillage.appkeys import JOURNAL, OUTBOX, PLUGINS, SETTINGS
from aiguillage.ihe.cda import HL7
from aiguillage.ihe.xds import read_entries
from aiguillage.journal import JournalFilter, select
from aiguillage.outbox import get as get_item
from aiguillage.plugins.dmp.client import check_registry_response, read_existence
from aiguillage.xml import parse

from .conftest import RUTH, ans_level1_example
from conftest import beside

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
B64 = base64.b64encode(PDF).decode()
PROBLEM = "application/problem+json"


def body(ins="277076322082910", **document):
    return {
        "patient": {
            "ins": {"matricule": ins},
            "traits": {
                "birth_name": "NESSI",
                "first_names": ["RUTH", "ISABELLE"],
                "sex": "F",
                "birth_date": "1977-07-14",
                "birth_place": "63220",
            },
        },
        "document": {
            "pdf": base64.b64encode(PDF).decode(),
            "title": "Consultation",
            "type_code": "11488-4",
            **document,
        },
    }


async def sent(client, item_id: int, *states: str) -> dict:
    deadline = time.monotonic() + 15
    while True:
        item = await (await client.get(f"/v1/outbox/{item_id}")).json()
        if item["state"] in (states or ("sent",)):
            return item
        assert time.monotonic() < deadline, item
        await asyncio.sleep(0.05)


def post_cda(client, cda: bytes, patient: dict | None = None):
    """Send an EHR's own CDA for ``patient`` (NESSI RUTH by default)."""
    return client.post(
        "/v1/dmp/documents",
        json={
            "patient": patient or body()["patient"],
            "document": {"cda": base64.b64encode(cda).decode()},
        },
    )


async def cda_error(response) -> str:
    """The message of the one error of a 422 on ``/document/cda``."""
    assert response.status == 422
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "/document/cda"
    return error["message"]


async def send(client, **kwargs) -> dict:
    response = await client.post("/v1/dmp/documents", json=body(**kwargs))
    assert response.status == 202, await response.text()
    return await response.json()


@pytest.mark.parametrize(
    ("ins", "exists", "closed", "authorization", "treating"),
    [
        ("277076322082910", True, False, "valid", True),
        ("236066322083656", True, False, "none", False),
        ("181036322045676", True, False, "expired", False),
        ("160012B02077713", True, False, "blocked", False),
        ("110086322083060", True, True, "none", False),
        ("275126322074974", False, False, "none", False),
    ],
)
async def test_patient_status(dmp, ins, exists, closed, authorization, treating):
    answer = await (await dmp.get(f"/v1/dmp/patients/{ins}")).json()
    assert (
        answer["exists"],
        answer["closed"],
        answer["authorization"],
        answer["treating_physician"],
    ) == (exists, closed, authorization, treating)


async def test_send_list_and_read_back(dmp, cda_schema):
    accepted = await send(dmp)
    item = await sent(dmp, accepted["id"])
    assert item["result"] == {"already_present": False}
    listed = await (await dmp.get("/v1/dmp/patients/277076322082910/documents")).json()
    (document,) = listed["documents"]  # the signature is hidden from health professionals
    assert document["unique_id"] == accepted["external_id"]
    assert (document["title"], document["type_code"], document["status"]) == (
        "Consultation",
        "11488-4",
        "approved",
    )
    url = f"/v1/dmp/documents/{document['unique_id']}?patient=277076322082910"
    pdf = await dmp.get(url + "&render=pdf")
    assert pdf.content_type == "application/pdf" and await pdf.read() == PDF
    cda = await (await dmp.get(url)).read()
    assert cda_schema.validate(etree.fromstring(cda)), cda_schema.error_log
    events = [
        r["event"] for r in select(dmp.app[JOURNAL].reader, JournalFilter(event="dmp", limit=None))
    ]
    assert "dmp.document.sent" in events and "dmp.document.read" in events


async def test_the_outbox_holds_the_cda_that_is_sent(dmp, cda_schema):
    accepted = await send(dmp)
    item = await sent(dmp, accepted["id"])
    (attachment,) = item["attachments"]
    assert (attachment["content_type"], attachment["filename"]) == ("text/xml", "document.xml")
    response = await dmp.get(f"/v1/outbox/{accepted['id']}/attachments/0")
    assert response.content_type == "text/xml"
    queued = await response.read()
    cda = etree.fromstring(queued)
    assert cda_schema.validate(cda), cda_schema.error_log
    assert cda.find(f"{{{HL7}}}id").get("root") == accepted["external_id"]
    # The EHR's base64, as it came: the PDF was never decoded and encoded again.
    assert cda.findtext(f"{{{HL7}}}component/{{{HL7}}}nonXMLBody/{{{HL7}}}text") == B64
    url = f"/v1/dmp/documents/{accepted['external_id']}?patient=277076322082910"
    assert await (await dmp.get(url)).read() == queued  # what the DMP stored, byte for byte


@pytest.mark.parametrize(
    ("content_type", "content", "kind"),
    [
        ("application/pdf", PDF, "pdf"),
        ("application/json", '{"problems": [{"label": "Diabète de type 2"}]}'.encode(), "vsm"),
    ],
)
async def test_an_item_queued_with_the_pdf_or_the_json_is_still_delivered(
    dmp, content_type, content, kind
):
    """What an earlier daemon queued (the CDA was then built at delivery) goes out after an
    upgrade."""
    from aiguillage import outbox as ob
    from aiguillage.appkeys import DELIVERIES
    from aiguillage.plugins.dmp.documents import KIND, queued_payload, vsm_details
    from aiguillage.plugins.dmp.metadata import content_type_of

    practitioner = dmp.app[SETTINGS].practitioner
    details = (
        {"title": "Consultation", "type_code": "11488-4", "format": "pdf", "unique_id": "1.2.3.4.5"}
        if kind == "pdf"
        else vsm_details(None)
    )
    payload = queued_payload(
        body()["patient"],
        details,
        practitioner,
        content_type_of("", practitioner),
        dt.datetime.now(dt.UTC),
    )
    del payload["content_type"]  # queued before the content type was fixed at queue time
    new = ob.NewItem(
        plugin="dmp",
        kind=KIND,
        payload=payload,
        external_id=details["unique_id"],
        attachments=[(content_type, f"document.{kind}", content)],
    )
    item, _ = await dmp.app[OUTBOX].write(ob.enqueue, new, time.time())
    dmp.app[DELIVERIES].wake("dmp")
    await sent(dmp, item.id)
    url = f"/v1/dmp/documents/{details['unique_id']}?patient=277076322082910"
    cda = etree.fromstring(await (await dmp.get(url)).read())
    assert cda.find(f"{{{HL7}}}id").get("root") == details["unique_id"]
    if kind == "pdf":
        assert await (await dmp.get(url + "&render=pdf")).read() == PDF
    else:
        assert "Diabète de type 2" in etree.tostring(cda, encoding="unicode")


async def test_redelivery_is_recognised(dmp):
    accepted = await send(dmp)
    await sent(dmp, accepted["id"])
    item = get_item(dmp.app[OUTBOX].reader, accepted["id"])
    from aiguillage.outbox import attachments

    item.attachments = attachments(dmp.app[OUTBOX].reader, item.id, with_data=True)
    again = await dmp.app[PLUGINS].call(
        "dmp", "deliver", item=item, config=dmp.app[SETTINGS].plugins["dmp"]
    )
    assert again.already_present is True


@pytest.mark.parametrize(
    ("ins", "code"),
    [
        ("275126322074974", "XDSUnknownPatientId"),
        ("110086322083060", "DMPClosed"),
        ("160012B02077713", "DMPAccessDenied"),
    ],
)
async def test_refused_sends_fail_with_the_dmp_code(dmp, ins, code):
    accepted = await send(dmp, ins=ins)
    item = await sent(dmp, accepted["id"], "failed")
    assert item["last_error"]["code"] == code and item["last_error"]["transient"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pdf": "not base64!"}, "/document/pdf"),
        ({"pdf": base64.b64encode(b"GIF89a").decode()}, "/document/pdf"),
        # Valid PDF headers, broken further on: the whole text is checked, not its start.
        ({"pdf": B64[:-1]}, "/document/pdf"),
        ({"pdf": B64[:20] + "\n" + B64[20:-1]}, "/document/pdf"),
        ({"pdf": B64[:20] + "==" + B64[22:]}, "/document/pdf"),
        ({"pdf": B64[:20] + "</t" + B64[23:]}, "/document/pdf"),
        ({"pdf": B64[:20] + "é" + B64[21:]}, "/document/pdf"),
        ({"type_code": "99999-9"}, "/document/type_code"),
    ],
)
async def test_bad_documents_are_refused_before_queueing(dmp, change, field):
    response = await dmp.post("/v1/dmp/documents", json=body(**change))
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert field in {e["field"] for e in problem["errors"]}
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []


def _with(path: tuple, value: str, request: dict) -> dict:
    target = request
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return request


XML_CANNOT = "contains U+0001, which XML cannot carry"


@pytest.mark.parametrize(
    ("url", "request_body", "path", "message"),
    [
        ("/v1/dmp/documents", body(), ("document", "title"), XML_CANNOT),
        # A name is refused earlier, by the INS name check every route taking a patient has.
        (
            "/v1/dmp/documents",
            body(),
            ("patient", "traits", "birth_name"),
            "characters '\\x01' are not accepted in an INS name "
            "(letters, space, hyphen, apostrophe)",
        ),
        (
            "/v1/dmp/documents",
            {"patient": body()["patient"], "document": {"vsm": {"problems": [{"label": "x"}]}}},
            ("document", "vsm", "problems", 0, "label"),
            XML_CANNOT,
        ),
        (
            "/v1/dmp/vsm/batch",
            {"items": [{"patient": body()["patient"], "vsm": {"problems": [{"label": "x"}]}}]},
            ("items", 0, "vsm", "problems", 0, "label"),
            XML_CANNOT,
        ),
    ],
)
async def test_text_xml_cannot_carry_is_refused_naming_its_field(
    dmp, url, request_body, path, message
):
    response = await dmp.post(url, json=_with(path, "Consul\u0001tation", request_body))
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    (error,) = problem["errors"]
    assert (error["field"], error["message"]) == ("/" + "/".join(map(str, path)), message)
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []


async def test_a_pdf_over_the_limit_is_refused_by_its_size(dmp, monkeypatch):
    from aiguillage.plugins.dmp import documents

    monkeypatch.setattr(documents, "MAX_PDF_BYTES", len(PDF) - 1)
    response = await dmp.post("/v1/dmp/documents", json=body())
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert {"field": "/document/pdf", "message": f"larger than {len(PDF) - 1} bytes"} in [
        {k: e[k] for k in ("field", "message")} for e in problem["errors"]
    ]


async def test_bad_ins(dmp):
    response = await dmp.post("/v1/dmp/documents", json=body(ins="277076322082911"))
    assert response.status == 422
    assert (await dmp.get("/v1/dmp/patients/27707632208291X")).status == 422
    assert (await dmp.get("/v1/dmp/patients/277076322082911")).status == 422


async def test_no_dmp_listing_is_a_problem(dmp):
    response = await dmp.get("/v1/dmp/patients/275126322074974/documents")
    assert response.status == 404
    problem = await response.json(content_type=PROBLEM)
    assert (problem["service"], problem["service_code"]) == ("dmp", "XDSUnknownPatientId")
    assert journaled(dmp, "dmp.documents.search") == [("XDSUnknownPatientId", "275126322074974")]


def journaled(client, event: str) -> list[tuple[str, str]]:
    """(outcome, patient INS) of the journal rows of ``event``, oldest first."""
    rows = select(
        client.app[JOURNAL].reader, JournalFilter(event=event, limit=None, ascending=True)
    )
    return [(r["outcome"], r["patient_ins"]) for r in rows]


async def test_outage_keeps_the_send_queued(aiohttp_client, settings, plugins, token):
    settings.plugins["dmp"].options["simulator_outage"] = True
    client = await aiohttp_client(create_app(settings, plugins))
    client.session.headers["Authorization"] = f"Bearer {token}"
    accepted = await send(client)
    deadline = time.monotonic() + 10
    while True:
        item = await (await client.get(f"/v1/outbox/{accepted['id']}")).json()
        if item["last_error"]:
            break
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    assert item["last_error"]["code"] == "DMPServiceUnavailable"
    assert item["last_error"]["transient"] is True and item["state"] in ("queued", "sending")


async def test_a_plugin_that_cannot_start_says_why_everywhere(
    aiohttp_client, settings, plugins, token, tmp_path
):
    """Its operations answer 503 with the reason, its sends wait queued (no attempt spent) and
    say why, its health is down with the reason; the daemon itself runs."""
    settings.plugins["dmp"].options["signature_certificate"] = str(tmp_path / "none.p12")
    client = await aiohttp_client(create_app(settings, plugins))
    client.session.headers["Authorization"] = f"Bearer {token}"
    status = await client.get("/v1/dmp/patients/277076322082910")
    assert status.status == 503
    problem = await status.json(content_type=PROBLEM)
    assert problem["type"].endswith("plugin-unavailable") and "none.p12" in problem["detail"]
    accepted = await send(client)
    # Its dispatcher has ended: nothing will claim the item (and spend its attempts).
    from aiguillage.appkeys import DELIVERIES

    (dispatcher,) = [t for t in client.app[DELIVERIES].tasks if t.get_name() == "outbox-dmp"]
    assert dispatcher.done() and dispatcher.exception() is None
    item = await (await client.get(f"/v1/outbox/{accepted['id']}")).json()
    assert (item["state"], item["attempts"], item["last_error"]) == ("queued", 0, None)
    assert "dmp plugin is unavailable" in item["why"] and "none.p12" in item["why"]
    health = await (await client.get("/v1/health")).json()
    assert health["plugins"]["dmp"]["status"] == "down"
    assert "none.p12" in health["plugins"]["dmp"]["detail"]
    assert health["plugins"]["insi"]["status"] == "up"


async def test_vihf_signed_with_the_authentication_certificate_is_refused(
    aiohttp_client, settings, plugins, token, pki
):
    from aiguillage.config import Secret

    options = settings.plugins["dmp"].options
    options["signature_certificate"] = str(pki.p12("structure-auth"))
    options["signature_certificate_password"] = Secret(pki.password, "test")
    client = await aiohttp_client(create_app(settings, plugins))
    response = await client.get(
        "/v1/dmp/patients/277076322082910", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 502
    assert (await response.json(content_type=PROBLEM))["service_code"] == "DMPInvalidCertificate"


# --- official examples --------------------------------------------------------------------------


def example_body(name: str) -> etree._Element:
    return parse(beside(f"specs/dmp/examples/{name}").read_bytes()).find(
        "{http://www.w3.org/2003/05/soap-envelope}Body"
    )[0]


def test_reads_the_official_td02_answer():
    status = read_existence(example_body("TD0.2_-_Test_d_existence_reponse.xml"))
    assert (status.exists, status.authorization, status.treating_physician) == (True, "valid", True)


@pytest.mark.parametrize(
    "name",
    [
        "TD2.1_-_Alimentation_reponse.xml",
        "TD3.3c_-_Supprimer_un_document_reponse.xml",
        "TD3.3d_-_Archiver_un_document_reponse.xml",
    ],
)
def test_reads_official_registry_responses(name):
    check_registry_response(example_body(name))  # success: no exception


def test_reads_the_official_td31_answer():
    answer = example_body("TD3.1_-_Recherche_de_document_reponse.xml")
    entries = read_entries(answer)
    assert len(entries) == 21
    assert all(e.unique_id and e.entry_uuid.startswith("urn:uuid:") for e in entries)
    assert all(e.repository_id for e in entries)


def test_reads_the_official_td32_answer():
    answer = example_body("TD3.2_-_Consultation_d_un_document_reponse.xml")
    check_registry_response(
        answer.find("{urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0}RegistryResponse")
    )
    response = answer.find("{urn:ihe:iti:xds-b:2007}DocumentResponse")
    assert response.findtext("{urn:ihe:iti:xds-b:2007}mimeType") == "text/xml"


async def status(client, unique_id, action, **extra):
    return await client.post(
        f"/v1/dmp/documents/{unique_id}/status",
        json={"action": action, "patient": {"matricule": "277076322082910"}, **extra},
    )


async def listed(client, query=""):
    answer = await (await client.get(f"/v1/dmp/patients/277076322082910/documents{query}")).json()
    return {d["unique_id"]: d for d in answer["documents"]}


async def test_archive_then_delete(dmp):
    accepted = await send(dmp)
    await sent(dmp, accepted["id"])
    unique_id = accepted["external_id"]
    assert (await status(dmp, unique_id, "archive")).status == 200
    assert unique_id not in await listed(dmp)
    assert (await listed(dmp, "?status=archived"))[unique_id]["status"] == "archived"
    assert (await status(dmp, unique_id, "delete")).status == 200
    assert unique_id not in await listed(dmp, "?status=archived")
    gone = await status(dmp, unique_id, "archive")
    assert gone.status == 404


async def test_mask_hides_from_other_practitioners_not_from_the_author(dmp):
    accepted = await send(dmp)
    await sent(dmp, accepted["id"])
    unique_id = accepted["external_id"]
    assert (await status(dmp, unique_id, "mask")).status == 200
    mine = await listed(dmp)
    assert "MASQUE_PS" in mine[unique_id]["confidentiality"]
    other = {"practitioner": {"national_id": "10101010101"}}
    hidden = await status(dmp, unique_id, "unmask", **other)
    assert hidden.status == 404  # another practitioner cannot even see it
    assert (await status(dmp, unique_id, "unmask")).status == 200
    assert "MASQUE_PS" not in (await listed(dmp))[unique_id]["confidentiality"]
    assert (await status(dmp, unique_id, "hide_from_patient")).status == 200
    assert "INVISIBLE_PATIENT" in (await listed(dmp))[unique_id]["confidentiality"]


async def test_get_documents_finds_by_unique_id_whatever_the_status(dmp):
    from aiguillage.plugins.dmp.client import (
        GET_DOCUMENTS,
        DmpClient,
        DmpError,
        _slot,
        _stored_query,
    )

    client: DmpClient = dmp.app[SETTINGS].plugins["dmp"].service
    practitioner = dmp.app[SETTINGS].practitioner
    ruth = ("277076322082910", "1.2.250.1.213.1.4.8")
    first, second = [await send(dmp) for _ in range(2)]
    for accepted in (first, second):
        await sent(dmp, accepted["id"])
    assert (await status(dmp, second["external_id"], "archive")).status == 200
    found = await client.get([first["external_id"], second["external_id"]], *ruth, practitioner)
    assert {(e.unique_id, e.status) for e in found} == {
        (first["external_id"], "Approved"),
        (second["external_id"], "Archived"),  # FindDocuments for approved ones would miss it
    }
    assert await client.get(["1.2.3.4"], *ruth, practitioner) == []
    # A VIHF for another patient (with a DMP this practitioner may open) does not see Ruth's.
    other = ("207058575627097", "1.2.250.1.213.1.4.10")
    assert await client.get([first["external_id"]], *other, practitioner) == []
    # Exactly one of the two parameters; a query id the registry does not know.
    for query_id, slots, code in (
        (GET_DOCUMENTS, {}, "XDSStoredQueryParamNumber"),
        (
            GET_DOCUMENTS,
            {"$XDSDocumentEntryUniqueId": "('1.2')", "$XDSDocumentEntryEntryUUID": "('urn:x')"},
            "XDSStoredQueryParamNumber",
        ),
        ("urn:uuid:00000000-0000-0000-0000-000000000000", {}, "XDSUnknownStoredQuery"),
    ):
        request, query = _stored_query(query_id)
        for name, value in slots.items():
            _slot(query, name, value)
        with pytest.raises(DmpError) as refused:
            await client._entries(request, practitioner, *ruth)
        assert refused.value.code == code


async def test_status_bad_input(dmp):
    response = await status(dmp, "1.2.3", "shred")
    assert response.status == 422
    assert (await status(dmp, "1.2.3", "archive")).status == 404
    assert journaled(dmp, "dmp.document.archive") == [
        ("pending", "277076322082910"),
        ("not-found", "277076322082910"),
    ]


async def test_reading_an_unknown_document_is_journaled(dmp):
    response = await dmp.get("/v1/dmp/documents/1.2.3?patient=277076322082910")
    assert response.status == 404
    assert (await response.json(content_type=PROBLEM))["service"] == "dmp"
    assert journaled(dmp, "dmp.document.read") == [("not-found", "277076322082910")]


async def test_replacing_a_document(dmp):
    first = await send(dmp)
    await sent(dmp, first["id"])
    response = await dmp.post(
        "/v1/dmp/documents",
        json={**body(title="Consultation, corrected"), "replaces": first["external_id"]},
    )
    second = await response.json()
    await sent(dmp, second["id"])
    current = await listed(dmp)
    assert second["external_id"] in current and first["external_id"] not in current
    old = await listed(dmp, "?status=deprecated")
    assert old[first["external_id"]]["status"] == "deprecated"


async def test_replacing_an_unknown_document_fails(dmp):
    response = await dmp.post("/v1/dmp/documents", json={**body(), "replaces": "1.2.3.4"})
    item = await sent(dmp, (await response.json())["id"], "failed")
    assert item["last_error"]["code"] == "XDSUnknownReplacedDocument"


async def test_the_ehrs_own_cda(dmp, practitioner_cda):
    cda, unique_id = practitioner_cda
    response = await post_cda(dmp, cda)
    assert response.status == 202, await response.text()
    accepted = await response.json()
    assert accepted["external_id"] == unique_id  # the CDA's own id is the XDS uniqueId
    await sent(dmp, accepted["id"])
    read = await dmp.get(f"/v1/dmp/documents/{unique_id}?patient=277076322082910")
    assert await read.read() == cda


async def test_an_ehr_cda_whose_id_has_an_extension_is_found_by_it(dmp, practitioner_cda):
    cda, root = practitioner_cda
    document = etree.fromstring(cda)
    document.find(f"{{{HL7}}}id").set("extension", "CR-2026_11.22")
    cda = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    response = await post_cda(dmp, cda)
    assert response.status == 202, await response.text()
    accepted = await response.json()
    assert accepted["external_id"] == f"{root}^CR-2026_11.22"
    await sent(dmp, accepted["id"])
    url = f"/v1/dmp/documents/{root}%5ECR-2026_11.22?patient=277076322082910"
    assert await (await dmp.get(url)).read() == cda
    changed = await status(dmp, f"{root}%5ECR-2026_11.22", "archive")
    assert changed.status == 200, await changed.text()
    # An extension XDS could not carry in a query is refused when the CDA comes in.
    document.find(f"{{{HL7}}}id").set("extension", "CR 'quoted'")
    cda = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    response = await post_cda(dmp, cda)
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert "ClinicalDocument/id must give a uniqueId" in problem["errors"][0]["message"]


@pytest.fixture
def practitioner_cda(plugins):
    from aiguillage.config import load_settings
    from aiguillage.ihe.cda import DocumentInfo, level1

    info = DocumentInfo("Biologie", "11502-2")
    return level1(
        base64.b64encode(PDF), info, RUTH, load_settings(None, plugins.infos).practitioner
    ), info.unique_id


@pytest.mark.parametrize(
    ("cda", "message"),
    [
        (b"<notxml", "not well-formed"),
        (b"<ClinicalDocument xmlns='urn:hl7-org:v3'/>", "not valid against the CDA schema"),
    ],
)
async def test_bad_cda_refused(dmp, cda, message):
    response = await post_cda(dmp, cda)
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert message in problem["errors"][0]["message"]


async def test_cda_about_another_patient_refused(dmp, practitioner_cda):
    cda, _ = practitioner_cda
    other = body(ins="236066322083656")["patient"]
    response = await post_cda(dmp, cda, other)
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert "is not the INS 236066322083656" in problem["errors"][0]["message"]


async def test_an_ehrs_cda_reaches_the_dmp_unchanged(dmp):
    """The ANS example of a level 1 CDA, about a patient of the simulator, sent as the EHR's
    own: the DMP holds it byte for byte (test_ans_schematrons checks these bytes)."""
    cda = ans_level1_example()
    response = await post_cda(dmp, cda)
    assert response.status == 202, await response.text()
    accepted = await response.json()
    await sent(dmp, accepted["id"])
    url = f"/v1/dmp/documents/{accepted['external_id']}?patient=277076322082910"
    assert await (await dmp.get(url)).read() == cda


@pytest.mark.parametrize(
    ("path", "change", "message"),
    [
        ("birthplace", "remove", "lacks the INS trait birth place (birthplace/place/addr/county)"),
        ("birthplace/place/addr/county", "", "lacks the INS trait birth place"),
        ("birthplace/place/addr/county", "Clermont", "birth place 'Clermont' is no INSEE (COG)"),
        ("birthTime", "remove", "lacks the INS trait birth date (birthTime)"),
        ("administrativeGenderCode", "remove", "lacks the INS trait sex"),
        ("name/family[@qualifier='BR']", "remove", "lacks the INS trait birth name"),
        ("name/family[@qualifier='BR']", " ", "lacks the INS trait birth name"),
        ("name/given[@qualifier='BR']", "remove", "lacks the INS trait first birth first name"),
        ("name/given[not(@qualifier)]", "remove", "lacks the INS trait birth first names"),
    ],
)
async def test_an_ehr_cda_without_an_ins_trait_is_refused(
    dmp, practitioner_cda, path, change, message
):
    cda, _ = practitioner_cda
    document = etree.fromstring(cda)
    person = "hl7:recordTarget/hl7:patientRole/hl7:patient/"
    (element,) = document.xpath(
        person + "hl7:" + path.replace("/", "/hl7:"), namespaces={"hl7": HL7}
    )
    if change == "remove":
        element.getparent().remove(element)
    else:
        element.text = change
    problem = await cda_error(await post_cda(dmp, etree.tostring(document)))
    assert problem.startswith(f"recordTarget/patientRole/patient {message}")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("27899-4", "'27899-4' is not in the dmp type value set"),
        ("E1762", "E1762 is the type of a signature, not a document"),
    ],
)
async def test_an_ehr_cda_of_a_type_the_dmp_does_not_take_is_refused(
    dmp, practitioner_cda, code, message
):
    cda, _ = practitioner_cda
    document = etree.fromstring(cda)
    document.find(f"{{{HL7}}}code").set("code", code)
    assert message in await cda_error(await post_cda(dmp, etree.tostring(document)))


async def test_an_ehrs_vsm_is_sent_as_a_vsm(dmp, plugins):
    """An EHR's VSM is known by its templateId (its code is SYNTH), and goes with the VSM
    format code."""
    from aiguillage.config import load_settings
    from aiguillage.ihe.cda import DocumentInfo
    from aiguillage.plugins.dmp.vsm import vsm

    practitioner = load_settings(None, plugins.infos).practitioner
    cda = vsm(VSM, DocumentInfo("VSM du cabinet", "SYNTH"), RUTH, practitioner)
    response = await post_cda(dmp, cda)
    assert response.status == 202, await response.text()
    accepted = await response.json()
    item = get_item(dmp.app[OUTBOX].reader, accepted["id"])
    assert item.payload["document"]["format"] == "vsm"
    await sent(dmp, accepted["id"])


@pytest.mark.parametrize("url", ["/v1/dmp/documents", "/v1/dmp/vsm/batch"])
async def test_every_ins_trait_is_required(dmp, url):
    """A CDA identified by an INS carries every INS trait (ANS minimal structuring): the
    birth place too, 99999 when unknown."""
    patient = body()["patient"]
    del patient["traits"]["birth_place"]
    request = (
        {"patient": patient, "document": body()["document"]}
        if url.endswith("documents")
        else {"items": [{"patient": patient, "vsm": VSM}]}
    )
    response = await dmp.post(url, json=request)
    assert response.status == 422
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    prefix = "" if url.endswith("documents") else "/items/0"
    assert error == {"field": f"{prefix}/patient/traits/birth_place", "message": "is required"}
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []


async def test_an_unknown_birth_place_is_written_as_the_ins_rules_say(dmp):
    request = body()
    request["patient"]["traits"]["birth_place"] = "99999"
    response = await dmp.post("/v1/dmp/documents", json=request)
    assert response.status == 202, await response.text()
    accepted = await response.json()
    cda = etree.fromstring(
        await (await dmp.get(f"/v1/outbox/{accepted['id']}/attachments/0")).read()
    )
    county = cda.find(
        f"{{{HL7}}}recordTarget/{{{HL7}}}patientRole/{{{HL7}}}patient/{{{HL7}}}birthplace"
        f"/{{{HL7}}}place/{{{HL7}}}addr/{{{HL7}}}county"
    )
    assert county.text == "99999"


async def test_authorization_update(dmp):
    url = "/v1/dmp/patients/236066322083656"
    assert (await (await dmp.get(url)).json())["authorization"] == "none"
    added = await dmp.put(f"{url}/authorization", json={"action": "add"})
    assert added.status == 200 and (await added.json())["detail"] == "Autorisation ajoutée"
    assert (await (await dmp.get(url)).json())["authorization"] == "valid"
    again = await dmp.put(f"{url}/authorization", json={"action": "add"})
    assert "déjà présente" in (await again.json())["detail"]
    removed = await dmp.put(f"{url}/authorization", json={"action": "remove"})
    assert removed.status == 200
    assert (await (await dmp.get(url)).json())["authorization"] == "none"


async def test_authorization_refused_by_the_patient(dmp):
    response = await dmp.put(
        "/v1/dmp/patients/160012B02077713/authorization", json={"action": "add"}
    )
    assert response.status == 403
    assert (await response.json(content_type=PROBLEM))["service_code"] == "DMPAccessDenied"
    bad = await dmp.put("/v1/dmp/patients/160012B02077713/authorization", json={"action": "steal"})
    assert bad.status == 422


def test_reads_the_official_td03_answer():
    answer = example_body("TD0.3_-_Mise_a_jour_de_l_autorisation_reponse.xml")
    assert answer.findtext(".//{urn:si-dmp-habilitations}status") == "DMPOk"


VSM = {
    "problems": [{"label": "Diabète de type 2", "code": "E11", "since": "2015-03-02"}],
    "allergies": [{"label": "Pénicilline"}],
    "treatments": [{"label": "Metformine 1000 mg", "dosage": "1 cp matin et soir"}],
}


async def test_vsm_is_built_sent_and_valid(dmp, cda_schema):
    response = await dmp.post(
        "/v1/dmp/documents", json={"patient": body()["patient"], "document": {"vsm": VSM}}
    )
    assert response.status == 202, await response.text()
    accepted = await response.json()
    await sent(dmp, accepted["id"])
    document = (await listed(dmp))[accepted["external_id"]]
    assert (document["type_code"], document["title"]) == ("SYNTH", "Volet de synthèse médicale")
    cda = await (
        await dmp.get(f"/v1/dmp/documents/{accepted['external_id']}?patient=277076322082910")
    ).read()
    assert cda_schema.validate(etree.fromstring(cda)), cda_schema.error_log
    assert b"Metformine 1000 mg" in cda and b"Aucune information" in cda


async def test_bad_vsm_refused(dmp):
    response = await dmp.post(
        "/v1/dmp/documents",
        json={
            "patient": body()["patient"],
            "document": {"vsm": {"problems": [{"since": "2015-03-02"}], "hobbies": []}},
        },
    )
    assert response.status == 422
    fields = {e["field"] for e in (await response.json(content_type=PROBLEM))["errors"]}
    assert {"/document/vsm/problems/0/label", "/document/vsm/hobbies"} <= fields


async def test_vsm_batch(dmp):
    from aiguillage.appkeys import EVENTS

    good = body()["patient"]
    no_dmp = {**body(ins="275126322074974")["patient"]}
    items = [{"patient": good, "vsm": VSM}] * 4 + [{"patient": no_dmp, "vsm": VSM}]
    response = await dmp.post(
        "/v1/dmp/vsm/batch", json={"items": items}, headers={"Idempotency-Key": "ald-2026-11"}
    )
    assert response.status == 202, await response.text()
    accepted = await response.json()
    assert accepted["items"] == 5 and response.headers["Location"] == accepted["location"]
    replay = await (
        await dmp.post(
            "/v1/dmp/vsm/batch", json={"items": items}, headers={"Idempotency-Key": "ald-2026-11"}
        )
    ).json()
    assert replay["batch_id"] == accepted["batch_id"]
    deadline = time.monotonic() + 20
    while True:
        summary = await (await dmp.get(accepted["location"])).json()
        if summary["done"]:
            break
        assert time.monotonic() < deadline, summary
        await asyncio.sleep(0.1)
    assert summary["total"] == 5 and summary["counts"] == {"sent": 4, "failed": 1}
    (failure,) = summary["failures"]
    assert failure["patient"] == "275126322074974"
    assert failure["error"]["code"] == "XDSUnknownPatientId"
    _, backlog = dmp.app[EVENTS].subscribe(0)
    progress = [e.data for e in backlog if e.type == "dmp.batch"]
    assert progress and progress[-1]["done"] is True


async def test_vsm_batch_queues_like_a_single_send(dmp):
    """A batch goes through the core's accept_many: one outbox.item event per item, the same
    Idempotency-Key rules and replay header as a single send, in a key space of its own."""
    from aiguillage.appkeys import EVENTS

    items = [{"patient": body()["patient"], "vsm": VSM}] * 3
    key = {"Idempotency-Key": "batch-rules"}
    first = await dmp.post("/v1/dmp/vsm/batch", json={"items": items}, headers=key)
    assert first.status == 202 and "Idempotent-Replayed" not in first.headers
    accepted = await first.json()
    _, backlog = dmp.app[EVENTS].subscribe(0)
    queued = {
        e.data["id"] for e in backlog if e.type == "outbox.item" and e.data["state"] == "queued"
    }
    assert len(queued) == 3
    replay = await dmp.post("/v1/dmp/vsm/batch", json={"items": items}, headers=key)
    assert replay.status == 202 and replay.headers["Idempotent-Replayed"] == "true"
    assert (await replay.json())["batch_id"] == accepted["batch_id"]
    assert replay.headers["Location"] == first.headers["Location"]
    _, backlog = dmp.app[EVENTS].subscribe(0)
    again = {
        e.data["id"] for e in backlog if e.type == "outbox.item" and e.data["state"] == "queued"
    }
    assert again == queued, "a replay queues nothing and announces nothing"
    other = await dmp.post("/v1/dmp/vsm/batch", json={"items": items[:2]}, headers=key)
    assert other.status == 422
    assert (await other.json(content_type=PROBLEM))["type"].endswith("idempotency-key-reused")
    # Batches have a key space of their own: a single send may use the same key.
    single = await dmp.post("/v1/dmp/documents", json=body(), headers=key)
    assert single.status == 202 and "Idempotent-Replayed" not in single.headers
    assert (await single.json())["id"] not in queued
    resent = await dmp.post("/v1/dmp/documents", json=body(), headers=key)
    assert resent.headers["Idempotent-Replayed"] == "true"
    bad = await dmp.post(
        "/v1/dmp/vsm/batch", json={"items": items}, headers={"Idempotency-Key": "bad key"}
    )
    assert bad.status == 400


async def test_a_batch_key_covers_its_patients(dmp):
    """The same key and the same VSM for another patient is another request: a 422, not the
    first batch's answer with the new patient never queued."""
    key = {"Idempotency-Key": "ald-patients"}
    first = [{"patient": body()["patient"], "vsm": VSM}]
    other = [{"patient": body(ins="275126322074974")["patient"], "vsm": VSM}]
    assert (await dmp.post("/v1/dmp/vsm/batch", json={"items": first}, headers=key)).status == 202
    again = await dmp.post("/v1/dmp/vsm/batch", json={"items": other}, headers=key)
    assert again.status == 422, await again.text()
    assert (await again.json(content_type=PROBLEM))["type"].endswith("idempotency-key-reused")
    listed = (await (await dmp.get("/v1/outbox")).json())["items"]
    assert [i["patient"] for i in listed] == [body()["patient"]["ins"]["matricule"]]


async def test_vsm_batch_bad_input(dmp):
    items = [
        {"patient": body()["patient"], "vsm": VSM},
        {"patient": body(ins="277076322082911")["patient"], "vsm": VSM},
    ]
    response = await dmp.post("/v1/dmp/vsm/batch", json={"items": items})
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert problem["errors"][0]["field"] == "/items/1/patient/ins/matricule"
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []
    unknown = await dmp.get("/v1/dmp/batches/00000000-0000-0000-0000-000000000000")
    assert unknown.status == 404


async def test_list_filters(dmp):
    accepted = await send(dmp)
    await sent(dmp, accepted["id"])
    assert accepted["external_id"] in await listed(dmp, "?from=2000-01-01&type=11488-4")
    assert await listed(dmp, "?type=11502-2") == {}
    assert await listed(dmp, "?from=2999-01-01") == {}
    assert await listed(dmp, "?to=2000-01-01") == {}
    bad = await dmp.get("/v1/dmp/patients/277076322082910/documents?from=yesterday")
    assert bad.status == 422
    # Shaped like a date but none: refused by the handler, before asking the DMP.
    bad = await dmp.get("/v1/dmp/patients/277076322082910/documents?to=2026-13-45")
    assert bad.status == 422
    assert (await bad.json(content_type=PROBLEM))["errors"][0]["field"] == "to"
    assert len(journaled(dmp, "dmp.documents.search")) == 4  # the four listings above


def test_simulator_reads_the_official_td21_request(pki, tmp_path):
    """The kit's ITI-41 example, VIHF aside: valid against lcm.xsd, its signature entry passes
    the entry checks; its document entry is refused only for its typeCode 27899-4, which is
    not a DMP type (JDV_J66)."""
    from aiguillage import mtom
    from aiguillage.plugins.dmp.metadata import LCM, RIM, XDS
    from aiguillage.plugins.dmp.simulator import DmpSimulator, Refusal

    simulator = DmpSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        database=tmp_path / "sim.db",
    )
    raw = beside("specs/dmp/examples/TD2.1_-_Alimentation_requete.xml").read_bytes()
    boundary = raw.split(b"\n", 1)[0].strip()[2:].decode()
    root, parts = mtom.parse(f'multipart/related; boundary="{boundary}"', raw)
    request = parse(root.data).find(f".//{{{XDS}}}ProvideAndRegisterDocumentSetRequest")
    submit = request.find(f"{{{LCM}}}SubmitObjectsRequest")
    assert simulator.lcm.validate(submit), simulator.lcm.error_log
    documents = {d.get("id"): mtom.resolve(d, parts) for d in request.iter(f"{{{XDS}}}Document")}
    vihf_patient = "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"
    document, signature = submit.iter(f"{{{RIM}}}ExtrinsicObject")
    assert (
        simulator.check_entry(signature, documents, vihf_patient)["unique_id"]
        == "1.2.250.1.999.1.1.7898.4.1622814651504"
    )
    with pytest.raises(Refusal, match="27899-4"):
        simulator.check_entry(document, documents, vihf_patient)
    simulator.db.close()
