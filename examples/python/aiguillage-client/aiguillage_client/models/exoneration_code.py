from enum import StrEnum


class ExonerationCode(StrEnum):
    ALD = "ald"
    AME = "ame"
    AT_MP = "at_mp"
    CSS = "css"
    INVALIDITE = "invalidite"
    MATERNITE = "maternite"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
