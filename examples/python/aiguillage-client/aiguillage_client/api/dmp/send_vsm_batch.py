from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.vsm_batch import VsmBatch
from ...models.vsm_batch_accepted import VsmBatchAccepted
from ...models.vsm_batch_outcome import VsmBatchOutcome
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VsmBatch,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/dmp/vsm/batch",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | VsmBatchAccepted | VsmBatchOutcome | None:
    if response.status_code == 201:
        response_201 = VsmBatchOutcome.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = VsmBatchAccepted.from_dict(response.json())

        return response_202

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
) -> Response[Problem | VsmBatchAccepted | VsmBatchOutcome]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VsmBatch,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | VsmBatchAccepted | VsmBatchOutcome]:
    """Queue the VSM of many patients (202, batch id)

     The VSM of up to 5,000 patients in one request (an EHR's ALD patients
    with a qualified INS, say). Every item is checked and its VSM built (about half a millisecond
    each, off the event loop: 5,000 take a few seconds before the answer), then all are queued in
    one transaction, one outbox item each, or none. The answer names the batch; follow it at
    `Location` (`getDmpBatch`) or on the event stream, where `dmp.batch` carries its progress.

    An item whose `patient.identity_status` is not `QUAL` (or, with `[dmp]
    require_identity_status`, has none) is refused alone, journaled `identity.refused`: `refused`
    lists each (its position, INS, status and why) while the others are queued; when every item is
    refused, a 422 `identity-not-qualified` naming each. `items` counts those queued.

    `Idempotency-Key` covers the request as a whole, its patients included.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (VsmBatch): The VSM of many patients, sent with one request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VsmBatchAccepted | VsmBatchOutcome]
    """

    kwargs = _get_kwargs(
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: VsmBatch,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | VsmBatchAccepted | VsmBatchOutcome | None:
    """Queue the VSM of many patients (202, batch id)

     The VSM of up to 5,000 patients in one request (an EHR's ALD patients
    with a qualified INS, say). Every item is checked and its VSM built (about half a millisecond
    each, off the event loop: 5,000 take a few seconds before the answer), then all are queued in
    one transaction, one outbox item each, or none. The answer names the batch; follow it at
    `Location` (`getDmpBatch`) or on the event stream, where `dmp.batch` carries its progress.

    An item whose `patient.identity_status` is not `QUAL` (or, with `[dmp]
    require_identity_status`, has none) is refused alone, journaled `identity.refused`: `refused`
    lists each (its position, INS, status and why) while the others are queued; when every item is
    refused, a 422 `identity-not-qualified` naming each. `items` counts those queued.

    `Idempotency-Key` covers the request as a whole, its patients included.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (VsmBatch): The VSM of many patients, sent with one request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VsmBatchAccepted | VsmBatchOutcome
    """

    return sync_detailed(
        client=client,
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VsmBatch,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | VsmBatchAccepted | VsmBatchOutcome]:
    """Queue the VSM of many patients (202, batch id)

     The VSM of up to 5,000 patients in one request (an EHR's ALD patients
    with a qualified INS, say). Every item is checked and its VSM built (about half a millisecond
    each, off the event loop: 5,000 take a few seconds before the answer), then all are queued in
    one transaction, one outbox item each, or none. The answer names the batch; follow it at
    `Location` (`getDmpBatch`) or on the event stream, where `dmp.batch` carries its progress.

    An item whose `patient.identity_status` is not `QUAL` (or, with `[dmp]
    require_identity_status`, has none) is refused alone, journaled `identity.refused`: `refused`
    lists each (its position, INS, status and why) while the others are queued; when every item is
    refused, a 422 `identity-not-qualified` naming each. `items` counts those queued.

    `Idempotency-Key` covers the request as a whole, its patients included.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (VsmBatch): The VSM of many patients, sent with one request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VsmBatchAccepted | VsmBatchOutcome]
    """

    kwargs = _get_kwargs(
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: VsmBatch,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | VsmBatchAccepted | VsmBatchOutcome | None:
    """Queue the VSM of many patients (202, batch id)

     The VSM of up to 5,000 patients in one request (an EHR's ALD patients
    with a qualified INS, say). Every item is checked and its VSM built (about half a millisecond
    each, off the event loop: 5,000 take a few seconds before the answer), then all are queued in
    one transaction, one outbox item each, or none. The answer names the batch; follow it at
    `Location` (`getDmpBatch`) or on the event stream, where `dmp.batch` carries its progress.

    An item whose `patient.identity_status` is not `QUAL` (or, with `[dmp]
    require_identity_status`, has none) is refused alone, journaled `identity.refused`: `refused`
    lists each (its position, INS, status and why) while the others are queued; when every item is
    refused, a 422 `identity-not-qualified` naming each. `items` counts those queued.

    `Idempotency-Key` covers the request as a whole, its patients included.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (VsmBatch): The VSM of many patients, sent with one request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VsmBatchAccepted | VsmBatchOutcome
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            wait=wait,
            x_request_id=x_request_id,
            idempotency_key=idempotency_key,
        )
    ).parsed
