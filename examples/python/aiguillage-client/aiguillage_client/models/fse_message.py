from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.fse_message_severity import FseMessageSeverity

T = TypeVar("T", bound="FseMessage")


@_attrs_define
class FseMessage:
    """Something the billing engine said about the care sheet.

    Attributes:
        severity (FseMessageSeverity):
        text (str):
    """

    severity: FseMessageSeverity
    text: str

    def to_dict(self) -> dict[str, Any]:
        severity = self.severity.value

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "severity": severity,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        severity = FseMessageSeverity(d.pop("severity"))

        text = d.pop("text")

        fse_message = cls(
            severity=severity,
            text=text,
        )

        return fse_message
