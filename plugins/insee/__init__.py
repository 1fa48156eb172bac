"""INSEE birth places: communes and countries valid at a date (``/v1/insee/``)."""
