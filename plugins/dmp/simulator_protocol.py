"""The DMP protocol as the simulator checks it: operations, WS-Addressing actions and namespaces
read from the bundled WSDLs and schemas (``wsdl/``, unchanged from the CNAM DMP editor kit), and
a table of the IHE XDS.b / ebRIM identifiers written from the specifications, each checked
against the kit's official example messages (``specs/dmp/examples`` beside the project).

None of it comes from the client or its metadata builder: a constant the client gets wrong must
fail against the simulator, which it cannot do when both sides share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

WSDL_DIR = Path(__file__).parent / "wsdl"
SCHEMAS = WSDL_DIR / "schema"

_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_WSAW = "http://www.w3.org/2006/05/addressing/wsdl"
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False)


def target_namespace(relative: str) -> str:
    """The ``targetNamespace`` of a bundled schema or WSDL, under ``wsdl/``."""
    return etree.parse(str(WSDL_DIR / relative), _PARSER).getroot().get("targetNamespace")


# --- namespaces, each the targetNamespace of the bundled file that defines it -----------------

RIM = target_namespace("schema/ebRS/rim.xsd")
LCM = target_namespace("schema/ebRS/lcm.xsd")
QUERY = target_namespace("schema/ebRS/query.xsd")
RS = target_namespace("schema/ebRS/rs.xsd")
XDS = target_namespace("schema/IHE/XDS.b_DocumentRepository.xsd")
HL7 = target_namespace("schema/HL7V3/NE2009/multicacheschemas/PRPA_IN201307UV02.xsd")
HABILITATIONS = target_namespace("Habilitations.wsdl")

# --- namespaces no bundled file defines -----------------------------------------------------

#: SOAP 1.2 envelope (W3C SOAP 1.2 Part 1, §5; every WSDL binds ``soap12``).
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
#: WS-Addressing 1.0 message headers (W3C WS-Addressing 1.0 Core, §1.2), as every request of the
#: kit carries them.
WSA = "http://www.w3.org/2005/08/addressing"
#: OASIS WS-Security 1.0 (SOAP Message Security 1.0, §4), the VIHF's holder in every request of
#: the kit.
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#: SAML 2.0 assertions (OASIS SAML 2.0 Core, §2.1): the VIHF.
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
#: XML Schema instance (W3C XML Schema Part 1, §2.6), for the ``xsi:type`` of HL7 answers.
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# --- IHE XDS.b and ebRIM identifiers (IHE ITI TF-3 §4.2.5, Metadata Vocabulary, unless said) ---

#: DocumentEntry objectType "stable": TD2.1 request, ExtrinsicObject/@objectType.
STABLE_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
#: DocumentEntry classification schemes, each in TD2.1 request (DocumentME2, cla5 … cla10).
CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
CONFIDENTIALITY = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
FORMAT_CODE = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
FACILITY_TYPE = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1"
PRACTICE_SETTING = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead"
#: SubmissionSet contentTypeCode scheme: TD2.1, TD3.3c and TD3.3d requests (RegistryPackage).
CONTENT_TYPE = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"
#: DocumentEntry patientId and uniqueId identification schemes: TD2.1 request (ei4, ei5).
DOC_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
DOC_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
#: SubmissionSet patientId identification scheme: TD2.1 (ei1), TD3.3c and TD3.3d requests.
SET_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"
#: Replacement association (IHE ITI TF-3 §4.2.2, Association Types; no kit example replaces).
REPLACES = "urn:ihe:iti:2007:AssociationType:RPLC"
#: Status change association (ITI-57, IHE ITI TF-3 §4.2.2): TD3.3c and TD3.3d requests.
UPDATE_STATUS = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
#: ITI-18 stored query ids (IHE ITI TF-2 §3.18.4.1.2.3.7). FindDocuments: TD3.1 request
#: (AdhocQuery/@id) and templates/template_FindDocument.xml; GetDocuments: no kit example.
FIND_DOCUMENTS = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
GET_DOCUMENTS = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
#: Availability statuses as the DMP writes them, by their name in the simulator's store.
#: Approved: ebRIM 3.0 (TD3.1 request, TD3.3d request); Archived and Deleted: the DMP's own
#: (TD3.3c and TD3.3d requests); Deprecated: ebRIM 3.0, set by a replacement.
STATUSES = {
    "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved": "Approved",
    "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated": "Deprecated",
    "urn:asip:ci-sis:2010:StatusType:Archived": "Archived",
    "urn:asip:ci-sis:2010:StatusType:Deleted": "Deleted",
}
STATUS_URNS = {name: urn for urn, name in STATUSES.items()}
#: Registry response statuses (ebRS 3.0 §2.1.3.1; IHE ITI TF-3 §4.2.4). Success: every
#: registry answer of the kit (TD2.1, TD3.1, TD3.2, TD3.3c, TD3.3d).
SUCCESS = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
FAILURE = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
#: The classCode of a submission's signature (IHE DSG): TD2.1 request, Signature01 (cla12).
SIGNATURE_CLASS = "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1"
#: The purpose of a submission's signature (ASTM E1762 "Source"): TD2.1 request, Signature01's
#: eventCode (cla20).
SOURCE_SIGNATURE = "1.2.840.10065.1.12.1.14"
#: Masking confidentiality codes (system 1.2.250.1.213.1.1.4.13): MASQUE_PS and
#: INVISIBLE_PATIENT in TD2.1 request (cla15, cla16); INVISIBLE_REPRESENTANTS_LEGAUX in the
#: ANS value set JDV_J08 (specs/cda/jeuxDeValeurs).
MASKING = {"MASQUE_PS", "INVISIBLE_PATIENT", "INVISIBLE_REPRESENTANTS_LEGAUX"}
#: The DMP repository's uniqueId: TD3.1 answer (slot repositoryUniqueId of every entry), TD3.2
#: request and answer.
REPOSITORY_ID = "1.2.250.1.213.4.1.1.1.2"

# --- the operations -------------------------------------------------------------------------

#: The WSDLs of the services the simulator answers (TD0.2, TD0.3, ITI-18/57, ITI-41/43).
WSDLS = (
    "GestionDossierPatientPartage.wsdl",
    "Habilitations.wsdl",
    "XDS.b_DocumentRegistry.wsdl",
    "XDS.b_DocumentRepository.wsdl",
)


@dataclass(frozen=True)
class Operation:
    """One operation of a WSDL's port type."""

    name: str
    #: The WS-Addressing ``Action`` of its request.
    action: str
    #: The element its request's SOAP body carries, Clark notation.
    body: str


def _qname(context: etree._Element, prefixed: str) -> str:
    prefix, _, local = prefixed.rpartition(":")
    return f"{{{context.nsmap[prefix or None]}}}{local}"


def read_operations(wsdl: Path) -> list[Operation]:
    """The operations of a WSDL 1.1 file. The action is the input's ``wsaw:Action`` or, where
    it has none (Habilitations.wsdl), the default action pattern of WS-Addressing 1.0 Metadata
    §4.4.4 (``tns:portType:input``, as TD0.3 sends it); the binding's ``soapAction`` is not
    WS-Addressing's (Habilitations.wsdl's differs from what the kit sends)."""
    root = etree.parse(str(wsdl), _PARSER).getroot()
    namespace = root.get("targetNamespace")
    delimiter = ":" if namespace.startswith("urn:") else "/"
    messages = {m.get("name"): m for m in root.iterfind(f"{{{_WSDL}}}message")}
    operations = []
    for port_type in root.iterfind(f"{{{_WSDL}}}portType"):
        for operation in port_type.iterfind(f"{{{_WSDL}}}operation"):
            request = operation.find(f"{{{_WSDL}}}input")
            action = request.get(f"{{{_WSAW}}}Action") or delimiter.join(
                (
                    namespace.rstrip(delimiter),
                    port_type.get("name"),
                    request.get("name") or f"{operation.get('name')}Request",
                )
            )
            (part,) = messages[request.get("message").split(":")[-1]].iterfind(f"{{{_WSDL}}}part")
            operations.append(
                Operation(operation.get("name"), action, _qname(part, part.get("element")))
            )
    return operations


#: Every operation of the services, by the element its request's body carries.
OPERATIONS = {o.body: o for wsdl in WSDLS for o in read_operations(WSDL_DIR / wsdl)}
