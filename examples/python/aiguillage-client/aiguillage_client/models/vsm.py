from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vsm_item import VsmItem


T = TypeVar("T", bound="Vsm")


@_attrs_define
class Vsm:
    """The volet de synthèse médicale, built by the daemon (CI-SIS VSM 2023.01): its items by kind; a kind left out or
    empty is written "Aucune information".

        Attributes:
            problems (list[VsmItem] | Unset): current pathologies
            history (list[VsmItem] | Unset): medical and surgical history
            allergies (list[VsmItem] | Unset): allergies and intolerances
            risk_factors (list[VsmItem] | Unset): risk factors
            results (list[VsmItem] | Unset): results worth knowing
            treatments (list[VsmItem] | Unset): long-term treatments
    """

    problems: list[VsmItem] | Unset = UNSET
    history: list[VsmItem] | Unset = UNSET
    allergies: list[VsmItem] | Unset = UNSET
    risk_factors: list[VsmItem] | Unset = UNSET
    results: list[VsmItem] | Unset = UNSET
    treatments: list[VsmItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        problems: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.problems, Unset):
            problems = []
            for problems_item_data in self.problems:
                problems_item = problems_item_data.to_dict()
                problems.append(problems_item)

        history: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.history, Unset):
            history = []
            for history_item_data in self.history:
                history_item = history_item_data.to_dict()
                history.append(history_item)

        allergies: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.allergies, Unset):
            allergies = []
            for allergies_item_data in self.allergies:
                allergies_item = allergies_item_data.to_dict()
                allergies.append(allergies_item)

        risk_factors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.risk_factors, Unset):
            risk_factors = []
            for risk_factors_item_data in self.risk_factors:
                risk_factors_item = risk_factors_item_data.to_dict()
                risk_factors.append(risk_factors_item)

        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)

        treatments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.treatments, Unset):
            treatments = []
            for treatments_item_data in self.treatments:
                treatments_item = treatments_item_data.to_dict()
                treatments.append(treatments_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if problems is not UNSET:
            field_dict["problems"] = problems
        if history is not UNSET:
            field_dict["history"] = history
        if allergies is not UNSET:
            field_dict["allergies"] = allergies
        if risk_factors is not UNSET:
            field_dict["risk_factors"] = risk_factors
        if results is not UNSET:
            field_dict["results"] = results
        if treatments is not UNSET:
            field_dict["treatments"] = treatments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vsm_item import VsmItem  # noqa: PLC0415

        d = dict(src_dict)
        _problems = d.pop("problems", UNSET)
        problems: list[VsmItem] | Unset = UNSET
        if _problems is not UNSET:
            problems = []
            for problems_item_data in _problems:
                problems_item = VsmItem.from_dict(problems_item_data)

                problems.append(problems_item)

        _history = d.pop("history", UNSET)
        history: list[VsmItem] | Unset = UNSET
        if _history is not UNSET:
            history = []
            for history_item_data in _history:
                history_item = VsmItem.from_dict(history_item_data)

                history.append(history_item)

        _allergies = d.pop("allergies", UNSET)
        allergies: list[VsmItem] | Unset = UNSET
        if _allergies is not UNSET:
            allergies = []
            for allergies_item_data in _allergies:
                allergies_item = VsmItem.from_dict(allergies_item_data)

                allergies.append(allergies_item)

        _risk_factors = d.pop("risk_factors", UNSET)
        risk_factors: list[VsmItem] | Unset = UNSET
        if _risk_factors is not UNSET:
            risk_factors = []
            for risk_factors_item_data in _risk_factors:
                risk_factors_item = VsmItem.from_dict(risk_factors_item_data)

                risk_factors.append(risk_factors_item)

        _results = d.pop("results", UNSET)
        results: list[VsmItem] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = VsmItem.from_dict(results_item_data)

                results.append(results_item)

        _treatments = d.pop("treatments", UNSET)
        treatments: list[VsmItem] | Unset = UNSET
        if _treatments is not UNSET:
            treatments = []
            for treatments_item_data in _treatments:
                treatments_item = VsmItem.from_dict(treatments_item_data)

                treatments.append(treatments_item)

        vsm = cls(
            problems=problems,
            history=history,
            allergies=allergies,
            risk_factors=risk_factors,
            results=results,
            treatments=treatments,
        )

        return vsm
