"""The ApCV operations: open a session from a scanned QR code (or an NFC tap), read it again,
release it. What the service's refusals mean for the EHR is the table ``REFUSALS`` below."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import time
from typing import Any

from aiohttp import web
from jsonschema import Draft202012Validator

from aiguillage.plugin import (
    BENEFICIARY_SCHEMA,
    Call,
    FieldError,
    Operation,
    Param,
    Practitioner,
    Problem,
    merge_errors,
    validation_problem,
)

from .backend import ApcvBackend, ApcvError, Beneficiary, Exchange, Opened
from .client import AMO_SPECIALTIES
from .schemas import (
    REQUEST_EXAMPLES,
    SESSION_EXAMPLES,
    SESSION_REQUEST,
    SESSION_SCHEMA,
)
from .sessions import Session, SessionStore, expired, not_found

SCOPE = "apcv"
EVENT = "apcv.session"
SOURCES = ("qr", "nfc")

# --- what the service's refusals mean for the EHR -------------------------------------------------

#: ``ApcvError`` code of a refused payload → (problem type, title, what to do). A 422: the
#: payload is the request's, and the patient can show a fresh one.
PAYLOAD_REFUSALS: dict[str, tuple[str, str, str]] = {
    "qr-expired": (
        "apcv-qr-expired",
        "The QR code expired",
        "the code is past its validity: ask the patient to show the code again (the app renews it)",
    ),
    "qr-tampered": (
        "apcv-qr-tampered",
        "The QR code does not hold",
        "its signature or structure is broken (misread, or altered): scan it again",
    ),
    "qr-replayed": (
        "apcv-qr-replayed",
        "The QR code was already used",
        "it already opened a session: use that session, or have the patient show a new code",
    ),
    "qr-invalid": (
        "apcv-qr-invalid",
        "Not an ApCV code",
        "the text scanned is not a carte Vitale app code",
    ),
}
#: Any other failure → (status, problem type, title).
REFUSED = (502, "apcv-refused", "The ApCV service refused the request")
UNAVAILABLE = (503, "apcv-unavailable", "The ApCV service is unavailable")
TIMEOUT = (504, "apcv-timeout", "The ApCV service did not answer in time")
#: The context the session stands for ended at the service.
ENDED = ("context-expired", "context-unknown")

SERVICE_ERRORS: dict[int, tuple[str, ...]] = {
    502: (REFUSED[1],),
    503: (UNAVAILABLE[1],),
    504: (TIMEOUT[1],),
}
OPEN_ERRORS = merge_errors(
    {422: ("validation", *(slug for slug, _, _ in PAYLOAD_REFUSALS.values()))}, SERVICE_ERRORS
)
READ_ERRORS = merge_errors(
    {404: ("apcv-session-not-found",), 410: ("apcv-session-expired",)}, SERVICE_ERRORS
)
RELEASE_ERRORS = merge_errors({404: ("apcv-session-not-found",)}, SERVICE_ERRORS)


def failure(error: ApcvError, field: str | None = None) -> Problem:
    """The problem a failed call answers: a refused payload names ``field`` (``/qr``,
    ``/nfc``); the rest is the service's failure (502, 503, 504)."""
    extra = {"service": "apcv", "service_code": error.service_code or error.code}
    if error.code in PAYLOAD_REFUSALS and field is not None:
        slug, title, advice = PAYLOAD_REFUSALS[error.code]
        return Problem(
            422, slug, title, f"{error.detail}: {advice}", [FieldError(field, advice)], **extra
        )
    detail = f"{error.code}: {error.detail}"
    if error.code == "timeout":
        status, slug, title = TIMEOUT
    elif error.transient:
        status, slug, title = UNAVAILABLE
    else:
        # A refusal, or an answer the daemon cannot read (``malformed``): asking again would
        # get the same, so not a 503 the EHR would retry.
        status, slug, title = REFUSED
        if error.code == "malformed":
            detail = f"The ApCV service's answer could not be read ({error.detail})"
    return Problem(status, slug, title, detail, **extra)


def ended(session: Session, error: ApcvError) -> Problem:
    """410 for a session whose context the service says ended (expired, or unknown to it)."""
    why = f"The ApCV service says the context of session {session.id} ended ({error.detail})"
    return expired(session, why, error.service_code or error.code)


def backend_of(config: Any) -> ApcvBackend:
    """The plugin's backend, or 503 ``plugin-unavailable`` saying why it did not start (from a
    hook, where ``call.service()`` would be the calling plugin's)."""
    if config.service is None:
        raise Problem(
            503,
            "plugin-unavailable",
            "The apcv plugin is not available",
            config.unavailable or "the apcv plugin did not start",
            service="apcv",
        )
    return config.service


#: The elements whose text the journal does not keep: the context's token (whoever holds it
#: reads the patient's card data while the context lives) and the scanned payload (it stands
#: for the card until it expires).
SECRET_ELEMENTS = ("TokenApCV", "Donnees")
_SECRET = re.compile(
    rf"(<(?:[A-Za-z_][\w.-]*:)?(?:{'|'.join(SECRET_ELEMENTS)})(?:\s[^>]*)?>)"
    r"((?:[^<]|<!\[CDATA\[.*?\]\]>)*)(?=</)",
    re.DOTALL,
)


def fingerprint(secret: str) -> str:
    """What the journal shows for a secret: ``***sha256:`` and 12 hex digits of the SHA-256 of
    its text, so that a harness holding the secret finds its rows, and no one else learns it."""
    return "***sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:12]


def _masked(match: re.Match[str]) -> str:
    content = match.group(2)
    if content.startswith("<![CDATA["):
        text = "".join(re.findall(r"<!\[CDATA\[(.*?)\]\]>", content, re.DOTALL))
    else:
        text = html.unescape(content)
    return match.group(1) + fingerprint(text.strip())


def mask(xml: str) -> str:
    """``xml`` with the text of each ``SECRET_ELEMENTS`` element replaced by its
    ``fingerprint`` (by pattern, not parsing: an answer that does not parse is masked too)."""
    return _SECRET.sub(_masked, xml)


def wire(exchanges: list[Exchange]) -> str | None:
    """What went on the wire, for the journal: each call's request and answer, secrets
    masked."""
    if not exchanges:
        return None
    parts = []
    for e in exchanges:
        answer = e.response.decode(errors="replace") if e.response is not None else "(no answer)"
        parts.append(
            f"--- {e.operation} ({e.seconds * 1000:.0f} ms)\n"
            f"{mask(e.request.decode(errors='replace'))}\n--- answer\n{mask(answer)}"
        )
    return "\n".join(parts)


# --- beneficiaries as the API shows them ----------------------------------------------------------

_BENEFICIARY = Draft202012Validator(BENEFICIARY_SCHEMA)


def lunar(date: str) -> bool:
    """Whether a birth date as the card holds it is not a calendar date (day or month 00,
    a day the month lacks)."""
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        return True
    return False


def beneficiary_json(b: Beneficiary) -> dict[str, Any]:
    """A ``BENEFICIARY_SCHEMA`` object; 502 ``apcv-refused`` when the service's data does not
    fit it (a rank of 12, a régime of one digit): the EHR must not bill on it."""
    data: dict[str, Any] = {
        "nir": b.nir,
        "nir_od": b.nir_od,
        "birth_name": b.birth_name,
        "first_name": b.first_name,
        "birth_date": b.birth_date,
        "lunar_birth_date": lunar(b.birth_date),
        "rank": b.rank,
        "regime": b.regime,
        "caisse": b.caisse,
        "centre": b.centre,
        "rights": [{"start": r.start, "end": r.end, "label": r.label} for r in b.rights],
        "exonerations": [
            {"code": x.code, "label": x.label, "start": x.start, "end": x.end}
            for x in b.exonerations
        ],
        "ins": {"matricule": b.ins, "oid": b.ins_oid} if b.ins and b.ins_oid else None,
    }
    if b.used_name:
        data["used_name"] = b.used_name
    problem = next(iter(_BENEFICIARY.iter_errors(data)), None)
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "beneficiary"
        status, slug, title = REFUSED
        raise Problem(
            status,
            slug,
            title,
            f"The service gave a beneficiary the daemon cannot read ({where}: {problem.message})",
            service="apcv",
        )
    return data


def beneficiaries_of(opened: Opened) -> list[dict[str, Any]]:
    found = [beneficiary_json(b) for b in opened.beneficiaries]
    if not found:
        status, slug, title = REFUSED
        raise Problem(
            status, slug, title, "The service opened a context without beneficiary", service="apcv"
        )
    return found


def _names(beneficiaries: list[dict[str, Any]]) -> str:
    return ", ".join(f"{b['birth_name']} {b['first_name']}" for b in beneficiaries)


# --- the operations -------------------------------------------------------------------------------


def _store(call: Call) -> SessionStore:
    return call.config.state["sessions"]


def _payload(body: dict[str, Any]) -> tuple[str, str]:
    """``(source, payload)``: exactly one of ``qr`` and ``nfc``."""
    given = [source for source in SOURCES if source in body]
    if len(given) == 1:
        return given[0], body[given[0]]
    if given:
        message = "give either qr or nfc, not both"
        raise validation_problem([FieldError(f"/{s}", message) for s in given])
    raise validation_problem([FieldError("/qr", "give qr (a scanned QR code) or nfc")])


def _practitioner(call: Call) -> Practitioner:
    """Who acts, once it is sure the service can know them: ApCV identifies the practitioner
    by their billing number and AMO specialty, so a call without them is refused here, naming
    the field, not by the service."""
    who = call.practitioner
    errors = []
    if not who.billing_id:
        errors.append(
            FieldError(
                "/practitioner/billing_id",
                "the practitioner has no billing identifier (identifiant de facturation): "
                "send it, or set billing_id in the config's [practitioner] table",
            )
        )
    amo = call.config.options["amo_specialty"] if call.config else ""
    if not amo and not re.fullmatch("[0-9]{2}", who.specialty_code):
        if who.specialty_code not in AMO_SPECIALTIES:
            errors.append(
                FieldError(
                    "/practitioner/specialty_code",
                    f"no AMO specialty code is known for {who.specialty_code!r}: set the "
                    "[apcv] amo_specialty key (2 digits)",
                )
            )
    if errors:
        raise validation_problem(errors)
    return who


def opener(call: Call, session: Session) -> Practitioner:
    """Who the session's context belongs to at the service, and so who reads, releases and
    signs in it whoever asks: the practitioner who opened it (the config's for a session
    stored before this was kept)."""
    assert call.daemon is not None
    return session.practitioner or call.daemon.practitioner


async def open_session(call: Call) -> dict[str, Any]:
    source, payload = _payload(call.body)
    backend: ApcvBackend = call.service()
    practitioner = _practitioner(call)
    opened = await _open(call, backend, source, payload, practitioner)
    try:
        beneficiaries = beneficiaries_of(opened)
    except Problem:
        # Nothing will use this context: leave nothing open at the service (best effort).
        await _close_quietly(backend, opened, practitioner)
        raise
    session = await _store(call).add(
        source, opened.context, beneficiaries, practitioner=practitioner
    )
    await call.journal(
        EVENT,
        f"session {session.id} opened ({source}, context {opened.context.id}): "
        f"{_names(beneficiaries)}",
        practitioner=practitioner,
        patient_ins=session.patient_ins,
        patient_name=session.patient_name,
    )
    return session.to_json()


async def _open(
    call: Call, backend: ApcvBackend, source: str, payload: str, practitioner: Practitioner
) -> Opened:
    """Open the context, journaled before (pending) and after (how it went)."""
    exchanges: list[Exchange] = []
    asked = f"open a context from a {'QR code' if source == 'qr' else 'NFC payload'}"
    try:
        async with call.remote_action(EVENT, asked, practitioner=practitioner) as done:
            try:
                opened = await backend.open(payload, practitioner, exchanges)
            except ApcvError as exc:
                done.outcome = exc.code
                done.summary = f"{asked}: {exc.code} ({exc.detail})"
                done.response = wire(exchanges)
                raise
            done.summary = (
                f"{asked}: context {opened.context.id} opened, "
                f"{len(opened.beneficiaries)} beneficiaries"
            )
            done.response = wire(exchanges)
    except ApcvError as exc:
        raise failure(exc, f"/{source}") from None
    return opened


async def _close_quietly(backend: ApcvBackend, opened: Opened, practitioner: Practitioner) -> None:
    try:
        await backend.close(opened.context, practitioner, [])
    except ApcvError:
        pass  # it ends by itself at DateFinValidite


async def get_session(call: Call) -> dict[str, Any]:
    store = _store(call)
    session = store.held(call.params["id"])
    backend: ApcvBackend = call.service()
    practitioner = opener(call, session)
    exchanges: list[Exchange] = []
    tags = {
        "practitioner": practitioner,
        "patient_ins": session.patient_ins,
        "patient_name": session.patient_name,
    }
    asked = f"read session {session.id} (context {session.context.id})"
    try:
        opened = await backend.read(session.context, practitioner, exchanges)
    except ApcvError as exc:
        await call.journal(
            EVENT, f"{asked}: {exc.code} ({exc.detail})", exc.code, response=wire(exchanges), **tags
        )
        if exc.code in ENDED:
            await store.end(session.id, time.time())
            raise ended(session, exc) from None
        raise failure(exc) from None
    beneficiaries = beneficiaries_of(opened)
    session = await store.refresh(session, opened.context, beneficiaries)
    await call.journal(EVENT, f"{asked}: {_names(beneficiaries)}", response=wire(exchanges), **tags)
    return session.to_json()


async def release_session(call: Call) -> web.Response:
    store = _store(call)
    session = store.find(call.params["id"])
    if session is None or session.released_at is not None:
        raise not_found(call.params["id"])
    # An expired session is released too: the context is gone either way, and the EHR's
    # clean-up must not fail for being late.
    backend: ApcvBackend = call.service()
    practitioner = opener(call, session)
    exchanges: list[Exchange] = []
    asked = f"release session {session.id} (destroy context {session.context.id})"
    try:
        async with call.remote_action(
            EVENT,
            asked,
            practitioner=practitioner,
            patient_ins=session.patient_ins,
            patient_name=session.patient_name,
        ) as done:
            try:
                await backend.close(session.context, practitioner, exchanges)
            except ApcvError as exc:
                done.outcome = exc.code
                done.summary = f"{asked}: {exc.code} ({exc.detail})"
                done.response = wire(exchanges)
                raise
            done.summary = f"{asked}: released"
            done.response = wire(exchanges)
    except ApcvError as exc:
        # Kept open here: the EHR can try again (the context ends by itself anyway).
        raise failure(exc) from None
    await store.release(session.id)
    return web.Response(status=204)


# --- what the operations say of themselves --------------------------------------------------------

_ID_PARAM = Param(
    "id",
    "path",
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "examples": ["apcv_Jx3b1bQb2m4Zq5T0cW9yLk8e"],
    },
    required=True,
    description="the session's `id`, as `POST /v1/apcv/sessions` answered it",
)

_FAILURES = """\
The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
(the practitioner's assertion, the software's identity: the installation's to fix, `detail`
says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries)."""

_JOURNAL = """\
The SOAP exchanges are journaled with the context's token (`TokenApCV`) and the scanned
payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
SHA-256 of its text."""

OPEN_DESCRIPTION = f"""\
Opens an ApCV session from what the patient shows at the front desk: the QR code of their
carte Vitale app (`qr`, the text the scanner read) or the payload of an NFC tap (`nfc`, Android
only). Give exactly one. The payload is opaque: it goes to the ApCV service unchanged
(`authentifierUtilisateurProximite`, with the practitioner's signed assertion), which opens a
*context*; the daemon then reads its beneficiaries (`restituerContexteApCV`) and answers the
session.

**The answer**: `id` (keep it: it stands for the patient's carte Vitale until `expires_at`),
`expires_at` (the context's end of validity, a few minutes away) and `beneficiaries`: the
insured person and those who hold rights through them, each with their NIR and the ouvrant
droit's, names, birth date (a lunar date is flagged `lunar_birth_date`), rank, régime, caisse
and centre, AMO rights periods, exonerations (ALD…) and, when the context carries it, the INS
with its OID. A beneficiary's position in the list is its `index` elsewhere: `POST
/v1/ins/search` takes `{{"apcv_session": id, "beneficiary": index}}`, a care sheet takes the
same session to be signed by the app.

**The practitioner**: the context belongs, at the service, to the practitioner who opened it
(the config's `[practitioner]`, or the body's `practitioner`): the session keeps them, and
reading, releasing and signing act as them, whoever asks.

**A refused code** is a 422 naming the field (`/qr` or `/nfc`), each with its own type:
`apcv-qr-expired` (the code is past its validity: the patient shows it again),
`apcv-qr-tampered` (its signature does not hold: misread or altered), `apcv-qr-replayed` (it
already opened a session), `apcv-qr-invalid` (not a carte Vitale app code). Control characters
(a scanner's trailing newline) are refused before any call.

{_FAILURES}

Journaled as `apcv.session`: a `pending` row before the service is called, a row with how it
went (the SOAP exchanges), then the session's row naming the first beneficiary. {_JOURNAL}"""

GET_DESCRIPTION = f"""\
The session, read again from the ApCV service (`restituerContexteApCV`): the beneficiaries as
the service gives them now, and the context's end of validity. 404
`apcv-session-not-found` for a session released (or never opened here); 410
`apcv-session-expired` once its context ended, by its time or because the service says so:
the patient must show the code again. The service is asked as the practitioner who opened
the session.

{_FAILURES}

Journaled as `apcv.session` with the first beneficiary's INS (or NIR). {_JOURNAL}"""

RELEASE_DESCRIPTION = f"""\
Releases the session: the context is destroyed at the ApCV service (`detruireContexteApCV`)
and the session answers 404 from now on. Release it once the visit is billed; an expired
session can be released too (204). A session already released, or unknown, is a 404. When the
service cannot be reached the session is kept, and the call can be made again. The service is
asked as the practitioner who opened the session.

{_FAILURES}

Journaled as `apcv.session`: a `pending` row before the service is called, then how it went.
{_JOURNAL}"""

OPERATIONS = [
    Operation(
        "POST",
        "/v1/apcv/sessions",
        "Open an ApCV session from a scanned QR code or an NFC tap",
        open_session,
        scope=SCOPE,
        request_schema=SESSION_REQUEST,
        response_schema=SESSION_SCHEMA,
        response_status=201,
        operation_id="openApcvSession",
        description=OPEN_DESCRIPTION,
        errors=OPEN_ERRORS,
        request_examples=REQUEST_EXAMPLES,
        response_examples=SESSION_EXAMPLES,
    ),
    Operation(
        "GET",
        "/v1/apcv/sessions/{id}",
        "An ApCV session, read again from the service",
        get_session,
        scope=SCOPE,
        response_schema=SESSION_SCHEMA,
        params=[_ID_PARAM],
        operation_id="getApcvSession",
        description=GET_DESCRIPTION,
        errors=READ_ERRORS,
        response_examples=SESSION_EXAMPLES,
    ),
    Operation(
        "DELETE",
        "/v1/apcv/sessions/{id}",
        "Release an ApCV session",
        release_session,
        scope=SCOPE,
        response_status=204,
        params=[_ID_PARAM],
        operation_id="releaseApcvSession",
        description=RELEASE_DESCRIPTION,
        errors=RELEASE_ERRORS,
    ),
]
