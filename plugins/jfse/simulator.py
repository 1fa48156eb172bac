"""The jFSE simulator: a billing engine behind the JSON-over-HTTPS envelope known from public
integration material, on 127.0.0.1 over TLS. It is not the certified component and its answers
are not the Assurance Maladie's; it behaves like the engine so the plugin can be built and
tested against it.

The protocol, as the simulator serves it:

- ``GET /jfse-proxy/get-token?idJfse=&editorKey=&editorName=`` → ``{"token"}``; only
  :data:`EDITOR_KEY` is accepted (401 otherwise). A token lives ``token_validity`` seconds.
- ``POST /jfse-proxy/init`` with ``Authorization: Bearer <token>`` and the envelope
  ``{"integrator": {name, key, etablissement, os}, "method": {name, service, parameters,
  returnType, asynchronous}, "cardReader", "returnMode", "idJfse"}``. A missing, unknown or
  expired token is answered 403 (the software then fetches a new one). The answer is
  ``{"method", "response", "messages": [{severity, text}], "questions": [...],
  "errors": [{code, source, description}]}``; amounts are strings (``"30.00"``).
- Methods: ``FDS-initialiserFacture``, ``FDS-setNatureAssurance``, ``FDS-setParcoursSoins``,
  ``FDS-setCotation``, ``FDS-controlerFacture``, ``FDS-getDonneesFacture``,
  ``FDS-validerFacture``, ``FDS-annulerFacture``, ``NOE-envoyerLot``,
  ``NOE-getListeARLPositifs``, ``NOE-getListeARLNegatifs``, ``NOE-getListeVirements``,
  ``NOE-getListeFacturesTP``. Their parameter names are the simulator's (the real ones are not
  public); ``NOE-envoyerLot`` is a name of the simulator's own: the known material names no
  transmission call.

The books (invoices keyed by the software's invoice number, lots and their ARL, payment and
rejection notices, and the rules that move them) are in ``sim_books.py``; the amounts come from
the simulated engine, ``engine.py``.

Control routes: ``POST /_sim/faults`` (``latency`` seconds or ``latency_ms``, ``error_rate``,
``outage``, ``expire_tokens``, ``forbid``, ``unavailable``, ``arl_negative``, ``reject_payment``,
``apcv_expired``, ``question``), ``POST /_sim/clock`` ``{"offset": seconds}``, ``GET
/_sim/state``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any

from aiohttp import web

from aiguillage.plugin import MATRICULE, TestPki, serve_tls
from aiguillage.plugin import Faults as CommonFaults

from .engine import Cotation, Engine, EngineError, PricedLine, Split, check_codes
from .sim_books import Books, Faults, Invoice, Lot, SimError, from_engine

#: The editor key the simulator accepts: published, so any test setup can use it. The real
#: key is issued to the software's editor and is a secret.
EDITOR_KEY = "aiguillage-jfse-simulator-editor-key"

GET_TOKEN = "/jfse-proxy/get-token"
INIT = "/jfse-proxy/init"
MAX_REQUEST = 1024 * 1024
SECURING_MODES = ("apcv", "vitale", "degrade")

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NIR = re.compile(MATRICULE["pattern"])  # 13 characters (2A/2B) and the key
_BILLING_ID = re.compile(r"^[0-9A-Za-z]{9}$")
_DESTINATION = re.compile(r"^[0-9]{2}-[0-9]{3}-[0-9]{4}$")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


# --- reading parameters ----------------------------------------------------------------------


class Params:
    """A method's ``parameters``, read with the checks the engine makes."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def _bad(self, key: str, what: str) -> SimError:
        return SimError("PARAMETRE_INVALIDE", f"{self.prefix}{key} {what}", self.prefix + key)

    def text(self, key: str, pattern: re.Pattern | None = None) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            raise self._bad(key, "must be a non-empty string")
        if pattern is not None and not pattern.match(value):
            raise self._bad(key, f"does not match {pattern.pattern}")
        return value

    def optional(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        return self.text(key)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._bad(key, f"must be an integer from {low} to {high}")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            raise self._bad(key, "must be true or false")
        return value

    def day(self, key: str) -> dt.date:
        value = self.text(key, _DATE)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self._bad(key, "is not a date") from None

    def strings(self, key: str, limit: int = 500) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or len(value) > limit:
            raise self._bad(key, f"must be a list of at most {limit} strings")
        if not all(isinstance(v, str) and v for v in value):
            raise self._bad(key, "must hold non-empty strings")
        return tuple(value)

    def object(self, key: str) -> Params:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise self._bad(key, "must be an object")
        return Params(value, f"{self.prefix}{key}.")


# --- the server ------------------------------------------------------------------------------


@dataclass
class Token:
    id_jfse: int
    expires_at: dt.datetime


class JfseSimulator:
    def __init__(
        self,
        *,
        pki: TestPki,
        faults: CommonFaults | None = None,
        seed: int | None = None,
        ack_delay: tuple[float, float] = (0.05, 0.3),
        return_delay: tuple[float, float] = (0.1, 0.5),
        token_validity: float = 600,
    ) -> None:
        self.pki = pki
        if faults is not None and not isinstance(faults, Faults):
            # The common faults (from the plugin's config keys): keep them, add jFSE's own.
            faults = Faults(
                latency_ms=faults.latency_ms,
                error_rate=faults.error_rate,
                outage=faults.outage,
                seed=faults.seed,
            )
        self.faults = faults or Faults()
        self.token_validity = token_validity
        self.clock_offset = 0.0
        self.tokens: dict[str, Token] = {}
        self.calls: dict[str, int] = {}
        self.books = Books(Engine(), self.faults, Random(seed), ack_delay, return_delay, self.now)
        self._runner: web.AppRunner | None = None
        self.methods: dict[str, Callable[[Params], dict[str, Any]]] = {
            "FDS-initialiserFacture": self.initialiser_facture,
            "FDS-setNatureAssurance": self.set_nature_assurance,
            "FDS-setParcoursSoins": self.set_parcours_soins,
            "FDS-setCotation": self.set_cotation,
            "FDS-controlerFacture": self.controler_facture,
            "FDS-getDonneesFacture": self.get_donnees_facture,
            "FDS-validerFacture": self.valider_facture,
            "FDS-annulerFacture": self.annuler_facture,
            "NOE-envoyerLot": self.envoyer_lot,
            "NOE-getListeARLPositifs": self.arl_positifs,
            "NOE-getListeARLNegatifs": self.arl_negatifs,
            "NOE-getListeVirements": self.virements,
            "NOE-getListeFacturesTP": self.factures_tp,
        }

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.clock_offset)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port); the base URL (the software appends
        ``/jfse-proxy/…``)."""
        app = web.Application(client_max_size=MAX_REQUEST)
        app.router.add_get(GET_TOKEN, self.get_token)
        app.router.add_post(INIT, self.init)
        app.router.add_post("/_sim/faults", self.set_faults)
        app.router.add_post("/_sim/clock", self.set_clock)
        app.router.add_get("/_sim/state", self.state)
        # The engine authenticates the software by its editor key and token, not by a TLS
        # client certificate: none is asked for.
        self._runner, bound = await serve_tls(
            app, host, port, self.pki.p12("server"), self.pki.password, None
        )
        return f"https://{host}:{bound}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- control routes ------------------------------------------------------------------------

    async def set_faults(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            self.faults.update(body)
        except ValueError as exc:  # JSONDecodeError is one
            return web.json_response({"error": str(exc)}, status=400)
        if body.get("expire_tokens"):
            self.tokens.clear()
        return await self.state(request)

    async def set_clock(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            self.clock_offset = float(body["offset"])
        except (ValueError, KeyError, TypeError) as exc:
            return web.json_response(
                {"error": f"expected {{'offset': seconds}}: {exc}"}, status=400
            )
        return await self.state(request)

    async def state(self, request: web.Request) -> web.Response:
        self.books.settle()
        return web.json_response(
            {
                "calls": self.calls,
                "tokens": len(self.tokens),
                "clock_offset": self.clock_offset,
                **self.books.state(),
                "faults": self.faults.state(),
            }
        )

    # --- the proxy ----------------------------------------------------------------------------

    def _count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    async def _disturbed(self) -> web.Response | None:
        disturbed = await self.faults.disturb()
        if disturbed is not None:
            return disturbed
        if self.faults.outage or self.faults.take("unavailable"):
            return _answer(
                errors=[
                    SimError(
                        "SERVICE_INDISPONIBLE",
                        "the billing engine is unavailable, try again later",
                        "jfse-proxy",
                    )
                ],
                status=503,
            )
        return None

    async def get_token(self, request: web.Request) -> web.Response:
        self._count("get-token")
        disturbed = await self._disturbed()
        if disturbed is not None:
            return disturbed
        query = request.query
        try:
            id_jfse = int(query.get("idJfse", ""))
        except ValueError:
            id_jfse = 0
        if id_jfse < 1 or not query.get("editorName", "").strip():
            return _answer(
                errors=[
                    SimError(
                        "PARAMETRE_INVALIDE",
                        "idJfse (a positive integer) and editorName are required",
                        "get-token",
                    )
                ],
                status=400,
            )
        if not secrets.compare_digest(query.get("editorKey", "").encode(), EDITOR_KEY.encode()):
            return _answer(
                errors=[SimError("AUTHENTIFICATION", "unknown editor key", "editorKey")],
                status=401,
            )
        token = secrets.token_urlsafe(32)
        now = self.now()
        for stale in [t for t, v in self.tokens.items() if v.expires_at <= now]:
            del self.tokens[stale]
        self.tokens[token] = Token(id_jfse, now + dt.timedelta(seconds=self.token_validity))
        return web.json_response({"token": token})

    async def init(self, request: web.Request) -> web.Response:
        self._count("init")
        disturbed = await self._disturbed()
        if disturbed is not None:
            return disturbed
        token = self._token(request.headers.get("Authorization", ""))
        if token is None or self.faults.take("forbid"):
            return _answer(
                errors=[
                    SimError(
                        "JETON_INVALIDE",
                        "the token is missing, unknown or expired: get a new one",
                        "Authorization",
                    )
                ],
                status=403,
            )
        if request.content_type != "application/json":
            return _answer(
                errors=[SimError("ENVELOPPE_INVALIDE", "expected application/json", "init")],
                status=415,
            )
        try:
            envelope = await request.json()
            name, parameters = self._envelope(envelope, token)
        except ValueError as exc:  # JSONDecodeError is one
            return _answer(errors=[SimError("ENVELOPPE_INVALIDE", str(exc), "init")], status=400)
        except SimError as exc:
            return _answer(name="", errors=[exc], status=exc.status)
        self._count(name)
        if self.faults.take("question"):
            return _answer(
                name=name,
                questions=[
                    {
                        "identifiant": "Q-SIM-1",
                        "libelle": "Le patient a-t-il été informé du montant restant à sa charge ?",
                        "reponses": ["oui", "non"],
                    }
                ],
            )
        self.books.settle()
        try:
            response = self.methods[name](Params(parameters))
        except SimError as exc:
            return _answer(name=name, errors=[exc], status=exc.status)
        messages = response.pop("_messages", [])
        return _answer(name=name, response=response, messages=messages)

    def _token(self, header: str) -> Token | None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = self.tokens.get(value.strip())
        if token is None or token.expires_at <= self.now():
            return None
        return token

    def _envelope(self, envelope: Any, token: Token) -> tuple[str, dict[str, Any]]:
        if not isinstance(envelope, dict):
            raise ValueError("the envelope must be a JSON object")
        integrator = envelope.get("integrator")
        if not isinstance(integrator, dict) or not all(
            isinstance(integrator.get(k), str) for k in ("name", "key", "etablissement", "os")
        ):
            raise ValueError("integrator {name, key, etablissement, os} is required")
        if not secrets.compare_digest(integrator["key"].encode(), EDITOR_KEY.encode()):
            raise SimError("AUTHENTIFICATION", "unknown editor key", "integrator.key", 401)
        if envelope.get("idJfse") != token.id_jfse:
            raise SimError(
                "AUTHENTIFICATION", "idJfse is not the one the token was issued for", "idJfse", 401
            )
        for key in ("cardReader", "returnMode"):
            if not isinstance(envelope.get(key), dict):
                raise ValueError(f"{key} must be an object")
        method = envelope.get("method")
        if not isinstance(method, dict) or not isinstance(method.get("name"), str):
            raise ValueError("method {name, service, parameters…} is required")
        if method["name"] not in self.methods:
            raise SimError("METHODE_INCONNUE", f"unknown method {method['name']!r}", "method.name")
        if method.get("service") is not True or method.get("asynchronous") is not False:
            raise SimError(
                "PARAMETRE_INVALIDE",
                "the simulator serves synchronous service calls only",
                "method.asynchronous",
            )
        if method.get("returnType") not in ("", "PDF"):
            raise SimError("PARAMETRE_INVALIDE", "returnType is '' or 'PDF'", "method.returnType")
        parameters = method.get("parameters")
        if not isinstance(parameters, dict):
            raise ValueError("method.parameters must be an object")
        return method["name"], parameters

    # --- FDS: invoices ------------------------------------------------------------------------

    def initialiser_facture(self, p: Params) -> dict[str, Any]:
        ps = p.object("ps")
        who = p.object("beneficiaire")
        third = p.object("tiersPayant")
        insured = {
            "nir": who.text("nir", _NIR),
            "nir_od": who.text("nirOuvrantDroit", _NIR),
            "birth_name": who.text("nomNaissance"),
            "first_name": who.text("prenom"),
            "birth_date": who.text("dateNaissance", _DATE),
            "rank": who.integer("rang", 1, 9),
            "regime": who.text("regime", re.compile(r"^[0-9]{2}$")),
            "caisse": who.text("caisse", re.compile(r"^[0-9]{3}$")),
            "centre": who.text("centre", re.compile(r"^[0-9]{4}$")),
            "exonerations": who.strings("exonerations", 20),
        }
        invoice = Invoice(
            number=p.text("numeroFacture"),
            date=p.day("dateFacture"),
            biller={
                "billing_id": ps.text("numeroFacturation", _BILLING_ID),
                "national_id": ps.text("identifiantNational"),
                "name": ps.text("nom"),
                "specialty": ps.text("specialite", re.compile(r"^[0-9]{2}$")),
            },
            insured=insured,
            third_party_amo=third.flag("amo"),
            third_party_amc=third.flag("amc"),
        )
        self.books.open(invoice)
        return {"numeroFacture": invoice.number, "etat": invoice.state}

    def set_nature_assurance(self, p: Params) -> dict[str, Any]:
        invoice = self.books.pending(p.text("numeroFacture"))
        nature, exoneration = p.text("natureAssurance"), p.optional("exoneration")
        try:
            check_codes(invoice.pathway, nature, exoneration)
        except EngineError as exc:
            raise from_engine(exc) from None
        invoice.nature, invoice.exoneration = nature, exoneration
        return {
            "numeroFacture": invoice.number,
            "natureAssurance": nature,
            "exoneration": exoneration,
        }

    def set_parcours_soins(self, p: Params) -> dict[str, Any]:
        invoice = self.books.pending(p.text("numeroFacture"))
        pathway = p.text("parcours")
        try:
            check_codes(pathway, invoice.nature, invoice.exoneration)
        except EngineError as exc:
            raise from_engine(exc) from None
        invoice.pathway = pathway
        return {"numeroFacture": invoice.number, "parcours": pathway}

    def set_cotation(self, p: Params) -> dict[str, Any]:
        invoice = self.books.pending(p.text("numeroFacture"))
        line = p.integer("ligne", 1, 99)
        act = Cotation(
            p.text("code"),
            p.integer("quantite", 1, 99),
            p.strings("modificateurs", 10),
        )
        try:
            priced = self.books.engine.price_line(act, invoice.date)
        except EngineError as exc:
            raise from_engine(exc) from None
        invoice.lines[line] = priced  # a line set again replaces it: a retry adds nothing
        return _line(line, priced)

    def controler_facture(self, p: Params) -> dict[str, Any]:
        invoice = self.books.invoice(p.text("numeroFacture"))
        split = self._split(invoice)
        return {
            "numeroFacture": invoice.number,
            "controle": "OK",
            "_messages": [{"severity": s, "text": t} for s, t in split.messages],
        }

    def get_donnees_facture(self, p: Params) -> dict[str, Any]:
        return self._facture(self.books.invoice(p.text("numeroFacture")))

    def valider_facture(self, p: Params) -> dict[str, Any]:
        number = p.text("numeroFacture")
        mode = p.text("modeSecurisation")
        if mode not in SECURING_MODES:
            raise SimError(
                "PARAMETRE_INVALIDE",
                f"modeSecurisation must be one of {', '.join(SECURING_MODES)}",
                "modeSecurisation",
            )
        proof = p.data.get("apcv")
        if proof is not None and not isinstance(proof, dict):
            raise SimError("PREUVE_APCV_INVALIDE", "apcv must be an object", "apcv")
        invoice = self.books.validate(number, mode, proof)
        return self._facture(invoice)

    def annuler_facture(self, p: Params) -> dict[str, Any]:
        invoice = self.books.cancel(p.text("numeroFse"))
        return {"numeroFse": invoice.fse, "etat": invoice.state}

    def _split(self, invoice: Invoice) -> Split:
        if invoice.split is not None:
            return invoice.split
        try:
            return self.books.engine.split(invoice.case())
        except EngineError as exc:
            raise from_engine(exc) from None

    def _facture(self, invoice: Invoice) -> dict[str, Any]:
        split = self._split(invoice)
        return {
            "numeroFacture": invoice.number,
            "etat": invoice.state,
            "lignes": [_line(n, invoice.lines[n]) for n in sorted(invoice.lines)],
            "total": _amount(split.total),
            "tauxAmo": split.amo_rate,
            "participationForfaitaire": _amount(split.participation),
            "partAmo": _amount(split.amo_due),
            "partAmc": _amount(split.amc_due),
            "partPatient": _amount(split.patient_due),
            "destinataire": invoice.destination,
            "numeroFse": invoice.fse,
            "modeSecurisation": invoice.mode,
            "dateSecurisation": invoice.secured_at.isoformat() if invoice.secured_at else None,
            "numeroLot": invoice.lot,
            "_messages": [{"severity": s, "text": t} for s, t in split.messages],
        }

    # --- NOE: lots and returns ----------------------------------------------------------------

    def envoyer_lot(self, p: Params) -> dict[str, Any]:
        lot = self.books.transmit(
            p.text("numeroLot"), p.text("destinataire", _DESTINATION), p.strings("fses")
        )
        return _lot(lot)

    def arl_positifs(self, p: Params) -> dict[str, Any]:
        lots = self._lots(p)
        return {
            "arl": [
                {"numeroLot": lot.number, "date": lot.ack_at.isoformat()}
                for lot in lots
                if lot.state == "accepted"
            ]
        }

    def arl_negatifs(self, p: Params) -> dict[str, Any]:
        # Only the last transmission's ARL is kept: a lot sent anew after an ARL− has none
        # until its new one comes.
        lots = self._lots(p)
        return {
            "arl": [
                {
                    "numeroLot": lot.number,
                    "date": lot.ack_at.isoformat(),
                    "motif": lot.reason,
                    "fsesRejetees": list(lot.rejected),
                }
                for lot in lots
                if lot.state == "rejected"
            ]
        }

    def _lots(self, p: Params) -> list[Lot]:
        number = p.optional("numeroLot")
        if number is not None:
            return [self.books.lot(number)]
        return list(self.books.lots.values())

    def virements(self, p: Params) -> dict[str, Any]:
        after = p.integer("apres", 0, 2**53)
        return {
            "virements": [
                {
                    "sequence": n.sequence,
                    "numeroFse": n.fse,
                    "part": n.part,
                    "date": n.at.isoformat(),
                    "montant": _amount(n.amount),
                    "payeur": n.payer,
                }
                for n in self.books.notices[after:]
                if n.kind == "payment"
            ],
            "dernierSequence": len(self.books.notices),
        }

    def factures_tp(self, p: Params) -> dict[str, Any]:
        after = p.integer("apres", 0, 2**53)
        return {
            "factures": [
                {
                    "sequence": n.sequence,
                    "numeroFse": n.fse,
                    "part": n.part,
                    "etat": "PAID" if n.kind == "payment" else "REJECTED",
                    "date": n.at.isoformat(),
                    "montant": _amount(n.amount),
                    "code": n.code,
                    "libelle": n.label,
                }
                for n in self.books.notices[after:]
            ],
            "dernierSequence": len(self.books.notices),
        }


def _line(number: int, line: PricedLine) -> dict[str, Any]:
    return {
        "ligne": number,
        "code": line.code,
        "libelle": line.label,
        "quantite": line.quantity,
        "modificateurs": list(line.modifiers),
        "prixUnitaire": _amount(line.unit_price),
        "montant": _amount(line.amount),
    }


def _lot(lot: Lot) -> dict[str, Any]:
    return {
        "numeroLot": lot.number,
        "destinataire": lot.destination,
        "fses": list(lot.fses),
        "etat": lot.state,
        "dateTransmission": lot.transmitted_at.isoformat(),
        "dateARL": lot.ack_at.isoformat() if lot.state != "transmitted" else None,
        "motif": lot.reason if lot.state == "rejected" else "",
        "fsesRejetees": list(lot.rejected) if lot.state == "rejected" else [],
    }


def _answer(
    *,
    name: str = "",
    response: dict[str, Any] | None = None,
    messages: list[dict[str, str]] | None = None,
    questions: list[dict[str, Any]] | None = None,
    errors: list[SimError] | None = None,
    status: int = 200,
) -> web.Response:
    return web.json_response(
        {
            "method": name,
            "response": response,
            "messages": messages or [],
            "questions": questions or [],
            "errors": [e.entry() for e in errors or []],
        },
        status=status,
    )
