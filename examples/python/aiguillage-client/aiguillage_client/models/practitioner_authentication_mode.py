from enum import StrEnum


class PractitionerAuthenticationMode(StrEnum):
    DIRECTE = "DIRECTE"
    INDIRECTE = "INDIRECTE"
    INDIRECTE_RENFORCEE = "INDIRECTE_RENFORCEE"

    def __str__(self) -> str:
        return str(self.value)
