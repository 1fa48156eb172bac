from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mssante_inbox_page import MssanteInboxPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    patient: str | Unset = UNSET,
    unread: bool | Unset = UNSET,
    critical: bool | Unset = UNSET,
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

    params["patient"] = patient

    params["unread"] = unread

    params["critical"] = critical

    params["from"] = from_

    params["to"] = to

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/mssante/inbox",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MssanteInboxPage | Problem | None:
    if response.status_code == 200:
        response_200 = MssanteInboxPage.from_dict(response.json())

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
) -> Response[MssanteInboxPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    patient: str | Unset = UNSET,
    unread: bool | Unset = UNSET,
    critical: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[MssanteInboxPage | Problem]:
    """Received messages, newest first

     The messages the daemon fetched from the practice's mailbox (over
    IMAP, as they arrive), newest first, return receipts left out. Each says whom its package is
    about (the identity traits of its `sourcePatientInfo`, to recognise the patient by), whether
    it holds a biology report and whether a result is `abnormal` or `critical` (HH, LL, AA):
    `critical=true` lists what must be acted on now. A package that could not be read safely is
    kept, with `package_error` saying why. `limit` a page (50 unless said); pass `next_cursor`
    back as `cursor` for the next one.

    Args:
        patient (str | Unset):
        unread (bool | Unset):
        critical (bool | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MssanteInboxPage | Problem]
    """

    kwargs = _get_kwargs(
        patient=patient,
        unread=unread,
        critical=critical,
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
    patient: str | Unset = UNSET,
    unread: bool | Unset = UNSET,
    critical: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> MssanteInboxPage | Problem | None:
    """Received messages, newest first

     The messages the daemon fetched from the practice's mailbox (over
    IMAP, as they arrive), newest first, return receipts left out. Each says whom its package is
    about (the identity traits of its `sourcePatientInfo`, to recognise the patient by), whether
    it holds a biology report and whether a result is `abnormal` or `critical` (HH, LL, AA):
    `critical=true` lists what must be acted on now. A package that could not be read safely is
    kept, with `package_error` saying why. `limit` a page (50 unless said); pass `next_cursor`
    back as `cursor` for the next one.

    Args:
        patient (str | Unset):
        unread (bool | Unset):
        critical (bool | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MssanteInboxPage | Problem
    """

    return sync_detailed(
        client=client,
        patient=patient,
        unread=unread,
        critical=critical,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    patient: str | Unset = UNSET,
    unread: bool | Unset = UNSET,
    critical: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[MssanteInboxPage | Problem]:
    """Received messages, newest first

     The messages the daemon fetched from the practice's mailbox (over
    IMAP, as they arrive), newest first, return receipts left out. Each says whom its package is
    about (the identity traits of its `sourcePatientInfo`, to recognise the patient by), whether
    it holds a biology report and whether a result is `abnormal` or `critical` (HH, LL, AA):
    `critical=true` lists what must be acted on now. A package that could not be read safely is
    kept, with `package_error` saying why. `limit` a page (50 unless said); pass `next_cursor`
    back as `cursor` for the next one.

    Args:
        patient (str | Unset):
        unread (bool | Unset):
        critical (bool | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MssanteInboxPage | Problem]
    """

    kwargs = _get_kwargs(
        patient=patient,
        unread=unread,
        critical=critical,
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
    patient: str | Unset = UNSET,
    unread: bool | Unset = UNSET,
    critical: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> MssanteInboxPage | Problem | None:
    """Received messages, newest first

     The messages the daemon fetched from the practice's mailbox (over
    IMAP, as they arrive), newest first, return receipts left out. Each says whom its package is
    about (the identity traits of its `sourcePatientInfo`, to recognise the patient by), whether
    it holds a biology report and whether a result is `abnormal` or `critical` (HH, LL, AA):
    `critical=true` lists what must be acted on now. A package that could not be read safely is
    kept, with `package_error` saying why. `limit` a page (50 unless said); pass `next_cursor`
    back as `cursor` for the next one.

    Args:
        patient (str | Unset):
        unread (bool | Unset):
        critical (bool | Unset):
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MssanteInboxPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            patient=patient,
            unread=unread,
            critical=critical,
            from_=from_,
            to=to,
            cursor=cursor,
            limit=limit,
            x_request_id=x_request_id,
        )
    ).parsed
