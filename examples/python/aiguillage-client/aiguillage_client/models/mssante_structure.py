from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteStructure")


@_attrs_define
class MssanteStructure:
    """
    Attributes:
        name (None | str):
        id (None | str):
        id_type (None | str):
        service (None | str):
    """

    name: None | str
    id: None | str
    id_type: None | str
    service: None | str

    def to_dict(self) -> dict[str, Any]:
        name: None | str
        name = self.name

        id: None | str
        id = self.id

        id_type: None | str
        id_type = self.id_type

        service: None | str
        service = self.service

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "id": id,
                "id_type": id_type,
                "service": service,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))

        def _parse_id_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id_type = _parse_id_type(d.pop("id_type"))

        def _parse_service(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        service = _parse_service(d.pop("service"))

        mssante_structure = cls(
            name=name,
            id=id,
            id_type=id_type,
            service=service,
        )

        return mssante_structure
