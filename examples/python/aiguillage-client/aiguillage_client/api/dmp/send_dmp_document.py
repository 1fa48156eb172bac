from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accepted import Accepted
from ...models.dmp_document_send import DmpDocumentSend
from ...models.problem import Problem
from ...models.send_outcome import SendOutcome
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: DmpDocumentSend,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/dmp/documents",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Accepted | Problem | SendOutcome | None:
    if response.status_code == 201:
        response_201 = SendOutcome.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = Accepted.from_dict(response.json())

        return response_202

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
) -> Response[Accepted | Problem | SendOutcome]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentSend,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem | SendOutcome]:
    """Send a document to the patient's DMP (queued, 202)

     Queues a document for the patient's DMP and answers `202` with the
    outbox item (kind `dmp.document`) once it is durable; the outbox delivers it (TD2.1, ITI-41)
    and retries what is worth retrying. Follow it at `Location` or on the event stream.

    The document is one of:

    - `pdf`, with `title` and `type_code`: a PDF the daemon wraps in a CDA R2 level 1. The
      type is a DMP document type (JDV_J66, but `E1762`, the signature's);
    - `vsm`, with an optional `title`: the volet de synthèse médicale, built by the daemon
      (CI-SIS VSM 2023.01) from its items;
    - `cda`: the EHR's own CDA, a level 1 or a VSM (known by its templateId
      `1.2.250.1.213.1.1.1.13`), checked against the CDA XSD. It must be about the patient named:
      its `recordTarget/patientRole/id` under an INS OID is that patient's INS alone, under the
      OID given (an IPP may stand beside it), and each INS trait it writes (birth name, birth first
      names and the first of them, sex, birth date, birth place) is the request's once names are
      folded as the INS referential writes them (upper case, no diacritics, ligatures spelt out).
      A 422 on `/document/cda` says which differs.

    The patient's traits are every INS trait, `birth_place` included (INSEE COG code, `99999`
    when unknown): a CDA identified by an INS must carry them all. They are checked as an INS
    search checks them (a birth date that cannot be one, or in the future, is a 422). The CDA is
    built now, so a bad PDF, type or trait is a 422 rather than a later failure, and it waits in
    the outbox as the item's attachment (`text/xml`, the bytes that will be sent). Text holding a
    character XML cannot carry (a control character, say) is a 422 naming its field.
    `replaces` names the uniqueId of a document of the patient that this one replaces (RPLC).

    Only a qualified identity may be sent under the INS (RNIV): a `patient.identity_status` other
    than `QUAL` is a 422 `identity-not-qualified` naming `/patient/identity_status`, journaled
    `identity.refused`, unless `[dmp] allow_unqualified_identity`. Without a status the send goes
    (the EHR did not say), unless `[dmp] require_identity_status`.

    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (DmpDocumentSend): A document to send to the patient's DMP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | Problem | SendOutcome]
    """

    kwargs = _get_kwargs(
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentSend,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | SendOutcome | None:
    """Send a document to the patient's DMP (queued, 202)

     Queues a document for the patient's DMP and answers `202` with the
    outbox item (kind `dmp.document`) once it is durable; the outbox delivers it (TD2.1, ITI-41)
    and retries what is worth retrying. Follow it at `Location` or on the event stream.

    The document is one of:

    - `pdf`, with `title` and `type_code`: a PDF the daemon wraps in a CDA R2 level 1. The
      type is a DMP document type (JDV_J66, but `E1762`, the signature's);
    - `vsm`, with an optional `title`: the volet de synthèse médicale, built by the daemon
      (CI-SIS VSM 2023.01) from its items;
    - `cda`: the EHR's own CDA, a level 1 or a VSM (known by its templateId
      `1.2.250.1.213.1.1.1.13`), checked against the CDA XSD. It must be about the patient named:
      its `recordTarget/patientRole/id` under an INS OID is that patient's INS alone, under the
      OID given (an IPP may stand beside it), and each INS trait it writes (birth name, birth first
      names and the first of them, sex, birth date, birth place) is the request's once names are
      folded as the INS referential writes them (upper case, no diacritics, ligatures spelt out).
      A 422 on `/document/cda` says which differs.

    The patient's traits are every INS trait, `birth_place` included (INSEE COG code, `99999`
    when unknown): a CDA identified by an INS must carry them all. They are checked as an INS
    search checks them (a birth date that cannot be one, or in the future, is a 422). The CDA is
    built now, so a bad PDF, type or trait is a 422 rather than a later failure, and it waits in
    the outbox as the item's attachment (`text/xml`, the bytes that will be sent). Text holding a
    character XML cannot carry (a control character, say) is a 422 naming its field.
    `replaces` names the uniqueId of a document of the patient that this one replaces (RPLC).

    Only a qualified identity may be sent under the INS (RNIV): a `patient.identity_status` other
    than `QUAL` is a 422 `identity-not-qualified` naming `/patient/identity_status`, journaled
    `identity.refused`, unless `[dmp] allow_unqualified_identity`. Without a status the send goes
    (the EHR did not say), unless `[dmp] require_identity_status`.

    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (DmpDocumentSend): A document to send to the patient's DMP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | Problem | SendOutcome
    """

    return sync_detailed(
        client=client,
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentSend,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem | SendOutcome]:
    """Send a document to the patient's DMP (queued, 202)

     Queues a document for the patient's DMP and answers `202` with the
    outbox item (kind `dmp.document`) once it is durable; the outbox delivers it (TD2.1, ITI-41)
    and retries what is worth retrying. Follow it at `Location` or on the event stream.

    The document is one of:

    - `pdf`, with `title` and `type_code`: a PDF the daemon wraps in a CDA R2 level 1. The
      type is a DMP document type (JDV_J66, but `E1762`, the signature's);
    - `vsm`, with an optional `title`: the volet de synthèse médicale, built by the daemon
      (CI-SIS VSM 2023.01) from its items;
    - `cda`: the EHR's own CDA, a level 1 or a VSM (known by its templateId
      `1.2.250.1.213.1.1.1.13`), checked against the CDA XSD. It must be about the patient named:
      its `recordTarget/patientRole/id` under an INS OID is that patient's INS alone, under the
      OID given (an IPP may stand beside it), and each INS trait it writes (birth name, birth first
      names and the first of them, sex, birth date, birth place) is the request's once names are
      folded as the INS referential writes them (upper case, no diacritics, ligatures spelt out).
      A 422 on `/document/cda` says which differs.

    The patient's traits are every INS trait, `birth_place` included (INSEE COG code, `99999`
    when unknown): a CDA identified by an INS must carry them all. They are checked as an INS
    search checks them (a birth date that cannot be one, or in the future, is a 422). The CDA is
    built now, so a bad PDF, type or trait is a 422 rather than a later failure, and it waits in
    the outbox as the item's attachment (`text/xml`, the bytes that will be sent). Text holding a
    character XML cannot carry (a control character, say) is a 422 naming its field.
    `replaces` names the uniqueId of a document of the patient that this one replaces (RPLC).

    Only a qualified identity may be sent under the INS (RNIV): a `patient.identity_status` other
    than `QUAL` is a 422 `identity-not-qualified` naming `/patient/identity_status`, journaled
    `identity.refused`, unless `[dmp] allow_unqualified_identity`. Without a status the send goes
    (the EHR did not say), unless `[dmp] require_identity_status`.

    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (DmpDocumentSend): A document to send to the patient's DMP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | Problem | SendOutcome]
    """

    kwargs = _get_kwargs(
        body=body,
        wait=wait,
        x_request_id=x_request_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DmpDocumentSend,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | SendOutcome | None:
    """Send a document to the patient's DMP (queued, 202)

     Queues a document for the patient's DMP and answers `202` with the
    outbox item (kind `dmp.document`) once it is durable; the outbox delivers it (TD2.1, ITI-41)
    and retries what is worth retrying. Follow it at `Location` or on the event stream.

    The document is one of:

    - `pdf`, with `title` and `type_code`: a PDF the daemon wraps in a CDA R2 level 1. The
      type is a DMP document type (JDV_J66, but `E1762`, the signature's);
    - `vsm`, with an optional `title`: the volet de synthèse médicale, built by the daemon
      (CI-SIS VSM 2023.01) from its items;
    - `cda`: the EHR's own CDA, a level 1 or a VSM (known by its templateId
      `1.2.250.1.213.1.1.1.13`), checked against the CDA XSD. It must be about the patient named:
      its `recordTarget/patientRole/id` under an INS OID is that patient's INS alone, under the
      OID given (an IPP may stand beside it), and each INS trait it writes (birth name, birth first
      names and the first of them, sex, birth date, birth place) is the request's once names are
      folded as the INS referential writes them (upper case, no diacritics, ligatures spelt out).
      A 422 on `/document/cda` says which differs.

    The patient's traits are every INS trait, `birth_place` included (INSEE COG code, `99999`
    when unknown): a CDA identified by an INS must carry them all. They are checked as an INS
    search checks them (a birth date that cannot be one, or in the future, is a 422). The CDA is
    built now, so a bad PDF, type or trait is a 422 rather than a later failure, and it waits in
    the outbox as the item's attachment (`text/xml`, the bytes that will be sent). Text holding a
    character XML cannot carry (a control character, say) is a 422 naming its field.
    `replaces` names the uniqueId of a document of the patient that this one replaces (RPLC).

    Only a qualified identity may be sent under the INS (RNIV): a `patient.identity_status` other
    than `QUAL` is a 422 `identity-not-qualified` naming `/patient/identity_status`, journaled
    `identity.refused`, unless `[dmp] allow_unqualified_identity`. Without a status the send goes
    (the EHR did not say), unless `[dmp] require_identity_status`.

    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (DmpDocumentSend): A document to send to the patient's DMP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | Problem | SendOutcome
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            wait=wait,
            x_request_id=x_request_id,
            idempotency_key=idempotency_key,
        )
    ).parsed
