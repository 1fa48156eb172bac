from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PluginSwitchedEvent")


@_attrs_define
class PluginSwitchedEvent:
    """`plugin.switched`: a plugin was switched on or off (`PUT /v1/plugins/{name}`); to every app.

    Attributes:
        type_ (Literal['plugin.switched']): the event's type
        time (datetime.datetime): when it happened
        plugin (str): the plugin concerned
        enabled (bool): whether it runs now
        previous (bool): whether it ran before
        client (str): the app that switched it
    """

    type_: Literal["plugin.switched"]
    time: datetime.datetime
    plugin: str
    enabled: bool
    previous: bool
    client: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        time = self.time.isoformat()

        plugin = self.plugin

        enabled = self.enabled

        previous = self.previous

        client = self.client

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "time": time,
                "plugin": plugin,
                "enabled": enabled,
                "previous": previous,
                "client": client,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["plugin.switched"], d.pop("type"))
        if type_ != "plugin.switched":
            raise ValueError(f"type must match const 'plugin.switched', got '{type_}'")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        plugin = d.pop("plugin")

        enabled = d.pop("enabled")

        previous = d.pop("previous")

        client = d.pop("client")

        plugin_switched_event = cls(
            type_=type_,
            time=time,
            plugin=plugin,
            enabled=enabled,
            previous=previous,
            client=client,
        )

        plugin_switched_event.additional_properties = d
        return plugin_switched_event

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
