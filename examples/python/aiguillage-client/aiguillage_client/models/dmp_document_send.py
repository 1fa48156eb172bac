from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.dmp_document_send_confidentiality import DmpDocumentSendConfidentiality
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dmp_cda_document import DmpCdaDocument
    from ..models.dmp_pdf_document import DmpPdfDocument
    from ..models.dmp_vsm_document import DmpVsmDocument
    from ..models.document_patient import DocumentPatient
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="DmpDocumentSend")


@_attrs_define
class DmpDocumentSend:
    """A document to send to the patient's DMP.

    Attributes:
        patient (DocumentPatient): The patient of a document: the INS and every INS trait.
        document (DmpCdaDocument | DmpPdfDocument | DmpVsmDocument): What is sent: a PDF, a VSM or the EHR's own CDA —
            the object with `pdf`, `vsm` or `cda`.
        confidentiality (DmpDocumentSendConfidentiality | Unset): HL7 confidentiality (JDV J08): N normal, R restricted,
            V very restricted Default: DmpDocumentSendConfidentiality.N.
        replaces (str | Unset): the uniqueId of the patient's document this one replaces (RPLC): that one is deprecated
            once this one is registered
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    patient: DocumentPatient
    document: DmpCdaDocument | DmpPdfDocument | DmpVsmDocument
    confidentiality: DmpDocumentSendConfidentiality | Unset = DmpDocumentSendConfidentiality.N
    replaces: str | Unset = UNSET
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.dmp_pdf_document import DmpPdfDocument  # noqa: PLC0415
        from ..models.dmp_vsm_document import DmpVsmDocument  # noqa: PLC0415

        patient = self.patient.to_dict()

        document: dict[str, Any]
        if isinstance(self.document, DmpPdfDocument):
            document = self.document.to_dict()
        elif isinstance(self.document, DmpVsmDocument):
            document = self.document.to_dict()
        else:
            document = self.document.to_dict()

        confidentiality: str | Unset = UNSET
        if not isinstance(self.confidentiality, Unset):
            confidentiality = self.confidentiality.value

        replaces = self.replaces

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "patient": patient,
                "document": document,
            }
        )
        if confidentiality is not UNSET:
            field_dict["confidentiality"] = confidentiality
        if replaces is not UNSET:
            field_dict["replaces"] = replaces
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmp_cda_document import DmpCdaDocument  # noqa: PLC0415
        from ..models.dmp_pdf_document import DmpPdfDocument  # noqa: PLC0415
        from ..models.dmp_vsm_document import DmpVsmDocument  # noqa: PLC0415
        from ..models.document_patient import DocumentPatient  # noqa: PLC0415
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        patient = DocumentPatient.from_dict(d.pop("patient"))

        def _parse_document(data: object) -> DmpCdaDocument | DmpPdfDocument | DmpVsmDocument:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_dmp_document_type_0 = DmpPdfDocument.from_dict(data)

                return componentsschemas_dmp_document_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_dmp_document_type_1 = DmpVsmDocument.from_dict(data)

                return componentsschemas_dmp_document_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_dmp_document_type_2 = DmpCdaDocument.from_dict(data)

            return componentsschemas_dmp_document_type_2

        document = _parse_document(d.pop("document"))

        _confidentiality = d.pop("confidentiality", UNSET)
        confidentiality: DmpDocumentSendConfidentiality | Unset
        if isinstance(_confidentiality, Unset):
            confidentiality = UNSET
        else:
            confidentiality = DmpDocumentSendConfidentiality(_confidentiality)

        replaces = d.pop("replaces", UNSET)

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        dmp_document_send = cls(
            patient=patient,
            document=document,
            confidentiality=confidentiality,
            replaces=replaces,
            practitioner=practitioner,
        )

        return dmp_document_send
