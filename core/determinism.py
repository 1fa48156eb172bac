"""Where generated identifiers and the time written into frames come from: random ids and the
real clock by default; a seeded generator and a frozen clock during a certification run
(``aiguillage conformance run``), so that two runs with the same seed send the same bytes.

Every message id, document uniqueId, MIME boundary, assertion id and frame time stamp goes
through :func:`new_uuid` and :func:`utc_now`. Timers, retry delays, lease times and the
journal's own times stay on the real clock: freezing them would stop the daemon.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

_generator: random.Random | None = None
_frozen: dt.datetime | None = None


def seed(value: int | str | None) -> None:
    """Draw ids from a generator seeded with ``value`` from now on; ``None``: random again."""
    global _generator
    _generator = None if value is None else random.Random(str(value))


def freeze(instant: dt.datetime | None) -> None:
    """Make :func:`utc_now` answer ``instant`` (an aware datetime) from now on; ``None``: the
    real clock again."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("a frozen instant needs a time zone")
    _frozen = None if instant is None else instant.astimezone(dt.UTC)


def new_uuid() -> uuid.UUID:
    """A version 4 UUID: random, or the seeded generator's next one."""
    if _generator is None:
        return uuid.uuid4()
    return uuid.UUID(int=_generator.getrandbits(128), version=4)


def utc_now() -> dt.datetime:
    """The time to write into a frame (an assertion's IssueInstant, a context's Temps…)."""
    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)


def state() -> dict[str, str | None]:
    """What is in force, for a run's summary."""
    return {
        "ids": "seeded" if _generator is not None else "random",
        "clock": _frozen.isoformat() if _frozen is not None else None,
    }
