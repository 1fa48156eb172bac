from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accepted import Accepted
from ...models.mssante_ack_request import MssanteAckRequest
from ...models.problem import Problem
from ...models.send_outcome import SendOutcome
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    body: MssanteAckRequest,
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
        "url": "/v1/mssante/inbox/{id}/ack".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Accepted | Problem | SendOutcome | None:
    if response.status_code == 201:
        response_201 = SendOutcome.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = Accepted.from_dict(response.json())

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
) -> Response[Accepted | Problem | SendOutcome]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: MssanteAckRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem | SendOutcome]:
    """Send the return receipt a received message asks for (queued, 202)

     Answers a message that asked for a return receipt
    (`Disposition-Notification-To`) with an MDN (RFC 8098), as the ANS guide for CDA documents by
    MSSanté mail describes: `processed` once the EHR took it in, or `processed/Error: code^label`
    with the `error` given (its subject then starts `[KO Intégration système !][code]`). The
    receipt is queued (kind `mssante.receipt`, 202) and sent by the outbox; one receipt per
    message: a second is a 409.

    Args:
        id (int):
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteAckRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | Problem | SendOutcome]
    """

    kwargs = _get_kwargs(
        id=id,
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
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: MssanteAckRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | SendOutcome | None:
    """Send the return receipt a received message asks for (queued, 202)

     Answers a message that asked for a return receipt
    (`Disposition-Notification-To`) with an MDN (RFC 8098), as the ANS guide for CDA documents by
    MSSanté mail describes: `processed` once the EHR took it in, or `processed/Error: code^label`
    with the `error` given (its subject then starts `[KO Intégration système !][code]`). The
    receipt is queued (kind `mssante.receipt`, 202) and sent by the outbox; one receipt per
    message: a second is a 409.

    Args:
        id (int):
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteAckRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | Problem | SendOutcome
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: MssanteAckRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem | SendOutcome]:
    """Send the return receipt a received message asks for (queued, 202)

     Answers a message that asked for a return receipt
    (`Disposition-Notification-To`) with an MDN (RFC 8098), as the ANS guide for CDA documents by
    MSSanté mail describes: `processed` once the EHR took it in, or `processed/Error: code^label`
    with the `error` given (its subject then starts `[KO Intégration système !][code]`). The
    receipt is queued (kind `mssante.receipt`, 202) and sent by the outbox; one receipt per
    message: a second is a 409.

    Args:
        id (int):
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteAckRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | Problem | SendOutcome]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: MssanteAckRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | SendOutcome | None:
    """Send the return receipt a received message asks for (queued, 202)

     Answers a message that asked for a return receipt
    (`Disposition-Notification-To`) with an MDN (RFC 8098), as the ANS guide for CDA documents by
    MSSanté mail describes: `processed` once the EHR took it in, or `processed/Error: code^label`
    with the `error` given (its subject then starts `[KO Intégration système !][code]`). The
    receipt is queued (kind `mssante.receipt`, 202) and sent by the outbox; one receipt per
    message: a second is a 409.

    Args:
        id (int):
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteAckRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | Problem | SendOutcome
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            wait=wait,
            x_request_id=x_request_id,
            idempotency_key=idempotency_key,
        )
    ).parsed
