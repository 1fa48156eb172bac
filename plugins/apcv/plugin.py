"""Hook implementations of the apcv plugin."""

from __future__ import annotations

import time
import uuid
from typing import Any

import aiohttp

from aiguillage.plugin import (
    Call,
    CertificateError,
    ConfigKey,
    Faults,
    FieldError,
    Health,
    PluginConfig,
    PluginInfo,
    Practitioner,
    Signer,
    __version__,
    certificate_keys,
    client_context,
    configured_credential,
    configured_trust,
    fault_keys,
    hookimpl,
    iso,
    plugin_test_pki,
    service_health,
    validation_problem,
)

from .api import ENDED, EVENT, OPERATIONS, backend_of, ended, failure, opener, wire
from .backend import ApcvError, Exchange
from .client import SoapBackend, Software
from .sessions import Session, SessionStore, expired
from .simulator import ApcvSimulator

DEFAULT_IDAM = "NumAutorisation"


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="apcv",
        version=__version__,
        title="ApCV: the app version of the carte Vitale",
        api_prefixes=("apcv",),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            ConfigKey(
                "retries",
                "int",
                2,
                "extra tries of a transient failure (network, 5xx); refusals are never retried",
            ),
            *certificate_keys("auth_certificate", "TLS client certificate (structure)"),
            *certificate_keys(
                "signature_certificate", "signs the practitioner's assertion (wsse:Security)"
            ),
            ConfigKey(
                "server_ca",
                "str",
                "",
                "PEM bundle trusted for the ApCV server (empty: the system's trust store)",
            ),
            ConfigKey("idam", "str", DEFAULT_IDAM, "software authorisation number (IDAM)"),
            ConfigKey("idam_r", "str", "4", "the IDAM's R attribute"),
            ConfigKey("software_name", "str", "Aiguillage", "software name in ContexteLPS"),
            ConfigKey("software_version", "str", __version__, "software version in ContexteLPS"),
            ConfigKey(
                "software_instance",
                "str",
                "",
                "installation id in ContexteLPS (empty: one generated and kept in the data dir)",
            ),
            ConfigKey(
                "amo_specialty",
                "str",
                "",
                "the practitioner's AMO specialty code, 2 digits (empty: from the R01 "
                "specialty, SM26 → 01)",
            ),
            ConfigKey(
                "simulator_qr_validity",
                "float",
                180.0,
                "seconds a QR code the simulator issues stays valid",
            ),
            ConfigKey(
                "simulator_context_validity",
                "float",
                300.0,
                "seconds an ApCV context the simulator opens stays valid",
            ),
            *fault_keys("answer a SOAP fault saying the service is down to every call"),
        ),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
async def startup(config: PluginConfig) -> None:
    # The sessions come first: a session opened before a restart stays readable by the other
    # plugins (resolve_beneficiary) even when the certificates now fail to load.
    store = SessionStore(config.data_dir / "sessions.db")
    config.state["sessions"] = store
    # The sessions that ended while the daemon was stopped (or idle) go now, not at the next
    # write, which may be days away.
    await store.purge()
    try:
        _start(config)
    except CertificateError as exc:
        config.unavailable = str(exc)


def _start(config: PluginConfig) -> None:
    options = config.options
    auth = configured_credential(config, "auth_certificate", "structure-auth")
    signature = configured_credential(config, "signature_certificate", "practitioner-signature")
    if signature is None:
        raise CertificateError(
            "[apcv] needs signature_certificate (the service requires the practitioner's "
            "signed assertion)"
        )
    signer = Signer(signature)
    connector = aiohttp.TCPConnector(ssl=client_context(auth, configured_trust(config)), limit=16)
    session = aiohttp.ClientSession(connector=connector)
    config.state["session"] = session
    config.credentials = {"auth_certificate": auth, "signature_certificate": signature}
    config.service = SoapBackend(
        endpoint=config.endpoint_url,
        session=session,
        software=Software(
            options["idam"],
            options["idam_r"],
            options["software_name"],
            options["software_version"],
            _instance(config),
        ),
        signer=signer,
        timeout=options["timeout"],
        retries=options["retries"],
        amo_specialty=options["amo_specialty"] or None,
    )


def _instance(config: PluginConfig) -> str:
    if config.options["software_instance"]:
        return config.options["software_instance"]
    path = config.data_dir / "instance-id"
    if not path.exists():
        path.write_text(str(uuid.uuid4()))
    return path.read_text().strip()


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    backend = config.service
    config.service = None
    if backend is not None:
        await backend.aclose()
    session = config.state.pop("session", None)
    if session is not None:
        await session.close()
    store = config.state.pop("sessions", None)
    if store is not None:
        store.close()


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await service_health(config)


@hookimpl
def simulator(config: PluginConfig) -> ApcvSimulator:
    options = config.options
    return ApcvSimulator(
        data_dir=config.data_dir,
        pki=plugin_test_pki(config.data_dir),
        faults=Faults.from_options(options),
        qr_validity=options["simulator_qr_validity"],
        context_validity=options["simulator_context_validity"],
    )


# --- a session, for the other plugins (through the daemon) ---------------------------------------


def _held(config: PluginConfig, session_id: str) -> Session | None:
    """The session another plugin names, if this plugin holds it; 410 when it expired."""
    store: SessionStore | None = config.state.get("sessions")
    found = store.find(session_id) if store is not None else None
    if found is None or found.released_at is not None:
        return None  # the daemon answers 422 naming the caller's field
    if found.expired(time.time()):
        raise expired(found)
    return found


def _beneficiary(session: Session, index: int) -> dict[str, Any]:
    beneficiary = session.beneficiary(index)
    if beneficiary is None:
        count = len(session.beneficiaries)
        raise validation_problem(
            [
                FieldError(
                    "beneficiary",
                    f"session {session.id} has {count} beneficiar{'y' if count == 1 else 'ies'}"
                    f" (index 0 to {count - 1}); {index} is none of them",
                )
            ]
        )
    return beneficiary


def _tags(practitioner: Practitioner, beneficiary: dict[str, Any]) -> dict[str, Any]:
    return {
        "practitioner": practitioner,
        "patient_ins": (beneficiary.get("ins") or {}).get("matricule") or beneficiary["nir"],
        "patient_name": f"{beneficiary['birth_name']} {beneficiary['first_name']}",
    }


@hookimpl
async def resolve_beneficiary(
    call: Call, session: str, index: int, config: PluginConfig
) -> dict[str, Any] | None:
    held = _held(config, session)
    if held is None:
        return None
    beneficiary = _beneficiary(held, index)
    # Patient data handed to another operation: the journal says to which.
    await call.journal(
        EVENT,
        f"beneficiary {index} of session {held.id} read for request {call.request_id}",
        **_tags(call.practitioner, beneficiary),
    )
    return beneficiary


@hookimpl
async def sign_care_sheet(
    call: Call,
    session: str,
    index: int,
    digest: str,
    summary: dict[str, str],
    config: PluginConfig,
) -> dict[str, str] | None:
    held = _held(config, session)
    if held is None:
        return None
    beneficiary = _beneficiary(held, index)
    backend = backend_of(config)
    # The context is its opener's: the service refuses it to anyone else, whoever makes the
    # care sheet. The journal names them too: who the service saw acting.
    practitioner = opener(call, held)
    exchanges: list[Exchange] = []
    asked = f"sign care sheet {digest[:16]}… with session {held.id} (beneficiary {index})"
    try:
        async with call.remote_action(
            f"{EVENT}.sign",
            asked,
            request={"digest": digest, "summary": summary},
            **_tags(practitioner, beneficiary),
        ) as done:
            try:
                signature = await backend.sign(
                    held.context, digest, summary, practitioner, exchanges
                )
            except ApcvError as exc:
                done.outcome = exc.code
                done.summary = f"{asked}: {exc.code} ({exc.detail})"
                done.response = wire(exchanges)
                raise
            done.summary = f"{asked}: signed, reference {signature.reference}"
            done.response = wire(exchanges)
    except ApcvError as exc:
        if exc.code in ENDED:
            await config.state["sessions"].end(held.id, time.time())
            raise ended(held, exc) from None
        raise failure(exc) from None
    return {
        "value": signature.value,
        "signed_at": iso(signature.signed_at.timestamp()),
        "reference": signature.reference,
        # The context the signature was made in: what signerVitale signed names it.
        "context": held.context.id,
    }
