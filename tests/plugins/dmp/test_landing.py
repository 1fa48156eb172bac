"""Documents land where and as the API says (issue 11): an "already registered" answer counts
as delivered only when the registry's entry is this very document; an EHR's CDA is about the
patient of the request and no one else; every document type either has its class or is refused
when it is queued; digits are ASCII digits."""

from __future__ import annotations

import base64
import hashlib

import pytest
from lxml import etree

from aiguillage.appkeys import SETTINGS
from aiguillage.config import load_settings
from aiguillage.ihe.cda import HL7, DocumentInfo, Patient, level1
from aiguillage.ihe.valuesets import class_of, value_set
from aiguillage.plugin import FieldError
from aiguillage.plugins.dmp.client import DmpClient
from aiguillage.plugins.dmp.documents import cda_details, check_type
from aiguillage.plugins.dmp.metadata import SIGNATURE_TYPE

from .conftest import RUTH
from .test_dmp import PDF, PROBLEM, body, cda_error, post_cda, sent

NS = {"hl7": HL7}
RUTH_CX = "277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
#: TCHITCHI CATARINA BELLA: a DMP in the simulator, no authorisation until she gives one.
TCHITCHI = {
    "ins": {"matricule": "236066322083656"},
    "traits": {
        "birth_name": "TCHITCHI",
        "first_names": ["CATARINA", "BELLA"],
        "sex": "F",
        "birth_date": "1936-06-21",
        "birth_place": "63220",
    },
}
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def practitioner(plugins):
    return load_settings(None, plugins.infos).practitioner


def ehr_cda(practitioner, patient: Patient = RUTH, title: str = "Biologie", unique_id=None):
    """An EHR's own level 1 CDA about ``patient``, with its own ClinicalDocument/id."""
    info = DocumentInfo(title, "11502-2")
    if unique_id:
        info.unique_id = unique_id
    return level1(base64.b64encode(PDF), info, patient, practitioner), info.unique_id


async def queue(dmp, cda: bytes, patient: dict | None = None) -> dict:
    response = await post_cda(dmp, cda, patient)
    assert response.status == 202, await response.text()
    return await response.json()


# --- 1. "Already there" is proven, not assumed -------------------------------------------------


async def test_the_same_document_resent_is_already_there(dmp, practitioner):
    cda, _ = ehr_cda(practitioner)
    first = await sent(dmp, (await queue(dmp, cda))["id"])
    assert first["result"]["already_present"] is False
    again = await sent(dmp, (await queue(dmp, cda))["id"])
    assert again["result"]["already_present"] is True
    assert again["result"]["entry_uuid"].startswith("urn:uuid:")


async def test_the_registry_shows_what_it_holds(dmp, practitioner):
    """ITI-18 gives each entry's patient, SHA-1 (hex) and size in bytes, as XDS registers them:
    what "already there" is proven with."""
    cda, unique_id = ehr_cda(practitioner)
    await sent(dmp, (await queue(dmp, cda))["id"])
    client: DmpClient = dmp.app[SETTINGS].plugins["dmp"].service
    (entry,) = await client.get([unique_id], RUTH.ins, RUTH.ins_oid, practitioner)
    assert entry.patient_id == RUTH_CX
    assert entry.slots["hash"] == [hashlib.sha1(cda).hexdigest()]
    assert entry.slots["size"] == [str(len(cda))]


async def test_other_content_under_a_registered_id_fails_naming_its_holder(dmp, practitioner):
    cda, unique_id = ehr_cda(practitioner)
    await sent(dmp, (await queue(dmp, cda))["id"])
    other, _ = ehr_cda(practitioner, title="Autre compte rendu", unique_id=unique_id)
    item = await sent(dmp, (await queue(dmp, other))["id"], "failed")
    error = item["last_error"]
    assert error["code"] == "XDSDuplicateUniqueIdInRegistry" and error["transient"] is False
    client: DmpClient = dmp.app[SETTINGS].plugins["dmp"].service
    (holder,) = await client.get([unique_id], RUTH.ins, RUTH.ins_oid, practitioner)
    assert (
        f"uniqueId {unique_id} is already registered for entry {holder.entry_uuid}"
        in (error["message"])
    )
    assert "with other content" in error["message"]
    # The DMP holds the first document, untouched.
    read = await dmp.get(f"/v1/dmp/documents/{unique_id}?patient=277076322082910")
    assert await read.read() == cda


async def test_another_patients_id_fails_without_naming_that_patient(dmp, practitioner):
    cda, unique_id = ehr_cda(practitioner)
    await sent(dmp, (await queue(dmp, cda))["id"])
    added = await dmp.put("/v1/dmp/patients/236066322083656/authorization", json={"action": "add"})
    assert added.status == 200, await added.text()
    catarina = Patient(
        "236066322083656",
        RUTH.ins_oid,
        "TCHITCHI",
        ["CATARINA", "BELLA"],
        "F",
        "1936-06-21",
        "63220",
    )
    theirs, _ = ehr_cda(practitioner, catarina, unique_id=unique_id)
    item = await sent(dmp, (await queue(dmp, theirs, TCHITCHI))["id"], "failed")
    error = item["last_error"]
    assert error["code"] == "XDSDuplicateUniqueIdInRegistry" and error["transient"] is False
    assert f"uniqueId {unique_id} is already registered" in error["message"]
    assert "not in this patient's DMP" in error["message"]
    assert RUTH.ins not in error["message"]
    listed = await (await dmp.get("/v1/dmp/patients/236066322083656/documents")).json()
    assert listed["documents"] == []


def test_the_simulator_registers_the_hash_and_size_it_computes(pki, tmp_path, practitioner):
    """A source may leave hash and size out (IHE ITI TF-3 §4.2.3.2.10, .19): the repository
    computes them, and the registry holds them."""
    from aiguillage.plugins.dmp.metadata import RIM
    from aiguillage.plugins.dmp.simulator import DmpSimulator

    from .test_xds_conformance import one_submission, xades_signer

    simulator = DmpSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        database=tmp_path / "sim.db",
    )
    try:
        request, documents = one_submission((practitioner, xades_signer(pki)))
        entry = request.find(f".//{{{RIM}}}ExtrinsicObject[@id='Document01']")
        for slot in entry.findall(f"{{{RIM}}}Slot"):
            if slot.get("name") in ("hash", "size"):
                entry.remove(slot)
        stored = etree.fromstring(simulator.check_entry(entry, documents, RUTH_CX)["xml"])
        slots = {
            s.get("name"): [v.text for v in s.iter(f"{{{RIM}}}Value")]
            for s in stored.iterfind(f"{{{RIM}}}Slot")
        }
        content = documents["Document01"]
        assert slots["hash"] == [hashlib.sha1(content).hexdigest()]
        assert slots["size"] == [str(len(content))]
    finally:
        simulator.db.close()


# --- 2. One patient per document, checked strictly ---------------------------------------------


def _role(cda: bytes) -> tuple[etree._Element, etree._Element]:
    document = etree.fromstring(cda)
    return document, document.find("hl7:recordTarget/hl7:patientRole", NS)


async def test_a_cda_with_a_second_ins_is_refused(dmp, practitioner):
    cda, _ = ehr_cda(practitioner)
    document, role = _role(cda)
    second = etree.Element(f"{{{HL7}}}id", root="1.2.250.1.213.1.4.8", extension="236066322083656")
    role.find("hl7:id", NS).addnext(second)
    message = await cda_error(await post_cda(dmp, etree.tostring(document)))
    assert "recordTarget/patientRole/id holds 2 INS" in message


async def test_the_ins_under_a_root_that_is_no_ins_oid_is_refused(dmp, practitioner):
    cda, _ = ehr_cda(practitioner)
    document, role = _role(cda)
    role.find("hl7:id", NS).set("root", "1.2.3.4.567")  # an IPP's, say
    message = await cda_error(await post_cda(dmp, etree.tostring(document)))
    assert "is not the INS 277076322082910" in message and "under 1.2.3.4.567" in message


async def test_an_ipp_beside_the_ins_is_accepted(dmp, practitioner):
    cda, _ = ehr_cda(practitioner)
    document, role = _role(cda)
    ipp = etree.Element(f"{{{HL7}}}id", root="1.2.3.4.567.8.9.10", extension="1234567890121")
    role.find("hl7:id", NS).addnext(ipp)
    response = await post_cda(dmp, etree.tostring(document))
    assert response.status == 202, await response.text()


def _details(cda: bytes, patient: dict) -> list[FieldError]:
    errors: list[FieldError] = []
    cda_details(cda, patient, errors)
    return errors


@pytest.mark.parametrize(
    ("path", "attribute", "value", "message"),
    [
        (
            "hl7:name/hl7:family[@qualifier='BR']",
            None,
            "DUPONT",
            "birth name (family qualifier BR) is 'DUPONT', the patient's is 'NESSI'",
        ),
        (
            "hl7:name/hl7:given[not(@qualifier)]",
            None,
            "RUTH MARIE",
            "birth first names (given) is 'RUTH MARIE', the patient's is 'RUTH ISABELLE'",
        ),
        (
            "hl7:name/hl7:given[@qualifier='BR']",
            None,
            "ISABELLE",
            "first birth first name (given qualifier BR) is 'ISABELLE', the patient's is 'RUTH'",
        ),
        (
            "hl7:administrativeGenderCode",
            "code",
            "M",
            "sex (administrativeGenderCode) is 'M', the patient's is 'F'",
        ),
        (
            "hl7:birthTime",
            "value",
            "19770715",
            "birth date (birthTime) is '19770715', the patient's is '19770714'",
        ),
        (
            "hl7:birthplace/hl7:place/hl7:addr/hl7:county",
            None,
            "75056",
            "birth place (birthplace/place/addr/county) is '75056', the patient's is '63220'",
        ),
    ],
)
def test_a_cda_whose_traits_are_another_persons_is_refused(
    practitioner, path, attribute, value, message
):
    cda, _ = ehr_cda(practitioner)
    document = etree.fromstring(cda)
    (element,) = document.xpath(
        f"hl7:recordTarget/hl7:patientRole/hl7:patient/{path}", namespaces=NS
    )
    if attribute:
        element.set(attribute, value)
    else:
        element.text = value
    errors = _details(etree.tostring(document), body()["patient"])
    assert [(e.field, e.message) for e in errors] == [
        ("/document/cda", f"recordTarget/patientRole/patient {message}")
    ]


def test_the_ins_under_another_ins_oid_than_the_requests_is_refused(practitioner):
    cda, _ = ehr_cda(practitioner)
    patient = body()["patient"]
    patient["ins"]["oid"] = "1.2.250.1.213.1.4.10"  # a test NIR; the CDA says NIR
    (error,) = _details(cda, patient)
    assert error.message == (
        "recordTarget/patientRole/id is not the INS 277076322082910 under 1.2.250.1.213.1.4.10 "
        "(the CDA gives it under 1.2.250.1.213.1.4.8)"
    )


def test_traits_are_compared_as_the_ins_referential_writes_them(practitioner):
    """Case, accents, ligatures, typographic hyphens and apostrophes, spaces: the INS
    referential's folding (upper case, no diacritics) makes them the same trait."""
    written = Patient(
        RUTH.ins,
        RUTH.ins_oid,
        "Nessi  d’Œuvray",
        ["Ruth‐Éléonore", "isabelle"],
        "F",
        "1977-07-14",
        "63220",
    )
    cda, _ = ehr_cda(practitioner, written)
    patient = body()["patient"]
    patient["traits"] |= {
        "birth_name": "NESSI D'OEUVRAY",
        "first_names": ["RUTH-ELEONORE", "Isabelle"],
    }
    assert _details(cda, patient) == []
    patient["traits"]["first_names"] = ["RUTH ELEONORE", "ISABELLE"]  # a space is no hyphen
    assert [e.message.split(" is ")[0] for e in _details(cda, patient)] == [
        "recordTarget/patientRole/patient birth first names (given)",
        "recordTarget/patientRole/patient first birth first name (given qualifier BR)",
    ]


async def test_the_api_refuses_a_cda_of_another_person(dmp, practitioner):
    """Through the route: the traits the request gives are the ones the CDA must carry."""
    cda, _ = ehr_cda(practitioner)
    patient = body()["patient"]
    patient["traits"]["birth_name"] = "DUPONT"
    response = await post_cda(dmp, cda, patient)
    assert response.status == 422, await response.text()
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "/document/cda"
    assert (
        "birth name (family qualifier BR) is 'NESSI', the patient's is 'DUPONT'"
        in (error["message"])
    )
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []


async def test_a_matching_cda_with_other_case_and_accents_is_accepted(dmp, practitioner):
    cda, _ = ehr_cda(practitioner)
    patient = body()["patient"]
    patient["traits"] |= {"birth_name": "Néssi", "first_names": ["Ruth", "Isabëlle"]}
    response = await post_cda(dmp, cda, patient)
    assert response.status == 202, await response.text()


# --- 3. Every document type has its class, or is refused when queued ---------------------------


def test_every_j07_type_has_its_class_or_is_refused_when_queued():
    """The DMP takes the types of JDV_J66 (but the signature's), each with its JDV_J57 class by
    ASS_X16; a CI-SIS type (JDV_J07) the DMP does not take is refused when it is queued, naming
    it, never queued to fail at delivery."""
    taken = set(value_set("dmp_type")) - {SIGNATURE_TYPE}
    dmp_classes = value_set("dmp_class")
    for code in value_set("type"):
        errors: list[FieldError] = []
        check_type(code, "/document/type_code", errors)
        if code in taken:
            assert errors == [], code
            assert class_of(code).code in dmp_classes, code
        else:
            (error,) = errors
            assert error.field == "/document/type_code" and code in error.message
    # Every type the DMP takes is a CI-SIS type: its CDA can be built.
    assert taken <= set(value_set("type"))


@pytest.mark.parametrize("code", ["PIECE-IDENTITE", "101881-1", "99999-9"])
async def test_a_type_without_a_dmp_class_is_refused_at_queue_time(dmp, code):
    response = await dmp.post("/v1/dmp/documents", json=body(type_code=code))
    assert response.status == 422
    errors = (await response.json(content_type=PROBLEM))["errors"]
    assert [e["field"] for e in errors] == ["/document/type_code"]
    assert code in errors[0]["message"]
    assert (await (await dmp.get("/v1/outbox")).json())["items"] == []


# --- 4. ASCII digits only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("hl7:recordTarget/hl7:patientRole/hl7:patient/hl7:birthTime", "19770714"),
        ("hl7:documentationOf/hl7:serviceEvent/hl7:effectiveTime/hl7:low", "20240101"),
        ("hl7:recordTarget/hl7:patientRole/hl7:id", "277076322082910"),
    ],
)
async def test_a_cda_with_digits_of_another_script_is_refused(dmp, practitioner, path, value):
    cda, _ = ehr_cda(practitioner)
    document = etree.fromstring(cda)
    (element,) = document.xpath(path, namespaces=NS)
    element.set("extension" if path.endswith("id") else "value", value.translate(ARABIC_DIGITS))
    response = await post_cda(dmp, etree.tostring(document))
    assert response.status == 422
    assert (await response.json(content_type=PROBLEM))["errors"][0]["field"] == "/document/cda"


@pytest.mark.parametrize(
    ("where", "value"),
    [("birth_date", "1977-07-14"), ("birth_place", "63220")],
)
async def test_traits_with_digits_of_another_script_are_refused(dmp, where, value):
    request = body()
    request["patient"]["traits"][where] = value.translate(ARABIC_DIGITS)
    response = await dmp.post("/v1/dmp/documents", json=request)
    assert response.status == 422
    # The pattern and the birth date's own check may both say so.
    fields = {e["field"] for e in (await response.json(content_type=PROBLEM))["errors"]}
    assert fields == {f"/patient/traits/{where}"}


def test_a_birth_time_of_another_script_never_matches(practitioner):
    """Past the CDA schema, the comparison itself takes ASCII digits only."""
    from aiguillage.ihe.cda import record_target_problems

    cda, _ = ehr_cda(practitioner)
    _, role = _role(cda)
    role.find("hl7:patient/hl7:birthTime", NS).set("value", "19770714".translate(ARABIC_DIGITS))
    (problem,) = record_target_problems(role, RUTH)
    assert problem.startswith("recordTarget/patientRole/patient birth date (birthTime)")


def test_an_entry_of_another_patient_is_not_this_document():
    """A registry that shows an entry of another patient under the uniqueId (the DMP answers
    GetDocuments about the VIHF's patient only; another registry might not): not delivered, and
    that patient is not named."""
    from aiguillage.plugins.dmp.client import DmpError, Entry, UniqueIdTaken
    from aiguillage.plugins.dmp.delivery import _check_same_document

    cda = b"<ClinicalDocument/>"
    entry = Entry(
        "urn:uuid:0f6c1c3e-2b7e-4c55-9d7c-1d2b3c4d5e6f",
        "1.2.3",
        "Biologie",
        "11502-2",
        "Approved",
        "20240101000000",
        "",
        ["N"],
        "1.2.250.1.213.4.1.1.1.2",
        "text/xml",
        patient_id="236066322083656^^^&1.2.250.1.213.1.4.8&ISO^NH",
        slots={"hash": [hashlib.sha1(cda).hexdigest()], "size": [str(len(cda))]},
    )
    taken = UniqueIdTaken("XDSDuplicateUniqueIdInRegistry", "uniqueId 1.2.3 déjà enregistré")
    with pytest.raises(DmpError, match="another patient's document") as refused:
        _check_same_document(taken, entry, "1.2.3", cda, RUTH)
    assert "236066322083656" not in refused.value.message
    entry.patient_id = RUTH_CX
    _check_same_document(taken, entry, "1.2.3", cda, RUTH)  # this very document


async def test_a_vsm_an_earlier_daemon_queued_as_json_is_recognised_when_resent(dmp):
    """Its CDA is built at each try: the same bytes each time (section ids derived from the
    document's), so the registry's hash shows a re-delivery is the document already there."""
    import datetime as dt
    import time

    from aiguillage import outbox as ob
    from aiguillage.appkeys import DELIVERIES, OUTBOX, PLUGINS
    from aiguillage.plugins.dmp.documents import KIND, queued_payload, vsm_details
    from aiguillage.plugins.dmp.metadata import content_type_of

    practitioner = dmp.app[SETTINGS].practitioner
    details = vsm_details(None)
    payload = queued_payload(
        body()["patient"],
        details,
        practitioner,
        content_type_of("", practitioner),
        dt.datetime.now(dt.UTC),
    )
    content = b'{"problems": [{"label": "Diab\\u00e8te de type 2"}]}'
    new = ob.NewItem(
        plugin="dmp",
        kind=KIND,
        payload=payload,
        external_id=details["unique_id"],
        attachments=[("application/json", "document.json", content)],
    )
    item, _ = await dmp.app[OUTBOX].write(ob.enqueue, new, time.time())
    dmp.app[DELIVERIES].wake("dmp")
    await sent(dmp, item.id)
    item = ob.get(dmp.app[OUTBOX].reader, item.id)
    item.attachments = ob.attachments(dmp.app[OUTBOX].reader, item.id, with_data=True)
    again = await dmp.app[PLUGINS].call(
        "dmp", "deliver", item=item, config=dmp.app[SETTINGS].plugins["dmp"]
    )
    assert again.already_present is True


async def test_a_vsm_date_with_digits_of_another_script_is_refused(dmp):
    since = "1980-01-01".translate(ARABIC_DIGITS)
    request = {
        "patient": body()["patient"],
        "document": {"vsm": {"problems": [{"label": "Asthme", "since": since}]}},
    }
    response = await dmp.post("/v1/dmp/documents", json=request)
    assert response.status == 422
    fields = [e["field"] for e in (await response.json(content_type=PROBLEM))["errors"]]
    assert fields == ["/document/vsm/problems/0/since"]


# --- render=pdf never answers an empty or foreign "PDF" -----------------------------------------


@pytest.mark.parametrize("body_bytes", [b"", b"<html>not a pdf</html>"])
async def test_render_pdf_of_a_document_without_a_pdf_is_a_422(dmp, practitioner, body_bytes):
    """Another program may have filed a level 1 CDA whose PDF body is empty or no PDF: its
    rendering is a 422 saying so, not an empty 200."""
    info = DocumentInfo("Biologie", "11502-2")
    cda = level1(base64.b64encode(body_bytes), info, RUTH, practitioner)
    response = await post_cda(dmp, cda)
    assert response.status == 202, await response.text()
    await sent(dmp, (await response.json())["id"])
    url = f"/v1/dmp/documents/{info.unique_id}?patient=277076322082910&render=pdf"
    problem = await (await dmp.get(url)).json(content_type=PROBLEM)
    assert problem["status"] == 422 and problem["type"].endswith(":not-level1-pdf")
