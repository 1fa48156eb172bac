from enum import StrEnum


class DmpAuthorizationAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"

    def __str__(self) -> str:
        return str(self.value)
