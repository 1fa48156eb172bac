from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteReadAnswer")


@_attrs_define
class MssanteReadAnswer:
    """
    Attributes:
        id (int):
        unread (bool):
    """

    id: int
    unread: bool

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        unread = self.unread

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "unread": unread,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        unread = d.pop("unread")

        mssante_read_answer = cls(
            id=id,
            unread=unread,
        )

        return mssante_read_answer
