from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteCoded")


@_attrs_define
class MssanteCoded:
    """
    Attributes:
        code (None | str):
        label (None | str):
    """

    code: None | str
    label: None | str

    def to_dict(self) -> dict[str, Any]:
        code: None | str
        code = self.code

        label: None | str
        label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))

        mssante_coded = cls(
            code=code,
            label=label,
        )

        return mssante_coded
