from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.certificate_expiry import CertificateExpiry
    from ..models.circuit_breaker import CircuitBreaker
    from ..models.plugin_health import PluginHealth
    from ..models.plugin_outcome import PluginOutcome


T = TypeVar("T", bound="PluginStatus")


@_attrs_define
class PluginStatus:
    """An installed plugin.

    Attributes:
        name (str): its name: its config table and scope
        version (str): its version
        title (str): what it connects to, in words
        enabled (bool): whether it is switched on (its API answers, its sends go out)
        endpoint (str): `simulator`, or the real service's URL, as configured
        endpoint_url (None | str): the URL it talks to (the simulator's once it runs); `null` when it has none
        api_prefixes (list[str]): the first path segments under `/v1/` it serves
        health (None | PluginHealth): its last health check; `null` when disabled
        certificate (CertificateExpiry | None): the certificate it uses that expires first (the test PKI's with a
            simulator); `null` when it uses none or it cannot be read
        last_success (None | PluginOutcome): its last exchange that did what was asked; `null` if none is journaled
        last_failure (None | PluginOutcome): its last exchange that failed or was refused; `null` if none is journaled
        breaker (CircuitBreaker | None): the circuit breaker of its deliveries; `null` when it delivers no sends or is
            disabled
    """

    name: str
    version: str
    title: str
    enabled: bool
    endpoint: str
    endpoint_url: None | str
    api_prefixes: list[str]
    health: None | PluginHealth
    certificate: CertificateExpiry | None
    last_success: None | PluginOutcome
    last_failure: None | PluginOutcome
    breaker: CircuitBreaker | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.certificate_expiry import CertificateExpiry  # noqa: PLC0415
        from ..models.circuit_breaker import CircuitBreaker  # noqa: PLC0415
        from ..models.plugin_health import PluginHealth  # noqa: PLC0415
        from ..models.plugin_outcome import PluginOutcome  # noqa: PLC0415

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

        certificate: dict[str, Any] | None
        if isinstance(self.certificate, CertificateExpiry):
            certificate = self.certificate.to_dict()
        else:
            certificate = self.certificate

        last_success: dict[str, Any] | None
        if isinstance(self.last_success, PluginOutcome):
            last_success = self.last_success.to_dict()
        else:
            last_success = self.last_success

        last_failure: dict[str, Any] | None
        if isinstance(self.last_failure, PluginOutcome):
            last_failure = self.last_failure.to_dict()
        else:
            last_failure = self.last_failure

        breaker: dict[str, Any] | None
        if isinstance(self.breaker, CircuitBreaker):
            breaker = self.breaker.to_dict()
        else:
            breaker = self.breaker

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
                "certificate": certificate,
                "last_success": last_success,
                "last_failure": last_failure,
                "breaker": breaker,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.certificate_expiry import CertificateExpiry  # noqa: PLC0415
        from ..models.circuit_breaker import CircuitBreaker  # noqa: PLC0415
        from ..models.plugin_health import PluginHealth  # noqa: PLC0415
        from ..models.plugin_outcome import PluginOutcome  # noqa: PLC0415

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

        def _parse_certificate(data: object) -> CertificateExpiry | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                certificate_type_0 = CertificateExpiry.from_dict(data)

                return certificate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CertificateExpiry | None, data)

        certificate = _parse_certificate(d.pop("certificate"))

        def _parse_last_success(data: object) -> None | PluginOutcome:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_success_type_0 = PluginOutcome.from_dict(data)

                return last_success_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PluginOutcome, data)

        last_success = _parse_last_success(d.pop("last_success"))

        def _parse_last_failure(data: object) -> None | PluginOutcome:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_failure_type_0 = PluginOutcome.from_dict(data)

                return last_failure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PluginOutcome, data)

        last_failure = _parse_last_failure(d.pop("last_failure"))

        def _parse_breaker(data: object) -> CircuitBreaker | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                breaker_type_0 = CircuitBreaker.from_dict(data)

                return breaker_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CircuitBreaker | None, data)

        breaker = _parse_breaker(d.pop("breaker"))

        plugin_status = cls(
            name=name,
            version=version,
            title=title,
            enabled=enabled,
            endpoint=endpoint,
            endpoint_url=endpoint_url,
            api_prefixes=api_prefixes,
            health=health,
            certificate=certificate,
            last_success=last_success,
            last_failure=last_failure,
            breaker=breaker,
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
