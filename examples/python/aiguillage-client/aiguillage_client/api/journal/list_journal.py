from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.journal_page import JournalPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
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

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/journal",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JournalPage | Problem | None:
    if response.status_code == 200:
        response_200 = JournalPage.from_dict(response.json())

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
) -> Response[JournalPage | Problem]:
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
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[JournalPage | Problem]:
    """Read the journal (newest first), filtered and paged

     Journal rows, newest first, `limit` a page (50 unless said). Pass
    `next_cursor` back as `cursor` for the next page; it is `null` on the last one. `event`
    matches a type or a prefix (`ins` matches `ins.search`, `ins.verify`…), `patient` an INS
    (15 characters: that INS) or else the start of the patient's names as journaled, birth name
    first, case ignored (`dup` finds DUPONT JEAN; a word inside the names is not searched: that
    would read every row); `from` and `to` bound the rows' time (a date alone is its midnight
    UTC). Every filter is answered from an index: a page comes as fast at a million rows.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalPage | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        event=event,
        patient=patient,
        outcome=outcome,
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
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    event: str | Unset = UNSET,
    patient: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> JournalPage | Problem | None:
    """Read the journal (newest first), filtered and paged

     Journal rows, newest first, `limit` a page (50 unless said). Pass
    `next_cursor` back as `cursor` for the next page; it is `null` on the last one. `event`
    matches a type or a prefix (`ins` matches `ins.search`, `ins.verify`…), `patient` an INS
    (15 characters: that INS) or else the start of the patient's names as journaled, birth name
    first, case ignored (`dup` finds DUPONT JEAN; a word inside the names is not searched: that
    would read every row); `from` and `to` bound the rows' time (a date alone is its midnight
    UTC). Every filter is answered from an index: a page comes as fast at a million rows.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalPage | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        event=event,
        patient=patient,
        outcome=outcome,
        cursor=cursor,
        limit=limit,
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
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[JournalPage | Problem]:
    """Read the journal (newest first), filtered and paged

     Journal rows, newest first, `limit` a page (50 unless said). Pass
    `next_cursor` back as `cursor` for the next page; it is `null` on the last one. `event`
    matches a type or a prefix (`ins` matches `ins.search`, `ins.verify`…), `patient` an INS
    (15 characters: that INS) or else the start of the patient's names as journaled, birth name
    first, case ignored (`dup` finds DUPONT JEAN; a word inside the names is not searched: that
    would read every row); `from` and `to` bound the rows' time (a date alone is its midnight
    UTC). Every filter is answered from an index: a page comes as fast at a million rows.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalPage | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        event=event,
        patient=patient,
        outcome=outcome,
        cursor=cursor,
        limit=limit,
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
    cursor: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> JournalPage | Problem | None:
    """Read the journal (newest first), filtered and paged

     Journal rows, newest first, `limit` a page (50 unless said). Pass
    `next_cursor` back as `cursor` for the next page; it is `null` on the last one. `event`
    matches a type or a prefix (`ins` matches `ins.search`, `ins.verify`…), `patient` an INS
    (15 characters: that INS) or else the start of the patient's names as journaled, birth name
    first, case ignored (`dup` finds DUPONT JEAN; a word inside the names is not searched: that
    would read every row); `from` and `to` bound the rows' time (a date alone is its midnight
    UTC). Every filter is answered from an index: a page comes as fast at a million rows.

    Args:
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        event (str | Unset):
        patient (str | Unset):
        outcome (str | Unset):
        cursor (int | Unset):
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            event=event,
            patient=patient,
            outcome=outcome,
            cursor=cursor,
            limit=limit,
            x_request_id=x_request_id,
        )
    ).parsed
