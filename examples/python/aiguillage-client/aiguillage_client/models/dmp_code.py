from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="DmpCode")


@_attrs_define
class DmpCode:
    """A coded value of the DMP's metadata.

    Attributes:
        code (None | str): the code
        display (None | str): its display name
        system (None | str): the OID of its code system
    """

    code: None | str
    display: None | str
    system: None | str

    def to_dict(self) -> dict[str, Any]:
        code: None | str
        code = self.code

        display: None | str
        display = self.display

        system: None | str
        system = self.system

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "display": display,
                "system": system,
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

        def _parse_display(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display = _parse_display(d.pop("display"))

        def _parse_system(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        system = _parse_system(d.pop("system"))

        dmp_code = cls(
            code=code,
            display=display,
            system=system,
        )

        return dmp_code
