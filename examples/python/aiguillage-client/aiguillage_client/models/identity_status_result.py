from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_status import IdentityStatus
from ..models.identity_status_result_document_trust_type_1 import IdentityStatusResultDocumentTrustType1
from ..models.identity_status_result_document_trust_type_2_type_1 import IdentityStatusResultDocumentTrustType2Type1
from ..models.identity_status_result_document_trust_type_3_type_1 import IdentityStatusResultDocumentTrustType3Type1
from ..models.identity_status_result_rule import IdentityStatusResultRule

if TYPE_CHECKING:
    from ..models.identity_status_insi import IdentityStatusInsi
    from ..models.identity_status_missing import IdentityStatusMissing


T = TypeVar("T", bound="IdentityStatusResult")


@_attrs_define
class IdentityStatusResult:
    """The identity's RNIV status, the rule that decided and what is missing to qualify it.

    Attributes:
        status (IdentityStatus): The identity's status under the RNIV: `PROV` provisoire, `RECUP` récupérée (INS from
            INSi, traits not checked against an identity document), `VALI` validée (traits checked against a high-trust
            identity document, no INS from INSi), `QUAL` qualifiée (both; the only status under which the INS may reference
            and share health data). `POST /v1/ins/status` computes it; DMP and MSSanté refuse a patient whose status is not
            `QUAL` (see their config).
        label (str): its French name ("Identité qualifiée")
        previous_status (IdentityStatus | None): the status given in `patient.identity_status` (`null`: none)
        qualified (bool): `status` is `QUAL`: the INS may reference and share health data
        qualifiable (bool): `false` for a fictitious identity, which is never qualified
        rule (IdentityStatusResultRule): the rule that decided: the status of the facts established
            (`provisional`…`qualified`), an INSi answer that undid the INS (`insi-downgrade`), or an attribute (`doubtful`,
            `fictitious`)
        reason (str): the rule in words, with its RNIV source
        missing (list[IdentityStatusMissing]): what to do before the identity can be qualified (empty when it is, or
            never can be)
        notes (list[str]): remarks in French: a document not retained and why, the homonym attribute
        attributes (list[str]): the attributes given
        document_trust (IdentityStatusResultDocumentTrustType1 | IdentityStatusResultDocumentTrustType2Type1 |
            IdentityStatusResultDocumentTrustType3Type1 | None): what the document given was worth for this patient (`null`:
            none)
        insi (IdentityStatusInsi | None): what INSi said, as read (`null`: not given)
        request_id (str): the request's id (`X-Request-Id`)
    """

    status: IdentityStatus
    label: str
    previous_status: IdentityStatus | None
    qualified: bool
    qualifiable: bool
    rule: IdentityStatusResultRule
    reason: str
    missing: list[IdentityStatusMissing]
    notes: list[str]
    attributes: list[str]
    document_trust: (
        IdentityStatusResultDocumentTrustType1
        | IdentityStatusResultDocumentTrustType2Type1
        | IdentityStatusResultDocumentTrustType3Type1
        | None
    )
    insi: IdentityStatusInsi | None
    request_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.identity_status_insi import IdentityStatusInsi  # noqa: PLC0415

        status = self.status.value

        label = self.label

        previous_status: None | str
        if isinstance(self.previous_status, IdentityStatus):
            previous_status = self.previous_status.value
        else:
            previous_status = self.previous_status

        qualified = self.qualified

        qualifiable = self.qualifiable

        rule = self.rule.value

        reason = self.reason

        missing = []
        for missing_item_data in self.missing:
            missing_item = missing_item_data.to_dict()
            missing.append(missing_item)

        notes = self.notes

        attributes = self.attributes

        document_trust: None | str
        if isinstance(self.document_trust, IdentityStatusResultDocumentTrustType1):
            document_trust = self.document_trust.value
        elif isinstance(self.document_trust, IdentityStatusResultDocumentTrustType2Type1):
            document_trust = self.document_trust.value
        elif isinstance(self.document_trust, IdentityStatusResultDocumentTrustType3Type1):
            document_trust = self.document_trust.value
        else:
            document_trust = self.document_trust

        insi: dict[str, Any] | None
        if isinstance(self.insi, IdentityStatusInsi):
            insi = self.insi.to_dict()
        else:
            insi = self.insi

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "label": label,
                "previous_status": previous_status,
                "qualified": qualified,
                "qualifiable": qualifiable,
                "rule": rule,
                "reason": reason,
                "missing": missing,
                "notes": notes,
                "attributes": attributes,
                "document_trust": document_trust,
                "insi": insi,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_status_insi import IdentityStatusInsi  # noqa: PLC0415
        from ..models.identity_status_missing import IdentityStatusMissing  # noqa: PLC0415

        d = dict(src_dict)
        status = IdentityStatus(d.pop("status"))

        label = d.pop("label")

        def _parse_previous_status(data: object) -> IdentityStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_status_type_0 = IdentityStatus(data)

                return previous_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityStatus | None, data)

        previous_status = _parse_previous_status(d.pop("previous_status"))

        qualified = d.pop("qualified")

        qualifiable = d.pop("qualifiable")

        rule = IdentityStatusResultRule(d.pop("rule"))

        reason = d.pop("reason")

        missing = []
        _missing = d.pop("missing")
        for missing_item_data in _missing:
            missing_item = IdentityStatusMissing.from_dict(missing_item_data)

            missing.append(missing_item)

        notes = cast(list[str], d.pop("notes"))

        attributes = cast(list[str], d.pop("attributes"))

        def _parse_document_trust(
            data: object,
        ) -> (
            IdentityStatusResultDocumentTrustType1
            | IdentityStatusResultDocumentTrustType2Type1
            | IdentityStatusResultDocumentTrustType3Type1
            | None
        ):
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                document_trust_type_1 = IdentityStatusResultDocumentTrustType1(data)

                return document_trust_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                document_trust_type_2_type_1 = IdentityStatusResultDocumentTrustType2Type1(data)

                return document_trust_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                document_trust_type_3_type_1 = IdentityStatusResultDocumentTrustType3Type1(data)

                return document_trust_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                IdentityStatusResultDocumentTrustType1
                | IdentityStatusResultDocumentTrustType2Type1
                | IdentityStatusResultDocumentTrustType3Type1
                | None,
                data,
            )

        document_trust = _parse_document_trust(d.pop("document_trust"))

        def _parse_insi(data: object) -> IdentityStatusInsi | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_identity_status_insi_type_0 = IdentityStatusInsi.from_dict(data)

                return componentsschemas_identity_status_insi_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityStatusInsi | None, data)

        insi = _parse_insi(d.pop("insi"))

        request_id = d.pop("request_id")

        identity_status_result = cls(
            status=status,
            label=label,
            previous_status=previous_status,
            qualified=qualified,
            qualifiable=qualifiable,
            rule=rule,
            reason=reason,
            missing=missing,
            notes=notes,
            attributes=attributes,
            document_trust=document_trust,
            insi=insi,
            request_id=request_id,
        )

        identity_status_result.additional_properties = d
        return identity_status_result

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
