from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.fse_lot import FseLot
    from ..models.outbox_item import OutboxItem


T = TypeVar("T", bound="FseLotsOutcome")


@_attrs_define
class FseLotsOutcome:
    """The lots formed, one per insurer, each queued in the outbox. Every item's delivery ended within `wait`: `outbox` has
    them, in their final states.

        Attributes:
            lots (list[FseLot]): the lots
            outbox (list[OutboxItem]): the outbox items queued, in the order of the request: `sent` (with the receiver's
                `result`), `failed` or `dead` (with `last_error`), or `cancelled`
    """

    lots: list[FseLot]
    outbox: list[OutboxItem]

    def to_dict(self) -> dict[str, Any]:
        lots = []
        for lots_item_data in self.lots:
            lots_item = lots_item_data.to_dict()
            lots.append(lots_item)

        outbox = []
        for outbox_item_data in self.outbox:
            outbox_item = outbox_item_data.to_dict()
            outbox.append(outbox_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lots": lots,
                "outbox": outbox,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fse_lot import FseLot  # noqa: PLC0415
        from ..models.outbox_item import OutboxItem  # noqa: PLC0415

        d = dict(src_dict)
        lots = []
        _lots = d.pop("lots")
        for lots_item_data in _lots:
            lots_item = FseLot.from_dict(lots_item_data)

            lots.append(lots_item)

        outbox = []
        _outbox = d.pop("outbox")
        for outbox_item_data in _outbox:
            outbox_item = OutboxItem.from_dict(outbox_item_data)

            outbox.append(outbox_item)

        fse_lots_outcome = cls(
            lots=lots,
            outbox=outbox,
        )

        return fse_lots_outcome
