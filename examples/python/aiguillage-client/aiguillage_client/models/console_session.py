from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsoleSession")


@_attrs_define
class ConsoleSession:
    """The admin token of a new console app.

    Attributes:
        token (str): the bearer token of the new app (shown only this once)
        app (str): the app's name (`apps revoke` ends it)
        scopes (list[str]): its scopes: `admin`
        expires_at (datetime.datetime): when the token stops being accepted (UTC): 12 hours on
    """

    token: str
    app: str
    scopes: list[str]
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        app = self.app

        scopes = self.scopes

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "app": app,
                "scopes": scopes,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        app = d.pop("app")

        scopes = cast(list[str], d.pop("scopes"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        console_session = cls(
            token=token,
            app=app,
            scopes=scopes,
            expires_at=expires_at,
        )

        console_session.additional_properties = d
        return console_session

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
