from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dmp_document_status import DmpDocumentStatus
from ...models.dmp_document_status_change import DmpDocumentStatusChange
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    unique_id: str,
    *,
    body: DmpDocumentStatusChange,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/dmp/documents/{unique_id}/status".format(
            unique_id=quote(str(unique_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DmpDocumentStatus | Problem | None:
    if response.status_code == 200:
        response_200 = DmpDocumentStatus.from_dict(response.json())

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
) -> Response[DmpDocumentStatus | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    unique_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentStatusChange,
    x_request_id: str | Unset = UNSET,
) -> Response[DmpDocumentStatus | Problem]:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3)

     TD3.3 (ITI-57): changes a document's visibility or status. `mask`
    hides it from other health professionals (`MASQUE_PS`), `unmask` shows it again,
    `hide_from_patient` hides it from the patient (`INVISIBLE_PATIENT`); `archive` and `delete`
    change its status (approved → archived → deleted). A change the registry refuses in the
    document's current state (archiving it twice) is a 409 `dmp-update-refused`.

    Journaled `dmp.document.<action>`: `pending` (synced to disk) before the DMP is called, then
    with its outcome.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        x_request_id (str | Unset):
        body (DmpDocumentStatusChange): A change of a document's status or visibility.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DmpDocumentStatus | Problem]
    """

    kwargs = _get_kwargs(
        unique_id=unique_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    unique_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentStatusChange,
    x_request_id: str | Unset = UNSET,
) -> DmpDocumentStatus | Problem | None:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3)

     TD3.3 (ITI-57): changes a document's visibility or status. `mask`
    hides it from other health professionals (`MASQUE_PS`), `unmask` shows it again,
    `hide_from_patient` hides it from the patient (`INVISIBLE_PATIENT`); `archive` and `delete`
    change its status (approved → archived → deleted). A change the registry refuses in the
    document's current state (archiving it twice) is a 409 `dmp-update-refused`.

    Journaled `dmp.document.<action>`: `pending` (synced to disk) before the DMP is called, then
    with its outcome.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        x_request_id (str | Unset):
        body (DmpDocumentStatusChange): A change of a document's status or visibility.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DmpDocumentStatus | Problem
    """

    return sync_detailed(
        unique_id=unique_id,
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    unique_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentStatusChange,
    x_request_id: str | Unset = UNSET,
) -> Response[DmpDocumentStatus | Problem]:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3)

     TD3.3 (ITI-57): changes a document's visibility or status. `mask`
    hides it from other health professionals (`MASQUE_PS`), `unmask` shows it again,
    `hide_from_patient` hides it from the patient (`INVISIBLE_PATIENT`); `archive` and `delete`
    change its status (approved → archived → deleted). A change the registry refuses in the
    document's current state (archiving it twice) is a 409 `dmp-update-refused`.

    Journaled `dmp.document.<action>`: `pending` (synced to disk) before the DMP is called, then
    with its outcome.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        x_request_id (str | Unset):
        body (DmpDocumentStatusChange): A change of a document's status or visibility.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DmpDocumentStatus | Problem]
    """

    kwargs = _get_kwargs(
        unique_id=unique_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    unique_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentStatusChange,
    x_request_id: str | Unset = UNSET,
) -> DmpDocumentStatus | Problem | None:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3)

     TD3.3 (ITI-57): changes a document's visibility or status. `mask`
    hides it from other health professionals (`MASQUE_PS`), `unmask` shows it again,
    `hide_from_patient` hides it from the patient (`INVISIBLE_PATIENT`); `archive` and `delete`
    change its status (approved → archived → deleted). A change the registry refuses in the
    document's current state (archiving it twice) is a 409 `dmp-update-refused`.

    Journaled `dmp.document.<action>`: `pending` (synced to disk) before the DMP is called, then
    with its outcome.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        x_request_id (str | Unset):
        body (DmpDocumentStatusChange): A change of a document's status or visibility.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DmpDocumentStatus | Problem
    """

    return (
        await asyncio_detailed(
            unique_id=unique_id,
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
