"""The ApCV protocol client: ``SoapBackend``, SOAP 1.2 over HTTPS (aiohttp).

There is no published WSDL or XSD for the ApCV back end: the envelopes are built by hand with
lxml from what public integration material shows — the operations and their WS-Addressing
actions, the body namespaces, ``ContexteLPS`` without ``ContexteBAM``, the practitioner's signed
assertion in ``wsse:Security``, the ``ContexteApCV`` object. The element names it does not show,
and the fault codes, are those of the bundled simulator; an adapter to the certified component
implements ``backend.ApcvBackend`` instead of changing this module.

Transient failures (unreachable, an HTTP 5xx that is no SOAP answer, the service saying it is
unavailable, a timeout) are retried a few times with tenacity; every try is recorded in
``exchanges``. An answer that cannot be read is ``malformed`` and not retried: the same question
gets the same answer.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import time
import uuid
from dataclasses import dataclass

import aiohttp
from lxml import etree
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from aiguillage.plugin import Practitioner, PractitionerAssertions, Signer, XmlError
from aiguillage.plugin import parse_xml as parse

from .backend import (
    ApcvError,
    Beneficiary,
    Context,
    Exchange,
    Exoneration,
    Opened,
    RightsPeriod,
    Signature,
)

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#: The software context, as the CNAM services (INSi among them) define it.
CTXLPS = "urn:siram:lps:ctxlps"
CTXLPS_VERSION = "01_00"
AUTH = "http://www.sesam-vitale.fr/apcv/auth/1/0"
SIGN = "http://www.sesam-vitale.fr/apcv/sign/1/0"

OPEN = "authentifierUtilisateurProximite"
READ = "restituerContexteApCV"
CLOSE = "detruireContexteApCV"
SIGN_CARE_SHEET = "signerVitale"
ACTIONS = {
    OPEN: f"urn:ApCV_AUTH:1.0.0:{OPEN}",
    READ: f"urn:ApCV_AUTH:1.0.0:{READ}",
    CLOSE: f"urn:ApCV_AUTH:1.0.0:{CLOSE}",
    SIGN_CARE_SHEET: f"urn:ApCV_SIGN:1.0.0:{SIGN_CARE_SHEET}",
}
NAMESPACES = {OPEN: AUTH, READ: AUTH, CLOSE: AUTH, SIGN_CARE_SHEET: SIGN}
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
#: Largest answer read; a context with its beneficiaries is a few kilobytes.
MAX_ANSWER = 1024 * 1024

#: The service's fault subcodes, by the ``ApcvError`` code they mean. A subcode not listed is a
#: refusal (``soap:Sender``) or an unavailability (``soap:Receiver``).
FAULT_CODES = {
    "QR_EXPIRE": "qr-expired",
    "QR_ALTERE": "qr-tampered",
    "QR_REJOUE": "qr-replayed",
    "QR_INVALIDE": "qr-invalid",
    "CONTEXTE_EXPIRE": "context-expired",
    "CONTEXTE_INCONNU": "context-unknown",
    "SERVICE_INDISPONIBLE": "unavailable",
}
#: Exoneration codes of the service, by the plugin's.
EXONERATIONS = {
    "ALD": "ald",
    "MATERNITE": "maternite",
    "ATMP": "at_mp",
    "CSS": "css",
    "AME": "ame",
    "INVALIDITE": "invalidite",
}
#: The AMO specialty code of practitioners whose R01 specialty has an obvious one (the AMO
#: nomenclature is not R01's); other practitioners need ``amo_specialty`` set.
AMO_SPECIALTIES = {"SM26": "01"}  # qualifié en médecine générale → 01, médecine générale

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Software:
    """The software's identity sent in ``ContexteLPS`` (same fields as for INSi)."""

    idam: str
    idam_r: str
    name: str
    version: str
    instance: str


class SoapBackend:
    """``ApcvBackend`` over SOAP 1.2: see ``backend.ApcvBackend`` for what each method does."""

    def __init__(
        self,
        *,
        endpoint: str,
        session: aiohttp.ClientSession,
        software: Software,
        signer: Signer | None,
        timeout: float,
        retries: int,
        assertion_validity: float = 300.0,
        first_retry_delay: float = 0.2,
        amo_specialty: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.session = session
        self.software = software
        #: Signs the practitioner's assertion; without one the service refuses every call.
        self.signer = signer
        self.timeout = timeout
        self.retries = retries
        self.assertion_validity = assertion_validity
        self.first_retry_delay = first_retry_delay
        self.amo_specialty = amo_specialty
        self.assertions = PractitionerAssertions(signer, assertion_validity) if signer else None

    # --- the operations ---------------------------------------------------------------------

    async def open(
        self, payload: str, practitioner: Practitioner, exchanges: list[Exchange]
    ) -> Opened:
        body = etree.Element(f"{{{AUTH}}}{OPEN}", nsmap={"apcv": AUTH})
        _add(body, AUTH, "IdentifiantFacturation", practitioner.billing_id)
        _add(body, AUTH, "CodeSpecialiteAMO", self.specialty(practitioner))
        _add(body, AUTH, "Donnees", payload)
        # A timeout is not retried here: the service may have used the payload, and a second
        # try would be refused as a replay, hiding what happened.
        answer = await self._call(OPEN, body, practitioner, exchanges, retry_timeout=False)
        context = parse_context(_child(answer, AUTH, "ContexteApCV"))
        return await self.read(context, practitioner, exchanges)

    async def read(
        self, context: Context, practitioner: Practitioner, exchanges: list[Exchange]
    ) -> Opened:
        body = etree.Element(f"{{{AUTH}}}{READ}", nsmap={"apcv": AUTH})
        body.append(_context(context, AUTH))
        answer = await self._call(READ, body, practitioner, exchanges)
        people = answer.find(f"{{{AUTH}}}Beneficiaires")
        beneficiaries = tuple(
            parse_beneficiary(b)
            for b in (people if people is not None else ())
            if b.tag == f"{{{AUTH}}}Beneficiaire"
        )
        if not beneficiaries:
            raise malformed("the context has no beneficiary")
        return Opened(parse_context(_child(answer, AUTH, "ContexteApCV")), beneficiaries)

    async def close(
        self, context: Context, practitioner: Practitioner, exchanges: list[Exchange]
    ) -> None:
        body = etree.Element(f"{{{AUTH}}}{CLOSE}", nsmap={"apcv": AUTH})
        holder = etree.SubElement(body, f"{{{AUTH}}}ContexteApCV")
        _add(holder, AUTH, "Identifiant", context.id)
        try:
            await self._call(CLOSE, body, practitioner, exchanges)
        except ApcvError as exc:
            if exc.code not in ("context-unknown", "context-expired"):
                raise  # gone either way otherwise

    async def sign(
        self,
        context: Context,
        digest: str,
        summary: dict[str, str],
        practitioner: Practitioner,
        exchanges: list[Exchange],
    ) -> Signature:
        body = etree.Element(f"{{{SIGN}}}{SIGN_CARE_SHEET}", nsmap={"sign": SIGN})
        body.append(_context(context, SIGN))
        _add(body, SIGN, "DonneeFSE", digest)
        resume = etree.SubElement(body, f"{{{SIGN}}}Resume")
        for label, value in summary.items():
            _add(resume, SIGN, "Ligne", value).set("Libelle", label)
        answer = await self._call(SIGN_CARE_SHEET, body, practitioner, exchanges)
        return Signature(
            value=_required(answer, SIGN, "Signature"),
            signed_at=_datetime(_required(answer, SIGN, "DateSignature"), "DateSignature"),
            reference=(answer.findtext(f"{{{SIGN}}}Reference") or "").strip(),
        )

    async def aclose(self) -> None:
        """Close the HTTP session the backend was given."""
        await self.session.close()

    # --- the calls ----------------------------------------------------------------------------

    async def _call(
        self,
        operation: str,
        body: etree._Element,
        practitioner: Practitioner,
        exchanges: list[Exchange],
        *,
        retry_timeout: bool = True,
    ) -> etree._Element:
        """Send, retrying transient failures; the answer's body element."""

        def worth_retrying(exc: BaseException) -> bool:
            return (
                isinstance(exc, ApcvError)
                and exc.transient
                and (retry_timeout or exc.code != "timeout")
            )

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential(multiplier=self.first_retry_delay, max=2.0),
            retry=retry_if_exception(worth_retrying),
            reraise=True,
        )
        answer = None
        async for attempt in retrying:
            with attempt:
                answer = await self._send(operation, body, practitioner, exchanges)
        return answer

    async def _send(
        self,
        operation: str,
        body: etree._Element,
        practitioner: Practitioner,
        exchanges: list[Exchange],
    ) -> etree._Element:
        request = self.envelope(operation, body, practitioner)
        started = time.perf_counter()
        response = None
        try:
            async with self.session.post(
                self.endpoint,
                data=request,
                headers={"Content-Type": CONTENT_TYPE},
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as reply:
                response = await _read(reply)
                status = reply.status
        except TimeoutError:
            raise ApcvError("timeout", f"ApCV gave no answer within {self.timeout:g} s") from None
        except aiohttp.ClientError as exc:
            raise ApcvError("unavailable", f"cannot reach ApCV: {exc}") from None
        finally:
            exchanges.append(Exchange(operation, request, response, time.perf_counter() - started))
        return parse_answer(operation, status, response)

    def envelope(self, operation: str, body: etree._Element, practitioner: Practitioner) -> bytes:
        """The request: the headers, then ``body`` (copied: a retry sends it again)."""
        envelope = etree.Element(
            f"{{{SOAP12}}}Envelope",
            nsmap={"soap": SOAP12, "wsa": WSA, "wsse": WSSE, "lps": CTXLPS},
        )
        header = etree.SubElement(envelope, f"{{{SOAP12}}}Header")
        _add(header, WSA, "MessageID", f"urn:uuid:{uuid.uuid4()}")
        _add(header, WSA, "Action", ACTIONS[operation])
        lps = etree.SubElement(header, f"{{{CTXLPS}}}ContexteLPS", Version=CTXLPS_VERSION)
        _add(lps, CTXLPS, "Id", str(uuid.uuid4()))
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        _add(lps, CTXLPS, "Temps", stamp)
        _add(lps, CTXLPS, "Emetteur", practitioner.national_id)
        software = etree.SubElement(lps, f"{{{CTXLPS}}}LPS")
        _add(software, CTXLPS, "IDAM", self.software.idam).set("R", self.software.idam_r)
        _add(software, CTXLPS, "Version", self.software.version)
        _add(software, CTXLPS, "Instance", self.software.instance)
        _add(software, CTXLPS, "Nom", self.software.name)
        if self.signer is not None:
            security = etree.SubElement(header, f"{{{WSSE}}}Security")
            security.append(copy.deepcopy(self.assertion(practitioner)))
        etree.SubElement(envelope, f"{{{SOAP12}}}Body").append(copy.deepcopy(body))
        return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")

    def assertion(self, practitioner: Practitioner) -> etree._Element:
        """The practitioner's signed assertion (one per practitioner, reused while valid)."""
        return self.assertions.get(practitioner)

    def specialty(self, practitioner: Practitioner) -> str:
        """The practitioner's AMO specialty code (2 digits)."""
        if self.amo_specialty:
            return self.amo_specialty
        code = practitioner.specialty_code
        return code if re.fullmatch(r"[0-9]{2}", code) else AMO_SPECIALTIES.get(code, "")


# --- the answer ---------------------------------------------------------------------------------


def malformed(detail: str) -> ApcvError:
    """The service answered something the client cannot read: not retried (the same question
    gets the same answer)."""
    return ApcvError("malformed", f"malformed answer: {detail}")


def _unreadable(status: int, detail: str) -> ApcvError:
    """An answer that is not the expected one: ``unavailable`` (retried) for an HTTP 5xx — a
    gateway's error page, a server in trouble: it may pass — else ``malformed``."""
    if status >= 500:
        return ApcvError("unavailable", f"HTTP {status}, {detail}")
    return ApcvError("malformed", f"HTTP {status}, {detail}")


async def _read(reply: aiohttp.ClientResponse) -> bytes:
    data = bytearray()
    async for chunk in reply.content.iter_chunked(64 * 1024):
        data += chunk
        if len(data) > MAX_ANSWER:
            raise malformed(f"larger than {MAX_ANSWER} bytes")
    return bytes(data)


def parse_answer(operation: str, status: int, data: bytes) -> etree._Element:
    """The body element of the answer to ``operation``; ``ApcvError`` for a fault, or for
    anything that is not the expected answer."""
    try:
        root = parse(data, MAX_ANSWER)
    except XmlError as exc:
        raise _unreadable(status, f"unreadable answer: {exc}") from None
    body = root.find(f"{{{SOAP12}}}Body") if root.tag == f"{{{SOAP12}}}Envelope" else None
    if body is None or len(body) != 1:
        raise _unreadable(status, "the answer is not a SOAP 1.2 envelope")
    content = body[0]
    if content.tag == f"{{{SOAP12}}}Fault":
        raise fault_error(content)
    expected = f"{{{NAMESPACES[operation]}}}{operation}Reponse"
    if status != 200 or content.tag != expected:
        raise _unreadable(status, f"expected {operation}Reponse, got {content.tag}")
    return content


def fault_error(fault: etree._Element) -> ApcvError:
    q = f"{{{SOAP12}}}"
    # QNames in text: the local part names the code whatever prefix the service chose.
    value = (fault.findtext(f"{q}Code/{q}Value") or "").strip().rpartition(":")[2]
    subcode = (fault.findtext(f"{q}Code/{q}Subcode/{q}Value") or "").strip().rpartition(":")[2]
    reason = (fault.findtext(f"{q}Reason/{q}Text") or "").strip()
    code = FAULT_CODES.get(subcode) or ("unavailable" if value == "Receiver" else "refused")
    return ApcvError(code, reason or subcode or "SOAP fault", service_code=subcode or None)


def parse_context(element: etree._Element) -> Context:
    return Context(
        id=_required(element, AUTH, "Identifiant"),
        token=_required(element, AUTH, "TokenApCV"),
        expires_at=_datetime(_required(element, AUTH, "DateFinValidite"), "DateFinValidite"),
    )


def parse_beneficiary(element: etree._Element) -> Beneficiary:
    def text(name: str) -> str | None:
        value = element.findtext(f"{{{AUTH}}}{name}")
        return value.strip() if value and value.strip() else None

    def required(name: str) -> str:
        return _required(element, AUTH, name)

    nir = required("NIR") + required("CleNIR")
    nir_od = required("NIROuvrantDroit") + required("CleNIROuvrantDroit")
    birth_date = required("DateNaissance")
    # A lunar date (month or day 00…) keeps the shape of a date; anything else is garbage.
    if len(nir) != 15 or len(nir_od) != 15 or not _DAY.fullmatch(birth_date):
        raise malformed("a beneficiary's NIR or birth date")
    try:
        rank = int(required("RangNaissance"))
    except ValueError:
        raise malformed("RangNaissance") from None
    rights = tuple(
        RightsPeriod(
            start=_day(_required(period, AUTH, "DateDebut")),
            end=_day(period.findtext(f"{{{AUTH}}}DateFin")),
            label=(period.findtext(f"{{{AUTH}}}Libelle") or "").strip(),
        )
        for period in element.iterfind(f"{{{AUTH}}}PeriodeDroits")
    )
    exonerations = tuple(
        Exoneration(
            code=EXONERATIONS.get(_required(item, AUTH, "Code"), "other"),
            label=(item.findtext(f"{{{AUTH}}}Libelle") or "").strip(),
            start=_day(item.findtext(f"{{{AUTH}}}DateDebut")),
            end=_day(item.findtext(f"{{{AUTH}}}DateFin")),
        )
        for item in element.iterfind(f"{{{AUTH}}}Exoneration")
    )
    ins = element.find(f"{{{AUTH}}}INS")
    return Beneficiary(
        nir=nir,
        nir_od=nir_od,
        birth_name=required("NomNaissance"),
        first_name=required("Prenom"),
        birth_date=birth_date,
        rank=rank,
        regime=required("Regime"),
        caisse=required("Caisse"),
        centre=required("Centre"),
        rights=rights,
        exonerations=exonerations,
        ins=_required(ins, AUTH, "Matricule") if ins is not None else None,
        ins_oid=_required(ins, AUTH, "OID") if ins is not None else None,
        used_name=text("NomUsuel"),
    )


# --- helpers ------------------------------------------------------------------------------------


def _add(parent: etree._Element, ns: str, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    element.text = text
    return element


def _context(context: Context, ns: str) -> etree._Element:
    element = etree.Element(f"{{{ns}}}ContexteApCV")
    _add(element, ns, "Identifiant", context.id)
    _add(element, ns, "TokenApCV", context.token)
    return element


def _child(parent: etree._Element, ns: str, name: str) -> etree._Element:
    child = parent.find(f"{{{ns}}}{name}")
    if child is None:
        raise malformed(f"{name} is missing")
    return child


def _required(parent: etree._Element, ns: str, name: str) -> str:
    value = (parent.findtext(f"{{{ns}}}{name}") or "").strip()
    if not value:
        raise malformed(f"{name} is missing")
    return value


def _datetime(text: str, name: str) -> dt.datetime:
    """An ``xsd:dateTime``, timezone-aware (one without a zone is taken as UTC)."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise malformed(f"{name} {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _day(text: str | None) -> str | None:
    """A calendar day ``YYYY-MM-DD`` (an ``xsd:date`` may carry a zone, meaningless here)."""
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        raise malformed(f"date {text!r}") from None
