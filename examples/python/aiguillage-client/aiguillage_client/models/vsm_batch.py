from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.practitioner import Practitioner
    from ..models.vsm_batch_item import VsmBatchItem


T = TypeVar("T", bound="VsmBatch")


@_attrs_define
class VsmBatch:
    """The VSM of many patients, sent with one request.

    Attributes:
        items (list[VsmBatchItem]): one VSM per item, each its own outbox item
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    items: list[VsmBatchItem]
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
            }
        )
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.practitioner import Practitioner  # noqa: PLC0415
        from ..models.vsm_batch_item import VsmBatchItem  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = VsmBatchItem.from_dict(items_item_data)

            items.append(items_item)

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        vsm_batch = cls(
            items=items,
            practitioner=practitioner,
        )

        return vsm_batch
