"""``POST /v1/console/login``: a one-time login code traded for an admin token that lasts a
working day; ``POST /v1/console/logout``: the page ends its own session.

Login is the one operation reached without a bearer token (the code is the credential; the guard
lets it through, and only from the console's own page or no browser at all). Each login is an app
of its own, ``console-<date>-<time>-<4 hex>`` with scope ``admin`` that expires after
``SESSION_HOURS``: ``aiguillage apps list`` shows it, ``aiguillage apps revoke`` ends it early,
the journal names it on everything done through it. An admin token kept for years is what a
console login must not leave behind, so each login deletes the console apps already expired.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiguillage import journal as jr
from aiguillage.appkeys import CLIENTS, JOURNAL, SETTINGS
from aiguillage.clients import ADMIN_SCOPE, ClientApp
from aiguillage.console import codes
from aiguillage.hookspecs import Call, Operation, hookimpl
from aiguillage.problems import Problem

PATH = "/v1/console/login"
LOGOUT_PATH = "/v1/console/logout"
APP_PREFIX = "console-"
#: How long a console session's token is accepted: a working day, so that a tab left open or a
#: token copied out of it is worth nothing the next morning.
SESSION_HOURS = 12

LOGIN_SCHEMA: dict[str, Any] = {
    "title": "ConsoleLoginRequest",
    "type": "object",
    "description": "The login code `aiguillage console` printed (the `#code=` of its URL).",
    "required": ["code"],
    "additionalProperties": False,
    "properties": {
        "code": {
            "type": "string",
            "minLength": 16,
            "maxLength": 128,
            "pattern": "^[A-Za-z0-9_-]+$",
            "description": "the one-time login code",
        }
    },
}

SESSION_SCHEMA: dict[str, Any] = {
    "title": "ConsoleSession",
    "type": "object",
    "description": "The admin token of a new console app.",
    "required": ["token", "app", "scopes", "expires_at"],
    "properties": {
        "token": {
            "type": "string",
            "description": "the bearer token of the new app (shown only this once)",
        },
        "app": {"type": "string", "description": "the app's name (`apps revoke` ends it)"},
        "scopes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "its scopes: `admin`",
        },
        "expires_at": {
            "type": "string",
            "format": "date-time",
            "description": f"when the token stops being accepted (UTC): {SESSION_HOURS} hours on",
        },
    },
}

LOGOUT_SCHEMA: dict[str, Any] = {
    "title": "ConsoleLogout",
    "type": "object",
    "description": "The console app just revoked.",
    "required": ["app", "revoked"],
    "properties": {
        "app": {"type": "string", "description": "the calling app's name"},
        "revoked": {
            "type": "boolean",
            "const": True,
            "description": "its token is refused from now on",
        },
    },
}


async def login(call: Call) -> dict[str, Any]:
    app = call.app
    data_dir = app[SETTINGS].daemon.data_dir
    if not await asyncio.to_thread(codes.redeem, data_dir, call.body["code"]):
        raise Problem(
            401,
            "invalid-login-code",
            "Invalid login code",
            "This login code is unknown, was already used or has expired (it lasts "
            f"{int(codes.CODE_TTL_SECONDS // 60)} minutes): run 'aiguillage console' again.",
        )
    now = time.time()
    clients = app[CLIENTS]
    purged = clients.purge_expired(APP_PREFIX, now)
    name = APP_PREFIX + time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)
    expires_at = now + SESSION_HOURS * 3600
    client, token = clients.add(name, [ADMIN_SCOPE], expires_at=expires_at)
    await app[JOURNAL].record(
        jr.Entry(
            event="console.login",
            summary=f"console login with a one-time code: app {name!r} created (scope admin, "
            f"{SESSION_HOURS} h)"
            + (f"; {len(purged)} expired console app(s) deleted" if purged else ""),
            request_id=call.request_id,
            client=name,
            request={
                "app": name,
                "scopes": list(client.scopes),
                "expires_at": jr.iso(expires_at),
                "purged_apps": purged,
            },
        )
    )
    return {
        "token": token,
        "app": name,
        "scopes": list(client.scopes),
        "expires_at": jr.iso(expires_at),
    }


def is_console_session(client: ClientApp) -> bool:
    """Whether ``client`` is an app a console login made (not one made by ``apps add``)."""
    return client.name.startswith(APP_PREFIX) and client.expires_at is not None


async def logout(call: Call) -> dict[str, Any]:
    client = call.client
    if not is_console_session(client):
        raise Problem(
            409,
            "not-a-console-session",
            "Not a console session",
            f"App {client.name!r} was not made by a console login: logging out does not revoke "
            f"it, the page only forgets its token (to end it: aiguillage apps revoke "
            f"{client.name}).",
        )
    # False only when another request (or 'apps revoke') won the race: the token is dead either
    # way, which is what the caller asked for.
    clients = call.app[CLIENTS]
    clients.revoke(client.name)
    await call.app[JOURNAL].record(
        jr.Entry(
            event="console.logout",
            summary=f"console logout: app {client.name!r} revoked",
            request_id=call.request_id,
            client=client.name,
            request={"app": client.name},
        )
    )
    return {"app": client.name, "revoked": True}


LOGIN_OPERATION = Operation(
    "POST",
    PATH,
    "Trade a one-time console login code for an admin token",
    login,
    operation_id="consoleLogin",
    description=f"""The one operation called without a bearer token. `aiguillage console`
prints `http://127.0.0.1:PORT/console/#code=…`; the console page sends the code here and keeps
the token it gets in its tab (sessionStorage), nowhere else. A code serves once and lasts 5
minutes; a wrong, used or expired one is a 401 `invalid-login-code`. Each login creates an app
`console-<date>-<time>-<4 hex>` with scope `admin` that expires {SESSION_HOURS} hours later
(`expires_at`; its token then answers 401 `invalid-token`), and deletes the console apps already
expired (journaled `console.login`). "Se déconnecter" revokes it (`POST /v1/console/logout`);
`aiguillage apps revoke` ends it from the command line. A browser may call this only from the
console's own page (any other `Origin` is a 403 `origin-not-allowed`).""",
    request_schema=LOGIN_SCHEMA,
    request_examples={"a code": {"code": "Vx3mN0q8c1fD2kLr7tYb5wZe9hJs4uPa"}},
    response_schema=SESSION_SCHEMA,
    response_examples={
        "logged in": {
            "token": "agl_3q2-7wHcV9xN1bLd0mTr5yKf8sJp4uAe6gZi2oQh",
            "app": "console-20261203-093012-4f1c",
            "scopes": ["admin"],
            "expires_at": "2026-12-03T21:30:12.000000+00:00",
        }
    },
    errors={401: ("invalid-login-code",)},
    tags=("console",),
)

LOGOUT_OPERATION = Operation(
    "POST",
    LOGOUT_PATH,
    "End the calling console session",
    logout,
    scope=ADMIN_SCOPE,
    operation_id="consoleLogout",
    description="""What "Se déconnecter" calls: revokes the calling app, and only it, when a
console login made it (`console-…`, see `POST /v1/console/login`); its token is refused from the
next request on (401 `invalid-token`), its event stream ends. Journaled `console.logout`. An admin
app made with `aiguillage apps add` is not revoked: the answer is a 409 `not-a-console-session`
and the page only forgets the token. No body.""",
    response_schema=LOGOUT_SCHEMA,
    response_examples={
        "logged out": {"app": "console-20261203-093012-4f1c", "revoked": True},
    },
    errors={409: ("not-a-console-session",)},
    tags=("console",),
)


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    register(LOGIN_OPERATION)
    register(LOGOUT_OPERATION)
