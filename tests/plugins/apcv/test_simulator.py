"""The ApCV simulator checks what the service checks: raw SOAP envelopes, broken one way at a
time; its QR payloads (shared key, CLI command); its control routes; its people."""

from __future__ import annotations

import datetime as dt
import json
import stat

import aiohttp
import pytest
from lxml import etree

from aiguillage.plugins.apcv.sim_people import load_holders
from aiguillage.plugins.apcv.sim_qr import KEY_FILE
from aiguillage.plugins.apcv.simulator import ApcvSimulator

from .simulator_fixture import (  # noqa: F401 - fixtures
    PRACTITIONER,
    apcv_backend_fixture,
    apcv_simulator_fixture,
    tls,
)

# Written from the notes here, not imported from the client or the simulator: both must agree
# with them.
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
CTXLPS = "urn:siram:lps:ctxlps"
AUTH = "http://www.sesam-vitale.fr/apcv/auth/1/0"
SIGN = "http://www.sesam-vitale.fr/apcv/sign/1/0"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


async def post(running, data: bytes, content_type: str = "application/soap+xml"):
    async with aiohttp.ClientSession() as session:
        async with session.post(
            running.url, data=data, ssl=tls(running.pki), headers={"Content-Type": content_type}
        ) as reply:
            return reply.status, await reply.read()


def fault_of(data: bytes) -> tuple[str, str, str]:
    """(Code/Value, the Subcode's local name, Reason/Text) of a fault answer."""
    fault = etree.fromstring(data).find(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault")
    q = f"{{{SOAP12}}}"
    return (
        fault.findtext(f"{q}Code/{q}Value"),
        fault.findtext(f"{q}Code/{q}Subcode/{q}Value").split(":")[1],
        fault.findtext(f"{q}Reason/{q}Text"),
    )


def open_envelope(backend, payload: str) -> etree._Element:
    body = etree.Element(f"{{{AUTH}}}authentifierUtilisateurProximite")
    for name, value in (
        ("IdentifiantFacturation", PRACTITIONER.billing_id),
        ("CodeSpecialiteAMO", "01"),
        ("Donnees", payload),
    ):
        etree.SubElement(body, f"{{{AUTH}}}{name}").text = value
    return etree.fromstring(
        backend.envelope("authentifierUtilisateurProximite", body, PRACTITIONER)
    )


async def test_a_valid_envelope_opens_a_context(apcv_sim, apcv_backend):
    status, data = await post(
        apcv_sim, etree.tostring(open_envelope(apcv_backend, await apcv_sim.qr()))
    )
    assert status == 200, data
    answer = etree.fromstring(data).find(
        f"{{{SOAP12}}}Body/{{{AUTH}}}authentifierUtilisateurProximiteReponse"
    )
    context = answer.find(f"{{{AUTH}}}ContexteApCV")
    assert context.findtext(f"{{{AUTH}}}Identifiant") and context.findtext(f"{{{AUTH}}}TokenApCV")
    ends = dt.datetime.fromisoformat(context.findtext(f"{{{AUTH}}}DateFinValidite"))
    assert abs(ends - dt.datetime.now(dt.UTC) - dt.timedelta(seconds=300)) < dt.timedelta(seconds=5)


def header_element(env: etree._Element, ns: str, name: str) -> etree._Element:
    return env.find(f"{{{SOAP12}}}Header/{{{ns}}}{name}")


def drop(ns: str, name: str):
    def change(env):
        element = env.find(f".//{{{ns}}}{name}")
        element.getparent().remove(element)

    return change


def set_text(ns: str, name: str, value: str):
    def change(env):
        env.find(f".//{{{ns}}}{name}").text = value

    return change


def set_version(value: str):
    def change(env):
        header_element(env, CTXLPS, "ContexteLPS").set("Version", value)

    return change


def second_body_element(env):
    env.find(f"{{{SOAP12}}}Body").append(etree.Element(f"{{{AUTH}}}autre"))


def sign_action(env):
    header_element(env, WSA, "Action").text = "urn:ApCV_SIGN:1.0.0:signerVitale"


def untrusted_signature(env):
    # Changing a signed value breaks the signature: the assertion no longer holds.
    name_id = env.find(f".//{{{SAML}}}NameID")
    name_id.text = "899900099999"


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (drop(WSA, "MessageID"), "ENTETE_INVALIDE", "MessageID absent"),
        (set_text(WSA, "MessageID", " "), "ENTETE_INVALIDE", "MessageID absent"),
        (drop(WSA, "Action"), "ENTETE_INVALIDE", "inconnue"),
        (
            set_text(WSA, "Action", "urn:ApCV_AUTH:2.0.0:authentifierUtilisateurProximite"),
            "ENTETE_INVALIDE",
            "inconnue",
        ),
        (sign_action, "ENTETE_INVALIDE", "incohérents"),
        (second_body_element, "ENTETE_INVALIDE", "un seul élément"),
        (drop(CTXLPS, "ContexteLPS"), "ENTETE_INVALIDE", "ContexteLPS absent"),
        (set_version("01_02"), "ENTETE_INVALIDE", "'01_02' non supportée"),
        (drop(CTXLPS, "IDAM"), "ENTETE_INVALIDE", "LPS/IDAM absent"),
        (set_text(CTXLPS, "Emetteur", ""), "ENTETE_INVALIDE", "Emetteur absent"),
        (drop(SAML, "Assertion"), "ASSERTION_ABSENTE", "absente"),
        (untrusted_signature, "ASSERTION_INVALIDE", "signature"),
        (set_text(AUTH, "IdentifiantFacturation", ""), "REQUETE_INVALIDE", "Facturation"),
        (set_text(AUTH, "CodeSpecialiteAMO", "SM26"), "REQUETE_INVALIDE", "CodeSpecialiteAMO"),
        (drop(AUTH, "Donnees"), "REQUETE_INVALIDE", "Donnees absent"),
        (set_text(AUTH, "IdentifiantFacturation", "991130980"), "PS_INCOHERENT", "facturation"),
    ],
)
async def test_each_broken_request_gets_its_fault(apcv_sim, apcv_backend, change, code, words):
    env = open_envelope(apcv_backend, await apcv_sim.qr())
    change(env)
    status, data = await post(apcv_sim, etree.tostring(env))
    value, subcode, reason = fault_of(data)
    assert (status, value, subcode) == (400, "soap:Sender", code), reason
    assert words in reason


async def test_a_request_without_security_header_is_refused(apcv_sim, apcv_backend):
    env = open_envelope(apcv_backend, await apcv_sim.qr())
    header = env.find(f"{{{SOAP12}}}Header")
    header.remove(header.find(f"{{{WSSE}}}Security"))
    status, data = await post(apcv_sim, etree.tostring(env))
    assert (status, fault_of(data)[1]) == (400, "ASSERTION_ABSENTE")


async def test_an_assertion_from_an_untrusted_chain_is_refused(apcv_sim, apcv_backend, tmp_path):
    from aiguillage.security.assertions import PractitionerAssertions
    from aiguillage.security.credentials import load_credential
    from aiguillage.security.saml import Signer
    from aiguillage.security.testpki import make_test_pki

    stranger = make_test_pki(tmp_path / "stranger")
    apcv_backend.assertions = PractitionerAssertions(
        Signer(load_credential(stranger.p12("practitioner-signature"), stranger.password))
    )
    status, data = await post(
        apcv_sim, etree.tostring(open_envelope(apcv_backend, await apcv_sim.qr()))
    )
    assert (status, fault_of(data)[1]) == (400, "ASSERTION_INVALIDE")


async def test_not_soap_is_refused(apcv_sim, apcv_backend):
    env = etree.tostring(open_envelope(apcv_backend, await apcv_sim.qr()))
    status, _ = await post(apcv_sim, env, content_type="text/xml")
    assert status == 415
    status, data = await post(apcv_sim, b"<not xml")
    assert (status, fault_of(data)[1]) == (400, "ENTETE_INVALIDE")
    status, data = await post(apcv_sim, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    assert (status, fault_of(data)[1]) == (400, "ENTETE_INVALIDE")
    status, data = await post(apcv_sim, b"<Envelope/>")
    assert (status, fault_of(data)[1]) == (400, "ENTETE_INVALIDE")


async def test_a_care_sheet_digest_must_be_a_sha256(apcv_sim, apcv_backend):
    from aiguillage.plugins.apcv.backend import ApcvError

    opened = await apcv_backend.open(await apcv_sim.qr(), PRACTITIONER, [])
    with pytest.raises(ApcvError) as error:
        await apcv_backend.sign(
            opened.context, "not-a-digest", {"montant": "30.00"}, PRACTITIONER, []
        )
    assert (error.value.code, error.value.service_code) == ("refused", "REQUETE_INVALIDE")
    with pytest.raises(ApcvError) as error:
        await apcv_backend.sign(opened.context, "0" * 64, {}, PRACTITIONER, [])
    assert "Resume" in error.value.detail


async def test_faults_are_in_the_operation_namespace(apcv_sim, apcv_backend):
    await apcv_sim.control("faults", {"queue": ["CONTEXTE_INCONNU", "CONTEXTE_INCONNU"]})
    for operation, ns in (("authentifierUtilisateurProximite", AUTH), ("signerVitale", SIGN)):
        body = etree.Element(f"{{{ns}}}{operation}")
        status, data = await post(apcv_sim, apcv_backend.envelope(operation, body, PRACTITIONER))
        fault = etree.fromstring(data).find(f".//{{{SOAP12}}}Fault")
        assert status == 400 and fault.nsmap["apcv"] == ns
        assert fault.find(f"{{{SOAP12}}}Detail/{{{ns}}}Erreur").get("code") == "CONTEXTE_INCONNU"


# --- the payloads ---------------------------------------------------------------------------


async def test_the_cli_and_the_running_simulator_share_the_key(apcv_sim, apcv_backend, pki):
    data_dir = apcv_sim.simulator.qr_key.path.parent
    # What `aiguillage simulate apcv --qr NESSI` does: a new simulator object on the same dir.
    printed = ApcvSimulator(data_dir=data_dir, pki=pki).command(["--qr", "NESSI"])
    opened = await apcv_backend.open(printed, PRACTITIONER, [])
    assert opened.beneficiaries[0].first_name == "RUTH"
    key = data_dir / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == [KEY_FILE]  # no temporary left behind


def test_the_command_lists_and_issues(tmp_path, pki):
    sim = ApcvSimulator(data_dir=tmp_path, pki=pki)
    listing = sim.command(["--list"]).splitlines()
    assert listing[0] == "NESSI-RUTH\tRUTH NESSI, MICHELANGELO NESSI"
    assert len(listing) == len(load_holders())
    payload = sim.command(["--qr", "adrtrois-dominique"])
    assert sim.qr_key.verify(payload, sim.now()).sub == "ADRTROIS-DOMINIQUE"
    assert sim.qr_key.verify(sim.command(["--qr", "ADRTROIS"]), sim.now()).sub == (
        "ADRTROIS-TOUSSAINT"
    )
    for wrong in (["--qr"], ["--qr", "NOBODY"], ["--frobnicate"], []):
        with pytest.raises(ValueError):
            sim.command(wrong)


def test_payloads_are_unique_short_and_expire_with_the_setting(tmp_path, pki):
    sim = ApcvSimulator(data_dir=tmp_path, pki=pki, qr_validity=60)
    first, second = sim.issue_qr("NESSI"), sim.issue_qr("NESSI")
    assert first != second and len(first) < 300 and first.startswith("APCV1.")
    claims = sim.qr_key.verify(first, sim.now())
    assert claims.exp - claims.iat == 60


async def test_the_control_routes(apcv_sim):
    answer = await apcv_sim.control("qr", {"identity": "TCHITCHI"})
    assert answer["holder"] == "TCHITCHI-CATARINA" and answer["qr"].startswith("APCV1.")
    state = await apcv_sim.control("clock", {"offset": 3600})
    assert state["offset"] == 3600.0
    state = await apcv_sim.control("faults", {"outage": True, "queue": ["QR_REJOUE"]})
    assert state["outage"] is True and state["queued"] == ["QR_REJOUE"]
    async with aiohttp.ClientSession() as session:
        for route, body, status in (
            ("qr", {"identity": "NOBODY"}, 404),
            ("qr", {}, 400),
            ("faults", {"queue": ["NOT_A_FAULT"]}, 400),
            ("faults", {"queue": "QR_REJOUE"}, 400),
            ("faults", {"latency_ms": "slow"}, 400),
            ("clock", {"offset": "soon"}, 400),
            ("clock", [], 400),
        ):
            async with session.post(
                f"{apcv_sim.base}/_sim/{route}", data=json.dumps(body), ssl=tls(apcv_sim.pki)
            ) as reply:
                assert reply.status == status, (route, body, await reply.text())
                assert "error" in await reply.json()


async def test_the_server_wants_a_client_certificate(apcv_sim):
    import ssl

    context = ssl.create_default_context(cafile=str(apcv_sim.pki.ca_bundle))
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):
            async with session.get(f"{apcv_sim.base}/_sim/state", ssl=context) as reply:
                await reply.read()


# --- the people ---------------------------------------------------------------------------------


def nir_key_holds(nir: str) -> bool:
    body = nir[:13].replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97 == int(nir[13:])


def test_the_beneficiaries_are_consistent():
    holders = load_holders()
    people = [p for h in holders.values() for p in h.beneficiaries]
    for holder in holders.values():
        first = holder.beneficiaries[0]
        assert holder.key.startswith(f"{first.birth_name}-{first.first_name}")
        for person in holder.beneficiaries:
            assert person.nir_od == first.nir  # the holder opens the rights
    for person in people:
        assert nir_key_holds(person.nir) and nir_key_holds(person.nir_od), person
        assert person.ins is None or (nir_key_holds(person.ins) and person.ins_oid)
        for period in person.rights:
            dt.date.fromisoformat(period["start"])
        for exoneration in person.exonerations:
            assert exoneration["code"] in {
                "ALD",
                "MATERNITE",
                "ATMP",
                "CSS",
                "AME",
                "INVALIDITE",
                "AUTRE",
            }
    assert any(len(h.beneficiaries) > 1 for h in holders.values())
    assert any(e["code"] == "ALD" for p in people for e in p.exonerations)
    assert any(p.birth_date.endswith("-00") for p in people)
    assert any(p.ins for p in people) and any(not p.ins for p in people)


def test_the_people_are_the_insi_test_identities():
    """Same NIR/INS, names and birth dates as the INSi simulator's CNDA identities, so an INS
    search by carte Vitale data finds them (the lunar date aside)."""
    import tomllib
    from pathlib import Path

    import aiguillage.plugins.insi as insi

    identities = tomllib.loads((Path(insi.__file__).parent / "identities.toml").read_text())
    known = {}
    for identity in identities["identity"]:
        for number in [identity.get("matricule"), *identity.get("history", [])]:
            if number:
                known[number] = identity
    for person in (p for h in load_holders().values() for p in h.beneficiaries):
        identity = known[person.nir]
        assert identity["birth_name"] == person.birth_name
        assert identity["first_names"][0] == person.first_name
        if not person.birth_date.endswith("-00"):
            assert identity["birth_date"] == person.birth_date
        if person.ins:
            assert identity["matricule"] == person.ins
