from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
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
        "method": "delete",
        "url": "/v1/apcv/sessions/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
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
) -> Response[Any | Problem]:
    """Release an ApCV session

     Releases the session: the context is destroyed at the ApCV service (`detruireContexteApCV`)
    and the session answers 404 from now on. Release it once the visit is billed; an expired
    session can be released too (204). A session already released, or unknown, is a 404. When the
    service cannot be reached the session is kept, and the call can be made again. The service is
    asked as the practitioner who opened the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, then how it went.
    The SOAP exchanges are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
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
) -> Any | Problem | None:
    """Release an ApCV session

     Releases the session: the context is destroyed at the ApCV service (`detruireContexteApCV`)
    and the session answers 404 from now on. Release it once the visit is billed; an expired
    session can be released too (204). A session already released, or unknown, is a 404. When the
    service cannot be reached the session is kept, and the call can be made again. The service is
    asked as the practitioner who opened the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, then how it went.
    The SOAP exchanges are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
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
) -> Response[Any | Problem]:
    """Release an ApCV session

     Releases the session: the context is destroyed at the ApCV service (`detruireContexteApCV`)
    and the session answers 404 from now on. Release it once the visit is billed; an expired
    session can be released too (204). A session already released, or unknown, is a 404. When the
    service cannot be reached the session is kept, and the call can be made again. The service is
    asked as the practitioner who opened the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, then how it went.
    The SOAP exchanges are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
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
) -> Any | Problem | None:
    """Release an ApCV session

     Releases the session: the context is destroyed at the ApCV service (`detruireContexteApCV`)
    and the session answers 404 from now on. Release it once the visit is billed; an expired
    session can be released too (204). A session already released, or unknown, is a 404. When the
    service cannot be reached the session is kept, and the call can be made again. The service is
    asked as the practitioner who opened the session.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, then how it went.
    The SOAP exchanges are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        id (str):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            x_request_id=x_request_id,
        )
    ).parsed
