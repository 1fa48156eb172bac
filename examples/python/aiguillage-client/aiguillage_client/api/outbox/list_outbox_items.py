from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.outbox_list import OutboxList
from ...models.outbox_state import OutboxState
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: OutboxState | Unset = UNSET,
    plugin: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["plugin"] = plugin

    params["patient"] = patient

    params["from"] = from_

    params["to"] = to

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/outbox",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OutboxList | Problem | None:
    if response.status_code == 200:
        response_200 = OutboxList.from_dict(response.json())

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
) -> Response[OutboxList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: OutboxState | Unset = UNSET,
    plugin: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[OutboxList | Problem]:
    """List outbox items (newest first), filtered and paged

     The outbox items of the plugins the app has the scope of, newest first,
    `limit` a page (50 unless said). Pass `next_cursor` back as `cursor` for the next page; it is
    `null` on the last one. `from` and `to` bound when the items were queued (a date alone is its
    midnight UTC). An unknown `plugin` is a 422.

    Args:
        state (OutboxState | Unset): Where an outbox item is: `queued` (waiting for its next
            attempt), `sending` (an attempt is under way), `sent` (the receiver has it), `failed` (a
            permanent error: a human must retry or cancel it), `dead` (gave up after its last
            attempt), `cancelled`.
        plugin (str | Unset):
        patient (str | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OutboxList | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        plugin=plugin,
        patient=patient,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    state: OutboxState | Unset = UNSET,
    plugin: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> OutboxList | Problem | None:
    """List outbox items (newest first), filtered and paged

     The outbox items of the plugins the app has the scope of, newest first,
    `limit` a page (50 unless said). Pass `next_cursor` back as `cursor` for the next page; it is
    `null` on the last one. `from` and `to` bound when the items were queued (a date alone is its
    midnight UTC). An unknown `plugin` is a 422.

    Args:
        state (OutboxState | Unset): Where an outbox item is: `queued` (waiting for its next
            attempt), `sending` (an attempt is under way), `sent` (the receiver has it), `failed` (a
            permanent error: a human must retry or cancel it), `dead` (gave up after its last
            attempt), `cancelled`.
        plugin (str | Unset):
        patient (str | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OutboxList | Problem
    """

    return sync_detailed(
        client=client,
        state=state,
        plugin=plugin,
        patient=patient,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: OutboxState | Unset = UNSET,
    plugin: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[OutboxList | Problem]:
    """List outbox items (newest first), filtered and paged

     The outbox items of the plugins the app has the scope of, newest first,
    `limit` a page (50 unless said). Pass `next_cursor` back as `cursor` for the next page; it is
    `null` on the last one. `from` and `to` bound when the items were queued (a date alone is its
    midnight UTC). An unknown `plugin` is a 422.

    Args:
        state (OutboxState | Unset): Where an outbox item is: `queued` (waiting for its next
            attempt), `sending` (an attempt is under way), `sent` (the receiver has it), `failed` (a
            permanent error: a human must retry or cancel it), `dead` (gave up after its last
            attempt), `cancelled`.
        plugin (str | Unset):
        patient (str | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OutboxList | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        plugin=plugin,
        patient=patient,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: OutboxState | Unset = UNSET,
    plugin: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> OutboxList | Problem | None:
    """List outbox items (newest first), filtered and paged

     The outbox items of the plugins the app has the scope of, newest first,
    `limit` a page (50 unless said). Pass `next_cursor` back as `cursor` for the next page; it is
    `null` on the last one. `from` and `to` bound when the items were queued (a date alone is its
    midnight UTC). An unknown `plugin` is a 422.

    Args:
        state (OutboxState | Unset): Where an outbox item is: `queued` (waiting for its next
            attempt), `sending` (an attempt is under way), `sent` (the receiver has it), `failed` (a
            permanent error: a human must retry or cancel it), `dead` (gave up after its last
            attempt), `cancelled`.
        plugin (str | Unset):
        patient (str | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OutboxList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            plugin=plugin,
            patient=patient,
            from_=from_,
            to=to,
            cursor=cursor,
            limit=limit,
            x_request_id=x_request_id,
        )
    ).parsed
