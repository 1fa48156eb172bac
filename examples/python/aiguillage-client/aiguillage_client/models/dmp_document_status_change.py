from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.dmp_document_action import DmpDocumentAction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="DmpDocumentStatusChange")


@_attrs_define
class DmpDocumentStatusChange:
    """A change of a document's status or visibility.

    Attributes:
        action (DmpDocumentAction): `mask`: hidden from other health professionals (MASQUE_PS); `unmask`;
            `hide_from_patient` (INVISIBLE_PATIENT); `archive`; `delete`.
        patient (Ins): A patient's INS (national health identifier).
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    action: DmpDocumentAction
    patient: Ins
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        patient = self.patient.to_dict()

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
                "patient": patient,
            }
        )
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        action = DmpDocumentAction(d.pop("action"))

        patient = Ins.from_dict(d.pop("patient"))

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        dmp_document_status_change = cls(
            action=action,
            patient=patient,
            practitioner=practitioner,
        )

        return dmp_document_status_change
