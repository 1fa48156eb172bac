from enum import StrEnum


class OutboxHistoryEntryAction(StrEnum):
    ATTEMPT = "attempt"
    CANCEL = "cancel"
    RETRY = "retry"

    def __str__(self) -> str:
        return str(self.value)
