from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.apcv_session import ApcvSession
from ...models.apcv_session_request import ApcvSessionRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ApcvSessionRequest,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/apcv/sessions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApcvSession | Problem | None:
    if response.status_code == 201:
        response_201 = ApcvSession.from_dict(response.json())

        return response_201

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
    *,
    client: AuthenticatedClient | Client,
    body: ApcvSessionRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[ApcvSession | Problem]:
    """Open an ApCV session from a scanned QR code or an NFC tap

     Opens an ApCV session from what the patient shows at the front desk: the QR code of their
    carte Vitale app (`qr`, the text the scanner read) or the payload of an NFC tap (`nfc`, Android
    only). Give exactly one. The payload is opaque: it goes to the ApCV service unchanged
    (`authentifierUtilisateurProximite`, with the practitioner's signed assertion), which opens a
    *context*; the daemon then reads its beneficiaries (`restituerContexteApCV`) and answers the
    session.

    **The answer**: `id` (keep it: it stands for the patient's carte Vitale until `expires_at`),
    `expires_at` (the context's end of validity, a few minutes away) and `beneficiaries`: the
    insured person and those who hold rights through them, each with their NIR and the ouvrant
    droit's, names, birth date (a lunar date is flagged `lunar_birth_date`), rank, régime, caisse
    and centre, AMO rights periods, exonerations (ALD…) and, when the context carries it, the INS
    with its OID. A beneficiary's position in the list is its `index` elsewhere: `POST
    /v1/ins/search` takes `{"apcv_session": id, "beneficiary": index}`, a care sheet takes the
    same session to be signed by the app.

    **The practitioner**: the context belongs, at the service, to the practitioner who opened it
    (the config's `[practitioner]`, or the body's `practitioner`): the session keeps them, and
    reading, releasing and signing act as them, whoever asks.

    **A refused code** is a 422 naming the field (`/qr` or `/nfc`), each with its own type:
    `apcv-qr-expired` (the code is past its validity: the patient shows it again),
    `apcv-qr-tampered` (its signature does not hold: misread or altered), `apcv-qr-replayed` (it
    already opened a session), `apcv-qr-invalid` (not a carte Vitale app code). Control characters
    (a scanner's trailing newline) are refused before any call.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, a row with how it
    went (the SOAP exchanges), then the session's row naming the first beneficiary. The SOAP exchanges
    are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        x_request_id (str | Unset):
        body (ApcvSessionRequest): What the patient showed: the scanned QR code of their carte
            Vitale app (`qr`) or the payload read by NFC (`nfc`), exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApcvSession | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ApcvSessionRequest,
    x_request_id: str | Unset = UNSET,
) -> ApcvSession | Problem | None:
    """Open an ApCV session from a scanned QR code or an NFC tap

     Opens an ApCV session from what the patient shows at the front desk: the QR code of their
    carte Vitale app (`qr`, the text the scanner read) or the payload of an NFC tap (`nfc`, Android
    only). Give exactly one. The payload is opaque: it goes to the ApCV service unchanged
    (`authentifierUtilisateurProximite`, with the practitioner's signed assertion), which opens a
    *context*; the daemon then reads its beneficiaries (`restituerContexteApCV`) and answers the
    session.

    **The answer**: `id` (keep it: it stands for the patient's carte Vitale until `expires_at`),
    `expires_at` (the context's end of validity, a few minutes away) and `beneficiaries`: the
    insured person and those who hold rights through them, each with their NIR and the ouvrant
    droit's, names, birth date (a lunar date is flagged `lunar_birth_date`), rank, régime, caisse
    and centre, AMO rights periods, exonerations (ALD…) and, when the context carries it, the INS
    with its OID. A beneficiary's position in the list is its `index` elsewhere: `POST
    /v1/ins/search` takes `{"apcv_session": id, "beneficiary": index}`, a care sheet takes the
    same session to be signed by the app.

    **The practitioner**: the context belongs, at the service, to the practitioner who opened it
    (the config's `[practitioner]`, or the body's `practitioner`): the session keeps them, and
    reading, releasing and signing act as them, whoever asks.

    **A refused code** is a 422 naming the field (`/qr` or `/nfc`), each with its own type:
    `apcv-qr-expired` (the code is past its validity: the patient shows it again),
    `apcv-qr-tampered` (its signature does not hold: misread or altered), `apcv-qr-replayed` (it
    already opened a session), `apcv-qr-invalid` (not a carte Vitale app code). Control characters
    (a scanner's trailing newline) are refused before any call.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, a row with how it
    went (the SOAP exchanges), then the session's row naming the first beneficiary. The SOAP exchanges
    are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        x_request_id (str | Unset):
        body (ApcvSessionRequest): What the patient showed: the scanned QR code of their carte
            Vitale app (`qr`) or the payload read by NFC (`nfc`), exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApcvSession | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApcvSessionRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[ApcvSession | Problem]:
    """Open an ApCV session from a scanned QR code or an NFC tap

     Opens an ApCV session from what the patient shows at the front desk: the QR code of their
    carte Vitale app (`qr`, the text the scanner read) or the payload of an NFC tap (`nfc`, Android
    only). Give exactly one. The payload is opaque: it goes to the ApCV service unchanged
    (`authentifierUtilisateurProximite`, with the practitioner's signed assertion), which opens a
    *context*; the daemon then reads its beneficiaries (`restituerContexteApCV`) and answers the
    session.

    **The answer**: `id` (keep it: it stands for the patient's carte Vitale until `expires_at`),
    `expires_at` (the context's end of validity, a few minutes away) and `beneficiaries`: the
    insured person and those who hold rights through them, each with their NIR and the ouvrant
    droit's, names, birth date (a lunar date is flagged `lunar_birth_date`), rank, régime, caisse
    and centre, AMO rights periods, exonerations (ALD…) and, when the context carries it, the INS
    with its OID. A beneficiary's position in the list is its `index` elsewhere: `POST
    /v1/ins/search` takes `{"apcv_session": id, "beneficiary": index}`, a care sheet takes the
    same session to be signed by the app.

    **The practitioner**: the context belongs, at the service, to the practitioner who opened it
    (the config's `[practitioner]`, or the body's `practitioner`): the session keeps them, and
    reading, releasing and signing act as them, whoever asks.

    **A refused code** is a 422 naming the field (`/qr` or `/nfc`), each with its own type:
    `apcv-qr-expired` (the code is past its validity: the patient shows it again),
    `apcv-qr-tampered` (its signature does not hold: misread or altered), `apcv-qr-replayed` (it
    already opened a session), `apcv-qr-invalid` (not a carte Vitale app code). Control characters
    (a scanner's trailing newline) are refused before any call.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, a row with how it
    went (the SOAP exchanges), then the session's row naming the first beneficiary. The SOAP exchanges
    are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        x_request_id (str | Unset):
        body (ApcvSessionRequest): What the patient showed: the scanned QR code of their carte
            Vitale app (`qr`) or the payload read by NFC (`nfc`), exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApcvSession | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ApcvSessionRequest,
    x_request_id: str | Unset = UNSET,
) -> ApcvSession | Problem | None:
    """Open an ApCV session from a scanned QR code or an NFC tap

     Opens an ApCV session from what the patient shows at the front desk: the QR code of their
    carte Vitale app (`qr`, the text the scanner read) or the payload of an NFC tap (`nfc`, Android
    only). Give exactly one. The payload is opaque: it goes to the ApCV service unchanged
    (`authentifierUtilisateurProximite`, with the practitioner's signed assertion), which opens a
    *context*; the daemon then reads its beneficiaries (`restituerContexteApCV`) and answers the
    session.

    **The answer**: `id` (keep it: it stands for the patient's carte Vitale until `expires_at`),
    `expires_at` (the context's end of validity, a few minutes away) and `beneficiaries`: the
    insured person and those who hold rights through them, each with their NIR and the ouvrant
    droit's, names, birth date (a lunar date is flagged `lunar_birth_date`), rank, régime, caisse
    and centre, AMO rights periods, exonerations (ALD…) and, when the context carries it, the INS
    with its OID. A beneficiary's position in the list is its `index` elsewhere: `POST
    /v1/ins/search` takes `{"apcv_session": id, "beneficiary": index}`, a care sheet takes the
    same session to be signed by the app.

    **The practitioner**: the context belongs, at the service, to the practitioner who opened it
    (the config's `[practitioner]`, or the body's `practitioner`): the session keeps them, and
    reading, releasing and signing act as them, whoever asks.

    **A refused code** is a 422 naming the field (`/qr` or `/nfc`), each with its own type:
    `apcv-qr-expired` (the code is past its validity: the patient shows it again),
    `apcv-qr-tampered` (its signature does not hold: misread or altered), `apcv-qr-replayed` (it
    already opened a session), `apcv-qr-invalid` (not a carte Vitale app code). Control characters
    (a scanner's trailing newline) are refused before any call.

    The ApCV service's failures are problems with `service: "apcv"` and `service_code` (the
    service's own fault code): 502 `apcv-refused` when it refuses the request for any other reason
    (the practitioner's assertion, the software's identity: the installation's to fix, `detail`
    says which) or answers data the daemon cannot read (`service_code` `malformed`: asking again
    would get the same, so it is not retried), 503 `apcv-unavailable` when it cannot be reached,
    504 `apcv-timeout` when it does not answer in time (both after `[apcv] retries` tries).

    Journaled as `apcv.session`: a `pending` row before the service is called, a row with how it
    went (the SOAP exchanges), then the session's row naming the first beneficiary. The SOAP exchanges
    are journaled with the context's token (`TokenApCV`) and the scanned
    payload (`Donnees`) masked: each shows as `***sha256:` and the first 12 hex digits of the
    SHA-256 of its text.

    Args:
        x_request_id (str | Unset):
        body (ApcvSessionRequest): What the patient showed: the scanned QR code of their carte
            Vitale app (`qr`) or the payload read by NFC (`nfc`), exactly one of them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApcvSession | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
