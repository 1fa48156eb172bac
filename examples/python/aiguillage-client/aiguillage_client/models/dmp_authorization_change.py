from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.dmp_authorization_action import DmpAuthorizationAction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="DmpAuthorizationChange")


@_attrs_define
class DmpAuthorizationChange:
    """The practitioner's authorisation to add or remove, with the patient's consent.

    Attributes:
        action (DmpAuthorizationAction): `add` or `remove` the practitioner's authorisation
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    action: DmpAuthorizationAction
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        action = DmpAuthorizationAction(d.pop("action"))

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        dmp_authorization_change = cls(
            action=action,
            practitioner=practitioner,
        )

        return dmp_authorization_change
