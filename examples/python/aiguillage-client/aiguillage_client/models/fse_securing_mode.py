from enum import StrEnum


class FseSecuringMode(StrEnum):
    APCV = "apcv"
    DEGRADED = "degraded"
    VITALE = "vitale"

    def __str__(self) -> str:
        return str(self.value)
