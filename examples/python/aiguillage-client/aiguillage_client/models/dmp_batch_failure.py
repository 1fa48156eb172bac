from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dmp_batch_failure_state import DmpBatchFailureState

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError


T = TypeVar("T", bound="DmpBatchFailure")


@_attrs_define
class DmpBatchFailure:
    """An item of the batch that did not reach the DMP.

    Attributes:
        item_id (int): its outbox item
        patient (str): the patient's INS
        state (DmpBatchFailureState):
        error (DeliveryError | None): its last error
    """

    item_id: int
    patient: str
    state: DmpBatchFailureState
    error: DeliveryError | None

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        item_id = self.item_id

        patient = self.patient

        state = self.state.value

        error: dict[str, Any] | None
        if isinstance(self.error, DeliveryError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "item_id": item_id,
                "patient": patient,
                "state": state,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        d = dict(src_dict)
        item_id = d.pop("item_id")

        patient = d.pop("patient")

        state = DmpBatchFailureState(d.pop("state"))

        def _parse_error(data: object) -> DeliveryError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = DeliveryError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryError | None, data)

        error = _parse_error(d.pop("error"))

        dmp_batch_failure = cls(
            item_id=item_id,
            patient=patient,
            state=state,
            error=error,
        )

        return dmp_batch_failure
