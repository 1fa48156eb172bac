from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outbox_history_entry_action import OutboxHistoryEntryAction
from ..models.outbox_history_entry_outcome import OutboxHistoryEntryOutcome

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError


T = TypeVar("T", bound="OutboxHistoryEntry")


@_attrs_define
class OutboxHistoryEntry:
    """One thing that happened to an outbox item: an attempt, a retry, a cancel.

    Attributes:
        action (OutboxHistoryEntryAction): a delivery attempt, or a user's retry or cancel
        at (datetime.datetime): when it started
        duration_ms (float | None): how long an attempt took; `null` for a retry, a cancel or an attempt the daemon's
            stop interrupted
        outcome (OutboxHistoryEntryOutcome): an attempt's outcome (`sent`, `already_present`: the receiver had it,
            `transient_error`, `permanent_error`, `interrupted`: the daemon stopped during it), or the state a retry
            (`queued`) or a cancel (`cancelled`) left
        error (DeliveryError | None): why the attempt failed; `null` if it did not
        actor (None | str): who retried or cancelled (`app:<name>`, `cli:<user>`); `null` for an attempt
    """

    action: OutboxHistoryEntryAction
    at: datetime.datetime
    duration_ms: float | None
    outcome: OutboxHistoryEntryOutcome
    error: DeliveryError | None
    actor: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        action = self.action.value

        at = self.at.isoformat()

        duration_ms: float | None
        duration_ms = self.duration_ms

        outcome = self.outcome.value

        error: dict[str, Any] | None
        if isinstance(self.error, DeliveryError):
            error = self.error.to_dict()
        else:
            error = self.error

        actor: None | str
        actor = self.actor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "at": at,
                "duration_ms": duration_ms,
                "outcome": outcome,
                "error": error,
                "actor": actor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415

        d = dict(src_dict)
        action = OutboxHistoryEntryAction(d.pop("action"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_duration_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        outcome = OutboxHistoryEntryOutcome(d.pop("outcome"))

        def _parse_error(data: object) -> DeliveryError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = DeliveryError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryError | None, data)

        error = _parse_error(d.pop("error"))

        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))

        outbox_history_entry = cls(
            action=action,
            at=at,
            duration_ms=duration_ms,
            outcome=outcome,
            error=error,
            actor=actor,
        )

        outbox_history_entry.additional_properties = d
        return outbox_history_entry

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
