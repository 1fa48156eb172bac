from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ConsoleLoginRequest")


@_attrs_define
class ConsoleLoginRequest:
    """The login code `aiguillage console` printed (the `#code=` of its URL).

    Attributes:
        code (str): the one-time login code
    """

    code: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        console_login_request = cls(
            code=code,
        )

        return console_login_request
