from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.console_login_request import ConsoleLoginRequest
from ...models.console_session import ConsoleSession
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ConsoleLoginRequest,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/console/login",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsoleSession | Problem | None:
    if response.status_code == 200:
        response_200 = ConsoleSession.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 421:
        response_421 = Problem.from_dict(response.json())

        return response_421

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConsoleSession | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLoginRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[ConsoleSession | Problem]:
    """Trade a one-time console login code for an admin token

     The one operation called without a bearer token. `aiguillage console`
    prints `http://127.0.0.1:PORT/console/#code=…`; the console page sends the code here and keeps
    the token it gets in its tab (sessionStorage), nowhere else. A code serves once and lasts 5
    minutes; a wrong, used or expired one is a 401 `invalid-login-code`. Each login creates an app
    `console-<date>-<time>-<4 hex>` with scope `admin` that expires 12 hours later
    (`expires_at`; its token then answers 401 `invalid-token`), and deletes the console apps already
    expired (journaled `console.login`). "Se déconnecter" revokes it (`POST /v1/console/logout`);
    `aiguillage apps revoke` ends it from the command line. A browser may call this only from the
    console's own page (any other `Origin` is a 403 `origin-not-allowed`).

    Args:
        x_request_id (str | Unset):
        body (ConsoleLoginRequest): The login code `aiguillage console` printed (the `#code=` of
            its URL).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleSession | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLoginRequest,
    x_request_id: str | Unset = UNSET,
) -> ConsoleSession | Problem | None:
    """Trade a one-time console login code for an admin token

     The one operation called without a bearer token. `aiguillage console`
    prints `http://127.0.0.1:PORT/console/#code=…`; the console page sends the code here and keeps
    the token it gets in its tab (sessionStorage), nowhere else. A code serves once and lasts 5
    minutes; a wrong, used or expired one is a 401 `invalid-login-code`. Each login creates an app
    `console-<date>-<time>-<4 hex>` with scope `admin` that expires 12 hours later
    (`expires_at`; its token then answers 401 `invalid-token`), and deletes the console apps already
    expired (journaled `console.login`). "Se déconnecter" revokes it (`POST /v1/console/logout`);
    `aiguillage apps revoke` ends it from the command line. A browser may call this only from the
    console's own page (any other `Origin` is a 403 `origin-not-allowed`).

    Args:
        x_request_id (str | Unset):
        body (ConsoleLoginRequest): The login code `aiguillage console` printed (the `#code=` of
            its URL).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleSession | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLoginRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[ConsoleSession | Problem]:
    """Trade a one-time console login code for an admin token

     The one operation called without a bearer token. `aiguillage console`
    prints `http://127.0.0.1:PORT/console/#code=…`; the console page sends the code here and keeps
    the token it gets in its tab (sessionStorage), nowhere else. A code serves once and lasts 5
    minutes; a wrong, used or expired one is a 401 `invalid-login-code`. Each login creates an app
    `console-<date>-<time>-<4 hex>` with scope `admin` that expires 12 hours later
    (`expires_at`; its token then answers 401 `invalid-token`), and deletes the console apps already
    expired (journaled `console.login`). "Se déconnecter" revokes it (`POST /v1/console/logout`);
    `aiguillage apps revoke` ends it from the command line. A browser may call this only from the
    console's own page (any other `Origin` is a 403 `origin-not-allowed`).

    Args:
        x_request_id (str | Unset):
        body (ConsoleLoginRequest): The login code `aiguillage console` printed (the `#code=` of
            its URL).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleSession | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLoginRequest,
    x_request_id: str | Unset = UNSET,
) -> ConsoleSession | Problem | None:
    """Trade a one-time console login code for an admin token

     The one operation called without a bearer token. `aiguillage console`
    prints `http://127.0.0.1:PORT/console/#code=…`; the console page sends the code here and keeps
    the token it gets in its tab (sessionStorage), nowhere else. A code serves once and lasts 5
    minutes; a wrong, used or expired one is a 401 `invalid-login-code`. Each login creates an app
    `console-<date>-<time>-<4 hex>` with scope `admin` that expires 12 hours later
    (`expires_at`; its token then answers 401 `invalid-token`), and deletes the console apps already
    expired (journaled `console.login`). "Se déconnecter" revokes it (`POST /v1/console/logout`);
    `aiguillage apps revoke` ends it from the command line. A browser may call this only from the
    console's own page (any other `Origin` is a 403 `origin-not-allowed`).

    Args:
        x_request_id (str | Unset):
        body (ConsoleLoginRequest): The login code `aiguillage console` printed (the `#code=` of
            its URL).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleSession | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
