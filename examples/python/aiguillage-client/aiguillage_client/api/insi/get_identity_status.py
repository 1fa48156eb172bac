from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.identity_status_request import IdentityStatusRequest
from ...models.identity_status_result import IdentityStatusResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: IdentityStatusRequest,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/ins/status",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IdentityStatusResult | Problem | None:
    if response.status_code == 200:
        response_200 = IdentityStatusResult.from_dict(response.json())

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
) -> Response[IdentityStatusResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IdentityStatusRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[IdentityStatusResult | Problem]:
    """An identity's RNIV status: provisional, recovered, validated, qualified

     The identity's status under the RNIV (Référentiel national d'identitovigilance, volet 1), from
    the evidence the EHR has: `PROV` (provisoire), `RECUP` (récupérée: INS from INSi, traits not
    checked against an identity document), `VALI` (validée: traits checked against a high-trust
    document, no INS), `QUAL` (qualifiée: both — the only status under which the INS may reference
    and share health data; DMP and MSSanté refuse others). The answer gives the status, the rule
    that decided (`rule`, and `reason` in French with its RNIV source) and what is `missing` to
    qualify the identity. Nothing is called: this is the daemon applying the rules.

    - `patient`: the identity as held — its traits, its INS when it has one, and its current
      `identity_status`: what that status established stays (a `VALI` identity with an INS found by
      INSi becomes `QUAL`) unless new evidence undoes it.
    - `identity_proof`: the document the traits were checked against. High trust: `passport`,
      `national_id_card`, `residence_permit` (permanent). For a minor (under 18 by the traits'
      birth date), a `birth_certificate` or `family_record_book` counts only with a
      `parent_document` of high trust, and a `minor_travel_document` counts (RNIV 1 §3.3.3).
      Others (`driving_licence`, `health_insurance_card`) validate nothing. `trust: "low"` says a
      document could not be relied on; `trust: "high"` for a document the RNIV does not list is a
      422 naming `/identity_proof/trust`, except for `other`.
    - `insi`: what INSi said, inline (`outcome`: `found`, `verified`, `differs`, `not_found`,
      `several`; `ins`, the INS it gave) or by the `journal_id` of an `ins.search` or `ins.verify`
      row, whose answer the daemon reads back from the journal. That row must be about this patient
      (the same INS, or INSi's traits or the traits asked the same as the patient's): else a 422
      naming `/insi/journal_id`, as for a row that does not exist, is no INSi call or got no
      answer. An INS-NIA (provisional number) cannot be qualified. A verification reporting other
      traits or another INS, no one (CR 01) or several (CR 02) undoes the INS: `QUAL` falls to
      `VALI`, `RECUP` to `PROV` (`rule: "insi-downgrade"`).
    - `attributes`: `fictitious` keeps `PROV`, never qualifiable; `doubtful` keeps `PROV` until the
      doubt is lifted; `homonym` changes nothing but is noted.

    Journaled `identity.status` with the request and the answer.

    Args:
        x_request_id (str | Unset):
        body (IdentityStatusRequest): The evidence about an identity: the document checked, what
            INSi said, the identity's attributes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IdentityStatusResult | Problem]
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
    body: IdentityStatusRequest,
    x_request_id: str | Unset = UNSET,
) -> IdentityStatusResult | Problem | None:
    """An identity's RNIV status: provisional, recovered, validated, qualified

     The identity's status under the RNIV (Référentiel national d'identitovigilance, volet 1), from
    the evidence the EHR has: `PROV` (provisoire), `RECUP` (récupérée: INS from INSi, traits not
    checked against an identity document), `VALI` (validée: traits checked against a high-trust
    document, no INS), `QUAL` (qualifiée: both — the only status under which the INS may reference
    and share health data; DMP and MSSanté refuse others). The answer gives the status, the rule
    that decided (`rule`, and `reason` in French with its RNIV source) and what is `missing` to
    qualify the identity. Nothing is called: this is the daemon applying the rules.

    - `patient`: the identity as held — its traits, its INS when it has one, and its current
      `identity_status`: what that status established stays (a `VALI` identity with an INS found by
      INSi becomes `QUAL`) unless new evidence undoes it.
    - `identity_proof`: the document the traits were checked against. High trust: `passport`,
      `national_id_card`, `residence_permit` (permanent). For a minor (under 18 by the traits'
      birth date), a `birth_certificate` or `family_record_book` counts only with a
      `parent_document` of high trust, and a `minor_travel_document` counts (RNIV 1 §3.3.3).
      Others (`driving_licence`, `health_insurance_card`) validate nothing. `trust: "low"` says a
      document could not be relied on; `trust: "high"` for a document the RNIV does not list is a
      422 naming `/identity_proof/trust`, except for `other`.
    - `insi`: what INSi said, inline (`outcome`: `found`, `verified`, `differs`, `not_found`,
      `several`; `ins`, the INS it gave) or by the `journal_id` of an `ins.search` or `ins.verify`
      row, whose answer the daemon reads back from the journal. That row must be about this patient
      (the same INS, or INSi's traits or the traits asked the same as the patient's): else a 422
      naming `/insi/journal_id`, as for a row that does not exist, is no INSi call or got no
      answer. An INS-NIA (provisional number) cannot be qualified. A verification reporting other
      traits or another INS, no one (CR 01) or several (CR 02) undoes the INS: `QUAL` falls to
      `VALI`, `RECUP` to `PROV` (`rule: "insi-downgrade"`).
    - `attributes`: `fictitious` keeps `PROV`, never qualifiable; `doubtful` keeps `PROV` until the
      doubt is lifted; `homonym` changes nothing but is noted.

    Journaled `identity.status` with the request and the answer.

    Args:
        x_request_id (str | Unset):
        body (IdentityStatusRequest): The evidence about an identity: the document checked, what
            INSi said, the identity's attributes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IdentityStatusResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IdentityStatusRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[IdentityStatusResult | Problem]:
    """An identity's RNIV status: provisional, recovered, validated, qualified

     The identity's status under the RNIV (Référentiel national d'identitovigilance, volet 1), from
    the evidence the EHR has: `PROV` (provisoire), `RECUP` (récupérée: INS from INSi, traits not
    checked against an identity document), `VALI` (validée: traits checked against a high-trust
    document, no INS), `QUAL` (qualifiée: both — the only status under which the INS may reference
    and share health data; DMP and MSSanté refuse others). The answer gives the status, the rule
    that decided (`rule`, and `reason` in French with its RNIV source) and what is `missing` to
    qualify the identity. Nothing is called: this is the daemon applying the rules.

    - `patient`: the identity as held — its traits, its INS when it has one, and its current
      `identity_status`: what that status established stays (a `VALI` identity with an INS found by
      INSi becomes `QUAL`) unless new evidence undoes it.
    - `identity_proof`: the document the traits were checked against. High trust: `passport`,
      `national_id_card`, `residence_permit` (permanent). For a minor (under 18 by the traits'
      birth date), a `birth_certificate` or `family_record_book` counts only with a
      `parent_document` of high trust, and a `minor_travel_document` counts (RNIV 1 §3.3.3).
      Others (`driving_licence`, `health_insurance_card`) validate nothing. `trust: "low"` says a
      document could not be relied on; `trust: "high"` for a document the RNIV does not list is a
      422 naming `/identity_proof/trust`, except for `other`.
    - `insi`: what INSi said, inline (`outcome`: `found`, `verified`, `differs`, `not_found`,
      `several`; `ins`, the INS it gave) or by the `journal_id` of an `ins.search` or `ins.verify`
      row, whose answer the daemon reads back from the journal. That row must be about this patient
      (the same INS, or INSi's traits or the traits asked the same as the patient's): else a 422
      naming `/insi/journal_id`, as for a row that does not exist, is no INSi call or got no
      answer. An INS-NIA (provisional number) cannot be qualified. A verification reporting other
      traits or another INS, no one (CR 01) or several (CR 02) undoes the INS: `QUAL` falls to
      `VALI`, `RECUP` to `PROV` (`rule: "insi-downgrade"`).
    - `attributes`: `fictitious` keeps `PROV`, never qualifiable; `doubtful` keeps `PROV` until the
      doubt is lifted; `homonym` changes nothing but is noted.

    Journaled `identity.status` with the request and the answer.

    Args:
        x_request_id (str | Unset):
        body (IdentityStatusRequest): The evidence about an identity: the document checked, what
            INSi said, the identity's attributes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IdentityStatusResult | Problem]
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
    body: IdentityStatusRequest,
    x_request_id: str | Unset = UNSET,
) -> IdentityStatusResult | Problem | None:
    """An identity's RNIV status: provisional, recovered, validated, qualified

     The identity's status under the RNIV (Référentiel national d'identitovigilance, volet 1), from
    the evidence the EHR has: `PROV` (provisoire), `RECUP` (récupérée: INS from INSi, traits not
    checked against an identity document), `VALI` (validée: traits checked against a high-trust
    document, no INS), `QUAL` (qualifiée: both — the only status under which the INS may reference
    and share health data; DMP and MSSanté refuse others). The answer gives the status, the rule
    that decided (`rule`, and `reason` in French with its RNIV source) and what is `missing` to
    qualify the identity. Nothing is called: this is the daemon applying the rules.

    - `patient`: the identity as held — its traits, its INS when it has one, and its current
      `identity_status`: what that status established stays (a `VALI` identity with an INS found by
      INSi becomes `QUAL`) unless new evidence undoes it.
    - `identity_proof`: the document the traits were checked against. High trust: `passport`,
      `national_id_card`, `residence_permit` (permanent). For a minor (under 18 by the traits'
      birth date), a `birth_certificate` or `family_record_book` counts only with a
      `parent_document` of high trust, and a `minor_travel_document` counts (RNIV 1 §3.3.3).
      Others (`driving_licence`, `health_insurance_card`) validate nothing. `trust: "low"` says a
      document could not be relied on; `trust: "high"` for a document the RNIV does not list is a
      422 naming `/identity_proof/trust`, except for `other`.
    - `insi`: what INSi said, inline (`outcome`: `found`, `verified`, `differs`, `not_found`,
      `several`; `ins`, the INS it gave) or by the `journal_id` of an `ins.search` or `ins.verify`
      row, whose answer the daemon reads back from the journal. That row must be about this patient
      (the same INS, or INSi's traits or the traits asked the same as the patient's): else a 422
      naming `/insi/journal_id`, as for a row that does not exist, is no INSi call or got no
      answer. An INS-NIA (provisional number) cannot be qualified. A verification reporting other
      traits or another INS, no one (CR 01) or several (CR 02) undoes the INS: `QUAL` falls to
      `VALI`, `RECUP` to `PROV` (`rule: "insi-downgrade"`).
    - `attributes`: `fictitious` keeps `PROV`, never qualifiable; `doubtful` keeps `PROV` until the
      doubt is lifted; `homonym` changes nothing but is noted.

    Journaled `identity.status` with the request and the answer.

    Args:
        x_request_id (str | Unset):
        body (IdentityStatusRequest): The evidence about an identity: the document checked, what
            INSi said, the identity's attributes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IdentityStatusResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
