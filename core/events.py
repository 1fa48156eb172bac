"""The core event bus behind ``GET /v1/events``.

Events get increasing ids; the last ``history`` events are kept so a client that reconnects with
``Last-Event-ID`` misses nothing that happened while it was away (within that window). A
subscriber too slow to keep up is cut off rather than slowing the daemon down; it reconnects and
resumes from its last id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("aiguillage.events")


#: The last event a listener hears: the bus closed (the daemon stops). Never on the stream.
CLOSED = "bus.closed"


@dataclass(frozen=True)
class Event:
    id: int
    type: str
    data: dict[str, Any]
    time: float = field(default_factory=time.time)
    #: The scope a client app needs to see it (``None``: every app).
    scope: str | None = None


class Subscription:
    def __init__(self, bus: EventBus, size: int) -> None:
        self.bus = bus
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(size)
        self.overflowed = False

    async def get(self, wait: float) -> Event | None:
        """Next event, or ``None`` on timeout or when the bus closes or this subscriber lagged."""
        if self.overflowed and self.queue.empty():
            return None
        try:
            async with asyncio.timeout(wait):
                return await self.queue.get()
        except TimeoutError:
            return None

    def close(self) -> None:
        self.bus._subscribers.discard(self)


class EventBus:
    def __init__(self, history: int = 1000, queue_size: int = 1000) -> None:
        self._history: deque[Event] = deque(maxlen=history)
        self._subscribers: set[Subscription] = set()
        self._listeners: set[Callable[[Event], None]] = set()
        self._queue_size = queue_size
        self._next_id = 1
        self.closed = False

    def publish(self, type: str, data: dict[str, Any], scope: str | None = None) -> Event:
        event = Event(self._next_id, type, data, scope=scope)
        self._next_id += 1
        self._history.append(event)
        for sub in list(self._subscribers):
            try:
                sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                sub.overflowed = True
                self._subscribers.discard(sub)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # the publisher (a delivery, a request) must not fail for it
                log.exception("an event listener failed on %s", event.type)
        return event

    def listen(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``listener`` with each event as it is published, until the function returned
        is called. For waiters inside the daemon (a send waiting for its delivery's outcome):
        no queue, so nothing to lag behind; ``listener`` runs in the publisher's turn and must
        be quick."""
        self._listeners.add(listener)
        return lambda: self._listeners.discard(listener)

    def subscribe(self, last_id: int | None = None) -> tuple[Subscription, list[Event]]:
        """A new subscription and the kept events after ``last_id`` to replay first."""
        sub = Subscription(self, self._queue_size)
        self._subscribers.add(sub)
        backlog = [e for e in self._history if last_id is not None and e.id > last_id]
        return sub, backlog

    def close(self) -> None:
        """Wake every subscriber so event streams end before the server shuts down, and tell
        the listeners (:data:`CLOSED`) so that no request waits on past it."""
        self.closed = True
        for sub in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                sub.queue.put_nowait(None)
        self._subscribers.clear()
        closing = Event(0, CLOSED, {})
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):
                listener(closing)
