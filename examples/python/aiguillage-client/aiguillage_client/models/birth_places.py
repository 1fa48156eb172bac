from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.birth_place import BirthPlace


T = TypeVar("T", bound="BirthPlaces")


@_attrs_define
class BirthPlaces:
    """
    Attributes:
        items (list[BirthPlace]):
        count (int):
        birth_date (datetime.date): the date the places are valid at (today when none was given)
    """

    items: list[BirthPlace]
    count: int
    birth_date: datetime.date

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        count = self.count

        birth_date = self.birth_date.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
                "count": count,
                "birth_date": birth_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.birth_place import BirthPlace  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = BirthPlace.from_dict(items_item_data)

            items.append(items_item)

        count = d.pop("count")

        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        birth_places = cls(
            items=items,
            count=count,
            birth_date=birth_date,
        )

        return birth_places
