from enum import StrEnum


class MssanteReceiptState(StrEnum):
    ERROR = "error"
    NONE = "none"
    PROCESSED = "processed"
    REQUESTED = "requested"

    def __str__(self) -> str:
        return str(self.value)
