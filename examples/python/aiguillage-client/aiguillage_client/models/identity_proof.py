from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.document_trust import DocumentTrust
from ..models.identity_document_type import IdentityDocumentType
from ..models.identity_proof_parent_document import IdentityProofParentDocument
from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityProof")


@_attrs_define
class IdentityProof:
    """The identity document the patient's traits were checked against, and what it is worth (`trust`); for a minor's birth
    certificate or family record book, the parent's document checked with it (`parent_document`, `parent_trust`).

        Attributes:
            document (IdentityDocumentType): `passport`, `national_id_card`, `residence_permit` (permanent): high trust;
                `birth_certificate` (extrait d'acte de naissance) and `family_record_book` (livret de famille): for a minor
                only, with a parent's high-trust document; `minor_travel_document` (document de circulation pour étranger
                mineur): for a minor; `driving_licence`, `health_insurance_card` (carte Vitale): low trust; `other`: the `trust`
                given (default low)
            trust (DocumentTrust | Unset): What a document is worth: `high` or `low`. Default: what the RNIV gives its type;
                `low` says it could not be relied on (expired, damaged); `high` is refused for a document the RNIV does not
                list, but for `other`.
            parent_document (IdentityProofParentDocument | Unset): for a minor's birth certificate or family record book:
                the high-trust document of the parent (or guardian) checked with it
            parent_trust (DocumentTrust | Unset): What a document is worth: `high` or `low`. Default: what the RNIV gives
                its type; `low` says it could not be relied on (expired, damaged); `high` is refused for a document the RNIV
                does not list, but for `other`.
    """

    document: IdentityDocumentType
    trust: DocumentTrust | Unset = UNSET
    parent_document: IdentityProofParentDocument | Unset = UNSET
    parent_trust: DocumentTrust | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        document = self.document.value

        trust: str | Unset = UNSET
        if not isinstance(self.trust, Unset):
            trust = self.trust.value

        parent_document: str | Unset = UNSET
        if not isinstance(self.parent_document, Unset):
            parent_document = self.parent_document.value

        parent_trust: str | Unset = UNSET
        if not isinstance(self.parent_trust, Unset):
            parent_trust = self.parent_trust.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "document": document,
            }
        )
        if trust is not UNSET:
            field_dict["trust"] = trust
        if parent_document is not UNSET:
            field_dict["parent_document"] = parent_document
        if parent_trust is not UNSET:
            field_dict["parent_trust"] = parent_trust

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document = IdentityDocumentType(d.pop("document"))

        _trust = d.pop("trust", UNSET)
        trust: DocumentTrust | Unset
        if isinstance(_trust, Unset):
            trust = UNSET
        else:
            trust = DocumentTrust(_trust)

        _parent_document = d.pop("parent_document", UNSET)
        parent_document: IdentityProofParentDocument | Unset
        if isinstance(_parent_document, Unset):
            parent_document = UNSET
        else:
            parent_document = IdentityProofParentDocument(_parent_document)

        _parent_trust = d.pop("parent_trust", UNSET)
        parent_trust: DocumentTrust | Unset
        if isinstance(_parent_trust, Unset):
            parent_trust = UNSET
        else:
            parent_trust = DocumentTrust(_parent_trust)

        identity_proof = cls(
            document=document,
            trust=trust,
            parent_document=parent_document,
            parent_trust=parent_trust,
        )

        return identity_proof
