"""The guard every request passes, outermost first.

1. ``request_context``: ``X-Request-Id`` accepted or generated and echoed; every error rendered as
   problem+json; a handler bug logged with its trace and answered as a bare 500 problem.
2. ``host_guard``: the Host header must name this daemon (421 otherwise): defeats DNS rebinding.
3. ``origin_guard``: a browser Origin must be the daemon's own (the console's page) or be
   allowlisted by a client app (403 otherwise), and ``Sec-Fetch-Site: cross-site`` is refused
   unless it is. Origin is never compared with Host: the daemon's own origins are the names it
   answers to on the port the request came in on.
4. ``authenticate``: a bearer token naming an active client app (401 otherwise); the Origin, if
   any, must be one of that app's, and the daemon's own origin takes admin apps only (the
   console holds an admin token). The console's static files, which hold no data, and the
   operations that hand out a token (``UNAUTHENTICATED``) need none; those take no foreign
   Origin at all.
5. ``scope_guard``: the app holds the operation's scope (403 otherwise).
6. ``body_guard``: request bodies have a declared media type (415) and fit the cap (413).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from aiguillage.api import BODY, CLIENT, CORS_ORIGIN, REQUEST_ID, operation_of
from aiguillage.appkeys import CHECK_ANSWERS, CLIENTS, HOSTS_BY_PORT, SETTINGS
from aiguillage.clients import ADMIN_SCOPE
from aiguillage.logs import route_of
from aiguillage.openapi import UNAUTHENTICATED, UNMATCHED_ERRORS, declared_errors
from aiguillage.problems import HTTP_SLUGS, TYPE_PREFIX, FieldError, Problem
from aiguillage.rejections import REJECTIONS

log = logging.getLogger("aiguillage.api")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
EXPOSED_HEADERS = "Location, X-Request-Id, Idempotent-Replayed, Content-Disposition"
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID"
#: The request comes from a page the daemon itself served (the console).
OWN_ORIGIN = web.RequestKey("own_origin", bool)


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    given = request.headers.get("X-Request-Id")
    request_id = given if given and _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    request[REQUEST_ID] = request_id
    try:
        if given is not None and given != request_id:
            raise Problem(
                400,
                "bad-request-id",
                "Invalid X-Request-Id",
                "X-Request-Id must be 1 to 128 letters, digits or . _ : @ -",
                errors=[FieldError("X-Request-Id", "1 to 128 letters, digits or . _ : @ -")],
            )
        response = await handler(request)
    except Problem as problem:
        response = problem.response(request_id)
        if problem.status in _SECURITY_STATUSES:
            _journal_rejection(request, problem, request_id)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        status = exc.status
        response = Problem(status, HTTP_SLUGS.get(status, "http-error"), exc.reason).response(
            request_id
        )
        if status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
    except Exception:
        # The trace goes to the log, never to the client; the request id links the two.
        log.exception(
            "unhandled error in %s %s (request %s)", request.method, route_of(request), request_id
        )
        response = Problem(
            500,
            "internal",
            "Internal error",
            f"An internal error occurred; the daemon log has the details under request id "
            f"{request_id}.",
        ).response(request_id)
    if request.app.get(CHECK_ANSWERS) and response.status >= 400:
        response = _undeclared(request, response, request_id) or response
    response.headers["X-Request-Id"] = request_id
    origin = request.get(CORS_ORIGIN)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response.headers["Vary"] = "Origin"
    return response


_SECURITY_STATUSES = frozenset({401, 403, 421})


def _undeclared(
    request: web.Request, response: web.StreamResponse, request_id: str
) -> web.Response | None:
    """A 500 in place of a problem the OpenAPI document does not declare for the operation
    (tests only): a generated client would not know its type, so it is our bug."""
    if not isinstance(response, web.Response) or not response.body:
        return None
    try:
        urn = json.loads(response.body)["type"]
    except (ValueError, KeyError, TypeError):
        urn = None
    slug = urn.removeprefix(TYPE_PREFIX) if isinstance(urn, str) else None
    op = operation_of(request)
    declared = declared_errors(op) if op is not None else UNMATCHED_ERRORS
    if slug in declared.get(response.status, ()):
        return None
    where = f"{op.method} {op.path}" if op else f"{request.method} {request.path} (no operation)"
    log.error("%s answered an undeclared problem: %s %s", where, response.status, urn)
    return Problem(
        500,
        "internal",
        "Undeclared problem",
        f"{where} answered {response.status} {urn}, which its OpenAPI description does not "
        "declare: add it to the operation's errors",
    ).response(request_id)


def _journal_rejection(request: web.Request, problem: Problem, request_id: str) -> None:
    rejections = request.app.get(REJECTIONS)
    if rejections is not None:
        rejections.refused(request, problem, request_id)


@web.middleware
async def host_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    host = request.headers.get("Host", "")
    if host.lower() not in _allowed_hosts(request):
        raise Problem(
            421,
            "misdirected-request",
            "Host not allowed",
            f"This daemon answers to 127.0.0.1, localhost and [::1] on its own port, and to the "
            f"names in [daemon] allowed_hosts; not to {host!r}.",
        )
    return await handler(request)


def _allowed_hosts(request: web.Request) -> frozenset[str]:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    port = sockname[1] if sockname else request.app[SETTINGS].daemon.port
    cache = request.app[HOSTS_BY_PORT]
    hosts = cache.get(port)
    if hosts is None:
        names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
        if port in (80, 443):
            names |= {"127.0.0.1", "localhost", "[::1]"}
        names |= {h.lower() for h in request.app[SETTINGS].daemon.allowed_hosts}
        hosts = cache[port] = frozenset(names)
    return hosts


def _own_origins(request: web.Request) -> frozenset[str]:
    """The origins of the pages this daemon serves: each name it answers to on this port."""
    scheme = "https" if request.secure else "http"
    return frozenset(f"{scheme}://{host}" for host in _allowed_hosts(request))


@web.middleware
async def origin_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() in _own_origins(request):
        # Same origin: no CORS headers to give; authenticate asks for an admin app.
        request[OWN_ORIGIN] = True
        return await handler(request)
    if origin is None and request.headers.get("Sec-Fetch-Site") == "same-origin":
        # A browser's same-origin GET carries no Origin, but says where it comes from (a
        # header no page can set): the console's page too.
        request[OWN_ORIGIN] = True
    allowed = origin is not None and request.app[CLIENTS].origin_allowed(origin)
    if origin is not None and not allowed:
        raise Problem(
            403,
            "origin-not-allowed",
            "Origin not allowed",
            f"Browser requests from {origin} are refused: add it to a client app with "
            f"'aiguillage apps add NAME --origin {origin}'.",
        )
    if request.headers.get("Sec-Fetch-Site") == "cross-site" and not allowed:
        raise Problem(
            403,
            "cross-site",
            "Cross-site request refused",
            "A cross-site browser request needs an allowlisted Origin.",
        )
    if allowed:
        request[CORS_ORIGIN] = origin
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return web.Response(
                status=204,
                headers={
                    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
                    "Access-Control-Allow-Headers": CORS_HEADERS,
                    "Access-Control-Max-Age": "600",
                },
            )
    return await handler(request)


def _unauthenticated(request: web.Request) -> bool:
    if getattr(request.match_info.handler, "public", False):
        return True
    op = operation_of(request)
    return op is not None and (op.method, op.path) in UNAUTHENTICATED


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _unauthenticated(request):
        origin = request.get(CORS_ORIGIN)
        if origin:  # an EHR's page, allowlisted for its app: it has no business here
            raise Problem(
                403,
                "origin-not-allowed",
                "Origin not allowed",
                f"Browser requests from {origin} may not call this: only the console's page.",
            )
        return await handler(request)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            401,
            "unauthorized",
            "Authentication required",
            "Send 'Authorization: Bearer <token>' with a token from 'aiguillage apps add'.",
            headers={"WWW-Authenticate": 'Bearer realm="aiguillage"'},
        )
    client = request.app[CLIENTS].by_token(token.strip())
    if client is None:
        raise Problem(
            401,
            "invalid-token",
            "Invalid token",
            "The token is unknown, was revoked or has expired.",
            headers={"WWW-Authenticate": 'Bearer realm="aiguillage", error="invalid_token"'},
        )
    origin = request.get(CORS_ORIGIN)
    if origin and origin not in client.origins:
        raise Problem(
            403,
            "origin-not-allowed",
            "Origin not allowed",
            f"App {client.name!r} does not accept browser requests from {origin}.",
        )
    if request.get(OWN_ORIGIN) and not client.has_scope(ADMIN_SCOPE):
        own = request.headers.get("Origin")
        if own is None or own.lower() not in client.origins:
            raise Problem(
                403,
                "origin-not-allowed",
                "Origin not allowed",
                f"App {client.name!r} is not an admin app: the console's page may only use an "
                "admin token.",
            )
    request[CLIENT] = client
    return await handler(request)


@web.middleware
async def scope_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    op = operation_of(request)
    client = request.get(CLIENT)
    if client is None:  # a public file or UNAUTHENTICATED operation: authenticate let it by
        return await handler(request)
    if op is not None and op.scope is not None and not client.has_scope(op.scope):
        raise Problem(
            403,
            "insufficient-scope",
            "Missing scope",
            f"App {client.name!r} lacks the {op.scope!r} scope this operation needs.",
        )
    return await handler(request)


@web.middleware
async def body_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    op = operation_of(request)
    if op is None or request.method not in _BODY_METHODS or not request.body_exists:
        return await handler(request)
    if request.content_type not in op.content_types:
        raise Problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            f"Send the body as {' or '.join(op.content_types)}, not {request.content_type}.",
            errors=[FieldError("Content-Type", f"must be {' or '.join(op.content_types)}")],
        )
    cap = op.max_body_bytes or request.app[SETTINGS].daemon.max_body_bytes
    if request.content_length is not None and request.content_length > cap:
        raise _too_large(cap)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > cap:  # a chunked body that lied by omission
            raise _too_large(cap)
        chunks.append(chunk)
    request[BODY] = b"".join(chunks)
    return await handler(request)


def _too_large(cap: int) -> Problem:
    return Problem(
        413, "body-too-large", "Body too large", f"This operation accepts bodies up to {cap} bytes."
    )


MIDDLEWARES = [request_context, host_guard, origin_guard, authenticate, scope_guard, body_guard]
