from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.plugin_list import PluginList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/plugins",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PluginList | Problem | None:
    if response.status_code == 200:
        response_200 = PluginList.from_dict(response.json())

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

    if response.status_code == 421:
        response_421 = Problem.from_dict(response.json())

        return response_421

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
) -> Response[PluginList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Response[PluginList | Problem]:
    """Installed plugins: enabled, endpoint, health, certificate, last outcomes

     Every installed plugin, enabled or not: its version, the `/v1/`
    prefixes it serves (its scope is its name), its endpoint (`simulator` or the service's URL)
    and, when enabled, its last health check and the circuit breaker of its deliveries. Also, for
    the practice admin's Services page: the certificate it uses that expires first (`days_left`),
    and its last success and last failure as the journal holds them (a journal row belongs to the
    plugin its event names: `ins.search` to `insi`; `ok`, or an answer the plugin counts as one,
    is a success, `pending` neither, anything else a failure; their `summary`, which may name a
    patient, only for an app with the `journal` scope). Answers from memory: the journal's new rows
    only are read.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PluginList | Problem]
    """

    kwargs = _get_kwargs(
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> PluginList | Problem | None:
    """Installed plugins: enabled, endpoint, health, certificate, last outcomes

     Every installed plugin, enabled or not: its version, the `/v1/`
    prefixes it serves (its scope is its name), its endpoint (`simulator` or the service's URL)
    and, when enabled, its last health check and the circuit breaker of its deliveries. Also, for
    the practice admin's Services page: the certificate it uses that expires first (`days_left`),
    and its last success and last failure as the journal holds them (a journal row belongs to the
    plugin its event names: `ins.search` to `insi`; `ok`, or an answer the plugin counts as one,
    is a success, `pending` neither, anything else a failure; their `summary`, which may name a
    patient, only for an app with the `journal` scope). Answers from memory: the journal's new rows
    only are read.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PluginList | Problem
    """

    return sync_detailed(
        client=client,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Response[PluginList | Problem]:
    """Installed plugins: enabled, endpoint, health, certificate, last outcomes

     Every installed plugin, enabled or not: its version, the `/v1/`
    prefixes it serves (its scope is its name), its endpoint (`simulator` or the service's URL)
    and, when enabled, its last health check and the circuit breaker of its deliveries. Also, for
    the practice admin's Services page: the certificate it uses that expires first (`days_left`),
    and its last success and last failure as the journal holds them (a journal row belongs to the
    plugin its event names: `ins.search` to `insi`; `ok`, or an answer the plugin counts as one,
    is a success, `pending` neither, anything else a failure; their `summary`, which may name a
    patient, only for an app with the `journal` scope). Answers from memory: the journal's new rows
    only are read.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PluginList | Problem]
    """

    kwargs = _get_kwargs(
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> PluginList | Problem | None:
    """Installed plugins: enabled, endpoint, health, certificate, last outcomes

     Every installed plugin, enabled or not: its version, the `/v1/`
    prefixes it serves (its scope is its name), its endpoint (`simulator` or the service's URL)
    and, when enabled, its last health check and the circuit breaker of its deliveries. Also, for
    the practice admin's Services page: the certificate it uses that expires first (`days_left`),
    and its last success and last failure as the journal holds them (a journal row belongs to the
    plugin its event names: `ins.search` to `insi`; `ok`, or an answer the plugin counts as one,
    is a success, `pending` neither, anything else a failure; their `summary`, which may name a
    patient, only for an app with the `journal` scope). Answers from memory: the journal's new rows
    only are read.

    Args:
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PluginList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            x_request_id=x_request_id,
        )
    ).parsed
