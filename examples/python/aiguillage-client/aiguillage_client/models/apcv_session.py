from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.apcv_session_source import ApcvSessionSource

if TYPE_CHECKING:
    from ..models.beneficiary import Beneficiary


T = TypeVar("T", bound="ApcvSession")


@_attrs_define
class ApcvSession:
    """An ApCV session: the context the ApCV service opened for one scan, and the beneficiaries it gives (the insured
    person and those who hold rights through them).

        Attributes:
            id (str): the session's id: give it to `GET`/`DELETE /v1/apcv/sessions/{id}`, as `apcv_session` to `POST
                /v1/ins/search`, or to a care sheet
            source (ApcvSessionSource): how the session was opened: a scanned QR code or an NFC tap
            created_at (datetime.datetime): when the session was opened
            expires_at (datetime.datetime): the end of validity of the ApCV context (`DateFinValidite`): after it the
                session answers 410 and the patient must scan again
            beneficiaries (list[Beneficiary]): the beneficiaries of the context, in the service's order; the others' `index`
                is their position here (0: the first)
    """

    id: str
    source: ApcvSessionSource
    created_at: datetime.datetime
    expires_at: datetime.datetime
    beneficiaries: list[Beneficiary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        source = self.source.value

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        beneficiaries = []
        for beneficiaries_item_data in self.beneficiaries:
            beneficiaries_item = beneficiaries_item_data.to_dict()
            beneficiaries.append(beneficiaries_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "source": source,
                "created_at": created_at,
                "expires_at": expires_at,
                "beneficiaries": beneficiaries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        source = ApcvSessionSource(d.pop("source"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        beneficiaries = []
        _beneficiaries = d.pop("beneficiaries")
        for beneficiaries_item_data in _beneficiaries:
            beneficiaries_item = Beneficiary.from_dict(beneficiaries_item_data)

            beneficiaries.append(beneficiaries_item)

        apcv_session = cls(
            id=id,
            source=source,
            created_at=created_at,
            expires_at=expires_at,
            beneficiaries=beneficiaries,
        )

        apcv_session.additional_properties = d
        return apcv_session

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
