from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteDirectoryEntryNames")


@_attrs_define
class MssanteDirectoryEntryNames:
    """
    Attributes:
        family (None | str):
        given (None | str):
        civility (None | str):
    """

    family: None | str
    given: None | str
    civility: None | str

    def to_dict(self) -> dict[str, Any]:
        family: None | str
        family = self.family

        given: None | str
        given = self.given

        civility: None | str
        civility = self.civility

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "family": family,
                "given": given,
                "civility": civility,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_family(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        family = _parse_family(d.pop("family"))

        def _parse_given(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        given = _parse_given(d.pop("given"))

        def _parse_civility(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        civility = _parse_civility(d.pop("civility"))

        mssante_directory_entry_names = cls(
            family=family,
            given=given,
            civility=civility,
        )

        return mssante_directory_entry_names
