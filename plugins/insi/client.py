"""The INSi protocol client: SOAP 1.2 envelopes from the bundled WSDL (zeep), the headers the
service requires, the signed PS assertion in card mode, an async transport (aiohttp), bounded
retries of transient faults, and the answer parsed into plain dataclasses."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from lxml import etree
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential
from zeep import Client, Settings
from zeep.transports import Transport

from aiguillage.plugin import (
    Practitioner,
    PractitionerAssertions,
    Signer,
    XmlError,
    new_uuid,
    utc_now,
)
from aiguillage.plugin import parse_xml as parse

from .identity import Ins, Traits

WSDL = Path(__file__).parent / "wsdl" / "DESIR_ICIR_EXP_1.5.0.wsdl"
#: The one schema the WSDL fetches from the network, served from our own copy instead.
LOCAL_SCHEMAS = {
    "http://www.w3.org/2006/03/addressing/ws-addr.xsd": WSDL.parent / "ws-addr.xsd",
}

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
CTXBAM = "urn:siram:bam:ctxbam"
CTXLPS = "urn:siram:lps:ctxlps"
SIRAM = "urn:siram"
RESULTAT = "http://www.cnamts.fr/INSiResultat"
TRAITS_OPERATION = "rechercherInsAvecTraitsIdentite"
VITALE_OPERATION = "rechercherInsAvecCarteVitale"
ACTIONS = {
    op: f"urn:ServiceIdentiteCertifiee:1.0.0:{op}" for op in (TRAITS_OPERATION, VITALE_OPERATION)
}
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
#: Seconds before the first retry of a transient failure; later ones wait twice as long each.
FIRST_RETRY_DELAY = 0.2
#: Subcodes saying the service is down for now: worth a retry.
TRANSIENT_SUBCODES = {"siram_40"}


class LocalTransport(Transport):
    """Loads the WSDL's schemas from the plugin folder; refuses to fetch anything remote."""

    def load(self, url: str) -> bytes:
        if url in LOCAL_SCHEMAS:
            return LOCAL_SCHEMAS[url].read_bytes()
        if url.startswith(("http://", "https://")):
            raise OSError(f"refusing to fetch {url}: schemas are bundled")
        return super().load(url)


@functools.cache
def wsdl_client() -> Client:
    """The zeep client of the bundled WSDL (loaded once: parsing the schemas takes a while)."""
    settings = Settings(strict=True, forbid_dtd=True, forbid_entities=True, xml_huge_tree=False)
    return Client(str(WSDL), transport=LocalTransport(), settings=settings)


# --- the answer --------------------------------------------------------------------------------


@dataclass
class Resultat:
    """An INSi answer: the CR, and for CR 00 the active INS, its history and the traits."""

    cr: str
    label: str
    ins: Ins | None = None
    history: list[Ins] = field(default_factory=list)
    traits: Traits | None = None


class InsiError(Exception):
    """Any failure of a call; ``transient`` says whether a later try may succeed."""

    transient = False


@dataclass
class InsiFault(InsiError):
    """A SOAP fault from the service."""

    subcode: str
    code: str
    severity: str
    message: str

    def __post_init__(self) -> None:
        super().__init__(self.message)
        self.transient = self.subcode in TRANSIENT_SUBCODES


class InsiUnavailable(InsiError):
    """No usable answer: connection refused, HTTP 5xx without a SOAP fault, garbage."""

    transient = True


class InsiTimeout(InsiError):
    transient = True


def parse_resultat(root: etree._Element) -> Resultat:
    """The RESULTAT of a response envelope (or a bare RESULTAT). Read by name, not by position:
    the service's own responses do not always keep the schema's element order."""
    body = root.find(f"{{{SOAP12}}}Body")
    if body is not None:
        fault = body.find(f"{{{SOAP12}}}Fault")
        if fault is not None:
            raise parse_fault(fault)
        root = body.find(f"{{{RESULTAT}}}RESULTAT")
        if root is None:
            raise InsiUnavailable("the response body holds no RESULTAT")

    def text(node: etree._Element | None, name: str) -> str | None:
        value = node.findtext(f"{{{RESULTAT}}}{name}") if node is not None else None
        return value.strip() if value is not None else None

    cr = root.find(f"{{{RESULTAT}}}CR")
    result = Resultat(cr=text(cr, "CodeCR") or "", label=text(cr, "LibelleCR") or "")
    person = root.find(f"{{{RESULTAT}}}INDIVIDU")
    if person is None:
        return result

    def ins(node: etree._Element) -> Ins:
        ident = node.find(f"{{{RESULTAT}}}IdIndividu")
        number = (text(ident, "NumIdentifiant") or "") + (text(ident, "Cle") or "")
        start, end = xsd_date(text(node, "DateDeb")), xsd_date(text(node, "DateFin"))
        return Ins(number, text(node, "OID") or "", start, end)

    active = person.find(f"{{{RESULTAT}}}INSACTIF")
    result.ins = ins(active) if active is not None else None
    result.history = [ins(h) for h in person.findall(f"{{{RESULTAT}}}INSHISTO")]
    tiq = person.find(f"{{{RESULTAT}}}TIQ")
    if tiq is not None:
        names = (text(tiq, "ListePrenom") or text(tiq, "Prenom") or "").split()
        result.traits = Traits(
            birth_name=text(tiq, "NomNaissance") or "",
            first_names=names,
            first_name=text(tiq, "Prenom") or (names[0] if names else ""),
            sex=text(tiq, "Sexe") or "",
            birth_date=text(tiq, "DateNaissance") or "",
            birth_place=text(tiq, "LieuNaissance"),
        )
    return result


def xsd_date(value: str | None) -> str | None:
    """An ``xsd:date`` as the API serves a date, ``YYYY-MM-DD``: the XML type allows a time
    zone after it (``2019-03-01+01:00``), which means nothing for a day. ``None`` when absent
    or not a date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def parse_fault(fault: etree._Element) -> InsiFault:
    q = f"{{{SOAP12}}}"
    subcode = fault.findtext(f"{q}Code/{q}Subcode/{q}Value") or ""
    reason = fault.findtext(f"{q}Reason/{q}Text") or ""
    error = fault.find(f"{q}Detail/{{{SIRAM}}}Erreur")
    return InsiFault(
        subcode=subcode.split(":")[-1],
        code=error.get("code", "") if error is not None else "",
        severity=error.get("severite", "") if error is not None else "",
        message=(error.text or "").strip() if error is not None and error.text else reason,
    )


# --- the calls ----------------------------------------------------------------------------------


@dataclass
class Software:
    """The LPS identity sent in ContexteLPS."""

    idam: str
    idam_r: str
    name: str
    version: str
    instance: str


@dataclass
class Exchange:
    """One SOAP call, whatever its outcome, for the journal."""

    operation: str
    request: bytes
    response: bytes | None
    seconds: float
    result: Resultat | None = None
    error: InsiError | None = None
    attempt: int = 1  # the try this was, when transient failures were retried


class InsiClient:
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
    ) -> None:
        self.endpoint = endpoint
        self.session = session
        self.software = software
        self.signer = signer
        self.timeout = timeout
        self.retries = retries
        self.assertion_validity = assertion_validity
        self._assertions = PractitionerAssertions(signer, assertion_validity) if signer else None
        self._headers: dict[Practitioner, tuple[etree._Element | None, etree._Element]] = {}
        self._zeep = wsdl_client()

    async def search_traits(
        self, traits: Traits, first_names: list[str], practitioner: Practitioner
    ) -> list[Exchange]:
        body = {
            "NomNaissance": traits.birth_name,
            "Prenom": [" ".join(first_names)],
            "Sexe": traits.sex,
            "DateNaissance": traits.birth_date,
        }
        if traits.birth_place:
            body["LieuNaissance"] = traits.birth_place
        return await self._call(TRAITS_OPERATION, body, practitioner)

    async def search_vitale(self, vitale: dict, practitioner: Practitioner) -> list[Exchange]:
        def matricule(value: str) -> dict:
            return {"NumIdentifiant": value[:13], "Cle": value[13:]}

        body = {"MatriculeIndividu": matricule(vitale["nir"])}
        if vitale.get("nir_od"):
            body["MatriculeOD"] = matricule(vitale["nir_od"])
        if vitale.get("birth_name"):
            body["NomNaissance"] = vitale["birth_name"]
        body["DateNaissance"] = vitale["birth_date"]
        if vitale.get("rank"):
            body["RangNaissance"] = str(vitale["rank"])
        return await self._call(VITALE_OPERATION, body, practitioner)

    async def _call(self, operation: str, body: dict, practitioner: Practitioner) -> list[Exchange]:
        """Send, retrying transient failures; every try is returned for the journal. The last
        exchange holds the result, or the error that ended the tries."""
        first = await self._send(operation, body, practitioner)
        if first.error is None or not first.error.transient or self.retries == 0:
            return [first]  # the common case pays nothing for the retry machinery
        exchanges = [first]
        await asyncio.sleep(FIRST_RETRY_DELAY)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retries),
            wait=wait_exponential(multiplier=FIRST_RETRY_DELAY * 2, max=2),
            retry=retry_if_exception(lambda e: isinstance(e, InsiError) and e.transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    exchange = await self._send(operation, body, practitioner)
                    exchange.attempt = attempt.retry_state.attempt_number + 1
                    exchanges.append(exchange)
                    if exchange.error is not None:
                        raise exchange.error
        except InsiError:
            pass  # the last exchange carries it
        return exchanges

    async def _send(self, operation: str, body: dict, practitioner: Practitioner) -> Exchange:
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
                response = await reply.read()
                status = reply.status
        except TimeoutError:
            return Exchange(
                operation,
                request,
                None,
                time.perf_counter() - started,
                error=InsiTimeout(f"no answer within {self.timeout:g} s"),
            )
        except aiohttp.ClientError as exc:
            return Exchange(
                operation,
                request,
                None,
                time.perf_counter() - started,
                error=InsiUnavailable(f"cannot reach INSi: {exc}"),
            )
        seconds = time.perf_counter() - started
        try:
            result = parse_resultat(parse(response))
        except InsiError as exc:
            return Exchange(operation, request, response, seconds, error=exc)
        except XmlError as exc:
            error = InsiUnavailable(f"HTTP {status}, unreadable answer: {exc}")
            return Exchange(operation, request, response, seconds, error=error)
        return Exchange(operation, request, response, seconds, result=result)

    def envelope(self, operation: str, body: dict, practitioner: Practitioner) -> bytes:
        envelope = self._zeep.create_message(self._zeep.service, operation, **body)
        old = envelope.find(f"{{{SOAP12}}}Header")
        if old is not None:
            envelope.remove(old)
        header = copy.deepcopy(self._header(practitioner))
        envelope.insert(0, header)
        stamp = utc_now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        for context in (CTXBAM, CTXLPS):
            header.find(f"{{{context}}}*/{{{context}}}Id").text = str(new_uuid())
            header.find(f"{{{context}}}*/{{{context}}}Temps").text = stamp
        header.find(f"{{{WSA}}}MessageID").text = f"urn:uuid:{new_uuid()}"
        header.find(f"{{{WSA}}}Action").text = ACTIONS[operation]
        return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")

    def _header(self, practitioner: Practitioner) -> etree._Element:
        """The SOAP header for this practitioner, built once per assertion: each call copies it
        and fills in its own ids, time and action."""
        assertion = self.assertion(practitioner) if self.signer is not None else None
        cached = self._headers.get(practitioner)
        if cached is not None and cached[0] is assertion:
            return cached[1]
        header = etree.Element(f"{{{SOAP12}}}Header")
        bam = etree.SubElement(header, f"{{{CTXBAM}}}ContexteBAM", Version="01_02")
        for name in ("Id", "Temps"):
            _sub(bam, CTXBAM, name, "")
        _sub(bam, CTXBAM, "Emetteur", practitioner.national_id)
        etree.SubElement(bam, f"{{{CTXBAM}}}COUVERTURE")
        _sub(header, WSA, "MessageID", "")
        _sub(header, WSA, "Action", "")
        lps = etree.SubElement(header, f"{{{CTXLPS}}}ContexteLPS", Version="01_00")
        for name in ("Id", "Temps"):
            _sub(lps, CTXLPS, name, "")
        _sub(lps, CTXLPS, "Emetteur", practitioner.national_id)
        software = etree.SubElement(lps, f"{{{CTXLPS}}}LPS")
        _sub(software, CTXLPS, "IDAM", self.software.idam).set("R", self.software.idam_r)
        _sub(software, CTXLPS, "Version", self.software.version)
        _sub(software, CTXLPS, "Instance", self.software.instance)
        _sub(software, CTXLPS, "Nom", self.software.name)
        if assertion is not None:  # card mode; machine mode authenticates by TLS alone
            etree.SubElement(header, f"{{{WSSE}}}Security").append(copy.deepcopy(assertion))
        if len(self._headers) > 256:
            self._headers.clear()
        self._headers[practitioner] = (assertion, header)
        return header

    def assertion(self, practitioner: Practitioner) -> etree._Element:
        """The practitioner's signed assertion (one per practitioner, reused while valid)."""
        return self._assertions.get(practitioner)


def _sub(parent: etree._Element, ns: str, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    element.text = text
    return element
