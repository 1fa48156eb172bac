"""The INSi simulator: a SOAP 1.2 server on 127.0.0.1, over TLS with client certificates, that
checks what INSi checks and answers like it, faults included.

Checks, in order: the envelope parses; ContexteBAM (Version 01_02), ContexteLPS (Version 01_00),
WS-Addressing MessageID and Action are present and schema-valid; the software's IDAM is
allowlisted (else ``siram_100``/``desir_550``); with ``wsse:Security``, the PS assertion is
signed by a certificate of the trusted chain and valid now; without it (machine mode) the TLS
client certificate's CN is INSI-AUTO or INSI-MANU (else ``desir_560``); the body validates
against the operation's XSD. Then it answers from ``identities.toml``.

Admin calls (same server): ``POST /_admin/faults`` sets latency, error rate, outage, or queues
given faults; ``POST /_admin/inject`` queues a raw response file to answer the next call, or
the next ``times`` calls, with (as CNDA test cases require; see ``injection_from_query``);
``GET /_admin/state``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from lxml import etree

from aiguillage.plugin import Faults as SimulatorFaults
from aiguillage.plugin import (
    InvalidAssertion,
    Verifier,
    XmlError,
    fold_name,
    injection_from_query,
    new_uuid,
    serve_tls,
)
from aiguillage.plugin import parse_xml as parse

# The protocol's constants come from the bundled WSDL and XSDs, never from the client: a wrong
# one on the client's side must fail here.
from .simulator_protocol import (
    CONTEXT_VERSIONS,
    CTXBAM,
    CTXLPS,
    OPERATIONS,
    RECSANS,
    RECVIT,
    RESULTAT,
    SAML,
    SIRAM,
    SOAP12,
    SOAP12_MEDIA_TYPE,
    WSA,
    WSDL_DIR,
    WSSE,
    XSDS,
)

IDENTITIES = Path(__file__).parent / "identities.toml"
MACHINE_CNS = {"INSI-AUTO", "INSI-MANU"}
MAX_REQUEST = 1024 * 1024


@dataclass(frozen=True)
class SimFault:
    subcode: str
    code: str
    severity: str
    message: str

    def saying(self, message: str) -> SimFault:
        return SimFault(self.subcode, self.code, self.severity, message)


# Codes the public sources name are used as named; the checks they give no code for use
# siram_10 ("request refused") with a desir_ code of the simulator's own.
UNAVAILABLE = SimFault(
    "siram_40", "insi_102", "fatale", "Le service est momentanément indisponible"
)
UNKNOWN_IDAM = SimFault(
    "siram_100", "desir_550", "erreur", "Le numéro d'autorisation du logiciel (IDAM) est inconnu"
)
MACHINE_CN = SimFault(
    "siram_100",
    "desir_560",
    "erreur",
    "Le certificat d'authentification n'est pas un certificat INSI-AUTO ou INSI-MANU",
)
BAD_ASSERTION = SimFault("siram_10", "desir_510", "erreur", "Assertion d'authentification invalide")
BAD_HEADER = SimFault("siram_10", "desir_500", "erreur", "Contexte d'appel invalide")
BAD_BODY = SimFault("siram_10", "desir_520", "erreur", "Requête non conforme au schéma")


def _schema() -> etree.XMLSchema:
    """One schema importing every namespace a request carries, from the bundled files."""
    imports = {
        RECSANS: XSDS["RECSANS"],
        RECVIT: XSDS["RECVIT"],
        CTXBAM: XSDS["CTXBAM"],
        CTXLPS: XSDS["CTXLPS"],
        WSA: XSDS["WSA"],
        WSSE: XSDS["WSSE"],
    }
    lines = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(WSDL_DIR / path).as_uri()}"/>'
        for ns, path in imports.items()
    )
    wrapper = (
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:aiguillage:simulator">{lines}</xs:schema>'
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.fromstring(wrapper, parser))


@dataclass
class Identity:
    birth_name: str
    first_names: list[str]
    sex: str
    birth_date: str
    birth_place: str | None = None
    matricule: str | None = None
    oid: str | None = None
    history: list[str] = field(default_factory=list)
    always_01: bool = False


@dataclass
class Faults(SimulatorFaults):
    """The common fault injection (an outage answers siram_40 / insi_102, response files are
    answered as they are), plus INSi's own: given faults to answer next."""

    queued: list[SimFault] = field(default_factory=list)


class InsiSimulator:
    def __init__(
        self,
        *,
        server_p12: Path,
        password: str,
        trust: Path,
        idams: list[str],
        faults: Faults | None = None,
    ) -> None:
        self.server_p12 = server_p12
        self.password = password
        self.trust = trust
        self.idams = set(idams)
        self.faults = faults or Faults()
        self.identities, self.fault_rules = load_identities()
        self.schema = _schema()
        self.verifier = Verifier(str(trust))
        self.calls = 0
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=MAX_REQUEST)
        app.router.add_post("/lps", self.handle)
        app.router.add_post("/_admin/faults", self.set_faults)
        app.router.add_post("/_admin/inject", self.inject)
        app.router.add_get("/_admin/state", self.state)
        self._runner, bound = await serve_tls(
            app, host, port, self.server_p12, self.password, self.trust
        )
        return f"https://{host}:{bound}/lps"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- admin ---------------------------------------------------------------------------------

    async def set_faults(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.faults.update(body)
        for fault in body.get("queue", []):
            self.faults.queued.append(
                SimFault(
                    fault["subcode"],
                    fault["code"],
                    fault.get("severity", "erreur"),
                    fault.get("message", ""),
                )
            )
        return await self.state(request)

    async def inject(self, request: web.Request) -> web.Response:
        data = await request.read()
        try:
            injection = injection_from_query(request.query, data)
            parse(data)
        except (ValueError, XmlError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        self.faults.inject(injection)
        return await self.state(request)

    async def state(self, request: web.Request) -> web.Response:
        f = self.faults
        return web.json_response(
            {
                "calls": self.calls,
                **f.state(),
                "queued_faults": len(f.queued),
            }
        )

    # --- the service ---------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        disturbed = await self.faults.disturb()
        if disturbed is not None:
            return disturbed
        if request.content_type != SOAP12_MEDIA_TYPE:
            return web.Response(status=415, text=f"SOAP 1.2 expects {SOAP12_MEDIA_TYPE}")
        try:
            envelope = parse(await request.read(), MAX_REQUEST)
        except XmlError as exc:
            return fault_response(BAD_HEADER.saying(str(exc)))
        refusal = self.check(envelope, request)
        if refusal is not None:
            return fault_response(refusal)
        if self.faults.outage:
            return fault_response(UNAVAILABLE, sender=False)
        if self.faults.queued:
            return fault_response(self.faults.queued.pop(0))
        injected = self.faults.injected(request.path)
        if injected is not None:
            return injected
        body = envelope.find(f"{{{SOAP12}}}Body")[0]
        if body.tag == f"{{{RECSANS}}}RECSANSVITALE":
            return self.answer_traits(body)
        return self.answer_vitale(body)

    def check(self, envelope: etree._Element, request: web.Request) -> SimFault | None:
        header = envelope.find(f"{{{SOAP12}}}Header")
        body = envelope.find(f"{{{SOAP12}}}Body")
        if header is None or body is None or len(body) != 1:
            return BAD_HEADER.saying("Enveloppe SOAP 1.2 incomplète (Header et Body attendus)")
        found = {}
        for ns, name, version in (
            (CTXBAM, "ContexteBAM", CONTEXT_VERSIONS[CTXBAM]),
            (CTXLPS, "ContexteLPS", CONTEXT_VERSIONS[CTXLPS]),
            (WSA, "MessageID", None),
            (WSA, "Action", None),
        ):
            element = header.find(f"{{{ns}}}{name}")
            if element is None:
                return BAD_HEADER.saying(f"En-tête {name} absent")
            if version and element.get("Version") != version:
                return BAD_HEADER.saying(
                    f"{name} Version {element.get('Version')!r} non supportée (attendue {version})"
                )
            if not self.schema.validate(element):
                return BAD_HEADER.saying(f"{name}: {self.schema.error_log.last_error.message}")
            found[name] = element
        operation = OPERATIONS.get((found["Action"].text or "").strip())
        if operation is None or body[0].tag != operation.body:
            return BAD_HEADER.saying("Action WS-Addressing et corps de requête incohérents")
        idam = found["ContexteLPS"].findtext(f"{{{CTXLPS}}}LPS/{{{CTXLPS}}}IDAM")
        if idam not in self.idams:
            return UNKNOWN_IDAM
        security = header.find(f"{{{WSSE}}}Security")
        if security is not None:
            refusal = self.check_assertion(security)
            if refusal:
                return refusal
        else:
            peer = request.transport.get_extra_info("peercert") if request.transport else None
            cn = _common_name(peer)
            if cn not in MACHINE_CNS:
                return MACHINE_CN.saying(f"{MACHINE_CN.message} (CN={cn or 'aucun'})")
        if not self.schema.validate(body[0]):
            return BAD_BODY.saying(
                f"{BAD_BODY.message}: {self.schema.error_log.last_error.message}"
            )
        return None

    def check_assertion(self, security: etree._Element) -> SimFault | None:
        if not self.schema.validate(security):
            return BAD_ASSERTION.saying(
                f"{BAD_ASSERTION.message}: {self.schema.error_log.last_error.message}"
            )
        assertion = security.find(f"{{{SAML}}}Assertion")
        try:
            self.verifier.verify(assertion)
        except InvalidAssertion as exc:
            return BAD_ASSERTION.saying(f"{BAD_ASSERTION.message}: {exc}")
        return None

    def answer_traits(self, body: etree._Element) -> web.Response:
        def text(name: str) -> str:
            return (body.findtext(f"{{{RECSANS}}}{name}") or "").strip()

        birth_name = fold_name(text("NomNaissance"))
        asked = fold_name(" ".join(p.text or "" for p in body.findall(f"{{{RECSANS}}}Prenom")))
        for rule in self.fault_rules:
            if rule["birth_name"] == birth_name and rule["first_names"] == asked:
                return fault_response(
                    SimFault(rule["subcode"], rule["code"], rule["severity"], rule["message"]),
                    sender=False,
                )
        place = text("LieuNaissance").upper()
        matches = [
            p
            for p in self.identities
            if p.birth_name == birth_name
            and p.sex == text("Sexe")
            and p.birth_date == text("DateNaissance")
            and (not place or p.birth_place == place)
            and (asked in (p.first_names[0], " ".join(p.first_names)))
        ]
        return self.answer(matches)

    def answer_vitale(self, body: etree._Element) -> web.Response:
        q = f"{{{RECVIT}}}"
        number = (body.findtext(f"{q}MatriculeIndividu/{q}NumIdentifiant") or "") + (
            body.findtext(f"{q}MatriculeIndividu/{q}Cle") or ""
        )
        birth_date = body.findtext(f"{q}DateNaissance") or ""
        birth_name = fold_name(body.findtext(f"{q}NomNaissance") or "")
        matches = [
            p
            for p in self.identities
            if ((p.matricule == number and p.oid != "1.2.250.1.213.1.4.9") or number in p.history)
            and p.birth_date == birth_date
            and (not birth_name or p.birth_name == birth_name)
        ]
        return self.answer(matches)

    def answer(self, matches: list[Identity]) -> web.Response:
        matches = [p for p in matches if not p.always_01]
        root = etree.Element(f"{{{RESULTAT}}}RESULTAT", nsmap={None: RESULTAT})
        cr = etree.SubElement(root, f"{{{RESULTAT}}}CR")
        code, label = {0: ("01", "Aucune identite trouvee"), 1: ("00", "OK")}.get(
            len(matches), ("02", "Plusieurs identites trouvees")
        )
        _add(cr, "CodeCR", code)
        _add(cr, "LibelleCR", label)
        if code == "00":
            person = matches[0]
            individu = etree.SubElement(root, f"{{{RESULTAT}}}INDIVIDU")
            for tag, matricule in [
                ("INSACTIF", person.matricule),
                *(("INSHISTO", h) for h in person.history),
            ]:
                ins = etree.SubElement(individu, f"{{{RESULTAT}}}{tag}")
                ident = etree.SubElement(ins, f"{{{RESULTAT}}}IdIndividu")
                _add(ident, "NumIdentifiant", matricule[:13])
                _add(ident, "Cle", matricule[13:])
                _add(ins, "OID", person.oid)
            tiq = etree.SubElement(individu, f"{{{RESULTAT}}}TIQ")
            _add(tiq, "NomNaissance", person.birth_name)
            _add(tiq, "Prenom", person.first_names[0])
            _add(tiq, "ListePrenom", " ".join(person.first_names))
            _add(tiq, "Sexe", person.sex)
            _add(tiq, "DateNaissance", person.birth_date)
            if person.birth_place:
                _add(tiq, "LieuNaissance", person.birth_place)
        return soap_response(root)


def load_identities() -> tuple[list[Identity], list[dict[str, Any]]]:
    data = tomllib.loads(IDENTITIES.read_text(encoding="utf-8"))
    return [Identity(**i) for i in data["identity"]], data.get("fault", [])


def _add(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, f"{{{RESULTAT}}}{name}").text = text


def _common_name(peer: dict | None) -> str | None:
    for rdn in (peer or {}).get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return value
    return None


def soap_response(content: etree._Element, status: int = 200) -> web.Response:
    envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
    etree.SubElement(envelope, f"{{{SOAP12}}}Body").append(content)
    return web.Response(
        status=status,
        body=etree.tostring(envelope, xml_declaration=True, encoding="utf-8"),
        content_type="application/soap+xml",
        charset="utf-8",
    )


def fault_response(fault: SimFault, sender: bool = True) -> web.Response:
    subcode, code, severity, message = fault.subcode, fault.code, fault.severity, fault.message
    q = f"{{{SOAP12}}}"
    element = etree.Element(f"{q}Fault", nsmap={"soap": SOAP12, "siram": SIRAM})
    codes = etree.SubElement(element, f"{q}Code")
    etree.SubElement(codes, f"{q}Value").text = "soap:Sender" if sender else "soap:Receiver"
    sub = etree.SubElement(codes, f"{q}Subcode")
    etree.SubElement(sub, f"{q}Value").text = f"siram:{subcode}"
    reason = etree.SubElement(element, f"{q}Reason")
    text = etree.SubElement(reason, f"{q}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    text.text = message
    detail = etree.SubElement(element, f"{q}Detail")
    error = etree.SubElement(
        detail, f"{{{SIRAM}}}Erreur", severite=severity, code=code, messageID=str(new_uuid())
    )
    error.text = message
    return soap_response(element, status=400 if sender else 500)
