"""What a DMP error means for the EHR: the one table from the DMP's codes to HTTP statuses.

A refusal about what was asked — the patient has no DMP, the practitioner may not open it, the
document is gone, the DMP is closed — is the client's to handle (4xx): the gateway worked, and
the same request will get the same answer. A refusal of what the daemon itself built (its
VIHF, its certificate) stays a 502: the EHR cannot fix it and an operator must look. So does
any code the table does not know. Unavailability is 503, a timeout 504 (``DmpError.transient``
and the client's ``Timeout``). Documents sent through the outbox never get an HTTP answer from
the DMP: their refusals are the outbox item's ``last_error``.

``docs/api.md`` ("Upstream refusals") shows this table; a test makes each row happen.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiguillage.plugin import Problem, merge_errors

from .client import DmpError

#: code → (HTTP status, problem type, title) for the DMP's refusals of synchronous operations.
REFUSALS: dict[str, tuple[int, str, str]] = {
    "XDSUnknownPatientId": (404, "dmp-no-dmp", "The patient has no DMP"),
    "XDSDocumentUniqueIdError": (404, "dmp-document-unknown", "The DMP holds no such document"),
    "DMPAccessDenied": (403, "dmp-access-denied", "The DMP refused this practitioner access"),
    "DMPClosed": (409, "dmp-closed", "The patient's DMP is closed"),
    "XDSMetadataUpdateError": (
        409,
        "dmp-update-refused",
        "The DMP refused the change in the document's current state",
    ),
    "XDSRegistryMetadataError": (422, "dmp-metadata-refused", "The DMP refused the metadata"),
    # The daemon's own doing, not the client's: an operator must fix its credentials.
    "DMPInvalidVIHF": (502, "dmp-error", "The DMP refused the daemon's VIHF"),
    "DMPInvalidCertificate": (
        502,
        "dmp-error",
        "The DMP refused the certificate the daemon signs the VIHF with",
    ),
}


def problem(error: DmpError) -> Problem:
    """The problem a DMP error answers the EHR with, ``service`` and ``service_code`` set."""
    if error.code in REFUSALS:
        status, slug, title = REFUSALS[error.code]
    elif error.code == "Timeout":
        status, slug, title = 504, "dmp-error", "The DMP did not answer in time"
    elif error.transient:
        status, slug, title = 503, "dmp-error", "The DMP is unavailable"
    else:
        status, slug, title = 502, "dmp-error", "The DMP refused or failed the request"
    return Problem(status, slug, title, error.message, service="dmp", service_code=error.code)


#: What any exchange may answer, whatever it asks: the DMP's refusal of the daemon's own VIHF or
#: certificate or a code the table does not know (502), unavailability (503), a timeout (504).
ANY_EXCHANGE: dict[int, tuple[str, ...]] = {
    502: ("dmp-error",),
    503: ("dmp-error",),
    504: ("dmp-error",),
}
#: The codes any exchange about a patient's DMP may meet.
PATIENT_CODES = ("XDSUnknownPatientId", "DMPAccessDenied", "DMPClosed")


def errors(
    codes: Iterable[str], own: dict[int, tuple[str, ...]] | None = None
) -> dict[int, tuple[str, ...]]:
    """An operation's ``errors`` when its exchanges may meet the DMP's ``codes``: each code's
    row of the table, what any exchange may answer, and the operation's ``own`` problems."""
    met = ({REFUSALS[code][0]: (REFUSALS[code][1],)} for code in codes)
    return merge_errors(ANY_EXCHANGE, *met, own or {})
