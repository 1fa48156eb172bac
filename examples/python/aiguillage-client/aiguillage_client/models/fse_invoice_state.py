from enum import StrEnum


class FseInvoiceState(StrEnum):
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"
    DRAFT = "draft"
    PAID = "paid"
    PAYMENT_REJECTED = "payment_rejected"
    REJECTED = "rejected"
    SECURED = "secured"
    SECURING = "securing"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
