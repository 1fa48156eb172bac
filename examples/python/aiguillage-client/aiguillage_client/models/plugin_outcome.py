from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PluginOutcome")


@_attrs_define
class PluginOutcome:
    """One exchange of the plugin with its service, as the journal holds it.

    Attributes:
        time (datetime.datetime): when it ended
        event (str): the journal event, e.g. `ins.search`
        outcome (str): the journal outcome: `ok`, a service's code or an error code
        summary (None | str): what happened, in words, as the journal says it (it may name a patient): `null` for an app
            without the `journal` scope
    """

    time: datetime.datetime
    event: str
    outcome: str
    summary: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        time = self.time.isoformat()

        event = self.event

        outcome = self.outcome

        summary: None | str
        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "time": time,
                "event": event,
                "outcome": outcome,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = datetime.datetime.fromisoformat(d.pop("time"))

        event = d.pop("event")

        outcome = d.pop("outcome")

        def _parse_summary(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        summary = _parse_summary(d.pop("summary"))

        plugin_outcome = cls(
            time=time,
            event=event,
            outcome=outcome,
            summary=summary,
        )

        plugin_outcome.additional_properties = d
        return plugin_outcome

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
