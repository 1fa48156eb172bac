from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.mssante_receipt_state import MssanteReceiptState

if TYPE_CHECKING:
    from ..models.mssante_recipient_receipt import MssanteRecipientReceipt


T = TypeVar("T", bound="MssanteReceipt")


@_attrs_define
class MssanteReceipt:
    """
    Attributes:
        requested (bool):
        state (MssanteReceiptState): `requested` until every recipient's software answered; `processed` then; `error`
            when one could not take the message in (`code` and `label` say why)
        code (None | str):
        label (None | str):
        at (datetime.datetime | None):
        receipts (list[MssanteRecipientReceipt]):
    """

    requested: bool
    state: MssanteReceiptState
    code: None | str
    label: None | str
    at: datetime.datetime | None
    receipts: list[MssanteRecipientReceipt]

    def to_dict(self) -> dict[str, Any]:
        requested = self.requested

        state = self.state.value

        code: None | str
        code = self.code

        label: None | str
        label = self.label

        at: None | str
        if isinstance(self.at, datetime.datetime):
            at = self.at.isoformat()
        else:
            at = self.at

        receipts = []
        for receipts_item_data in self.receipts:
            receipts_item = receipts_item_data.to_dict()
            receipts.append(receipts_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "requested": requested,
                "state": state,
                "code": code,
                "label": label,
                "at": at,
                "receipts": receipts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_recipient_receipt import MssanteRecipientReceipt  # noqa: PLC0415

        d = dict(src_dict)
        requested = d.pop("requested")

        state = MssanteReceiptState(d.pop("state"))

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))

        def _parse_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                at_type_0 = datetime.datetime.fromisoformat(data)

                return at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        at = _parse_at(d.pop("at"))

        receipts = []
        _receipts = d.pop("receipts")
        for receipts_item_data in _receipts:
            receipts_item = MssanteRecipientReceipt.from_dict(receipts_item_data)

            receipts.append(receipts_item)

        mssante_receipt = cls(
            requested=requested,
            state=state,
            code=code,
            label=label,
            at=at,
            receipts=receipts,
        )

        return mssante_receipt
