from enum import StrEnum


class OutboxHistoryEntryOutcome(StrEnum):
    ALREADY_PRESENT = "already_present"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"
    PERMANENT_ERROR = "permanent_error"
    QUEUED = "queued"
    SENT = "sent"
    TRANSIENT_ERROR = "transient_error"

    def __str__(self) -> str:
        return str(self.value)
