from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteAckRequestError")


@_attrs_define
class MssanteAckRequestError:
    """the message could not be taken in: the receipt says `processed/Error: code^label`; absent, it says `processed`

    Attributes:
        code (str):
        label (str):
    """

    code: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

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
        code = d.pop("code")

        label = d.pop("label")

        mssante_ack_request_error = cls(
            code=code,
            label=label,
        )

        return mssante_ack_request_error
