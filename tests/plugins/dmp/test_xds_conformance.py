"""The XDS metadata the DMP receives, checked against the IHE metadata rules and the DMP's
value sets and type → class correspondence (``xds_rules``, written from the specifications):
every submission and update that crosses the wire, and the metadata of every document type
the API offers."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from lxml import etree

from aiguillage.app import create_app
from aiguillage.appkeys import SETTINGS
from aiguillage.config import ConfigError, load_settings
from aiguillage.ihe.cda import HL7, DocumentInfo, level1, new_oid
from aiguillage.ihe.hl7v2 import dtm_of_ts
from aiguillage.ihe.valuesets import lookup
from aiguillage.ihe.xds import service_times
from aiguillage.plugins.dmp import xades
from aiguillage.plugins.dmp.metadata import RIM, DocumentEntry, Submission, submit_objects_request
from aiguillage.plugins.dmp.simulator import DmpSimulator

from . import xds_rules
from .conftest import RUTH
from .test_dmp import PDF, PROBLEM, body, cda_error, post_cda, send, sent, status

CONTENT_TYPE = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"


@pytest.fixture
def wire(monkeypatch) -> list[tuple[str, etree._Element]]:
    """Every ITI-41 and ITI-57 request the DMP simulator receives, as it received it."""
    received: list[tuple[str, etree._Element]] = []
    provide, update = DmpSimulator.provide, DmpSimulator.update

    def spy_provide(self, body, parts, vihf):
        received.append(("ITI-41", body))
        return provide(self, body, parts, vihf)

    def spy_update(self, body, vihf):
        received.append(("ITI-57", body))
        return update(self, body, vihf)

    monkeypatch.setattr(DmpSimulator, "provide", spy_provide)
    monkeypatch.setattr(DmpSimulator, "update", spy_update)
    return received


def ehr_cda(practitioner, stop: str | None = "20261201101500+0100") -> bytes:
    """An EHR's own level 1 CDA, whose service event has an end."""
    info = DocumentInfo("Compte rendu opératoire", "34874-8")
    document = etree.fromstring(level1(base64.b64encode(PDF), info, RUTH, practitioner))
    effective = document.find(
        f"{{{HL7}}}documentationOf/{{{HL7}}}serviceEvent/{{{HL7}}}effectiveTime"
    )
    effective.find(f"{{{HL7}}}low").set("value", "20261201093000+0100")
    if stop:
        etree.SubElement(effective, f"{{{HL7}}}high", value=stop)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")


def slots(entry: etree._Element) -> dict[str, list[str]]:
    return {
        s.get("name"): [v.text for v in s.iter(f"{{{RIM}}}Value")]
        for s in entry.iterfind(f"{{{RIM}}}Slot")
    }


def content_types(request: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (
            c.get("nodeRepresentation"),
            c.findtext(f".//{{{RIM}}}Value"),
            c.find(f"{{{RIM}}}Name/{{{RIM}}}LocalizedString").get("value"),
        )
        for c in request.iter(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == CONTENT_TYPE
    ]


async def test_every_submission_and_update_follows_the_rules(dmp, wire):
    practitioner = dmp.app[SETTINGS].practitioner
    pdf = await send(dmp)
    summary = await send(dmp, type_code="34133-9", title="Synthèse de sortie")
    vsm = await dmp.post(
        "/v1/dmp/documents",
        json={"patient": body()["patient"], "document": {"vsm": {"problems": [{"label": "HTA"}]}}},
    )
    own = await post_cda(dmp, ehr_cda(practitioner))
    for accepted in (pdf, summary, await vsm.json(), await own.json()):
        await sent(dmp, accepted["id"])
    replacing = await dmp.post(
        "/v1/dmp/documents", json={**body(title="Corrigé"), "replaces": pdf["external_id"]}
    )
    await sent(dmp, (await replacing.json())["id"])
    for action in ("mask", "unmask", "hide_from_patient", "archive", "delete"):
        assert (await status(dmp, summary["external_id"], action)).status == 200

    assert [kind for kind, _ in wire] == ["ITI-41"] * 5 + ["ITI-57"] * 5
    for kind, request in wire:
        report = xds_rules.check(request)
        report.assert_clean(at_least=100 if kind == "ITI-41" else 20)
        # The ANS mapping requires a contentTypeCode on every submission set, updates included;
        # by default the practice's activity sector.
        assert content_types(request) == [("SA07", "1.2.250.1.71.4.2.4", "Cabinet individuel")]


def test_the_metadata_of_every_offered_type_follows_the_rules(builder):
    """A level 1 submission of each type of JDV_J66 (but the signature's): its class is the
    one ASS_X16 gives, its codes and displays are the value sets' own."""
    types = [code for code in xds_rules.fhir_value_set(xds_rules.J66) if code != "E1762"]
    assert len(types) == 101
    for type_code in types:
        request, _ = one_submission(builder, type_code)
        xds_rules.check(request).assert_clean(at_least=100)


def xades_signer(pki):
    from aiguillage.security.credentials import load_credential

    return load_credential(pki.p12("practitioner-signature"), pki.password)


@pytest.mark.parametrize(
    ("type_code", "class_code", "display"),
    [
        ("34133-9", "11", "Synthèse"),  # a summary of episode note: class 11, not 10
        ("60591-5", "11", "Synthèse"),
        ("SYNTH", "11", "Synthèse"),
        ("11488-4", "10", "Compte rendu"),
        ("57833-6", "42", "Prescription"),
    ],
)
async def test_class_follows_the_type(dmp, wire, type_code, class_code, display):
    await sent(dmp, (await send(dmp, type_code=type_code))["id"])
    ((_, request),) = wire
    document = request.find(f".//{{{RIM}}}ExtrinsicObject[@id='Document01']")
    (class_,) = [
        c
        for c in document.iterfind(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
    ]
    assert class_.get("nodeRepresentation") == class_code
    assert class_.find(f"{{{RIM}}}Name/{{{RIM}}}LocalizedString").get("value") == display


@pytest.mark.parametrize(
    ("type_code", "message"),
    [
        ("27899-4", "'27899-4' is not in the dmp type value set"),  # CI-SIS, not a DMP type
        ("E1762", "E1762 is the type of a signature, not a document"),
    ],
)
async def test_types_the_dmp_does_not_take_are_refused(dmp, type_code, message):
    response = await dmp.post("/v1/dmp/documents", json=body(type_code=type_code))
    assert response.status == 422
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "/document/type_code" and message in error["message"]


async def test_the_display_names_are_the_value_sets_own(dmp, wire):
    vsm = await dmp.post(
        "/v1/dmp/documents", json={"patient": body()["patient"], "document": {"vsm": {}}}
    )
    await sent(dmp, (await vsm.json())["id"])
    ((_, request),) = wire
    formats = {
        c.get("nodeRepresentation"): c.find(f"{{{RIM}}}Name/{{{RIM}}}LocalizedString").get("value")
        for c in request.iter(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
    }
    assert formats == {
        "urn:asip:ci-sis:vsm:2012": "Synthèse médicale",  # TRE_A06
        "http://www.w3.org/2000/09/xmldsig#": "Default signature style",  # TRE_A10
    }


async def test_service_stop_time_only_when_the_cda_has_one(dmp, wire):
    practitioner = dmp.app[SETTINGS].practitioner
    for cda in (ehr_cda(practitioner), ehr_cda(practitioner, stop=None)):
        response = await post_cda(dmp, cda)
        await sent(dmp, (await response.json())["id"])
    await sent(dmp, (await send(dmp))["id"])
    documents = [
        slots(request.find(f".//{{{RIM}}}ExtrinsicObject[@id='Document01']")) for _, request in wire
    ]
    # From the CDA's serviceEvent, moved to UTC; the stop only where the CDA has one.
    assert documents[0]["serviceStartTime"] == ["20261201083000"]
    assert documents[0]["serviceStopTime"] == ["20261201091500"]
    assert documents[1]["serviceStartTime"] == ["20261201083000"]
    assert "serviceStopTime" not in documents[1]
    assert "serviceStopTime" not in documents[2] and documents[2]["serviceStartTime"]


async def test_a_bad_service_time_in_an_ehr_cda_is_refused(dmp):
    cda = ehr_cda(dmp.app[SETTINGS].practitioner, stop="20261345")
    response = await post_cda(dmp, cda)
    assert await cda_error(response) == (
        "documentationOf/serviceEvent/effectiveTime/high: '20261345' is not a moment that exists"
    )


@pytest.mark.parametrize(
    ("ts", "dtm"),
    [
        ("20261201093000+0100", "20261201083000"),  # moved to UTC
        ("20261231233000-0130", "20270101010000"),  # across a year
        ("20261201093000.25+0100", "20261201083000"),
        ("202612010930+0000", "202612010930"),  # precision kept
        ("20261201", "20261201"),  # a date has no time to move
        ("202612", "202612"),
        ("09990101120000+0100", "09990101110000"),  # a four-digit year, even before 1000
    ],
)
def test_hl7_times_become_xds_dtms(ts, dtm):
    assert dtm_of_ts(ts) == dtm


def test_a_time_without_offset_is_the_machines_local_time(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert dtm_of_ts("20260701120000") == "20260701100000"  # summer: UTC+2
        assert dtm_of_ts("20261201120000") == "20261201110000"  # winter: UTC+1
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("ts", "message"),
    [
        ("2026-12-01", "is not an HL7 date and time"),
        ("20261201+0100", "is not an HL7 date and time"),  # an offset needs a time of day
        ("202612010930.5", "is not an HL7 date and time"),  # a fraction needs the seconds
        ("٢٠٢٦١٢٠١", "is not an HL7 date and time"),  # ASCII digits only
        ("20261301", "is not a moment that exists"),
        ("00010101000000+0100", "is not a moment that exists"),  # before year 1 in UTC
        ("20261201093000+2500", "has no valid offset from UTC"),
    ],
)
def test_what_is_no_hl7_time_is_refused(ts, message):
    with pytest.raises(ValueError, match=message):
        dtm_of_ts(ts)


@pytest.mark.parametrize(
    ("effective", "times"),
    [
        ('<effectiveTime value="20261201093000+0100"/>', {"service_start": "20261201083000"}),
        ('<effectiveTime><low value="20261201"/></effectiveTime>', {"service_start": "20261201"}),
        ("<effectiveTime/>", {}),
    ],
)
def test_service_times_of_a_cda(effective, times):
    document = etree.fromstring(
        f'<ClinicalDocument xmlns="urn:hl7-org:v3"><documentationOf><serviceEvent>{effective}'
        "</serviceEvent></documentationOf></ClinicalDocument>"
    )
    assert service_times(document) == times


async def test_a_service_that_ends_before_it_starts_is_refused(dmp):
    cda = ehr_cda(dmp.app[SETTINGS].practitioner, stop="20261201080000+0100")
    response = await post_cda(dmp, cda)
    assert "the service ends (20261201070000) before it starts" in await cda_error(response)


# --- the content type of the practice -----------------------------------------------------------


async def test_the_content_type_is_configurable(aiohttp_client, settings, plugins, token, wire):
    settings.plugins["dmp"].options["content_type_code"] = "04"
    client = await aiohttp_client(create_app(settings, plugins))
    client.session.headers["Authorization"] = f"Bearer {token}"
    accepted = await send(client)
    await sent(client, accepted["id"])
    assert (await status(client, accepted["external_id"], "archive")).status == 200
    for _, request in wire:
        assert content_types(request) == [("04", "1.2.250.1.213.2.2", "Hospitalisation de jour")]
        xds_rules.check(request).assert_clean()


async def test_a_sector_that_is_no_content_type_is_refused(dmp):
    # SA01 (a public hospital) is a facility type, but J59 lists no hospital sector.
    response = await dmp.post(
        "/v1/dmp/documents", json={**body(), "practitioner": {"activity_sector": "SA01"}}
    )
    assert response.status == 422
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "/practitioner/activity_sector"
    assert "set [dmp] content_type_code" in error["message"]


async def test_without_a_content_type_the_plugin_says_why(aiohttp_client, settings, plugins, token):
    settings.practitioner = settings.practitioner.override({"activity_sector": "SA01"})
    client = await aiohttp_client(create_app(settings, plugins))
    client.session.headers["Authorization"] = f"Bearer {token}"
    response = await client.get("/v1/dmp/patients/277076322082910")
    assert response.status == 503
    assert "content_type_code" in (await response.json(content_type=PROBLEM))["detail"]


def test_a_content_type_outside_j59_stops_start_up(tmp_path, plugins):
    path = tmp_path / "aiguillage.toml"
    path.write_text('[dmp]\ncontent_type_code = "SA01"\n')
    with pytest.raises(ConfigError, match=r"\[dmp\] content_type_code: 'SA01' is not one of"):
        load_settings(path, plugins.infos)


async def test_a_signature_without_its_purpose_is_refused(dmp, monkeypatch):
    """The simulator, as the DMP, wants the submission's signature to say it is the source's
    (IHE DSG): one signed for another purpose fails with DMPInvalidSignature."""
    monkeypatch.setattr(xades, "PURPOSE_SOURCE", "1.2.840.10065.1.12.1.1")  # author's signature
    item = await sent(dmp, (await send(dmp))["id"], "failed")
    assert item["last_error"]["code"] == "DMPInvalidSignature"
    assert "1.2.840.10065.1.12.1.14" in item["last_error"]["message"]


# --- what the simulator refuses, as the DMP does -------------------------------------------------


@pytest.fixture
def simulator(pki, tmp_path):
    simulator = DmpSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        database=tmp_path / "sim.db",
    )
    yield simulator
    simulator.db.close()


@pytest.fixture(scope="module")
def builder(pki_module):
    """What a submission is built with: the configured practitioner, the signature key."""
    from aiguillage.plugin_manager import load_plugins

    return load_settings(None, load_plugins().infos).practitioner, xades_signer(pki_module)


@pytest.fixture(scope="module")
def pki_module(tmp_path_factory):
    from aiguillage.security.testpki import make_test_pki

    return make_test_pki(tmp_path_factory.mktemp("pki"))


def one_submission(builder, type_code: str = "34133-9") -> tuple[etree._Element, dict]:
    practitioner, signer = builder
    info = DocumentInfo("Synthèse", type_code)
    cda = level1(base64.b64encode(PDF), info, RUTH, practitioner)
    signature = xades.sign({info.unique_id: cda}, signer)
    request = submit_objects_request(
        Submission(
            patient=RUTH,
            practitioner=practitioner,
            document=DocumentEntry(
                cda, info.unique_id, info.title, type_code, "pdf", dt.datetime.now(dt.UTC)
            ),
            signature=signature,
            signature_unique_id=new_oid(),
            source_id="1.2.250.1.999.1",
            content_type=lookup("dmp_content_type", "SA07"),
        )
    )
    return request, {"Document01": cda, "Signature01": signature}


def test_the_simulator_refuses_a_class_that_is_not_the_types(simulator, builder):
    from aiguillage.plugins.dmp.simulator import Refusal

    request, documents = one_submission(builder)
    entry = request.find(f".//{{{RIM}}}ExtrinsicObject[@id='Document01']")
    vihf_patient = "277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
    assert simulator.check_entry(entry, documents, vihf_patient)["class"] == ["11"]
    (class_,) = [
        c
        for c in entry.iterfind(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
    ]
    class_.set("nodeRepresentation", "10")  # Compte rendu: J57, but not the class of 34133-9
    with pytest.raises(Refusal, match="classCode 10 incohérent avec le typeCode 34133-9"):
        simulator.check_entry(entry, documents, vihf_patient)


@pytest.mark.parametrize(
    ("code", "system", "refusal"),
    [
        (None, None, "contentTypeCode absent"),
        ("11488-4", "2.16.840.1.113883.6.1", "code 11488-4 .* hors du jeu de valeurs"),
    ],
)
def test_the_simulator_wants_a_j59_content_type(simulator, builder, code, system, refusal):
    """None: absent (as ITI-57 updates were sent); 11488-4: the document's type repeated."""
    from aiguillage.plugins.dmp.simulator import Refusal, check_submission_set

    request, _ = one_submission(builder)
    assert check_submission_set(request) is not None
    (content,) = [
        c
        for c in request.iter(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == CONTENT_TYPE
    ]
    if code is None:
        content.getparent().remove(content)
    else:
        content.set("nodeRepresentation", code)
        content.find(f".//{{{RIM}}}Value").text = system
    with pytest.raises(Refusal, match=refusal):
        check_submission_set(request)


def test_the_simulator_refuses_a_submission_without_content_type(simulator, builder):
    """Through ITI-41 itself, as the DMP answers it: XDSRegistryMetadataError."""
    from aiguillage import mtom
    from aiguillage.plugins.dmp.metadata import XDS
    from aiguillage.plugins.dmp.simulator import Refusal

    request, documents = one_submission(builder)
    (content,) = [
        c
        for c in request.iter(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == CONTENT_TYPE
    ]
    content.getparent().remove(content)
    body = etree.Element(f"{{{XDS}}}ProvideAndRegisterDocumentSetRequest")
    body.append(request)
    parts = {}
    for object_id, data in documents.items():
        document = etree.SubElement(body, f"{{{XDS}}}Document", id=object_id)
        document.append(mtom.include(object_id))
        parts[object_id] = mtom.Part(object_id, "text/xml", data)
    vihf_patient = "277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
    with pytest.raises(Refusal, match="contentTypeCode absent") as refused:
        simulator.provide(body, parts, vihf_patient)
    assert refused.value.code == "XDSRegistryMetadataError"


async def test_the_content_type_is_the_one_fixed_at_queue_time(dmp, wire):
    """A send queued with a content type keeps it, whatever the practice's is at delivery."""
    import time

    from aiguillage import outbox as ob
    from aiguillage.appkeys import DELIVERIES, OUTBOX
    from aiguillage.plugins.dmp.documents import CDA_ATTACHMENT, KIND, queued_cda, queued_payload

    practitioner = dmp.app[SETTINGS].practitioner
    details = {"title": "Ancien", "type_code": "11488-4", "format": "pdf", "unique_id": new_oid()}
    payload = queued_payload(
        body()["patient"],
        details,
        practitioner,
        lookup("dmp_content_type", "04"),
        dt.datetime.now(dt.UTC),
    )
    cda = queued_cda(payload, practitioner, pdf_base64=base64.b64encode(PDF))
    new = ob.NewItem(
        plugin="dmp",
        kind=KIND,
        payload=payload,
        external_id=details["unique_id"],
        attachments=[(*CDA_ATTACHMENT, cda)],
    )
    item, _ = await dmp.app[OUTBOX].write(ob.enqueue, new, time.time())
    dmp.app[DELIVERIES].wake("dmp")
    await sent(dmp, item.id)
    ((_, request),) = wire
    assert content_types(request) == [("04", "1.2.250.1.213.2.2", "Hospitalisation de jour")]
