"""What the simulators share: serving their protocol on 127.0.0.1 over TLS, with client
certificates required, as the national services do."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Self

from aiohttp import web

from aiguillage.hookspecs import ConfigKey
from aiguillage.security.credentials import load_credential, server_context


async def serve_tls(
    app: web.Application, host: str, port: int, server_p12: Path, password: str, client_trust: Path
) -> tuple[web.AppRunner, int]:
    """Start ``app`` on ``host:port`` (0: a free port); returns its runner and the port.
    While a certification run listens (:func:`capture_frames`), every exchange but the admin
    calls is handed to it as a :class:`Frame`."""
    app.middlewares.append(_capture_middleware)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    credential = load_credential(server_p12, password)
    site = web.TCPSite(runner, host, port, ssl_context=server_context(credential, client_trust))
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # port 0: the kernel chose


@dataclass(frozen=True)
class Frame:
    """One HTTP exchange as a simulator received and answered it: the request line and
    headers as they came, the body's bytes (MTOM parts included), the status line and headers
    the handler set (aiohttp adds ``Date`` and ``Server`` when sending) and the answer's bytes."""

    time: float
    port: int
    method: str
    path: str
    request_head: bytes
    request_body: bytes
    status: int
    response_head: bytes
    response_body: bytes


_listener: Callable[[Frame], None] | None = None


def capture_frames(listener: Callable[[Frame], None] | None) -> None:
    """Hand every simulator exchange to ``listener`` from now on (``None``: stop)."""
    global _listener
    _listener = listener


@web.middleware
async def _capture_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    listener = _listener
    if listener is None or request.path.startswith("/_admin/"):
        return await handler(request)
    body = await request.read()  # cached by aiohttp: the handler reads the same bytes
    response = await handler(request)
    answer = response.body if isinstance(response, web.Response) else b""
    answer = answer if isinstance(answer, bytes) else b""
    version = f"HTTP/{request.version.major}.{request.version.minor}"
    head = [f"{request.method} {request.path_qs} {version}".encode()]
    head += [name + b": " + value for name, value in request.raw_headers]
    reply = [f"{version} {response.status} {response.reason}".encode()]
    reply += [f"{name}: {value}".encode() for name, value in response.headers.items()]
    if "Content-Length" not in response.headers:
        reply.append(f"Content-Length: {len(answer)}".encode())
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    listener(
        Frame(
            time=time.time(),
            port=sockname[1] if sockname else 0,
            method=request.method,
            path=request.path,
            request_head=b"\r\n".join(head) + b"\r\n\r\n",
            request_body=body,
            status=response.status,
            response_head=b"\r\n".join(reply) + b"\r\n\r\n",
            response_body=answer,
        )
    )
    return response


@dataclass
class Injection:
    """A response file a simulator answers, as it is, to the next ``times`` calls (of
    ``path`` only, when given): what the CNDA test package asks a vendor to inject where the
    qualification platform cannot produce an answer."""

    body: bytes
    content_type: str = "application/soap+xml; charset=utf-8"
    status: int = 200
    times: int = 1
    path: str | None = None

    def response(self) -> web.Response:
        return web.Response(
            status=self.status, body=self.body, headers={"Content-Type": self.content_type}
        )


#: Most calls one injection may cover.
MOST_INJECTED_CALLS = 1000


@dataclass
class Faults:
    """The fault injection every simulator offers, set by config or ``POST /_admin/faults``:
    a delay before each answer, a share of bare HTTP 503 answers, and an outage (each
    simulator answers it with its service's own "unavailable" fault)."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    outage: bool = False
    seed: int | None = None  # for runs a harness wants to repeat exactly
    random: Random = field(init=False, repr=False, compare=False)
    injections: list[Injection] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.random = Random(self.seed)

    @classmethod
    def from_options(cls, options: dict) -> Self:
        """The faults a plugin's config asks of its simulator (the keys of :func:`fault_keys`)."""
        return cls(
            latency_ms=options["simulator_latency_ms"],
            error_rate=options["simulator_error_rate"],
            outage=options["simulator_outage"],
        )

    def update(self, body: dict) -> None:
        for key in ("latency_ms", "error_rate"):
            if key in body:
                setattr(self, key, float(body[key]))
        if "outage" in body:
            self.outage = bool(body["outage"])

    def state(self) -> dict[str, float | bool | int]:
        """What ``POST /_admin/faults`` answers: the settings now in force."""
        return {
            "latency_ms": self.latency_ms,
            "error_rate": self.error_rate,
            "outage": self.outage,
            "injected": sum(i.times for i in self.injections),
        }

    def inject(self, injection: Injection) -> None:
        """Answer ``injection`` to the next calls it covers, after those injected before."""
        self.injections.append(injection)

    def injected(self, path: str) -> web.Response | None:
        """The injected answer for this call to ``path``, counted off; ``None`` when none is
        pending for it."""
        for injection in self.injections:
            if injection.path is None or injection.path == path:
                injection.times -= 1
                if injection.times <= 0:
                    self.injections.remove(injection)
                return injection.response()
        return None

    async def disturb(self) -> web.Response | None:
        """Wait the configured delay; the 503 to answer instead, when this call draws one."""
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        if self.error_rate and self.random.random() < self.error_rate:
            return web.Response(status=503, text="Service Unavailable")
        return None


def fault_keys(outage: str) -> tuple[ConfigKey, ...]:
    """The config keys that set a simulator's :class:`Faults`, for a plugin's ``plugin_info``;
    ``outage`` says what its simulator answers during one."""
    return (
        ConfigKey("simulator_latency_ms", "float", 0.0, "simulator: delay of each answer"),
        ConfigKey("simulator_error_rate", "float", 0.0, "simulator: share of HTTP 503"),
        ConfigKey("simulator_outage", "bool", False, f"simulator: {outage}"),
    )


def injection_from_query(query: Mapping[str, str], body: bytes) -> Injection:
    """The injection ``POST /_admin/inject`` asks for: the body is the response file, as it is
    to be answered; query ``times`` (default 1), ``status`` (200), ``content_type`` (SOAP 1.2)
    and ``path`` (every path). A ``ValueError`` names the parameter that is wrong."""
    try:
        times = int(query.get("times", "1"))
    except ValueError:
        raise ValueError("times: not a whole number") from None
    if not 1 <= times <= MOST_INJECTED_CALLS:
        raise ValueError(f"times: between 1 and {MOST_INJECTED_CALLS}")
    try:
        status = int(query.get("status", "200"))
    except ValueError:
        raise ValueError("status: not a whole number") from None
    if not 200 <= status <= 599:
        raise ValueError("status: an HTTP status between 200 and 599")
    if not body:
        raise ValueError("body: the response file to answer is empty")
    return Injection(
        body=body,
        content_type=query.get("content_type", Injection.content_type),
        status=status,
        times=times,
        path=query.get("path") or None,
    )


async def inject_route(faults: Faults, request: web.Request) -> web.Response:
    """``POST /_admin/inject`` of a simulator whose answers need no check (see
    :func:`injection_from_query`); answers the fault state, or a 400 naming what is wrong."""
    try:
        faults.inject(injection_from_query(request.query, await request.read()))
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response(faults.state())
