from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.fse_lot import FseLot


T = TypeVar("T", bound="FseLotsAccepted")


@_attrs_define
class FseLotsAccepted:
    """The lots formed, one per insurer, each queued in the outbox.

    Attributes:
        lots (list[FseLot]): the lots
    """

    lots: list[FseLot]

    def to_dict(self) -> dict[str, Any]:
        lots = []
        for lots_item_data in self.lots:
            lots_item = lots_item_data.to_dict()
            lots.append(lots_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lots": lots,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fse_lot import FseLot  # noqa: PLC0415

        d = dict(src_dict)
        lots = []
        _lots = d.pop("lots")
        for lots_item_data in _lots:
            lots_item = FseLot.from_dict(lots_item_data)

            lots.append(lots_item)

        fse_lots_accepted = cls(
            lots=lots,
        )

        return fse_lots_accepted
