from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plugin_health_status import PluginHealthStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plugin_health_extra import PluginHealthExtra


T = TypeVar("T", bound="PluginHealth")


@_attrs_define
class PluginHealth:
    """A plugin's last health check.

    Attributes:
        status (PluginHealthStatus): `up`; `degraded` (works, but something needs attention soon: a certificate about to
            expire…); `down`; `unknown` before the first check
        detail (str): what the check found, in words
        latency_ms (float | None | Unset): how long reaching the service took, when the check measured it
        checked_at (datetime.datetime | None | Unset): when the check ran
        extra (PluginHealthExtra | Unset): the plugin's own findings, e.g. `<certificate key>_days_left`
    """

    status: PluginHealthStatus
    detail: str
    latency_ms: float | None | Unset = UNSET
    checked_at: datetime.datetime | None | Unset = UNSET
    extra: PluginHealthExtra | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        detail = self.detail

        latency_ms: float | None | Unset
        if isinstance(self.latency_ms, Unset):
            latency_ms = UNSET
        else:
            latency_ms = self.latency_ms

        checked_at: None | str | Unset
        if isinstance(self.checked_at, Unset):
            checked_at = UNSET
        elif isinstance(self.checked_at, datetime.datetime):
            checked_at = self.checked_at.isoformat()
        else:
            checked_at = self.checked_at

        extra: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra, Unset):
            extra = self.extra.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "detail": detail,
            }
        )
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if checked_at is not UNSET:
            field_dict["checked_at"] = checked_at
        if extra is not UNSET:
            field_dict["extra"] = extra

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plugin_health_extra import PluginHealthExtra  # noqa: PLC0415

        d = dict(src_dict)
        status = PluginHealthStatus(d.pop("status"))

        detail = d.pop("detail")

        def _parse_latency_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms", UNSET))

        def _parse_checked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        checked_at = _parse_checked_at(d.pop("checked_at", UNSET))

        _extra = d.pop("extra", UNSET)
        extra: PluginHealthExtra | Unset
        if isinstance(_extra, Unset):
            extra = UNSET
        else:
            extra = PluginHealthExtra.from_dict(_extra)

        plugin_health = cls(
            status=status,
            detail=detail,
            latency_ms=latency_ms,
            checked_at=checked_at,
            extra=extra,
        )

        plugin_health.additional_properties = d
        return plugin_health

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
