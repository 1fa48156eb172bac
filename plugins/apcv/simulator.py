"""The ApCV simulator: a SOAP 1.2 server on 127.0.0.1, over TLS with client certificates (the
plugin's test PKI), that checks what the ApCV back end is known to check and answers its four
operations. It is not the Assurance Maladie's service and certifies nothing.

Checks, in order: the envelope parses and has a Header and a one-element Body; WS-Addressing
``MessageID`` is there and ``Action`` names an operation whose body element the Body carries;
``ContexteLPS`` (Version 01_00) names the software; ``wsse:Security`` carries the practitioner's
SAML assertion, signed by a certificate of the test PKI and valid now. Then the operation:

- ``authentifierUtilisateurProximite``: the billing id (matching the assertion's
  ``identifiantFacturation`` when it has one) and the AMO specialty, and ``Donnees``, the
  scanned payload, which must be one this simulator issued (see ``sim_qr``), unaltered, not
  expired (``qr_validity`` seconds) and not used before; opens a context valid
  ``context_validity`` seconds, bound to the practitioner;
- ``restituerContexteApCV``: the context and its beneficiaries (``beneficiaries.toml``);
- ``detruireContexteApCV``: forgets the context;
- ``signerVitale``: signs the care sheet's SHA-256 and its summary with the simulator's key.

Each refusal is a SOAP fault with its own subcode (``sim_protocol``). Control routes on the same
server: ``POST /_sim/qr {"identity": "NESSI"}`` issues a payload; ``POST /_sim/faults`` sets
latency, error rate, outage, queues faults by code to answer next, or ``garble``: the next n
calls answer an HTTP 200 that is no SOAP envelope (a truncated one); ``POST /_sim/clock
{"offset": seconds}`` moves the simulator's clock (expiry tests without sleeping; assertions are
still checked against the real time, as they are the caller's); ``GET /_sim/state``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from lxml import etree

from aiguillage.plugin import Faults, InvalidAssertion, TestPki, Verifier, XmlError, serve_tls
from aiguillage.plugin import parse_xml as parse

from .sim_people import Holder, Person, UnknownHolder, find_holder, load_holders
from .sim_protocol import (
    AUTH,
    AUTHENTICATE,
    BAD_ASSERTION,
    BAD_HEADER,
    BAD_REQUEST,
    CONTEXT_EXPIRED,
    CONTEXT_OTHER,
    CONTEXT_UNKNOWN,
    CTXLPS,
    CTXLPS_VERSION,
    DESTROY,
    FAULTS,
    NO_ASSERTION,
    OPERATIONS,
    PRACTITIONER_MISMATCH,
    QR_EXPIRED,
    QR_INVALID,
    QR_REPLAYED,
    QR_TAMPERED,
    RESTORE,
    SAML,
    SIGN_VITALE,
    SOAP12,
    SOAP12_MEDIA_TYPE,
    UNAVAILABLE,
    UNKNOWN_HOLDER,
    WSA,
    WSSE,
    Operation,
    SimFault,
)
from .sim_qr import Nonces, QrKey, QrRefused

__all__ = ["ApcvSimulator", "Faults"]

MAX_REQUEST = 256 * 1024
#: Contexts kept at most; past it, the expired ones are forgotten.
MAX_CONTEXTS = 10_000
PATH = "/apcv"
_BILLING_ID = re.compile(r"[0-9A-Za-z]{1,20}")
_SPECIALTY = re.compile(r"[0-9]{2}")
_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
_QR_FAULTS = {"invalid": QR_INVALID, "tampered": QR_TAMPERED, "expired": QR_EXPIRED}


class Refused(Exception):
    def __init__(self, fault: SimFault) -> None:
        super().__init__(fault.message)
        self.fault = fault


@dataclass
class SimContext:
    id: str
    token: str
    holder: Holder
    #: The national id of the practitioner who opened it (the assertion's NameID).
    practitioner: str
    expires: float


def signed_data(
    context_id: str, digest: str, summary: list[tuple[str, str]], reference: str
) -> bytes:
    """What ``signerVitale`` signs: the context, the care sheet's digest, its summary and the
    signing's reference, as canonical JSON."""
    document = {
        "context": context_id,
        "digest": digest.lower(),
        "summary": [list(line) for line in summary],
        "reference": reference,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


class ApcvSimulator:
    def __init__(
        self,
        *,
        data_dir: Path,
        pki: TestPki,
        faults: Faults | None = None,
        qr_validity: float = 180.0,
        context_validity: float = 300.0,
    ) -> None:
        self.pki = pki
        self.faults = faults or Faults()
        self.qr_validity = qr_validity
        self.context_validity = context_validity
        self.holders = load_holders()
        self.qr_key = QrKey(data_dir)
        self.nonces = Nonces()
        self.contexts: dict[str, SimContext] = {}
        #: Faults to answer next (after the checks), oldest first.
        self.queued: list[SimFault] = []
        #: Calls still to answer with garbage (HTTP 200, a truncated envelope).
        self.garble = 0
        #: Seconds added to the real time: the simulator's clock.
        self.offset = 0.0
        self.calls = 0
        self.verifier = Verifier(str(pki.ca_bundle))
        self._runner: web.AppRunner | None = None

    def now(self) -> float:
        return time.time() + self.offset

    # --- payloads, for the CLI and the control route -----------------------------------------

    def issue_qr(self, identity: str) -> str:
        """A signed payload for the holder ``identity`` names (a key such as ``NESSI-RUTH``, or a
        birth name: the first holder of it); ``ValueError`` when none."""
        holder = find_holder(self.holders, identity)
        return self.qr_key.issue(holder.key, self.now(), self.qr_validity)

    def command(self, args: list[str]) -> str:
        """``--qr NAME``: a payload to show as a QR code; ``--list``: the holders' keys."""
        if args == ["--list"]:
            return "\n".join(f"{h.key}\t{h.describe()}" for h in self.holders.values())
        if len(args) == 2 and args[0] == "--qr":
            return self.issue_qr(args[1])
        raise ValueError(f"unknown options {' '.join(args)!r}: use --qr NAME or --list")

    # --- the server ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=MAX_REQUEST)
        app.router.add_post(PATH, self.handle)
        app.router.add_post("/_sim/qr", self.control_qr)
        app.router.add_post("/_sim/faults", self.control_faults)
        app.router.add_post("/_sim/clock", self.control_clock)
        app.router.add_get("/_sim/state", self.control_state)
        self._runner, bound = await serve_tls(
            app, host, port, self.pki.p12("server"), self.pki.password, self.pki.ca_bundle
        )
        return f"https://{host}:{bound}{PATH}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- control routes -------------------------------------------------------------------

    async def control_qr(self, request: web.Request) -> web.Response:
        body = await _json(request)
        identity = body.get("identity")
        if not isinstance(identity, str):
            raise _bad('"identity" (a string) is required')
        try:
            holder = find_holder(self.holders, identity)
        except UnknownHolder as exc:
            return web.json_response({"error": str(exc)}, status=404)
        payload = self.qr_key.issue(holder.key, self.now(), self.qr_validity)
        expires = _iso(self.now() + self.qr_validity)
        return web.json_response({"qr": payload, "holder": holder.key, "expires_at": expires})

    async def control_faults(self, request: web.Request) -> web.Response:
        body = await _json(request)
        queue = body.get("queue", [])
        unknown = (
            [c for c in queue if not isinstance(c, str) or c not in FAULTS]
            if isinstance(queue, list)
            else [queue]
        )
        if unknown:
            raise _bad(f'"queue" lists fault codes among {sorted(FAULTS)}; unknown: {unknown}')
        garble = body.get("garble", self.garble)
        if isinstance(garble, bool) or not isinstance(garble, int) or garble < 0:
            raise _bad('"garble" is a number of calls (an integer, 0 or more)')
        self.garble = garble
        try:
            self.faults.update(body)
        except (TypeError, ValueError) as exc:
            raise _bad(f"bad fault setting: {exc}") from None
        self.queued.extend(FAULTS[code] for code in queue)
        return await self.control_state(request)

    async def control_clock(self, request: web.Request) -> web.Response:
        offset = (await _json(request)).get("offset")
        if isinstance(offset, bool) or not isinstance(offset, int | float):
            raise _bad('"offset" (seconds, a number) is required')
        self.offset = float(offset)
        return await self.control_state(request)

    async def control_state(self, request: web.Request) -> web.Response:
        now = self.now()
        return web.json_response(
            {
                "calls": self.calls,
                "contexts": sum(1 for c in self.contexts.values() if c.expires > now),
                "offset": self.offset,
                "now": _iso(now),
                "queued": [f.code for f in self.queued],
                "garble": self.garble,
                **self.faults.state(),
            }
        )

    # --- the service ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        disturbed = await self.faults.disturb()
        if disturbed is not None:
            return disturbed
        if self.garble:
            self.garble -= 1
            # What a service cut mid-answer sends: a 200 whose body does not parse.
            return web.Response(
                status=200,
                body=b'<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="',
                content_type=SOAP12_MEDIA_TYPE,
            )
        if request.content_type != SOAP12_MEDIA_TYPE:
            return web.Response(status=415, text=f"SOAP 1.2 expects {SOAP12_MEDIA_TYPE}")
        try:
            envelope = parse(await request.read(), MAX_REQUEST)
        except XmlError as exc:
            return fault_response(BAD_HEADER.saying(f"{BAD_HEADER.message}: {exc}"))
        operation = None
        try:
            operation, body, caller = self.check(envelope)
            if self.faults.outage:
                raise Refused(UNAVAILABLE)
            if self.queued:
                raise Refused(self.queued.pop(0))
            handler = {
                AUTHENTICATE: self.authenticate,
                RESTORE: self.restore,
                DESTROY: self.destroy,
                SIGN_VITALE: self.sign,
            }[operation]
            answer = handler(body, caller)
        except Refused as refusal:
            return fault_response(refusal.fault, operation.namespace if operation else AUTH)
        return soap_response(answer)

    def check(self, envelope: etree._Element) -> tuple[Operation, etree._Element, Any]:
        """The operation, its body element and the verified assertion; ``Refused`` when the
        envelope or its headers do not hold."""
        header = envelope.find(f"{{{SOAP12}}}Header")
        body = envelope.find(f"{{{SOAP12}}}Body")
        if envelope.tag != f"{{{SOAP12}}}Envelope" or header is None or body is None:
            raise Refused(BAD_HEADER.saying("Enveloppe SOAP 1.2 incomplète (Header et Body)"))
        if len(body) != 1:
            raise Refused(BAD_HEADER.saying("Le corps doit porter un seul élément"))
        if not (header.findtext(f"{{{WSA}}}MessageID") or "").strip():
            raise Refused(BAD_HEADER.saying("En-tête MessageID absent"))
        action = (header.findtext(f"{{{WSA}}}Action") or "").strip()
        operation = OPERATIONS.get(action)
        if operation is None:
            raise Refused(BAD_HEADER.saying(f"Action {action!r} inconnue"))
        if body[0].tag != operation.body:
            raise Refused(BAD_HEADER.saying("Action WS-Addressing et corps incohérents"))
        self.check_lps(header.find(f"{{{CTXLPS}}}ContexteLPS"))
        assertion = header.find(f"{{{WSSE}}}Security/{{{SAML}}}Assertion")
        if assertion is None:
            raise Refused(NO_ASSERTION)
        try:
            caller = self.verifier.verify(assertion)
        except InvalidAssertion as exc:
            raise Refused(BAD_ASSERTION.saying(f"{BAD_ASSERTION.message}: {exc}")) from None
        return operation, body[0], caller

    @staticmethod
    def check_lps(lps: etree._Element | None) -> None:
        if lps is None:
            raise Refused(BAD_HEADER.saying("En-tête ContexteLPS absent"))
        if lps.get("Version") != CTXLPS_VERSION:
            raise Refused(
                BAD_HEADER.saying(
                    f"ContexteLPS Version {lps.get('Version')!r} non supportée "
                    f"(attendue {CTXLPS_VERSION})"
                )
            )
        for path in ("Id", "Temps", "Emetteur", "LPS/IDAM", "LPS/Version", "LPS/Nom"):
            steps = "/".join(f"{{{CTXLPS}}}{step}" for step in path.split("/"))
            if not (lps.findtext(steps) or "").strip():
                raise Refused(BAD_HEADER.saying(f"ContexteLPS/{path} absent"))

    # --- the operations -------------------------------------------------------------------

    def authenticate(self, body: etree._Element, caller: Any) -> etree._Element:
        billing = _text(body, AUTH, "IdentifiantFacturation")
        if not _BILLING_ID.fullmatch(billing):
            raise Refused(BAD_REQUEST.saying("IdentifiantFacturation absent ou mal formé"))
        if not _SPECIALTY.fullmatch(_text(body, AUTH, "CodeSpecialiteAMO")):
            raise Refused(BAD_REQUEST.saying("CodeSpecialiteAMO absent ou mal formé"))
        asserted = caller.attributes.get("identifiantFacturation")
        if asserted and billing not in asserted:
            raise Refused(PRACTITIONER_MISMATCH)
        payload = body.findtext(f"{{{AUTH}}}Donnees") or ""
        if not payload:
            raise Refused(BAD_REQUEST.saying("Donnees absent"))
        now = self.now()
        try:
            claims = self.qr_key.verify(payload, now)
        except QrRefused as refusal:
            fault = _QR_FAULTS[refusal.reason]
            raise Refused(fault.saying(f"{fault.message} ({refusal})")) from None
        if not self.nonces.use(claims, now):
            raise Refused(QR_REPLAYED)
        holder = self.holders.get(claims.sub)
        if holder is None:
            raise Refused(UNKNOWN_HOLDER)
        if len(self.contexts) >= MAX_CONTEXTS:
            self.contexts = {k: c for k, c in self.contexts.items() if c.expires > now}
        context = SimContext(
            id=str(uuid.uuid4()),
            token=secrets.token_urlsafe(24),
            holder=holder,
            practitioner=caller.name_id,
            expires=now + self.context_validity,
        )
        self.contexts[context.id] = context
        answer = etree.Element(AUTHENTICATE.answer, nsmap={"apcv": AUTH})
        answer.append(_context_element(context, AUTH))
        return answer

    def context_of(self, body: etree._Element, ns: str, caller: Any, token: bool) -> SimContext:
        """The context the request names; refused when unknown, another practitioner's, or
        (``token``) the token does not match."""
        ident = body.findtext(f"{{{ns}}}ContexteApCV/{{{ns}}}Identifiant") or ""
        if not ident:
            raise Refused(BAD_REQUEST.saying("ContexteApCV/Identifiant absent"))
        context = self.contexts.get(ident)
        given = body.findtext(f"{{{ns}}}ContexteApCV/{{{ns}}}TokenApCV") or ""
        if context is None or (token and not secrets.compare_digest(context.token, given)):
            raise Refused(CONTEXT_UNKNOWN)
        if context.practitioner != caller.name_id:
            raise Refused(CONTEXT_OTHER)
        return context

    def live_context(self, body: etree._Element, ns: str, caller: Any) -> SimContext:
        context = self.context_of(body, ns, caller, token=True)
        if self.now() >= context.expires:
            raise Refused(CONTEXT_EXPIRED)
        return context

    def restore(self, body: etree._Element, caller: Any) -> etree._Element:
        context = self.live_context(body, AUTH, caller)
        answer = etree.Element(RESTORE.answer, nsmap={"apcv": AUTH})
        answer.append(_context_element(context, AUTH))
        people = etree.SubElement(answer, f"{{{AUTH}}}Beneficiaires")
        for person in context.holder.beneficiaries:
            people.append(_beneficiary_element(person))
        return answer

    def destroy(self, body: etree._Element, caller: Any) -> etree._Element:
        # Destroying needs no token (the notes show the Identifiant alone) but the same
        # practitioner; an expired context can still be destroyed.
        context = self.context_of(body, AUTH, caller, token=False)
        del self.contexts[context.id]
        return etree.Element(DESTROY.answer, nsmap={"apcv": AUTH})

    def sign(self, body: etree._Element, caller: Any) -> etree._Element:
        context = self.live_context(body, SIGN_VITALE.namespace, caller)
        ns = SIGN_VITALE.namespace
        digest = _text(body, ns, "DonneeFSE")
        if not _SHA256_HEX.fullmatch(digest):
            raise Refused(BAD_REQUEST.saying("DonneeFSE: un SHA-256 en hexadécimal est attendu"))
        summary = [
            (line.get("Libelle") or "", line.text or "")
            for line in body.iterfind(f"{{{ns}}}Resume/{{{ns}}}Ligne")
        ]
        if not summary or any(not label for label, _ in summary):
            raise Refused(BAD_REQUEST.saying("Resume: des lignes libellées sont attendues"))
        reference = f"APCVSIG-{uuid.uuid4().hex[:20].upper()}"
        signature = self.qr_key.sign(signed_data(context.id, digest, summary, reference))
        answer = etree.Element(SIGN_VITALE.answer, nsmap={"sign": ns})
        _add(answer, ns, "Signature", base64.b64encode(signature).decode())
        _add(answer, ns, "DateSignature", _iso(self.now()))
        _add(answer, ns, "Reference", reference)
        return answer


# --- XML ----------------------------------------------------------------------------------------


def _text(parent: etree._Element, ns: str, name: str) -> str:
    return (parent.findtext(f"{{{ns}}}{name}") or "").strip()


def _add(parent: etree._Element, ns: str, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    element.text = text
    return element


def _iso(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _context_element(context: SimContext, ns: str) -> etree._Element:
    element = etree.Element(f"{{{ns}}}ContexteApCV")
    _add(element, ns, "Identifiant", context.id)
    _add(element, ns, "TokenApCV", context.token)
    _add(element, ns, "DateFinValidite", _iso(context.expires))
    return element


def _beneficiary_element(person: Person) -> etree._Element:
    """A beneficiary as a carte Vitale read gives them: NIRs split into 13 characters and key."""
    element = etree.Element(f"{{{AUTH}}}Beneficiaire")
    _add(element, AUTH, "NIR", person.nir[:13])
    _add(element, AUTH, "CleNIR", person.nir[13:])
    _add(element, AUTH, "NIROuvrantDroit", person.nir_od[:13])
    _add(element, AUTH, "CleNIROuvrantDroit", person.nir_od[13:])
    _add(element, AUTH, "NomNaissance", person.birth_name)
    if person.used_name:
        _add(element, AUTH, "NomUsuel", person.used_name)
    _add(element, AUTH, "Prenom", person.first_name)
    _add(element, AUTH, "DateNaissance", person.birth_date)
    _add(element, AUTH, "RangNaissance", str(person.rank))
    _add(element, AUTH, "Regime", person.regime)
    _add(element, AUTH, "Caisse", person.caisse)
    _add(element, AUTH, "Centre", person.centre)
    for rights in person.rights:
        period = etree.SubElement(element, f"{{{AUTH}}}PeriodeDroits")
        _add(period, AUTH, "DateDebut", rights["start"])
        if rights.get("end"):
            _add(period, AUTH, "DateFin", rights["end"])
        if rights.get("label"):
            _add(period, AUTH, "Libelle", rights["label"])
    for exoneration in person.exonerations:
        item = etree.SubElement(element, f"{{{AUTH}}}Exoneration")
        _add(item, AUTH, "Code", exoneration["code"])
        for key, name in (("label", "Libelle"), ("start", "DateDebut"), ("end", "DateFin")):
            if exoneration.get(key):
                _add(item, AUTH, name, exoneration[key])
    if person.ins:
        ins = etree.SubElement(element, f"{{{AUTH}}}INS")
        _add(ins, AUTH, "Matricule", person.ins)
        _add(ins, AUTH, "OID", person.ins_oid or "")
    return element


def soap_response(content: etree._Element, status: int = 200) -> web.Response:
    envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
    etree.SubElement(envelope, f"{{{SOAP12}}}Body").append(content)
    return web.Response(
        status=status,
        body=etree.tostring(envelope, xml_declaration=True, encoding="utf-8"),
        content_type=SOAP12_MEDIA_TYPE,
        charset="utf-8",
    )


def fault_response(fault: SimFault, namespace: str = AUTH) -> web.Response:
    """A SOAP 1.2 fault (Part 1, §5.4): ``soap:Sender`` → HTTP 400, ``soap:Receiver`` → 500
    (Part 2, §7.5.1), the simulator's code as the Subcode."""
    q = f"{{{SOAP12}}}"
    element = etree.Element(f"{q}Fault", nsmap={"soap": SOAP12, "apcv": namespace})
    codes = etree.SubElement(element, f"{q}Code")
    etree.SubElement(codes, f"{q}Value").text = "soap:Sender" if fault.sender else "soap:Receiver"
    etree.SubElement(
        etree.SubElement(codes, f"{q}Subcode"), f"{q}Value"
    ).text = f"apcv:{fault.code}"
    reason = etree.SubElement(etree.SubElement(element, f"{q}Reason"), f"{q}Text")
    reason.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    reason.text = fault.message
    detail = etree.SubElement(element, f"{q}Detail")
    error = etree.SubElement(detail, f"{{{namespace}}}Erreur", code=fault.code)
    error.text = fault.message
    return soap_response(element, status=400 if fault.sender else 500)


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise _bad("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    return body


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}), content_type="application/json")
