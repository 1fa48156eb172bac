from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.mssante_inbox_message import MssanteInboxMessage


T = TypeVar("T", bound="MssanteInboxPage")


@_attrs_define
class MssanteInboxPage:
    """
    Attributes:
        items (list[MssanteInboxMessage]):
        next_cursor (int | None): pass as `cursor` for the next page; `null` on the last one
    """

    items: list[MssanteInboxMessage]
    next_cursor: int | None

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: int | None
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
                "next_cursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_inbox_message import MssanteInboxMessage  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = MssanteInboxMessage.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        mssante_inbox_page = cls(
            items=items,
            next_cursor=next_cursor,
        )

        return mssante_inbox_page
