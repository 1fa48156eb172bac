"""GS1 barcodes: the DataMatrix of a medicine or vaccine box (``/v1/gs1/``)."""
