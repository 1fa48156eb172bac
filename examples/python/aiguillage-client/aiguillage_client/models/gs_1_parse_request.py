from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Gs1ParseRequest")


@_attrs_define
class Gs1ParseRequest:
    """What the scanner sent.

    Attributes:
        data (str): the scanned data as the scanner sent it: the raw data with GS (`\\u001d`) where the symbol has an
            FNC1 separator, optionally preceded by the symbology identifier `]d2`; or the printed form with the AIs in
            parentheses
    """

    data: str

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data")

        gs_1_parse_request = cls(
            data=data,
        )

        return gs_1_parse_request
