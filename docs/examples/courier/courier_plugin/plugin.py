"""The courier plugin's hooks: one synchronous operation (the opening hours, journaled), one send
through the outbox (a letter), and the simulator the daemon starts for ``endpoint = "simulator"``.

Everything comes from ``aiguillage.plugin``: nothing else of the core is imported."""

from __future__ import annotations

import uuid

import aiohttp

from aiguillage.plugin import (
    ACCEPTED_SCHEMA,
    Call,
    CertificateError,
    ConfigKey,
    Delivered,
    Faults,
    Health,
    Item,
    Operation,
    PluginConfig,
    PluginInfo,
    Problem,
    accept,
    certificate_keys,
    client_context,
    configured_credential,
    configured_trust,
    fault_keys,
    hookimpl,
    plugin_test_pki,
    service_health,
)

from .client import CourierClient, CourierError
from .simulator import CourierSimulator

KIND = "courier.letter"
LETTER_SCHEMA = {
    "title": "CourierLetter",
    "type": "object",
    "required": ["to", "text"],
    "additionalProperties": False,
    "properties": {
        "to": {"type": "string", "minLength": 1, "maxLength": 200, "description": "recipient"},
        "text": {"type": "string", "minLength": 1, "maxLength": 10000, "description": "body"},
    },
}
HOURS_SCHEMA = {
    "title": "CourierHours",
    "type": "object",
    "required": ["open", "hours"],
    "properties": {
        "open": {"type": "boolean", "description": "whether the courier collects now"},
        "hours": {"type": "string", "description": "opening hours, as the courier writes them"},
    },
}


async def opening_hours(call: Call) -> dict:
    client: CourierClient = call.service()  # a 503 problem when the plugin could not start
    try:
        answer, raw = await client.hours()
    except CourierError as exc:  # journaled too, then told to the EHR: never a 500
        await call.journal("courier.hours", exc.message, exc.code)
        raise Problem(
            503, "courier-unavailable", "The courier did not answer", exc.message, service="courier"
        ) from None
    await call.journal("courier.hours", f"open: {answer['open']}", response=raw.decode())
    return {"open": answer["open"], "hours": answer["hours"]}


async def send_letter(call: Call):
    return await accept(
        call,
        kind=KIND,
        payload={"to": call.body["to"], "text": call.body["text"]},
        # The id the courier sees, fixed now: a re-delivery after a crash is recognised.
        external_id=str(uuid.uuid4()),
        practitioner=call.practitioner,
    )


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="courier",
        version="0.1",
        title="Courier (an example plugin)",
        contract="2.2",
        outbox_kinds=(KIND,),
        config=(
            ConfigKey("timeout", "float", 5.0, "seconds before a call to the courier gives up"),
            *certificate_keys("auth_certificate", "TLS client certificate"),
            ConfigKey("server_ca", "str", "", "PEM bundle trusted for the courier's server"),
            *fault_keys("answer 503 to every letter"),
        ),
    )


@hookimpl
def register_operations(register) -> None:
    register(
        Operation(
            "GET",
            "/v1/courier/hours",
            "The courier's opening hours",
            opening_hours,
            scope="courier",
            response_schema=HOURS_SCHEMA,
            operation_id="getCourierHours",
            description="Asks the courier service, live, when it collects letters.",
            errors={503: ("courier-unavailable",)},
            response_examples={"open": {"open": True, "hours": "08:00-18:00"}},
        )
    )
    register(
        Operation(
            "POST",
            "/v1/courier/letters",
            "Send a letter (queued, 202)",
            send_letter,
            scope="courier",
            request_schema=LETTER_SCHEMA,
            response_status=202,
            response_schema=ACCEPTED_SCHEMA,
            operation_id="sendCourierLetter",
            description="Queues the letter in the outbox: the answer names the outbox item "
            "that follows its delivery. Send an `Idempotency-Key` to make it safe to repeat.",
            request_examples={"letter": {"to": "dr.martin", "text": "Bonjour"}},
            request_headers=("Idempotency-Key",),
            response_headers=("Location", "Idempotent-Replayed"),
        )
    )


@hookimpl
async def startup(config: PluginConfig) -> None:
    try:
        auth = configured_credential(config, "auth_certificate", "structure-auth")
    except CertificateError as exc:
        config.unavailable = str(exc)
        return
    connector = aiohttp.TCPConnector(ssl=client_context(auth, configured_trust(config)))
    config.state["session"] = session = aiohttp.ClientSession(connector=connector)
    config.credentials = {"auth_certificate": auth}
    config.service = CourierClient(config.endpoint_url, session, config.options["timeout"])


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    session = config.state.pop("session", None)
    if session is not None:
        await session.close()


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await service_health(config)


@hookimpl
async def deliver(item: Item, config: PluginConfig) -> Delivered:
    client: CourierClient = config.service
    return await client.post_letter(item.external_id, item.payload["to"], item.payload["text"])


@hookimpl
def simulator(config: PluginConfig) -> CourierSimulator:
    pki = plugin_test_pki(config.data_dir)
    faults = Faults.from_options(config.options)
    return CourierSimulator(pki.p12("server"), pki.password, pki.ca_bundle, faults)
