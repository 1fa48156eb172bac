from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ins_verify import InsVerify
from ...models.ins_verify_result import InsVerifyResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: InsVerify,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/ins/verify",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InsVerifyResult | Problem | None:
    if response.status_code == 200:
        response_200 = InsVerifyResult.from_dict(response.json())

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
) -> Response[InsVerifyResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InsVerify,
    x_request_id: str | Unset = UNSET,
) -> Response[InsVerifyResult | Problem]:
    """Check an INS the EHR holds against INSi

     Checks an INS the EHR holds against INSi before the identity is qualified: one traits search
    with every birth first name, then a comparison. `match` is true only for CR 00 with the same
    INS (and OID, when given) and the same traits; `differences` lists each trait that differs,
    once folded to INSi's alphabet (the birth place only when the EHR gives one). CNDA TEST_3.05:
    the same INS with another first name is `match: false`, `ins_match: true`.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.verify`), as for a search.

    Args:
        x_request_id (str | Unset):
        body (InsVerify): An INS the EHR holds, with the traits it holds for the patient.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InsVerifyResult | Problem]
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
    body: InsVerify,
    x_request_id: str | Unset = UNSET,
) -> InsVerifyResult | Problem | None:
    """Check an INS the EHR holds against INSi

     Checks an INS the EHR holds against INSi before the identity is qualified: one traits search
    with every birth first name, then a comparison. `match` is true only for CR 00 with the same
    INS (and OID, when given) and the same traits; `differences` lists each trait that differs,
    once folded to INSi's alphabet (the birth place only when the EHR gives one). CNDA TEST_3.05:
    the same INS with another first name is `match: false`, `ins_match: true`.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.verify`), as for a search.

    Args:
        x_request_id (str | Unset):
        body (InsVerify): An INS the EHR holds, with the traits it holds for the patient.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InsVerifyResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InsVerify,
    x_request_id: str | Unset = UNSET,
) -> Response[InsVerifyResult | Problem]:
    """Check an INS the EHR holds against INSi

     Checks an INS the EHR holds against INSi before the identity is qualified: one traits search
    with every birth first name, then a comparison. `match` is true only for CR 00 with the same
    INS (and OID, when given) and the same traits; `differences` lists each trait that differs,
    once folded to INSi's alphabet (the birth place only when the EHR gives one). CNDA TEST_3.05:
    the same INS with another first name is `match: false`, `ins_match: true`.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.verify`), as for a search.

    Args:
        x_request_id (str | Unset):
        body (InsVerify): An INS the EHR holds, with the traits it holds for the patient.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InsVerifyResult | Problem]
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
    body: InsVerify,
    x_request_id: str | Unset = UNSET,
) -> InsVerifyResult | Problem | None:
    """Check an INS the EHR holds against INSi

     Checks an INS the EHR holds against INSi before the identity is qualified: one traits search
    with every birth first name, then a comparison. `match` is true only for CR 00 with the same
    INS (and OID, when given) and the same traits; `differences` lists each trait that differs,
    once folded to INSi's alphabet (the birth place only when the EHR gives one). CNDA TEST_3.05:
    the same INS with another first name is `match: false`, `ins_match: true`.

    **Input is checked before any call** (a 422 names each field, and INSi is not called): the
    NIR/INS key (97 − number mod 97, 2A counting as 19 and 2B as 18), dates (YYYY-MM-DD, not in the
    future; lunar dates, day or month 00, accepted), sex, INSEE codes, and names, which are folded
    to INSi's alphabet (upper case, accents removed, Œ → OE) and refused if anything else remains.
    The birth place must be a code valid at the birth date (INSEE's Code officiel géographique, as
    `GET /v1/insee/places/{code}` serves it): a commune merged before that day or created after it
    is a 422 naming `/traits/birth_place`.

    INSi's failures are problems carrying `service: "insi"`, `service_code` (the `siram:Erreur`
    code), `service_subcode` and `severity`; a fault saying the service is down (`siram_40`), no
    answer and no answer in time are retried `[insi] retries` times first, a refusal never. The
    INSi plugin's README ("Errors") says what each means.

    Every SOAP exchange is journaled (`ins.verify`), as for a search.

    Args:
        x_request_id (str | Unset):
        body (InsVerify): An INS the EHR holds, with the traits it holds for the patient.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InsVerifyResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
