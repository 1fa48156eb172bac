"""RFC 9457 problem details: the one shape every error of the API takes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:aiguillage:problem:"

#: JSON schema of a problem document, published in the OpenAPI document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "URN naming the kind of problem"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "one entry per invalid field",
            "items": {
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


def _only_escapes(text: str) -> bool:
    # Header bytes that are not UTF-8 arrive as U+DC80..U+DCFF (surrogateescape).
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


@dataclass
class FieldError:
    field: str
    message: str

    def __post_init__(self) -> None:
        self.field, self.message = printable(self.field), printable(self.message)


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
        self.title, self.detail = printable(self.title), printable(self.detail)
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
}
