from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OutboxRecoveredEvent")


@_attrs_define
class OutboxRecoveredEvent:
    """`outbox.recovered`: a probe delivery succeeded after an outage: deliveries resume (once per outage).

    Attributes:
        type_ (Literal['outbox.recovered']): the event's type
        time (datetime.datetime): when it happened
        plugin (str): the plugin concerned
    """

    type_: Literal["outbox.recovered"]
    time: datetime.datetime
    plugin: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        time = self.time.isoformat()

        plugin = self.plugin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "time": time,
                "plugin": plugin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["outbox.recovered"], d.pop("type"))
        if type_ != "outbox.recovered":
            raise ValueError(f"type must match const 'outbox.recovered', got '{type_}'")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        plugin = d.pop("plugin")

        outbox_recovered_event = cls(
            type_=type_,
            time=time,
            plugin=plugin,
        )

        outbox_recovered_event.additional_properties = d
        return outbox_recovered_event

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
