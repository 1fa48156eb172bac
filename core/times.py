"""Times as the API shows them (ISO 8601, UTC) and as queries give them."""

from __future__ import annotations

import datetime as dt

from aiguillage.problems import FieldError, validation_problem

#: JSON schema of a ``from`` / ``to`` query parameter: a date or a date and time.
TIME_PARAM = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$",
    "description": "YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)",
}


def iso(timestamp: float | None) -> str | None:
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
    return value.timestamp()
