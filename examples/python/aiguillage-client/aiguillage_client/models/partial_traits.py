from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sex import Sex
from ..types import UNSET, Unset

T = TypeVar("T", bound="PartialTraits")


@_attrs_define
class PartialTraits:
    """Identity traits as far as they are known.

    Attributes:
        birth_name (str | Unset): birth name (nom de naissance)
        first_names (list[str] | Unset): birth first names, in order
        used_name (str | Unset): used name (nom utilisé), when it differs
        sex (Sex | Unset): administrative sex, as the INS carries it
        birth_date (str | Unset): YYYY-MM-DD, from 1850, not in the future; lunar dates (day or month 00) accepted
        birth_place (str | Unset): INSEE (COG) code of the birth place; 99999 when unknown
    """

    birth_name: str | Unset = UNSET
    first_names: list[str] | Unset = UNSET
    used_name: str | Unset = UNSET
    sex: Sex | Unset = UNSET
    birth_date: str | Unset = UNSET
    birth_place: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        birth_name = self.birth_name

        first_names: list[str] | Unset = UNSET
        if not isinstance(self.first_names, Unset):
            first_names = self.first_names

        used_name = self.used_name

        sex: str | Unset = UNSET
        if not isinstance(self.sex, Unset):
            sex = self.sex.value

        birth_date = self.birth_date

        birth_place = self.birth_place

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if birth_name is not UNSET:
            field_dict["birth_name"] = birth_name
        if first_names is not UNSET:
            field_dict["first_names"] = first_names
        if used_name is not UNSET:
            field_dict["used_name"] = used_name
        if sex is not UNSET:
            field_dict["sex"] = sex
        if birth_date is not UNSET:
            field_dict["birth_date"] = birth_date
        if birth_place is not UNSET:
            field_dict["birth_place"] = birth_place

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_name = d.pop("birth_name", UNSET)

        first_names = cast(list[str], d.pop("first_names", UNSET))

        used_name = d.pop("used_name", UNSET)

        _sex = d.pop("sex", UNSET)
        sex: Sex | Unset
        if isinstance(_sex, Unset):
            sex = UNSET
        else:
            sex = Sex(_sex)

        birth_date = d.pop("birth_date", UNSET)

        birth_place = d.pop("birth_place", UNSET)

        partial_traits = cls(
            birth_name=birth_name,
            first_names=first_names,
            used_name=used_name,
            sex=sex,
            birth_date=birth_date,
            birth_place=birth_place,
        )

        return partial_traits
