from enum import StrEnum


class FseLotState(StrEnum):
    ACCEPTED = "accepted"
    QUEUED = "queued"
    REJECTED = "rejected"
    TRANSMITTED = "transmitted"

    def __str__(self) -> str:
        return str(self.value)
