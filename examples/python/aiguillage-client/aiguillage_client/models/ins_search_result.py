from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ins_search_result_result import InsSearchResultResult
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.insi_call import InsiCall
    from ..models.insi_ins import InsiIns
    from ..models.insi_report import InsiReport
    from ..models.insi_traits import InsiTraits


T = TypeVar("T", bound="InsSearchResult")


@_attrs_define
class InsSearchResult:
    """What INSi answered to a search.

    Attributes:
        result (InsSearchResultResult): `found` (CR 00): one identity; `not_found` (CR 01); `several` (CR 02): more than
            one identity has these traits, see `disambiguate`
        cr (InsiReport): INSi's compte rendu (CR) of the last call.
        ins (InsiIns | None): the patient's active INS (INSACTIF); `null` unless found
        history (list[InsiIns]): the patient's former INS (INSHISTO), as INSi lists them
        traits (InsiTraits | None): the reference traits (TIQ); `null` unless found
        datamatrix (None | str): the payload of the INS DataMatrix (ANS format); print it only once the identity is
            qualified. `null` unless found
        request_id (str): the request's id (`X-Request-Id`), which marks its journal rows
        calls (list[InsiCall]): each call made to INSi for this request, in order
        disambiguate (list[str] | Unset): for `several` only: the traits to add to tell the identities apart
    """

    result: InsSearchResultResult
    cr: InsiReport
    ins: InsiIns | None
    history: list[InsiIns]
    traits: InsiTraits | None
    datamatrix: None | str
    request_id: str
    calls: list[InsiCall]
    disambiguate: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.insi_ins import InsiIns  # noqa: PLC0415
        from ..models.insi_traits import InsiTraits  # noqa: PLC0415

        result = self.result.value

        cr = self.cr.to_dict()

        ins: dict[str, Any] | None
        if isinstance(self.ins, InsiIns):
            ins = self.ins.to_dict()
        else:
            ins = self.ins

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        traits: dict[str, Any] | None
        if isinstance(self.traits, InsiTraits):
            traits = self.traits.to_dict()
        else:
            traits = self.traits

        datamatrix: None | str
        datamatrix = self.datamatrix

        request_id = self.request_id

        calls = []
        for calls_item_data in self.calls:
            calls_item = calls_item_data.to_dict()
            calls.append(calls_item)

        disambiguate: list[str] | Unset = UNSET
        if not isinstance(self.disambiguate, Unset):
            disambiguate = self.disambiguate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
                "cr": cr,
                "ins": ins,
                "history": history,
                "traits": traits,
                "datamatrix": datamatrix,
                "request_id": request_id,
                "calls": calls,
            }
        )
        if disambiguate is not UNSET:
            field_dict["disambiguate"] = disambiguate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.insi_call import InsiCall  # noqa: PLC0415
        from ..models.insi_ins import InsiIns  # noqa: PLC0415
        from ..models.insi_report import InsiReport  # noqa: PLC0415
        from ..models.insi_traits import InsiTraits  # noqa: PLC0415

        d = dict(src_dict)
        result = InsSearchResultResult(d.pop("result"))

        cr = InsiReport.from_dict(d.pop("cr"))

        def _parse_ins(data: object) -> InsiIns | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ins_type_0 = InsiIns.from_dict(data)

                return ins_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InsiIns | None, data)

        ins = _parse_ins(d.pop("ins"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = InsiIns.from_dict(history_item_data)

            history.append(history_item)

        def _parse_traits(data: object) -> InsiTraits | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                traits_type_0 = InsiTraits.from_dict(data)

                return traits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InsiTraits | None, data)

        traits = _parse_traits(d.pop("traits"))

        def _parse_datamatrix(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        datamatrix = _parse_datamatrix(d.pop("datamatrix"))

        request_id = d.pop("request_id")

        calls = []
        _calls = d.pop("calls")
        for calls_item_data in _calls:
            calls_item = InsiCall.from_dict(calls_item_data)

            calls.append(calls_item)

        disambiguate = cast(list[str], d.pop("disambiguate", UNSET))

        ins_search_result = cls(
            result=result,
            cr=cr,
            ins=ins,
            history=history,
            traits=traits,
            datamatrix=datamatrix,
            request_id=request_id,
            calls=calls,
            disambiguate=disambiguate,
        )

        ins_search_result.additional_properties = d
        return ins_search_result

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
