from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mssante_receipt import MssanteReceipt
    from ..models.mssante_sent_message_last_error_type_0 import MssanteSentMessageLastErrorType0


T = TypeVar("T", bound="MssanteSentMessage")


@_attrs_define
class MssanteSentMessage:
    """
    Attributes:
        id (int): the outbox item's id
        message_id (str): the RFC 5322 Message-ID
        state (str): the outbox item's state (`queued`, `sending`, `sent`, `failed`…)
        from_ (str):
        to (list[str]):
        cc (list[str]):
        subject (str):
        receipt (MssanteReceipt):
        last_error (MssanteSentMessageLastErrorType0 | None | Unset):
        patient (None | str | Unset): the patient's INS
        sent_folder (None | str | Unset): `copied` once in the mailbox's Sent folder
    """

    id: int
    message_id: str
    state: str
    from_: str
    to: list[str]
    cc: list[str]
    subject: str
    receipt: MssanteReceipt
    last_error: MssanteSentMessageLastErrorType0 | None | Unset = UNSET
    patient: None | str | Unset = UNSET
    sent_folder: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.mssante_sent_message_last_error_type_0 import MssanteSentMessageLastErrorType0  # noqa: PLC0415

        id = self.id

        message_id = self.message_id

        state = self.state

        from_ = self.from_

        to = self.to

        cc = self.cc

        subject = self.subject

        receipt = self.receipt.to_dict()

        last_error: dict[str, Any] | None | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        elif isinstance(self.last_error, MssanteSentMessageLastErrorType0):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        patient: None | str | Unset
        if isinstance(self.patient, Unset):
            patient = UNSET
        else:
            patient = self.patient

        sent_folder: None | str | Unset
        if isinstance(self.sent_folder, Unset):
            sent_folder = UNSET
        else:
            sent_folder = self.sent_folder

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "message_id": message_id,
                "state": state,
                "from": from_,
                "to": to,
                "cc": cc,
                "subject": subject,
                "receipt": receipt,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if patient is not UNSET:
            field_dict["patient"] = patient
        if sent_folder is not UNSET:
            field_dict["sent_folder"] = sent_folder

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_receipt import MssanteReceipt  # noqa: PLC0415
        from ..models.mssante_sent_message_last_error_type_0 import MssanteSentMessageLastErrorType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        message_id = d.pop("message_id")

        state = d.pop("state")

        from_ = d.pop("from")

        to = cast(list[str], d.pop("to"))

        cc = cast(list[str], d.pop("cc"))

        subject = d.pop("subject")

        receipt = MssanteReceipt.from_dict(d.pop("receipt"))

        def _parse_last_error(data: object) -> MssanteSentMessageLastErrorType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_error_type_0 = MssanteSentMessageLastErrorType0.from_dict(data)

                return last_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MssanteSentMessageLastErrorType0 | None | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        def _parse_patient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        patient = _parse_patient(d.pop("patient", UNSET))

        def _parse_sent_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sent_folder = _parse_sent_folder(d.pop("sent_folder", UNSET))

        mssante_sent_message = cls(
            id=id,
            message_id=message_id,
            state=state,
            from_=from_,
            to=to,
            cc=cc,
            subject=subject,
            receipt=receipt,
            last_error=last_error,
            patient=patient,
            sent_folder=sent_folder,
        )

        return mssante_sent_message
