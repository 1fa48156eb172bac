from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.apcv_session import ApcvSession
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/apcv/sessions/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApcvSession | Problem | None:
    if response.status_code == 200:
        response_200 = ApcvSession.from_dict(response.json())

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

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 421:
        response_421 = Problem.from_dict(response.json())

        return response_421

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApcvSession | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Response[ApcvSession | Problem]:
    """An ApCV session, read again from the service

     The session, read again from the ApCV service (`restituerContexteApCV`): the beneficiaries as
    the service gives them now, and the context's end of validity. 404
    `apcv-session-not-found` for a session released (or never opened here); 410
    `apcv-session-expired` once its context ended, by its time or because the service says so:
    the patient must show the code again. The service is asked as the practitioner who opened
    the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session` with the first beneficiary's INS (or NIR). The SOAP exchanges are
    journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApcvSession | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> ApcvSession | Problem | None:
    """An ApCV session, read again from the service

     The session, read again from the ApCV service (`restituerContexteApCV`): the beneficiaries as
    the service gives them now, and the context's end of validity. 404
    `apcv-session-not-found` for a session released (or never opened here); 410
    `apcv-session-expired` once its context ended, by its time or because the service says so:
    the patient must show the code again. The service is asked as the practitioner who opened
    the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session` with the first beneficiary's INS (or NIR). The SOAP exchanges are
    journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApcvSession | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> Response[ApcvSession | Problem]:
    """An ApCV session, read again from the service

     The session, read again from the ApCV service (`restituerContexteApCV`): the beneficiaries as
    the service gives them now, and the context's end of validity. 404
    `apcv-session-not-found` for a session released (or never opened here); 410
    `apcv-session-expired` once its context ended, by its time or because the service says so:
    the patient must show the code again. The service is asked as the practitioner who opened
    the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session` with the first beneficiary's INS (or NIR). The SOAP exchanges are
    journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApcvSession | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    x_request_id: str | Unset = UNSET,
) -> ApcvSession | Problem | None:
    """An ApCV session, read again from the service

     The session, read again from the ApCV service (`restituerContexteApCV`): the beneficiaries as
    the service gives them now, and the context's end of validity. 404
    `apcv-session-not-found` for a session released (or never opened here); 410
    `apcv-session-expired` once its context ended, by its time or because the service says so:
    the patient must show the code again. The service is asked as the practitioner who opened
    the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session` with the first beneficiary's INS (or NIR). The SOAP exchanges are
    journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApcvSession | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            x_request_id=x_request_id,
        )
    ).parsed
