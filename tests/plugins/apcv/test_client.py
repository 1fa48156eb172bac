"""The ApCV client against the simulator, over real sockets: a scanned QR code opens a context,
the context reads back, signs a care sheet and is destroyed; each refusal of the service comes
back as its own ``ApcvError``; outages are retried, then reported."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib

import pytest
from lxml import etree

from aiguillage.plugins.apcv.backend import ApcvError, Exoneration, RightsPeriod
from aiguillage.plugins.apcv.client import (
    ACTIONS,
    AUTH,
    SoapBackend,
    Software,
    parse_answer,
    parse_beneficiary,
    parse_context,
)
from aiguillage.plugins.apcv.simulator import signed_data

from .simulator_fixture import (  # noqa: F401 - fixtures
    PRACTITIONER,
    apcv_backend_fixture,
    apcv_simulator_fixture,
    make_backend,
    signer,
    start_simulator,
)

SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
DIGEST = hashlib.sha256(b"the care sheet").hexdigest()
SUMMARY = {"praticien": "MAX LIBRE", "beneficiaire": "RUTH NESSI", "montant": "30.00"}


async def test_a_scanned_family_card_opens_a_context_with_every_beneficiary(apcv_sim, apcv_backend):
    exchanges = []
    before = dt.datetime.now(dt.UTC)
    opened = await apcv_backend.open(await apcv_sim.qr("NESSI"), PRACTITIONER, exchanges)

    assert [e.operation for e in exchanges] == [
        "authentifierUtilisateurProximite",
        "restituerContexteApCV",
    ]
    assert all(e.response and e.seconds > 0 for e in exchanges)
    assert ACTIONS["authentifierUtilisateurProximite"].encode() in exchanges[0].request
    lifetime = opened.context.expires_at - before
    assert dt.timedelta(seconds=295) < lifetime < dt.timedelta(seconds=305)
    mother, son = opened.beneficiaries
    assert (mother.nir, mother.nir_od, mother.first_name, mother.birth_date) == (
        "277076322082910",
        "277076322082910",
        "RUTH",
        "1977-07-14",
    )
    assert (son.nir, son.nir_od, son.birth_name, son.first_name, son.birth_date) == (
        "110086322083060",
        "277076322082910",
        "NESSI",
        "MICHELANGELO",
        "2010-08-07",
    )
    assert (son.rank, son.regime, son.caisse, son.centre) == (1, "01", "631", "6311")
    assert son.rights == (RightsPeriod("2024-01-01", None, "maladie"),)
    assert (son.ins, son.ins_oid) == ("110086322083060", "1.2.250.1.213.1.4.8")
    assert son.exonerations == ()


async def test_exonerations_lunar_dates_used_names_and_missing_ins_come_through(
    apcv_sim, apcv_backend
):
    (ald,) = (
        await apcv_backend.open(await apcv_sim.qr("TCHITCHI"), PRACTITIONER, [])
    ).beneficiaries
    assert ald.exonerations == (
        Exoneration("ald", "affection de longue durée", "2022-05-01", "2032-04-30"),
    )
    assert ald.ins is None and ald.ins_oid is None

    (lunar,) = (
        await apcv_backend.open(await apcv_sim.qr("ADRTROIS-TOUSSAINT"), PRACTITIONER, [])
    ).beneficiaries
    assert lunar.birth_date == "1960-00-00"

    (mother,) = (
        await apcv_backend.open(await apcv_sim.qr("ADRTROIS-DOMINIQUE"), PRACTITIONER, [])
    ).beneficiaries
    assert mother.used_name == "MARTIN"
    assert [e.code for e in mother.exonerations] == ["maternite"]

    (ended,) = (await apcv_backend.open(await apcv_sim.qr("CORSE"), PRACTITIONER, [])).beneficiaries
    assert ended.rights == (RightsPeriod("2020-01-01", "2025-12-31", "maladie"),)


async def test_a_context_reads_again_signs_and_is_destroyed(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr("NESSI-RUTH"), PRACTITIONER, [])

    exchanges = []
    again = await apcv_backend.read(opened.context, PRACTITIONER, exchanges)
    assert again == opened
    assert [e.operation for e in exchanges] == ["restituerContexteApCV"]

    signature = await apcv_backend.sign(opened.context, DIGEST, SUMMARY, PRACTITIONER, exchanges)
    assert exchanges[-1].operation == "signerVitale"
    assert signature.reference.startswith("APCVSIG-")
    assert abs(signature.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)
    # The simulator signed this context, this digest and this summary, with its key.
    apcv_sim.simulator.qr_key.public_key.verify(
        base64.b64decode(signature.value),
        signed_data(opened.context.id, DIGEST, list(SUMMARY.items()), signature.reference),
    )

    await apcv_backend.close(opened.context, PRACTITIONER, exchanges)
    assert exchanges[-1].operation == "detruireContexteApCV"
    with pytest.raises(ApcvError) as error:
        await apcv_backend.read(opened.context, PRACTITIONER, [])
    assert error.value.code == "context-unknown"
    assert error.value.service_code == "CONTEXTE_INCONNU"
    # Destroying what is gone is not an error.
    await apcv_backend.close(opened.context, PRACTITIONER, [])


async def test_a_wrong_token_does_not_reach_the_context(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    forged = type(opened.context)(opened.context.id, "not-the-token", opened.context.expires_at)
    with pytest.raises(ApcvError) as error:
        await apcv_backend.read(forged, PRACTITIONER, [])
    assert error.value.code == "context-unknown"


async def test_another_practitioner_cannot_use_the_context(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    colleague = PRACTITIONER.override({"national_id": "899900012345"})
    with pytest.raises(ApcvError) as error:
        await apcv_backend.read(opened.context, colleague, [])
    assert (error.value.code, error.value.service_code) == ("refused", "CONTEXTE_AUTRE_PS")


# --- the QR code's refusals --------------------------------------------------------------------


async def refusal(backend: SoapBackend, payload: str) -> ApcvError:
    exchanges = []
    with pytest.raises(ApcvError) as error:
        await backend.open(payload, PRACTITIONER, exchanges)
    # Refusals are not retried, and nothing is read after them.
    assert [e.operation for e in exchanges] == ["authentifierUtilisateurProximite"]
    assert not error.value.transient
    return error.value


async def test_an_expired_qr_code_is_refused(apcv_sim, apcv_backend):
    payload = await apcv_sim.qr()
    await apcv_sim.control("clock", {"offset": 181})
    error = await refusal(apcv_backend, payload)
    assert (error.code, error.service_code) == ("qr-expired", "QR_EXPIRE")
    assert "expiré" in error.detail


async def test_a_qr_code_just_within_its_validity_opens(apcv_sim, apcv_backend):
    payload = await apcv_sim.qr()
    await apcv_sim.control("clock", {"offset": 178})
    await apcv_backend.open(payload, PRACTITIONER, [])


async def test_a_qr_code_opens_once_then_is_a_replay(apcv_sim, apcv_backend):
    payload = await apcv_sim.qr()
    await apcv_backend.open(payload, PRACTITIONER, [])
    error = await refusal(apcv_backend, payload)
    assert (error.code, error.service_code) == ("qr-replayed", "QR_REJOUE")


def altered(payload: str, part: int) -> str:
    parts = payload.split(".")
    middle = len(parts[part]) // 2
    changed = "A" if parts[part][middle] != "A" else "B"
    parts[part] = parts[part][:middle] + changed + parts[part][middle + 1 :]
    return ".".join(parts)


@pytest.mark.parametrize("part", [1, 2], ids=["claims", "signature"])
async def test_an_altered_qr_code_is_refused_as_tampered(apcv_sim, apcv_backend, part):
    error = await refusal(apcv_backend, altered(await apcv_sim.qr(), part))
    assert (error.code, error.service_code) == ("qr-tampered", "QR_ALTERE")


async def test_a_qr_code_of_another_simulator_is_tampered(apcv_sim, apcv_backend, tmp_path, pki):
    other = await start_simulator(tmp_path / "other", pki)
    try:
        payload = other.simulator.issue_qr("NESSI")
    finally:
        await other.simulator.stop()
    error = await refusal(apcv_backend, payload)
    assert error.code == "qr-tampered"


@pytest.mark.parametrize("payload", ["hello", "https://example.org/?x=1", "APCV2.e30.AA"])
async def test_anything_else_is_not_an_apcv_payload(apcv_sim, apcv_backend, payload):
    error = await refusal(apcv_backend, payload)
    assert (error.code, error.service_code) == ("qr-invalid", "QR_INVALIDE")


# --- the context's lifetime ----------------------------------------------------------------------


async def test_an_expired_context_is_refused_and_still_closes(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    await apcv_sim.control("clock", {"offset": 301})
    for call in (
        apcv_backend.read(opened.context, PRACTITIONER, []),
        apcv_backend.sign(opened.context, DIGEST, SUMMARY, PRACTITIONER, []),
    ):
        with pytest.raises(ApcvError) as error:
            await call
        assert (error.value.code, error.value.service_code) == (
            "context-expired",
            "CONTEXTE_EXPIRE",
        )
    await apcv_backend.close(opened.context, PRACTITIONER, [])
    assert (await apcv_sim.control("state"))["contexts"] == 0


async def test_a_context_is_alive_until_its_end(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    await apcv_sim.control("clock", {"offset": 295})
    await apcv_backend.read(opened.context, PRACTITIONER, [])


# --- the practitioner's assertion ---------------------------------------------------------------


async def test_without_an_assertion_the_service_refuses(apcv_sim):
    backend = make_backend(apcv_sim, signer=None)
    try:
        exchanges = []
        with pytest.raises(ApcvError) as error:
            await backend.open(await apcv_sim.qr(), PRACTITIONER, exchanges)
    finally:
        await backend.aclose()
    assert (error.value.code, error.value.service_code) == ("refused", "ASSERTION_ABSENTE")
    assert b"Security" not in exchanges[0].request


async def test_an_assertion_altered_after_signing_is_refused(apcv_sim, apcv_backend):
    signed = apcv_backend.assertion(PRACTITIONER)

    def forged(practitioner):
        copied = copy.deepcopy(signed)
        copied.find(f"{{{SAML_NS}}}Subject/{{{SAML_NS}}}NameID").text = "899900099999"
        return copied

    apcv_backend.assertion = forged
    with pytest.raises(ApcvError) as error:
        await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    assert (error.value.code, error.value.service_code) == ("refused", "ASSERTION_INVALIDE")


async def test_an_expired_assertion_is_refused(apcv_sim, pki):
    # Valid for less than the verifier's tolerated skew: expired as soon as it is made.
    backend = make_backend(apcv_sim, signer=signer(pki), assertion_validity=-400)
    try:
        with pytest.raises(ApcvError) as error:
            await backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    finally:
        await backend.aclose()
    assert error.value.service_code == "ASSERTION_INVALIDE"
    assert "expired" in error.value.detail


async def test_a_billing_id_other_than_the_asserted_one_is_refused(apcv_sim, apcv_backend):
    asserted = apcv_backend.assertion(PRACTITIONER)
    apcv_backend.assertion = lambda practitioner: asserted
    other = PRACTITIONER.override({"billing_id": "991130980"})
    with pytest.raises(ApcvError) as error:
        await apcv_backend.open(await apcv_sim.qr(), other, [])
    assert (error.value.code, error.value.service_code) == ("refused", "PS_INCOHERENT")


# --- outages and retries -----------------------------------------------------------------------


async def test_an_unavailable_service_is_retried_until_it_answers(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    await apcv_sim.control("faults", {"queue": ["SERVICE_INDISPONIBLE", "SERVICE_INDISPONIBLE"]})
    exchanges = []
    again = await apcv_backend.read(opened.context, PRACTITIONER, exchanges)
    assert again.beneficiaries == opened.beneficiaries
    assert len(exchanges) == 3
    assert b"SERVICE_INDISPONIBLE" in exchanges[0].response


async def test_an_outage_ends_as_unavailable_after_the_retries(apcv_sim, apcv_backend):
    await apcv_sim.control("faults", {"outage": True})
    exchanges = []
    with pytest.raises(ApcvError) as error:
        await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, exchanges)
    assert (error.value.code, error.value.service_code) == ("unavailable", "SERVICE_INDISPONIBLE")
    assert error.value.transient
    assert len(exchanges) == 3  # the first try and two retries


async def test_bare_http_errors_are_unavailable(apcv_sim, apcv_backend):
    await apcv_sim.control("faults", {"error_rate": 1.0})
    exchanges = []
    with pytest.raises(ApcvError) as error:
        await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, exchanges)
    assert error.value.code == "unavailable" and "HTTP 503" in error.value.detail
    assert len(exchanges) == 3


async def test_a_slow_service_times_out_and_opening_is_not_retried(apcv_sim):
    backend = make_backend(apcv_sim, signer=signer(apcv_sim.pki), timeout=0.2)
    await apcv_sim.control("faults", {"latency_ms": 500})
    try:
        exchanges = []
        with pytest.raises(ApcvError) as error:
            await backend.open(await apcv_sim.qr(), PRACTITIONER, exchanges)
        assert error.value.code == "timeout" and error.value.transient
        # The service may have used the payload: a second try would only say "replayed".
        assert len(exchanges) == 1 and exchanges[0].response is None
    finally:
        await backend.aclose()


async def test_a_slow_read_is_retried(apcv_sim):
    backend = make_backend(apcv_sim, signer=signer(apcv_sim.pki), timeout=0.3)
    try:
        opened = await backend.open(await apcv_sim.qr(), PRACTITIONER, [])
        await apcv_sim.control("faults", {"latency_ms": 600})
        exchanges = []
        with pytest.raises(ApcvError) as error:
            await backend.read(opened.context, PRACTITIONER, exchanges)
        assert error.value.code == "timeout"
        assert len(exchanges) == 3
    finally:
        await backend.aclose()


async def test_an_unreachable_service_is_unavailable(apcv_sim, apcv_backend):
    await apcv_sim.simulator.stop()
    exchanges = []
    with pytest.raises(ApcvError) as error:
        await apcv_backend.open("APCV1.x.y", PRACTITIONER, exchanges)
    assert error.value.code == "unavailable" and "cannot reach" in error.value.detail
    assert len(exchanges) == 3 and all(e.response is None for e in exchanges)


# --- answers that are not what was asked ---------------------------------------------------------

ENVELOPE = (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>{}</s:Body></s:Envelope>'
)


@pytest.mark.parametrize(
    ("status", "body", "code", "words"),
    [
        # A 5xx that is no SOAP answer: a gateway or a server in trouble, it may pass.
        (503, "Service Unavailable", "unavailable", "unreadable"),
        (502, "<html/>", "unavailable", "not a SOAP 1.2 envelope"),
        (
            500,
            ENVELOPE.format(
                '<restituerContexteApCVReponse xmlns="http://www.sesam-vitale.fr/apcv/auth/1/0"/>'
            ),
            "unavailable",
            "HTTP 500",
        ),
        # Anything else is what the service meant as its answer: asking again gets the same.
        (200, "<soap:Envelope", "malformed", "unreadable"),
        (200, "<html/>", "malformed", "not a SOAP 1.2 envelope"),
        (404, "<html>Not Found</html>", "malformed", "not a SOAP 1.2 envelope"),
        (
            200,
            ENVELOPE.format('<x:autre xmlns:x="http://www.sesam-vitale.fr/apcv/auth/1/0"/>'),
            "malformed",
            "expected restituerContexteApCVReponse",
        ),
    ],
)
def test_garbage_is_malformed_unless_the_server_is_in_trouble(status, body, code, words):
    with pytest.raises(ApcvError) as error:
        parse_answer("restituerContexteApCV", status, body.encode())
    assert error.value.code == code and words in error.value.detail
    assert error.value.transient == (code == "unavailable")


async def test_a_garbled_answer_is_not_retried(apcv_sim, apcv_backend):
    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    await apcv_sim.control("faults", {"garble": 5})
    exchanges = []
    with pytest.raises(ApcvError) as error:
        await apcv_backend.read(opened.context, PRACTITIONER, exchanges)
    assert error.value.code == "malformed" and not error.value.transient
    assert len(exchanges) == 1
    assert (await apcv_sim.control("state"))["garble"] == 4


@pytest.mark.parametrize(
    ("element", "text"),
    [
        ("DateFinValidite", "demain"),
        ("TokenApCV", ""),
        ("DateNaissance", "14/07/1977"),
        ("RangNaissance", "premier"),
        ("DateDebut", "2024-13-01"),
    ],
)
def test_a_context_answer_with_unreadable_data_is_malformed(element, text):
    answer = ENVELOPE.format(
        '<a:restituerContexteApCVReponse xmlns:a="http://www.sesam-vitale.fr/apcv/auth/1/0">'
        "<a:ContexteApCV><a:Identifiant>c</a:Identifiant><a:TokenApCV>t</a:TokenApCV>"
        "<a:DateFinValidite>2026-12-02T09:19:05Z</a:DateFinValidite></a:ContexteApCV>"
        "<a:Beneficiaires><a:Beneficiaire><a:NIR>2770763220829</a:NIR><a:CleNIR>10</a:CleNIR>"
        "<a:NIROuvrantDroit>2770763220829</a:NIROuvrantDroit>"
        "<a:CleNIROuvrantDroit>10</a:CleNIROuvrantDroit><a:NomNaissance>NESSI</a:NomNaissance>"
        "<a:Prenom>RUTH</a:Prenom><a:DateNaissance>1977-07-14</a:DateNaissance>"
        "<a:RangNaissance>1</a:RangNaissance><a:Regime>01</a:Regime><a:Caisse>631</a:Caisse>"
        "<a:Centre>6311</a:Centre><a:PeriodeDroits><a:DateDebut>2024-01-01</a:DateDebut>"
        "</a:PeriodeDroits></a:Beneficiaire></a:Beneficiaires>"
        "</a:restituerContexteApCVReponse>"
    )
    good = etree.fromstring(answer.encode())
    parse_context(good.find(f".//{{{AUTH}}}ContexteApCV"))
    parse_beneficiary(good.find(f".//{{{AUTH}}}Beneficiaire"))  # as given, it reads
    broken = etree.fromstring(answer.encode())
    broken.find(f".//{{{AUTH}}}{element}").text = text
    with pytest.raises(ApcvError) as error:
        parse_context(broken.find(f".//{{{AUTH}}}ContexteApCV"))
        parse_beneficiary(broken.find(f".//{{{AUTH}}}Beneficiaire"))
    assert error.value.code == "malformed" and not error.value.transient
    assert error.value.detail.startswith("malformed answer: ")


def test_an_unknown_receiver_fault_is_transient_and_an_unknown_sender_fault_a_refusal():
    def fault(value: str, subcode: str) -> bytes:
        return ENVELOPE.format(
            f"<s:Fault><s:Code><s:Value>s:{value}</s:Value><s:Subcode><s:Value>x:{subcode}"
            "</s:Value></s:Subcode></s:Code><s:Reason><s:Text>pourquoi</s:Text></s:Reason>"
            "</s:Fault>"
        ).encode()

    with pytest.raises(ApcvError) as error:
        parse_answer("signerVitale", 500, fault("Receiver", "PANNE"))
    assert (error.value.code, error.value.service_code, error.value.detail) == (
        "unavailable",
        "PANNE",
        "pourquoi",
    )
    with pytest.raises(ApcvError) as error:
        parse_answer("signerVitale", 400, fault("Sender", "AUTRE"))
    assert (error.value.code, error.value.service_code) == ("refused", "AUTRE")


def test_the_envelope_carries_the_headers_the_service_requires(pki):
    backend = SoapBackend(
        endpoint="https://127.0.0.1:1/apcv",
        session=None,
        software=Software("IDAM", "4", "N", "V", "I"),
        signer=signer(pki),
        timeout=1,
        retries=0,
    )
    body = etree.Element("{http://www.sesam-vitale.fr/apcv/auth/1/0}restituerContexteApCV")
    root = etree.fromstring(backend.envelope("restituerContexteApCV", body, PRACTITIONER))
    ns = {
        "s": "http://www.w3.org/2003/05/soap-envelope",
        "wsa": "http://www.w3.org/2005/08/addressing",
        "lps": "urn:siram:lps:ctxlps",
        "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    }
    assert root.xpath("string(s:Header/wsa:Action)", namespaces=ns) == (
        "urn:ApCV_AUTH:1.0.0:restituerContexteApCV"
    )
    assert root.xpath("string(s:Header/wsa:MessageID)", namespaces=ns).startswith("urn:uuid:")
    assert root.xpath("string(s:Header/lps:ContexteLPS/@Version)", namespaces=ns) == "01_00"
    assert root.xpath("string(s:Header/lps:ContexteLPS/lps:LPS/lps:IDAM/@R)", namespaces=ns) == "4"
    assert (
        root.xpath(
            "string(s:Header/*[local-name()='Security']/saml:Assertion/saml:Subject/saml:NameID)",
            namespaces=ns,
        )
        == PRACTITIONER.national_id
    )
    assert not root.xpath("s:Header/*[local-name()='ContexteBAM']", namespaces=ns)
