from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.fse_invoice import FseInvoice


T = TypeVar("T", bound="FseInvoicePage")


@_attrs_define
class FseInvoicePage:
    """A page of care sheets, newest first.

    Attributes:
        items (list[FseInvoice]): the page's care sheets
        next_cursor (None | str): pass as `cursor` for the next page; null on the last one
    """

    items: list[FseInvoice]
    next_cursor: None | str

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: None | str
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
        from ..models.fse_invoice import FseInvoice  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = FseInvoice.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        fse_invoice_page = cls(
            items=items,
            next_cursor=next_cursor,
        )

        return fse_invoice_page
