from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_dmp_document_render import GetDmpDocumentRender
from ...models.identity_status import IdentityStatus
from ...models.ins_oid import InsOid
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    unique_id: str,
    *,
    patient: str,
    oid: InsOid | Unset = UNSET,
    render: GetDmpDocumentRender | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["patient"] = patient

    json_oid: str | Unset = UNSET
    if not isinstance(oid, Unset):
        json_oid = oid.value

    params["oid"] = json_oid

    json_render: str | Unset = UNSET
    if not isinstance(render, Unset):
        json_render = render.value

    params["render"] = json_render

    json_identity_status: str | Unset = UNSET
    if not isinstance(identity_status, Unset):
        json_identity_status = identity_status.value

    params["identity_status"] = json_identity_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/dmp/documents/{unique_id}".format(
            unique_id=quote(str(unique_id), safe=""),
        ),
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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
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
    patient: str,
    oid: InsOid | Unset = UNSET,
    render: GetDmpDocumentRender | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[File | Problem]:
    """A document's bytes (TD3.2)

     TD3.2 (ITI-43): the document as the DMP holds it — a CDA, `text/xml`.
    With `render=pdf`, the PDF a level 1 CDA wraps (`application/pdf`); a document that wraps
    none is a 422 `not-level1-pdf`. A document the practitioner cannot see, or deleted, is a 404
    `not-found`.

    A uniqueId is an OID, or for an EHR's own CDA `root^extension` (its `ClinicalDocument/id`;
    `^` written `%5E` in a URL). `identity_status` as for the listing. Journaled
    `dmp.document.read`.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        patient (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        render (GetDmpDocumentRender | Unset):
        identity_status (IdentityStatus | Unset): The identity's status under the RNIV: `PROV`
            provisoire, `RECUP` récupérée (INS from INSi, traits not checked against an identity
            document), `VALI` validée (traits checked against a high-trust identity document, no INS
            from INSi), `QUAL` qualifiée (both; the only status under which the INS may reference and
            share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a patient
            whose status is not `QUAL` (see their config).
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        unique_id=unique_id,
        patient=patient,
        oid=oid,
        render=render,
        identity_status=identity_status,
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
    patient: str,
    oid: InsOid | Unset = UNSET,
    render: GetDmpDocumentRender | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> File | Problem | None:
    """A document's bytes (TD3.2)

     TD3.2 (ITI-43): the document as the DMP holds it — a CDA, `text/xml`.
    With `render=pdf`, the PDF a level 1 CDA wraps (`application/pdf`); a document that wraps
    none is a 422 `not-level1-pdf`. A document the practitioner cannot see, or deleted, is a 404
    `not-found`.

    A uniqueId is an OID, or for an EHR's own CDA `root^extension` (its `ClinicalDocument/id`;
    `^` written `%5E` in a URL). `identity_status` as for the listing. Journaled
    `dmp.document.read`.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        patient (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        render (GetDmpDocumentRender | Unset):
        identity_status (IdentityStatus | Unset): The identity's status under the RNIV: `PROV`
            provisoire, `RECUP` récupérée (INS from INSi, traits not checked against an identity
            document), `VALI` validée (traits checked against a high-trust identity document, no INS
            from INSi), `QUAL` qualifiée (both; the only status under which the INS may reference and
            share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a patient
            whose status is not `QUAL` (see their config).
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        unique_id=unique_id,
        client=client,
        patient=patient,
        oid=oid,
        render=render,
        identity_status=identity_status,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    unique_id: str,
    *,
    client: AuthenticatedClient | Client,
    patient: str,
    oid: InsOid | Unset = UNSET,
    render: GetDmpDocumentRender | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[File | Problem]:
    """A document's bytes (TD3.2)

     TD3.2 (ITI-43): the document as the DMP holds it — a CDA, `text/xml`.
    With `render=pdf`, the PDF a level 1 CDA wraps (`application/pdf`); a document that wraps
    none is a 422 `not-level1-pdf`. A document the practitioner cannot see, or deleted, is a 404
    `not-found`.

    A uniqueId is an OID, or for an EHR's own CDA `root^extension` (its `ClinicalDocument/id`;
    `^` written `%5E` in a URL). `identity_status` as for the listing. Journaled
    `dmp.document.read`.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        patient (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        render (GetDmpDocumentRender | Unset):
        identity_status (IdentityStatus | Unset): The identity's status under the RNIV: `PROV`
            provisoire, `RECUP` récupérée (INS from INSi, traits not checked against an identity
            document), `VALI` validée (traits checked against a high-trust identity document, no INS
            from INSi), `QUAL` qualifiée (both; the only status under which the INS may reference and
            share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a patient
            whose status is not `QUAL` (see their config).
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        unique_id=unique_id,
        patient=patient,
        oid=oid,
        render=render,
        identity_status=identity_status,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    unique_id: str,
    *,
    client: AuthenticatedClient | Client,
    patient: str,
    oid: InsOid | Unset = UNSET,
    render: GetDmpDocumentRender | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> File | Problem | None:
    """A document's bytes (TD3.2)

     TD3.2 (ITI-43): the document as the DMP holds it — a CDA, `text/xml`.
    With `render=pdf`, the PDF a level 1 CDA wraps (`application/pdf`); a document that wraps
    none is a 422 `not-level1-pdf`. A document the practitioner cannot see, or deleted, is a 404
    `not-found`.

    A uniqueId is an OID, or for an EHR's own CDA `root^extension` (its `ClinicalDocument/id`;
    `^` written `%5E` in a URL). `identity_status` as for the listing. Journaled
    `dmp.document.read`.

    Args:
        unique_id (str): a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own
            CDA
        patient (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        render (GetDmpDocumentRender | Unset):
        identity_status (IdentityStatus | Unset): The identity's status under the RNIV: `PROV`
            provisoire, `RECUP` récupérée (INS from INSi, traits not checked against an identity
            document), `VALI` validée (traits checked against a high-trust identity document, no INS
            from INSi), `QUAL` qualifiée (both; the only status under which the INS may reference and
            share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a patient
            whose status is not `QUAL` (see their config).
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            unique_id=unique_id,
            client=client,
            patient=patient,
            oid=oid,
            render=render,
            identity_status=identity_status,
            x_request_id=x_request_id,
        )
    ).parsed
