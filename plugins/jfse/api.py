"""The jFSE operations: price a care sheet (invoice), secure it, list, delete, cancel; form
lots and queue them in the outbox; follow both.

The plugin never computes an amount: the billing engine behind ``JfseBackend`` does, and the
answers show what it said.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from aiohttp import web

from aiguillage.plugin import (
    Accepted,
    Call,
    FieldError,
    Operation,
    Practitioner,
    Problem,
    Send,
    accept_many,
    iso,
    validation_problem,
)

from . import descriptions as d
from . import schemas
from .backend import (
    Act,
    ApcvProof,
    Biller,
    Draft,
    Insured,
    JfseBackend,
    JfseError,
    Priced,
    Secured,
)
from .delivery import SCOPE, exchanges_json
from .descriptions import NO_ACT
from .store import (
    Conflict,
    FseStore,
    Invoice,
    Lot,
    NewInvoice,
    NewLot,
    lottable,
    parse_cursor,
)
from .store import seconds as _seconds

#: The outbox kind of a lot to transmit.
LOT_KIND = "jfse.lot"


def _store(call: Call) -> FseStore:
    return call.config.state["store"]


# --- shapes: the API's JSON ↔ the backend's dataclasses ------------------------------------


def money(value: Decimal) -> str:
    """A Decimal amount as the API writes it: ``"30.00"``."""
    return f"{value.quantize(Decimal('0.01')):f}"


def priced_json(priced: Priced) -> dict[str, Any]:
    return {
        "lines": [
            {
                "code": line.code,
                "quantity": line.quantity,
                "modifiers": list(line.modifiers),
                "unit_price": money(line.unit_price),
                "amount": money(line.amount),
            }
            for line in priced.lines
        ],
        "total": money(priced.total),
        "amo_rate": priced.amo_rate,
        "participation": money(priced.participation),
        "amo_due": money(priced.amo_due),
        "amc_due": money(priced.amc_due),
        "patient_due": money(priced.patient_due),
        "messages": [{"severity": m.severity, "text": m.text} for m in priced.messages],
    }


def biller_of(practitioner: dict[str, Any], specialty: str) -> Biller:
    who = Practitioner(**practitioner)
    return Biller(
        billing_id=who.billing_id,
        national_id=who.national_id,
        name=who.display_name,
        specialty=specialty,
    )


def draft_of(number: str, biller: Biller, data: dict[str, Any]) -> Draft:
    """The backend's ``Draft`` from the invoice as stored (``Invoice.draft``)."""
    b = data["beneficiary"]
    return Draft(
        number=number,
        biller=biller,
        insured=Insured(
            nir=b["nir"],
            nir_od=b["nir_od"],
            birth_name=b["birth_name"],
            first_name=b["first_name"],
            birth_date=b["birth_date"],
            rank=b["rank"],
            regime=b["regime"],
            caisse=b["caisse"],
            centre=b["centre"],
            exonerations=_exonerations_held(b, data["date"]),
        ),
        date=data["date"],
        care_pathway=data["care_pathway"],
        insurance_nature=data["insurance_nature"],
        exoneration=data["exoneration"],
        third_party_amo=data["third_party_payment"]["amo"],
        third_party_amc=data["third_party_payment"]["amc"],
        acts=tuple(Act(a["code"], a["quantity"], tuple(a["modifiers"])) for a in data["acts"]),
    )


def _covers(period: dict[str, Any], day: str) -> bool:
    start, end = period.get("start"), period.get("end")
    return (start is None or start <= day) and (end is None or day <= end)


def _exonerations_held(beneficiary: dict[str, Any], day: str) -> tuple[str, ...]:
    """The exonerations the beneficiary holds on the date of care (their card's, in force)."""
    held = [e["code"] for e in beneficiary["exonerations"] if _covers(e, day)]
    return tuple(dict.fromkeys(held))


def _rights_warning(beneficiary: dict[str, Any], day: str) -> list[dict[str, str]]:
    """A warning when the card names rights periods and none covers the date of care: the
    insurer will likely reject the care sheet."""
    rights = beneficiary["rights"]
    if not rights or any(_covers(r, day) for r in rights):
        return []
    return [
        {
            "severity": "warning",
            "text": f"no AMO rights period of the beneficiary covers the date of care {day}",
        }
    ]


def patient_name(beneficiary: dict[str, Any]) -> str:
    return f"{beneficiary['birth_name']} {beneficiary['first_name']}"


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    data, priced, secured = invoice.draft, invoice.priced, invoice.secured
    who = Practitioner(**invoice.practitioner)
    return {
        "id": invoice.id,
        "number": invoice.number,
        "state": invoice.state,
        "date": invoice.date,
        "source": invoice.source,
        "beneficiary": data["beneficiary"],
        "practitioner": {
            "national_id": who.national_id,
            "billing_id": who.billing_id,
            "name": who.display_name,
        },
        "care_pathway": data["care_pathway"],
        "insurance_nature": data["insurance_nature"],
        "exoneration": data["exoneration"],
        "third_party_payment": data["third_party_payment"],
        "lines": priced["lines"],
        "total": priced["total"],
        "amo_rate": priced["amo_rate"],
        "participation": priced["participation"],
        "amo_due": priced["amo_due"],
        "amc_due": priced["amc_due"],
        "patient_due": priced["patient_due"],
        "messages": priced["messages"],
        "degraded": bool(secured and secured["degraded"]),
        "securing": secured,
        "lot": invoice.lot_id,
        "reason": invoice.reason,
        "returns": invoice.returns,
        "created_at": iso(_seconds(invoice.created_at)),
        "updated_at": iso(_seconds(invoice.updated_at)),
    }


def lot_json(lot: Lot, call: Call) -> dict[str, Any]:
    state, error = None, None
    if lot.item_id is not None:
        state, error = call.daemon.item_states([lot.item_id]).get(lot.item_id, (None, None))
    return {
        "id": lot.id,
        "number": lot.number,
        "destination": lot.destination,
        "state": lot.state,
        "invoices": lot.invoices,
        "fse_numbers": lot.fse_numbers,
        "item": lot.item_id,
        "item_state": state,
        "last_error": error,
        "reason": lot.reason,
        "rejected": lot.rejected,
        "created_at": iso(_seconds(lot.created_at)),
        "transmitted_at": iso(_seconds(lot.transmitted_at)),
        "acknowledged_at": iso(_seconds(lot.acknowledged_at)),
    }


#: The engine's error codes (``JfseError.code``) as problems: status, type, title.
_ENGINE_PROBLEMS = {
    "invalid": (422, "fse-refused", "The billing engine refused the care sheet"),
    "state": (409, "fse-invoice-state", "The care sheet cannot do that in its state"),
    "apcv-expired": (410, "fse-apcv-expired", "The ApCV context is no longer valid"),
    "unavailable": (503, "jfse-unavailable", "The billing engine is unavailable"),
    "timeout": (504, "jfse-timeout", "The billing engine did not answer in time"),
    "auth": (502, "jfse-error", "The billing engine refused the daemon's credentials"),
    "malformed": (502, "jfse-error", "The billing engine's answer cannot be read"),
}


def pointer(source: str) -> str:
    """The engine's error ``source`` as a request field: ``acts[0].code`` → ``/acts/0/code``
    (empty: the body)."""
    if not source:
        return "body"
    return "/" + source.replace("[", ".").replace("]", "").replace(".", "/")


def engine_problem(exc: JfseError) -> Problem:
    """The engine's refusal or failure as the API answers it (an unusable answer, or an
    invoice the engine does not know although the daemon secured it: 502)."""
    status, slug, title = _ENGINE_PROBLEMS.get(
        exc.code, (502, "jfse-error", "The billing engine's answer cannot be used")
    )
    detail = exc.detail
    if exc.code == "apcv-expired":
        detail += "; have the patient scan the carte Vitale app again, or bill with the card"
    errors = [
        FieldError(pointer(e.get("source", "")), f"{e.get('code', '')}: {e.get('description', '')}")
        for e in exc.errors
    ]
    code = exc.errors[0].get("code") if exc.errors else None
    return Problem(
        status,
        slug,
        title,
        detail,
        errors=errors if status == 422 else [],
        service="jfse",
        service_code=code or exc.code,
    )


def _unknown_invoice(invoice_id: str) -> Problem:
    return Problem(404, "fse-invoice-unknown", "No such care sheet", f"No invoice {invoice_id}.")


def _state_problem(detail: str) -> Problem:
    return Problem(409, "fse-invoice-state", "The care sheet cannot do that in its state", detail)


def _invoice(call: Call) -> Invoice:
    invoice = _store(call).invoice(call.params["id"])
    if invoice is None:
        raise _unknown_invoice(call.params["id"])
    return invoice


# --- invoices -------------------------------------------------------------------------------


def _care_date(text: str | None) -> str:
    today = dt.date.today()
    if text is None:
        return today.isoformat()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise validation_problem([FieldError("/date", f"{text!r} is not a date")]) from None
    if day > today:
        raise validation_problem(
            [FieldError("/date", f"{text} is in the future: bill care already given")]
        )
    return day.isoformat()


async def _beneficiary(
    call: Call, given: dict[str, Any]
) -> tuple[str, str | None, int | None, dict]:
    """``(source, session, index, beneficiary)`` from the request's ``beneficiary``."""
    if "apcv_session" in given:
        session, index = given["apcv_session"], given.get("index", 0)
        beneficiary = await call.daemon.resolve_beneficiary(
            call, session, index, field="/beneficiary/apcv_session"
        )
        return "apcv", session, index, beneficiary
    if "vitale" in given:
        return "vitale", None, None, given["vitale"]
    return "manual", None, None, given["manual"]


async def create_invoice(call: Call) -> dict[str, Any]:
    backend = call.service()  # a plugin that did not start reads no session either
    body = call.body
    acts = body.get("acts") or []
    if not acts:
        raise validation_problem([FieldError("/acts", NO_ACT)])
    day = _care_date(body.get("date"))
    practitioner = call.practitioner
    if not practitioner.billing_id:
        raise validation_problem(
            [
                FieldError(
                    "/practitioner/billing_id",
                    "the practitioner has no billing identifier (identifiant de facturation): "
                    "send it, or set billing_id in the config's [practitioner] table",
                )
            ]
        )
    source, session, index, beneficiary = await _beneficiary(call, body["beneficiary"])
    third_party = body.get("third_party_payment", {})
    data = {
        "beneficiary": beneficiary,
        "date": day,
        "care_pathway": body["care_pathway"],
        "insurance_nature": body.get("insurance_nature", "maladie"),
        "exoneration": body.get("exoneration"),
        "third_party_payment": {
            "amo": third_party.get("amo", False),
            "amc": third_party.get("amc", False),
        },
        "acts": [
            {
                "code": a["code"],
                "quantity": a.get("quantity", 1),
                "modifiers": a.get("modifiers", []),
            }
            for a in acts
        ],
    }
    store = _store(call)
    number = await store.next_number()
    who = dataclasses.asdict(practitioner)
    draft = draft_of(number, biller_of(who, call.config.options["amo_specialty"]), data)
    acts_text = ", ".join(f"{a['quantity']} {a['code']}" for a in data["acts"])
    exchanges: list[Any] = []
    async with call.remote_action(
        "fse.invoice.create",
        f"price care sheet {number} of {day}: {acts_text}",
        patient_ins=beneficiary["nir"],
        patient_name=patient_name(beneficiary),
        request=data,
    ) as done:
        try:
            priced = await backend.price(draft, exchanges)
        except JfseError as exc:
            done.outcome, done.summary = exc.code, f"care sheet {number} refused: {exc.detail}"
            done.response = exchanges_json(exchanges)
            raise engine_problem(exc) from None
        done.response = exchanges_json(exchanges)
        answer = priced_json(priced)
        answer["messages"] += _rights_warning(beneficiary, day)
        invoice = await store.create_invoice(
            NewInvoice(
                number=number,
                date=day,
                source=source,
                apcv_session=session,
                apcv_index=index,
                patient_ins=beneficiary["nir"],
                patient_name=patient_name(beneficiary),
                draft=data,
                priced=answer,
                practitioner=who,
                client=call.client.name if call.client else None,
                request_id=call.request_id,
            )
        )
        done.summary = (
            f"care sheet {invoice.id} ({number}) priced: total {answer['total']}, AMO "
            f"{answer['amo_due']}, AMC {answer['amc_due']}, patient {answer['patient_due']}"
        )
    call.daemon.publish("fse.invoice", invoice.event(), scope=SCOPE)
    return invoice_json(invoice)


async def get_invoice(call: Call) -> dict[str, Any]:
    return invoice_json(_invoice(call))


async def list_invoices(call: Call) -> dict[str, Any]:
    p = call.params
    cursor = None
    if "cursor" in p:
        cursor = parse_cursor(p["cursor"])
        if cursor is None:
            raise validation_problem([FieldError("cursor", "not a cursor this list gave")])
    bounds = {}
    for name in ("from", "to"):
        if name in p:
            try:
                bounds[name] = dt.date.fromisoformat(p[name]).isoformat()
            except ValueError:
                raise validation_problem([FieldError(name, f"{p[name]!r} is not a date")]) from None
    rows, next_cursor = _store(call).list_invoices(
        state=p.get("state"),
        date_from=bounds.get("from"),
        date_to=bounds.get("to"),
        cursor=cursor,
        limit=p.get("limit", 50),
    )
    return {"items": [invoice_json(i) for i in rows], "next_cursor": next_cursor}


def canonical(data: Any) -> bytes:
    """The one byte string a JSON value is signed as: keys sorted, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sheet_digest(invoice: Invoice) -> str:
    """The SHA-256 (hex) the beneficiary signs: the care sheet as priced, under its number."""
    return hashlib.sha256(
        canonical({"number": invoice.number, "draft": invoice.draft, "priced": invoice.priced})
    ).hexdigest()


def sheet_summary(invoice: Invoice) -> dict[str, str]:
    """What the beneficiary reads in the carte Vitale app before signing."""
    data, priced = invoice.draft, invoice.priced
    who = Practitioner(**invoice.practitioner)
    return {
        "practitioner": who.display_name,
        "beneficiary": patient_name(data["beneficiary"]),
        "date": invoice.date,
        "acts": ", ".join(f"{a['quantity']} {a['code']}" for a in data["acts"]),
        "total": f"{priced['total']} €",
        "amo_due": f"{priced['amo_due']} €",
        "amc_due": f"{priced['amc_due']} €",
        "patient_due": f"{priced['patient_due']} €",
    }


def secured_json(secured: Secured) -> dict[str, Any]:
    return {
        "mode": secured.mode,
        "degraded": secured.mode == "degraded",
        "fse_number": secured.fse_number,
        "secured_at": secured.secured_at.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
        "destination": secured.destination,
    }


async def secure_invoice(call: Call) -> dict[str, Any]:
    invoice = _invoice(call)
    if invoice.state != "draft":
        raise _state_problem(f"invoice {invoice.id} is {invoice.state}: only a draft is secured")
    backend = call.service()
    store = _store(call)
    # Claimed first, under the store's writer: a second request for the same draft is a 409
    # before its beneficiary is asked to sign a second time. Put back to draft on failure.
    try:
        claimed = await store.transition(invoice.id, ["draft"], "securing")
    except Conflict as exc:
        raise _state_problem(f"{exc}: only a draft is secured") from None
    if claimed is None:  # deleted meanwhile
        raise _unknown_invoice(invoice.id)
    call.daemon.publish("fse.invoice", claimed.event(), scope=SCOPE)
    try:
        changed = await _secure(call, backend, claimed)
    except BaseException:
        with contextlib.suppress(Conflict):
            back = await store.transition(invoice.id, ["securing"], "draft")
            if back is not None:
                call.daemon.publish("fse.invoice", back.event(), scope=SCOPE)
        raise
    call.daemon.publish("fse.invoice", changed.event(), scope=SCOPE)
    return invoice_json(changed)


async def _secure(call: Call, backend: JfseBackend, invoice: Invoice) -> Invoice:
    """Have the beneficiary sign (ApCV) and the engine validate the invoice this request
    claimed (``securing``); the invoice ``secured``."""
    biller = biller_of(invoice.practitioner, call.config.options["amo_specialty"])
    draft = draft_of(invoice.number, biller, invoice.draft)
    who = Practitioner(**invoice.practitioner)
    proof = None
    mode = {"apcv": "apcv", "vitale": "vitale", "manual": "degraded"}[invoice.source]
    if mode == "apcv":
        digest = sheet_digest(invoice)
        signature = await call.daemon.sign_care_sheet(
            call, invoice.apcv_session, invoice.apcv_index, digest, sheet_summary(invoice)
        )
        proof = ApcvProof(
            context_id=signature["context"],
            digest=digest,
            signature=signature["value"],
            signed_at=signature["signed_at"],
        )
    exchanges: list[Any] = []
    async with call.remote_action(
        "fse.invoice.secure",
        f"secure care sheet {invoice.id} ({invoice.number}) in {mode} mode",
        practitioner=who,
        patient_ins=invoice.patient_ins,
        patient_name=invoice.patient_name,
        request={"number": invoice.number, "mode": mode, "digest": proof and proof.digest},
    ) as done:
        try:
            secured = await backend.secure(draft, mode, proof, exchanges)
        except JfseError as exc:
            done.outcome, done.summary = exc.code, f"not secured: {exc.detail}"
            done.response = exchanges_json(exchanges)
            raise engine_problem(exc) from None
        done.response = exchanges_json(exchanges)
        priced = priced_json(secured.priced)
        priced["messages"] = _merged(invoice.priced["messages"], priced["messages"])
        changed = await _store(call).transition(
            invoice.id,
            ["securing"],
            "secured",
            secured=json.dumps(secured_json(secured)),
            priced=json.dumps(priced, ensure_ascii=False),
            fse_number=secured.fse_number,
            destination=secured.destination,
        )
        assert changed is not None  # claimed: neither deleted nor moved meanwhile
        done.summary = (
            f"care sheet {invoice.id} secured in {mode} mode: FSE {secured.fse_number} for "
            f"{secured.destination}"
        )
    return changed


def _merged(first: list[dict], then: list[dict]) -> list[dict]:
    """Messages of pricing and of securing, each once."""
    return first + [m for m in then if m not in first]


async def delete_invoice(call: Call) -> web.Response:
    try:
        deleted = await _store(call).delete_draft(call.params["id"])
    except Conflict as exc:
        raise _state_problem(str(exc)) from None
    if deleted is None:
        raise _unknown_invoice(call.params["id"])
    await call.journal(
        "fse.invoice.delete",
        f"draft care sheet {deleted.id} ({deleted.number}) deleted",
        practitioner=Practitioner(**deleted.practitioner),
        patient_ins=deleted.patient_ins,
        patient_name=deleted.patient_name,
    )
    call.daemon.publish("fse.invoice", {**deleted.event(), "state": "deleted"}, scope=SCOPE)
    return web.Response(status=204)


async def cancel_invoice(call: Call) -> dict[str, Any]:
    invoice = _invoice(call)
    store = _store(call)
    backend = call.service()
    # Cancelled here first, so that no lot can take it while the engine cancels it; put back
    # if the engine refuses.
    try:
        cancelled = await store.transition(invoice.id, ["secured"], "cancelled", free_of_lot=True)
    except Conflict as exc:
        raise _state_problem(
            f"{exc}: only a secured care sheet not yet in a lot is cancelled"
        ) from None
    if cancelled is None:
        raise _unknown_invoice(invoice.id)
    exchanges: list[Any] = []
    async with call.remote_action(
        "fse.invoice.cancel",
        f"cancel care sheet {invoice.id} (FSE {invoice.fse_number})",
        practitioner=Practitioner(**invoice.practitioner),
        patient_ins=invoice.patient_ins,
        patient_name=invoice.patient_name,
        request={"fse_number": invoice.fse_number},
    ) as done:
        try:
            await backend.cancel(invoice.fse_number, exchanges)
        except JfseError as exc:
            done.outcome, done.summary = exc.code, f"not cancelled: {exc.detail}"
            done.response = exchanges_json(exchanges)
            await store.transition(invoice.id, ["cancelled"], "secured")
            raise engine_problem(exc) from None
        except BaseException:
            await store.transition(invoice.id, ["cancelled"], "secured")
            raise
        done.response = exchanges_json(exchanges)
        done.summary = f"care sheet {invoice.id} (FSE {invoice.fse_number}) cancelled"
    call.daemon.publish("fse.invoice", cancelled.event(), scope=SCOPE)
    return invoice_json(cancelled)


# --- lots -----------------------------------------------------------------------------------


def _lot_send(lot: Lot, practitioner: Practitioner) -> Send:
    return Send(
        payload={
            "lot": lot.id,
            "number": lot.number,
            "destination": lot.destination,
            "fse_numbers": lot.fse_numbers,
            "invoices": lot.invoices,
        },
        external_id=lot.number,
        practitioner=practitioner,
    )


def _selected(call: Call) -> list[Invoice]:
    store = _store(call)
    wanted = call.body.get("invoices")
    if wanted is None:
        waiting = store.waiting_for_a_lot()
        if not waiting:
            raise Problem(
                409,
                "fse-nothing-to-send",
                "No care sheet waits for a lot",
                "No secured care sheet is outside a lot: secure some first, or name the "
                "care sheets of a rejected lot in `invoices`.",
            )
        return waiting
    found, unknown, refused = [], [], []
    for n, invoice_id in enumerate(wanted):
        invoice = store.invoice(invoice_id)
        if invoice is None:
            unknown.append(FieldError(f"/invoices/{n}", f"no care sheet {invoice_id}"))
        elif not lottable(invoice):
            where = f" in lot {invoice.lot_id}" if invoice.lot_id else ""
            refused.append(f"{invoice_id} is {invoice.state}{where}")
        else:
            found.append(invoice)
    if unknown:
        raise validation_problem(unknown)
    if refused:
        raise _state_problem(
            "only secured care sheets outside a lot, or those of a rejected lot, go in a new "
            "lot: " + "; ".join(refused)
        )
    return found


def _lots_lock(call: Call) -> asyncio.Lock:
    """One lot request at a time: two at once would each see the same care sheets free (or
    the same Idempotency-Key unused) and each form lots of them, one of which is never sent.
    Lots are formed a few times a day, so waiting costs nothing."""
    return call.config.state.setdefault("lots_lock", asyncio.Lock())


async def create_lots(call: Call) -> web.Response:
    store = _store(call)
    call.service()  # a plugin that did not start queues nothing
    practitioner = call.practitioner
    key = call.request.headers.get("Idempotency-Key")
    request_key = f"{call.client.name}\x1f{key}" if key and call.client else None
    async with _lots_lock(call):
        lots, accepted = await _queue_lots(call, store, practitioner, request_key)
    if not accepted.replayed:
        for lot in lots:
            await call.journal(
                "fse.lot.create",
                f"lot {lot.id} ({lot.number}) for {lot.destination}: {len(lot.invoices)} care "
                f"sheet(s) queued as outbox item {lot.item_id}",
                practitioner=practitioner,
                request={"invoices": lot.invoices, "fse_numbers": lot.fse_numbers},
            )
    answer = {"lots": [lot_json(lot, call) for lot in lots]}
    return accepted.response(answer, f"/v1/fse/lots/{lots[0].id}")


async def _queue_lots(
    call: Call, store: FseStore, practitioner: Practitioner, request_key: str | None
) -> tuple[list[Lot], Accepted]:
    """Form the request's lots and queue them (or, for the same request again, answer what
    it queued the first time); the lots with their outbox items noted."""
    earlier = store.lots_of_request(request_key) if request_key else []
    if earlier:
        # The same request again: the outbox answers what it queued the first time (or a 422
        # if the body differs); nothing new is formed.
        accepted = await accept_many(
            call, LOT_KIND, [_lot_send(lot, practitioner) for lot in earlier]
        )
        lots = earlier
    else:
        groups: dict[str, list[Invoice]] = defaultdict(list)
        for invoice in _selected(call):
            groups[invoice.destination or ""].append(invoice)
        new = [
            NewLot(
                destination,
                tuple(i.id for i in invoices),
                tuple(i.fse_number or "" for i in invoices),
            )
            for destination, invoices in sorted(groups.items())
        ]
        try:
            lots = await store.form_lots(new, request_key)
        except Conflict as exc:
            raise _state_problem(str(exc)) from None
        try:
            accepted = await accept_many(
                call, LOT_KIND, [_lot_send(lot, practitioner) for lot in lots]
            )
        except BaseException:
            await store.undo_lots([lot.id for lot in lots])
            raise
    if not accepted.replayed:
        # Announced before anything else is awaited: the delivery, woken already, announces
        # what follows (transmitted…).
        for lot in lots:
            call.daemon.publish("fse.lot", lot.event(), scope=SCOPE)
            for invoice in store.lot_invoices(lot):
                call.daemon.publish("fse.invoice", invoice.event(), scope=SCOPE)
    if not accepted.replayed or any(lot.item_id is None for lot in lots):
        await store.set_items(
            {lot.id: item.id for lot, item in zip(lots, accepted.items, strict=True)}
        )
        lots = [store.lot(lot.id) or lot for lot in lots]
    return lots, accepted


async def get_lot(call: Call) -> dict[str, Any]:
    lot = _store(call).lot(call.params["id"])
    if lot is None:
        raise Problem(404, "fse-lot-unknown", "No such lot", f"No lot {call.params['id']}.")
    return lot_json(lot, call)


async def list_lots(call: Call) -> dict[str, Any]:
    p = call.params
    cursor = None
    if "cursor" in p:
        cursor = parse_cursor(p["cursor"])
        if cursor is None:
            raise validation_problem([FieldError("cursor", "not a cursor this list gave")])
    rows, next_cursor = _store(call).list_lots(
        state=p.get("state"), cursor=cursor, limit=p.get("limit", 50)
    )
    return {"items": [lot_json(lot, call) for lot in rows], "next_cursor": next_cursor}


# --- the operations (their descriptions and examples: descriptions.py) -------------------

OPERATIONS: list[Operation] = [
    Operation(
        "POST",
        "/v1/fse/invoices",
        "Price a care sheet (FSE): a draft",
        create_invoice,
        scope=SCOPE,
        operation_id="createFseInvoice",
        description=d.CREATE_INVOICE,
        request_schema=schemas.INVOICE_REQUEST,
        request_examples={
            "a consultation, AMO paid by third party": d.REQUEST,
            "from an ApCV session": d.APCV_REQUEST,
        },
        response_status=201,
        response_schema=schemas.INVOICE,
        response_examples={"priced": d.DRAFT},
        errors=d.CREATE_INVOICE_ERRORS,
    ),
    Operation(
        "GET",
        "/v1/fse/invoices",
        "List care sheets, newest first",
        list_invoices,
        scope=SCOPE,
        operation_id="listFseInvoices",
        description=d.LIST_INVOICES,
        params=[d.INVOICE_STATE, d.FROM, d.TO, d.CURSOR, d.LIMIT],
        response_schema=schemas.INVOICE_PAGE,
        response_examples={"a page": {"items": [d.SECURED], "next_cursor": None}},
    ),
    Operation(
        "GET",
        "/v1/fse/invoices/{id}",
        "A care sheet: amounts and where it stands",
        get_invoice,
        scope=SCOPE,
        operation_id="getFseInvoice",
        description=d.GET_INVOICE,
        params=[d.ID],
        response_schema=schemas.INVOICE,
        response_examples={"paid": d.PAID},
        errors={404: ("fse-invoice-unknown",)},
    ),
    Operation(
        "DELETE",
        "/v1/fse/invoices/{id}",
        "Delete a draft care sheet",
        delete_invoice,
        scope=SCOPE,
        operation_id="deleteFseInvoice",
        description=d.DELETE_INVOICE,
        params=[d.ID],
        response_status=204,
        errors={404: ("fse-invoice-unknown",), 409: ("fse-invoice-state",)},
    ),
    Operation(
        "POST",
        "/v1/fse/invoices/{id}/secure",
        "Secure a draft care sheet",
        secure_invoice,
        scope=SCOPE,
        operation_id="secureFseInvoice",
        description=d.SECURE_INVOICE,
        params=[d.ID],
        response_schema=schemas.INVOICE,
        response_examples={"secured with the carte Vitale": d.SECURED},
        errors=d.SECURE_INVOICE_ERRORS,
    ),
    Operation(
        "POST",
        "/v1/fse/invoices/{id}/cancel",
        "Cancel a secured care sheet not yet in a lot",
        cancel_invoice,
        scope=SCOPE,
        operation_id="cancelFseInvoice",
        description=d.CANCEL_INVOICE,
        params=[d.ID],
        response_schema=schemas.INVOICE,
        response_examples={"cancelled": {**d.SECURED, "state": "cancelled"}},
        errors=d.CANCEL_INVOICE_ERRORS,
    ),
    Operation(
        "POST",
        "/v1/fse/lots",
        "Send secured care sheets: one lot per insurer (queued, 202)",
        create_lots,
        scope=SCOPE,
        operation_id="createFseLots",
        description=d.CREATE_LOTS,
        request_schema=schemas.LOTS_REQUEST,
        request_headers=("Idempotency-Key",),
        request_examples={"every secured care sheet": {}, "these care sheets": d.LOTS_REQUEST},
        response_status=202,
        response_schema=schemas.LOTS_ACCEPTED,
        response_headers=("Location", "Idempotent-Replayed"),
        response_examples={"one lot queued": {"lots": [d.QUEUED_LOT]}},
        errors={409: ("fse-invoice-state", "fse-nothing-to-send")},
    ),
    Operation(
        "GET",
        "/v1/fse/lots",
        "List lots, newest first",
        list_lots,
        scope=SCOPE,
        operation_id="listFseLots",
        description=d.LIST_LOTS,
        params=[d.LOT_STATE, d.CURSOR, d.LIMIT],
        response_schema=schemas.LOT_PAGE,
        response_examples={"a page": {"items": [d.LOT], "next_cursor": None}},
    ),
    Operation(
        "GET",
        "/v1/fse/lots/{id}",
        "A lot: its acknowledgement (ARL) and outbox item",
        get_lot,
        scope=SCOPE,
        operation_id="getFseLot",
        description=d.GET_LOT,
        params=[d.LOT_ID],
        response_schema=schemas.LOT,
        response_examples={"accepted": d.LOT, "rejected": d.REJECTED_LOT},
        errors={404: ("fse-lot-unknown",)},
    ),
]
