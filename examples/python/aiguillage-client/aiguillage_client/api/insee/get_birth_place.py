import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.birth_place import BirthPlace
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    birth_date: datetime.date | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    json_birth_date: str | Unset = UNSET
    if not isinstance(birth_date, Unset):
        json_birth_date = birth_date.isoformat()
    params["birth_date"] = json_birth_date

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/insee/places/{code}".format(
            code=quote(str(code), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BirthPlace | Problem | None:
    if response.status_code == 200:
        response_200 = BirthPlace.from_dict(response.json())

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
) -> Response[BirthPlace | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient | Client,
    birth_date: datetime.date | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[BirthPlace | Problem]:
    """One birth place code at a birth date

     The place `code` designates on `birth_date` (without it: its latest
    period), or 404 `insee-place-unknown` when the code is not a birth place code then — a commune
    merged before that day, or one created after it. `99999` (unknown place) is valid at any
    date.

    Args:
        code (str):
        birth_date (datetime.date | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BirthPlace | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        birth_date=birth_date,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient | Client,
    birth_date: datetime.date | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> BirthPlace | Problem | None:
    """One birth place code at a birth date

     The place `code` designates on `birth_date` (without it: its latest
    period), or 404 `insee-place-unknown` when the code is not a birth place code then — a commune
    merged before that day, or one created after it. `99999` (unknown place) is valid at any
    date.

    Args:
        code (str):
        birth_date (datetime.date | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BirthPlace | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        birth_date=birth_date,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient | Client,
    birth_date: datetime.date | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[BirthPlace | Problem]:
    """One birth place code at a birth date

     The place `code` designates on `birth_date` (without it: its latest
    period), or 404 `insee-place-unknown` when the code is not a birth place code then — a commune
    merged before that day, or one created after it. `99999` (unknown place) is valid at any
    date.

    Args:
        code (str):
        birth_date (datetime.date | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BirthPlace | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        birth_date=birth_date,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient | Client,
    birth_date: datetime.date | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> BirthPlace | Problem | None:
    """One birth place code at a birth date

     The place `code` designates on `birth_date` (without it: its latest
    period), or 404 `insee-place-unknown` when the code is not a birth place code then — a commune
    merged before that day, or one created after it. `99999` (unknown place) is valid at any
    date.

    Args:
        code (str):
        birth_date (datetime.date | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BirthPlace | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            birth_date=birth_date,
            x_request_id=x_request_id,
        )
    ).parsed
