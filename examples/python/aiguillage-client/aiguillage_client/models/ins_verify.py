from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.practitioner import Practitioner
    from ..models.traits import Traits


T = TypeVar("T", bound="InsVerify")


@_attrs_define
class InsVerify:
    """An INS the EHR holds, with the traits it holds for the patient.

    Attributes:
        ins (Ins): A patient's INS (national health identifier).
        traits (Traits): A patient's identity traits, as an INS search takes them.
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    ins: Ins
    traits: Traits
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ins = self.ins.to_dict()

        traits = self.traits.to_dict()

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ins": ins,
                "traits": traits,
            }
        )
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.practitioner import Practitioner  # noqa: PLC0415
        from ..models.traits import Traits  # noqa: PLC0415

        d = dict(src_dict)
        ins = Ins.from_dict(d.pop("ins"))

        traits = Traits.from_dict(d.pop("traits"))

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        ins_verify = cls(
            ins=ins,
            traits=traits,
            practitioner=practitioner,
        )

        return ins_verify
