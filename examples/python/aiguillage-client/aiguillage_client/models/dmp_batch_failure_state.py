from enum import StrEnum


class DmpBatchFailureState(StrEnum):
    DEAD = "dead"
    FAILED = "failed"

    def __str__(self) -> str:
        return str(self.value)
