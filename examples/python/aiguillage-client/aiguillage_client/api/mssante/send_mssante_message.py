from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accepted import Accepted
from ...models.mssante_message_request import MssanteMessageRequest
from ...models.problem import Problem
from ...models.send_outcome import SendOutcome
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: MssanteMessageRequest,
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
        "url": "/v1/mssante/messages",
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
    body: MssanteMessageRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem | SendOutcome]:
    """Send a message with its documents (queued, 202)

     Queues a secure health mail about one patient and answers `202` with
    the outbox item (kind `mssante.message`) once it is durable; the outbox hands it to the
    operator's SMTP submission server (STARTTLS and the practice's client certificate) and
    retries what is worth retrying: a 4xx answer or a network error is retried, a 5xx answer
    (an unknown recipient, say) fails the item. A copy goes to the mailbox's `Sent` folder.

    The message is built now, so that a bad document is a 422 rather than a later failure: the
    subject `XDM/1.0/DDM+<subject_label> <NOM> <prénom> <JJ/MM/AAAA>`, the `X-MSS-*` headers of the
    MSSanté référentiel (`X-MSS-CODECDA`, `X-MSS-INS`…), the `IHE_XDM.ZIP` package (README.TXT,
    INDEX.HTM, `IHE_XDM/SUBSET01/METADATA.XML` with the patient's identity traits, the documents
    as `DOC00001.XML`…) and each PDF beside it. A `pdf` document is wrapped in a CDA R2 level 1
    for the package; a `cda` document must be about the message's patient (its recordTarget's
    INS and traits are checked). One patient per message: a patient's mailbox
    (`<matricule INS>@patient.mssante.fr`) among the recipients must be this patient's.

    A message to the patient's mailbox uses the INS, which only a qualified identity may be used
    under (RNIV): a `patient.identity_status` other than `QUAL` is then a 422
    `identity-not-qualified` naming `/patient/identity_status`, journaled `identity.refused`,
    unless `[mssante] allow_unqualified_identity`; without a status the message goes (the EHR did
    not say), unless `[mssante] require_identity_status`. Messages between professionals are not
    checked.

    `request_receipt` asks the recipients' software for a return receipt (an MDN): follow it at
    `GET /v1/mssante/messages/{id}` or as `mssante.receipt` on the event stream.
    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteMessageRequest):

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
    body: MssanteMessageRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | SendOutcome | None:
    """Send a message with its documents (queued, 202)

     Queues a secure health mail about one patient and answers `202` with
    the outbox item (kind `mssante.message`) once it is durable; the outbox hands it to the
    operator's SMTP submission server (STARTTLS and the practice's client certificate) and
    retries what is worth retrying: a 4xx answer or a network error is retried, a 5xx answer
    (an unknown recipient, say) fails the item. A copy goes to the mailbox's `Sent` folder.

    The message is built now, so that a bad document is a 422 rather than a later failure: the
    subject `XDM/1.0/DDM+<subject_label> <NOM> <prénom> <JJ/MM/AAAA>`, the `X-MSS-*` headers of the
    MSSanté référentiel (`X-MSS-CODECDA`, `X-MSS-INS`…), the `IHE_XDM.ZIP` package (README.TXT,
    INDEX.HTM, `IHE_XDM/SUBSET01/METADATA.XML` with the patient's identity traits, the documents
    as `DOC00001.XML`…) and each PDF beside it. A `pdf` document is wrapped in a CDA R2 level 1
    for the package; a `cda` document must be about the message's patient (its recordTarget's
    INS and traits are checked). One patient per message: a patient's mailbox
    (`<matricule INS>@patient.mssante.fr`) among the recipients must be this patient's.

    A message to the patient's mailbox uses the INS, which only a qualified identity may be used
    under (RNIV): a `patient.identity_status` other than `QUAL` is then a 422
    `identity-not-qualified` naming `/patient/identity_status`, journaled `identity.refused`,
    unless `[mssante] allow_unqualified_identity`; without a status the message goes (the EHR did
    not say), unless `[mssante] require_identity_status`. Messages between professionals are not
    checked.

    `request_receipt` asks the recipients' software for a return receipt (an MDN): follow it at
    `GET /v1/mssante/messages/{id}` or as `mssante.receipt` on the event stream.
    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteMessageRequest):

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
    body: MssanteMessageRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem | SendOutcome]:
    """Send a message with its documents (queued, 202)

     Queues a secure health mail about one patient and answers `202` with
    the outbox item (kind `mssante.message`) once it is durable; the outbox hands it to the
    operator's SMTP submission server (STARTTLS and the practice's client certificate) and
    retries what is worth retrying: a 4xx answer or a network error is retried, a 5xx answer
    (an unknown recipient, say) fails the item. A copy goes to the mailbox's `Sent` folder.

    The message is built now, so that a bad document is a 422 rather than a later failure: the
    subject `XDM/1.0/DDM+<subject_label> <NOM> <prénom> <JJ/MM/AAAA>`, the `X-MSS-*` headers of the
    MSSanté référentiel (`X-MSS-CODECDA`, `X-MSS-INS`…), the `IHE_XDM.ZIP` package (README.TXT,
    INDEX.HTM, `IHE_XDM/SUBSET01/METADATA.XML` with the patient's identity traits, the documents
    as `DOC00001.XML`…) and each PDF beside it. A `pdf` document is wrapped in a CDA R2 level 1
    for the package; a `cda` document must be about the message's patient (its recordTarget's
    INS and traits are checked). One patient per message: a patient's mailbox
    (`<matricule INS>@patient.mssante.fr`) among the recipients must be this patient's.

    A message to the patient's mailbox uses the INS, which only a qualified identity may be used
    under (RNIV): a `patient.identity_status` other than `QUAL` is then a 422
    `identity-not-qualified` naming `/patient/identity_status`, journaled `identity.refused`,
    unless `[mssante] allow_unqualified_identity`; without a status the message goes (the EHR did
    not say), unless `[mssante] require_identity_status`. Messages between professionals are not
    checked.

    `request_receipt` asks the recipients' software for a return receipt (an MDN): follow it at
    `GET /v1/mssante/messages/{id}` or as `mssante.receipt` on the event stream.
    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteMessageRequest):

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
    body: MssanteMessageRequest,
    wait: float | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | SendOutcome | None:
    """Send a message with its documents (queued, 202)

     Queues a secure health mail about one patient and answers `202` with
    the outbox item (kind `mssante.message`) once it is durable; the outbox hands it to the
    operator's SMTP submission server (STARTTLS and the practice's client certificate) and
    retries what is worth retrying: a 4xx answer or a network error is retried, a 5xx answer
    (an unknown recipient, say) fails the item. A copy goes to the mailbox's `Sent` folder.

    The message is built now, so that a bad document is a 422 rather than a later failure: the
    subject `XDM/1.0/DDM+<subject_label> <NOM> <prénom> <JJ/MM/AAAA>`, the `X-MSS-*` headers of the
    MSSanté référentiel (`X-MSS-CODECDA`, `X-MSS-INS`…), the `IHE_XDM.ZIP` package (README.TXT,
    INDEX.HTM, `IHE_XDM/SUBSET01/METADATA.XML` with the patient's identity traits, the documents
    as `DOC00001.XML`…) and each PDF beside it. A `pdf` document is wrapped in a CDA R2 level 1
    for the package; a `cda` document must be about the message's patient (its recordTarget's
    INS and traits are checked). One patient per message: a patient's mailbox
    (`<matricule INS>@patient.mssante.fr`) among the recipients must be this patient's.

    A message to the patient's mailbox uses the INS, which only a qualified identity may be used
    under (RNIV): a `patient.identity_status` other than `QUAL` is then a 422
    `identity-not-qualified` naming `/patient/identity_status`, journaled `identity.refused`,
    unless `[mssante] allow_unqualified_identity`; without a status the message goes (the EHR did
    not say), unless `[mssante] require_identity_status`. Messages between professionals are not
    checked.

    `request_receipt` asks the recipients' software for a return receipt (an MDN): follow it at
    `GET /v1/mssante/messages/{id}` or as `mssante.receipt` on the event stream.
    `Idempotency-Key` makes the send safe to repeat.

    Args:
        wait (float | Unset):
        x_request_id (str | Unset):
        idempotency_key (str | Unset):
        body (MssanteMessageRequest):

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
