from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.mssante_directory_entry import MssanteDirectoryEntry


T = TypeVar("T", bound="MssanteDirectoryAnswer")


@_attrs_define
class MssanteDirectoryAnswer:
    """
    Attributes:
        items (list[MssanteDirectoryEntry]):
        count (int):
    """

    items: list[MssanteDirectoryEntry]
    count: int

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_directory_entry import MssanteDirectoryEntry  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = MssanteDirectoryEntry.from_dict(items_item_data)

            items.append(items_item)

        count = d.pop("count")

        mssante_directory_answer = cls(
            items=items,
            count=count,
        )

        return mssante_directory_answer
