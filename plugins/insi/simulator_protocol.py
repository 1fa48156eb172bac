"""The INSi protocol as the simulator checks it: operations, SOAP actions and namespaces read from
the bundled WSDL and XSDs (``wsdl/``, unchanged CNAM files), and the few values no bundled file
holds, written here from their specification.

None of it comes from the client: a constant the client gets wrong must fail against the
simulator, which it cannot do when both sides share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

WSDL_DIR = Path(__file__).parent / "wsdl"
WSDL_FILE = WSDL_DIR / "DESIR_ICIR_EXP_1.5.0.wsdl"

# --- namespaces, each the targetNamespace of the bundled XSD that defines it ------------------

_XS = "http://www.w3.org/2001/XMLSchema"
_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_WSDL_SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False)

#: The XSD of each namespace a request or an answer carries, under ``wsdl/``.
XSDS = {
    "RECSANS": "xsd/ServiceIdentiteCertifiee/INSi_RECSANS_INS.xsd",
    "RECVIT": "xsd/ServiceIdentiteCertifiee/INSi_RECVITALE_INS.xsd",
    "RESULTAT": "xsd/ServiceIdentiteCertifiee/INSi_RESULTAT_INS.xsd",
    "CTXBAM": "xsd/CTX/ROOT_ctxbam_CTXBAM_V01_02.xsd",
    "CTXLPS": "xsd/CTX/ROOT_ctxlps_CTXLPS_V01_00.xsd",
    "WSA": "ws-addr.xsd",  # the W3C file the WSDL imports from the network, bundled instead
    "WSSE": "xsd/WSSE/Security.xsd",
    "SAML": "xsd/SAML/saml-schema-assertion-2.0.xsd",
    "SIRAM": "xsd/schema_faultSOAP_V01_01.xsd",
}


def target_namespace(relative: str) -> str:
    """The ``targetNamespace`` of a bundled XSD."""
    return etree.parse(str(WSDL_DIR / relative), _PARSER).getroot().get("targetNamespace")


RECSANS = target_namespace(XSDS["RECSANS"])
RECVIT = target_namespace(XSDS["RECVIT"])
RESULTAT = target_namespace(XSDS["RESULTAT"])
CTXBAM = target_namespace(XSDS["CTXBAM"])
CTXLPS = target_namespace(XSDS["CTXLPS"])
WSA = target_namespace(XSDS["WSA"])
WSSE = target_namespace(XSDS["WSSE"])
SAML = target_namespace(XSDS["SAML"])
SIRAM = target_namespace(XSDS["SIRAM"])

#: The context headers' ``Version``: the one the bundled XSD is for, as its file name says
#: (``…_V01_02.xsd``); the kit's INSi request (``WS_INS2_rechercherInsAvecTraitsIdentite``)
#: sends the same ``01_02`` and ``01_00``.
CONTEXT_VERSIONS = {
    CTXBAM: XSDS["CTXBAM"].removesuffix(".xsd").rsplit("_V", 1)[1],
    CTXLPS: XSDS["CTXLPS"].removesuffix(".xsd").rsplit("_V", 1)[1],
}

# --- what no bundled file defines ----------------------------------------------------------

#: The SOAP 1.2 envelope (W3C SOAP 1.2 Part 1, §5; the WSDL binds ``soap12``), which no
#: bundled XSD defines.
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
#: The SOAP 1.2 media type (RFC 3902; SOAP 1.2 Part 2, §7.1.4).
SOAP12_MEDIA_TYPE = "application/soap+xml"

# --- the operations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One operation of the WSDL's binding."""

    name: str
    #: ``soap12:operation/@soapAction``, which WS-Addressing's ``Action`` header must repeat.
    action: str
    #: The element the SOAP body carries (the input part ``soap12:body`` names), Clark notation.
    body: str


def _qname(context: etree._Element, prefixed: str) -> str:
    prefix, _, local = prefixed.rpartition(":")
    return f"{{{context.nsmap[prefix or None]}}}{local}"


def read_operations(wsdl: Path = WSDL_FILE) -> dict[str, Operation]:
    """The binding's operations by SOAP action."""
    root = etree.parse(str(wsdl), _PARSER).getroot()
    messages = {m.get("name"): m for m in root.iterfind(f"{{{_WSDL}}}message")}
    ports = {o.get("name"): o for o in root.iterfind(f"{{{_WSDL}}}portType/{{{_WSDL}}}operation")}
    operations = {}
    for bound in root.iterfind(f"{{{_WSDL}}}binding/{{{_WSDL}}}operation"):
        name = bound.get("name")
        action = bound.find(f"{{{_WSDL_SOAP12}}}operation").get("soapAction")
        body_part = bound.find(f"{{{_WSDL}}}input/{{{_WSDL_SOAP12}}}body").get("parts")
        message = messages[ports[name].find(f"{{{_WSDL}}}input").get("message").split(":")[-1]]
        part = message.find(f"{{{_WSDL}}}part[@name='{body_part}']")
        operations[action] = Operation(name, action, _qname(part, part.get("element")))
    return operations


OPERATIONS = read_operations()
