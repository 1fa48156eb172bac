from enum import StrEnum


class FseReturnPart(StrEnum):
    AMC = "amc"
    AMO = "amo"

    def __str__(self) -> str:
        return str(self.value)
