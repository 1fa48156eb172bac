from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_request_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
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
    last_event_id: str | Unset = UNSET,
) -> Response[Problem | str]:
    """Server-sent events: outbox states, plugin health, plugins' own

     A `text/event-stream` that stays open. Each event is an `id:` line, an
    `event:` line naming its type and a `data:` line holding one JSON object (the `Event` schema:
    its `type` and `time`, then the fields of that type). An app sees the events of the plugins it
    has the scope of, and `plugin.health` and `plugin.switched` events.

    | event | when |
    | --- | --- |
    | `outbox.item` | an outbox item was queued or changed state |
    | `outbox.failing` | a plugin's circuit breaker opened: its deliveries are paused |
    | `outbox.recovered` | a probe succeeded after an outage: deliveries resume |
    | `plugin.health` | a plugin's health status changed (and once per plugin at start-up) |
    | `plugin.switched` | a plugin was switched on or off (`PUT /v1/plugins/{name}`) |
    | a plugin's own (`dmp.batch`…) | described in the plugin's README |

    Reconnect with `Last-Event-ID` (1 to 18 ASCII digits; 400 `bad-last-event-id` otherwise) to
    receive first the events missed while away, among the last 1,000 kept. A `: keep-alive` comment
    comes every 15 seconds. A client too slow to keep up is disconnected and resumes from its last
    id. When the app is revoked the stream ends, within 2 seconds and before any further event.

    Args:
        x_request_id (str | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        x_request_id=x_request_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Problem | str | None:
    """Server-sent events: outbox states, plugin health, plugins' own

     A `text/event-stream` that stays open. Each event is an `id:` line, an
    `event:` line naming its type and a `data:` line holding one JSON object (the `Event` schema:
    its `type` and `time`, then the fields of that type). An app sees the events of the plugins it
    has the scope of, and `plugin.health` and `plugin.switched` events.

    | event | when |
    | --- | --- |
    | `outbox.item` | an outbox item was queued or changed state |
    | `outbox.failing` | a plugin's circuit breaker opened: its deliveries are paused |
    | `outbox.recovered` | a probe succeeded after an outage: deliveries resume |
    | `plugin.health` | a plugin's health status changed (and once per plugin at start-up) |
    | `plugin.switched` | a plugin was switched on or off (`PUT /v1/plugins/{name}`) |
    | a plugin's own (`dmp.batch`…) | described in the plugin's README |

    Reconnect with `Last-Event-ID` (1 to 18 ASCII digits; 400 `bad-last-event-id` otherwise) to
    receive first the events missed while away, among the last 1,000 kept. A `: keep-alive` comment
    comes every 15 seconds. A client too slow to keep up is disconnected and resumes from its last
    id. When the app is revoked the stream ends, within 2 seconds and before any further event.

    Args:
        x_request_id (str | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        x_request_id=x_request_id,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[Problem | str]:
    """Server-sent events: outbox states, plugin health, plugins' own

     A `text/event-stream` that stays open. Each event is an `id:` line, an
    `event:` line naming its type and a `data:` line holding one JSON object (the `Event` schema:
    its `type` and `time`, then the fields of that type). An app sees the events of the plugins it
    has the scope of, and `plugin.health` and `plugin.switched` events.

    | event | when |
    | --- | --- |
    | `outbox.item` | an outbox item was queued or changed state |
    | `outbox.failing` | a plugin's circuit breaker opened: its deliveries are paused |
    | `outbox.recovered` | a probe succeeded after an outage: deliveries resume |
    | `plugin.health` | a plugin's health status changed (and once per plugin at start-up) |
    | `plugin.switched` | a plugin was switched on or off (`PUT /v1/plugins/{name}`) |
    | a plugin's own (`dmp.batch`…) | described in the plugin's README |

    Reconnect with `Last-Event-ID` (1 to 18 ASCII digits; 400 `bad-last-event-id` otherwise) to
    receive first the events missed while away, among the last 1,000 kept. A `: keep-alive` comment
    comes every 15 seconds. A client too slow to keep up is disconnected and resumes from its last
    id. When the app is revoked the stream ends, within 2 seconds and before any further event.

    Args:
        x_request_id (str | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        x_request_id=x_request_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Problem | str | None:
    """Server-sent events: outbox states, plugin health, plugins' own

     A `text/event-stream` that stays open. Each event is an `id:` line, an
    `event:` line naming its type and a `data:` line holding one JSON object (the `Event` schema:
    its `type` and `time`, then the fields of that type). An app sees the events of the plugins it
    has the scope of, and `plugin.health` and `plugin.switched` events.

    | event | when |
    | --- | --- |
    | `outbox.item` | an outbox item was queued or changed state |
    | `outbox.failing` | a plugin's circuit breaker opened: its deliveries are paused |
    | `outbox.recovered` | a probe succeeded after an outage: deliveries resume |
    | `plugin.health` | a plugin's health status changed (and once per plugin at start-up) |
    | `plugin.switched` | a plugin was switched on or off (`PUT /v1/plugins/{name}`) |
    | a plugin's own (`dmp.batch`…) | described in the plugin's README |

    Reconnect with `Last-Event-ID` (1 to 18 ASCII digits; 400 `bad-last-event-id` otherwise) to
    receive first the events missed while away, among the last 1,000 kept. A `: keep-alive` comment
    comes every 15 seconds. A client too slow to keep up is disconnected and resumes from its last
    id. When the app is revoked the stream ends, within 2 seconds and before any further event.

    Args:
        x_request_id (str | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            x_request_id=x_request_id,
            last_event_id=last_event_id,
        )
    ).parsed
