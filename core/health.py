"""Plugin health: a background monitor, so ``GET /v1/health`` answers from memory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from urllib.parse import urlsplit

from aiguillage.events import EventBus
from aiguillage.hookspecs import Health, PluginConfig
from aiguillage.plugin_manager import Plugins
from aiguillage.security.credentials import note_expiry

log = logging.getLogger("aiguillage.health")
HEALTH_TIMEOUT = 5.0
#: The port a URL without one names. ``smtp`` is message submission (RFC 6409), the port a
#: mail client such as the daemon submits on and the MSSanté plugin sends to, not the relay's 25.
DEFAULT_PORTS = {"http": 80, "https": 443, "smtp": 587, "smtps": 465, "imap": 143, "imaps": 993}


async def probe_endpoint(url: str | None, wait: float = 3.0) -> Health:
    """Whether a TCP connection to the endpoint's host and port opens within ``wait`` seconds."""
    if url is None:
        return Health("down", 'endpoint = "simulator", but this plugin ships no simulator yet')
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    if not parts.hostname or port is None:
        return Health("down", f"cannot tell host and port of {url}")
    started = time.perf_counter()
    try:
        async with asyncio.timeout(wait):
            _, writer = await asyncio.open_connection(parts.hostname, port)
    except (OSError, TimeoutError) as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        return Health("down", f"{parts.hostname}:{port} unreachable: {reason}")
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return Health(
        "up",
        f"{parts.hostname}:{port} reachable",
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
    )


class HealthMonitor:
    """Checks every enabled plugin periodically; publishes ``plugin.health`` on each change.

    ``configs`` gives the plugins running at the time of each round: a plugin switched on
    joins the next one (and is checked at once by whoever started it), one switched off is
    forgotten."""

    def __init__(
        self, plugins: Plugins, configs: Callable[[], list[PluginConfig]], events: EventBus
    ) -> None:
        self.plugins = plugins
        self.configs = configs
        self.events = events
        self.results: dict[str, dict] = {}

    async def check_all(self) -> None:
        await asyncio.gather(*(self.check(c) for c in self.configs()))

    def forget(self, name: str) -> None:
        """Drop a stopped plugin's last result (its next start is a first check again)."""
        self.results.pop(name, None)

    async def check(self, config: PluginConfig) -> None:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                health = await self.plugins.call(config.name, "health", config=config)
            if health is None:
                health = Health("up", "this plugin reports no health")
            elif not isinstance(health, Health):
                health = Health("down", f"health hook returned {type(health).__name__}")
        except TimeoutError:
            health = Health("down", f"health check took over {HEALTH_TIMEOUT:g} s")
        except Exception as exc:
            log.exception("health check of %s failed", config.name)
            health = Health("down", f"health check failed: {type(exc).__name__}")
        if not config.enabled:
            return  # switched off while being checked: its result would outlive it
        result = {**asdict(health), "checked_at": time.time()}
        previous = self.results.get(config.name)
        self.results[config.name] = result
        if previous is None or previous["status"] != health.status:
            self.events.publish(
                "plugin.health",
                {
                    "plugin": config.name,
                    "status": health.status,
                    "detail": health.detail,
                    "previous": previous["status"] if previous else None,
                },
            )

    async def run(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.check_all()


async def service_health(config: PluginConfig) -> Health:
    """The health of a plugin that talks to a service with certificates: down with the reason
    when it could not start (``config.unavailable``), else its endpoint's reachability, degraded
    when a credential in ``config.credentials`` expires soon."""
    if config.unavailable is not None:
        return Health("down", config.unavailable)
    reachable = await probe_endpoint(config.endpoint_url, wait=min(config.options["timeout"], 3.0))
    return note_expiry(reachable, config.credentials)
