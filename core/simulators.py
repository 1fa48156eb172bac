"""What the simulators share: serving their protocol on 127.0.0.1 over TLS, with client
certificates required, as the national services do."""

from __future__ import annotations

import asyncio
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
    """Start ``app`` on ``host:port`` (0: a free port); returns its runner and the port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    credential = load_credential(server_p12, password)
    site = web.TCPSite(runner, host, port, ssl_context=server_context(credential, client_trust))
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # port 0: the kernel chose


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

    def state(self) -> dict[str, float | bool]:
        """What ``POST /_admin/faults`` answers: the settings now in force."""
        return {"latency_ms": self.latency_ms, "error_rate": self.error_rate, "outage": self.outage}

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
