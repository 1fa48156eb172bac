from enum import StrEnum


class FseExoneration(StrEnum):
    ALD = "ald"
    AME = "ame"
    CSS = "css"
    INVALIDITE = "invalidite"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
