"""RFC 9457 problem details: the one shape every error of the API takes."""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:aiguillage:problem:"

#: JSON schema of a problem document, published in the OpenAPI document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "An RFC 9457 problem document: what every error answer is.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {
            # Open: a type added in a later release (or by a plugin enabled later) must not
            # break an older generated client's error handling.
            "anyOf": [{"$ref": "#/components/schemas/ProblemType"}, {"type": "string"}],
            "description": "what went wrong, as a URN: one of ProblemType's, or a newer one",
        },
        "title": {"type": "string", "description": "a short, human-readable summary"},
        "status": {"type": "integer", "description": "the HTTP status, repeated"},
        "detail": {"type": "string", "description": "what happened, for a person to read"},
        "request_id": {"type": "string", "description": "the request's X-Request-Id"},
        "errors": {
            "type": "array",
            "description": "one entry per invalid field",
            "items": {
                "title": "FieldError",
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string", "description": "JSON pointer or parameter name"},
                    "message": {"type": "string"},
                },
            },
        },
        "service": {"type": "string", "description": "national service that answered"},
        "service_code": {"type": "string", "description": "that service's own error code"},
    },
}


def printable(text: str) -> str:
    """``text`` with what UTF-8 cannot carry — the undecodable bytes of a header, lone
    surrogates of a JSON string — shown as ``\\xNN`` / ``\\udNNN`` escapes, so that a message
    quoting it can be answered and journaled."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape" if _only_escapes(text) else "backslashreplace")
        return raw.decode("utf-8", "backslashreplace")
    return text


#: A problem quotes what it refuses; a megabyte-long value is quoted up to this many characters.
MAX_QUOTED = 300


def shortened(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def _only_escapes(text: str) -> bool:
    # Header bytes that are not UTF-8 arrive as U+DC80..U+DCFF (surrogateescape).
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


@dataclass
class FieldError:
    field: str
    message: str

    def __post_init__(self) -> None:
        self.field = shortened(printable(self.field))
        self.message = shortened(printable(self.message))


@dataclass
class Problem(Exception):
    """Raise anywhere below a handler; the error middleware renders it."""

    status: int
    slug: str
    title: str
    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)
    service: str | None = None
    service_code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Extension members (RFC 9457 §3.2), e.g. a service's subcode and severity.
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.title = shortened(printable(self.title))
        self.detail = shortened(printable(self.detail), 4 * MAX_QUOTED)
        super().__init__(self.title)

    def to_dict(self, request_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.slug,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if request_id:
            body["request_id"] = request_id
        if self.errors:
            body["errors"] = [{"field": e.field, "message": e.message} for e in self.errors]
        if self.service:
            body["service"] = self.service
        if self.service_code:
            body["service_code"] = self.service_code
        return {**body, **self.extra}

    def response(self, request_id: str | None = None) -> web.Response:
        return web.Response(
            status=self.status,
            body=json.dumps(self.to_dict(request_id), ensure_ascii=False).encode(),
            content_type=PROBLEM_MEDIA_TYPE,
            headers=self.headers,
        )


def validation_problem(errors: list[FieldError], detail: str = "") -> Problem:
    return Problem(
        422,
        "validation",
        "The request is not valid",
        detail or "; ".join(f"{e.field}: {e.message}" for e in errors),
        errors=errors,
    )


#: SQLite's and the system's names for a disk that cannot take a write, and for a data
#: directory the daemon may not write to.
_FULL_SQLITE = frozenset({"SQLITE_FULL"})
_FULL_ERRNO = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_READ_ONLY_SQLITE = frozenset({"SQLITE_READONLY", "SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN"})
# Not EACCES/EPERM: a socket refused by a firewall raises them too, and is no storage problem.
_READ_ONLY_ERRNO = frozenset({errno.EROFS})
_UNFINISHED = (
    "the request did not complete. Send it again with the same Idempotency-Key once the disk "
    "can be written; a call to a national service it may have made is in the journal as a "
    "pending row."
)


def storage_problem(exc: BaseException) -> Problem | None:
    """The problem a failed write to the data directory means for the client, or ``None`` when
    ``exc`` is not one."""
    name = getattr(exc, "sqlite_errorname", "")
    code = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if name in _FULL_SQLITE or code in _FULL_ERRNO:
        return Problem(
            507,
            "storage-full",
            "The daemon's disk is full",
            f"The data directory could not take a write this request needed: {_UNFINISHED}",
            headers={"Retry-After": "60"},
        )
    if name.startswith("SQLITE_READONLY") or name in _READ_ONLY_SQLITE or code in _READ_ONLY_ERRNO:
        return Problem(
            503,
            "storage-read-only",
            "The daemon cannot write its data directory",
            "The data directory could not be written (read-only or permission denied; the "
            f"daemon log names the file): {_UNFINISHED}",
            headers={"Retry-After": "60"},
        )
    if name.startswith("SQLITE_IOERR"):
        return Problem(
            503,
            "storage-error",
            "The daemon's disk failed a write",
            f"The data directory failed a write (the daemon log has the error): {_UNFINISHED}",
            headers={"Retry-After": "60"},
        )
    return None


#: Problems the HTTP layer raises (404, 405…) mapped to slugs.
HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "body-too-large",
    415: "unsupported-media-type",
    421: "misdirected-request",
    422: "validation",
    500: "internal",
    507: "storage-full",
}
