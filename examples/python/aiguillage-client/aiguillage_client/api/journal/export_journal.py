from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_journal_format import ExportJournalFormat
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    format_: ExportJournalFormat | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    params["event"] = event

    params["patient"] = patient

    params["outcome"] = outcome

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/journal/export",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    format_: ExportJournalFormat | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[File | Problem]:
    """Export the journal as CSV or XLSX

     The rows the same filters select, oldest first, as a file named in
    `Content-Disposition`: CSV (`text/csv`, UTF-8 with a BOM so that Excel reads its accents) or,
    with `format=xlsx`, a worksheet. A spreadsheet runs nothing from it: text starting with `=`,
    `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` in the CSV and is a text cell in
    the worksheet, which writes control characters as `\\xNN`.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        format_ (ExportJournalFormat | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        event=event,
        patient=patient,
        outcome=outcome,
        format_=format_,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    format_: ExportJournalFormat | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> File | Problem | None:
    """Export the journal as CSV or XLSX

     The rows the same filters select, oldest first, as a file named in
    `Content-Disposition`: CSV (`text/csv`, UTF-8 with a BOM so that Excel reads its accents) or,
    with `format=xlsx`, a worksheet. A spreadsheet runs nothing from it: text starting with `=`,
    `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` in the CSV and is a text cell in
    the worksheet, which writes control characters as `\\xNN`.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        format_ (ExportJournalFormat | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        event=event,
        patient=patient,
        outcome=outcome,
        format_=format_,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    format_: ExportJournalFormat | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[File | Problem]:
    """Export the journal as CSV or XLSX

     The rows the same filters select, oldest first, as a file named in
    `Content-Disposition`: CSV (`text/csv`, UTF-8 with a BOM so that Excel reads its accents) or,
    with `format=xlsx`, a worksheet. A spreadsheet runs nothing from it: text starting with `=`,
    `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` in the CSV and is a text cell in
    the worksheet, which writes control characters as `\\xNN`.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        format_ (ExportJournalFormat | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        event=event,
        patient=patient,
        outcome=outcome,
        format_=format_,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    format_: ExportJournalFormat | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> File | Problem | None:
    """Export the journal as CSV or XLSX

     The rows the same filters select, oldest first, as a file named in
    `Content-Disposition`: CSV (`text/csv`, UTF-8 with a BOM so that Excel reads its accents) or,
    with `format=xlsx`, a worksheet. A spreadsheet runs nothing from it: text starting with `=`,
    `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` in the CSV and is a text cell in
    the worksheet, which writes control characters as `\\xNN`.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        format_ (ExportJournalFormat | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            event=event,
            patient=patient,
            outcome=outcome,
            format_=format_,
            x_request_id=x_request_id,
        )
    ).parsed
