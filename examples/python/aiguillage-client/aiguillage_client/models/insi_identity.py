from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.insi_ins import InsiIns
    from ..models.insi_traits import InsiTraits


T = TypeVar("T", bound="InsiIdentity")


@_attrs_define
class InsiIdentity:
    """The identity INSi returned: its INS and its traits.

    Attributes:
        ins (InsiIns): An INS as INSi returned it.
        traits (InsiTraits): The identity traits INSi returned (TIQ): the reference to qualify against.
    """

    ins: InsiIns
    traits: InsiTraits
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ins = self.ins.to_dict()

        traits = self.traits.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ins": ins,
                "traits": traits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.insi_ins import InsiIns  # noqa: PLC0415
        from ..models.insi_traits import InsiTraits  # noqa: PLC0415

        d = dict(src_dict)
        ins = InsiIns.from_dict(d.pop("ins"))

        traits = InsiTraits.from_dict(d.pop("traits"))

        insi_identity = cls(
            ins=ins,
            traits=traits,
        )

        insi_identity.additional_properties = d
        return insi_identity

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
