"""Times as the API shows them (ISO 8601, UTC) and as queries give them."""

from __future__ import annotations

import datetime as dt

from aiguillage.problems import FieldError, validation_problem

#: JSON schema of a ``from`` / ``to`` query parameter: a date or a date and time.
TIME_PARAM = {
    "type": "string",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
    "description": "YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)",
}


def iso(timestamp: float | None) -> str | None:
    """A UNIX timestamp as the API shows every time: RFC 3339 with its offset (UTC,
    milliseconds), e.g. ``2026-12-02T15:07:37.123+00:00``; ``None`` stays ``None``."""
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(timespec="milliseconds")


def parse_time(name: str, text: str | None) -> float | None:
    """A query's time as a UNIX timestamp; a date alone means its midnight UTC."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise validation_problem(
            [FieldError(name, f"{text!r} is not a valid date or time")]
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC).timestamp()
    except (OverflowError, ValueError):  # an offset that moves it out of years 1 to 9999
        raise validation_problem(
            [FieldError(name, f"{text!r} is outside the years 1 to 9999 in UTC")]
        ) from None
