from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fse_invoice import FseInvoice
from ...models.fse_invoice_request import FseInvoiceRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: FseInvoiceRequest,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/fse/invoices",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FseInvoice | Problem | None:
    if response.status_code == 201:
        response_201 = FseInvoice.from_dict(response.json())

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
) -> Response[FseInvoice | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FseInvoiceRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[FseInvoice | Problem]:
    """Price a care sheet (FSE): a draft

     Creates a care sheet as a draft and has the billing engine price it.
    The beneficiary is one of:

    - `{"apcv_session": id, "index": n}`: beneficiary `n` of an open ApCV session (the carte
      Vitale app); securing then has them sign the care sheet in the app;
    - `{"vitale": Beneficiary}`: the carte Vitale read at the desk (secured in `vitale` mode);
    - `{"manual": Beneficiary}`: data typed in, with neither card nor app: only `degraded`
      securing, and a paper care sheet follows.

    The practitioner who bills is the practice's (`[practitioner]`), or the request's
    `practitioner`; they need a `billing_id`. At least one act is required: without one, a 422
    naming `acts` says "at least one act is required before validating the care sheet".

    The engine prices each act on the date of care and splits the total: the AMO reimbursement
    rate (100 % for maternity, AT/MP and the ALD, CSS, AME and invalidity exonerations; else 70 %
    in the parcours de soins, 30 % outside it), the participation forfaitaire withheld from the
    AMO part (not for minors, maternity, CSS or AME), the AMC's part (the ticket modérateur, under
    third-party payment) and what the patient pays at the desk. Amounts are decimal strings in
    euros (`"30.00"`). With the simulator these rules and the fee schedule are sample data (the
    plugin's README).

    The invoice `number` is fixed now: pricing or securing it again is never a second invoice
    at the engine. A warning message says when no rights period of the beneficiary covers the
    date of care. Announced as `fse.invoice` on the event stream; journaled as
    `fse.invoice.create`.

    Args:
        x_request_id (str | Unset):
        body (FseInvoiceRequest): A care sheet to price: who for, who bills, when, the situation
            (pathway, nature, exoneration, third-party payment) and the acts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FseInvoice | Problem]
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
    body: FseInvoiceRequest,
    x_request_id: str | Unset = UNSET,
) -> FseInvoice | Problem | None:
    """Price a care sheet (FSE): a draft

     Creates a care sheet as a draft and has the billing engine price it.
    The beneficiary is one of:

    - `{"apcv_session": id, "index": n}`: beneficiary `n` of an open ApCV session (the carte
      Vitale app); securing then has them sign the care sheet in the app;
    - `{"vitale": Beneficiary}`: the carte Vitale read at the desk (secured in `vitale` mode);
    - `{"manual": Beneficiary}`: data typed in, with neither card nor app: only `degraded`
      securing, and a paper care sheet follows.

    The practitioner who bills is the practice's (`[practitioner]`), or the request's
    `practitioner`; they need a `billing_id`. At least one act is required: without one, a 422
    naming `acts` says "at least one act is required before validating the care sheet".

    The engine prices each act on the date of care and splits the total: the AMO reimbursement
    rate (100 % for maternity, AT/MP and the ALD, CSS, AME and invalidity exonerations; else 70 %
    in the parcours de soins, 30 % outside it), the participation forfaitaire withheld from the
    AMO part (not for minors, maternity, CSS or AME), the AMC's part (the ticket modérateur, under
    third-party payment) and what the patient pays at the desk. Amounts are decimal strings in
    euros (`"30.00"`). With the simulator these rules and the fee schedule are sample data (the
    plugin's README).

    The invoice `number` is fixed now: pricing or securing it again is never a second invoice
    at the engine. A warning message says when no rights period of the beneficiary covers the
    date of care. Announced as `fse.invoice` on the event stream; journaled as
    `fse.invoice.create`.

    Args:
        x_request_id (str | Unset):
        body (FseInvoiceRequest): A care sheet to price: who for, who bills, when, the situation
            (pathway, nature, exoneration, third-party payment) and the acts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FseInvoice | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FseInvoiceRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[FseInvoice | Problem]:
    """Price a care sheet (FSE): a draft

     Creates a care sheet as a draft and has the billing engine price it.
    The beneficiary is one of:

    - `{"apcv_session": id, "index": n}`: beneficiary `n` of an open ApCV session (the carte
      Vitale app); securing then has them sign the care sheet in the app;
    - `{"vitale": Beneficiary}`: the carte Vitale read at the desk (secured in `vitale` mode);
    - `{"manual": Beneficiary}`: data typed in, with neither card nor app: only `degraded`
      securing, and a paper care sheet follows.

    The practitioner who bills is the practice's (`[practitioner]`), or the request's
    `practitioner`; they need a `billing_id`. At least one act is required: without one, a 422
    naming `acts` says "at least one act is required before validating the care sheet".

    The engine prices each act on the date of care and splits the total: the AMO reimbursement
    rate (100 % for maternity, AT/MP and the ALD, CSS, AME and invalidity exonerations; else 70 %
    in the parcours de soins, 30 % outside it), the participation forfaitaire withheld from the
    AMO part (not for minors, maternity, CSS or AME), the AMC's part (the ticket modérateur, under
    third-party payment) and what the patient pays at the desk. Amounts are decimal strings in
    euros (`"30.00"`). With the simulator these rules and the fee schedule are sample data (the
    plugin's README).

    The invoice `number` is fixed now: pricing or securing it again is never a second invoice
    at the engine. A warning message says when no rights period of the beneficiary covers the
    date of care. Announced as `fse.invoice` on the event stream; journaled as
    `fse.invoice.create`.

    Args:
        x_request_id (str | Unset):
        body (FseInvoiceRequest): A care sheet to price: who for, who bills, when, the situation
            (pathway, nature, exoneration, third-party payment) and the acts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FseInvoice | Problem]
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
    body: FseInvoiceRequest,
    x_request_id: str | Unset = UNSET,
) -> FseInvoice | Problem | None:
    """Price a care sheet (FSE): a draft

     Creates a care sheet as a draft and has the billing engine price it.
    The beneficiary is one of:

    - `{"apcv_session": id, "index": n}`: beneficiary `n` of an open ApCV session (the carte
      Vitale app); securing then has them sign the care sheet in the app;
    - `{"vitale": Beneficiary}`: the carte Vitale read at the desk (secured in `vitale` mode);
    - `{"manual": Beneficiary}`: data typed in, with neither card nor app: only `degraded`
      securing, and a paper care sheet follows.

    The practitioner who bills is the practice's (`[practitioner]`), or the request's
    `practitioner`; they need a `billing_id`. At least one act is required: without one, a 422
    naming `acts` says "at least one act is required before validating the care sheet".

    The engine prices each act on the date of care and splits the total: the AMO reimbursement
    rate (100 % for maternity, AT/MP and the ALD, CSS, AME and invalidity exonerations; else 70 %
    in the parcours de soins, 30 % outside it), the participation forfaitaire withheld from the
    AMO part (not for minors, maternity, CSS or AME), the AMC's part (the ticket modérateur, under
    third-party payment) and what the patient pays at the desk. Amounts are decimal strings in
    euros (`"30.00"`). With the simulator these rules and the fee schedule are sample data (the
    plugin's README).

    The invoice `number` is fixed now: pricing or securing it again is never a second invoice
    at the engine. A warning message says when no rights period of the beneficiary covers the
    date of care. Announced as `fse.invoice` on the event stream; journaled as
    `fse.invoice.create`.

    Args:
        x_request_id (str | Unset):
        body (FseInvoiceRequest): A care sheet to price: who for, who bills, when, the situation
            (pathway, nature, exoneration, third-party payment) and the acts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FseInvoice | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
