from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.journal_verification import JournalVerification
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    whole: bool | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["whole"] = whole

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/journal/verify",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JournalVerification | Problem | None:
    if response.status_code == 200:
        response_200 = JournalVerification.from_dict(response.json())

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
) -> Response[JournalVerification | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    whole: bool | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[JournalVerification | Problem]:
    """Whether the journal's hash chain holds (the console's status)

     The journal's verification status, at once: what `aiguillage journal
    verify` checks (each row chained by SHA-256 to the one before, then the rows against the signed
    checkpoints kept outside the journal) as last found. Asking starts a walk unless one runs, and
    waits a tenth of a second for it: of the rows added since the last verified row (which must
    still be there with the same hash), or of the whole journal and its checkpoints when none was
    walked yet, the last was over an hour ago, or `whole=true` asks. A whole walk reads every row
    (some twenty seconds at a million rows): until it ends the answer says so in `running`, with
    its progress. A break stays reported until the next whole walk. `first_bad_row` and `reason`
    name the first row where the chain breaks, as the command does.

    Args:
        whole (bool | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalVerification | Problem]
    """

    kwargs = _get_kwargs(
        whole=whole,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    whole: bool | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> JournalVerification | Problem | None:
    """Whether the journal's hash chain holds (the console's status)

     The journal's verification status, at once: what `aiguillage journal
    verify` checks (each row chained by SHA-256 to the one before, then the rows against the signed
    checkpoints kept outside the journal) as last found. Asking starts a walk unless one runs, and
    waits a tenth of a second for it: of the rows added since the last verified row (which must
    still be there with the same hash), or of the whole journal and its checkpoints when none was
    walked yet, the last was over an hour ago, or `whole=true` asks. A whole walk reads every row
    (some twenty seconds at a million rows): until it ends the answer says so in `running`, with
    its progress. A break stays reported until the next whole walk. `first_bad_row` and `reason`
    name the first row where the chain breaks, as the command does.

    Args:
        whole (bool | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalVerification | Problem
    """

    return sync_detailed(
        client=client,
        whole=whole,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    whole: bool | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[JournalVerification | Problem]:
    """Whether the journal's hash chain holds (the console's status)

     The journal's verification status, at once: what `aiguillage journal
    verify` checks (each row chained by SHA-256 to the one before, then the rows against the signed
    checkpoints kept outside the journal) as last found. Asking starts a walk unless one runs, and
    waits a tenth of a second for it: of the rows added since the last verified row (which must
    still be there with the same hash), or of the whole journal and its checkpoints when none was
    walked yet, the last was over an hour ago, or `whole=true` asks. A whole walk reads every row
    (some twenty seconds at a million rows): until it ends the answer says so in `running`, with
    its progress. A break stays reported until the next whole walk. `first_bad_row` and `reason`
    name the first row where the chain breaks, as the command does.

    Args:
        whole (bool | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalVerification | Problem]
    """

    kwargs = _get_kwargs(
        whole=whole,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    whole: bool | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> JournalVerification | Problem | None:
    """Whether the journal's hash chain holds (the console's status)

     The journal's verification status, at once: what `aiguillage journal
    verify` checks (each row chained by SHA-256 to the one before, then the rows against the signed
    checkpoints kept outside the journal) as last found. Asking starts a walk unless one runs, and
    waits a tenth of a second for it: of the rows added since the last verified row (which must
    still be there with the same hash), or of the whole journal and its checkpoints when none was
    walked yet, the last was over an hour ago, or `whole=true` asks. A whole walk reads every row
    (some twenty seconds at a million rows): until it ends the answer says so in `running`, with
    its progress. A break stays reported until the next whole walk. `first_bad_row` and `reason`
    name the first row where the chain breaks, as the command does.

    Args:
        whole (bool | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalVerification | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            whole=whole,
            x_request_id=x_request_id,
        )
    ).parsed
