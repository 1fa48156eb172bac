from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FseLotsRequest")


@_attrs_define
class FseLotsRequest:
    """The care sheets to send. Without `invoices`, every secured one not yet in a lot.

    Attributes:
        invoices (list[str] | Unset): the care sheets to send: secured ones not in a lot, or those of a lot the insurer
            rejected
    """

    invoices: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        invoices: list[str] | Unset = UNSET
        if not isinstance(self.invoices, Unset):
            invoices = self.invoices

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if invoices is not UNSET:
            field_dict["invoices"] = invoices

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invoices = cast(list[str], d.pop("invoices", UNSET))

        fse_lots_request = cls(
            invoices=invoices,
        )

        return fse_lots_request
