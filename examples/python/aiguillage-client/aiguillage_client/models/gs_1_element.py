from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Gs1Element")


@_attrs_define
class Gs1Element:
    """One element string: an application identifier (AI) and its value.

    Attributes:
        ai (str): the AI, e.g. `17`
        title (str): its GS1 data title, e.g. `USE BY or EXPIRY`
        description (str): what it is, in the GS1 general specifications' words
        value (str): its value as encoded, e.g. `270300`
        date (datetime.date | None): the date an AI of a date means (day `00`: the month's last day); `null` for other
            AIs
    """

    ai: str
    title: str
    description: str
    value: str
    date: datetime.date | None

    def to_dict(self) -> dict[str, Any]:
        ai = self.ai

        title = self.title

        description = self.description

        value = self.value

        date: None | str
        if isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ai": ai,
                "title": title,
                "description": description,
                "value": value,
                "date": date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ai = d.pop("ai")

        title = d.pop("title")

        description = d.pop("description")

        value = d.pop("value")

        def _parse_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        date = _parse_date(d.pop("date"))

        gs_1_element = cls(
            ai=ai,
            title=title,
            description=description,
            value=value,
            date=date,
        )

        return gs_1_element
