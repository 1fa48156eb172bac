from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.plugin_health import PluginHealth


T = TypeVar("T", bound="PluginStatus")


@_attrs_define
class PluginStatus:
    """An installed plugin.

    Attributes:
        name (str): its name: its config table and scope
        version (str): its version
        title (str): what it connects to, in words
        enabled (bool): whether the config enables it
        endpoint (str): `simulator`, or the real service's URL, as configured
        endpoint_url (None | str): the URL it talks to (the simulator's once it runs); `null` when it has none
        api_prefixes (list[str]): the first path segments under `/v1/` it serves
        health (None | PluginHealth): its last health check; `null` when disabled
    """

    name: str
    version: str
    title: str
    enabled: bool
    endpoint: str
    endpoint_url: None | str
    api_prefixes: list[str]
    health: None | PluginHealth
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.plugin_health import PluginHealth  # noqa: PLC0415

        name = self.name

        version = self.version

        title = self.title

        enabled = self.enabled

        endpoint = self.endpoint

        endpoint_url: None | str
        endpoint_url = self.endpoint_url

        api_prefixes = self.api_prefixes

        health: dict[str, Any] | None
        if isinstance(self.health, PluginHealth):
            health = self.health.to_dict()
        else:
            health = self.health

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "title": title,
                "enabled": enabled,
                "endpoint": endpoint,
                "endpoint_url": endpoint_url,
                "api_prefixes": api_prefixes,
                "health": health,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plugin_health import PluginHealth  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        title = d.pop("title")

        enabled = d.pop("enabled")

        endpoint = d.pop("endpoint")

        def _parse_endpoint_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        endpoint_url = _parse_endpoint_url(d.pop("endpoint_url"))

        api_prefixes = cast(list[str], d.pop("api_prefixes"))

        def _parse_health(data: object) -> None | PluginHealth:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                health_type_0 = PluginHealth.from_dict(data)

                return health_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PluginHealth, data)

        health = _parse_health(d.pop("health"))

        plugin_status = cls(
            name=name,
            version=version,
            title=title,
            enabled=enabled,
            endpoint=endpoint,
            endpoint_url=endpoint_url,
            api_prefixes=api_prefixes,
            health=health,
        )

        plugin_status.additional_properties = d
        return plugin_status

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
