"""The DMP simulator: a registry and a repository on 127.0.0.1 (SOAP 1.2 over TLS with client
certificates, MTOM for ITI-41/43), backed by SQLite, that checks what the DMP checks:

- the envelope: SOAP 1.2 (else ``soap:VersionMismatch``), its WS-Addressing ``Action`` the one
  the bundled WSDL gives the body's operation (else ``wsa:ActionNotSupported``);
- the VIHF: present, signed by a trusted signature certificate (an authentication certificate
  gives ``DMPInvalidCertificate``), mandatory attributes, and its resource-id is the patient of
  the request;
- the patient: a DMP exists (``XDSUnknownPatientId``), is open (``DMPClosed``), and the caller
  is authorised (``DMPAccessDenied``);
- the metadata (ITI-41): valid against ``lcm.xsd``, mandatory slots and classifications, codes
  in the value sets, an INS patient id matching the VIHF (``XDSPatientIdDoesNotMatch``), hash
  and size of each document (``XDSRepositoryMetadataError``), unique uniqueIds
  (``XDSDuplicateUniqueIdInRegistry``) and the XAdES signature of the documents
  (``DMPInvalidSignature``); other metadata errors are ``XDSRegistryMetadataError``.

Fault injection: ``POST /_admin/faults`` with ``latency_ms``, ``error_rate``, ``outage``;
``POST /_admin/inject`` with a response file (a SOAP envelope, or an MTOM message with its
``content_type``) answered as it is to the next ``times`` calls of ``path`` (query
parameters, see ``injection_from_query``), once the request passed the envelope and VIHF
checks.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tomllib
from pathlib import Path

from aiohttp import web
from cryptography import x509
from lxml import etree

from aiguillage.plugin import (
    Faults,
    InvalidAssertion,
    Verifier,
    XmlError,
    ihe,
    inject_route,
    load_ca_bundle,
    mtom,
    new_uuid,
    serve_tls,
)
from aiguillage.plugin import parse_xml as parse

from . import xades

# The protocol's constants come from the bundled WSDLs and schemas or the simulator's own table
# written from the specifications, never from the client or its metadata builder: a wrong one
# on the client's side must fail here.
from .simulator_protocol import (
    CLASS_CODE,
    CONFIDENTIALITY,
    CONTENT_TYPE,
    DOC_PATIENT_ID,
    DOC_UNIQUE_ID,
    FACILITY_TYPE,
    FAILURE,
    FIND_DOCUMENTS,
    FORMAT_CODE,
    GET_DOCUMENTS,
    HABILITATIONS,
    HL7,
    LCM,
    MASKING,
    OPERATIONS,
    PRACTICE_SETTING,
    QUERY,
    REPLACES,
    REPOSITORY_ID,
    RIM,
    RS,
    SAML,
    SCHEMAS,
    SET_PATIENT_ID,
    SIGNATURE_CLASS,
    SOAP12,
    SOURCE_SIGNATURE,
    STABLE_ENTRY,
    STATUS_URNS,
    STATUSES,
    SUCCESS,
    TYPE_CODE,
    UPDATE_STATUS,
    WSA,
    WSSE,
    XDS,
    XSI,
)

# The value sets are the bundled official files (ANS terminology, unchanged), shared with the
# metadata builder as data, not as constants either side writes.
class_of, value_set = ihe.valuesets.class_of, ihe.valuesets.value_set

PATIENTS = Path(__file__).parent / "patients.toml"
INS_OIDS = {
    "1.2.250.1.213.1.4.8",
    "1.2.250.1.213.1.4.9",
    "1.2.250.1.213.1.4.10",
    "1.2.250.1.213.1.4.11",
}
VIHF_REQUIRED = (
    "Identifiant_Structure",
    "Secteur_Activite",
    "VIHF_Version",
    "Authentification_mode",
    "urn:oasis:names:tc:xacml:2.0:subject:role",
    "urn:oasis:names:tc:xacml:2.0:resource:resource-id",
    "Ressource_URN",
    "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse",
    "LPS_ID",
    "LPS_ID_HOMOLOGATION_DMP",
)
SUBJECT_ID = "urn:oasis:names:tc:xspa:1.0:subject:subject-id"


class Refusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DmpSimulator:
    def __init__(
        self,
        *,
        server_p12: Path,
        password: str,
        trust: Path,
        database: Path,
        faults: Faults | None = None,
    ) -> None:
        self.server_p12 = server_p12
        self.password = password
        self.trust = trust
        self.trusted = load_ca_bundle(trust)
        self.verifier = Verifier(str(trust))
        self.faults = faults or Faults()
        self.patients = tomllib.loads(PATIENTS.read_text(encoding="utf-8"))["patient"]
        self.db = sqlite3.connect(database)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS documents (entry_uuid TEXT PRIMARY KEY, "
            "unique_id TEXT UNIQUE NOT NULL, patient TEXT NOT NULL, status TEXT NOT NULL, "
            "metadata BLOB NOT NULL, content BLOB NOT NULL, mime_type TEXT NOT NULL)"
        )
        parser = etree.XMLParser(no_network=True)
        self.lcm = etree.XMLSchema(etree.parse(str(SCHEMAS / "ebRS" / "lcm.xsd"), parser))
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/patients", self.handle)
        app.router.add_post("/registry", self.handle)
        app.router.add_post("/repository", self.handle)
        app.router.add_post("/habilitations", self.handle)
        app.router.add_post("/_admin/faults", self.set_faults)
        app.router.add_post("/_admin/inject", self.inject)
        self._runner, bound = await serve_tls(
            app, host, port, self.server_p12, self.password, self.trust
        )
        return f"https://{host}:{bound}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        self.db.close()

    def add_document(self, entry: etree._Element, content: bytes) -> None:
        """Register a document as a registry answer lists it (an ExtrinsicObject with its
        entryUUID and status), without the checks of ITI-41: for harnesses that start from
        the documents of a published answer."""
        identifiers = {
            i.get("identificationScheme"): i.get("value")
            for i in entry.iterfind(f"{{{RIM}}}ExternalIdentifier")
        }
        stored = etree.fromstring(etree.tostring(entry))
        for slot in stored.iterfind(f"{{{RIM}}}Slot[@name='repositoryUniqueId']"):
            stored.remove(slot)  # the registry adds its own on the way out
        with self.db:
            self.db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    entry.get("id"),
                    identifiers[DOC_UNIQUE_ID],
                    _ins(identifiers[DOC_PATIENT_ID])[0],
                    STATUSES[entry.get("status", STATUS_URNS["Approved"])],
                    etree.tostring(stored),
                    content,
                    entry.get("mimeType"),
                ],
            )

    async def set_faults(self, request: web.Request) -> web.Response:
        self.faults.update(await request.json())
        return web.json_response(self.faults.state())

    async def inject(self, request: web.Request) -> web.Response:
        return await inject_route(self.faults, request)

    # --- dispatch ---------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        disturbed = await self.faults.disturb()
        if disturbed is not None:
            return disturbed
        if self.faults.outage:
            return fault("DMPServiceUnavailable", "Service DMP indisponible", sender=False)
        raw = await request.read()
        parts: dict[str, mtom.Part] = {}
        try:
            if request.content_type == "multipart/related":
                root, parts = mtom.parse(request.headers["Content-Type"], raw)
                raw = root.data
            envelope = parse(raw, 64 * 1024 * 1024)
            if envelope.tag != f"{{{SOAP12}}}Envelope":
                raise Refusal("soap:VersionMismatch", f"{envelope.tag} : SOAP 1.2 attendu")
            body = envelope.find(f"{{{SOAP12}}}Body")[0]
            check_action(envelope, body)
            vihf, caller = self.check_vihf(envelope)
            injected = self.faults.injected(request.path)
            if injected is not None:
                return injected
            if body.tag == f"{{{HABILITATIONS}}}setAuthorization":
                return self.set_authorization(body, vihf)
            if body.tag == f"{{{HL7}}}PRPA_IN201307UV02":
                return self.existence(body, vihf)
            if body.tag == f"{{{XDS}}}ProvideAndRegisterDocumentSetRequest":
                return self.provide(body, parts, vihf)
            if body.tag == f"{{{QUERY}}}AdhocQueryRequest":
                return self.find(body, vihf, caller)
            if body.tag == f"{{{LCM}}}SubmitObjectsRequest":
                return self.update(body, vihf)
            if body.tag == f"{{{XDS}}}RetrieveDocumentSetRequest":
                return self.retrieve(body, vihf)
            raise Refusal("XDSRegistryError", f"unknown request {body.tag}")
        except (XmlError, mtom.MtomError, TypeError, IndexError) as exc:
            return fault("XDSRegistryError", f"requête illisible : {exc}")
        except Refusal as refusal:
            if request.path in ("/patients", "/habilitations") or refusal.code.startswith(
                ("DMPInvalid", "soap:", "wsa:")
            ):
                return fault(refusal.code, refusal.message)
            return registry_failure(refusal.code, refusal.message)

    # --- checks -------------------------------------------------------------------------------

    def check_vihf(self, envelope: etree._Element) -> tuple[str, str]:
        """The patient the VIHF is for (``INS^^^&OID&ISO^NH``) and who calls, once it is
        valid."""
        assertion = envelope.find(f".//{{{WSSE}}}Security/{{{SAML}}}Assertion")
        if assertion is None:
            raise Refusal("DMPInvalidVIHF", "VIHF absent de l'en-tête wsse:Security")
        try:
            verified = self.verifier.verify(assertion)
        except InvalidAssertion as exc:
            raise Refusal("DMPInvalidVIHF", f"VIHF invalide : {exc}") from None
        usage = verified.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not usage.content_commitment:
            raise Refusal(
                "DMPInvalidCertificate", "le VIHF doit être signé par un certificat de signature"
            )
        required = VIHF_REQUIRED
        if verified.attributes.get("Authentification_mode") != ["DIRECTE"]:
            required += (SUBJECT_ID,)  # no card says who the user is: the VIHF must
        missing = [name for name in required if not verified.attributes.get(name)]
        if missing:
            raise Refusal("DMPInvalidVIHF", f"attributs VIHF manquants : {', '.join(missing)}")
        if verified.attributes["VIHF_Version"] != ["3.0"]:
            raise Refusal("DMPInvalidVIHF", "VIHF_Version doit valoir 3.0")
        return (
            verified.attributes["urn:oasis:names:tc:xacml:2.0:resource:resource-id"][0],
            verified.name_id,
        )

    def patient(self, vihf_patient: str, asked: str, need_access: bool = True) -> dict | None:
        if _ins(vihf_patient) != _ins(asked):
            raise Refusal(
                "XDSPatientIdDoesNotMatch", "le patient de la requête n'est pas celui du VIHF"
            )
        record = self.patients.get(_ins(asked)[0])
        if not need_access:
            return record
        if record is None:
            raise Refusal("XDSUnknownPatientId", "ce patient n'a pas de DMP")
        if record["dmp"] == "closed":
            raise Refusal("DMPClosed", "le DMP de ce patient est fermé")
        if record["authorization"] != "VALIDE":
            raise Refusal("DMPAccessDenied", "ce professionnel n'est pas autorisé sur ce DMP")
        return record

    # --- TD0.3 --------------------------------------------------------------------------------

    def set_authorization(self, body: etree._Element, vihf: str) -> web.Response:
        action = body.findtext(f"{{{HABILITATIONS}}}action")
        if action not in ("AJOUT", "SUPPRESSION"):
            raise Refusal("DMPInvalidRequest", f"action {action!r} inconnue")
        record = self.patient(vihf, vihf, need_access=False)
        if record is None:
            raise Refusal("XDSUnknownPatientId", "ce patient n'a pas de DMP")
        if record["dmp"] == "closed":
            raise Refusal("DMPClosed", "le DMP de ce patient est fermé")
        if record["authorization"] == "INTERDITE":
            raise Refusal("DMPAccessDenied", "le patient a interdit l'accès à ce professionnel")
        wanted = "VALIDE" if action == "AJOUT" else "NON_EXISTANTE"
        if record["authorization"] == wanted:
            context = (
                "Autorisation déjà présente aucune action effectuée"
                if action == "AJOUT"
                else "Aucune autorisation à supprimer"
            )
        else:
            record["authorization"] = wanted
            context = "Autorisation ajoutée" if action == "AJOUT" else "Autorisation supprimée"
        answer = etree.Element(
            f"{{{HABILITATIONS}}}setAuthorizationResponse", nsmap={"ns1": HABILITATIONS}
        )
        output = etree.SubElement(answer, f"{{{HABILITATIONS}}}output")
        etree.SubElement(output, f"{{{HABILITATIONS}}}status").text = "DMPOk"
        etree.SubElement(output, f"{{{HABILITATIONS}}}context").text = context
        return soap(answer)

    # --- TD0.2 --------------------------------------------------------------------------------

    def existence(self, body: etree._Element, vihf: str) -> web.Response:
        value = body.find(f".//{{{HL7}}}patientIdentifier/{{{HL7}}}value")
        if value is None:
            raise Refusal("DMPInvalidRequest", "patientIdentifier absent")
        record = self.patient(
            vihf, f"{value.get('extension')}^^^&{value.get('root')}&ISO^NH", need_access=False
        )
        answer = etree.Element(
            f"{{{HL7}}}PRPA_IN201308UV02", nsmap={None: HL7, "xsi": XSI}, ITSVersion="XML_1.0"
        )
        etree.SubElement(answer, f"{{{HL7}}}id", root=str(new_uuid()))
        etree.SubElement(
            answer,
            f"{{{HL7}}}interactionId",
            root="2.16.840.1.113883.1.6",
            extension="PRPA_IN201308UV02",
        )
        if record is not None:
            for key, system, xsi_type, attr, val in (
                ("AUTORISATION", "1.2.250.1.213.4.1.2.6.1", "CV", "code", record["authorization"]),
                (
                    "STATUT_MT",
                    "1.2.250.1.213.4.1.2.6.3",
                    "BL",
                    "value",
                    "true" if record["treating"] else "false",
                ),
            ):
                line = etree.SubElement(answer, f"{{{HL7}}}attentionLine")
                etree.SubElement(line, f"{{{HL7}}}keyWordText", code=key, codeSystem=system)
                etree.SubElement(line, f"{{{HL7}}}value", {attr: val, f"{{{XSI}}}type": xsi_type})
        act = etree.SubElement(
            answer, f"{{{HL7}}}controlActProcess", classCode="CACT", moodCode="EVN"
        )
        if record is not None:
            event = etree.SubElement(
                etree.SubElement(act, f"{{{HL7}}}subject"), f"{{{HL7}}}registrationEvent"
            )
            patient = etree.SubElement(
                etree.SubElement(event, f"{{{HL7}}}subject1"), f"{{{HL7}}}patient"
            )
            etree.SubElement(
                patient, f"{{{HL7}}}id", root=value.get("root"), extension=value.get("extension")
            )
            etree.SubElement(
                patient,
                f"{{{HL7}}}statusCode",
                code="terminated" if record["dmp"] == "closed" else "active",
            )
            person = etree.SubElement(patient, f"{{{HL7}}}patientPerson")
            name = etree.SubElement(person, f"{{{HL7}}}name")
            etree.SubElement(name, f"{{{HL7}}}given").text = record["given"]
            etree.SubElement(name, f"{{{HL7}}}family").text = record["family"]
            etree.SubElement(person, f"{{{HL7}}}administrativeGenderCode", code=record["sex"])
            etree.SubElement(person, f"{{{HL7}}}birthTime", value=record["birth"])
        ack = etree.SubElement(act, f"{{{HL7}}}queryAck")
        etree.SubElement(
            ack, f"{{{HL7}}}queryResponseCode", code="OK" if record is not None else "NF"
        )
        return soap(answer)

    # --- ITI-41 -------------------------------------------------------------------------------

    def provide(self, body: etree._Element, parts: dict[str, mtom.Part], vihf: str) -> web.Response:
        submit = body.find(f"{{{LCM}}}SubmitObjectsRequest")
        if submit is None or not self.lcm.validate(submit):
            detail = self.lcm.error_log.last_error.message if submit is not None else "absent"
            raise Refusal("XDSRegistryMetadataError", f"SubmitObjectsRequest : {detail}")
        documents = {
            d.get("id"): mtom.resolve(d, parts) for d in body.iterfind(f"{{{XDS}}}Document")
        }
        check_submission_set(submit)
        entries = list(submit.iter(f"{{{RIM}}}ExtrinsicObject"))
        if not entries:
            raise Refusal("XDSRegistryMetadataError", "aucune fiche de document")
        checked = [self.check_entry(e, documents, vihf) for e in entries]
        by_unique_id = {c["unique_id"]: documents[c["id"]] for c in checked}
        signatures = [c for c in checked if SIGNATURE_CLASS in c["class"]]
        if not signatures:
            raise Refusal("DMPInvalidSignature", "la signature XAdES du lot est absente")
        for signature in signatures:
            signed = {k: v for k, v in by_unique_id.items() if k != signature["unique_id"]}
            try:
                verified = xades.verify(documents[signature["id"]], signed, self.trusted)
            except xades.InvalidXades as exc:
                raise Refusal("DMPInvalidSignature", f"signature XAdES : {exc}") from None
            if SOURCE_SIGNATURE not in verified.purposes:
                raise Refusal(
                    "DMPInvalidSignature",
                    f"signature XAdES : le rôle de la signature ({SOURCE_SIGNATURE}) est absent",
                )
        for c in checked:
            if self.db.execute(
                "SELECT 1 FROM documents WHERE unique_id = ?", [c["unique_id"]]
            ).fetchone():
                raise Refusal(
                    "XDSDuplicateUniqueIdInRegistry", f"uniqueId {c['unique_id']} déjà enregistré"
                )
        replaced = [
            a.get("targetObject")
            for a in submit.iter(f"{{{RIM}}}Association")
            if a.get("associationType") == REPLACES
        ]
        with self.db:
            for target in replaced:
                if (
                    self.db.execute(
                        "UPDATE documents SET status = 'Deprecated' WHERE "
                        "entry_uuid = ? AND status = 'Approved'",
                        [target],
                    ).rowcount
                    != 1
                ):
                    raise Refusal(
                        "XDSRegistryMetadataError", f"le document remplacé {target} n'existe pas"
                    )
            for c in checked:
                self.db.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, 'Approved', ?, ?, ?)",
                    [
                        f"urn:uuid:{new_uuid()}",
                        c["unique_id"],
                        c["patient"],
                        c["xml"],
                        documents[c["id"]],
                        c["mime"],
                    ],
                )
        response = etree.Element(f"{{{RS}}}RegistryResponse", nsmap={"rs": RS}, status=SUCCESS)
        return soap(response)

    def check_entry(self, entry: etree._Element, documents: dict[str, bytes], vihf: str) -> dict:
        entry_id = entry.get("id")
        if entry.get("objectType") != STABLE_ENTRY:
            raise Refusal("XDSRegistryMetadataError", f"{entry_id} : objectType inattendu")
        slots = {
            s.get("name"): [v.text for v in s.iter(f"{{{RIM}}}Value")]
            for s in entry.iterfind(f"{{{RIM}}}Slot")
        }
        for name in ("creationTime", "languageCode", "sourcePatientId"):
            if not slots.get(name):
                raise Refusal("XDSRegistryMetadataError", f"{entry_id} : slot {name} absent")
        codes: dict[str, list[tuple[str, str]]] = {}
        for c in entry.iterfind(f"{{{RIM}}}Classification"):
            system = c.findtext(f".//{{{RIM}}}Slot[@name='codingScheme']//{{{RIM}}}Value")
            codes.setdefault(c.get("classificationScheme"), []).append(
                (c.get("nodeRepresentation"), system)
            )
        for scheme, label in (
            (CLASS_CODE, "classCode"),
            (TYPE_CODE, "typeCode"),
            (CONFIDENTIALITY, "confidentialityCode"),
            (FORMAT_CODE, "formatCode"),
            (FACILITY_TYPE, "healthcareFacilityTypeCode"),
            (PRACTICE_SETTING, "practiceSettingCode"),
        ):
            if not codes.get(scheme):
                raise Refusal("XDSRegistryMetadataError", f"{entry_id} : {label} absent")
        for scheme, name in (
            (FACILITY_TYPE, "facility_type"),
            (PRACTICE_SETTING, "practice_setting"),
            (TYPE_CODE, "dmp_type"),
            (CLASS_CODE, "dmp_class"),
            (FORMAT_CODE, "dmp_format"),
        ):
            for code, system in codes[scheme]:
                _in_value_set(name, code, system, entry_id)
        (type_code, _), (class_code, _) = codes[TYPE_CODE][0], codes[CLASS_CODE][0]
        if class_of(type_code).code != class_code:
            raise Refusal(
                "XDSRegistryMetadataError",
                f"{entry_id} : classCode {class_code} incohérent avec le typeCode {type_code} "
                f"(ASS_X16 : {class_of(type_code).code})",
            )
        for code, _ in codes[CONFIDENTIALITY]:
            if code not in value_set("confidentiality") and code not in MASKING:
                raise Refusal(
                    "XDSRegistryMetadataError", f"{entry_id} : confidentialité {code} inconnue"
                )
        identifiers = {
            i.get("identificationScheme"): i.get("value")
            for i in entry.iterfind(f"{{{RIM}}}ExternalIdentifier")
        }
        patient = identifiers.get(DOC_PATIENT_ID, "")
        unique_id = identifiers.get(DOC_UNIQUE_ID, "")
        if _ins(patient)[1] not in INS_OIDS:
            raise Refusal(
                "XDSRegistryMetadataError",
                f"{entry_id} : l'identifiant patient n'est pas un INS ({patient})",
            )
        self.patient(vihf, patient)
        if not unique_id or len(unique_id) > 64:
            raise Refusal("XDSRegistryMetadataError", f"{entry_id} : uniqueId invalide")
        content = documents.get(entry_id)
        if content is None:
            raise Refusal("XDSMissingDocument", f"{entry_id} : document absent du message")
        # The repository computes the hash (SHA-1, hex) and size (bytes) of what it stores and
        # registers them; a source that gave them must have given these (IHE ITI TF-2b
        # §3.41.4.1.3, ITI TF-3 §4.2.3.2.10 and §4.2.3.2.19).
        digest, size = hashlib.sha1(content).hexdigest(), str(len(content))
        if slots.get("hash") and (slots["hash"][0] or "").lower() != digest:
            raise Refusal("XDSRepositoryMetadataError", f"{entry_id} : hash incohérent")
        if slots.get("size") and slots["size"][0] != size:
            raise Refusal("XDSRepositoryMetadataError", f"{entry_id} : size incohérent")
        return {
            "id": entry_id,
            "unique_id": unique_id,
            "patient": _ins(patient)[0],
            "class": [c for c, _ in codes[CLASS_CODE]],
            "mime": entry.get("mimeType"),
            "xml": etree.tostring(_with_slots(entry, {"hash": digest, "size": size})),
        }

    # --- ITI-18 -------------------------------------------------------------------------------

    def find(self, body: etree._Element, vihf: str, caller: str) -> web.Response:
        """ITI-18: FindDocuments (a patient's documents in some statuses) or GetDocuments (by
        uniqueId or entryUUID, any status, for the VIHF's patient)."""
        query = body.find(f"{{{RIM}}}AdhocQuery")
        query_id = query.get("id") if query is not None else None
        slots = {
            s.get("name"): [v.text or "" for v in s.iter(f"{{{RIM}}}Value")]
            for s in body.iter(f"{{{RIM}}}Slot")
        }
        if query_id == FIND_DOCUMENTS:
            patient = (slots.get("$XDSDocumentEntryPatientId") or [""])[0].strip("'")
            self.patient(vihf, patient)
            if not slots.get("$XDSDocumentEntryStatus"):
                raise Refusal(
                    "XDSStoredQueryParamNumber", "FindDocuments : $XDSDocumentEntryStatus absent"
                )
            # A status URN the DMP does not write matches no document, as in the registry.
            wanted = {STATUSES.get(s) for s in _listed(slots["$XDSDocumentEntryStatus"])}
            rows = [
                row
                for row in self.db.execute(
                    "SELECT entry_uuid, status, metadata FROM documents WHERE patient = ? "
                    "ORDER BY rowid",
                    [_ins(patient)[0]],
                )
                if row[1] in wanted
            ]
        elif query_id == GET_DOCUMENTS:
            self.patient(vihf, vihf)
            unique_ids = _listed(slots.get("$XDSDocumentEntryUniqueId") or [])
            entry_uuids = _listed(slots.get("$XDSDocumentEntryEntryUUID") or [])
            if bool(unique_ids) == bool(entry_uuids):
                raise Refusal(
                    "XDSStoredQueryParamNumber",
                    "GetDocuments : $XDSDocumentEntryUniqueId ou $XDSDocumentEntryEntryUUID, "
                    "l'un des deux",
                )
            column, keys = ("unique_id", unique_ids) if unique_ids else ("entry_uuid", entry_uuids)
            rows = self.db.execute(
                f"SELECT entry_uuid, status, metadata FROM documents WHERE patient = ? "
                f"AND status != 'Deleted' AND {column} IN ({', '.join('?' * len(keys))}) "
                "ORDER BY rowid",
                [_ins(vihf)[0], *keys],
            ).fetchall()
        else:
            raise Refusal("XDSUnknownStoredQuery", f"requête stockée inconnue : {query_id}")
        response = etree.Element(
            f"{{{QUERY}}}AdhocQueryResponse", nsmap={"query": QUERY, "rim": RIM}, status=SUCCESS
        )
        objects = etree.SubElement(response, f"{{{RIM}}}RegistryObjectList")
        for entry_uuid, status, metadata in rows:
            entry = etree.fromstring(metadata)
            codes = {
                c.get("nodeRepresentation") for c in entry.iterfind(f"{{{RIM}}}Classification")
            }
            if SIGNATURE_CLASS in codes:
                continue  # a submission's signature is not a document to show
            author = entry.findtext(f".//{{{RIM}}}Slot[@name='authorPerson']//{{{RIM}}}Value")
            if "MASQUE_PS" in codes and not (author or "").startswith(f"{caller}^"):
                continue  # masked to health professionals other than its author
            entry.set("id", entry_uuid)
            entry.set("status", STATUS_URNS[status])
            slot = etree.Element(f"{{{RIM}}}Slot", name="repositoryUniqueId")
            etree.SubElement(
                etree.SubElement(slot, f"{{{RIM}}}ValueList"), f"{{{RIM}}}Value"
            ).text = REPOSITORY_ID
            entry.insert(0, slot)
            for child in entry.iter():
                if child.get("classifiedObject") or child.get("registryObject"):
                    child.set(
                        "classifiedObject" if child.get("classifiedObject") else "registryObject",
                        entry_uuid,
                    )
            objects.append(entry)
        return soap(response)

    # --- ITI-57 -------------------------------------------------------------------------------

    def update(self, body: etree._Element, vihf: str) -> web.Response:
        if not self.lcm.validate(_implied_references(body)):
            raise Refusal(
                "XDSRegistryMetadataError",
                f"SubmitObjectsRequest : {self.lcm.error_log.last_error.message}",
            )
        package = check_submission_set(body)
        patient = next(
            (
                i.get("value")
                for i in package.iterfind(f"{{{RIM}}}ExternalIdentifier")
                if i.get("identificationScheme") == SET_PATIENT_ID
            ),
            "",
        )
        self.patient(vihf, patient)
        updated = 0
        with self.db:
            for association in body.iter(f"{{{RIM}}}Association"):
                if association.get("associationType") != UPDATE_STATUS:
                    continue
                values = {
                    s.get("name"): s.findtext(f".//{{{RIM}}}Value")
                    for s in association.iterfind(f"{{{RIM}}}Slot")
                }
                original, new = (
                    STATUSES.get(values.get(name) or "", values.get(name))
                    for name in ("OriginalStatus", "NewStatus")
                )
                if (original, new) not in TRANSITIONS:
                    raise Refusal("XDSMetadataUpdateError", f"{original} → {new} impossible")
                updated += 1
                changed = self.db.execute(
                    "UPDATE documents SET status = ? WHERE entry_uuid = ? AND status = ? "
                    "AND patient = ?",
                    [new, association.get("targetObject"), original, _ins(patient)[0]],
                )
                if changed.rowcount != 1:
                    raise Refusal(
                        "XDSMetadataUpdateError",
                        f"aucun document {association.get('targetObject')} au statut {original}",
                    )
            for version in body.iter(f"{{{RIM}}}ExtrinsicObject"):
                lid = version.get("lid")
                row = self.db.execute(
                    "SELECT metadata FROM documents WHERE entry_uuid = ? AND patient = ?",
                    [lid, _ins(patient)[0]],
                ).fetchone()
                if row is None:
                    raise Refusal("XDSMetadataUpdateError", f"aucun document {lid}")
                updated += 1
                self.db.execute(
                    "UPDATE documents SET metadata = ? WHERE entry_uuid = ?",
                    [_with_confidentiality(row[0], version), lid],
                )
            if not updated:
                raise Refusal(
                    "XDSMetadataUpdateError",
                    f"ni association {UPDATE_STATUS} ni nouvelle version de fiche",
                )
        return soap(etree.Element(f"{{{RS}}}RegistryResponse", nsmap={"rs": RS}, status=SUCCESS))

    # --- ITI-43 -------------------------------------------------------------------------------

    def retrieve(self, body: etree._Element, vihf: str) -> web.Response:
        repository = body.findtext(f".//{{{XDS}}}RepositoryUniqueId") or ""
        if repository != REPOSITORY_ID:
            raise Refusal("XDSUnknownRepositoryId", f"entrepôt {repository} inconnu")
        unique_id = body.findtext(f".//{{{XDS}}}DocumentUniqueId") or ""
        row = self.db.execute(
            "SELECT patient, content, mime_type FROM documents WHERE unique_id = ?", [unique_id]
        ).fetchone()
        if row is None:
            raise Refusal("XDSDocumentUniqueIdError", f"document {unique_id} inconnu")
        patient, content, mime_type = row
        self.patient(vihf, f"{patient}^^^&{_ins(vihf)[1]}&ISO^NH")
        response = etree.Element(
            f"{{{XDS}}}RetrieveDocumentSetResponse", nsmap={"xds": XDS, "rs": RS}
        )
        etree.SubElement(response, f"{{{RS}}}RegistryResponse", status=SUCCESS)
        document = etree.SubElement(response, f"{{{XDS}}}DocumentResponse")
        etree.SubElement(document, f"{{{XDS}}}RepositoryUniqueId").text = REPOSITORY_ID
        etree.SubElement(document, f"{{{XDS}}}DocumentUniqueId").text = unique_id
        etree.SubElement(document, f"{{{XDS}}}mimeType").text = mime_type
        cid = f"{new_uuid()}@dmp"
        etree.SubElement(document, f"{{{XDS}}}Document").append(mtom.include(cid))
        envelope = _envelope(response)
        content_type, data = mtom.build(
            envelope,
            [mtom.Part(cid, mime_type, content)],
            action="urn:ihe:iti:2007:RetrieveDocumentSetResponse",
        )
        return web.Response(body=data, headers={"Content-Type": content_type})


def check_action(envelope: etree._Element, body: etree._Element) -> None:
    """The WS-Addressing ``Action`` must be the one the WSDL gives the body's operation (the
    faults of WS-Addressing 1.0 SOAP Binding, §6.4)."""
    action = envelope.findtext(f"{{{SOAP12}}}Header/{{{WSA}}}Action")
    if action is None:
        raise Refusal("wsa:MessageAddressingHeaderRequired", "en-tête wsa:Action absent")
    operation = OPERATIONS.get(body.tag)
    if operation is None:
        raise Refusal("XDSRegistryError", f"requête inconnue : {body.tag}")
    if action.strip() != operation.action:
        raise Refusal(
            "wsa:ActionNotSupported",
            f"action {action.strip()!r} : {operation.name} attend {operation.action!r}",
        )


TRANSITIONS = {
    ("Approved", "Archived"),
    ("Archived", "Approved"),
    ("Approved", "Deleted"),
    ("Archived", "Deleted"),
}


def check_submission_set(request: etree._Element) -> etree._Element:
    """The submission set of an ITI-41 or ITI-57 request, once its contentTypeCode is found in
    JDV_J59 (the DMP requires one on both)."""
    package = request.find(f".//{{{RIM}}}RegistryPackage")
    if package is None:
        raise Refusal("XDSRegistryMetadataError", "lot de soumission absent")
    content_types = [
        c
        for c in package.iterfind(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == CONTENT_TYPE
    ]
    if len(content_types) != 1:
        raise Refusal("XDSRegistryMetadataError", "lot de soumission : contentTypeCode absent")
    code = content_types[0]
    system = code.findtext(f".//{{{RIM}}}Slot[@name='codingScheme']//{{{RIM}}}Value")
    _in_value_set("dmp_content_type", code.get("nodeRepresentation"), system, "lot")
    return package


def _in_value_set(name: str, code: str | None, system: str | None, where: str) -> None:
    known = value_set(name).get(code or "")
    if known is None or known.system != system:
        raise Refusal(
            "XDSRegistryMetadataError", f"{where} : code {code} ({system}) hors du jeu de valeurs"
        )


def _with_slots(entry: etree._Element, values: dict[str, str]) -> etree._Element:
    """A copy of ``entry`` whose slots ``values`` name hold these values alone (added after its
    other slots, where ebRIM wants slots, if it had none)."""
    entry = etree.fromstring(etree.tostring(entry))
    for slot in entry.findall(f"{{{RIM}}}Slot"):
        if slot.get("name") in values:
            entry.remove(slot)
    position = len(entry.findall(f"{{{RIM}}}Slot"))
    for n, (name, value) in enumerate(values.items()):
        slot = etree.Element(f"{{{RIM}}}Slot", name=name)
        etree.SubElement(
            etree.SubElement(slot, f"{{{RIM}}}ValueList"), f"{{{RIM}}}Value"
        ).text = value
        entry.insert(position + n, slot)
    return entry


def _with_confidentiality(stored: bytes, version: etree._Element) -> bytes:
    """The stored entry with the confidentiality codes of its new version (only those may
    change in a masking update)."""
    entry = etree.fromstring(stored)
    for c in list(entry.iterfind(f"{{{RIM}}}Classification")):
        if c.get("classificationScheme") == CONFIDENTIALITY:
            entry.remove(c)
    position = len(entry.findall(f"{{{RIM}}}Slot")) + 1
    for c in version.iterfind(f"{{{RIM}}}Classification"):
        if c.get("classificationScheme") == CONFIDENTIALITY:
            copy = etree.fromstring(etree.tostring(c))
            copy.set("classifiedObject", entry.get("id"))
            entry.insert(position, copy)
    return etree.tostring(entry)


def _implied_references(request: etree._Element) -> etree._Element:
    """A copy of ``request`` in which a Classification or ExternalIdentifier that omits the
    object it belongs to refers to the one holding it. The ebRIM schema wants the reference
    written; the DMP infers it from the nesting: the ITI-57 requests of its kit (TD3.3c,
    TD3.3d) omit it and are answered Success."""
    request = etree.fromstring(etree.tostring(request))
    for tag, attribute in (
        ("Classification", "classifiedObject"),
        ("ExternalIdentifier", "registryObject"),
    ):
        for element in request.iter(f"{{{RIM}}}{tag}"):
            holder = element.getparent().get("id")
            if element.get(attribute) is None and holder:
                element.set(attribute, holder)
    return request


def _listed(values: list[str]) -> list[str]:
    """The items of ITI-18 list parameters: ``('a', 'b')``, maybe over several Values."""
    return [
        item.strip(" '")
        for value in values
        for item in value.strip().strip("()").split(",")
        if item.strip(" '")
    ]


def _ins(cx: str) -> tuple[str, str]:
    """(INS, OID) of an HL7 CX ``INS^^^&OID&ISO^NH``."""
    number, _, rest = cx.partition("^^^&")
    return number, rest.split("&", 1)[0]


def _envelope(content: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
    etree.SubElement(envelope, f"{{{SOAP12}}}Body").append(content)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def soap(content: etree._Element, status: int = 200) -> web.Response:
    return web.Response(
        status=status, body=_envelope(content), content_type="application/soap+xml", charset="utf-8"
    )


def registry_failure(code: str, message: str) -> web.Response:
    response = etree.Element(f"{{{RS}}}RegistryResponse", nsmap={"rs": RS}, status=FAILURE)
    errors = etree.SubElement(response, f"{{{RS}}}RegistryErrorList")
    etree.SubElement(
        errors,
        f"{{{RS}}}RegistryError",
        errorCode=code,
        codeContext=message,
        severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error",
    )
    return soap(response)


def fault(code: str, message: str, sender: bool = True) -> web.Response:
    """A SOAP 1.2 fault whose subcode is ``code`` under Sender (or Receiver), or, for SOAP's own
    codes (``soap:VersionMismatch``…, SOAP 1.2 Part 1 §5.4.6), ``code`` itself."""
    q = f"{{{SOAP12}}}"
    element = etree.Element(f"{q}Fault", nsmap={"soap": SOAP12, "wsa": WSA})
    codes = etree.SubElement(element, f"{q}Code")
    if code.startswith("soap:"):
        etree.SubElement(codes, f"{q}Value").text = code
    else:
        etree.SubElement(codes, f"{q}Value").text = "soap:Sender" if sender else "soap:Receiver"
        etree.SubElement(etree.SubElement(codes, f"{q}Subcode"), f"{q}Value").text = code
    text = etree.SubElement(etree.SubElement(element, f"{q}Reason"), f"{q}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    text.text = message
    # SOAP 1.2 Part 2 §7.5.2.2: 400 for the sender's faults, 500 for every other.
    return soap(element, status=400 if sender and not code.startswith("soap:") else 500)
