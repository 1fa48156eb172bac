from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="VsmBatchAccepted")


@_attrs_define
class VsmBatchAccepted:
    """The batch queued: follow it at `location`.

    Attributes:
        batch_id (UUID): the batch's id
        items (int): how many items it queued
        location (str): the batch's address (`/v1/dmp/batches/{batch_id}`), as `Location`
    """

    batch_id: UUID
    items: int
    location: str

    def to_dict(self) -> dict[str, Any]:
        batch_id = str(self.batch_id)

        items = self.items

        location = self.location

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "batch_id": batch_id,
                "items": items,
                "location": location,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        batch_id = UUID(d.pop("batch_id"))

        items = d.pop("items")

        location = d.pop("location")

        vsm_batch_accepted = cls(
            batch_id=batch_id,
            items=items,
            location=location,
        )

        return vsm_batch_accepted
