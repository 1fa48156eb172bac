from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sex import Sex
from ..types import UNSET, Unset

T = TypeVar("T", bound="InsTraits")


@_attrs_define
class InsTraits:
    """Every INS trait, birth place included: what a document's patient carries.

    Attributes:
        birth_name (str): birth name (nom de naissance)
        first_names (list[str]): birth first names, in order
        sex (Sex): administrative sex, as the INS carries it
        birth_date (str): YYYY-MM-DD, from 1850, not in the future; lunar dates (day or month 00) accepted
        birth_place (str): INSEE (COG) code of the birth place; 99999 when unknown
        used_name (str | Unset): used name (nom utilisé), when it differs
    """

    birth_name: str
    first_names: list[str]
    sex: Sex
    birth_date: str
    birth_place: str
    used_name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        birth_name = self.birth_name

        first_names = self.first_names

        sex = self.sex.value

        birth_date = self.birth_date

        birth_place = self.birth_place

        used_name = self.used_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "birth_name": birth_name,
                "first_names": first_names,
                "sex": sex,
                "birth_date": birth_date,
                "birth_place": birth_place,
            }
        )
        if used_name is not UNSET:
            field_dict["used_name"] = used_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_name = d.pop("birth_name")

        first_names = cast(list[str], d.pop("first_names"))

        sex = Sex(d.pop("sex"))

        birth_date = d.pop("birth_date")

        birth_place = d.pop("birth_place")

        used_name = d.pop("used_name", UNSET)

        ins_traits = cls(
            birth_name=birth_name,
            first_names=first_names,
            sex=sex,
            birth_date=birth_date,
            birth_place=birth_place,
            used_name=used_name,
        )

        return ins_traits
