from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.identity_status import IdentityStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.traits import Traits


T = TypeVar("T", bound="Patient")


@_attrs_define
class Patient:
    """A patient: the INS and the traits it was qualified with, and the identity's status when the EHR gives it.

    Attributes:
        ins (Ins): A patient's INS (national health identifier).
        traits (Traits): A patient's identity traits, as an INS search takes them.
        identity_status (IdentityStatus | Unset): The identity's status under the RNIV: `PROV` provisoire, `RECUP`
            récupérée (INS from INSi, traits not checked against an identity document), `VALI` validée (traits checked
            against a high-trust identity document, no INS from INSi), `QUAL` qualifiée (both; the only status under which
            the INS may reference and share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a
            patient whose status is not `QUAL` (see their config).
    """

    ins: Ins
    traits: Traits
    identity_status: IdentityStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ins = self.ins.to_dict()

        traits = self.traits.to_dict()

        identity_status: str | Unset = UNSET
        if not isinstance(self.identity_status, Unset):
            identity_status = self.identity_status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ins": ins,
                "traits": traits,
            }
        )
        if identity_status is not UNSET:
            field_dict["identity_status"] = identity_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.traits import Traits  # noqa: PLC0415

        d = dict(src_dict)
        ins = Ins.from_dict(d.pop("ins"))

        traits = Traits.from_dict(d.pop("traits"))

        _identity_status = d.pop("identity_status", UNSET)
        identity_status: IdentityStatus | Unset
        if isinstance(_identity_status, Unset):
            identity_status = UNSET
        else:
            identity_status = IdentityStatus(_identity_status)

        patient = cls(
            ins=ins,
            traits=traits,
            identity_status=identity_status,
        )

        return patient
