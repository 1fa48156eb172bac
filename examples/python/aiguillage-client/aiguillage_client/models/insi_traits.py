from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InsiTraits")


@_attrs_define
class InsiTraits:
    """The identity traits INSi returned (TIQ): the reference to qualify against.

    Attributes:
        birth_name (str): birth name
        first_name (str): the first birth first name
        first_names (list[str]): every birth first name, in order (INSi's ListePrenom)
        sex (str): `M` or `F`
        birth_date (str): YYYY-MM-DD as INSi holds it: a lunar date has day or month 00
        birth_place (None | str): INSEE (COG) code of the birth place; `99999` when unknown
    """

    birth_name: str
    first_name: str
    first_names: list[str]
    sex: str
    birth_date: str
    birth_place: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        birth_name = self.birth_name

        first_name = self.first_name

        first_names = self.first_names

        sex = self.sex

        birth_date = self.birth_date

        birth_place: None | str
        birth_place = self.birth_place

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "birth_name": birth_name,
                "first_name": first_name,
                "first_names": first_names,
                "sex": sex,
                "birth_date": birth_date,
                "birth_place": birth_place,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_name = d.pop("birth_name")

        first_name = d.pop("first_name")

        first_names = cast(list[str], d.pop("first_names"))

        sex = d.pop("sex")

        birth_date = d.pop("birth_date")

        def _parse_birth_place(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        birth_place = _parse_birth_place(d.pop("birth_place"))

        insi_traits = cls(
            birth_name=birth_name,
            first_name=first_name,
            first_names=first_names,
            sex=sex,
            birth_date=birth_date,
            birth_place=birth_place,
        )

        insi_traits.additional_properties = d
        return insi_traits

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
