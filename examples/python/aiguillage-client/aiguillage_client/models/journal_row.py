from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JournalRow")


@_attrs_define
class JournalRow:
    """One row of the journal.

    Attributes:
        seq (int): the row's number in the journal
        time (datetime.datetime): when it was recorded (UTC, to the microsecond)
        request_id (None | str): the X-Request-Id it belongs to
        client (None | str): the app whose request it is
        practitioner_id (None | str): who acted: national id
        practitioner_name (None | str): who acted: name
        patient_ins (None | str): the patient's INS (matricule)
        patient_name (None | str): the patient's names
        event (str): its type (`ins.search`, `dmp.document.sent`, `ins.view`…: docs/api.md lists the daemon's)
        outcome (str): how it ended: `ok`, `pending`, an error code…
        summary (str): what happened, in words
        request (None | str): what was sent (JSON or text), cut to `[journal] max_exchange_bytes`
        response (None | str): what came back (JSON or text), cut the same way
        hash_ (str): the row's SHA-256 chained to the previous row's (`aiguillage journal verify` checks the chain)
    """

    seq: int
    time: datetime.datetime
    request_id: None | str
    client: None | str
    practitioner_id: None | str
    practitioner_name: None | str
    patient_ins: None | str
    patient_name: None | str
    event: str
    outcome: str
    summary: str
    request: None | str
    response: None | str
    hash_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        time = self.time.isoformat()

        request_id: None | str
        request_id = self.request_id

        client: None | str
        client = self.client

        practitioner_id: None | str
        practitioner_id = self.practitioner_id

        practitioner_name: None | str
        practitioner_name = self.practitioner_name

        patient_ins: None | str
        patient_ins = self.patient_ins

        patient_name: None | str
        patient_name = self.patient_name

        event = self.event

        outcome = self.outcome

        summary = self.summary

        request: None | str
        request = self.request

        response: None | str
        response = self.response

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "time": time,
                "request_id": request_id,
                "client": client,
                "practitioner_id": practitioner_id,
                "practitioner_name": practitioner_name,
                "patient_ins": patient_ins,
                "patient_name": patient_name,
                "event": event,
                "outcome": outcome,
                "summary": summary,
                "request": request,
                "response": response,
                "hash": hash_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_client(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client = _parse_client(d.pop("client"))

        def _parse_practitioner_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        practitioner_id = _parse_practitioner_id(d.pop("practitioner_id"))

        def _parse_practitioner_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        practitioner_name = _parse_practitioner_name(d.pop("practitioner_name"))

        def _parse_patient_ins(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        patient_ins = _parse_patient_ins(d.pop("patient_ins"))

        def _parse_patient_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        patient_name = _parse_patient_name(d.pop("patient_name"))

        event = d.pop("event")

        outcome = d.pop("outcome")

        summary = d.pop("summary")

        def _parse_request(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request = _parse_request(d.pop("request"))

        def _parse_response(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response = _parse_response(d.pop("response"))

        hash_ = d.pop("hash")

        journal_row = cls(
            seq=seq,
            time=time,
            request_id=request_id,
            client=client,
            practitioner_id=practitioner_id,
            practitioner_name=practitioner_name,
            patient_ins=patient_ins,
            patient_name=patient_name,
            event=event,
            outcome=outcome,
            summary=summary,
            request=request,
            response=response,
            hash_=hash_,
        )

        journal_row.additional_properties = d
        return journal_row

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
