from enum import StrEnum


class DmpAuthorizationState(StrEnum):
    BLOCKED = "blocked"
    EXPIRED = "expired"
    NONE = "none"
    VALID = "valid"

    def __str__(self) -> str:
        return str(self.value)
