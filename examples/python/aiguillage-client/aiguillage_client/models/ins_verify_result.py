from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ins_trait_difference import InsTraitDifference
    from ..models.insi_call import InsiCall
    from ..models.insi_identity import InsiIdentity
    from ..models.insi_report import InsiReport


T = TypeVar("T", bound="InsVerifyResult")


@_attrs_define
class InsVerifyResult:
    """Whether INSi confirms the INS and the traits the EHR holds.

    Attributes:
        match (bool): CR 00, the same INS (and OID, when given) and the same traits: the identity may be qualified
        ins_match (bool): INSi returned the INS held (and its OID, when given)
        differences (list[InsTraitDifference]): each trait that differs; empty when they all agree
        cr (InsiReport): INSi's compte rendu (CR) of the last call.
        returned (InsiIdentity | None): what INSi returned; `null` when it found no one
        request_id (str): the request's id (`X-Request-Id`), which marks its journal rows
        calls (list[InsiCall]): each call made to INSi for this request, in order
    """

    match: bool
    ins_match: bool
    differences: list[InsTraitDifference]
    cr: InsiReport
    returned: InsiIdentity | None
    request_id: str
    calls: list[InsiCall]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.insi_identity import InsiIdentity  # noqa: PLC0415

        match = self.match

        ins_match = self.ins_match

        differences = []
        for differences_item_data in self.differences:
            differences_item = differences_item_data.to_dict()
            differences.append(differences_item)

        cr = self.cr.to_dict()

        returned: dict[str, Any] | None
        if isinstance(self.returned, InsiIdentity):
            returned = self.returned.to_dict()
        else:
            returned = self.returned

        request_id = self.request_id

        calls = []
        for calls_item_data in self.calls:
            calls_item = calls_item_data.to_dict()
            calls.append(calls_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "match": match,
                "ins_match": ins_match,
                "differences": differences,
                "cr": cr,
                "returned": returned,
                "request_id": request_id,
                "calls": calls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins_trait_difference import InsTraitDifference  # noqa: PLC0415
        from ..models.insi_call import InsiCall  # noqa: PLC0415
        from ..models.insi_identity import InsiIdentity  # noqa: PLC0415
        from ..models.insi_report import InsiReport  # noqa: PLC0415

        d = dict(src_dict)
        match = d.pop("match")

        ins_match = d.pop("ins_match")

        differences = []
        _differences = d.pop("differences")
        for differences_item_data in _differences:
            differences_item = InsTraitDifference.from_dict(differences_item_data)

            differences.append(differences_item)

        cr = InsiReport.from_dict(d.pop("cr"))

        def _parse_returned(data: object) -> InsiIdentity | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                returned_type_0 = InsiIdentity.from_dict(data)

                return returned_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InsiIdentity | None, data)

        returned = _parse_returned(d.pop("returned"))

        request_id = d.pop("request_id")

        calls = []
        _calls = d.pop("calls")
        for calls_item_data in _calls:
            calls_item = InsiCall.from_dict(calls_item_data)

            calls.append(calls_item)

        ins_verify_result = cls(
            match=match,
            ins_match=ins_match,
            differences=differences,
            cr=cr,
            returned=returned,
            request_id=request_id,
            calls=calls,
        )

        ins_verify_result.additional_properties = d
        return ins_verify_result

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
