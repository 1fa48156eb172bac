from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ins_history_call_type import InsHistoryCallType

T = TypeVar("T", bound="InsHistoryCall")


@_attrs_define
class InsHistoryCall:
    """One INSi call, as journaled.

    Attributes:
        time (datetime.datetime): when the call ended (RFC 3339, UTC)
        type_ (InsHistoryCallType): the journal event: a search or a verification
        outcome (str): `cr00`, `cr01`, `cr02`, or the failure: the fault's code (`insi_101`, `desir_1020`…),
            `InsiTimeout`, `InsiUnavailable`
        request_summary (str): what was asked
        response_summary (str): what INSi answered
        practitioner (None | str): who acted (given and family names)
        request_id (None | str): the id of the API request that made the call
    """

    time: datetime.datetime
    type_: InsHistoryCallType
    outcome: str
    request_summary: str
    response_summary: str
    practitioner: None | str
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        time = self.time.isoformat()

        type_ = self.type_.value

        outcome = self.outcome

        request_summary = self.request_summary

        response_summary = self.response_summary

        practitioner: None | str
        practitioner = self.practitioner

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "time": time,
                "type": type_,
                "outcome": outcome,
                "request_summary": request_summary,
                "response_summary": response_summary,
                "practitioner": practitioner,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = datetime.datetime.fromisoformat(d.pop("time"))

        type_ = InsHistoryCallType(d.pop("type"))

        outcome = d.pop("outcome")

        request_summary = d.pop("request_summary")

        response_summary = d.pop("response_summary")

        def _parse_practitioner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        practitioner = _parse_practitioner(d.pop("practitioner"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        ins_history_call = cls(
            time=time,
            type_=type_,
            outcome=outcome,
            request_summary=request_summary,
            response_summary=response_summary,
            practitioner=practitioner,
            request_id=request_id,
        )

        ins_history_call.additional_properties = d
        return ins_history_call

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
