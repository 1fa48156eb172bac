"""The official INSi request sent to the INSi simulator over TLS: it accepts it and answers what
the official answer says, which shows that its SOAP actions, namespaces and context versions are
the WSDL's and XSDs', not merely the client's; the same request with one constant altered is
refused with INSi's fault.

The request is the DMP kit's (``specs/dmp/examples/WS_INS2_rechercherInsAvecTraitsIdentite``,
CNAM DMP editor kit): the INSi examples beside it (``specs/insi/examples``) are CNDA answers
only. Only its PS assertion changes: signed by a test IGC-Santé certificate the simulator does
not trust, it is re-issued as published (same subject and attributes) with a validity window
from now and our test PKI's signature, in place of the published one, as for the DMP's examples
(``with_our_vihf``); every other byte, the body above all, is sent as published."""

from __future__ import annotations

import aiohttp
import pytest
from lxml import etree

from aiguillage.plugins.insi.simulator import Identity, InsiSimulator
from aiguillage.security.credentials import client_context, load_credential
from aiguillage.security.saml import Signer

from ..dmp.test_simulator_examples import altered, with_our_vihf
from conftest import beside

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
RESULTAT = "http://www.cnamts.fr/INSiResultat"
SIRAM = "urn:siram"
REQUEST = "specs/dmp/examples/WS_INS2_rechercherInsAvecTraitsIdentite_requete.xml"
ANSWER = "specs/dmp/examples/WS_INS2_rechercherInsAvecTraitsIdentite_reponse.xml"
#: The software authorisation number (IDAM) the official request sends.
KIT_IDAM = "NumAutorisation"


def published(path: str) -> bytes:
    return beside(path).read_bytes()


def person(answer: etree._Element) -> dict[str, str | None]:
    """What an INSi answer says: CR, active INS and its OID, traits."""
    q = f"{{{RESULTAT}}}"
    resultat = answer.find(f".//{q}RESULTAT")
    active = resultat.find(f"{q}INDIVIDU/{q}INSACTIF")
    tiq = resultat.find(f"{q}INDIVIDU/{q}TIQ")
    said = {"CodeCR": resultat.findtext(f"{q}CR/{q}CodeCR")}
    if active is not None:
        ident = active.find(f"{q}IdIndividu")
        said["INS"] = ident.findtext(f"{q}NumIdentifiant") + ident.findtext(f"{q}Cle")
        said["OID"] = active.findtext(f"{q}OID")
    if tiq is not None:
        for name in ("NomNaissance", "Prenom", "Sexe", "DateNaissance", "LieuNaissance"):
            said[name] = tiq.findtext(f"{q}{name}")
    return said


@pytest.fixture
def signer(pki) -> Signer:
    return Signer(load_credential(pki.p12("practitioner-signature"), pki.password))


@pytest.fixture
async def simulator(pki):
    """The simulator, knowing the IDAM of the official request and the person of the official
    answer (not among its CNDA test identities)."""
    simulator = InsiSimulator(
        server_p12=pki.p12("server"), password=pki.password, trust=pki.ca_bundle, idams=[KIT_IDAM]
    )
    kit = person(etree.fromstring(published(ANSWER)))
    simulator.identities.append(
        Identity(
            birth_name=kit["NomNaissance"],
            first_names=[kit["Prenom"]],
            sex=kit["Sexe"],
            birth_date=kit["DateNaissance"],
            birth_place=kit["LieuNaissance"],
            matricule=kit["INS"],
            oid=kit["OID"],
        )
    )
    simulator.url = await simulator.start()
    yield simulator
    await simulator.stop()


async def call(simulator, pki, data: bytes) -> tuple[int, etree._Element]:
    context = client_context(
        load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle
    )
    async with aiohttp.ClientSession() as session:
        async with session.post(
            simulator.url,
            data=data,
            ssl=context,
            headers={"Content-Type": "application/soap+xml; charset=utf-8"},
        ) as reply:
            return reply.status, etree.fromstring(await reply.read())


def fault_code(answer: etree._Element) -> str:
    error = answer.find(f".//{{{SOAP12}}}Fault/{{{SOAP12}}}Detail/{{{SIRAM}}}Erreur")
    assert error is not None, etree.tostring(answer)
    return error.get("code")


async def test_the_official_request_is_answered_as_the_official_answer(simulator, pki, signer):
    status, answer = await call(simulator, pki, with_our_vihf(published(REQUEST), signer))
    assert status == 200, etree.tostring(answer)
    assert person(answer) == person(etree.fromstring(published(ANSWER)))
    assert person(answer)["CodeCR"] == "00" and person(answer)["INS"] == "207058575627097"


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        # The SOAP action (the WSDL's soapAction), made the other operation's.
        (
            ">urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecTraitsIdentite<",
            ">urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecCarteVitale<",
            "desir_500",
        ),
        # The SOAP action, of another version of the service.
        (
            ">urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecTraitsIdentite<",
            ">urn:ServiceIdentiteCertifiee:1.0.1:rechercherInsAvecTraitsIdentite<",
            "desir_500",
        ),
        # The body's namespace (INSi_RECSANS_INS.xsd).
        (
            'xmlns:ins="http://www.cnamts.fr/INSiRecSans"',
            'xmlns:ins="http://www.cnamts.fr/INSiRecSansVitale"',
            "desir_500",
        ),
        # The ContexteBAM namespace (ROOT_ctxbam_CTXBAM_V01_02.xsd).
        ('xmlns:urn="urn:siram:bam:ctxbam"', 'xmlns:urn="urn:siram:bam:ctxBAM"', "desir_500"),
        # The ContexteLPS version the bundled XSD is for.
        ('<urn1:ContexteLPS Version="01_00">', '<urn1:ContexteLPS Version="01_01">', "desir_500"),
        # The WS-Addressing namespace (ws-addr.xsd).
        (
            'xmlns:add="http://www.w3.org/2005/08/addressing"',
            'xmlns:add="http://schemas.xmlsoap.org/ws/2004/08/addressing"',
            "desir_500",
        ),
        # The WS-Security namespace (Security.xsd): no PS assertion then, and the TLS
        # certificate is no machine one (INSI-AUTO, INSI-MANU).
        (
            "wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
            "wss/2004/01/oasis-200401-wss-wssecurity-secext-1.1.xsd",
            "desir_560",
        ),
        # The software authorisation number.
        (f">{KIT_IDAM}<", ">NumAutorisationX<", "desir_550"),
    ],
)
async def test_one_constant_altered_is_refused(simulator, pki, signer, old, new, code):
    request = with_our_vihf(altered(published(REQUEST), old, new), signer)
    status, answer = await call(simulator, pki, request)
    assert status == 400 and fault_code(answer) == code
