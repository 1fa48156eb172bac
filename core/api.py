"""Turning registered operations into aiohttp routes that validate what they receive."""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiohttp import web
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from aiguillage.appkeys import DAEMON, SETTINGS
from aiguillage.hookspecs import Call, Operation
from aiguillage.openapi import REQUEST_HEADERS, RESPONSE_HEADERS
from aiguillage.problems import FieldError, Problem, storage_problem, validation_problem
from aiguillage.send_wait import send_params
from aiguillage.shapes import FORMATS

REQUEST_ID = web.RequestKey("request_id", str)
CLIENT = web.RequestKey("client", object)
BODY = web.RequestKey("body", bytes)
CORS_ORIGIN = web.RequestKey("cors_origin", str)
#: Set during a handler to finish its answer once it returned, ``async (answer) -> answer``:
#: a send's ``?wait=`` (``Accepted.response``), whose body the handler built.
FINISH = web.RequestKey("finish", object)

_PATH_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}")

log = logging.getLogger("aiguillage.api")

_ASCII_INTEGER = re.compile(r"-?[0-9]+")
_ASCII_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def operation_of(request: web.Request) -> Operation | None:
    """The operation the request's route belongs to (``None``: no route matched)."""
    return getattr(request.match_info.handler, "operation", None)


def check_operation(op: Operation, prefixes: tuple[str, ...]) -> None:
    if not any(op.path.startswith(f"/v1/{p}/") or op.path == f"/v1/{p}" for p in prefixes):
        allowed = ", ".join(f"/v1/{p}/" for p in prefixes)
        raise ValueError(f"{op.plugin}: {op.method} {op.path} is not under {allowed}")
    declared = {p.name for p in op.params if p.location == "path"}
    in_path = set(_PATH_PARAM.findall(op.path))
    if declared != in_path:
        raise ValueError(
            f"{op.plugin}: {op.path}: path parameters {in_path} but {declared} declared"
        )


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_OPERATION_ID = re.compile(r"[a-z][A-Za-z0-9]*")


def check_description(op: Operation) -> None:
    """What the OpenAPI document needs of ``op``: headers the core knows, problem types and
    statuses that are problems, an operationId a generator can name a function after."""
    where = f"{op.plugin}: {op.method} {op.path}"
    unknown = [h for h in op.request_headers if h not in REQUEST_HEADERS] + [
        h for h in op.response_headers if h not in RESPONSE_HEADERS
    ]
    if unknown:
        raise ValueError(f"{where}: unknown header(s) {unknown}; known: see docs/api.md")
    for status, slugs in op.errors.items():
        if not 400 <= status <= 599:
            raise ValueError(f"{where}: errors: {status} is not an error status")
        bad = [s for s in slugs if not _SLUG.fullmatch(s)]
        if bad:
            raise ValueError(f"{where}: errors: {bad} are not problem types (lower-case-words)")
    if op.operation_id and not _OPERATION_ID.fullmatch(op.operation_id):
        raise ValueError(f"{where}: operation_id {op.operation_id!r} is not lowerCamelCase")


def make_handler(
    op: Operation, validate_responses: bool = False
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap ``op.handler``: params and body validated first, JSON results rendered after."""
    body_validator = _validator(op.request_schema)
    response_validator = _validator(op.response_schema) if validate_responses else None
    params = {p.name: (p, _validator(p.schema)) for p in send_params(op)}

    async def handler(request: web.Request) -> web.StreamResponse:
        call = Call(
            request=request,
            body=_body(request, op, body_validator),
            params=_params(request, params),
            client=request.get(CLIENT),
            request_id=request[REQUEST_ID],
            config=request.app[SETTINGS].plugins.get(op.plugin),
            daemon=request.app[DAEMON],
        )
        try:
            result = await op.handler(call)
            finish = request.get(FINISH)
            if finish is not None and isinstance(result, web.StreamResponse):
                result = await finish(result)
        except (sqlite3.Error, OSError) as exc:
            problem = storage_problem(exc)
            if problem is None:
                raise
            log.error("%s %s: %s", op.method, op.path, exc)
            raise problem from None
        if isinstance(result, web.StreamResponse):
            return result
        if response_validator is not None:
            errors = sorted(response_validator.iter_errors(result), key=str)
            if errors:  # a handler that breaks its own published schema is our bug: a 500
                raise RuntimeError(f"{op.method} {op.path} response breaks its schema: {errors[0]}")
        return json_response(result, status=op.response_status)

    handler.operation = op  # type: ignore[attr-defined]
    return handler


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(data, ensure_ascii=False).encode(),
        content_type="application/json",
        headers=headers,
    )


def _validator(schema: dict[str, Any] | None) -> Draft202012Validator | None:
    if schema is None:
        return None
    _check_schema(json.dumps(schema, sort_keys=True, default=repr))
    return _Validator(schema, format_checker=FORMATS)


@functools.lru_cache(maxsize=4096)
def _check_schema(text: str) -> None:
    # Checking a schema against the meta-schema costs milliseconds, and every app built in a
    # process (the test suite builds hundreds) checks the same ones: once per content.
    Draft202012Validator.check_schema(json.loads(text))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    # JSON Schema patterns are ECMA-262, where "$" ends the text; Python's "$" also matches
    # before a final newline, so "277076322082910\n" would pass "^[0-9]{15}$".
    if isinstance(instance, str) and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    python, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        python.append(char)
    return re.compile("".join(python))


_Validator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


def _body(request: web.Request, op: Operation, validator: Draft202012Validator | None) -> Any:
    raw = request.get(BODY, b"")
    if op.request_schema is None:
        return raw or None
    if not raw:
        raise validation_problem([FieldError("body", "a JSON body is required")])
    if request.content_type != "application/json":
        return raw  # an upload type the operation declared; its handler reads the bytes
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(
            400,
            "malformed-json",
            "The body is not valid JSON",
            str(exc),
            errors=[FieldError("body", str(exc))],
        ) from None
    except RecursionError:
        raise _too_deep() from None
    _check_json(body, raw)
    _validate(validator, body, prefix="")
    return body


#: Deepest JSON a body may nest: far more than any operation's shape, far less than what would
#: exhaust the validator's recursion.
MAX_JSON_DEPTH = 64
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _too_deep() -> Problem:
    message = f"nested deeper than {MAX_JSON_DEPTH} levels"
    return Problem(
        400,
        "malformed-json",
        "The body is not valid JSON",
        message,
        errors=[FieldError("body", message)],
    )


def _check_json(body: Any, raw: bytes) -> None:
    """What JSON allows but nothing behind the API can take: nesting past
    :data:`MAX_JSON_DEPTH`, and lone UTF-16 surrogates (``"\\ud800"``), which no UTF-8 text,
    database or XML document can hold. Each walk runs only when the raw body could hold one."""
    deep = raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH
    surrogates = _ESCAPED_SURROGATE.search(raw) is not None
    if not (deep or surrogates):
        return
    stack: list[tuple[Any, str, int]] = [(body, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
            pairs = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in pairs:
                if surrogates and isinstance(key, str) and not _encodable(key):
                    raise validation_problem([FieldError(path or "/", _SURROGATE)])
                stack.append((child, f"{path}/{key}", depth + 1))
        elif surrogates and isinstance(value, str) and not _encodable(value):
            raise validation_problem([FieldError(path or "/", _SURROGATE)])


_SURROGATE = "holds a lone UTF-16 surrogate, which is not a character"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


#: The range of a SQLite integer.
INT64 = (-(2**63), 2**63 - 1)


def _params(
    request: web.Request, specs: dict[str, tuple[Any, Draft202012Validator | None]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name in request.query:
        if name not in specs or specs[name][0].location != "query":
            errors.append(FieldError(name, "unknown query parameter"))
    for name, (param, validator) in specs.items():
        source = request.match_info if param.location == "path" else request.query
        if name not in source:
            if param.required:
                errors.append(FieldError(name, "is required"))
            continue
        if param.location == "query" and len(request.query.getall(name)) > 1:
            errors.append(FieldError(name, "given more than once"))
            continue
        value = _coerce(source[name], param.schema)
        error = next(iter(validator.iter_errors(value)), None) if validator else None
        if isinstance(value, int) and not INT64[0] <= value <= INT64[1]:
            # Ids, cursors and counts are SQLite integers: one beyond 64 bits matches nothing.
            errors.append(FieldError(name, "is out of range (64-bit integer)"))
        elif error is not None:
            errors.append(FieldError(name, error.message))
        else:
            values[name] = value
    if errors:
        raise validation_problem(errors)
    return values


def _coerce(text: str, schema: dict[str, Any]) -> Any:
    """Query strings are text; give the schema the type it describes when the text allows it."""
    kind = schema.get("type")
    # int() and float() take any script's digits, spaces, "1_000" and "nan": only plain ASCII
    # numbers are numbers here, anything else stays text and fails the schema's type.
    if kind == "integer" and _ASCII_INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _ASCII_NUMBER.fullmatch(text):
        return float(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _validate(validator: Draft202012Validator | None, value: Any, prefix: str) -> None:
    if validator is None:
        return
    found = list(_leaves(validator.iter_errors(value)))
    # A format says why a value is wrong ("2090-01-01 is in the future"); the pattern beside it
    # only that it is: one message per field is enough.
    checked = {tuple(e.absolute_path) for e in found if e.validator == "format"}
    found = [e for e in found if e.validator != "pattern" or tuple(e.absolute_path) not in checked]
    errors = [_field_error(e, prefix) for e in found]
    if errors:
        raise validation_problem(sorted(errors, key=lambda e: e.field))


def _leaves(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """The errors to name: a failed ``oneOf``/``anyOf`` is replaced by the errors of the branch
    the value was meant for, so that a search by carte Vitale with a bad NIR names
    ``/vitale/nir`` and says why, rather than "not valid under any of the given schemas"."""
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            branch = _meant_branch(error)
            if branch:
                yield from _leaves(iter(branch))
                continue
        yield error


def _meant_branch(error: ValidationError) -> list[ValidationError]:
    """The errors of the branch whose own fields the value uses: the one with the fewest
    errors about the value itself (a missing required field, a field it does not take, a
    discriminator that differs), then the fewest errors. Nothing when two branches fail
    alike, or when the value matched several branches (a ``oneOf`` that matched two)."""
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    if len(by_branch) < len(error.validator_value):
        return []  # a branch passed: the error is the value matching more than one

    def score(errors: list[ValidationError]) -> tuple[int, int]:
        own = sum(1 for e in errors if not e.relative_path or e.validator == "const")
        return own, len(errors)

    ranked = sorted(by_branch.values(), key=score)
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return []
    return ranked[0]


def _field_error(error: ValidationError, prefix: str) -> FieldError:
    path = prefix + "".join(f"/{p}" for p in error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        if missing:
            return FieldError(f"{path}/{missing[0]}", "is required")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            return FieldError(f"{path}/{extra[0]}", "is not an accepted field")
    if error.validator == "format" and error.cause is not None:
        return FieldError(path or "/", str(error.cause))  # the shape's own words
    return FieldError(path or "/", error.message)
