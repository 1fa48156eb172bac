from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.circuit_breaker import CircuitBreaker
    from ..models.outbox_counts import OutboxCounts


T = TypeVar("T", bound="OutboxHealth")


@_attrs_define
class OutboxHealth:
    """A plugin's deliveries.

    Attributes:
        breaker (CircuitBreaker): Whether a plugin's deliveries are paused after consecutive transient failures.
        items (OutboxCounts): How many items are in each outbox state; a state none is in is left out.
    """

    breaker: CircuitBreaker
    items: OutboxCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breaker = self.breaker.to_dict()

        items = self.items.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breaker": breaker,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.circuit_breaker import CircuitBreaker  # noqa: PLC0415
        from ..models.outbox_counts import OutboxCounts  # noqa: PLC0415

        d = dict(src_dict)
        breaker = CircuitBreaker.from_dict(d.pop("breaker"))

        items = OutboxCounts.from_dict(d.pop("items"))

        outbox_health = cls(
            breaker=breaker,
            items=items,
        )

        outbox_health.additional_properties = d
        return outbox_health

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
