from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.traits import Traits


T = TypeVar("T", bound="Patient")


@_attrs_define
class Patient:
    """A patient: the INS and the traits it was qualified with.

    Attributes:
        ins (Ins): A patient's INS (national health identifier).
        traits (Traits): A patient's identity traits, as an INS search takes them.
    """

    ins: Ins
    traits: Traits

    def to_dict(self) -> dict[str, Any]:
        ins = self.ins.to_dict()

        traits = self.traits.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ins": ins,
                "traits": traits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.traits import Traits  # noqa: PLC0415

        d = dict(src_dict)
        ins = Ins.from_dict(d.pop("ins"))

        traits = Traits.from_dict(d.pop("traits"))

        patient = cls(
            ins=ins,
            traits=traits,
        )

        return patient
