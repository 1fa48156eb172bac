from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.journal_entry import JournalEntry
from ...models.journal_receipt import JournalReceipt
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: JournalEntry,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/journal",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JournalReceipt | Problem | None:
    if response.status_code == 201:
        response_201 = JournalReceipt.from_dict(response.json())

        return response_201

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
) -> Response[JournalReceipt | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: JournalEntry,
    x_request_id: str | Unset = UNSET,
) -> Response[JournalReceipt | Problem]:
    """Record an identity action the EHR performed

     Journal an identity action the EHR performed itself (the Ségur traces
    of INS handling): `event` says which, `summary` what happened; `patient` (the INS, the traits
    as far as known), `practitioner` (`id`, `name`), `before` / `after` (the traits around a
    change) and `outcome` (`ok` unless said) are optional. The row is tagged with the app and the
    request id, chained to the previous one, and on disk before the `201` answers with its `seq`,
    `time` and `hash`. Any app may record; reading needs the `journal` scope.

    Args:
        x_request_id (str | Unset):
        body (JournalEntry): An identity action the EHR performed, for the journal.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalReceipt | Problem]
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
    body: JournalEntry,
    x_request_id: str | Unset = UNSET,
) -> JournalReceipt | Problem | None:
    """Record an identity action the EHR performed

     Journal an identity action the EHR performed itself (the Ségur traces
    of INS handling): `event` says which, `summary` what happened; `patient` (the INS, the traits
    as far as known), `practitioner` (`id`, `name`), `before` / `after` (the traits around a
    change) and `outcome` (`ok` unless said) are optional. The row is tagged with the app and the
    request id, chained to the previous one, and on disk before the `201` answers with its `seq`,
    `time` and `hash`. Any app may record; reading needs the `journal` scope.

    Args:
        x_request_id (str | Unset):
        body (JournalEntry): An identity action the EHR performed, for the journal.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalReceipt | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: JournalEntry,
    x_request_id: str | Unset = UNSET,
) -> Response[JournalReceipt | Problem]:
    """Record an identity action the EHR performed

     Journal an identity action the EHR performed itself (the Ségur traces
    of INS handling): `event` says which, `summary` what happened; `patient` (the INS, the traits
    as far as known), `practitioner` (`id`, `name`), `before` / `after` (the traits around a
    change) and `outcome` (`ok` unless said) are optional. The row is tagged with the app and the
    request id, chained to the previous one, and on disk before the `201` answers with its `seq`,
    `time` and `hash`. Any app may record; reading needs the `journal` scope.

    Args:
        x_request_id (str | Unset):
        body (JournalEntry): An identity action the EHR performed, for the journal.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalReceipt | Problem]
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
    body: JournalEntry,
    x_request_id: str | Unset = UNSET,
) -> JournalReceipt | Problem | None:
    """Record an identity action the EHR performed

     Journal an identity action the EHR performed itself (the Ségur traces
    of INS handling): `event` says which, `summary` what happened; `patient` (the INS, the traits
    as far as known), `practitioner` (`id`, `name`), `before` / `after` (the traits around a
    change) and `outcome` (`ok` unless said) are optional. The row is tagged with the app and the
    request id, chained to the previous one, and on disk before the `201` answers with its `seq`,
    `time` and `hash`. Any app may record; reading needs the `journal` scope.

    Args:
        x_request_id (str | Unset):
        body (JournalEntry): An identity action the EHR performed, for the journal.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalReceipt | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
