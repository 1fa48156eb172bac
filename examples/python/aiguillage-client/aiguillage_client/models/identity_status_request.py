from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.identity_status_request_attributes_item import IdentityStatusRequestAttributesItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_proof import IdentityProof
    from ..models.identity_status_patient import IdentityStatusPatient
    from ..models.insi_journal_reference import InsiJournalReference
    from ..models.insi_outcome import InsiOutcome
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="IdentityStatusRequest")


@_attrs_define
class IdentityStatusRequest:
    """The evidence about an identity: the document checked, what INSi said, the identity's attributes.

    Attributes:
        patient (IdentityStatusPatient): The identity as the EHR holds it: its traits, its INS when it has one, and its
            current status (`identity_status`; absent: a new identity, `PROV`), what it established staying unless the new
            evidence undoes it.
        identity_proof (IdentityProof | Unset): The identity document the patient's traits were checked against, and
            what it is worth (`trust`); for a minor's birth certificate or family record book, the parent's document checked
            with it (`parent_document`, `parent_trust`).
        insi (InsiJournalReference | InsiOutcome | Unset): What INSi said: inline (`outcome`) or a journaled call
            (`journal_id`).
        attributes (list[IdentityStatusRequestAttributesItem] | Unset): the identity's RNIV attributes: `doubtful`
            (douteuse), `fictitious` (fictive), `homonym` (homonyme)
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    patient: IdentityStatusPatient
    identity_proof: IdentityProof | Unset = UNSET
    insi: InsiJournalReference | InsiOutcome | Unset = UNSET
    attributes: list[IdentityStatusRequestAttributesItem] | Unset = UNSET
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.insi_outcome import InsiOutcome  # noqa: PLC0415

        patient = self.patient.to_dict()

        identity_proof: dict[str, Any] | Unset = UNSET
        if not isinstance(self.identity_proof, Unset):
            identity_proof = self.identity_proof.to_dict()

        insi: dict[str, Any] | Unset
        if isinstance(self.insi, Unset):
            insi = UNSET
        elif isinstance(self.insi, InsiOutcome):
            insi = self.insi.to_dict()
        else:
            insi = self.insi.to_dict()

        attributes: list[str] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = []
            for attributes_item_data in self.attributes:
                attributes_item = attributes_item_data.value
                attributes.append(attributes_item)

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "patient": patient,
            }
        )
        if identity_proof is not UNSET:
            field_dict["identity_proof"] = identity_proof
        if insi is not UNSET:
            field_dict["insi"] = insi
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_proof import IdentityProof  # noqa: PLC0415
        from ..models.identity_status_patient import IdentityStatusPatient  # noqa: PLC0415
        from ..models.insi_journal_reference import InsiJournalReference  # noqa: PLC0415
        from ..models.insi_outcome import InsiOutcome  # noqa: PLC0415
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        patient = IdentityStatusPatient.from_dict(d.pop("patient"))

        _identity_proof = d.pop("identity_proof", UNSET)
        identity_proof: IdentityProof | Unset
        if isinstance(_identity_proof, Unset):
            identity_proof = UNSET
        else:
            identity_proof = IdentityProof.from_dict(_identity_proof)

        def _parse_insi(data: object) -> InsiJournalReference | InsiOutcome | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_insi_evidence_type_0 = InsiOutcome.from_dict(data)

                return componentsschemas_insi_evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_insi_evidence_type_1 = InsiJournalReference.from_dict(data)

            return componentsschemas_insi_evidence_type_1

        insi = _parse_insi(d.pop("insi", UNSET))

        _attributes = d.pop("attributes", UNSET)
        attributes: list[IdentityStatusRequestAttributesItem] | Unset = UNSET
        if _attributes is not UNSET:
            attributes = []
            for attributes_item_data in _attributes:
                attributes_item = IdentityStatusRequestAttributesItem(attributes_item_data)

                attributes.append(attributes_item)

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        identity_status_request = cls(
            patient=patient,
            identity_proof=identity_proof,
            insi=insi,
            attributes=attributes,
            practitioner=practitioner,
        )

        return identity_status_request
