"""The DMP protocol client: SOAP 1.2 with WS-Addressing and the VIHF in ``wsse:Security``, over
TLS with the structure's authentication certificate; MTOM for ITI-41 and ITI-43.

Endpoints, under the configured base URL: ``/patients`` (TD0.2), ``/registry`` (ITI-18,
ITI-57), ``/repository`` (ITI-41, ITI-43)."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

import aiohttp
from lxml import etree

from aiguillage.plugin import (
    Practitioner,
    Signer,
    Software,
    XmlError,
    build_vihf,
    ihe,
    mtom,
    new_uuid,
    utc_now,
)
from aiguillage.plugin import parse_xml as parse

from .metadata import RIM, XDS

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
HL7 = "urn:hl7-org:v3"
RS = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"
QUERY = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ACTIONS = {
    "existence": "urn:hl7-org:v3:PRPA_IN201307UV02",
    "provide": "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b",
    "find": "urn:ihe:iti:2007:RegistryStoredQuery",
    "retrieve": "urn:ihe:iti:2007:RetrieveDocumentSet",
    "update": "urn:ihe:iti:2010:UpdateDocumentSet",
    "authorization": "urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization",
}
HABILITATIONS = "urn:si-dmp-habilitations"
SUCCESS = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
FIND_DOCUMENTS = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
GET_DOCUMENTS = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
APPROVED = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
#: Registry answers that a document's uniqueId is already registered (IHE ITI TF-3 §4.2.4.1):
#: by an earlier try of this very delivery, or by another document. Which one only the registry's
#: entry can tell (its patient, hash and size): see ``delivery.py``.
UNIQUE_ID_TAKEN = {
    "XDSDuplicateUniqueIdInRegistry",
    "XDSNonIdenticalHash",
    "XDSNonIdenticalSize",
}
#: Errors worth a later try (the service says it is busy or down).
TRANSIENT_CODES = {"DMPServiceUnavailable", "XDSRegistryBusy", "XDSRepositoryBusy"}


class DmpError(Exception):
    """A refusal or failure of the DMP; ``code`` is the service's own."""

    def __init__(self, code: str, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient or code in TRANSIENT_CODES


class UniqueIdTaken(DmpError):
    """The registry already holds an entry with a uniqueId of the submission."""


@dataclass
class PatientStatus:
    exists: bool
    closed: bool
    authorization: str  # valid, expired, none, blocked
    treating_physician: bool
    raw: dict[str, str]


#: A registry's document entry, as the shared reader gives it.
Entry = ihe.Entry


AUTHORIZATIONS = {
    "VALIDE": "valid",
    "EXPIREE": "expired",
    "NON_EXISTANTE": "none",
    "INTERDITE": "blocked",
}


class DmpClient:
    def __init__(
        self,
        *,
        base_url: str,
        session: aiohttp.ClientSession,
        signer: Signer,
        software: Software,
        timeout: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.signer = signer
        self.software = software
        self.timeout = timeout
        self._vihfs: dict[tuple[Practitioner, str], tuple[float, etree._Element]] = {}

    # --- transactions ----------------------------------------------------------------------------

    async def existence(self, ins: str, oid: str, practitioner: Practitioner) -> PatientStatus:
        """TD0.2: does the patient have a DMP, and may this practitioner use it?"""
        body = etree.Element(
            f"{{{HL7}}}PRPA_IN201307UV02", nsmap={None: HL7, "xsi": XSI}, ITSVersion="XML_1.0"
        )
        etree.SubElement(body, f"{{{HL7}}}id", root=self.software.lps_id, extension=str(new_uuid()))
        etree.SubElement(body, f"{{{HL7}}}creationTime", value=_dtm())
        etree.SubElement(
            body,
            f"{{{HL7}}}interactionId",
            root="2.16.840.1.113883.1.6",
            extension="PRPA_IN201307UV02",
        )
        act = etree.SubElement(
            body, f"{{{HL7}}}controlActProcess", classCode="CACT", moodCode="EVN"
        )
        etree.SubElement(
            act,
            f"{{{HL7}}}reasonCode",
            code="TEST_EXST",
            codeSystem="1.2.250.1.213.1.1.4.11",
            displayName="Test d'existence de dossier",
        )
        query = etree.SubElement(act, f"{{{HL7}}}queryByParameter")
        etree.SubElement(
            query, f"{{{HL7}}}queryId", root=self.software.lps_id, extension=str(new_uuid())
        )
        identifier = etree.SubElement(
            etree.SubElement(query, f"{{{HL7}}}parameterList"), f"{{{HL7}}}patientIdentifier"
        )
        etree.SubElement(identifier, f"{{{HL7}}}value", root=oid, extension=ins)
        etree.SubElement(identifier, f"{{{HL7}}}semanticsText").text = "Patient.id"
        answer = await self._soap("/patients", "existence", body, practitioner, ins, oid)
        return read_existence(answer)

    async def set_authorization(
        self, ins: str, oid: str, practitioner: Practitioner, add: bool
    ) -> str:
        """TD0.3: the practitioner gives themselves (or gives up) access to the patient's DMP,
        with the patient's consent. Returns the DMP's comment."""
        body = etree.Element(f"{{{HABILITATIONS}}}setAuthorization", nsmap={None: HABILITATIONS})
        etree.SubElement(body, f"{{{HABILITATIONS}}}action").text = (
            "AJOUT" if add else "SUPPRESSION"
        )
        answer = await self._soap("/habilitations", "authorization", body, practitioner, ins, oid)
        status = answer.findtext(f".//{{{HABILITATIONS}}}status") or ""
        context = answer.findtext(f".//{{{HABILITATIONS}}}context") or ""
        if status != "DMPOk":
            raise DmpError(status or "Failure", context)
        return context

    async def provide(
        self,
        body: etree._Element,
        parts: list[mtom.Part],
        practitioner: Practitioner,
        ins: str,
        oid: str,
    ) -> None:
        """ITI-41: register and store documents. :class:`UniqueIdTaken` when the registry
        answers that a uniqueId is already registered: by an earlier try of this delivery or
        by another document, which only the registered entry can tell."""
        try:
            await self._soap("/repository", "provide", body, practitioner, ins, oid, parts=parts)
        except DmpError as exc:
            if exc.code in UNIQUE_ID_TAKEN:
                raise UniqueIdTaken(exc.code, exc.message) from None
            raise

    async def find(
        self, ins: str, oid: str, practitioner: Practitioner, statuses: list[str] | None = None
    ) -> list[Entry]:
        """ITI-18 FindDocuments: one patient's documents in ``statuses`` (default: approved)."""
        request, query = _stored_query(FIND_DOCUMENTS)
        _slot(query, "$XDSDocumentEntryPatientId", f"'{ins}^^^&{oid}&ISO^NH'")
        wanted = ", ".join(f"'{s}'" for s in (statuses or [APPROVED]))
        _slot(query, "$XDSDocumentEntryStatus", f"({wanted})")
        return await self._entries(request, practitioner, ins, oid)

    async def get(
        self, unique_ids: list[str], ins: str, oid: str, practitioner: Practitioner
    ) -> list[Entry]:
        """ITI-18 GetDocuments: the entries of these uniqueIds, whatever their status. The DMP
        answers about the patient the VIHF names (``ins``) only."""
        request, query = _stored_query(GET_DOCUMENTS)
        # uniqueIds are OIDs, optionally ^extension (checked where they come in): no quote to
        # escape in the list.
        listed = ", ".join(f"'{u}'" for u in unique_ids)
        _slot(query, "$XDSDocumentEntryUniqueId", f"({listed})")
        return await self._entries(request, practitioner, ins, oid)

    async def entry(
        self,
        unique_id: str,
        statuses: Collection[str],
        ins: str,
        oid: str,
        practitioner: Practitioner,
    ) -> Entry | None:
        """The patient's document ``unique_id`` (GetDocuments) if its status, as ``Approved``
        or ``Archived`` say, is one of ``statuses``; else ``None``."""
        entries = await self.get([unique_id], ins, oid, practitioner)
        return next((e for e in entries if e.unique_id == unique_id and e.status in statuses), None)

    async def _entries(
        self, request: etree._Element, practitioner: Practitioner, ins: str, oid: str
    ) -> list[Entry]:
        answer = await self._soap("/registry", "find", request, practitioner, ins, oid)
        try:
            return ihe.read_entries(answer)
        except ihe.MetadataError as exc:
            raise DmpError("BadResponse", f"unreadable document entry: {exc}") from None

    async def update(
        self, request: etree._Element, practitioner: Practitioner, ins: str, oid: str
    ) -> None:
        """ITI-57: a status change or a new version of a document's metadata."""
        await self._soap("/registry", "update", request, practitioner, ins, oid)

    async def retrieve(
        self, unique_id: str, repository_id: str, practitioner: Practitioner, ins: str, oid: str
    ) -> tuple[bytes, str]:
        """ITI-43: a document's bytes and media type."""
        request = etree.Element(f"{{{XDS}}}RetrieveDocumentSetRequest", nsmap={"xds": XDS})
        item = etree.SubElement(request, f"{{{XDS}}}DocumentRequest")
        etree.SubElement(item, f"{{{XDS}}}RepositoryUniqueId").text = repository_id
        etree.SubElement(item, f"{{{XDS}}}DocumentUniqueId").text = unique_id
        answer, parts = await self._exchange(
            "/repository", "retrieve", request, practitioner, ins, oid
        )
        document = answer.find(f".//{{{XDS}}}DocumentResponse")
        if document is None:
            raise DmpError("XDSDocumentUniqueIdError", f"document {unique_id} not found")
        content = mtom.resolve(document.find(f"{{{XDS}}}Document"), parts)
        return content, document.findtext(f"{{{XDS}}}mimeType") or "application/octet-stream"

    # --- the SOAP exchange -----------------------------------------------------------------------

    async def _soap(
        self,
        path: str,
        action: str,
        body: etree._Element,
        practitioner: Practitioner,
        ins: str,
        oid: str,
        parts: list[mtom.Part] | None = None,
    ) -> etree._Element:
        answer, _ = await self._exchange(path, action, body, practitioner, ins, oid, parts)
        return answer

    async def _exchange(
        self,
        path: str,
        action: str,
        body: etree._Element,
        practitioner: Practitioner,
        ins: str,
        oid: str,
        parts: list[mtom.Part] | None = None,
    ) -> tuple[etree._Element, dict[str, mtom.Part]]:
        envelope = self.envelope(ACTIONS[action], body, practitioner, ins, oid)
        if parts:
            content_type, data = mtom.build(envelope, parts, action=ACTIONS[action])
        else:
            content_type = f'application/soap+xml; charset=utf-8; action="{ACTIONS[action]}"'
            data = envelope
        try:
            async with self.session.post(
                self.base_url + path,
                data=data,
                headers={"Content-Type": content_type},
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as reply:
                raw = await reply.read()
                reply_type = reply.headers.get("Content-Type", "")
        except TimeoutError:
            raise DmpError("Timeout", f"no answer within {self.timeout:g} s", True) from None
        except aiohttp.ClientError as exc:
            raise DmpError("Unreachable", f"cannot reach the DMP: {exc}", True) from None
        received: dict[str, mtom.Part] = {}
        try:
            if reply_type.startswith("multipart/related"):
                root, received = mtom.parse(reply_type, raw)
                raw = root.data
            answer = parse(raw)
        except (XmlError, mtom.MtomError) as exc:
            raise DmpError("BadResponse", f"unreadable answer: {exc}", True) from None
        soap_body = answer.find(f"{{{SOAP12}}}Body")
        if soap_body is None or not len(soap_body):
            raise DmpError("BadResponse", "the answer has no SOAP body", True)
        fault = soap_body.find(f"{{{SOAP12}}}Fault")
        if fault is not None:
            raise read_fault(fault)
        content = soap_body[0]
        check_registry_response(content)
        return content, received

    def envelope(
        self, action: str, body: etree._Element, practitioner: Practitioner, ins: str, oid: str
    ) -> bytes:
        envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
        header = etree.SubElement(envelope, f"{{{SOAP12}}}Header")
        etree.SubElement(header, f"{{{WSA}}}MessageID").text = f"urn:uuid:{new_uuid()}"
        etree.SubElement(header, f"{{{WSA}}}Action").text = action
        security = etree.SubElement(header, f"{{{WSSE}}}Security")
        security.append(self.vihf(practitioner, ins, oid))
        etree.SubElement(envelope, f"{{{SOAP12}}}Body").append(body)
        return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")

    def vihf(self, practitioner: Practitioner, ins: str, oid: str) -> etree._Element:
        """The VIHF for this practitioner and patient, reused while it has a minute left."""
        key = (practitioner, f"{ins}|{oid}")
        cached = self._vihfs.get(key)
        now = time.time()
        if cached and cached[0] - now > 60:
            return _copy(cached[1])
        assertion = build_vihf(self.signer, practitioner, self.software, ins=ins, ins_oid=oid)
        if len(self._vihfs) > 1024:
            self._vihfs.clear()
        self._vihfs[key] = (now + 600, assertion)
        return _copy(assertion)


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _dtm() -> str:
    return utc_now().strftime("%Y%m%d%H%M%S")


def _stored_query(query_id: str) -> tuple[etree._Element, etree._Element]:
    """An ITI-18 request for full entries (LeafClass), and its query to add parameters to."""
    request = etree.Element(f"{{{QUERY}}}AdhocQueryRequest", nsmap={"query": QUERY, "rim": RIM})
    etree.SubElement(
        request, f"{{{QUERY}}}ResponseOption", returnComposedObjects="true", returnType="LeafClass"
    )
    return request, etree.SubElement(request, f"{{{RIM}}}AdhocQuery", id=query_id)


def _slot(parent: etree._Element, name: str, *values: str) -> None:
    holder = etree.SubElement(
        etree.SubElement(parent, f"{{{RIM}}}Slot", name=name), f"{{{RIM}}}ValueList"
    )
    for value in values:
        etree.SubElement(holder, f"{{{RIM}}}Value").text = value


# --- reading answers ---------------------------------------------------------------------------


def read_fault(fault: etree._Element) -> DmpError:
    q = f"{{{SOAP12}}}"
    subcode = fault.findtext(f"{q}Code/{q}Subcode/{q}Value") or ""
    code = subcode.split(":")[-1] or (fault.findtext(f"{q}Code/{q}Value") or "").split(":")[-1]
    reason = fault.findtext(f"{q}Reason/{q}Text") or ""
    receiver = (fault.findtext(f"{q}Code/{q}Value") or "").endswith("Receiver")
    return DmpError(code or "SOAPFault", reason, transient=receiver and code in TRANSIENT_CODES)


def check_registry_response(content: etree._Element) -> None:
    """Raise the first RegistryError of a failed RegistryResponse (or AdhocQueryResponse)."""
    status = content.get("status")
    if status is None or status == SUCCESS:
        return
    error = content.find(f".//{{{RS}}}RegistryError")
    if error is None:
        raise DmpError("Failure", f"the DMP answered {status} without saying why")
    raise DmpError(error.get("errorCode", "Failure"), error.get("codeContext", ""))


def read_existence(answer: etree._Element) -> PatientStatus:
    raw: dict[str, str] = {}
    for line in answer.iterfind(f"{{{HL7}}}attentionLine"):
        key = line.find(f"{{{HL7}}}keyWordText")
        value = line.find(f"{{{HL7}}}value")
        if key is not None and value is not None:
            raw[key.get("code")] = value.get("code") or value.get("value") or ""
    patient = answer.find(f".//{{{HL7}}}subject1/{{{HL7}}}patient")
    response = answer.find(f".//{{{HL7}}}queryResponseCode")
    raw["query_response"] = response.get("code") if response is not None else ""
    status = patient.find(f"{{{HL7}}}statusCode").get("code") if patient is not None else ""
    raw["status"] = status
    return PatientStatus(
        exists=patient is not None,
        closed=status == "terminated",
        authorization=AUTHORIZATIONS.get(raw.get("AUTORISATION", ""), "none"),
        treating_physician=raw.get("STATUT_MT") == "true",
        raw=raw,
    )
