from enum import StrEnum


class JournalEntryEvent(StrEnum):
    INS_IDENTITY_CHANGED = "ins.identity_changed"
    INS_IDENTITY_CREATED = "ins.identity_created"
    INS_IDENTITY_DELETED = "ins.identity_deleted"
    INS_IDENTITY_MERGED = "ins.identity_merged"
    INS_IDENTITY_QUALIFIED = "ins.identity_qualified"
    INS_VIEW = "ins.view"

    def __str__(self) -> str:
        return str(self.value)
