from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.gs_1_element import Gs1Element


T = TypeVar("T", bound="Gs1Scan")


@_attrs_define
class Gs1Scan:
    """What a GS1 barcode says, checked: the medicine-box fields by name, and every element in order.

    Attributes:
        gtin (None | str): the product's GTIN-14 (AI 01), check digit verified; `null` if absent
        cip13 (None | str): the French medicine code (CIP-13) the GTIN holds: a GTIN-14 `0` + `34009…` is CIP-13
            `34009…`; `null` when the GTIN is another product's (not a French medicine) or absent
        expiry (datetime.date | None): the expiry date (AI 17, `YYMMDD`, day `00`: the month's last day)
        lot (None | str): the batch or lot number (AI 10)
        serial (None | str): the pack's serial number (AI 21)
        symbology (None | str): the symbology identifier the data began with (`]d2`: GS1 DataMatrix); `null` if none
        hri (str): the data as printed under a barcode: `(01)…(17)…(10)…(21)…`
        elements (list[Gs1Element]): every element, in the order scanned (an AI given twice with the same value, once)
    """

    gtin: None | str
    cip13: None | str
    expiry: datetime.date | None
    lot: None | str
    serial: None | str
    symbology: None | str
    hri: str
    elements: list[Gs1Element]

    def to_dict(self) -> dict[str, Any]:
        gtin: None | str
        gtin = self.gtin

        cip13: None | str
        cip13 = self.cip13

        expiry: None | str
        if isinstance(self.expiry, datetime.date):
            expiry = self.expiry.isoformat()
        else:
            expiry = self.expiry

        lot: None | str
        lot = self.lot

        serial: None | str
        serial = self.serial

        symbology: None | str
        symbology = self.symbology

        hri = self.hri

        elements = []
        for elements_item_data in self.elements:
            elements_item = elements_item_data.to_dict()
            elements.append(elements_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "gtin": gtin,
                "cip13": cip13,
                "expiry": expiry,
                "lot": lot,
                "serial": serial,
                "symbology": symbology,
                "hri": hri,
                "elements": elements,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gs_1_element import Gs1Element  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_gtin(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gtin = _parse_gtin(d.pop("gtin"))

        def _parse_cip13(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cip13 = _parse_cip13(d.pop("cip13"))

        def _parse_expiry(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expiry_type_0 = datetime.date.fromisoformat(data)

                return expiry_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        expiry = _parse_expiry(d.pop("expiry"))

        def _parse_lot(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lot = _parse_lot(d.pop("lot"))

        def _parse_serial(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        serial = _parse_serial(d.pop("serial"))

        def _parse_symbology(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        symbology = _parse_symbology(d.pop("symbology"))

        hri = d.pop("hri")

        elements = []
        _elements = d.pop("elements")
        for elements_item_data in _elements:
            elements_item = Gs1Element.from_dict(elements_item_data)

            elements.append(elements_item)

        gs_1_scan = cls(
            gtin=gtin,
            cip13=cip13,
            expiry=expiry,
            lot=lot,
            serial=serial,
            symbology=symbology,
            hri=hri,
            elements=elements,
        )

        return gs_1_scan
