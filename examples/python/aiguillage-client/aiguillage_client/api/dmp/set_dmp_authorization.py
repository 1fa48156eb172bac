from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dmp_authorization import DmpAuthorization
from ...models.dmp_authorization_change import DmpAuthorizationChange
from ...models.ins_oid import InsOid
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ins: str,
    *,
    body: DmpAuthorizationChange,
    oid: InsOid | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    json_oid: str | Unset = UNSET
    if not isinstance(oid, Unset):
        json_oid = oid.value

    params["oid"] = json_oid

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/dmp/patients/{ins}/authorization".format(
            ins=quote(str(ins), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DmpAuthorization | Problem | None:
    if response.status_code == 200:
        response_200 = DmpAuthorization.from_dict(response.json())

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
) -> Response[DmpAuthorization | Problem]:
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
    body: DmpAuthorizationChange,
    oid: InsOid | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[DmpAuthorization | Problem]:
    """Add or remove my authorisation on the patient's DMP (TD0.3)

     TD0.3: the practitioner gives themselves, or gives up, access to the
    patient's DMP, with the patient's consent. Adding an authorisation already there is a 200
    whose `detail` says so. A patient who blocked this practitioner: 403 `dmp-access-denied`.

    Journaled `dmp.authorization`: `pending` (synced to disk) before the DMP is called, then
    with its outcome, so that no change is made that the journal does not show.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        x_request_id (str | Unset):
        body (DmpAuthorizationChange): The practitioner's authorisation to add or remove, with the
            patient's consent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DmpAuthorization | Problem]
    """

    kwargs = _get_kwargs(
        ins=ins,
        body=body,
        oid=oid,
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
    body: DmpAuthorizationChange,
    oid: InsOid | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> DmpAuthorization | Problem | None:
    """Add or remove my authorisation on the patient's DMP (TD0.3)

     TD0.3: the practitioner gives themselves, or gives up, access to the
    patient's DMP, with the patient's consent. Adding an authorisation already there is a 200
    whose `detail` says so. A patient who blocked this practitioner: 403 `dmp-access-denied`.

    Journaled `dmp.authorization`: `pending` (synced to disk) before the DMP is called, then
    with its outcome, so that no change is made that the journal does not show.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        x_request_id (str | Unset):
        body (DmpAuthorizationChange): The practitioner's authorisation to add or remove, with the
            patient's consent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DmpAuthorization | Problem
    """

    return sync_detailed(
        ins=ins,
        client=client,
        body=body,
        oid=oid,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    body: DmpAuthorizationChange,
    oid: InsOid | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[DmpAuthorization | Problem]:
    """Add or remove my authorisation on the patient's DMP (TD0.3)

     TD0.3: the practitioner gives themselves, or gives up, access to the
    patient's DMP, with the patient's consent. Adding an authorisation already there is a 200
    whose `detail` says so. A patient who blocked this practitioner: 403 `dmp-access-denied`.

    Journaled `dmp.authorization`: `pending` (synced to disk) before the DMP is called, then
    with its outcome, so that no change is made that the journal does not show.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        x_request_id (str | Unset):
        body (DmpAuthorizationChange): The practitioner's authorisation to add or remove, with the
            patient's consent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DmpAuthorization | Problem]
    """

    kwargs = _get_kwargs(
        ins=ins,
        body=body,
        oid=oid,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    body: DmpAuthorizationChange,
    oid: InsOid | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> DmpAuthorization | Problem | None:
    """Add or remove my authorisation on the patient's DMP (TD0.3)

     TD0.3: the practitioner gives themselves, or gives up, access to the
    patient's DMP, with the patient's consent. Adding an authorisation already there is a 200
    whose `detail` says so. A patient who blocked this practitioner: 403 `dmp-access-denied`.

    Journaled `dmp.authorization`: `pending` (synced to disk) before the DMP is called, then
    with its outcome, so that no change is made that the journal does not show.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        x_request_id (str | Unset):
        body (DmpAuthorizationChange): The practitioner's authorisation to add or remove, with the
            patient's consent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DmpAuthorization | Problem
    """

    return (
        await asyncio_detailed(
            ins=ins,
            client=client,
            body=body,
            oid=oid,
            x_request_id=x_request_id,
        )
    ).parsed
