from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ins_search_by_apcv_session import InsSearchByApcvSession
from ...models.ins_search_by_traits import InsSearchByTraits
from ...models.ins_search_by_vitale import InsSearchByVitale
from ...models.ins_search_result import InsSearchResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/ins/search",
    }

    if isinstance(body, InsSearchByTraits):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, InsSearchByVitale):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InsSearchResult | Problem | None:
    if response.status_code == 200:
        response_200 = InsSearchResult.from_dict(response.json())

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
) -> Response[InsSearchResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale,
    x_request_id: str | Unset = UNSET,
) -> Response[InsSearchResult | Problem]:
    """Find a patient's INS by traits or carte Vitale

     Finds a patient's INS (matricule, OID) and the reference identity traits, by the patient's
    traits or by what the carte Vitale gives — typed in (`vitale`), or read from a beneficiary of an
    open ApCV session (`apcv_session` and `beneficiary`, its position in the session's
    `beneficiaries`): the daemon takes the card data from the plugin holding the session. A session
    no plugin holds is a 422 naming `apcv_session`; an expired one a 410 `apcv-session-expired`.

    **By traits**, the platform's rule is applied: a first call with the first birth first name,
    then, on CR 01, a second one with all of them; `calls` lists each call and the first names it
    sent.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    **The answer.** `result` is `found` (CR 00), `not_found` (CR 01) or `several` (CR 02:
    `disambiguate` says which traits to add). When found: `ins`, the active INS (`kind` `NIA` is a
    provisional number, on which the identity cannot be qualified); `history`, the former INS;
    `traits`, the reference traits (TIQ); and `datamatrix`, the payload of the INS DataMatrix in
    the ANS format: header `IS010000000000000000000000`, then `S1` matricule, `S2` OID, `S3` first
    names, `S4` birth name, `S5` sex, `S6` date `JJ-MM-AAAA`, `S7` birth place, the variable fields
    ending with GS (0x1D). Print it only once the identity is qualified.

    A person INSi does not know is a 200 `not_found`, except on the qualification platform, whose
    answer is a fault: 404 `insi-unknown-identity`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.search`) with the envelope sent, the answer received,
    the practitioner and the patient (`GET /v1/ins/history`).

    Args:
        x_request_id (str | Unset):
        body (InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale): An INS search: the
            object with `traits`, the one with `vitale`, or the one with `apcv_session`;
            `practitioner` says who acts when it is not the config's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InsSearchResult | Problem]
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
    body: InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale,
    x_request_id: str | Unset = UNSET,
) -> InsSearchResult | Problem | None:
    """Find a patient's INS by traits or carte Vitale

     Finds a patient's INS (matricule, OID) and the reference identity traits, by the patient's
    traits or by what the carte Vitale gives — typed in (`vitale`), or read from a beneficiary of an
    open ApCV session (`apcv_session` and `beneficiary`, its position in the session's
    `beneficiaries`): the daemon takes the card data from the plugin holding the session. A session
    no plugin holds is a 422 naming `apcv_session`; an expired one a 410 `apcv-session-expired`.

    **By traits**, the platform's rule is applied: a first call with the first birth first name,
    then, on CR 01, a second one with all of them; `calls` lists each call and the first names it
    sent.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    **The answer.** `result` is `found` (CR 00), `not_found` (CR 01) or `several` (CR 02:
    `disambiguate` says which traits to add). When found: `ins`, the active INS (`kind` `NIA` is a
    provisional number, on which the identity cannot be qualified); `history`, the former INS;
    `traits`, the reference traits (TIQ); and `datamatrix`, the payload of the INS DataMatrix in
    the ANS format: header `IS010000000000000000000000`, then `S1` matricule, `S2` OID, `S3` first
    names, `S4` birth name, `S5` sex, `S6` date `JJ-MM-AAAA`, `S7` birth place, the variable fields
    ending with GS (0x1D). Print it only once the identity is qualified.

    A person INSi does not know is a 200 `not_found`, except on the qualification platform, whose
    answer is a fault: 404 `insi-unknown-identity`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.search`) with the envelope sent, the answer received,
    the practitioner and the patient (`GET /v1/ins/history`).

    Args:
        x_request_id (str | Unset):
        body (InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale): An INS search: the
            object with `traits`, the one with `vitale`, or the one with `apcv_session`;
            `practitioner` says who acts when it is not the config's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InsSearchResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale,
    x_request_id: str | Unset = UNSET,
) -> Response[InsSearchResult | Problem]:
    """Find a patient's INS by traits or carte Vitale

     Finds a patient's INS (matricule, OID) and the reference identity traits, by the patient's
    traits or by what the carte Vitale gives — typed in (`vitale`), or read from a beneficiary of an
    open ApCV session (`apcv_session` and `beneficiary`, its position in the session's
    `beneficiaries`): the daemon takes the card data from the plugin holding the session. A session
    no plugin holds is a 422 naming `apcv_session`; an expired one a 410 `apcv-session-expired`.

    **By traits**, the platform's rule is applied: a first call with the first birth first name,
    then, on CR 01, a second one with all of them; `calls` lists each call and the first names it
    sent.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    **The answer.** `result` is `found` (CR 00), `not_found` (CR 01) or `several` (CR 02:
    `disambiguate` says which traits to add). When found: `ins`, the active INS (`kind` `NIA` is a
    provisional number, on which the identity cannot be qualified); `history`, the former INS;
    `traits`, the reference traits (TIQ); and `datamatrix`, the payload of the INS DataMatrix in
    the ANS format: header `IS010000000000000000000000`, then `S1` matricule, `S2` OID, `S3` first
    names, `S4` birth name, `S5` sex, `S6` date `JJ-MM-AAAA`, `S7` birth place, the variable fields
    ending with GS (0x1D). Print it only once the identity is qualified.

    A person INSi does not know is a 200 `not_found`, except on the qualification platform, whose
    answer is a fault: 404 `insi-unknown-identity`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.search`) with the envelope sent, the answer received,
    the practitioner and the patient (`GET /v1/ins/history`).

    Args:
        x_request_id (str | Unset):
        body (InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale): An INS search: the
            object with `traits`, the one with `vitale`, or the one with `apcv_session`;
            `practitioner` says who acts when it is not the config's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InsSearchResult | Problem]
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
    body: InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale,
    x_request_id: str | Unset = UNSET,
) -> InsSearchResult | Problem | None:
    """Find a patient's INS by traits or carte Vitale

     Finds a patient's INS (matricule, OID) and the reference identity traits, by the patient's
    traits or by what the carte Vitale gives — typed in (`vitale`), or read from a beneficiary of an
    open ApCV session (`apcv_session` and `beneficiary`, its position in the session's
    `beneficiaries`): the daemon takes the card data from the plugin holding the session. A session
    no plugin holds is a 422 naming `apcv_session`; an expired one a 410 `apcv-session-expired`.

    **By traits**, the platform's rule is applied: a first call with the first birth first name,
    then, on CR 01, a second one with all of them; `calls` lists each call and the first names it
    sent.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    **The answer.** `result` is `found` (CR 00), `not_found` (CR 01) or `several` (CR 02:
    `disambiguate` says which traits to add). When found: `ins`, the active INS (`kind` `NIA` is a
    provisional number, on which the identity cannot be qualified); `history`, the former INS;
    `traits`, the reference traits (TIQ); and `datamatrix`, the payload of the INS DataMatrix in
    the ANS format: header `IS010000000000000000000000`, then `S1` matricule, `S2` OID, `S3` first
    names, `S4` birth name, `S5` sex, `S6` date `JJ-MM-AAAA`, `S7` birth place, the variable fields
    ending with GS (0x1D). Print it only once the identity is qualified.

    A person INSi does not know is a 200 `not_found`, except on the qualification platform, whose
    answer is a fault: 404 `insi-unknown-identity`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.search`) with the envelope sent, the answer received,
    the practitioner and the patient (`GET /v1/ins/history`).

    Args:
        x_request_id (str | Unset):
        body (InsSearchByApcvSession | InsSearchByTraits | InsSearchByVitale): An INS search: the
            object with `traits`, the one with `vitale`, or the one with `apcv_session`;
            `practitioner` says who acts when it is not the config's.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InsSearchResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
