from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gs_1_parse_request import Gs1ParseRequest
from ...models.gs_1_scan import Gs1Scan
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Gs1ParseRequest,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/gs1/parse",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Gs1Scan | Problem | None:
    if response.status_code == 200:
        response_200 = Gs1Scan.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Gs1Scan | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Gs1ParseRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[Gs1Scan | Problem]:
    """Read a scanned GS1 DataMatrix (a medicine or vaccine box)

     Reads what a scanner sent for the DataMatrix of a medicine or vaccine
    box (GS1 element strings): the GTIN (AI 01) and the CIP-13 it holds for a French medicine, the
    expiry date (AI 17, `YYMMDD`, day `00` meaning the month's last day), the lot (AI 10), the
    serial number (AI 21), and every element with its AI's title and description.

    `data` is the raw data with GS (`\\u001d`) where the symbol has an FNC1 separator, as scanners
    send it, optionally preceded by the symbology identifier (`]d2`); or the printed form, the AIs in
    parentheses (`(01)03400930000052(17)270300(10)2025A1(21)ABC123`, spaces ignored).

    Check digits (GTIN, SSCC, GLN) and dates are verified. Malformed data is a 422 on `/data` that
    says what is wrong and where: empty, an unknown AI, a truncated or malformed field, a wrong
    check digit, an impossible date, an AI given twice with different values, a symbology that is
    not GS1. Read on the spot: no national service is called, nothing is journaled.

    Args:
        x_request_id (str | Unset):
        body (Gs1ParseRequest): What the scanner sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Gs1Scan | Problem]
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
    body: Gs1ParseRequest,
    x_request_id: str | Unset = UNSET,
) -> Gs1Scan | Problem | None:
    """Read a scanned GS1 DataMatrix (a medicine or vaccine box)

     Reads what a scanner sent for the DataMatrix of a medicine or vaccine
    box (GS1 element strings): the GTIN (AI 01) and the CIP-13 it holds for a French medicine, the
    expiry date (AI 17, `YYMMDD`, day `00` meaning the month's last day), the lot (AI 10), the
    serial number (AI 21), and every element with its AI's title and description.

    `data` is the raw data with GS (`\\u001d`) where the symbol has an FNC1 separator, as scanners
    send it, optionally preceded by the symbology identifier (`]d2`); or the printed form, the AIs in
    parentheses (`(01)03400930000052(17)270300(10)2025A1(21)ABC123`, spaces ignored).

    Check digits (GTIN, SSCC, GLN) and dates are verified. Malformed data is a 422 on `/data` that
    says what is wrong and where: empty, an unknown AI, a truncated or malformed field, a wrong
    check digit, an impossible date, an AI given twice with different values, a symbology that is
    not GS1. Read on the spot: no national service is called, nothing is journaled.

    Args:
        x_request_id (str | Unset):
        body (Gs1ParseRequest): What the scanner sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Gs1Scan | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Gs1ParseRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[Gs1Scan | Problem]:
    """Read a scanned GS1 DataMatrix (a medicine or vaccine box)

     Reads what a scanner sent for the DataMatrix of a medicine or vaccine
    box (GS1 element strings): the GTIN (AI 01) and the CIP-13 it holds for a French medicine, the
    expiry date (AI 17, `YYMMDD`, day `00` meaning the month's last day), the lot (AI 10), the
    serial number (AI 21), and every element with its AI's title and description.

    `data` is the raw data with GS (`\\u001d`) where the symbol has an FNC1 separator, as scanners
    send it, optionally preceded by the symbology identifier (`]d2`); or the printed form, the AIs in
    parentheses (`(01)03400930000052(17)270300(10)2025A1(21)ABC123`, spaces ignored).

    Check digits (GTIN, SSCC, GLN) and dates are verified. Malformed data is a 422 on `/data` that
    says what is wrong and where: empty, an unknown AI, a truncated or malformed field, a wrong
    check digit, an impossible date, an AI given twice with different values, a symbology that is
    not GS1. Read on the spot: no national service is called, nothing is journaled.

    Args:
        x_request_id (str | Unset):
        body (Gs1ParseRequest): What the scanner sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Gs1Scan | Problem]
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
    body: Gs1ParseRequest,
    x_request_id: str | Unset = UNSET,
) -> Gs1Scan | Problem | None:
    """Read a scanned GS1 DataMatrix (a medicine or vaccine box)

     Reads what a scanner sent for the DataMatrix of a medicine or vaccine
    box (GS1 element strings): the GTIN (AI 01) and the CIP-13 it holds for a French medicine, the
    expiry date (AI 17, `YYMMDD`, day `00` meaning the month's last day), the lot (AI 10), the
    serial number (AI 21), and every element with its AI's title and description.

    `data` is the raw data with GS (`\\u001d`) where the symbol has an FNC1 separator, as scanners
    send it, optionally preceded by the symbology identifier (`]d2`); or the printed form, the AIs in
    parentheses (`(01)03400930000052(17)270300(10)2025A1(21)ABC123`, spaces ignored).

    Check digits (GTIN, SSCC, GLN) and dates are verified. Malformed data is a 422 on `/data` that
    says what is wrong and where: empty, an unknown AI, a truncated or malformed field, a wrong
    check digit, an impossible date, an AI given twice with different values, a symbology that is
    not GS1. Read on the spot: no national service is called, nothing is journaled.

    Args:
        x_request_id (str | Unset):
        body (Gs1ParseRequest): What the scanner sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Gs1Scan | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
