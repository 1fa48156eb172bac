from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outbox_state import OutboxState

if TYPE_CHECKING:
    from ..models.delivery_error import DeliveryError
    from ..models.delivery_result import DeliveryResult
    from ..models.outbox_attachment import OutboxAttachment


T = TypeVar("T", bound="SendOutcome")


@_attrs_define
class SendOutcome:
    """A send whose delivery ended within `wait`: its outbox item, `sent` (with the receiver's `result`), `failed` (refused
    for good: a human must act, `last_error` says why) or `dead` (gave up after its attempts), or `cancelled`;
    `location` is the item.

        Attributes:
            id (int): the item's id
            plugin (str): the plugin that delivers it
            kind (str): what is sent, e.g. `dmp.document`
            state (OutboxState): Where an outbox item is: `queued` (waiting for its next attempt), `sending` (an attempt is
                under way), `sent` (the receiver has it), `failed` (a permanent error: a human must retry or cancel it), `dead`
                (gave up after its last attempt), `cancelled`.
            attempts (int): delivery attempts since it was queued (or last retried)
            external_id (str): the identifier the receiver sees (an XDS uniqueId, a Message-ID)
            client (None | str): the app that queued it
            request_id (None | str): the X-Request-Id of the request that queued it
            patient (None | str): the INS (matricule) of the patient the send is about
            created_at (datetime.datetime): when it was queued
            updated_at (datetime.datetime): when its state last changed
            next_attempt_at (datetime.datetime | None): when its next attempt is due; `null` unless `queued`
            sent_at (datetime.datetime | None): when the receiver took it
            last_error (DeliveryError | None): why the last attempt failed; `null` if none did
            result (DeliveryResult | None): what the receiver answered; `null` until `sent`
            payload_purged (bool): its payload and attachments were purged after the retention period (`[outbox]
                payload_retention_days`); the metadata stays
            attachments (list[OutboxAttachment]): the files it sends, in order
            location (str): the outbox item, `/v1/outbox/{id}` (also the `Location` header)
    """

    id: int
    plugin: str
    kind: str
    state: OutboxState
    attempts: int
    external_id: str
    client: None | str
    request_id: None | str
    patient: None | str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    last_error: DeliveryError | None
    result: DeliveryResult | None
    payload_purged: bool
    attachments: list[OutboxAttachment]
    location: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415
        from ..models.delivery_result import DeliveryResult  # noqa: PLC0415

        id = self.id

        plugin = self.plugin

        kind = self.kind

        state = self.state.value

        attempts = self.attempts

        external_id = self.external_id

        client: None | str
        client = self.client

        request_id: None | str
        request_id = self.request_id

        patient: None | str
        patient = self.patient

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        last_error: dict[str, Any] | None
        if isinstance(self.last_error, DeliveryError):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        result: dict[str, Any] | None
        if isinstance(self.result, DeliveryResult):
            result = self.result.to_dict()
        else:
            result = self.result

        payload_purged = self.payload_purged

        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)

        location = self.location

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "plugin": plugin,
                "kind": kind,
                "state": state,
                "attempts": attempts,
                "external_id": external_id,
                "client": client,
                "request_id": request_id,
                "patient": patient,
                "created_at": created_at,
                "updated_at": updated_at,
                "next_attempt_at": next_attempt_at,
                "sent_at": sent_at,
                "last_error": last_error,
                "result": result,
                "payload_purged": payload_purged,
                "attachments": attachments,
                "location": location,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError  # noqa: PLC0415
        from ..models.delivery_result import DeliveryResult  # noqa: PLC0415
        from ..models.outbox_attachment import OutboxAttachment  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        plugin = d.pop("plugin")

        kind = d.pop("kind")

        state = OutboxState(d.pop("state"))

        attempts = d.pop("attempts")

        external_id = d.pop("external_id")

        def _parse_client(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client = _parse_client(d.pop("client"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_patient(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        patient = _parse_patient(d.pop("patient"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        def _parse_last_error(data: object) -> DeliveryError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_error_type_0 = DeliveryError.from_dict(data)

                return last_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryError | None, data)

        last_error = _parse_last_error(d.pop("last_error"))

        def _parse_result(data: object) -> DeliveryResult | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = DeliveryResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliveryResult | None, data)

        result = _parse_result(d.pop("result"))

        payload_purged = d.pop("payload_purged")

        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in _attachments:
            attachments_item = OutboxAttachment.from_dict(attachments_item_data)

            attachments.append(attachments_item)

        location = d.pop("location")

        send_outcome = cls(
            id=id,
            plugin=plugin,
            kind=kind,
            state=state,
            attempts=attempts,
            external_id=external_id,
            client=client,
            request_id=request_id,
            patient=patient,
            created_at=created_at,
            updated_at=updated_at,
            next_attempt_at=next_attempt_at,
            sent_at=sent_at,
            last_error=last_error,
            result=result,
            payload_purged=payload_purged,
            attachments=attachments,
            location=location,
        )

        send_outcome.additional_properties = d
        return send_outcome

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
