from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VsmSend")


@_attrs_define
class VsmSend:
    """A VSM queued for the patient: its outbox item and where it stands.

    Attributes:
        outbox_id (int): its outbox item (`/v1/outbox/{id}`)
        state (str): the item's outbox state (`OutboxState`: `queued`, `sending`, `sent`, `failed`, `dead`, `cancelled`)
        unique_id (str): the document's uniqueId
        queued_at (datetime.datetime): when the EHR asked for it
        sent_at (datetime.datetime | None): when the DMP took it (`null` until it did)
    """

    outbox_id: int
    state: str
    unique_id: str
    queued_at: datetime.datetime
    sent_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outbox_id = self.outbox_id

        state = self.state

        unique_id = self.unique_id

        queued_at = self.queued_at.isoformat()

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outbox_id": outbox_id,
                "state": state,
                "unique_id": unique_id,
                "queued_at": queued_at,
                "sent_at": sent_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outbox_id = d.pop("outbox_id")

        state = d.pop("state")

        unique_id = d.pop("unique_id")

        queued_at = datetime.datetime.fromisoformat(d.pop("queued_at"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        vsm_send = cls(
            outbox_id=outbox_id,
            state=state,
            unique_id=unique_id,
            queued_at=queued_at,
            sent_at=sent_at,
        )

        vsm_send.additional_properties = d
        return vsm_send

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
