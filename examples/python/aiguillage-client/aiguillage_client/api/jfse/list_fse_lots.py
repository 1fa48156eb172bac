from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fse_lot_page import FseLotPage
from ...models.fse_lot_state import FseLotState
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: FseLotState | Unset = UNSET,
    cursor: str | Unset = UNSET,
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

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/fse/lots",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FseLotPage | Problem | None:
    if response.status_code == 200:
        response_200 = FseLotPage.from_dict(response.json())

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
) -> Response[FseLotPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: FseLotState | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[FseLotPage | Problem]:
    """List lots, newest first

     The lots formed, newest first, by `state`. `limit` a page (50 unless
    said); pass `next_cursor` back as `cursor` for the next one.

    Args:
        state (FseLotState | Unset): Where a lot is: `queued` (in the outbox), `transmitted`
            (waiting for its ARL), `accepted` (ARL+) or `rejected` (ARL−: see `reason`).
        cursor (str | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FseLotPage | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
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
    state: FseLotState | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> FseLotPage | Problem | None:
    """List lots, newest first

     The lots formed, newest first, by `state`. `limit` a page (50 unless
    said); pass `next_cursor` back as `cursor` for the next one.

    Args:
        state (FseLotState | Unset): Where a lot is: `queued` (in the outbox), `transmitted`
            (waiting for its ARL), `accepted` (ARL+) or `rejected` (ARL−: see `reason`).
        cursor (str | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FseLotPage | Problem
    """

    return sync_detailed(
        client=client,
        state=state,
        cursor=cursor,
        limit=limit,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: FseLotState | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[FseLotPage | Problem]:
    """List lots, newest first

     The lots formed, newest first, by `state`. `limit` a page (50 unless
    said); pass `next_cursor` back as `cursor` for the next one.

    Args:
        state (FseLotState | Unset): Where a lot is: `queued` (in the outbox), `transmitted`
            (waiting for its ARL), `accepted` (ARL+) or `rejected` (ARL−: see `reason`).
        cursor (str | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FseLotPage | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        cursor=cursor,
        limit=limit,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: FseLotState | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> FseLotPage | Problem | None:
    """List lots, newest first

     The lots formed, newest first, by `state`. `limit` a page (50 unless
    said); pass `next_cursor` back as `cursor` for the next one.

    Args:
        state (FseLotState | Unset): Where a lot is: `queued` (in the outbox), `transmitted`
            (waiting for its ARL), `accepted` (ARL+) or `rejected` (ARL−: see `reason`).
        cursor (str | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FseLotPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            cursor=cursor,
            limit=limit,
            x_request_id=x_request_id,
        )
    ).parsed
