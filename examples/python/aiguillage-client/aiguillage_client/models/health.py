from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus

if TYPE_CHECKING:
    from ..models.health_outbox import HealthOutbox
    from ..models.health_plugins import HealthPlugins


T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """The daemon and each enabled plugin's health.

    Attributes:
        status (HealthStatus): `ok` when every enabled plugin is up
        version (str): the daemon's version
        contract (str): the plugin contract version
        uptime_s (float): seconds since the daemon started (a duration, not a time)
        plugins (HealthPlugins): each enabled plugin's health, by name
        outbox (HealthOutbox): by plugin that delivers sends: its circuit breaker and its items by state
    """

    status: HealthStatus
    version: str
    contract: str
    uptime_s: float
    plugins: HealthPlugins
    outbox: HealthOutbox
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        version = self.version

        contract = self.contract

        uptime_s = self.uptime_s

        plugins = self.plugins.to_dict()

        outbox = self.outbox.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "version": version,
                "contract": contract,
                "uptime_s": uptime_s,
                "plugins": plugins,
                "outbox": outbox,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_outbox import HealthOutbox  # noqa: PLC0415
        from ..models.health_plugins import HealthPlugins  # noqa: PLC0415

        d = dict(src_dict)
        status = HealthStatus(d.pop("status"))

        version = d.pop("version")

        contract = d.pop("contract")

        uptime_s = d.pop("uptime_s")

        plugins = HealthPlugins.from_dict(d.pop("plugins"))

        outbox = HealthOutbox.from_dict(d.pop("outbox"))

        health = cls(
            status=status,
            version=version,
            contract=contract,
            uptime_s=uptime_s,
            plugins=plugins,
            outbox=outbox,
        )

        health.additional_properties = d
        return health

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
