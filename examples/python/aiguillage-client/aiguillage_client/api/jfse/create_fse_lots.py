from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fse_lots_accepted import FseLotsAccepted
from ...models.fse_lots_outcome import FseLotsOutcome
from ...models.fse_lots_request import FseLotsRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: FseLotsRequest,
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
        "url": "/v1/fse/lots",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FseLotsAccepted | FseLotsOutcome | Problem | None:
    if response.status_code == 201:
        response_201 = FseLotsOutcome.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = FseLotsAccepted.from_dict(response.json())

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
) -> Response[FseLotsAccepted | FseLotsOutcome | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FseLotsRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[FseLotsAccepted | FseLotsOutcome | Problem]:
    """Send secured care sheets: one lot per insurer (queued, 202)

     Groups secured care sheets by destination insurer, one lot each, and
    queues each lot in the outbox (kind `jfse.lot`); answers `202` once they are durable. Without
    `invoices`, every secured care sheet not yet in a lot goes. Care sheets of a lot the insurer
    rejected may be named in `invoices` to go in a new lot.

    The outbox transmits each lot and waits up to `arl_wait` seconds for its acknowledgement
    (ARL): positive, the lot and its care sheets are `accepted`; negative, they are `rejected`
    with the ARL's reason and the outbox item `failed` with it — fix the cause, then `POST
    /v1/outbox/{id}/retry` sends the same lot again (or name its care sheets in a new lot); no
    ARL yet, the outbox tries again later (the lot number is fixed, so it is never sent twice).
    Payments and payment rejections follow on each care sheet. Every change is announced
    (`fse.lot`, `fse.invoice`) on the event stream. `Idempotency-Key` makes the request safe to
    repeat, even at once: lot requests are taken one at a time, so a care sheet is in one lot only
    (a second request without a key finds nothing left: 409 `fse-nothing-to-send`).

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (FseLotsRequest): The care sheets to send. Without `invoices`, every secured one not
            yet in a lot.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FseLotsAccepted | FseLotsOutcome | Problem]
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
    body: FseLotsRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> FseLotsAccepted | FseLotsOutcome | Problem | None:
    """Send secured care sheets: one lot per insurer (queued, 202)

     Groups secured care sheets by destination insurer, one lot each, and
    queues each lot in the outbox (kind `jfse.lot`); answers `202` once they are durable. Without
    `invoices`, every secured care sheet not yet in a lot goes. Care sheets of a lot the insurer
    rejected may be named in `invoices` to go in a new lot.

    The outbox transmits each lot and waits up to `arl_wait` seconds for its acknowledgement
    (ARL): positive, the lot and its care sheets are `accepted`; negative, they are `rejected`
    with the ARL's reason and the outbox item `failed` with it — fix the cause, then `POST
    /v1/outbox/{id}/retry` sends the same lot again (or name its care sheets in a new lot); no
    ARL yet, the outbox tries again later (the lot number is fixed, so it is never sent twice).
    Payments and payment rejections follow on each care sheet. Every change is announced
    (`fse.lot`, `fse.invoice`) on the event stream. `Idempotency-Key` makes the request safe to
    repeat, even at once: lot requests are taken one at a time, so a care sheet is in one lot only
    (a second request without a key finds nothing left: 409 `fse-nothing-to-send`).

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (FseLotsRequest): The care sheets to send. Without `invoices`, every secured one not
            yet in a lot.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FseLotsAccepted | FseLotsOutcome | Problem
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
    body: FseLotsRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[FseLotsAccepted | FseLotsOutcome | Problem]:
    """Send secured care sheets: one lot per insurer (queued, 202)

     Groups secured care sheets by destination insurer, one lot each, and
    queues each lot in the outbox (kind `jfse.lot`); answers `202` once they are durable. Without
    `invoices`, every secured care sheet not yet in a lot goes. Care sheets of a lot the insurer
    rejected may be named in `invoices` to go in a new lot.

    The outbox transmits each lot and waits up to `arl_wait` seconds for its acknowledgement
    (ARL): positive, the lot and its care sheets are `accepted`; negative, they are `rejected`
    with the ARL's reason and the outbox item `failed` with it — fix the cause, then `POST
    /v1/outbox/{id}/retry` sends the same lot again (or name its care sheets in a new lot); no
    ARL yet, the outbox tries again later (the lot number is fixed, so it is never sent twice).
    Payments and payment rejections follow on each care sheet. Every change is announced
    (`fse.lot`, `fse.invoice`) on the event stream. `Idempotency-Key` makes the request safe to
    repeat, even at once: lot requests are taken one at a time, so a care sheet is in one lot only
    (a second request without a key finds nothing left: 409 `fse-nothing-to-send`).

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (FseLotsRequest): The care sheets to send. Without `invoices`, every secured one not
            yet in a lot.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FseLotsAccepted | FseLotsOutcome | Problem]
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
    body: FseLotsRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> FseLotsAccepted | FseLotsOutcome | Problem | None:
    """Send secured care sheets: one lot per insurer (queued, 202)

     Groups secured care sheets by destination insurer, one lot each, and
    queues each lot in the outbox (kind `jfse.lot`); answers `202` once they are durable. Without
    `invoices`, every secured care sheet not yet in a lot goes. Care sheets of a lot the insurer
    rejected may be named in `invoices` to go in a new lot.

    The outbox transmits each lot and waits up to `arl_wait` seconds for its acknowledgement
    (ARL): positive, the lot and its care sheets are `accepted`; negative, they are `rejected`
    with the ARL's reason and the outbox item `failed` with it — fix the cause, then `POST
    /v1/outbox/{id}/retry` sends the same lot again (or name its care sheets in a new lot); no
    ARL yet, the outbox tries again later (the lot number is fixed, so it is never sent twice).
    Payments and payment rejections follow on each care sheet. Every change is announced
    (`fse.lot`, `fse.invoice`) on the event stream. `Idempotency-Key` makes the request safe to
    repeat, even at once: lot requests are taken one at a time, so a care sheet is in one lot only
    (a second request without a key finds nothing left: 409 `fse-nothing-to-send`).

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (FseLotsRequest): The care sheets to send. Without `invoices`, every secured one not
            yet in a lot.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FseLotsAccepted | FseLotsOutcome | Problem
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
