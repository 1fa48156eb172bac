from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_status_insi_outcome import IdentityStatusInsiOutcome

T = TypeVar("T", bound="IdentityStatusInsi")


@_attrs_define
class IdentityStatusInsi:
    """what INSi said, as read (`null`: not given)

    Attributes:
        outcome (IdentityStatusInsiOutcome): as the request's `outcome`, or `nia` for an INS-NIA
        journal_id (int | None): the journal row read, when one was named
        ins (None | str): the INS INSi gave, when it gave one
    """

    outcome: IdentityStatusInsiOutcome
    journal_id: int | None
    ins: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome.value

        journal_id: int | None
        journal_id = self.journal_id

        ins: None | str
        ins = self.ins

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome": outcome,
                "journal_id": journal_id,
                "ins": ins,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = IdentityStatusInsiOutcome(d.pop("outcome"))

        def _parse_journal_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        journal_id = _parse_journal_id(d.pop("journal_id"))

        def _parse_ins(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ins = _parse_ins(d.pop("ins"))

        identity_status_insi = cls(
            outcome=outcome,
            journal_id=journal_id,
            ins=ins,
        )

        identity_status_insi.additional_properties = d
        return identity_status_insi

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
