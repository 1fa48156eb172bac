from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_patient import DocumentPatient
    from ..models.vsm import Vsm


T = TypeVar("T", bound="VsmBatchItem")


@_attrs_define
class VsmBatchItem:
    """One patient's VSM.

    Attributes:
        patient (DocumentPatient): The patient of a document: the INS and every INS trait.
        vsm (Vsm): The volet de synthèse médicale, built by the daemon (CI-SIS VSM 2023.01): its items by kind; a kind
            left out or empty is written "Aucune information".
        title (str | Unset): default: "Volet de synthèse médicale"
    """

    patient: DocumentPatient
    vsm: Vsm
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        patient = self.patient.to_dict()

        vsm = self.vsm.to_dict()

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "patient": patient,
                "vsm": vsm,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_patient import DocumentPatient  # noqa: PLC0415
        from ..models.vsm import Vsm  # noqa: PLC0415

        d = dict(src_dict)
        patient = DocumentPatient.from_dict(d.pop("patient"))

        vsm = Vsm.from_dict(d.pop("vsm"))

        title = d.pop("title", UNSET)

        vsm_batch_item = cls(
            patient=patient,
            vsm=vsm,
            title=title,
        )

        return vsm_batch_item
