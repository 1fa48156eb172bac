from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.fse_lot_state import FseLotState

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError


T = TypeVar("T", bound="FseLot")


@_attrs_define
class FseLot:
    """A lot: secured care sheets for one insurer, transmitted together through the outbox, and its acknowledgement (ARL).

    Attributes:
        id (str): a lot's id
        number (str): the lot's number, fixed when it was formed: sending it again is never a second lot
        destination (str): the insurer it goes to (régime-caisse-centre)
        state (FseLotState): Where a lot is: `queued` (in the outbox), `transmitted` (waiting for its ARL), `accepted`
            (ARL+) or `rejected` (ARL−: see `reason`).
        invoices (list[str]): its care sheets
        fse_numbers (list[str]): their FSE numbers
        item (int | None): its outbox item (`GET /v1/outbox/{item}`; `POST …/retry` sends a rejected lot again)
        item_state (None | str): the outbox item's state (`queued`, `sent`, `failed`…)
        last_error (DeliveryError | None): the outbox item's last error (an ARL−'s reason, say)
        reason (None | str): why the insurer rejected it (ARL−)
        rejected (list[str]): the FSE numbers the ARL− names as the cause
        created_at (datetime.datetime): when it was formed
        transmitted_at (datetime.datetime | None): when it was last transmitted
        acknowledged_at (datetime.datetime | None): when its ARL came
    """

    id: str
    number: str
    destination: str
    state: FseLotState
    invoices: list[str]
    fse_numbers: list[str]
    item: int | None
    item_state: None | str
    last_error: DeliveryError | None
    reason: None | str
    rejected: list[str]
    created_at: datetime.datetime
    transmitted_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        id = self.id

        number = self.number

        destination = self.destination

        state = self.state.value

        invoices = self.invoices

        fse_numbers = self.fse_numbers

        item: int | None
        item = self.item

        item_state: None | str
        item_state = self.item_state

        last_error: dict[str, Any] | None
        if isinstance(self.last_error, DeliveryError):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        reason: None | str
        reason = self.reason

        rejected = self.rejected

        created_at = self.created_at.isoformat()

        transmitted_at: None | str
        if isinstance(self.transmitted_at, datetime.datetime):
            transmitted_at = self.transmitted_at.isoformat()
        else:
            transmitted_at = self.transmitted_at

        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "number": number,
                "destination": destination,
                "state": state,
                "invoices": invoices,
                "fse_numbers": fse_numbers,
                "item": item,
                "item_state": item_state,
                "last_error": last_error,
                "reason": reason,
                "rejected": rejected,
                "created_at": created_at,
                "transmitted_at": transmitted_at,
                "acknowledged_at": acknowledged_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        destination = d.pop("destination")

        state = FseLotState(d.pop("state"))

        invoices = cast(list[str], d.pop("invoices"))

        fse_numbers = cast(list[str], d.pop("fse_numbers"))

        def _parse_item(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        item = _parse_item(d.pop("item"))

        def _parse_item_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        item_state = _parse_item_state(d.pop("item_state"))

        def _parse_last_error(data: object) -> DeliveryError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_error_type_0 = DeliveryError.from_dict(data)

                return last_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryError | None, data)

        last_error = _parse_last_error(d.pop("last_error"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        rejected = cast(list[str], d.pop("rejected"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_transmitted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transmitted_at_type_0 = datetime.datetime.fromisoformat(data)

                return transmitted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        transmitted_at = _parse_transmitted_at(d.pop("transmitted_at"))

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        fse_lot = cls(
            id=id,
            number=number,
            destination=destination,
            state=state,
            invoices=invoices,
            fse_numbers=fse_numbers,
            item=item,
            item_state=item_state,
            last_error=last_error,
            reason=reason,
            rejected=rejected,
            created_at=created_at,
            transmitted_at=transmitted_at,
            acknowledged_at=acknowledged_at,
        )

        return fse_lot
