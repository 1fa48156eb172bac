from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FseLine")


@_attrs_define
class FseLine:
    """One act as the engine priced it.

    Attributes:
        code (str): the act's code
        quantity (int): how many
        modifiers (list[str]): the modifiers applied
        unit_price (str): one act's price, modifiers included (€)
        amount (str): `unit_price × quantity` (€)
    """

    code: str
    quantity: int
    modifiers: list[str]
    unit_price: str
    amount: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        quantity = self.quantity

        modifiers = self.modifiers

        unit_price = self.unit_price

        amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "quantity": quantity,
                "modifiers": modifiers,
                "unit_price": unit_price,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        quantity = d.pop("quantity")

        modifiers = cast(list[str], d.pop("modifiers"))

        unit_price = d.pop("unit_price")

        amount = d.pop("amount")

        fse_line = cls(
            code=code,
            quantity=quantity,
            modifiers=modifiers,
            unit_price=unit_price,
            amount=amount,
        )

        return fse_line
