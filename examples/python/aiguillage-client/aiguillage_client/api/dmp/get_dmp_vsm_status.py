from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.vsm_status import VsmStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ins: str,
    *,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/dmp/patients/{ins}/vsm".format(
            ins=quote(str(ins), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | VsmStatus | None:
    if response.status_code == 200:
        response_200 = VsmStatus.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | VsmStatus]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | VsmStatus]:
    """When the patient's VSM was last sent (from the outbox, no DMP call)

     When the patient's VSM (volet de synthèse médicale) was last sent to the
    DMP by this daemon, for the EHR to show it: `status` is `sent_less_than_a_year`,
    `sent_more_than_a_year` (one calendar year: the same date a year later) or `never`, with a
    French `label`; `last_sent` is the last VSM the DMP took (outbox id, uniqueId, when queued and
    sent) and `last` the last one queued, whatever its state (still queued, failed…).

    Read from the outbox (every `dmp.document` item of the patient whose document is a VSM, built by
    the daemon or the EHR's own) and, for items whose payload the outbox has purged, from their
    `dmp.document.sent` journal rows: the DMP is not called, and a VSM another software sent is not
    known.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VsmStatus]
    """

    kwargs = _get_kwargs(
        ins=ins,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Problem | VsmStatus | None:
    """When the patient's VSM was last sent (from the outbox, no DMP call)

     When the patient's VSM (volet de synthèse médicale) was last sent to the
    DMP by this daemon, for the EHR to show it: `status` is `sent_less_than_a_year`,
    `sent_more_than_a_year` (one calendar year: the same date a year later) or `never`, with a
    French `label`; `last_sent` is the last VSM the DMP took (outbox id, uniqueId, when queued and
    sent) and `last` the last one queued, whatever its state (still queued, failed…).

    Read from the outbox (every `dmp.document` item of the patient whose document is a VSM, built by
    the daemon or the EHR's own) and, for items whose payload the outbox has purged, from their
    `dmp.document.sent` journal rows: the DMP is not called, and a VSM another software sent is not
    known.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VsmStatus
    """

    return sync_detailed(
        ins=ins,
        client=client,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | VsmStatus]:
    """When the patient's VSM was last sent (from the outbox, no DMP call)

     When the patient's VSM (volet de synthèse médicale) was last sent to the
    DMP by this daemon, for the EHR to show it: `status` is `sent_less_than_a_year`,
    `sent_more_than_a_year` (one calendar year: the same date a year later) or `never`, with a
    French `label`; `last_sent` is the last VSM the DMP took (outbox id, uniqueId, when queued and
    sent) and `last` the last one queued, whatever its state (still queued, failed…).

    Read from the outbox (every `dmp.document` item of the patient whose document is a VSM, built by
    the daemon or the EHR's own) and, for items whose payload the outbox has purged, from their
    `dmp.document.sent` journal rows: the DMP is not called, and a VSM another software sent is not
    known.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VsmStatus]
    """

    kwargs = _get_kwargs(
        ins=ins,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Problem | VsmStatus | None:
    """When the patient's VSM was last sent (from the outbox, no DMP call)

     When the patient's VSM (volet de synthèse médicale) was last sent to the
    DMP by this daemon, for the EHR to show it: `status` is `sent_less_than_a_year`,
    `sent_more_than_a_year` (one calendar year: the same date a year later) or `never`, with a
    French `label`; `last_sent` is the last VSM the DMP took (outbox id, uniqueId, when queued and
    sent) and `last` the last one queued, whatever its state (still queued, failed…).

    Read from the outbox (every `dmp.document` item of the patient whose document is a VSM, built by
    the daemon or the EHR's own) and, for items whose payload the outbox has purged, from their
    `dmp.document.sent` journal rows: the DMP is not called, and a VSM another software sent is not
    known.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VsmStatus
    """

    return (
        await asyncio_detailed(
            ins=ins,
            client=client,
            x_request_id=x_request_id,
        )
    ).parsed
