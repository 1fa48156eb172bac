from enum import StrEnum


class InsiOutcomeOutcome(StrEnum):
    DIFFERS = "differs"
    FOUND = "found"
    NOT_FOUND = "not_found"
    SEVERAL = "several"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
