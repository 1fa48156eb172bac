from enum import StrEnum


class InsiInsKind(StrEnum):
    NIA = "NIA"
    NIR = "NIR"
    TEST = "test"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
