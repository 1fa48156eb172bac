"""What an INSi fault means for the EHR: the one table from the service's codes to HTTP statuses.

A fault refusing what was asked — an identity the service does not know — is the client's
to handle (4xx): the gateway worked, and the same request will get the same answer. A fault
refusing this installation — its software number (IDAM), its machine certificate — is a 502
with its own type: the EHR cannot fix it, an administrator must (as the DMP's refusals of the
daemon's VIHF). The codes are the ``siram:Erreur`` codes the public sources name (the CNDA
platform and test cases). Any other fault stays a 502: it refuses what the daemon built (its
envelope, its signed assertion — the simulator's own ``desir_500``, ``510``, ``520``). A fault
saying the service is down (``siram_40``, retried first) is a 503, whatever its code.

``docs/api.md`` ("Upstream refusals") shows this table; a test makes each row happen.
"""

from __future__ import annotations

from aiguillage.plugin import Problem, merge_errors

from .client import InsiError, InsiFault, InsiTimeout

#: ``siram:Erreur`` code → (HTTP status, problem type, title).
REFUSALS: dict[str, tuple[int, str, str]] = {
    # What the qualification platform answers for a person it does not know (instead of CR 01).
    "insi_101": (404, "insi-unknown-identity", "INSi knows no such identity"),
    # siram_100: the service refuses this installation's software (IDAM) or machine certificate:
    # the configuration's to fix, not the request's.
    "desir_550": (502, "insi-configuration-refused", "INSi does not know this software's IDAM"),
    "desir_560": (
        502,
        "insi-configuration-refused",
        "INSi accepts only an INSI-AUTO or INSI-MANU certificate",
    ),
}


#: A fault saying the service is down (``siram_40``), once the retries are spent.
DOWN = (503, "insi-fault", "INSi unavailable")
#: Any fault the table does not list: a refusal of what the daemon built.
REFUSED = (502, "insi-fault", "INSi refused the request")
#: No usable answer (connection refused, HTTP 5xx without SOAP), after the retries.
UNAVAILABLE = (503, "insi-unavailable", "INSi unavailable")
#: No answer in time, after the retries.
TIMEOUT = (504, "insi-timeout", "INSi did not answer in time")


def declared() -> dict[int, tuple[str, ...]]:
    """Every problem a call to the service can end in, by status: what each operation that
    calls INSi declares, so that a row added above is declared with it."""
    rows = [*REFUSALS.values(), DOWN, REFUSED, UNAVAILABLE, TIMEOUT]
    return merge_errors(*({status: (slug,)} for status, slug, _ in rows))


def failure(error: InsiError, tries: str = "") -> Problem:
    """The problem any failed call answers the EHR with (a fault: see :func:`problem`)."""
    if isinstance(error, InsiFault):
        return problem(error, tries)
    status, slug, title = TIMEOUT if isinstance(error, InsiTimeout) else UNAVAILABLE
    return Problem(status, slug, title, f"{error}{tries}", service="insi")


def problem(fault: InsiFault, tries: str = "") -> Problem:
    """The problem an INSi fault answers the EHR with: ``service``, ``service_code`` (the
    ``siram:Erreur`` code, else the subcode), ``service_subcode`` and ``severity`` set.
    ``tries`` is appended to the detail (`` after 3 tries``)."""
    if fault.transient:
        status, slug, title = DOWN
    elif fault.code in REFUSALS:
        status, slug, title = REFUSALS[fault.code]
    else:
        status, slug, title = REFUSED
    return Problem(
        status,
        slug,
        title,
        f"{fault.message}{tries}",
        service="insi",
        service_code=fault.code or fault.subcode,
        extra={"service_subcode": fault.subcode, "severity": fault.severity},
    )
