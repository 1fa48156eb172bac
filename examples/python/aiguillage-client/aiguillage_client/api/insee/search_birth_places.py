import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.birth_places import BirthPlaces
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    birth_date: datetime.date | Unset = UNSET,
    nir: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["q"] = q

    json_birth_date: str | Unset = UNSET
    if not isinstance(birth_date, Unset):
        json_birth_date = birth_date.isoformat()
    params["birth_date"] = json_birth_date

    params["nir"] = nir

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/insee/places",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BirthPlaces | Problem | None:
    if response.status_code == 200:
        response_200 = BirthPlaces.from_dict(response.json())

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
) -> Response[BirthPlaces | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    birth_date: datetime.date | Unset = UNSET,
    nir: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[BirthPlaces | Problem]:
    """Search birth places by name at a birth date

     Communes, municipal arrondissements and countries whose name starts with
    `q`, valid on `birth_date`: the code to put in the INS traits' `birth_place`. Accents, case,
    hyphens, apostrophes and spaces are ignored, `ST`/`STE` read as `SAINT`/`SAINTE`, and a leading
    article may be left out (`abergement` finds *L'Abergement-Clémenciat*). Ordered by name.

    With `nir` (the patient's NIR or INS), the place its digits 6 to 10 designate (department and
    commune, or `99` and the country) comes first, marked `from_nir`, when it is valid on
    `birth_date`; `q` may then be left out. Data: INSEE's Code officiel géographique, see the
    plugin's README for its date and limits.

    Args:
        q (str | Unset):
        birth_date (datetime.date | Unset):
        nir (str | Unset): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BirthPlaces | Problem]
    """

    kwargs = _get_kwargs(
        q=q,
        birth_date=birth_date,
        nir=nir,
        limit=limit,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    birth_date: datetime.date | Unset = UNSET,
    nir: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> BirthPlaces | Problem | None:
    """Search birth places by name at a birth date

     Communes, municipal arrondissements and countries whose name starts with
    `q`, valid on `birth_date`: the code to put in the INS traits' `birth_place`. Accents, case,
    hyphens, apostrophes and spaces are ignored, `ST`/`STE` read as `SAINT`/`SAINTE`, and a leading
    article may be left out (`abergement` finds *L'Abergement-Clémenciat*). Ordered by name.

    With `nir` (the patient's NIR or INS), the place its digits 6 to 10 designate (department and
    commune, or `99` and the country) comes first, marked `from_nir`, when it is valid on
    `birth_date`; `q` may then be left out. Data: INSEE's Code officiel géographique, see the
    plugin's README for its date and limits.

    Args:
        q (str | Unset):
        birth_date (datetime.date | Unset):
        nir (str | Unset): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BirthPlaces | Problem
    """

    return sync_detailed(
        client=client,
        q=q,
        birth_date=birth_date,
        nir=nir,
        limit=limit,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    birth_date: datetime.date | Unset = UNSET,
    nir: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[BirthPlaces | Problem]:
    """Search birth places by name at a birth date

     Communes, municipal arrondissements and countries whose name starts with
    `q`, valid on `birth_date`: the code to put in the INS traits' `birth_place`. Accents, case,
    hyphens, apostrophes and spaces are ignored, `ST`/`STE` read as `SAINT`/`SAINTE`, and a leading
    article may be left out (`abergement` finds *L'Abergement-Clémenciat*). Ordered by name.

    With `nir` (the patient's NIR or INS), the place its digits 6 to 10 designate (department and
    commune, or `99` and the country) comes first, marked `from_nir`, when it is valid on
    `birth_date`; `q` may then be left out. Data: INSEE's Code officiel géographique, see the
    plugin's README for its date and limits.

    Args:
        q (str | Unset):
        birth_date (datetime.date | Unset):
        nir (str | Unset): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BirthPlaces | Problem]
    """

    kwargs = _get_kwargs(
        q=q,
        birth_date=birth_date,
        nir=nir,
        limit=limit,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    birth_date: datetime.date | Unset = UNSET,
    nir: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> BirthPlaces | Problem | None:
    """Search birth places by name at a birth date

     Communes, municipal arrondissements and countries whose name starts with
    `q`, valid on `birth_date`: the code to put in the INS traits' `birth_place`. Accents, case,
    hyphens, apostrophes and spaces are ignored, `ST`/`STE` read as `SAINT`/`SAINTE`, and a leading
    article may be left out (`abergement` finds *L'Abergement-Clémenciat*). Ordered by name.

    With `nir` (the patient's NIR or INS), the place its digits 6 to 10 designate (department and
    commune, or `99` and the country) comes first, marked `from_nir`, when it is valid on
    `birth_date`; `q` may then be left out. Data: INSEE's Code officiel géographique, see the
    plugin's README for its date and limits.

    Args:
        q (str | Unset):
        birth_date (datetime.date | Unset):
        nir (str | Unset): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        limit (int | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BirthPlaces | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            birth_date=birth_date,
            nir=nir,
            limit=limit,
            x_request_id=x_request_id,
        )
    ).parsed
