"""Outbox workers: one dispatcher per plugin claims due items and delivers them through the
plugin's ``deliver`` hook, with a circuit breaker per plugin endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp

from aiguillage import outbox as ob
from aiguillage.config import OutboxPolicy
from aiguillage.events import EventBus
from aiguillage.hookspecs import PluginConfig
from aiguillage.journal import Entry, Journal
from aiguillage.plugin_manager import Plugins

log = logging.getLogger("aiguillage.outbox")

#: How often an idle dispatcher looks for items changed by another process (``outbox retry``).
IDLE_POLL_SECONDS = 1.0
#: Extra lease time beyond the attempt timeout before another worker may take the item.
LEASE_MARGIN = 30.0
#: A gap this large between the wall clock's and the monotonic clock's progress over one round
#: is the wall clock being set (by hand or by NTP), not drift: NTP slews by 0.5 ms/s at most.
CLOCK_JUMP_SECONDS = 1.0

#: The wall clock, in which the outbox plans retries (``next_attempt_at`` must mean the same
#: thing after a restart). Time spans the dispatcher waits are measured on ``time.monotonic``,
#: which no one can set; ``Dispatcher._follow_clock`` keeps the two in step. A name of its own
#: so that tests can set the clock back.
wall_clock = time.time

TRANSIENT_TYPES = (
    aiohttp.ClientConnectionError,
    aiohttp.ServerTimeoutError,
    ConnectionError,
    TimeoutError,
    OSError,
)


@dataclass
class Breaker:
    """Closed: deliver. Open: wait ``cooldown``, then let one probe through (half-open); the
    probe's success closes it, its failure opens it again.

    ``now`` is monotonic time: the cooldown must not last an hour more when the wall clock is
    set back an hour. ``opened_at`` (wall time) is only shown."""

    threshold: int
    cooldown: float
    state: Literal["closed", "open", "half_open"] = "closed"
    failures: int = 0
    opened_at: float = 0.0
    opened_mono: float = 0.0

    def allowed(self, now: float) -> int | None:
        """How many deliveries may start now (``None``: no limit but concurrency)."""
        if self.state == "open" and now >= self.opened_mono + self.cooldown:
            self.state = "half_open"
        if self.state == "closed":
            return None
        return 1 if self.state == "half_open" else 0

    def success(self) -> bool:
        """Record a delivery; True when this closes an open breaker (the queue recovered)."""
        recovered = self.state != "closed"
        self.state, self.failures = "closed", 0
        return recovered

    def failure(self, now: float) -> bool:
        """Record a transient failure; True when this opens the breaker (the queue is failing)."""
        self.failures += 1
        if self.state == "half_open" or (
            self.state == "closed" and self.failures >= self.threshold
        ):
            opening = self.state == "closed"
            self.state, self.opened_at, self.opened_mono = "open", wall_clock(), now
            return opening
        return False

    def describe(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "consecutive_failures": self.failures,
            "opened_at": self.opened_at or None,
        }


class Dispatcher:
    def __init__(
        self,
        plugins: Plugins,
        config: PluginConfig,
        policy: OutboxPolicy,
        outbox: ob.Outbox,
        events: EventBus,
        journal: Journal,
    ) -> None:
        self.plugins = plugins
        self.config = config
        self.policy = policy
        self.outbox = outbox
        self.events = events
        self.journal = journal
        self.breaker = Breaker(policy.breaker_threshold, policy.breaker_cooldown)
        self.inflight: set[asyncio.Task[None]] = set()
        #: The item each delivery under way carries, to put it back when it is cut off.
        self.carrying: dict[asyncio.Task[None], ob.Item] = {}
        self.wake = asyncio.Event()
        #: The wall and monotonic times of the last round, to see the wall clock jump.
        self._clocks: tuple[float, float] | None = None

    @property
    def name(self) -> str:
        return self.config.name

    async def run(self) -> None:
        if self.config.unavailable is not None:
            # Only a new start (a restart, or the plugin switched off and on) can fix its
            # cause; claiming items would spend their attempts until they were dead. They
            # wait, queued, and the outbox says why.
            return
        while True:
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not stop deliveries for good
                log.exception("%s: outbox dispatcher failed; trying again in 1 s", self.name)
                await asyncio.sleep(1.0)

    async def _round(self) -> None:
        while True:
            self.wake.clear()
            now = wall_clock()
            await self._follow_clock(now)
            allowed = self.breaker.allowed(time.monotonic())
            free = self.policy.concurrency - len(self.inflight)
            limit = free if allowed is None else min(free, allowed - len(self.inflight))
            claimed: list[ob.Item] = []
            if limit > 0:
                lease = self.policy.attempt_timeout + LEASE_MARGIN
                claimed = await self.outbox.write(
                    ob.claim, self.name, limit, now, lease, self.policy.max_delay, durable=False
                )
                for item in claimed:
                    self.publish(item)
                    task = asyncio.create_task(self.deliver(item))
                    self.inflight.add(task)
                    self.carrying[task] = item
                    task.add_done_callback(self._finished)
            if claimed and len(claimed) == limit:
                continue  # more may be due; the slots decide
            await self._sleep(now, slots_full=len(self.inflight) >= self.policy.concurrency)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.inflight.discard(task)
        if not task.cancelled():
            self.carrying.pop(task, None)
        self.wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: delivery task failed", self.name, exc_info=task.exception())

    async def _follow_clock(self, now: float) -> None:
        """Re-base the plans in the outbox when the wall clock jumped since the last round
        (rounds are at most ``IDLE_POLL_SECONDS`` apart, so within about a second of it)."""
        mono = time.monotonic()
        if self._clocks is not None:
            wall_before, mono_before = self._clocks
            jump = (now - wall_before) - (mono - mono_before)
            if abs(jump) >= CLOCK_JUMP_SECONDS:
                log.warning(
                    "%s: the wall clock jumped %+.1f s; outbox retries keep their real times",
                    self.name,
                    jump,
                )
                await self.outbox.write(ob.rebase, self.name, jump, durable=False)
        self._clocks = (now, mono)

    async def _sleep(self, now: float, slots_full: bool) -> None:
        wait = IDLE_POLL_SECONDS
        if self.breaker.state == "open":
            # Capped, not the whole cooldown: each round also watches the wall clock.
            reopens = self.breaker.opened_mono + self.breaker.cooldown - time.monotonic()
            wait = min(wait, max(0.0, reopens))
        elif not slots_full:  # when full, a delivery that ends wakes us: no need to look
            due = ob.next_due(self.outbox.reader, self.name)
            if due is not None:
                wait = min(wait, max(0.0, due - now))
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
        # comes as the wake event is set (a delivery ending as the daemon stops), and the
        # dispatcher then never stops.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self.wake.wait()

    async def deliver(self, item: ob.Item) -> None:
        started = wall_clock()
        try:
            async with asyncio.timeout(self.policy.attempt_timeout):
                result = await self.plugins.call(
                    self.name, "deliver", item=item, config=self.config
                )
            delivered = _delivered(result, self.name, item.kind)
        except Exception as exc:
            error = await self.classify(exc)
            done = await self.outbox.write(
                ob.mark_error, item.id, error, self.policy, started, wall_clock(), durable=False
            )
            if error.transient and self.breaker.failure(time.monotonic()):
                self.events.publish(
                    "outbox.failing",
                    {
                        "plugin": self.name,
                        "error": {"code": error.code, "message": error.message},
                        "detail": f"{self.breaker.failures} consecutive transient failures; "
                        f"deliveries paused, next probe in {self.policy.breaker_cooldown:g} s",
                    },
                    scope=self.name,
                )
        else:
            done = await self.outbox.write(
                ob.mark_sent, item.id, delivered, started, wall_clock(), durable=False
            )
            if self.breaker.success():
                self.events.publish("outbox.recovered", {"plugin": self.name}, scope=self.name)
        self.publish(done)
        if done.state in ("sent", "failed", "dead"):
            self.journal_outcome(done)

    async def classify(self, exc: BaseException) -> ob.DeliveryError:
        if isinstance(exc, ob.DeliveryError):
            return exc
        verdict = None
        with contextlib.suppress(Exception):  # a broken classifier must not lose the item
            verdict = await self.plugins.call(
                self.name, "classify_error", error=exc, config=self.config
            )
        if verdict is None:
            verdict = "transient" if isinstance(exc, TRANSIENT_TYPES) else "permanent"
        if isinstance(exc, TimeoutError):
            message = f"no answer within {self.policy.attempt_timeout:g} s"
        else:
            message = str(exc) or type(exc).__name__
        return ob.DeliveryError(type(exc).__name__, message[:1000], verdict == "transient")

    def publish(self, item: ob.Item) -> None:
        ob.publish_state(self.events, item)

    def journal_outcome(self, item: ob.Item) -> None:
        suffix = {"sent": "sent", "failed": "failed", "dead": "dead"}[item.state]
        practitioner = item.practitioner or {}
        error = item.last_error or {}
        self.journal.record_nowait(
            Entry(
                event=f"{item.kind}.{suffix}",
                outcome="ok" if item.state == "sent" else error.get("code", item.state),
                summary=f"outbox item {item.id} ({item.external_id}) {item.state} after "
                f"{item.attempts} attempt(s)" + (f": {error['message']}" if error else ""),
                request_id=item.request_id,
                client=item.client,
                practitioner_id=practitioner.get("id"),
                practitioner_name=practitioner.get("name"),
                patient_ins=item.patient,
                request=item.payload,
                response=item.result if item.state == "sent" else error,
            )
        )

    async def put_back(self) -> None:
        """Queue again the items whose delivery was cut off (the dispatcher was stopped with
        its plugin switched off), rather than leave them leased until the lease runs out: a
        transient failure, retried with backoff once the plugin is on again."""
        cut = [(task, item) for task, item in self.carrying.items() if task.cancelled()]
        for task, item in cut:
            del self.carrying[task]
            error = ob.DeliveryError(
                "interrupted", "the service was switched off during this attempt", True
            )
            now = wall_clock()
            done = await self.outbox.write(
                ob.mark_error, item.id, error, self.policy, now, now, durable=False
            )
            self.publish(done)
            if done.state == "dead":
                self.journal_outcome(done)


def _delivered(result: Any, plugin: str, kind: str) -> ob.Delivered:
    if isinstance(result, ob.Delivered):
        return result
    if isinstance(result, dict):
        return ob.Delivered(result)
    if result is None:
        raise ob.DeliveryError(
            "no-deliverer", f"plugin {plugin} did not deliver kind {kind}", transient=False
        )
    # It returned, so the receiver has the item: failing it would make a human send it twice.
    log.error("%s: deliver returned a %s, not Delivered", plugin, type(result).__name__)
    return ob.Delivered({"value": str(result)[:1000]})


class Deliveries:
    """Every dispatcher of the daemon, started after recovery of interrupted sends; one is
    added when its plugin is switched on and removed when it is switched off."""

    def __init__(self) -> None:
        self.dispatchers: dict[str, Dispatcher] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, dispatchers: list[Dispatcher]) -> None:
        for d in dispatchers:
            self.dispatchers[d.name] = d
            self.tasks.append(asyncio.create_task(d.run(), name=f"outbox-{d.name}"))

    async def remove(self, name: str, grace: float = 5.0) -> None:
        """Stop the dispatcher of plugin ``name``: no new claim; deliveries under way get
        ``grace`` seconds to end, those that do not are cut off and queued again."""
        dispatcher = self.dispatchers.pop(name, None)
        if dispatcher is None:
            return
        tasks = [t for t in self.tasks if t.get_name() == f"outbox-{name}"]
        for task in tasks:
            task.cancel()
            self.tasks.remove(task)
        inflight = list(dispatcher.inflight)
        if inflight:
            _, pending = await asyncio.wait(inflight, timeout=grace)
            for task in pending:
                task.cancel()
        await asyncio.gather(*tasks, *inflight, return_exceptions=True)
        await dispatcher.put_back()

    def wake(self, plugin: str) -> None:
        if plugin in self.dispatchers:
            self.dispatchers[plugin].wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        for task in self.tasks:
            task.cancel()
        inflight = [t for d in self.dispatchers.values() for t in d.inflight]
        if inflight:  # let deliveries under way finish; what does not is recovered at restart
            _, pending = await asyncio.wait(inflight, timeout=grace)
            for task in pending:
                task.cancel()
        await asyncio.gather(*self.tasks, *inflight, return_exceptions=True)
