from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outbox_state import OutboxState

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError


T = TypeVar("T", bound="OutboxItemEvent")


@_attrs_define
class OutboxItemEvent:
    """`outbox.item`: an outbox item was queued or changed state (to apps with its plugin's scope).

    Attributes:
        type_ (Literal['outbox.item']): the event's type
        time (datetime.datetime): when it happened
        id (int): the item's id
        plugin (str): the plugin concerned
        kind (str): what is sent, e.g. `dmp.document`
        state (OutboxState): Where an outbox item is: `queued` (waiting for its next attempt), `sending` (an attempt is
            under way), `sent` (the receiver has it), `failed` (a permanent error: a human must retry or cancel it), `dead`
            (gave up after its last attempt), `cancelled`.
        attempts (int): attempts so far
        last_error (DeliveryError | None): why the last attempt failed; `null` if none did
    """

    type_: Literal["outbox.item"]
    time: datetime.datetime
    id: int
    plugin: str
    kind: str
    state: OutboxState
    attempts: int
    last_error: DeliveryError | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        type_ = self.type_

        time = self.time.isoformat()

        id = self.id

        plugin = self.plugin

        kind = self.kind

        state = self.state.value

        attempts = self.attempts

        last_error: dict[str, Any] | None
        if isinstance(self.last_error, DeliveryError):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "time": time,
                "id": id,
                "plugin": plugin,
                "kind": kind,
                "state": state,
                "attempts": attempts,
                "last_error": last_error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["outbox.item"], d.pop("type"))
        if type_ != "outbox.item":
            raise ValueError(f"type must match const 'outbox.item', got '{type_}'")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        id = d.pop("id")

        plugin = d.pop("plugin")

        kind = d.pop("kind")

        state = OutboxState(d.pop("state"))

        attempts = d.pop("attempts")

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

        outbox_item_event = cls(
            type_=type_,
            time=time,
            id=id,
            plugin=plugin,
            kind=kind,
            state=state,
            attempts=attempts,
            last_error=last_error,
        )

        outbox_item_event.additional_properties = d
        return outbox_item_event

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
