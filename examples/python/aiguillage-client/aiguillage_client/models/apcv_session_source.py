from enum import StrEnum


class ApcvSessionSource(StrEnum):
    NFC = "nfc"
    QR = "qr"

    def __str__(self) -> str:
        return str(self.value)
