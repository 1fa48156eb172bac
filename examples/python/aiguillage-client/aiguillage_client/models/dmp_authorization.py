from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.dmp_authorization_action import DmpAuthorizationAction

T = TypeVar("T", bound="DmpAuthorization")


@_attrs_define
class DmpAuthorization:
    """The authorisation change the DMP made (TD0.3).

    Attributes:
        action (DmpAuthorizationAction): `add` or `remove` the practitioner's authorisation
        detail (str): the DMP's comment, in French ("Autorisation ajoutée", or that it was already there)
    """

    action: DmpAuthorizationAction
    detail: str

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        detail = self.detail

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = DmpAuthorizationAction(d.pop("action"))

        detail = d.pop("detail")

        dmp_authorization = cls(
            action=action,
            detail=detail,
        )

        return dmp_authorization
