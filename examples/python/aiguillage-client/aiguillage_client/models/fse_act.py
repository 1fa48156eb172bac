from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FseAct")


@_attrs_define
class FseAct:
    """One act to bill: an NGAP key letter (`G`, `GS`, `VG`, `APC`…) or a CCAM code (`DEQP003`…), how many, and the
    modifiers (majorations) that add to its price (`MD`…).

        Attributes:
            code (str): the act's code: NGAP letter key or CCAM code
            quantity (int | Unset): how many times the act was done Default: 1.
            modifiers (list[str] | Unset): modifiers that add to the act's price (`MD`: a home visit's majoration…)
    """

    code: str
    quantity: int | Unset = 1
    modifiers: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        quantity = self.quantity

        modifiers: list[str] | Unset = UNSET
        if not isinstance(self.modifiers, Unset):
            modifiers = self.modifiers

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if modifiers is not UNSET:
            field_dict["modifiers"] = modifiers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        quantity = d.pop("quantity", UNSET)

        modifiers = cast(list[str], d.pop("modifiers", UNSET))

        fse_act = cls(
            code=code,
            quantity=quantity,
            modifiers=modifiers,
        )

        return fse_act
