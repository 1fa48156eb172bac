from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.outbox_failing_event_error import OutboxFailingEventError


T = TypeVar("T", bound="OutboxFailingEvent")


@_attrs_define
class OutboxFailingEvent:
    """`outbox.failing`: a plugin's circuit breaker opened: its deliveries are paused (once per outage).

    Attributes:
        type_ (Literal['outbox.failing']): the event's type
        time (datetime.datetime): when it happened
        plugin (str): the plugin concerned
        error (OutboxFailingEventError): the failure that opened it
        detail (str): how many failures, when the next probe
    """

    type_: Literal["outbox.failing"]
    time: datetime.datetime
    plugin: str
    error: OutboxFailingEventError
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        time = self.time.isoformat()

        plugin = self.plugin

        error = self.error.to_dict()

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "time": time,
                "plugin": plugin,
                "error": error,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.outbox_failing_event_error import OutboxFailingEventError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["outbox.failing"], d.pop("type"))
        if type_ != "outbox.failing":
            raise ValueError(f"type must match const 'outbox.failing', got '{type_}'")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        plugin = d.pop("plugin")

        error = OutboxFailingEventError.from_dict(d.pop("error"))

        detail = d.pop("detail")

        outbox_failing_event = cls(
            type_=type_,
            time=time,
            plugin=plugin,
            error=error,
            detail=detail,
        )

        outbox_failing_event.additional_properties = d
        return outbox_failing_event

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
