from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.dmp_batch_counts import DmpBatchCounts
    from ..models.dmp_batch_failure import DmpBatchFailure


T = TypeVar("T", bound="DmpBatch")


@_attrs_define
class DmpBatch:
    """Where a VSM batch stands.

    Attributes:
        batch_id (UUID): the batch's id
        total (int): how many items the batch has
        counts (DmpBatchCounts): how many items are in each outbox state; a state none is in is left out
        done (bool): every item has ended: sent, failed, dead or cancelled
        failures (list[DmpBatchFailure]): the items that failed or are dead, with why
    """

    batch_id: UUID
    total: int
    counts: DmpBatchCounts
    done: bool
    failures: list[DmpBatchFailure]

    def to_dict(self) -> dict[str, Any]:
        batch_id = str(self.batch_id)

        total = self.total

        counts = self.counts.to_dict()

        done = self.done

        failures = []
        for failures_item_data in self.failures:
            failures_item = failures_item_data.to_dict()
            failures.append(failures_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "batch_id": batch_id,
                "total": total,
                "counts": counts,
                "done": done,
                "failures": failures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmp_batch_counts import DmpBatchCounts  # noqa: PLC0415
        from ..models.dmp_batch_failure import DmpBatchFailure  # noqa: PLC0415

        d = dict(src_dict)
        batch_id = UUID(d.pop("batch_id"))

        total = d.pop("total")

        counts = DmpBatchCounts.from_dict(d.pop("counts"))

        done = d.pop("done")

        failures = []
        _failures = d.pop("failures")
        for failures_item_data in _failures:
            failures_item = DmpBatchFailure.from_dict(failures_item_data)

            failures.append(failures_item)

        dmp_batch = cls(
            batch_id=batch_id,
            total=total,
            counts=counts,
            done=done,
            failures=failures,
        )

        return dmp_batch
