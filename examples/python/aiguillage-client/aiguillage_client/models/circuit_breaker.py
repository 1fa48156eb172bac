from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.circuit_breaker_state import CircuitBreakerState

T = TypeVar("T", bound="CircuitBreaker")


@_attrs_define
class CircuitBreaker:
    """Whether a plugin's deliveries are paused after consecutive transient failures.

    Attributes:
        state (CircuitBreakerState): `closed`: deliveries run; `open`: paused; `half_open`: a probe delivery decides
        consecutive_failures (int): transient failures in a row
        opened_at (datetime.datetime | None): when it last opened; `null` if it never did
    """

    state: CircuitBreakerState
    consecutive_failures: int
    opened_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        consecutive_failures = self.consecutive_failures

        opened_at: None | str
        if isinstance(self.opened_at, datetime.datetime):
            opened_at = self.opened_at.isoformat()
        else:
            opened_at = self.opened_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "consecutive_failures": consecutive_failures,
                "opened_at": opened_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = CircuitBreakerState(d.pop("state"))

        consecutive_failures = d.pop("consecutive_failures")

        def _parse_opened_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                opened_at_type_0 = datetime.datetime.fromisoformat(data)

                return opened_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        opened_at = _parse_opened_at(d.pop("opened_at"))

        circuit_breaker = cls(
            state=state,
            consecutive_failures=consecutive_failures,
            opened_at=opened_at,
        )

        circuit_breaker.additional_properties = d
        return circuit_breaker

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
