from enum import StrEnum


class JournalVerificationStatus(StrEnum):
    BROKEN = "broken"
    NOT_VERIFIED = "not_verified"
    OK = "ok"
    UNCHECKED = "unchecked"

    def __str__(self) -> str:
        return str(self.value)
