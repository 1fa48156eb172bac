from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dmp_document_availability import DmpDocumentAvailability

if TYPE_CHECKING:
    from ..models.dmp_author import DmpAuthor


T = TypeVar("T", bound="DmpDocumentEntry")


@_attrs_define
class DmpDocumentEntry:
    """One document of the patient's DMP, from its registry entry (TD3.1).

    Attributes:
        unique_id (str): the document's uniqueId: read it with it
        title (str): the document's title
        type_code (str): its type (LOINC, JDV_J66)
        status (DmpDocumentAvailability): `approved` (current), `deprecated` (replaced), `archived`
        created (datetime.datetime | None): when the document was written (creationTime)
        created_hl7 (None | str): creationTime as the registry holds it
        service_start (datetime.datetime | None): when the care it is about began (serviceStartTime)
        service_start_hl7 (None | str): serviceStartTime as the registry holds it
        service_stop (datetime.datetime | None): when that care ended (serviceStopTime)
        service_stop_hl7 (None | str): serviceStopTime as the registry holds it
        author (DmpAuthor | None): its first author; `null` when the entry names none
        confidentiality (list[str]): its confidentiality codes: `N`, `R` or `V`, and the DMP's masking ones
            (`MASQUE_PS`, `INVISIBLE_PATIENT`…)
        mime_type (str): what reading it gives (`text/xml`: a CDA)
    """

    unique_id: str
    title: str
    type_code: str
    status: DmpDocumentAvailability
    created: datetime.datetime | None
    created_hl7: None | str
    service_start: datetime.datetime | None
    service_start_hl7: None | str
    service_stop: datetime.datetime | None
    service_stop_hl7: None | str
    author: DmpAuthor | None
    confidentiality: list[str]
    mime_type: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.dmp_author import DmpAuthor  # noqa: PLC0415

        unique_id = self.unique_id

        title = self.title

        type_code = self.type_code

        status = self.status.value

        created: None | str
        if isinstance(self.created, datetime.datetime):
            created = self.created.isoformat()
        else:
            created = self.created

        created_hl7: None | str
        created_hl7 = self.created_hl7

        service_start: None | str
        if isinstance(self.service_start, datetime.datetime):
            service_start = self.service_start.isoformat()
        else:
            service_start = self.service_start

        service_start_hl7: None | str
        service_start_hl7 = self.service_start_hl7

        service_stop: None | str
        if isinstance(self.service_stop, datetime.datetime):
            service_stop = self.service_stop.isoformat()
        else:
            service_stop = self.service_stop

        service_stop_hl7: None | str
        service_stop_hl7 = self.service_stop_hl7

        author: dict[str, Any] | None
        if isinstance(self.author, DmpAuthor):
            author = self.author.to_dict()
        else:
            author = self.author

        confidentiality = self.confidentiality

        mime_type = self.mime_type

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "unique_id": unique_id,
                "title": title,
                "type_code": type_code,
                "status": status,
                "created": created,
                "created_hl7": created_hl7,
                "service_start": service_start,
                "service_start_hl7": service_start_hl7,
                "service_stop": service_stop,
                "service_stop_hl7": service_stop_hl7,
                "author": author,
                "confidentiality": confidentiality,
                "mime_type": mime_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmp_author import DmpAuthor  # noqa: PLC0415

        d = dict(src_dict)
        unique_id = d.pop("unique_id")

        title = d.pop("title")

        type_code = d.pop("type_code")

        status = DmpDocumentAvailability(d.pop("status"))

        def _parse_created(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_type_0 = datetime.datetime.fromisoformat(data)

                return created_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created = _parse_created(d.pop("created"))

        def _parse_created_hl7(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_hl7 = _parse_created_hl7(d.pop("created_hl7"))

        def _parse_service_start(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                service_start_type_0 = datetime.datetime.fromisoformat(data)

                return service_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        service_start = _parse_service_start(d.pop("service_start"))

        def _parse_service_start_hl7(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        service_start_hl7 = _parse_service_start_hl7(d.pop("service_start_hl7"))

        def _parse_service_stop(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                service_stop_type_0 = datetime.datetime.fromisoformat(data)

                return service_stop_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        service_stop = _parse_service_stop(d.pop("service_stop"))

        def _parse_service_stop_hl7(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        service_stop_hl7 = _parse_service_stop_hl7(d.pop("service_stop_hl7"))

        def _parse_author(data: object) -> DmpAuthor | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                author_type_0 = DmpAuthor.from_dict(data)

                return author_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DmpAuthor | None, data)

        author = _parse_author(d.pop("author"))

        confidentiality = cast(list[str], d.pop("confidentiality"))

        mime_type = d.pop("mime_type")

        dmp_document_entry = cls(
            unique_id=unique_id,
            title=title,
            type_code=type_code,
            status=status,
            created=created,
            created_hl7=created_hl7,
            service_start=service_start,
            service_start_hl7=service_start_hl7,
            service_stop=service_stop,
            service_stop_hl7=service_stop_hl7,
            author=author,
            confidentiality=confidentiality,
            mime_type=mime_type,
        )

        return dmp_document_entry
