from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MssanteBody")


@_attrs_define
class MssanteBody:
    """
    Attributes:
        text (str | Unset):
        html (str | Unset):
    """

    text: str | Unset = UNSET
    html: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        html = self.html

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if text is not UNSET:
            field_dict["text"] = text
        if html is not UNSET:
            field_dict["html"] = html

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text", UNSET)

        html = d.pop("html", UNSET)

        mssante_body = cls(
            text=text,
            html=html,
        )

        return mssante_body
