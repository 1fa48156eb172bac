from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.outbox_item import OutboxItem
    from ..models.vsm_batch_refusal import VsmBatchRefusal


T = TypeVar("T", bound="VsmBatchOutcome")


@_attrs_define
class VsmBatchOutcome:
    """The batch queued: follow it at `location`. Every item's delivery ended within `wait`: `outbox` has them, in their
    final states.

        Attributes:
            batch_id (UUID): the batch's id
            items (int): how many items it queued
            refused (list[VsmBatchRefusal]): the items refused for their identity's status (not queued)
            location (str): the batch's address (`/v1/dmp/batches/{batch_id}`), as `Location`
            outbox (list[OutboxItem]): the outbox items queued, in the order of the request: `sent` (with the receiver's
                `result`), `failed` or `dead` (with `last_error`), or `cancelled`
    """

    batch_id: UUID
    items: int
    refused: list[VsmBatchRefusal]
    location: str
    outbox: list[OutboxItem]

    def to_dict(self) -> dict[str, Any]:
        batch_id = str(self.batch_id)

        items = self.items

        refused = []
        for refused_item_data in self.refused:
            refused_item = refused_item_data.to_dict()
            refused.append(refused_item)

        location = self.location

        outbox = []
        for outbox_item_data in self.outbox:
            outbox_item = outbox_item_data.to_dict()
            outbox.append(outbox_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "batch_id": batch_id,
                "items": items,
                "refused": refused,
                "location": location,
                "outbox": outbox,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.outbox_item import OutboxItem  # noqa: PLC0415
        from ..models.vsm_batch_refusal import VsmBatchRefusal  # noqa: PLC0415

        d = dict(src_dict)
        batch_id = UUID(d.pop("batch_id"))

        items = d.pop("items")

        refused = []
        _refused = d.pop("refused")
        for refused_item_data in _refused:
            refused_item = VsmBatchRefusal.from_dict(refused_item_data)

            refused.append(refused_item)

        location = d.pop("location")

        outbox = []
        _outbox = d.pop("outbox")
        for outbox_item_data in _outbox:
            outbox_item = OutboxItem.from_dict(outbox_item_data)

            outbox.append(outbox_item)

        vsm_batch_outcome = cls(
            batch_id=batch_id,
            items=items,
            refused=refused,
            location=location,
            outbox=outbox,
        )

        return vsm_batch_outcome
