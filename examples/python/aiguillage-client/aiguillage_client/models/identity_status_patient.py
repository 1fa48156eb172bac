from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.identity_status import IdentityStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.traits import Traits


T = TypeVar("T", bound="IdentityStatusPatient")


@_attrs_define
class IdentityStatusPatient:
    """The identity as the EHR holds it: its traits, its INS when it has one, and its current status (`identity_status`;
    absent: a new identity, `PROV`), what it established staying unless the new evidence undoes it.

        Attributes:
            traits (Traits): A patient's identity traits, as an INS search takes them.
            ins (Ins | Unset): A patient's INS (national health identifier).
            identity_status (IdentityStatus | Unset): The identity's status under the RNIV: `PROV` provisoire, `RECUP`
                récupérée (INS from INSi, traits not checked against an identity document), `VALI` validée (traits checked
                against a high-trust identity document, no INS from INSi), `QUAL` qualifiée (both; the only status under which
                the INS may reference and share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a
                patient whose status is not `QUAL` (see their config).
    """

    traits: Traits
    ins: Ins | Unset = UNSET
    identity_status: IdentityStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        traits = self.traits.to_dict()

        ins: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ins, Unset):
            ins = self.ins.to_dict()

        identity_status: str | Unset = UNSET
        if not isinstance(self.identity_status, Unset):
            identity_status = self.identity_status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "traits": traits,
            }
        )
        if ins is not UNSET:
            field_dict["ins"] = ins
        if identity_status is not UNSET:
            field_dict["identity_status"] = identity_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.traits import Traits  # noqa: PLC0415

        d = dict(src_dict)
        traits = Traits.from_dict(d.pop("traits"))

        _ins = d.pop("ins", UNSET)
        ins: Ins | Unset
        if isinstance(_ins, Unset):
            ins = UNSET
        else:
            ins = Ins.from_dict(_ins)

        _identity_status = d.pop("identity_status", UNSET)
        identity_status: IdentityStatus | Unset
        if isinstance(_identity_status, Unset):
            identity_status = UNSET
        else:
            identity_status = IdentityStatus(_identity_status)

        identity_status_patient = cls(
            traits=traits,
            ins=ins,
            identity_status=identity_status,
        )

        return identity_status_patient
