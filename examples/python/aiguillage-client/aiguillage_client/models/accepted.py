from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Accepted")


@_attrs_define
class Accepted:
    """A send queued in the outbox, durably: follow it at `location`.

    Attributes:
        id (int): the outbox item's id
        state (Literal['queued']): always `queued` in this answer; the item's state changes later
        kind (str): what is sent, e.g. `dmp.document`
        external_id (str): the identifier the receiver sees (an XDS uniqueId, a Message-ID), fixed now
        location (str): the outbox item, `/v1/outbox/{id}` (also the `Location` header)
    """

    id: int
    state: Literal["queued"]
    kind: str
    external_id: str
    location: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state

        kind = self.kind

        external_id = self.external_id

        location = self.location

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "state": state,
                "kind": kind,
                "external_id": external_id,
                "location": location,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        state = cast(Literal["queued"], d.pop("state"))
        if state != "queued":
            raise ValueError(f"state must match const 'queued', got '{state}'")

        kind = d.pop("kind")

        external_id = d.pop("external_id")

        location = d.pop("location")

        accepted = cls(
            id=id,
            state=state,
            kind=kind,
            external_id=external_id,
            location=location,
        )

        accepted.additional_properties = d
        return accepted

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
