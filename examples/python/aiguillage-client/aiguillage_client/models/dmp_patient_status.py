from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.dmp_authorization_state import DmpAuthorizationState

if TYPE_CHECKING:
    from ..models.dmp_patient_status_raw import DmpPatientStatusRaw


T = TypeVar("T", bound="DmpPatientStatus")


@_attrs_define
class DmpPatientStatus:
    """Whether the patient has a DMP and what the practitioner may do with it (TD0.2).

    Attributes:
        exists (bool): the patient has a DMP
        closed (bool): the DMP is closed: it cannot be read nor written
        authorization (DmpAuthorizationState): The calling practitioner's authorisation on the patient's DMP: `valid`,
            `expired`, `none`, or `blocked` (the patient refused it).
        treating_physician (bool): the practitioner is the patient's médecin traitant on the DMP
        raw (DmpPatientStatusRaw): the DMP's own codes, by name: its attention lines (`AUTORISATION`, `STATUT_MT`…),
            `query_response` (the HL7 query response code) and `status` (the patient's statusCode: `active`, `terminated`)
    """

    exists: bool
    closed: bool
    authorization: DmpAuthorizationState
    treating_physician: bool
    raw: DmpPatientStatusRaw

    def to_dict(self) -> dict[str, Any]:
        exists = self.exists

        closed = self.closed

        authorization = self.authorization.value

        treating_physician = self.treating_physician

        raw = self.raw.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "exists": exists,
                "closed": closed,
                "authorization": authorization,
                "treating_physician": treating_physician,
                "raw": raw,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmp_patient_status_raw import DmpPatientStatusRaw  # noqa: PLC0415

        d = dict(src_dict)
        exists = d.pop("exists")

        closed = d.pop("closed")

        authorization = DmpAuthorizationState(d.pop("authorization"))

        treating_physician = d.pop("treating_physician")

        raw = DmpPatientStatusRaw.from_dict(d.pop("raw"))

        dmp_patient_status = cls(
            exists=exists,
            closed=closed,
            authorization=authorization,
            treating_physician=treating_physician,
            raw=raw,
        )

        return dmp_patient_status
