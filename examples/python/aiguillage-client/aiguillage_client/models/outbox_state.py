from enum import StrEnum


class OutboxState(StrEnum):
    CANCELLED = "cancelled"
    DEAD = "dead"
    FAILED = "failed"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
