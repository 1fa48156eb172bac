from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vsm import Vsm


T = TypeVar("T", bound="DmpVsmDocument")


@_attrs_define
class DmpVsmDocument:
    """A VSM the daemon builds from its items (type `SYNTH`).

    Attributes:
        vsm (Vsm): The volet de synthèse médicale, built by the daemon (CI-SIS VSM 2023.01): its items by kind; a kind
            left out or empty is written "Aucune information".
        title (str | Unset): default: "Volet de synthèse médicale"
    """

    vsm: Vsm
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        vsm = self.vsm.to_dict()

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "vsm": vsm,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vsm import Vsm  # noqa: PLC0415

        d = dict(src_dict)
        vsm = Vsm.from_dict(d.pop("vsm"))

        title = d.pop("title", UNSET)

        dmp_vsm_document = cls(
            vsm=vsm,
            title=title,
        )

        return dmp_vsm_document
