from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_state import HealthState

T = TypeVar("T", bound="PluginHealthEvent")


@_attrs_define
class PluginHealthEvent:
    """`plugin.health`: a plugin's health status changed (and once per plugin at start-up); to every app.

    Attributes:
        type_ (Literal['plugin.health']): the event's type
        time (datetime.datetime): when it happened
        plugin (str): the plugin concerned
        status (HealthState): a plugin's health: `up`, `down` or `degraded`
        detail (str): what the check found, in words
        previous (HealthState | None): its health before; `null` at the first check
    """

    type_: Literal["plugin.health"]
    time: datetime.datetime
    plugin: str
    status: HealthState
    detail: str
    previous: HealthState | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        time = self.time.isoformat()

        plugin = self.plugin

        status = self.status.value

        detail = self.detail

        previous: None | str
        if isinstance(self.previous, HealthState):
            previous = self.previous.value
        else:
            previous = self.previous

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "time": time,
                "plugin": plugin,
                "status": status,
                "detail": detail,
                "previous": previous,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["plugin.health"], d.pop("type"))
        if type_ != "plugin.health":
            raise ValueError(f"type must match const 'plugin.health', got '{type_}'")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        plugin = d.pop("plugin")

        status = HealthState(d.pop("status"))

        detail = d.pop("detail")

        def _parse_previous(data: object) -> HealthState | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_type_0 = HealthState(data)

                return previous_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HealthState | None, data)

        previous = _parse_previous(d.pop("previous"))

        plugin_health_event = cls(
            type_=type_,
            time=time,
            plugin=plugin,
            status=status,
            detail=detail,
            previous=previous,
        )

        plugin_health_event.additional_properties = d
        return plugin_health_event

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
