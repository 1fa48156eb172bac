"""Refused requests (401, 403, 421) in the journal, tallied so that a flood of them cannot fill
the disk. The guard (``middlewares``) reports each refusal; ``Rejections`` decides what is
written."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from aiohttp import web

from aiguillage.api import CLIENT
from aiguillage.journal import Entry, Journal, iso
from aiguillage.problems import Problem, printable

#: Bytes kept of each field (path, Host, Origin…) a refused request leaves in the journal.
REJECTION_FIELD_BYTES = 512
#: Distinct (source, cause) pairs tallied within a minute; later sources share one tally.
MAX_REJECTION_TALLIES = 1000
OTHER_SOURCES = "(other sources)"


@dataclass
class _Tally:
    first: float
    last: float
    status: int
    title: str
    first_request_id: str
    more: int = 0


class Rejections:
    """Refused requests (401, 403, 421), journaled without letting a flood of them fill the
    disk: per minute and per (source address, cause), the first refusal is a full
    ``security.rejected`` row at once, and the others of that minute are counted and written
    as one summary row when the minute closes (or at shutdown). Each row's ``request`` holds
    ``count``, the refusals it stands for, so the counts of the rows add up to the refusals."""

    def __init__(self, journal: Journal, window: float = 60.0) -> None:
        self.journal = journal
        self.window = window
        self._period: int | None = None
        self._tallies: dict[tuple[str, str], _Tally] = {}
        self._timer: asyncio.TimerHandle | None = None

    def refused(self, request: web.Request, problem: Problem, request_id: str) -> None:
        now = time.time()
        period = int(now // self.window)
        if period != self._period:
            self.flush()
            self._period = period
        source = request.remote or "unknown"
        key = (source, problem.slug)
        if key not in self._tallies and len(self._tallies) >= MAX_REJECTION_TALLIES:
            key = (OTHER_SOURCES, problem.slug)
        tally = self._tallies.get(key)
        if tally is not None:
            tally.more += 1
            tally.last = now
            return
        self._tallies[key] = _Tally(now, now, problem.status, problem.title, request_id)
        client = request.get(CLIENT)
        self.journal.record_nowait(
            Entry(
                event="security.rejected",
                outcome=problem.slug,
                summary=f"{problem.status} {problem.title}: {problem.detail}"[:500],
                request_id=request_id,
                client=client.name if client else None,
                # The path without its query string, which may hold patient identifiers.
                request={
                    "method": _capped(request.method),
                    "path": _capped(request.path),
                    "host": _capped(request.headers.get("Host")),
                    "origin": _capped(request.headers.get("Origin")),
                    "sec_fetch_site": _capped(request.headers.get("Sec-Fetch-Site")),
                    "peer": source,
                    "count": 1,
                },
            )
        )
        if self._timer is None:
            delay = (period + 1) * self.window - now
            self._timer = asyncio.get_running_loop().call_later(delay + 0.01, self.flush)

    def flush(self) -> None:
        """Write the summary rows of the minute under way and start afresh."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        tallies, self._tallies, self._period = self._tallies, {}, None
        for (source, cause), t in tallies.items():
            if not t.more:
                continue
            self.journal.record_nowait(
                Entry(
                    event="security.rejected",
                    outcome=cause,
                    summary=(
                        f"{t.more} more refusals {t.status} {t.title} from {source} "
                        f"between {iso(t.first)} and {iso(t.last)}"
                    )[:500],
                    request_id=t.first_request_id,
                    request={
                        "peer": source,
                        "count": t.more,
                        "first": iso(t.first),
                        "last": iso(t.last),
                        "first_request_id": t.first_request_id,
                    },
                )
            )


REJECTIONS = web.AppKey("rejections", Rejections)


def _capped(value: str | None) -> str | None:
    """``value`` printable and cut to ``REJECTION_FIELD_BYTES``: a refused request, which anyone
    can send, stores little."""
    if value is None:
        return None
    data = printable(value).encode()
    if len(data) <= REJECTION_FIELD_BYTES:
        return data.decode()
    kept = data[:REJECTION_FIELD_BYTES].decode(errors="ignore")
    return f"{kept}…[{len(data)} bytes]"
