from enum import StrEnum


class IdentityStatusInsiOutcome(StrEnum):
    DIFFERS = "differs"
    FOUND = "found"
    NIA = "nia"
    NOT_FOUND = "not_found"
    SEVERAL = "several"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
