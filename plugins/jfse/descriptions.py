"""What the jFSE operations say of themselves, in the OpenAPI document and the plugin's
README: their descriptions, examples, parameters and the problems they may answer. The
handlers and the list of operations are in ``api.py``."""

from __future__ import annotations

from aiguillage.plugin import Param, merge_errors

from . import schemas

NO_ACT = "at least one act is required before validating the care sheet"


ID = Param(
    "id",
    "path",
    schemas.INVOICE_ID,
    required=True,
    description="the care sheet's id",
)
LOT_ID = Param("id", "path", schemas.LOT_ID, required=True, description="the lot's id")
CURSOR = Param(
    "cursor", "query", schemas.CURSOR, description="the `next_cursor` of the previous page"
)
LIMIT = Param(
    "limit",
    "query",
    {"type": "integer", "minimum": 1, "maximum": 500},
    description="rows per page (default 50)",
)
DAY_PARAM = {"type": "string", "format": "date", "examples": ["2026-03-02"]}
FROM = Param("from", "query", DAY_PARAM, description="date of care on or after")
TO = Param("to", "query", DAY_PARAM, description="date of care on or before")
INVOICE_STATE = Param("state", "query", schemas.INVOICE_STATE, description="only in this state")
LOT_STATE = Param("state", "query", schemas.LOT_STATE, description="only in this state")

#: The examples: NESSI RUTH (a published INSi test identity) sees her médecin traitant.
RUTH = {
    "nir": "277076322082910",
    "nir_od": "277076322082910",
    "birth_name": "NESSI",
    "first_name": "RUTH",
    "birth_date": "1977-07-14",
    "rank": 1,
    "regime": "01",
    "caisse": "631",
    "centre": "0000",
    "rights": [{"start": "2026-01-01", "end": None, "label": "AMO"}],
    "exonerations": [],
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
}
REQUEST = {
    "beneficiary": {"vitale": RUTH},
    "date": "2026-03-02",
    "care_pathway": "medecin_traitant",
    "insurance_nature": "maladie",
    "third_party_payment": {"amo": True, "amc": False},
    "acts": [{"code": "G"}],
}
APCV_REQUEST = {
    **REQUEST,
    "beneficiary": {"apcv_session": "apcv_Jx3b1bQb2m4Zq5T0cW9yLk8e", "index": 0},
}
LOTS_REQUEST = {"invoices": ["fse_5f0c6a1e2b3d4c59"]}
DRAFT = {
    "id": "fse_5f0c6a1e2b3d4c59",
    "number": "000000042",
    "state": "draft",
    "date": "2026-03-02",
    "source": "vitale",
    "beneficiary": RUTH,
    "practitioner": {"national_id": "899900063480", "billing_id": "991130972", "name": "MAX LIBRE"},
    "care_pathway": "medecin_traitant",
    "insurance_nature": "maladie",
    "exoneration": None,
    "third_party_payment": {"amo": True, "amc": False},
    "lines": [
        {"code": "G", "quantity": 1, "modifiers": [], "unit_price": "30.00", "amount": "30.00"}
    ],
    "total": "30.00",
    "amo_rate": 70,
    "participation": "2.00",
    "amo_due": "19.00",
    "amc_due": "0.00",
    "patient_due": "11.00",
    "messages": [],
    "degraded": False,
    "securing": None,
    "lot": None,
    "reason": None,
    "returns": [],
    "created_at": "2026-03-02T09:14:03.120+00:00",
    "updated_at": "2026-03-02T09:14:03.120+00:00",
}
SECURED = {
    **DRAFT,
    "state": "secured",
    "securing": {
        "mode": "vitale",
        "degraded": False,
        "fse_number": "000000042",
        "secured_at": "2026-03-02T09:15:10.402+00:00",
        "destination": "01-631-0000",
    },
    "updated_at": "2026-03-02T09:15:10.410+00:00",
}
PAID = {
    **SECURED,
    "state": "paid",
    "lot": "lot_0b7e52c4d9a13f68",
    "returns": [
        {
            "kind": "payment",
            "part": "amo",
            "at": "2026-03-05T06:00:00.000+00:00",
            "amount": "19.00",
            "payer": "CPAM 631",
            "code": "",
            "label": "",
        }
    ],
    "updated_at": "2026-03-05T06:00:02.511+00:00",
}
LOT = {
    "id": "lot_0b7e52c4d9a13f68",
    "number": "000000007",
    "destination": "01-631-0000",
    "state": "accepted",
    "invoices": ["fse_5f0c6a1e2b3d4c59"],
    "fse_numbers": ["000000042"],
    "item": 58,
    "item_state": "sent",
    "last_error": None,
    "reason": None,
    "rejected": [],
    "created_at": "2026-03-02T18:00:00.104+00:00",
    "transmitted_at": "2026-03-02T18:00:00.530+00:00",
    "acknowledged_at": "2026-03-02T18:00:01.212+00:00",
}
QUEUED_LOT = {
    **LOT,
    "state": "queued",
    "item_state": "queued",
    "transmitted_at": None,
    "acknowledged_at": None,
}
REJECTED_LOT = {
    **LOT,
    "state": "rejected",
    "item_state": "failed",
    "last_error": {
        "code": "arl-negative",
        "message": "ARL negative for lot 000000007: FSE 000000042 unknown to the insurer",
        "transient": False,
    },
    "reason": "FSE 000000042 unknown to the insurer",
    "rejected": ["000000042"],
}

#: What an exchange with the engine may answer, whatever the operation.
ENGINE_ERRORS = {502: ("jfse-error",), 503: ("jfse-unavailable",), 504: ("jfse-timeout",)}
#: What reading an ApCV session may answer (the problems of the plugin holding it).
APCV_ERRORS = {410: ("apcv-session-expired",)}
#: What having its beneficiary sign may answer besides: the ApCV service's failures.
SIGN_ERRORS = merge_errors(
    APCV_ERRORS,
    {502: ("apcv-refused",), 503: ("apcv-unavailable",), 504: ("apcv-timeout",)},
)

CREATE_INVOICE_ERRORS = merge_errors(ENGINE_ERRORS, APCV_ERRORS, {422: ("fse-refused",)})
SECURE_INVOICE_ERRORS = merge_errors(
    ENGINE_ERRORS,
    SIGN_ERRORS,
    {
        404: ("fse-invoice-unknown",),
        409: ("fse-invoice-state",),
        410: ("fse-apcv-expired",),
        422: ("fse-refused",),
    },
)
CANCEL_INVOICE_ERRORS = {
    **ENGINE_ERRORS,
    404: ("fse-invoice-unknown",),
    409: ("fse-invoice-state",),
}

AMOUNTS = """\
The engine prices each act on the date of care and splits the total: the AMO reimbursement
rate (100 % for maternity, AT/MP and the ALD, CSS, AME and invalidity exonerations; else 70 %
in the parcours de soins, 30 % outside it), the participation forfaitaire withheld from the
AMO part (not for minors, maternity, CSS or AME), the AMC's part (the ticket modérateur, under
third-party payment) and what the patient pays at the desk. Amounts are decimal strings in
euros (`"30.00"`). With the simulator these rules and the fee schedule are sample data (the
plugin's README)."""

CREATE_INVOICE = f"""Creates a care sheet as a draft and has the billing engine price it.
The beneficiary is one of:

- `{{"apcv_session": id, "index": n}}`: beneficiary `n` of an open ApCV session (the carte
  Vitale app); securing then has them sign the care sheet in the app;
- `{{"vitale": Beneficiary}}`: the carte Vitale read at the desk (secured in `vitale` mode);
- `{{"manual": Beneficiary}}`: data typed in, with neither card nor app: only `degraded`
  securing, and a paper care sheet follows.

The practitioner who bills is the practice's (`[practitioner]`), or the request's
`practitioner`; they need a `billing_id`. At least one act is required: without one, a 422
naming `acts` says "{NO_ACT}".

{AMOUNTS}

The invoice `number` is fixed now: pricing or securing it again is never a second invoice
at the engine. A warning message says when no rights period of the beneficiary covers the
date of care. Announced as `fse.invoice` on the event stream; journaled as
`fse.invoice.create`."""

LIST_INVOICES = """The practice's care sheets, newest first, by `state` and by date of
care (`from` and `to` included). `limit` a page (50 unless said); pass `next_cursor` back as
`cursor` for the next one."""

GET_INVOICE = """A care sheet: its lines and amounts as the engine computed them, how
it was secured, its lot, why it was rejected, and the payments or rejections received for it
(`returns`), which the daemon reads from the engine every `returns_interval` seconds."""

DELETE_INVOICE = """Deletes a care sheet still in `draft` (never secured: the engine keeps
nothing of it that matters). A secured one is cancelled instead (`…/cancel`); any other state
is a 409 `fse-invoice-state`. Journaled as `fse.invoice.delete`."""

SECURE_INVOICE = """Has the engine secure (validate) the draft, in the mode its
beneficiary allows:

- `apcv` (from an ApCV session): the beneficiary signs the care sheet in the carte Vitale app
  — the SHA-256 of the care sheet as priced and a summary of it (practitioner, beneficiary,
  acts, amounts) go to the ApCV service (`signerVitale`); an expired session is a 410;
- `vitale` (from a carte Vitale read);
- `degraded` (typed in): flagged `degraded: true`; a paper care sheet must follow.

The answer says where it goes (`securing.destination`): lots are formed per insurer. Only a
draft is secured (409 `fse-invoice-state` otherwise). While the beneficiary signs and the
engine validates, the care sheet is `securing`: the same request sent again meanwhile is a 409,
and the beneficiary is never asked twice; if securing fails, it is a `draft` again. An engine
answer that cannot be read is a 502 `jfse-error` (not retried). Journaled as
`fse.invoice.secure`."""

CANCEL_INVOICE = """Cancels a `secured` care sheet at the engine (`FDS-annulerFacture`)
before it goes in a lot; once in a lot it is the insurer's (409 `fse-invoice-state`).
Journaled as `fse.invoice.cancel`."""

CREATE_LOTS = """Groups secured care sheets by destination insurer, one lot each, and
queues each lot in the outbox (kind `jfse.lot`); answers `202` once they are durable. Without
`invoices`, every secured care sheet not yet in a lot goes. Care sheets of a lot the insurer
rejected may be named in `invoices` to go in a new lot.

The outbox transmits each lot and waits up to `arl_wait` seconds for its acknowledgement
(ARL): positive, the lot and its care sheets are `accepted`; negative, they are `rejected`
with the ARL's reason and the outbox item `failed` with it — fix the cause, then `POST
/v1/outbox/{id}/retry` sends the same lot again (or name its care sheets in a new lot); no
ARL yet, the outbox tries again later (the lot number is fixed, so it is never sent twice).
Payments and payment rejections follow on each care sheet. Every change is announced
(`fse.lot`, `fse.invoice`) on the event stream. `Idempotency-Key` makes the request safe to
repeat, even at once: lot requests are taken one at a time, so a care sheet is in one lot only
(a second request without a key finds nothing left: 409 `fse-nothing-to-send`)."""

LIST_LOTS = """The lots formed, newest first, by `state`. `limit` a page (50 unless
said); pass `next_cursor` back as `cursor` for the next one."""

GET_LOT = """A lot: its care sheets, its state (`queued`, `transmitted`,
`accepted` by an ARL+, `rejected` by an ARL− with its reason and the FSE numbers at fault)
and its outbox item's state and last error."""
