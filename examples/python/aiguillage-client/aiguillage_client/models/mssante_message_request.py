from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mssante_body import MssanteBody
    from ..models.mssante_cda_document import MssanteCdaDocument
    from ..models.mssante_pdf_document import MssantePdfDocument
    from ..models.patient import Patient


T = TypeVar("T", bound="MssanteMessageRequest")


@_attrs_define
class MssanteMessageRequest:
    """
    Attributes:
        to (list[str]):
        patient (Patient): A patient: the INS and the traits it was qualified with, and the identity's status when the
            EHR gives it.
        subject_label (str): what the subject says the message is, e.g. `Compte rendu de biologie`; the subject is
            `XDM/1.0/DDM+<label> <NOM> <prénom> <birth date>`
        documents (list[MssanteCdaDocument | MssantePdfDocument]):
        from_ (str | Unset): the sender (default: the configured `address`)
        cc (list[str] | Unset):
        body (MssanteBody | Unset):
        request_receipt (bool | Unset): ask the recipients for a return receipt (an MDN) Default: False.
    """

    to: list[str]
    patient: Patient
    subject_label: str
    documents: list[MssanteCdaDocument | MssantePdfDocument]
    from_: str | Unset = UNSET
    cc: list[str] | Unset = UNSET
    body: MssanteBody | Unset = UNSET
    request_receipt: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.mssante_pdf_document import MssantePdfDocument  # noqa: PLC0415

        to = self.to

        patient = self.patient.to_dict()

        subject_label = self.subject_label

        documents = []
        for documents_item_data in self.documents:
            documents_item: dict[str, Any]
            if isinstance(documents_item_data, MssantePdfDocument):
                documents_item = documents_item_data.to_dict()
            else:
                documents_item = documents_item_data.to_dict()

            documents.append(documents_item)

        from_ = self.from_

        cc: list[str] | Unset = UNSET
        if not isinstance(self.cc, Unset):
            cc = self.cc

        body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.body, Unset):
            body = self.body.to_dict()

        request_receipt = self.request_receipt

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "to": to,
                "patient": patient,
                "subject_label": subject_label,
                "documents": documents,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if cc is not UNSET:
            field_dict["cc"] = cc
        if body is not UNSET:
            field_dict["body"] = body
        if request_receipt is not UNSET:
            field_dict["request_receipt"] = request_receipt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_body import MssanteBody  # noqa: PLC0415
        from ..models.mssante_cda_document import MssanteCdaDocument  # noqa: PLC0415
        from ..models.mssante_pdf_document import MssantePdfDocument  # noqa: PLC0415
        from ..models.patient import Patient  # noqa: PLC0415

        d = dict(src_dict)
        to = cast(list[str], d.pop("to"))

        patient = Patient.from_dict(d.pop("patient"))

        subject_label = d.pop("subject_label")

        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:

            def _parse_documents_item(data: object) -> MssanteCdaDocument | MssantePdfDocument:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    documents_item_type_0 = MssantePdfDocument.from_dict(data)

                    return documents_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                documents_item_type_1 = MssanteCdaDocument.from_dict(data)

                return documents_item_type_1

            documents_item = _parse_documents_item(documents_item_data)

            documents.append(documents_item)

        from_ = d.pop("from", UNSET)

        cc = cast(list[str], d.pop("cc", UNSET))

        _body = d.pop("body", UNSET)
        body: MssanteBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = MssanteBody.from_dict(_body)

        request_receipt = d.pop("request_receipt", UNSET)

        mssante_message_request = cls(
            to=to,
            patient=patient,
            subject_label=subject_label,
            documents=documents,
            from_=from_,
            cc=cc,
            body=body,
            request_receipt=request_receipt,
        )

        return mssante_message_request
