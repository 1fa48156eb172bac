from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.plugin_status import PluginStatus
from ...models.plugin_switch import PluginSwitch
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: PluginSwitch,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/plugins/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PluginStatus | Problem | None:
    if response.status_code == 200:
        response_200 = PluginStatus.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[PluginStatus | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PluginSwitch,
    x_request_id: str | Unset = UNSET,
) -> Response[PluginStatus | Problem]:
    """Switch a plugin on or off, without a restart

     Switches the plugin on (`{"enabled": true}`) or off in the running
    daemon and in the config file, so that the change outlives a restart. Needs the `admin` scope
    (`aiguillage apps add NAME --scope admin`); `*` does not grant it.

    The config file changes by the `enabled` value of the plugin's table alone (the table is
    added when missing): comments and layout stay. The new file must pass the start-up validation
    (`409 config-invalid` names the key otherwise), replaces the old one atomically, and the old
    one is kept beside it as `<file>.bak`. A daemon started without a config file answers
    `409 no-config-file`: start it with `--config FILE`. A table written with dotted keys or
    inline, or a file changed while being written, is `409 config-not-editable`.

    Switched on, the plugin starts as at start-up, with its table as the file says now: its
    simulator (endpoint `simulator`), its `startup`, its deliveries, its health check. Its API
    answers and the OpenAPI document lists it. When it cannot start, it stays off, the file is
    unchanged, and the answer is `503 plugin-start-failed` with the cause. Switched off, its API
    answers `404 plugin-disabled`, calls under way get 5 seconds to end, deliveries under way too
    (those cut off are queued again), then its `shutdown` runs and its simulator stops; its queued
    sends wait. Switches are made one at a time. Each change is journaled (`config.changed`: the
    app, the plugin, before and after, the file and its SHA-256 before and after) and published as
    a `plugin.switched` event. Asking for the state it is already in changes nothing.

    Answers the plugin as `GET /v1/plugins` lists it.

    Args:
        name (str):
        x_request_id (str | Unset):
        body (PluginSwitch): Whether the plugin must run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PluginStatus | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PluginSwitch,
    x_request_id: str | Unset = UNSET,
) -> PluginStatus | Problem | None:
    """Switch a plugin on or off, without a restart

     Switches the plugin on (`{"enabled": true}`) or off in the running
    daemon and in the config file, so that the change outlives a restart. Needs the `admin` scope
    (`aiguillage apps add NAME --scope admin`); `*` does not grant it.

    The config file changes by the `enabled` value of the plugin's table alone (the table is
    added when missing): comments and layout stay. The new file must pass the start-up validation
    (`409 config-invalid` names the key otherwise), replaces the old one atomically, and the old
    one is kept beside it as `<file>.bak`. A daemon started without a config file answers
    `409 no-config-file`: start it with `--config FILE`. A table written with dotted keys or
    inline, or a file changed while being written, is `409 config-not-editable`.

    Switched on, the plugin starts as at start-up, with its table as the file says now: its
    simulator (endpoint `simulator`), its `startup`, its deliveries, its health check. Its API
    answers and the OpenAPI document lists it. When it cannot start, it stays off, the file is
    unchanged, and the answer is `503 plugin-start-failed` with the cause. Switched off, its API
    answers `404 plugin-disabled`, calls under way get 5 seconds to end, deliveries under way too
    (those cut off are queued again), then its `shutdown` runs and its simulator stops; its queued
    sends wait. Switches are made one at a time. Each change is journaled (`config.changed`: the
    app, the plugin, before and after, the file and its SHA-256 before and after) and published as
    a `plugin.switched` event. Asking for the state it is already in changes nothing.

    Answers the plugin as `GET /v1/plugins` lists it.

    Args:
        name (str):
        x_request_id (str | Unset):
        body (PluginSwitch): Whether the plugin must run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PluginStatus | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PluginSwitch,
    x_request_id: str | Unset = UNSET,
) -> Response[PluginStatus | Problem]:
    """Switch a plugin on or off, without a restart

     Switches the plugin on (`{"enabled": true}`) or off in the running
    daemon and in the config file, so that the change outlives a restart. Needs the `admin` scope
    (`aiguillage apps add NAME --scope admin`); `*` does not grant it.

    The config file changes by the `enabled` value of the plugin's table alone (the table is
    added when missing): comments and layout stay. The new file must pass the start-up validation
    (`409 config-invalid` names the key otherwise), replaces the old one atomically, and the old
    one is kept beside it as `<file>.bak`. A daemon started without a config file answers
    `409 no-config-file`: start it with `--config FILE`. A table written with dotted keys or
    inline, or a file changed while being written, is `409 config-not-editable`.

    Switched on, the plugin starts as at start-up, with its table as the file says now: its
    simulator (endpoint `simulator`), its `startup`, its deliveries, its health check. Its API
    answers and the OpenAPI document lists it. When it cannot start, it stays off, the file is
    unchanged, and the answer is `503 plugin-start-failed` with the cause. Switched off, its API
    answers `404 plugin-disabled`, calls under way get 5 seconds to end, deliveries under way too
    (those cut off are queued again), then its `shutdown` runs and its simulator stops; its queued
    sends wait. Switches are made one at a time. Each change is journaled (`config.changed`: the
    app, the plugin, before and after, the file and its SHA-256 before and after) and published as
    a `plugin.switched` event. Asking for the state it is already in changes nothing.

    Answers the plugin as `GET /v1/plugins` lists it.

    Args:
        name (str):
        x_request_id (str | Unset):
        body (PluginSwitch): Whether the plugin must run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PluginStatus | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PluginSwitch,
    x_request_id: str | Unset = UNSET,
) -> PluginStatus | Problem | None:
    """Switch a plugin on or off, without a restart

     Switches the plugin on (`{"enabled": true}`) or off in the running
    daemon and in the config file, so that the change outlives a restart. Needs the `admin` scope
    (`aiguillage apps add NAME --scope admin`); `*` does not grant it.

    The config file changes by the `enabled` value of the plugin's table alone (the table is
    added when missing): comments and layout stay. The new file must pass the start-up validation
    (`409 config-invalid` names the key otherwise), replaces the old one atomically, and the old
    one is kept beside it as `<file>.bak`. A daemon started without a config file answers
    `409 no-config-file`: start it with `--config FILE`. A table written with dotted keys or
    inline, or a file changed while being written, is `409 config-not-editable`.

    Switched on, the plugin starts as at start-up, with its table as the file says now: its
    simulator (endpoint `simulator`), its `startup`, its deliveries, its health check. Its API
    answers and the OpenAPI document lists it. When it cannot start, it stays off, the file is
    unchanged, and the answer is `503 plugin-start-failed` with the cause. Switched off, its API
    answers `404 plugin-disabled`, calls under way get 5 seconds to end, deliveries under way too
    (those cut off are queued again), then its `shutdown` runs and its simulator stops; its queued
    sends wait. Switches are made one at a time. Each change is journaled (`config.changed`: the
    app, the plugin, before and after, the file and its SHA-256 before and after) and published as
    a `plugin.switched` event. Asking for the state it is already in changes nothing.

    Answers the plugin as `GET /v1/plugins` lists it.

    Args:
        name (str):
        x_request_id (str | Unset):
        body (PluginSwitch): Whether the plugin must run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PluginStatus | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
