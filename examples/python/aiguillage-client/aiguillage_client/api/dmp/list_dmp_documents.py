from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dmp_document_availability import DmpDocumentAvailability
from ...models.dmp_document_list import DmpDocumentList
from ...models.identity_status import IdentityStatus
from ...models.ins_oid import InsOid
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ins: str,
    *,
    oid: InsOid | Unset = UNSET,
    type_: str | Unset = UNSET,
    status: DmpDocumentAvailability | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
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

    params["type"] = type_

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["from"] = from_

    params["to"] = to

    json_identity_status: str | Unset = UNSET
    if not isinstance(identity_status, Unset):
        json_identity_status = identity_status.value

    params["identity_status"] = json_identity_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/dmp/patients/{ins}/documents".format(
            ins=quote(str(ins), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DmpDocumentList | Problem | None:
    if response.status_code == 200:
        response_200 = DmpDocumentList.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DmpDocumentList | Problem]:
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
    oid: InsOid | Unset = UNSET,
    type_: str | Unset = UNSET,
    status: DmpDocumentAvailability | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[DmpDocumentList | Problem]:
    """The patient's documents (TD3.1)

     TD3.1 (ITI-18 FindDocuments): the documents of the patient's DMP that
    the practitioner may see, `approved` ones unless `status` asks for others; submission
    signatures and documents another practitioner masked are not listed.

    Times are RFC 3339 in UTC (`created`, `service_start`, `service_stop`), each beside the
    registry's own value (an HL7 DTM, UTC: `created_hl7`…); a DTM less precise than the second
    stands for the start of the period it names. `author` is the entry's `authorPerson` in parts,
    with the institution, role and specialty the metadata gives, and the raw XCN in `xcn`.

    `identity_status`: the identity's RNIV status; one other than `QUAL` is a 422
    `identity-not-qualified` before any call (see `sendDmpDocument`). Journaled
    `dmp.documents.search`.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        type_ (str | Unset):
        status (DmpDocumentAvailability | Unset): `approved` (current), `deprecated` (replaced),
            `archived`
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
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
        Response[DmpDocumentList | Problem]
    """

    kwargs = _get_kwargs(
        ins=ins,
        oid=oid,
        type_=type_,
        status=status,
        from_=from_,
        to=to,
        identity_status=identity_status,
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
    oid: InsOid | Unset = UNSET,
    type_: str | Unset = UNSET,
    status: DmpDocumentAvailability | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> DmpDocumentList | Problem | None:
    """The patient's documents (TD3.1)

     TD3.1 (ITI-18 FindDocuments): the documents of the patient's DMP that
    the practitioner may see, `approved` ones unless `status` asks for others; submission
    signatures and documents another practitioner masked are not listed.

    Times are RFC 3339 in UTC (`created`, `service_start`, `service_stop`), each beside the
    registry's own value (an HL7 DTM, UTC: `created_hl7`…); a DTM less precise than the second
    stands for the start of the period it names. `author` is the entry's `authorPerson` in parts,
    with the institution, role and specialty the metadata gives, and the raw XCN in `xcn`.

    `identity_status`: the identity's RNIV status; one other than `QUAL` is a 422
    `identity-not-qualified` before any call (see `sendDmpDocument`). Journaled
    `dmp.documents.search`.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        type_ (str | Unset):
        status (DmpDocumentAvailability | Unset): `approved` (current), `deprecated` (replaced),
            `archived`
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
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
        DmpDocumentList | Problem
    """

    return sync_detailed(
        ins=ins,
        client=client,
        oid=oid,
        type_=type_,
        status=status,
        from_=from_,
        to=to,
        identity_status=identity_status,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    oid: InsOid | Unset = UNSET,
    type_: str | Unset = UNSET,
    status: DmpDocumentAvailability | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[DmpDocumentList | Problem]:
    """The patient's documents (TD3.1)

     TD3.1 (ITI-18 FindDocuments): the documents of the patient's DMP that
    the practitioner may see, `approved` ones unless `status` asks for others; submission
    signatures and documents another practitioner masked are not listed.

    Times are RFC 3339 in UTC (`created`, `service_start`, `service_stop`), each beside the
    registry's own value (an HL7 DTM, UTC: `created_hl7`…); a DTM less precise than the second
    stands for the start of the period it names. `author` is the entry's `authorPerson` in parts,
    with the institution, role and specialty the metadata gives, and the raw XCN in `xcn`.

    `identity_status`: the identity's RNIV status; one other than `QUAL` is a 422
    `identity-not-qualified` before any call (see `sendDmpDocument`). Journaled
    `dmp.documents.search`.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        type_ (str | Unset):
        status (DmpDocumentAvailability | Unset): `approved` (current), `deprecated` (replaced),
            `archived`
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
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
        Response[DmpDocumentList | Problem]
    """

    kwargs = _get_kwargs(
        ins=ins,
        oid=oid,
        type_=type_,
        status=status,
        from_=from_,
        to=to,
        identity_status=identity_status,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ins: str,
    *,
    client: AuthenticatedClient | Client,
    oid: InsOid | Unset = UNSET,
    type_: str | Unset = UNSET,
    status: DmpDocumentAvailability | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    identity_status: IdentityStatus | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> DmpDocumentList | Problem | None:
    """The patient's documents (TD3.1)

     TD3.1 (ITI-18 FindDocuments): the documents of the patient's DMP that
    the practitioner may see, `approved` ones unless `status` asks for others; submission
    signatures and documents another practitioner masked are not listed.

    Times are RFC 3339 in UTC (`created`, `service_start`, `service_stop`), each beside the
    registry's own value (an HL7 DTM, UTC: `created_hl7`…); a DTM less precise than the second
    stands for the start of the period it names. `author` is the entry's `authorPerson` in parts,
    with the institution, role and specialty the metadata gives, and the raw XCN in `xcn`.

    `identity_status`: the identity's RNIV status; one other than `QUAL` is a 422
    `identity-not-qualified` before any call (see `sendDmpDocument`). Journaled
    `dmp.documents.search`.

    Args:
        ins (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration
            NIR; an INS given without one is a NIR (1.2.250.1.213.1.4.8).
        type_ (str | Unset):
        status (DmpDocumentAvailability | Unset): `approved` (current), `deprecated` (replaced),
            `archived`
        from_ (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
        to (str | Unset): YYYY-MM-DD or an ISO 8601 date and time (UTC when no offset is given)
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
        DmpDocumentList | Problem
    """

    return (
        await asyncio_detailed(
            ins=ins,
            client=client,
            oid=oid,
            type_=type_,
            status=status,
            from_=from_,
            to=to,
            identity_status=identity_status,
            x_request_id=x_request_id,
        )
    ).parsed
