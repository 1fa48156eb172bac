from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.journal_entry_event import JournalEntryEvent
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.journal_entry_after import JournalEntryAfter
    from ..models.journal_entry_before import JournalEntryBefore
    from ..models.journal_patient import JournalPatient
    from ..models.journal_practitioner import JournalPractitioner


T = TypeVar("T", bound="JournalEntry")


@_attrs_define
class JournalEntry:
    """An identity action the EHR performed, for the journal.

    Attributes:
        event (JournalEntryEvent): what the EHR did with an identity (Ségur INS traces)
        summary (str): what happened, in words
        outcome (str | Unset): how it ended: `ok` unless said Default: 'ok'.
        patient (JournalPatient | Unset): The patient concerned: the INS and the traits, as far as known.
        practitioner (JournalPractitioner | Unset): Who acted, as the EHR knows them.
        before (JournalEntryBefore | Unset): the identity traits before a change
        after (JournalEntryAfter | Unset): the identity traits after a change
    """

    event: JournalEntryEvent
    summary: str
    outcome: str | Unset = "ok"
    patient: JournalPatient | Unset = UNSET
    practitioner: JournalPractitioner | Unset = UNSET
    before: JournalEntryBefore | Unset = UNSET
    after: JournalEntryAfter | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        summary = self.summary

        outcome = self.outcome

        patient: dict[str, Any] | Unset = UNSET
        if not isinstance(self.patient, Unset):
            patient = self.patient.to_dict()

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        before: dict[str, Any] | Unset = UNSET
        if not isinstance(self.before, Unset):
            before = self.before.to_dict()

        after: dict[str, Any] | Unset = UNSET
        if not isinstance(self.after, Unset):
            after = self.after.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
                "summary": summary,
            }
        )
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if patient is not UNSET:
            field_dict["patient"] = patient
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner
        if before is not UNSET:
            field_dict["before"] = before
        if after is not UNSET:
            field_dict["after"] = after

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.journal_entry_after import JournalEntryAfter  # noqa: PLC0415
        from ..models.journal_entry_before import JournalEntryBefore  # noqa: PLC0415
        from ..models.journal_patient import JournalPatient  # noqa: PLC0415
        from ..models.journal_practitioner import JournalPractitioner  # noqa: PLC0415

        d = dict(src_dict)
        event = JournalEntryEvent(d.pop("event"))

        summary = d.pop("summary")

        outcome = d.pop("outcome", UNSET)

        _patient = d.pop("patient", UNSET)
        patient: JournalPatient | Unset
        if isinstance(_patient, Unset):
            patient = UNSET
        else:
            patient = JournalPatient.from_dict(_patient)

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: JournalPractitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = JournalPractitioner.from_dict(_practitioner)

        _before = d.pop("before", UNSET)
        before: JournalEntryBefore | Unset
        if isinstance(_before, Unset):
            before = UNSET
        else:
            before = JournalEntryBefore.from_dict(_before)

        _after = d.pop("after", UNSET)
        after: JournalEntryAfter | Unset
        if isinstance(_after, Unset):
            after = UNSET
        else:
            after = JournalEntryAfter.from_dict(_after)

        journal_entry = cls(
            event=event,
            summary=summary,
            outcome=outcome,
            patient=patient,
            practitioner=practitioner,
            before=before,
            after=after,
        )

        return journal_entry
