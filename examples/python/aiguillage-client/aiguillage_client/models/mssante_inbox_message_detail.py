from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.mssante_inbox_message_detail_attachments_item import MssanteInboxMessageDetailAttachmentsItem
    from ..models.mssante_inbox_message_detail_body import MssanteInboxMessageDetailBody
    from ..models.mssante_received_document import MssanteReceivedDocument
    from ..models.mssante_received_patient import MssanteReceivedPatient


T = TypeVar("T", bound="MssanteInboxMessageDetail")


@_attrs_define
class MssanteInboxMessageDetail:
    """
    Attributes:
        id (int):
        received_at (datetime.datetime): RFC 3339, with offset
        date (datetime.datetime | None):
        message_id (None | str):
        from_ (None | str):
        subject (None | str):
        patient (MssanteReceivedPatient | None):
        unread (bool):
        contains_biology (bool): holds a biology report (CR-BIO)
        abnormal (bool): a result is flagged abnormal
        critical (bool): a result is flagged critical (HH, LL, AA…): show it at once
        documents (list[MssanteReceivedDocument]):
        package_error (None | str): why the IHE_XDM.ZIP package could not be read (the message is kept)
        receipt_requested (bool):
        acknowledged (None | str): the receipt sent (`processed` or `error`), if any
        to (list[str]):
        cc (list[str]):
        headers (list[list[str]]): the message's headers, in order
        body (MssanteInboxMessageDetailBody):
        attachments (list[MssanteInboxMessageDetailAttachmentsItem]): the message's attachments, the `IHE_XDM.ZIP`
            package among them
    """

    id: int
    received_at: datetime.datetime
    date: datetime.datetime | None
    message_id: None | str
    from_: None | str
    subject: None | str
    patient: MssanteReceivedPatient | None
    unread: bool
    contains_biology: bool
    abnormal: bool
    critical: bool
    documents: list[MssanteReceivedDocument]
    package_error: None | str
    receipt_requested: bool
    acknowledged: None | str
    to: list[str]
    cc: list[str]
    headers: list[list[str]]
    body: MssanteInboxMessageDetailBody
    attachments: list[MssanteInboxMessageDetailAttachmentsItem]

    def to_dict(self) -> dict[str, Any]:
        from ..models.mssante_received_patient import MssanteReceivedPatient  # noqa: PLC0415

        id = self.id

        received_at = self.received_at.isoformat()

        date: None | str
        if isinstance(self.date, datetime.datetime):
            date = self.date.isoformat()
        else:
            date = self.date

        message_id: None | str
        message_id = self.message_id

        from_: None | str
        from_ = self.from_

        subject: None | str
        subject = self.subject

        patient: dict[str, Any] | None
        if isinstance(self.patient, MssanteReceivedPatient):
            patient = self.patient.to_dict()
        else:
            patient = self.patient

        unread = self.unread

        contains_biology = self.contains_biology

        abnormal = self.abnormal

        critical = self.critical

        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)

        package_error: None | str
        package_error = self.package_error

        receipt_requested = self.receipt_requested

        acknowledged: None | str
        acknowledged = self.acknowledged

        to = self.to

        cc = self.cc

        headers = []
        for headers_item_data in self.headers:
            headers_item = []
            for headers_item_item_data in headers_item_data:
                headers_item_item: str
                headers_item_item = headers_item_item_data
                headers_item.append(headers_item_item)

            headers.append(headers_item)

        body = self.body.to_dict()

        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "received_at": received_at,
                "date": date,
                "message_id": message_id,
                "from": from_,
                "subject": subject,
                "patient": patient,
                "unread": unread,
                "contains_biology": contains_biology,
                "abnormal": abnormal,
                "critical": critical,
                "documents": documents,
                "package_error": package_error,
                "receipt_requested": receipt_requested,
                "acknowledged": acknowledged,
                "to": to,
                "cc": cc,
                "headers": headers,
                "body": body,
                "attachments": attachments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_inbox_message_detail_attachments_item import MssanteInboxMessageDetailAttachmentsItem  # noqa: PLC0415
        from ..models.mssante_inbox_message_detail_body import MssanteInboxMessageDetailBody  # noqa: PLC0415
        from ..models.mssante_received_document import MssanteReceivedDocument  # noqa: PLC0415
        from ..models.mssante_received_patient import MssanteReceivedPatient  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        def _parse_date(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.datetime.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        date = _parse_date(d.pop("date"))

        def _parse_message_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message_id = _parse_message_id(d.pop("message_id"))

        def _parse_from_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_ = _parse_from_(d.pop("from"))

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        def _parse_patient(data: object) -> MssanteReceivedPatient | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                patient_type_0 = MssanteReceivedPatient.from_dict(data)

                return patient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MssanteReceivedPatient | None, data)

        patient = _parse_patient(d.pop("patient"))

        unread = d.pop("unread")

        contains_biology = d.pop("contains_biology")

        abnormal = d.pop("abnormal")

        critical = d.pop("critical")

        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = MssanteReceivedDocument.from_dict(documents_item_data)

            documents.append(documents_item)

        def _parse_package_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        package_error = _parse_package_error(d.pop("package_error"))

        receipt_requested = d.pop("receipt_requested")

        def _parse_acknowledged(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged = _parse_acknowledged(d.pop("acknowledged"))

        to = cast(list[str], d.pop("to"))

        cc = cast(list[str], d.pop("cc"))

        headers = []
        _headers = d.pop("headers")
        for headers_item_data in _headers:
            headers_item = []
            _headers_item = headers_item_data
            for headers_item_item_data in _headers_item:

                def _parse_headers_item_item(data: object) -> str:
                    return cast(str, data)

                headers_item_item = _parse_headers_item_item(headers_item_item_data)

                headers_item.append(headers_item_item)

            headers.append(headers_item)

        body = MssanteInboxMessageDetailBody.from_dict(d.pop("body"))

        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in _attachments:
            attachments_item = MssanteInboxMessageDetailAttachmentsItem.from_dict(attachments_item_data)

            attachments.append(attachments_item)

        mssante_inbox_message_detail = cls(
            id=id,
            received_at=received_at,
            date=date,
            message_id=message_id,
            from_=from_,
            subject=subject,
            patient=patient,
            unread=unread,
            contains_biology=contains_biology,
            abnormal=abnormal,
            critical=critical,
            documents=documents,
            package_error=package_error,
            receipt_requested=receipt_requested,
            acknowledged=acknowledged,
            to=to,
            cc=cc,
            headers=headers,
            body=body,
            attachments=attachments,
        )

        return mssante_inbox_message_detail
