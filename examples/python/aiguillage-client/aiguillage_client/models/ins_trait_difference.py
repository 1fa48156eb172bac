from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ins_trait_difference_trait import InsTraitDifferenceTrait

T = TypeVar("T", bound="InsTraitDifference")


@_attrs_define
class InsTraitDifference:
    """A trait the EHR holds that INSi returned otherwise.

    Attributes:
        trait (InsTraitDifferenceTrait): which trait (`first_names`: all of them, space-separated)
        held (str): the EHR's value, folded to INSi's alphabet
        returned (None | str): INSi's value
    """

    trait: InsTraitDifferenceTrait
    held: str
    returned: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        trait = self.trait.value

        held = self.held

        returned: None | str
        returned = self.returned

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "trait": trait,
                "held": held,
                "returned": returned,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        trait = InsTraitDifferenceTrait(d.pop("trait"))

        held = d.pop("held")

        def _parse_returned(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        returned = _parse_returned(d.pop("returned"))

        ins_trait_difference = cls(
            trait=trait,
            held=held,
            returned=returned,
        )

        ins_trait_difference.additional_properties = d
        return ins_trait_difference

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
