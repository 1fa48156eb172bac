from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.insi_call_operation import InsiCallOperation
from ..types import UNSET, Unset

T = TypeVar("T", bound="InsiCall")


@_attrs_define
class InsiCall:
    """One call made to INSi for this request (each try of a retried call is one).

    Attributes:
        operation (InsiCallOperation): the INSi operation called
        cr (None | str): the CR code answered; `null` when the call failed
        error (None | str): why the call failed: the fault's `siram:Erreur` code, else the failure's kind (`InsiFault`,
            `InsiTimeout`, `InsiUnavailable`); `null` when it was answered
        ms (float): how long the call took, in milliseconds
        first_names (list[str] | Unset): the first names a traits search sent (the first one, then on CR 01 all of
            them); absent for a carte Vitale search
    """

    operation: InsiCallOperation
    cr: None | str
    error: None | str
    ms: float
    first_names: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operation = self.operation.value

        cr: None | str
        cr = self.cr

        error: None | str
        error = self.error

        ms = self.ms

        first_names: list[str] | Unset = UNSET
        if not isinstance(self.first_names, Unset):
            first_names = self.first_names

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "operation": operation,
                "cr": cr,
                "error": error,
                "ms": ms,
            }
        )
        if first_names is not UNSET:
            field_dict["first_names"] = first_names

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        operation = InsiCallOperation(d.pop("operation"))

        def _parse_cr(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cr = _parse_cr(d.pop("cr"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        ms = d.pop("ms")

        first_names = cast(list[str], d.pop("first_names", UNSET))

        insi_call = cls(
            operation=operation,
            cr=cr,
            error=error,
            ms=ms,
            first_names=first_names,
        )

        insi_call.additional_properties = d
        return insi_call

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
