"""``JsonBackend``: the billing engine over the JSON-over-HTTPS envelope known from public jFSE
integration material (there is no published specification: the method names come from that
material, the parameter names are the simulator's; an adapter to the real engine changes them
here and nowhere else).

- ``GET {endpoint}/jfse-proxy/get-token?idJfse=&editorKey=&editorName=`` → ``{"token"}``.
- ``POST {endpoint}/jfse-proxy/init`` with ``Authorization: Bearer <token>`` and the envelope
  ``{"integrator", "method": {"name", "service", "parameters", "returnType", "asynchronous"},
  "cardReader", "returnMode", "idJfse"}``. A 403 means the token is stale: it is fetched again
  once and the call repeated; a second 403 is an ``auth`` error.
- The answer's ``errors[]`` become a ``JfseError`` (its code from the engine's error code, the
  ``source`` of each error translated to the draft's field where the engine names one);
  ``questions[]`` the connector cannot answer are an ``invalid`` error; ``messages[]`` go with
  the priced invoice.
- Transient failures (no connection, 5xx, timeout) are retried with tenacity; an answer that
  cannot be read (not JSON, no ``response``, a field missing or of the wrong type) is
  ``malformed`` and is not. Every HTTP call is one ``Exchange``, the editor key and tokens
  blanked out (the journal keeps exchanges).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import platform
import re
import time
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import aiohttp
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from .backend import (
    ApcvProof,
    Draft,
    Exchange,
    JfseError,
    Line,
    LotStatus,
    LotToSend,
    Message,
    Priced,
    Return,
    Secured,
    SecuringMode,
)

GET_TOKEN = "/jfse-proxy/get-token"
INIT = "/jfse-proxy/init"
#: Seconds before the first retry of a transient failure; later ones wait twice as long each.
FIRST_RETRY_DELAY = 0.2
HIDDEN = "***"

INIT_INVOICE = "FDS-initialiserFacture"
SET_NATURE = "FDS-setNatureAssurance"
SET_PATHWAY = "FDS-setParcoursSoins"
SET_ACT = "FDS-setCotation"
CHECK = "FDS-controlerFacture"
GET_INVOICE = "FDS-getDonneesFacture"
VALIDATE = "FDS-validerFacture"
CANCEL = "FDS-annulerFacture"
# The known material names no transmission call: this one is the simulator's.
SEND_LOT = "NOE-envoyerLot"
POSITIVE_ARLS = "NOE-getListeARLPositifs"
NEGATIVE_ARLS = "NOE-getListeARLNegatifs"
PAYMENTS = "NOE-getListeVirements"
TP_INVOICES = "NOE-getListeFacturesTP"

#: The engine's error codes that are not plain refusals (``invalid``).
ERROR_CODES = {
    "FACTURE_INCONNUE": "not-found",
    "FSE_INCONNUE": "not-found",
    "LOT_INCONNU": "not-found",
    "ETAT_FACTURE": "state",
    "CONTEXTE_APCV_EXPIRE": "apcv-expired",
    "AUTHENTIFICATION": "auth",
    "JETON_INVALIDE": "auth",
    "SERVICE_INDISPONIBLE": "unavailable",
}
#: The engine's parameters as the draft's fields, so a refusal names what the user gave.
FIELDS = {
    "dateFacture": "date",
    "natureAssurance": "insurance_nature",
    "exoneration": "exoneration",
    "parcours": "care_pathway",
    "tiersPayant": "third_party_payment",
    "tiersPayant.amo": "third_party_payment.amo",
    "tiersPayant.amc": "third_party_payment.amc",
    "ps.numeroFacturation": "practitioner.billing_id",
    "ps.identifiantNational": "practitioner.national_id",
    "ps.nom": "practitioner.name",
    "ps.specialite": "practitioner.specialty",
    "beneficiaire.nir": "beneficiary.nir",
    "beneficiaire.nirOuvrantDroit": "beneficiary.nir_od",
    "beneficiaire.nomNaissance": "beneficiary.birth_name",
    "beneficiaire.prenom": "beneficiary.first_name",
    "beneficiaire.dateNaissance": "beneficiary.birth_date",
    "beneficiaire.rang": "beneficiary.rank",
    "beneficiaire.regime": "beneficiary.regime",
    "beneficiaire.caisse": "beneficiary.caisse",
    "beneficiaire.centre": "beneficiary.centre",
    "beneficiaire.exonerations": "beneficiary.exonerations",
    "cotation": "acts",
}
_ACT_FIELD = re.compile(r"^cotation\.(code|quantite|modificateurs)(\[[0-9]+\])?$")
_ACT_NAMES = {"code": "code", "quantite": "quantity", "modificateurs": "modifiers"}
MODES: dict[SecuringMode, str] = {"apcv": "apcv", "vitale": "vitale", "degraded": "degrade"}
WIRE_MODES: dict[str, SecuringMode] = {wire: mode for mode, wire in MODES.items()}


def field_of(source: str, act: int | None = None) -> str:
    """The draft's field an engine error's ``source`` names (``act``: the index of the act the
    call was about); an unknown source is kept as it is."""
    match = _ACT_FIELD.match(source)
    if match and act is not None:
        return f"acts[{act}].{_ACT_NAMES[match[1]]}{match[2] or ''}"
    return FIELDS.get(source, source)


class JsonBackend:
    """The ``JfseBackend`` of an engine reached over HTTPS. It owns ``session`` from now on
    (``aclose`` closes it)."""

    def __init__(
        self,
        *,
        endpoint: str,
        session: aiohttp.ClientSession,
        id_jfse: int,
        editor_name: str,
        editor_key: str,
        etablissement: str,
        timeout: float,
        retries: int,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.session = session
        self.id_jfse = id_jfse
        self.editor_name = editor_name
        self.editor_key = editor_key
        self.etablissement = etablissement
        self.timeout = timeout
        self.retries = retries
        self._token: str | None = None
        self._token_lock = asyncio.Lock()

    # --- the backend ------------------------------------------------------------------------

    async def price(self, draft: Draft, exchanges: list[Exchange]) -> Priced:
        """``FDS-initialiserFacture``, ``-setNatureAssurance``, ``-setParcoursSoins``,
        ``-setCotation`` per act, ``-controlerFacture``, ``-getDonneesFacture``."""
        number = draft.number
        insured = draft.insured
        messages: list[Message] = []
        await self._call(
            INIT_INVOICE,
            {
                "numeroFacture": number,
                "dateFacture": draft.date,
                "ps": {
                    "numeroFacturation": draft.biller.billing_id,
                    "identifiantNational": draft.biller.national_id,
                    "nom": draft.biller.name,
                    "specialite": draft.biller.specialty,
                },
                "beneficiaire": {
                    "nir": insured.nir,
                    "nirOuvrantDroit": insured.nir_od,
                    "nomNaissance": insured.birth_name,
                    "prenom": insured.first_name,
                    "dateNaissance": insured.birth_date,
                    "rang": insured.rank,
                    "regime": insured.regime,
                    "caisse": insured.caisse,
                    "centre": insured.centre,
                    "exonerations": list(insured.exonerations),
                },
                "tiersPayant": {"amo": draft.third_party_amo, "amc": draft.third_party_amc},
            },
            exchanges,
            messages,
        )
        await self._call(
            SET_NATURE,
            {
                "numeroFacture": number,
                "natureAssurance": draft.insurance_nature,
                "exoneration": draft.exoneration,
            },
            exchanges,
            messages,
        )
        await self._call(
            SET_PATHWAY,
            {"numeroFacture": number, "parcours": draft.care_pathway},
            exchanges,
            messages,
        )
        for n, act in enumerate(draft.acts):
            await self._call(
                SET_ACT,
                {
                    "numeroFacture": number,
                    # The line's place: setting it again replaces it, so a retried call does
                    # not bill the act twice.
                    "ligne": n + 1,
                    "code": act.code,
                    "quantite": act.quantity,
                    "modificateurs": list(act.modifiers),
                },
                exchanges,
                messages,
                act=n,
            )
        await self._call(CHECK, {"numeroFacture": number}, exchanges, messages)
        data = await self._call(GET_INVOICE, {"numeroFacture": number}, exchanges, messages)
        return _priced(data, _unique(messages))

    async def secure(
        self,
        draft: Draft,
        mode: SecuringMode,
        apcv: ApcvProof | None,
        exchanges: list[Exchange],
    ) -> Secured:
        """``FDS-validerFacture``. When the engine no longer knows the invoice (it was
        restarted since pricing), the invoice is priced again first."""
        parameters = {
            "numeroFacture": draft.number,
            "modeSecurisation": MODES[mode],
            "apcv": None
            if apcv is None
            else {
                "idContexte": apcv.context_id,
                "empreinte": apcv.digest,
                "signature": apcv.signature,
                "dateSignature": apcv.signed_at,
            },
        }
        messages: list[Message] = []
        try:
            data = await self._call(VALIDATE, parameters, exchanges, messages)
        except JfseError as exc:
            if exc.code != "not-found":
                raise
            await self.price(draft, exchanges)
            data = await self._call(VALIDATE, parameters, exchanges, messages)
        try:
            return Secured(
                fse_number=_text(data, "numeroFse"),
                mode=WIRE_MODES[data["modeSecurisation"]],
                secured_at=_time(data["dateSecurisation"]),
                destination=_text(data, "destinataire"),
                priced=_priced(data, _unique(messages)),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise _garbage(VALIDATE, exc) from None

    async def cancel(self, fse_number: str, exchanges: list[Exchange]) -> None:
        """``FDS-annulerFacture``."""
        await self._call(CANCEL, {"numeroFse": fse_number}, exchanges)

    async def transmit(self, lot: LotToSend, exchanges: list[Exchange]) -> LotStatus:
        """``NOE-envoyerLot`` (the simulator's name for the transmission)."""
        data = await self._call(
            SEND_LOT,
            {
                "numeroLot": lot.number,
                "destinataire": lot.destination,
                "fses": list(lot.fse_numbers),
            },
            exchanges,
        )
        try:
            state = data["etat"]
            if state not in ("transmitted", "accepted", "rejected"):
                raise ValueError(f"unknown lot state {state!r}")
            return LotStatus(
                number=_text(data, "numeroLot"),
                state=state,
                acknowledged_at=_time(data["dateARL"]) if data.get("dateARL") else None,
                reason=str(data.get("motif") or ""),
                rejected=tuple(str(f) for f in data.get("fsesRejetees") or ()),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise _garbage(SEND_LOT, exc) from None

    async def lot_status(self, number: str, exchanges: list[Exchange]) -> LotStatus:
        """``NOE-getListeARLPositifs``, then ``NOE-getListeARLNegatifs`` when there is no
        ARL+."""
        try:
            positive = await self._call(POSITIVE_ARLS, {"numeroLot": number}, exchanges)
            for arl in positive["arl"]:
                if arl["numeroLot"] == number:
                    return LotStatus(number, "accepted", acknowledged_at=_time(arl["date"]))
            negative = await self._call(NEGATIVE_ARLS, {"numeroLot": number}, exchanges)
            for arl in negative["arl"]:
                if arl["numeroLot"] == number:
                    return LotStatus(
                        number,
                        "rejected",
                        acknowledged_at=_time(arl["date"]),
                        reason=str(arl.get("motif") or ""),
                        rejected=tuple(str(f) for f in arl.get("fsesRejetees") or ()),
                    )
        except (KeyError, ValueError, TypeError) as exc:
            raise _garbage(POSITIVE_ARLS, exc) from None
        return LotStatus(number, "transmitted")

    async def returns(self, after: int, exchanges: list[Exchange]) -> list[Return]:
        """``NOE-getListeVirements`` (payments) and ``NOE-getListeFacturesTP`` (rejections),
        merged by sequence."""
        payments = await self._call(PAYMENTS, {"apres": after}, exchanges)
        invoices = await self._call(TP_INVOICES, {"apres": after}, exchanges)
        try:
            # Notices may come between the two calls: keep only those the first answer could
            # have listed, so none is skipped when ``after`` moves past them.
            cutoff = int(payments["dernierSequence"])
            found: dict[int, Return] = {}
            for p in payments["virements"]:
                found[int(p["sequence"])] = Return(
                    sequence=int(p["sequence"]),
                    fse_number=str(p["numeroFse"]),
                    kind="payment",
                    part=_part(p["part"]),
                    at=_time(p["date"]),
                    amount=_money(p["montant"]),
                    payer=str(p.get("payeur") or ""),
                )
            for r in invoices["factures"]:
                if r["etat"] != "REJECTED":
                    continue
                found[int(r["sequence"])] = Return(
                    sequence=int(r["sequence"]),
                    fse_number=str(r["numeroFse"]),
                    kind="rejection",
                    part=_part(r["part"]),
                    at=_time(r["date"]),
                    amount=_money(r.get("montant") or "0.00"),
                    code=str(r.get("code") or ""),
                    label=str(r.get("libelle") or ""),
                )
        except (KeyError, ValueError, TypeError) as exc:
            raise _garbage(PAYMENTS, exc) from None
        return [found[s] for s in sorted(found) if after < s <= cutoff]

    async def aclose(self) -> None:
        await self.session.close()

    # --- the envelope -----------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        parameters: dict[str, Any],
        exchanges: list[Exchange],
        messages: list[Message] | None = None,
        *,
        act: int | None = None,
    ) -> dict[str, Any]:
        """Call ``method``, retrying transient failures; its ``response``. The engine's
        messages are added to ``messages``."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential(multiplier=FIRST_RETRY_DELAY, max=2),
            retry=retry_if_exception(lambda e: isinstance(e, JfseError) and e.transient),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                answer = await self._post(method, parameters, exchanges, act)
        if messages is not None:
            messages.extend(_messages(answer))
        response = answer.get("response")
        if not isinstance(response, dict):
            raise JfseError("malformed", f"{method}: the engine's answer has no response")
        return response

    async def _post(
        self, method: str, parameters: dict[str, Any], exchanges: list[Exchange], act: int | None
    ) -> dict[str, Any]:
        """One call; on 403 the token is fetched again and the call made once more."""
        for fresh in (False, True):
            token = await self._current_token(exchanges, stale=None)
            status, answer = await self._send(method, parameters, token, exchanges)
            if status != 403:
                break
            if fresh:
                raise JfseError(
                    "auth",
                    f"{method}: the engine refuses the integrator even with a new token: "
                    + _descriptions(answer, "HTTP 403"),
                    errors=_errors(answer, act),
                )
            await self._current_token(exchanges, stale=token)
        return _check(method, status, answer, act)

    async def _send(
        self, method: str, parameters: dict[str, Any], token: str, exchanges: list[Exchange]
    ) -> tuple[int, Any]:
        envelope = {
            "integrator": {
                "name": self.editor_name,
                "key": self.editor_key,
                "etablissement": self.etablissement,
                "os": platform.system() or "unknown",
            },
            "method": {
                "name": method,
                "service": True,
                "parameters": parameters,
                "returnType": "",
                "asynchronous": False,
            },
            "cardReader": {},
            "returnMode": {},
            "idJfse": self.id_jfse,
        }
        body = json.dumps(envelope, ensure_ascii=False).encode()
        shown = {**envelope, "integrator": {**envelope["integrator"], "key": HIDDEN}}
        recorded = json.dumps(shown, ensure_ascii=False).encode()
        return await self._http(
            "POST",
            self.endpoint + INIT,
            method,
            recorded,
            exchanges,
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )

    async def _current_token(self, exchanges: list[Exchange], stale: str | None) -> str:
        """The token to use; a new one when there is none or it is ``stale`` (unless another
        call already replaced it)."""
        async with self._token_lock:
            if self._token is not None and self._token != stale:
                return self._token
            self._token = None
            query = {
                "idJfse": self.id_jfse,
                "editorKey": self.editor_key,
                "editorName": self.editor_name,
            }
            shown = urlencode({**query, "editorKey": HIDDEN})
            status, answer = await self._http(
                "GET",
                f"{self.endpoint}{GET_TOKEN}?{urlencode(query)}",
                "get-token",
                f"GET {GET_TOKEN}?{shown}".encode(),
                exchanges,
            )
            if status in (401, 403):
                raise JfseError(
                    "auth",
                    "the engine refuses the editor's credentials: "
                    + _descriptions(answer, "check id_jfse, editor_name and editor_key"),
                    errors=_errors(answer, None),
                )
            _check("get-token", status, answer, None)
            token = answer.get("token") if isinstance(answer, dict) else None
            if not isinstance(token, str) or not token:
                raise JfseError("malformed", "get-token answered no token")
            self._token = token
            return token

    async def _http(
        self,
        verb: str,
        url: str,
        method: str,
        recorded: bytes,
        exchanges: list[Exchange],
        **kwargs: Any,
    ) -> tuple[int, Any]:
        """One HTTP exchange, recorded; ``(status, parsed JSON or None)``."""
        started = time.perf_counter()
        exchange = Exchange(method, recorded, None, 0.0)
        exchanges.append(exchange)
        try:
            async with self.session.request(
                verb, url, timeout=aiohttp.ClientTimeout(total=self.timeout), **kwargs
            ) as reply:
                raw = await reply.read()
                status = reply.status
        except TimeoutError:
            exchange.seconds = time.perf_counter() - started
            raise JfseError("timeout", f"{method}: no answer within {self.timeout:g} s") from None
        except aiohttp.ClientError as exc:
            exchange.seconds = time.perf_counter() - started
            raise JfseError("unavailable", f"{method}: cannot reach the engine: {exc}") from None
        exchange.seconds = time.perf_counter() - started
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if method == "get-token" and isinstance(answer, dict) and "token" in answer:
            exchange.response = json.dumps({**answer, "token": HIDDEN}).encode()
        else:
            exchange.response = raw
        return status, answer


# --- reading answers ----------------------------------------------------------------------------


def _check(method: str, status: int, answer: Any, act: int | None) -> dict[str, Any]:
    """The answer when it carries a result; else the ``JfseError`` it means."""
    if status >= 500:
        raise JfseError(
            "unavailable",
            f"{method}: HTTP {status}: " + _descriptions(answer, "the engine failed"),
            errors=_errors(answer, act),
        )
    if status == 404:
        raise JfseError("unavailable", f"{method}: HTTP 404, no jFSE proxy at this endpoint")
    if not isinstance(answer, dict):
        # Something answered, but not the engine's envelope: asking again reads the same.
        raise JfseError("malformed", f"{method}: HTTP {status}, the answer is not JSON")
    errors = _errors(answer, act)
    if errors:
        code = ERROR_CODES.get(errors[0]["code"], "invalid")
        detail = "; ".join(e["description"] or e["code"] for e in errors)
        raise JfseError(code, detail, errors=errors)
    questions = answer.get("questions") or []
    if questions:
        asked = tuple(
            {
                "code": "QUESTION",
                "source": str(q.get("identifiant", "")) if isinstance(q, dict) else "",
                "description": str(q.get("libelle", q)) if isinstance(q, dict) else str(q),
            }
            for q in questions
        )
        raise JfseError(
            "invalid",
            "the engine asks what the connector cannot answer: "
            + "; ".join(q["description"] for q in asked),
            errors=asked,
        )
    if status >= 400:
        raise JfseError("invalid", f"{method}: HTTP {status}")
    return answer


def _errors(answer: Any, act: int | None) -> tuple[dict[str, str], ...]:
    items = answer.get("errors") if isinstance(answer, dict) else None
    if not isinstance(items, list):
        return ()
    return tuple(
        {
            "code": str(e.get("code", "")),
            "source": field_of(str(e.get("source", "")), act),
            "description": str(e.get("description", "")),
        }
        for e in items
        if isinstance(e, dict)
    )


def _descriptions(answer: Any, default: str) -> str:
    errors = _errors(answer, None)
    return "; ".join(e["description"] for e in errors if e["description"]) or default


def _messages(answer: dict[str, Any]) -> list[Message]:
    found = []
    for m in answer.get("messages") or []:
        if isinstance(m, dict) and m.get("text"):
            severity = m.get("severity")
            found.append(
                Message(severity if severity in ("info", "warning", "error") else "info", m["text"])
            )
    return found


def _unique(messages: list[Message]) -> tuple[Message, ...]:
    return tuple(dict.fromkeys(messages))


def _priced(data: dict[str, Any], messages: tuple[Message, ...]) -> Priced:
    try:
        lines = tuple(
            Line(
                code=str(line["code"]),
                quantity=int(line["quantite"]),
                modifiers=tuple(str(m) for m in line.get("modificateurs") or ()),
                unit_price=_money(line["prixUnitaire"]),
                amount=_money(line["montant"]),
            )
            for line in data["lignes"]
        )
        return Priced(
            lines=lines,
            total=_money(data["total"]),
            amo_rate=int(data["tauxAmo"]),
            participation=_money(data["participationForfaitaire"]),
            amo_due=_money(data["partAmo"]),
            amc_due=_money(data["partAmc"]),
            patient_due=_money(data["partPatient"]),
            messages=messages,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise _garbage(GET_INVOICE, exc) from None


def _money(value: Any) -> Decimal:
    """An amount as the engine writes it, ``"30.00"``."""
    if not isinstance(value, str):
        raise ValueError(f"amount {value!r} is not a string")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"amount {value!r} is not a number") from None
    if not amount.is_finite() or amount.as_tuple().exponent != -2:
        raise ValueError(f"amount {value!r} is not euros with 2 decimals")
    return amount


def _time(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} is missing")
    return value


def _part(value: Any) -> Any:
    if value not in ("amo", "amc"):
        raise ValueError(f"unknown part {value!r}")
    return value


def _garbage(method: str, exc: Exception) -> JfseError:
    """An answer the engine gave that cannot be read: ``malformed``, never retried (the same
    question gets the same answer); the daemon reports it as the engine's error (502)."""
    return JfseError("malformed", f"{method}: the engine's answer is malformed: {exc}")
